"""Writes copies.jsonl from the texts below (all written by the samestory developers).

Per language: an original article, its reprint (a new dateline and one sentence changed: a copy),
and another article of the same outlet (not a copy). Run: python3 make_copies.py
"""
import json

ARTICLES = {
    "zh": {
        "dateline": ("新华社北京3月12日电", "中新网上海3月13日电"),
        "title": "国家统计局：二月份居民消费价格同比上涨百分之零点七",
        "sentences": [
            "国家统计局12日发布数据显示，二月份全国居民消费价格同比上涨百分之零点七，涨幅比上月扩大零点四个百分点。",
            "其中，城市上涨百分之零点八，农村上涨百分之零点五；食品价格上涨百分之一点二，非食品价格上涨百分之零点六。",
            "国家统计局城市司首席统计师在解读数据时表示，春节假期居民出行和消费需求集中释放，带动服务价格明显上涨。",
            "从环比看，居民消费价格上涨百分之零点五，涨幅为近十二个月来最高。",
            "食品中，鲜菜价格上涨百分之十二点三，猪肉价格上涨百分之三点一，鸡蛋价格下降百分之四点二。",
            "受国际油价波动影响，国内汽油和柴油价格分别下降百分之一点五和百分之一点七。",
            "服务价格中，飞机票、交通工具租赁费和旅游价格分别上涨百分之二十一点二、百分之十九点四和百分之十一点二。",
            "同日发布的数据显示，二月份全国工业生产者出厂价格同比下降百分之二点七，环比下降百分之零点二。",
            "工业生产者购进价格同比下降百分之三点四，环比下降百分之零点一。",
            "分析人士认为，随着节日因素消退，三月份居民消费价格涨幅可能有所回落。",
            "多家机构预计，全年物价将保持温和上涨态势，不会对货币政策形成明显制约。",
            "中国人民银行此前表示，将继续实施稳健的货币政策，保持流动性合理充裕。",
        ],
        "changed": (4, "食品中，鲜菜价格涨幅达百分之十二点三，猪肉价格涨幅为百分之三点一，而鸡蛋价格则下降了百分之四点二。"),
        "other_title": "长江流域今年首批大型水利工程全面开工",
        "other": [
            "记者从水利部获悉，长江流域今年首批十八项大型水利工程已于本周全面开工，总投资超过一千二百亿元。",
            "这些工程包括水库建设、堤防加固、灌区改造和城市供水等项目，分布在湖北、湖南、江西、安徽等八个省份。",
            "水利部有关负责人介绍，工程建成后将新增供水能力四十亿立方米，改善灌溉面积六百万亩。",
            "为保证施工进度，各地已组织一万多名工人和三千台机械设备进场作业。",
            "今年汛期前，部分堤防加固工程将完成主体施工，以提高沿江城市的防洪能力。",
            "专家指出，加快水利基础设施建设既能稳定投资增长，也能增强应对极端天气的能力。",
        ],
    },
    "ja": {
        "dateline": ("【東京】", "【大阪共同】"),
        "title": "東京電力、柏崎刈羽原発の再稼働に向け地元と協議へ",
        "sentences": [
            "東京電力ホールディングスは十日、新潟県の柏崎刈羽原子力発電所七号機の再稼働に向けて、地元自治体との協議を始めると発表した。",
            "原子力規制委員会は昨年末、同原発に対する事実上の運転禁止命令を解除しており、東京電力は早期の再稼働を目指している。",
            "同社の社長は記者会見で「安全対策に万全を期し、地元の皆様の理解を得られるよう丁寧に説明していきたい」と述べた。",
            "七号機では、燃料の装填作業が既に完了しており、県の同意が得られれば数週間で発電を再開できる見通しだ。",
            "一方、新潟県の知事は、再稼働の是非について県民の意見を幅広く聞いたうえで判断する考えを示している。",
            "県内では、事故が起きた際の避難計画の実効性を疑問視する声が根強く、道路の整備や除雪体制の強化を求める意見が出ている。",
            "東京電力は、福島第一原発の事故以降、首都圏への電力供給の多くを火力発電に頼ってきた。",
            "燃料価格の高騰で経営が圧迫されており、原発の再稼働は収支改善の柱と位置付けられている。",
            "経済産業省も、電力の安定供給と脱炭素の両立のため、安全性が確認された原発の活用を進める方針を掲げている。",
            "専門家の間では、再稼働によって年間およそ一千億円の燃料費削減につながるとの試算もある。",
            "ただ、地元の商工団体の中には、原発関連の工事や雇用への期待と不安が入り混じっているとの声もある。",
        ],
        "changed": (5, "県内では避難計画の実効性を疑う声が根強く、道路整備や冬場の除雪体制を強化するよう求める意見が相次いでいる。"),
        "other_title": "北海道で記録的な大雪、交通機関に大きな乱れ",
        "other": [
            "北海道では九日から十日にかけて発達した低気圧の影響で記録的な大雪となり、札幌市では二十四時間の降雪量が五十センチを超えた。",
            "新千歳空港では、国内線を中心に二百便以上が欠航し、およそ六千人が空港内で一夜を過ごした。",
            "JR北海道は札幌と旭川を結ぶ特急列車など三百本以上を運休した。",
            "気象台は、十一日も局地的に雪が強まるおそれがあるとして、路面の凍結や雪崩に注意するよう呼びかけている。",
            "札幌市は除雪車を増やして幹線道路の除雪作業を急いでいるが、住宅街では車が立ち往生する事例が相次いだ。",
        ],
    },
    "ko": {
        "dateline": ("(서울=연합뉴스)", "(부산=뉴시스)"),
        "title": "한국은행, 기준금리 연 3.50%로 동결",
        "sentences": [
            "한국은행 금융통화위원회는 11일 통화정책방향 회의를 열고 기준금리를 현재의 연 3.50%로 유지하기로 결정했다.",
            "이로써 기준금리는 지난해 초 인상된 이후 열 차례 연속 같은 수준에 머물게 됐다.",
            "한국은행 총재는 기자간담회에서 물가 상승률이 목표 수준으로 수렴하고 있지만 아직 안심하기는 이르다고 말했다.",
            "지난달 소비자물가 상승률은 2.8%로 두 달 연속 2%대를 기록했으나 농산물 가격은 여전히 높은 수준이다.",
            "가계부채 증가세도 금리 결정에 부담으로 작용한 것으로 보인다.",
            "금융권에 따르면 지난달 은행권 주택담보대출 잔액은 한 달 사이 5조 원 가까이 늘었다.",
            "시장에서는 미국 연방준비제도의 금리 인하 시점이 늦어지면서 한국은행도 신중한 태도를 이어갈 것으로 보고 있다.",
            "금융통화위원 여섯 명 가운데 다섯 명은 3개월 뒤에도 금리 인하 가능성을 열어둬야 한다는 의견을 냈다.",
            "한국은행은 올해 경제성장률 전망치를 2.1%에서 2.5%로 상향 조정했다.",
            "수출이 반도체를 중심으로 빠르게 회복되고 있다는 점이 반영됐다.",
            "다만 내수 회복은 예상보다 더딘 것으로 평가됐다.",
            "건설 투자는 부동산 경기 부진으로 감소세를 이어갈 것으로 전망됐다.",
            "한국은행은 환율 변동성이 커질 경우 시장 안정 조치를 적극적으로 시행하겠다고 밝혔다.",
            "원·달러 환율은 결정 직후 소폭 하락해 1,380원대에서 거래됐다.",
            "채권시장에서 국고채 3년물 금리는 0.03%포인트 내린 3.25%를 기록했다.",
            "다음 금융통화위원회 회의는 다음 달 하순에 열릴 예정이다.",
            "한국은행은 중소기업 지원을 위한 금융중개지원대출 한도를 9조 원 늘리기로 했다.",
            "자영업자의 대출 연체율이 높아지고 있다는 점도 이번 결정의 배경으로 꼽힌다.",
            "증권가에서는 연내 한두 차례 금리 인하가 이뤄질 수 있다는 전망이 우세하다.",
        ],
        "changed": (5, "금융권 집계를 보면 은행권 주택담보대출 잔액은 지난달에만 5조 원 가까이 불어났다."),
        "other_title": "부산 해운대 해수욕장, 다음 달 조기 개장",
        "other": [
            "부산 해운대구는 해운대 해수욕장을 다음 달 1일부터 부분 개장한다고 밝혔다.",
            "구청은 개장에 앞서 모래를 보충하고 안전요원을 배치하는 등 준비 작업을 진행하고 있다.",
            "올해는 외국인 관광객이 늘어날 것으로 보고 안내소에 통역 인력을 추가로 배치한다.",
            "해수욕장은 7월 1일 정식 개장해 8월 말까지 운영될 예정이다.",
            "구청 관계자는 이안류 발생에 대비해 드론 감시 체계를 강화하겠다고 말했다.",
        ],
    },
    "th": {
        "dateline": ("กรุงเทพฯ 5 มี.ค. -", "เชียงใหม่ 6 มี.ค. -"),
        "title": "ธนาคารแห่งประเทศไทยคงอัตราดอกเบี้ยนโยบายที่ร้อยละ 2.50",
        "sentences": [
            "คณะกรรมการนโยบายการเงินของธนาคารแห่งประเทศไทยมีมติห้าต่อสองเสียงให้คงอัตราดอกเบี้ยนโยบายไว้ที่ร้อยละ 2.50 ต่อปี",
            "กรรมการสองท่านเห็นควรให้ลดอัตราดอกเบี้ยลงร้อยละ 0.25 เพื่อช่วยพยุงเศรษฐกิจที่ยังฟื้นตัวช้า",
            "เลขานุการคณะกรรมการกล่าวว่าเศรษฐกิจไทยมีแนวโน้มขยายตัวต่อเนื่องจากการท่องเที่ยวและการบริโภคภาคเอกชน",
            "อย่างไรก็ตาม การส่งออกสินค้ายังคงได้รับผลกระทบจากเศรษฐกิจโลกที่ชะลอตัว",
            "ธนาคารกลางคาดว่าเศรษฐกิจไทยปีนี้จะขยายตัวร้อยละ 2.6 และปีหน้าร้อยละ 3.0",
            "อัตราเงินเฟ้อทั่วไปคาดว่าจะอยู่ที่ร้อยละ 0.6 ในปีนี้ ซึ่งต่ำกว่ากรอบเป้าหมายที่ร้อยละหนึ่งถึงสาม",
            "คณะกรรมการระบุว่าอัตราเงินเฟ้อที่ต่ำเป็นผลจากมาตรการลดค่าครองชีพของภาครัฐเป็นสำคัญ",
            "ด้านกระทรวงการคลังเคยเรียกร้องให้ธนาคารกลางลดอัตราดอกเบี้ยเพื่อลดภาระหนี้ของครัวเรือน",
            "หนี้ครัวเรือนของไทยอยู่ที่ประมาณร้อยละ 90 ของผลิตภัณฑ์มวลรวมภายในประเทศ",
            "นักวิเคราะห์หลายสำนักคาดว่าธนาคารกลางอาจพิจารณาลดอัตราดอกเบี้ยในการประชุมครั้งถัดไป",
            "ค่าเงินบาทอ่อนค่าลงเล็กน้อยหลังการประกาศผลการประชุม",
        ],
        "changed": (3, "แต่การส่งออกสินค้ายังคงถูกกดดันจากการชะลอตัวของเศรษฐกิจโลก"),
        "other_title": "กรมอุตุนิยมวิทยาเตือนพายุฤดูร้อนถล่มภาคเหนือ",
        "other": [
            "กรมอุตุนิยมวิทยาออกประกาศเตือนประชาชนในภาคเหนือให้ระวังพายุฤดูร้อนในช่วงสามวันข้างหน้า",
            "คาดว่าจะมีฝนฟ้าคะนองลมกระโชกแรงและลูกเห็บตกในบางพื้นที่",
            "จังหวัดเชียงใหม่ เชียงราย และลำปางได้เตรียมเจ้าหน้าที่ไว้ช่วยเหลือผู้ได้รับผลกระทบ",
            "เกษตรกรควรเสริมความแข็งแรงของโรงเรือนและดูแลปศุสัตว์อย่างใกล้ชิด",
            "อุณหภูมิสูงสุดในกรุงเทพมหานครคาดว่าจะอยู่ที่ 39 องศาเซลเซียส",
        ],
    },
    "ar": {
        "dateline": ("القاهرة (رويترز) -", "الإسكندرية - وكالات:"),
        "title": "البنك المركزي المصري يبقي أسعار الفائدة دون تغيير",
        "sentences": [
            "أبقى البنك المركزي المصري أسعار الفائدة الرئيسية دون تغيير للمرة الثالثة على التوالي يوم الخميس.",
            "وقالت لجنة السياسة النقدية في بيان إنها قررت الإبقاء على سعر عائد الإيداع لليلة واحدة عند 27.25 بالمئة.",
            "وأضافت اللجنة أن معدل التضخم السنوي واصل التراجع خلال الأشهر الماضية لكنه ما زال أعلى من المستهدف.",
            "وتراجع التضخم في المدن إلى 24 بالمئة في الشهر الماضي من 26 بالمئة في الشهر السابق.",
            "ويتوقع البنك المركزي أن يواصل التضخم انخفاضه تدريجيا خلال العام المقبل.",
            "وكانت مصر قد رفعت أسعار الفائدة بمقدار ستمئة نقطة أساس في مارس ضمن اتفاق مع صندوق النقد الدولي.",
            "وسمحت السلطات في الوقت نفسه بانخفاض حاد في قيمة الجنيه أمام الدولار.",
            "وقال محللون إن البنك يفضل الانتظار حتى تتضح آثار زيادة أسعار الوقود والكهرباء على الأسعار.",
            "وتعهدت الحكومة بتسريع برنامج بيع حصص في الشركات المملوكة للدولة لجذب الاستثمار الأجنبي.",
            "وارتفعت تحويلات المصريين العاملين في الخارج بقوة منذ توحيد سعر الصرف.",
            "ومن المقرر أن تعقد اللجنة اجتماعها المقبل في نهاية الشهر القادم.",
            "وارتفع احتياطي النقد الأجنبي لدى البنك المركزي إلى 46 مليار دولار في نهاية الشهر الماضي.",
            "وسجلت البورصة المصرية مكاسب محدودة بعد إعلان القرار.",
            "وتتوقع الحكومة أن يبلغ معدل النمو الاقتصادي أربعة بالمئة في السنة المالية المقبلة.",
            "وتراجعت عائدات قناة السويس بسبب اضطرابات الملاحة في البحر الأحمر.",
            "ويرى اقتصاديون أن خفض الفائدة قد يبدأ في الربع الأول من العام المقبل.",
        ],
        "changed": (7, "ويرى محللون أن البنك يؤثر الترقب إلى أن تظهر آثار رفع أسعار الوقود والكهرباء على الأسعار."),
        "other_title": "افتتاح المتحف المصري الكبير أمام الزوار",
        "other": [
            "افتتحت مصر رسميا المتحف المصري الكبير قرب أهرامات الجيزة بعد سنوات من الأعمال الإنشائية.",
            "ويضم المتحف أكثر من خمسين ألف قطعة أثرية من بينها المجموعة الكاملة لمقتنيات الملك توت عنخ آمون.",
            "وقال وزير السياحة والآثار إن المتحف سيسهم في جذب ملايين السياح سنويا.",
            "وحضر حفل الافتتاح عدد من رؤساء الدول والوزراء والسفراء.",
            "ويبلغ سعر تذكرة الدخول للزوار الأجانب ألفا ومئتي جنيه.",
        ],
    },
    "ru": {
        "dateline": ("МОСКВА, 14 февраля – РИА Новости.", "САНКТ-ПЕТЕРБУРГ, 15 февраля – ТАСС."),
        "title": "Банк России сохранил ключевую ставку на уровне 16 процентов",
        "sentences": [
            "Совет директоров Банка России в пятницу сохранил ключевую ставку на уровне 16 процентов годовых, говорится в сообщении регулятора.",
            "Решение совпало с ожиданиями большинства аналитиков, опрошенных агентством.",
            "Центробанк отметил, что инфляционное давление постепенно снижается, но остается высоким.",
            "Годовая инфляция в январе замедлилась до 7,4 процента после 7,8 процента в декабре.",
            "По прогнозу регулятора, инфляция вернется к цели в 4 процента во втором полугодии следующего года.",
            "Глава Банка России заявила на пресс-конференции, что жесткие денежно-кредитные условия будут поддерживаться продолжительный период.",
            "Она добавила, что обсуждение снижения ставки может начаться не раньше второго квартала.",
            "Рост кредитования замедлился, однако спрос на ипотеку по-прежнему поддерживается льготными программами.",
            "Рубль после объявления решения почти не изменился к доллару и евро.",
            "Следующее заседание совета директоров по ключевой ставке запланировано на март.",
            "Экономисты ожидают, что первое снижение ставки составит не более одного процентного пункта.",
            "Доходность десятилетних облигаций федерального займа снизилась до 14,1 процента.",
            "Индекс Мосбиржи по итогам торгов вырос на 0,6 процента.",
            "Минэкономразвития сохранило прогноз роста ВВП на текущий год на уровне 2,5 процента.",
            "Банки уже начали снижать ставки по долгосрочным вкладам в ожидании смягчения политики.",
            "Регулятор также опубликовал обновленный среднесрочный прогноз основных макроэкономических показателей.",
            "Согласно ему, средняя ключевая ставка в следующем году составит от 10 до 12 процентов.",
            "Аналитики крупных банков в целом согласились с оценками регулятора.",
            "Предприятия жалуются, что дорогие кредиты сдерживают инвестиции в новое оборудование.",
        ],
        "changed": (7, "Кредитование растет медленнее, но спрос на ипотеку все еще подпитывают льготные программы."),
        "other_title": "В Москве открылись две новые станции метро",
        "other": [
            "В Москве в субботу открылись две новые станции Большой кольцевой линии метро.",
            "Мэр города заявил, что новые станции улучшат транспортную доступность для четырехсот тысяч жителей.",
            "Строительство участка длиной шесть километров продолжалось почти четыре года.",
            "В первые часы работы станциями воспользовались более двадцати тысяч пассажиров.",
            "До конца года планируется открыть еще три станции на других линиях.",
        ],
    },
    "de": {
        "dateline": ("Berlin (dpa) -", "München (AFP) -"),
        "title": "Bundesregierung senkt Wachstumsprognose deutlich",
        "sentences": [
            "Die Bundesregierung hat ihre Wachstumsprognose für das laufende Jahr deutlich gesenkt.",
            "Das Bruttoinlandsprodukt werde voraussichtlich nur um 0,2 Prozent wachsen, teilte das Bundeswirtschaftsministerium am Mittwoch in Berlin mit.",
            "Im Herbst hatte die Regierung noch mit einem Plus von 1,3 Prozent gerechnet.",
            "Als Gründe nannte der Minister die schwache Weltkonjunktur, die hohen Zinsen und die anhaltende Zurückhaltung der Verbraucher.",
            "Die Inflation werde im Jahresdurchschnitt auf 2,8 Prozent sinken, hieß es weiter.",
            "Für das kommende Jahr erwartet die Regierung ein Wachstum von einem Prozent.",
            "Wirtschaftsverbände forderten die Koalition auf, die Unternehmen bei Energiepreisen und Bürokratie rasch zu entlasten.",
            "Der Präsident des Industrieverbands sprach von einem Alarmsignal für den Standort Deutschland.",
            "Die Gewerkschaften warnten dagegen vor Kürzungen bei öffentlichen Investitionen.",
            "Der Arbeitsmarkt zeigt sich trotz der Flaute bislang robust, die Zahl der Erwerbstätigen liegt nahe dem Rekordniveau.",
            "Ökonomen halten eine leichte Erholung in der zweiten Jahreshälfte für möglich, wenn die Europäische Zentralbank die Zinsen senkt.",
            "Die Exporte waren im vergangenen Quartal um 1,5 Prozent zurückgegangen.",
            "Besonders die Chemie- und die Autoindustrie leiden unter der schwachen Nachfrage aus China.",
            "Der Finanzminister kündigte an, an der Schuldenbremse festzuhalten.",
        ],
        "changed": (8, "Die Gewerkschaften mahnten hingegen, bei den öffentlichen Investitionen dürfe nicht gekürzt werden."),
        "other_title": "Bahn kündigt neue Sprinterzüge zwischen Hamburg und Berlin an",
        "other": [
            "Die Deutsche Bahn will ab Dezember zusätzliche Sprinterzüge zwischen Hamburg und Berlin einsetzen.",
            "Die Fahrzeit soll auf knapp eine Stunde und vierzig Minuten sinken.",
            "Ein Sprecher sagte, die Nachfrage auf der Strecke sei im vergangenen Jahr um zwölf Prozent gestiegen.",
            "Fahrgastverbände begrüßten das Angebot, kritisierten aber die hohe Zahl verspäteter Züge.",
            "Die Bauarbeiten an der Strecke sollen bis zum Frühjahr abgeschlossen sein.",
        ],
    },
    "es": {
        "dateline": ("MADRID, 3 abr (EFE).-", "BARCELONA, 4 abr (Europa Press).-"),
        "title": "El paro baja en 60.000 personas en marzo gracias a la Semana Santa",
        "sentences": [
            "El número de desempleados registrados en las oficinas de los servicios públicos de empleo bajó en 60.000 personas en marzo.",
            "Con este descenso, el total de parados se situó en 2,7 millones, la cifra más baja desde 2008, según los datos publicados este martes por el Ministerio de Trabajo.",
            "La afiliación a la Seguridad Social sumó 206.000 ocupados en el mes, impulsada por la hostelería ante la Semana Santa.",
            "El sector servicios concentró la mayor parte de la caída del paro, seguido de la construcción y la industria.",
            "Por comunidades, el desempleo bajó sobre todo en Andalucía, Cataluña y la Comunidad de Madrid.",
            "La ministra de Trabajo destacó que el empleo indefinido representa ya casi la mitad de los contratos firmados.",
            "Los sindicatos valoraron los datos, pero advirtieron de que la temporalidad sigue siendo alta entre los jóvenes.",
            "La patronal pidió prudencia y recordó que el crecimiento económico se está moderando.",
            "El paro juvenil descendió en 12.000 personas respecto al mes anterior.",
            "En términos interanuales, el desempleo registrado se redujo en 120.000 personas.",
            "Los expertos prevén que la buena evolución del empleo se mantenga durante los meses de verano.",
            "El número de contratos firmados en marzo superó el millón y medio, un cinco por ciento más que hace un año.",
            "Baleares y Canarias registraron los mayores aumentos de afiliados por el inicio de la temporada turística.",
            "El gasto en prestaciones por desempleo se redujo un tres por ciento en el primer trimestre.",
            "El Gobierno prevé aprobar en las próximas semanas la reforma del subsidio para mayores de 52 años.",
            "Los datos de abril se conocerán a principios del mes de mayo.",
        ],
        "changed": (6, "Los sindicatos celebraron las cifras, aunque alertaron de que la temporalidad entre los jóvenes continúa siendo elevada."),
        "other_title": "Renfe amplía las frecuencias del AVE entre Madrid y Valencia",
        "other": [
            "Renfe ofrecerá a partir del próximo lunes ocho nuevos trenes diarios entre Madrid y Valencia.",
            "La compañía ferroviaria explicó que la demanda en esta línea ha crecido un quince por ciento en el último año.",
            "Los nuevos servicios tendrán una duración de una hora y cuarenta minutos.",
            "Las asociaciones de consumidores pidieron que se mantengan los descuentos para los viajeros frecuentes.",
            "Renfe estudia además abrir una conexión directa con Alicante a finales de año.",
        ],
    },
}

JOIN = {"zh": "", "ja": "", "th": " "}


def text(lang, dateline, sentences):
    sep = JOIN.get(lang, " ")
    half = len(sentences) // 2
    return dateline + sep + sep.join(sentences[:half]) + "\n\n" + sep.join(sentences[half:]) + "\n"


with open("copies.jsonl", "w", encoding="utf-8") as out:
    for lang, a in ARTICLES.items():
        original = text(lang, a["dateline"][0], a["sentences"])
        changed = list(a["sentences"])
        k, new = a["changed"]
        changed[k] = new
        reprint = text(lang, a["dateline"][1], changed)
        other = text(lang, a["dateline"][0], a["other"])
        for kind, title, body in [
            ("original", a["title"], original),
            ("reprint", a["title"], reprint),
            ("other", a["other_title"], other),
        ]:
            row = {"id": f"{lang}_{kind}", "language": lang, "kind": kind, "title": title, "text": body}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
