"""Writes languages.jsonl from the reports below (all written by the samestory developers).

Two events of one kind in each of four languages other than English, three reports of each event
by different outlets, labeled by `event`:
- de: two mayoral elections on the same Sunday in two (invented) towns;
- es: two earthquakes two days apart in two (invented) provinces;
- ru: the half-year results of two (invented) companies in the same week;
- zh (written without spaces): two chemical-plant fires two days apart in two (invented) towns.
Places, people, companies and figures are invented; no text of an outlet or data set is used.
Run: python3 make_languages.py
"""
import json

REPORTS = [
    # --- de: Bürgermeisterwahl in Lindenau (gewonnen im ersten Wahlgang) ---
    ("de-lindenau-1", "de", "lindenau-wahl", "Lindauer Tagblatt", "2025-09-14T20:05:00Z",
     "Katrin Vollmer wird Bürgermeisterin von Lindenau",
     "Die parteilose Kandidatin Katrin Vollmer hat die Bürgermeisterwahl in Lindenau bereits im "
     "ersten Wahlgang gewonnen. Nach dem vorläufigen Endergebnis erhielt die 46-jährige "
     "Verwaltungsjuristin 54,3 Prozent der Stimmen. Ihr Gegenkandidat Thomas Brandl von der CDU kam "
     "auf 45,7 Prozent. Die Wahlbeteiligung lag bei 48,6 Prozent und damit deutlich höher als vor "
     "acht Jahren.\n"
     "Vollmer folgt auf Amtsinhaber Gerhard Sommer, der nach zwei Amtszeiten nicht mehr angetreten "
     "war. Im Wahlkampf hatte sie vor allem den Neubau der Grundschule am Mühlbach und einen "
     "besseren Busanschluss der Ortsteile Oberried und Kaltental versprochen.\n"
     "„Ich bin überwältigt von diesem Vertrauen“, sagte Vollmer am Abend vor ihren Anhängern im "
     "Rathaussaal. Brandl gratulierte seiner Konkurrentin und kündigte an, im Gemeinderat "
     "konstruktiv mitzuarbeiten. Die neue Bürgermeisterin tritt ihr Amt am 1. November an."),
    ("de-lindenau-2", "de", "lindenau-wahl", "Südwest Rundschau", "2025-09-14T21:30:00Z",
     "Lindenau: Vollmer setzt sich gegen Brandl durch",
     "In Lindenau ist die Entscheidung schon am Sonntagabend gefallen: Katrin Vollmer, die ohne "
     "Parteibuch angetreten war, holte 54,3 Prozent und braucht keine Stichwahl. CDU-Bewerber "
     "Thomas Brandl, seit zwölf Jahren Fraktionschef im Gemeinderat, erreichte 45,7 Prozent.\n"
     "Von den rund 11.200 Wahlberechtigten gaben 48,6 Prozent ihre Stimme ab. Besonders deutlich "
     "fiel Vollmers Vorsprung in den Ortsteilen Oberried und Kaltental aus, wo sie mehr als 60 "
     "Prozent erzielte. In der Kernstadt lagen beide Kandidaten fast gleichauf.\n"
     "Die Juristin arbeitet bislang im Landratsamt und hatte sich im Wahlkampf für eine neue "
     "Grundschule am Mühlbach starkgemacht. Der scheidende Bürgermeister Gerhard Sommer sprach von "
     "einem fairen Wahlkampf. Vollmer übernimmt die Amtsgeschäfte am 1. November.\n"
     "Die Gemeinderatsfraktionen kündigten an, mit der neuen Bürgermeisterin zügig über den Haushalt für das kommende Jahr zu sprechen. Vollmer selbst sagte, sie wolle zuerst mit den Beschäftigten im Rathaus reden."),
    ("de-lindenau-3", "de", "lindenau-wahl", "Kreisbote Online", "2025-09-15T06:45:00Z",
     "Klarer Sieg im ersten Wahlgang: Lindenau hat eine neue Rathauschefin",
     "Katrin Vollmer heißt die neue Bürgermeisterin von Lindenau. Die 46-Jährige gewann die Wahl "
     "am Sonntag mit 54,3 Prozent gegen Thomas Brandl (CDU), der 45,7 Prozent bekam. Eine "
     "Stichwahl ist damit nicht nötig.\n"
     "Die Wahlbeteiligung von 48,6 Prozent werteten beide Lager als gutes Zeichen. Vollmer dankte "
     "am Montagmorgen den Wahlhelfern und kündigte an, als erstes die Pläne für die Grundschule am "
     "Mühlbach voranzutreiben. Außerdem will sie mit dem Verkehrsverbund über zusätzliche Busse nach "
     "Oberried und Kaltental verhandeln.\n"
     "Amtsinhaber Gerhard Sommer, der 16 Jahre an der Spitze der Stadt stand, wird am 31. Oktober "
     "verabschiedet. Brandl bleibt Vorsitzender der CDU-Fraktion im Gemeinderat.\n"
     "Für Vollmer stimmten nach Angaben des Wahlamts 2.957 Menschen, für Brandl 2.489. Die Zahl der ungültigen Stimmzettel war mit 41 gering. Das amtliche Endergebnis will der Wahlausschuss am Dienstag feststellen."),
    # --- de: Bürgermeisterwahl in Hohenfelde (Stichwahl nötig) ---
    ("de-hohenfelde-1", "de", "hohenfelde-wahl", "Lindauer Tagblatt", "2025-09-14T20:40:00Z",
     "Hohenfelde: Lehner und Ortmann müssen in die Stichwahl",
     "Bei der Bürgermeisterwahl in Hohenfelde hat keiner der drei Kandidaten die absolute Mehrheit "
     "erreicht. SPD-Kandidat Markus Lehner kam auf 38,2 Prozent, Sabine Ortmann von den Freien "
     "Wählern auf 31,7 Prozent. Der Grünen-Bewerber Jonas Petersen landete mit 30,1 Prozent knapp "
     "dahinter und scheidet aus.\n"
     "Lehner und Ortmann treten nun am 28. September in einer Stichwahl gegeneinander an. Die "
     "Wahlbeteiligung lag bei nur 41,2 Prozent.\n"
     "Der 52-jährige Lehner ist seit zehn Jahren Kämmerer der Stadt. Ortmann führt ein "
     "Ingenieurbüro und sitzt seit 2019 im Stadtrat. Das Hauptthema des Wahlkampfs war die "
     "Zukunft des Hallenbads, dessen Sanierung 9,5 Millionen Euro kosten soll. Petersen ließ offen, "
     "ob er eine Empfehlung für die Stichwahl abgeben wird.\n"
     "Für die Stichwahl werden die Wahlbenachrichtigungen nicht neu verschickt. Briefwahlunterlagen können ab Mittwoch im Rathaus beantragt werden, teilte das Wahlamt mit."),
    ("de-hohenfelde-2", "de", "hohenfelde-wahl", "Südwest Rundschau", "2025-09-14T22:10:00Z",
     "Keine Entscheidung in Hohenfelde – Stichwahl am 28. September",
     "Die Hohenfelder müssen noch einmal an die Urnen. Im ersten Wahlgang der Bürgermeisterwahl "
     "lag Markus Lehner (SPD) mit 38,2 Prozent vorn, gefolgt von Sabine Ortmann (Freie Wähler) mit "
     "31,7 Prozent. Jonas Petersen von den Grünen verpasste die Stichwahl mit 30,1 Prozent nur "
     "knapp.\n"
     "Nur 41,2 Prozent der Wahlberechtigten beteiligten sich. Die bisherige Bürgermeisterin Ute "
     "Kessler war aus gesundheitlichen Gründen nicht mehr angetreten.\n"
     "Lehner, langjähriger Kämmerer im Rathaus, will das Hallenbad sanieren und dafür Fördermittel "
     "des Landes beantragen. Ortmann dagegen schlägt einen Neubau gemeinsam mit der Nachbargemeinde "
     "Weißbach vor. „Jetzt beginnt der Wahlkampf von vorn“, sagte sie am Wahlabend.\n"
     "Petersen, der als Lehrer an der Gesamtschule arbeitet, zeigte sich enttäuscht, aber nicht überrascht. Die Grünen wollen am Donnerstag in einer Mitgliederversammlung beraten, ob sie einen der beiden Kandidaten unterstützen. Lehner bat um einen fairen zweiten Wahlkampf."),
    ("de-hohenfelde-3", "de", "hohenfelde-wahl", "Kreisbote Online", "2025-09-15T07:20:00Z",
     "Hohenfelde: SPD-Mann Lehner vorn, Ortmann hofft auf Grünen-Wähler",
     "Zwei Wochen haben Markus Lehner und Sabine Ortmann jetzt Zeit, um die Wähler in Hohenfelde "
     "zu überzeugen. Am Sonntag erreichte der SPD-Kandidat 38,2 Prozent, die Bewerberin der Freien "
     "Wähler 31,7 Prozent. Die Stichwahl findet am 28. September statt.\n"
     "Entscheidend dürften die Anhänger von Jonas Petersen sein, der für die Grünen 30,1 Prozent "
     "holte. Ortmann kündigte an, sich mit Petersen über ein gemeinsames Konzept für das Hallenbad "
     "und den Radverkehr zu treffen.\n"
     "Mit 41,2 Prozent war die Wahlbeteiligung so niedrig wie nie bei einer Bürgermeisterwahl in der "
     "Stadt. Amtsinhaberin Ute Kessler rief die Bürger auf, in zwei Wochen wählen zu gehen.\n"
     "Lehner zeigte sich zuversichtlich und verwies auf seine Erfahrung als Kämmerer. Die Sanierung des Hallenbads sei machbar, wenn das Land die Hälfte der Kosten von 9,5 Millionen Euro übernehme. Ortmann hält diese Rechnung für zu optimistisch."),
    # --- es: terremoto en la provincia de Valdelomar ---
    ("es-valdelomar-1", "es", "valdelomar-sismo", "Diario del Sur", "2025-03-03T06:10:00Z",
     "Un terremoto de magnitud 6,2 sacude Valdelomar y deja tres muertos",
     "Un terremoto de magnitud 6,2 sacudió la madrugada de este lunes la provincia de Valdelomar y "
     "causó al menos tres muertos y 41 heridos, según el último balance de Protección Civil. El "
     "sismo se registró a las 04:17 hora local con epicentro a 23 kilómetros al noreste de Santa "
     "Lucía de Almagro y a una profundidad de 15 kilómetros, informó el Instituto Geofísico "
     "Nacional.\n"
     "Las tres víctimas murieron al derrumbarse una vivienda de adobe en el barrio de San "
     "Bartolomé. La torre de la iglesia del mismo barrio se vino abajo y varias calles del centro "
     "quedaron cubiertas de escombros.\n"
     "El alcalde de Santa Lucía de Almagro, Rodrigo Palacios, pidió a los vecinos que no regresen "
     "a las casas dañadas hasta que los técnicos las revisen. Se registraron más de veinte "
     "réplicas, la mayor de magnitud 4,6."),
    ("es-valdelomar-2", "es", "valdelomar-sismo", "El Correo Nacional", "2025-03-03T09:35:00Z",
     "Tres fallecidos y 41 heridos por el sismo en Santa Lucía de Almagro",
     "El balance del terremoto que golpeó Valdelomar asciende a tres fallecidos y 41 heridos, "
     "cinco de ellos graves, trasladados al Hospital Provincial. El movimiento, de magnitud 6,2, "
     "despertó a miles de vecinos a las 04:17 y se sintió con fuerza en toda la provincia.\n"
     "El Instituto Geofísico Nacional situó el epicentro a 23 kilómetros de Santa Lucía de "
     "Almagro. Los fallecidos, una pareja de ancianos y su nieto, vivían en una casa de adobe del "
     "barrio de San Bartolomé, donde también se desplomó el campanario de la iglesia.\n"
     "El alcalde Rodrigo Palacios suspendió las clases en toda la ciudad y habilitó el "
     "polideportivo municipal como albergue para unas 300 personas. El Gobierno anunció el envío "
     "de la Unidad Militar de Emergencias."),
    ("es-valdelomar-3", "es", "valdelomar-sismo", "Noticias Hoy", "2025-03-03T14:50:00Z",
     "Valdelomar, en estado de emergencia tras el terremoto",
     "El Gobierno declaró el estado de emergencia en la provincia de Valdelomar tras el terremoto "
     "de magnitud 6,2 que causó este lunes tres muertos y 41 heridos. Más de 300 personas pasaron "
     "la mañana en el polideportivo de Santa Lucía de Almagro, la ciudad más castigada.\n"
     "Los técnicos municipales revisaron 150 edificios y declararon inhabitables 27, la mayoría de "
     "adobe, en el barrio de San Bartolomé. \"Hemos tenido suerte de que ocurriera de madrugada y "
     "con las calles vacías\", declaró el alcalde, Rodrigo Palacios.\n"
     "El Instituto Geofísico Nacional registró una veintena de réplicas. Los sismólogos recuerdan "
     "que la falla de Almagro no había producido un terremoto de esta magnitud desde 1971.\n"
     "La Diputación abrió una cuenta para recoger donativos y los colegios de la ciudad permanecerán cerrados al menos hasta el miércoles, mientras los arquitectos revisan cada edificio escolar."),
    # --- es: terremoto en la provincia de Montealegre ---
    ("es-montealegre-1", "es", "montealegre-sismo", "Diario del Sur", "2025-03-05T18:20:00Z",
     "Un sismo de magnitud 5,8 en Montealegre corta la carretera de la costa",
     "Un terremoto de magnitud 5,8 sacudió este miércoles a las 16:42 la provincia de Montealegre "
     "y dejó doce heridos leves, según los servicios de emergencia. El epicentro se localizó en el "
     "mar, a 31 kilómetros al oeste de Puerto Caracoles, a 40 kilómetros de profundidad.\n"
     "Un desprendimiento de rocas cortó la carretera N-40 entre Puerto Caracoles y Punta Arenal, "
     "donde quedaron atrapados durante dos horas decenas de vehículos. No hubo víctimas mortales.\n"
     "La gobernadora de Montealegre, Elena Barrientos, descartó el riesgo de tsunami después de "
     "consultar con la Armada y pidió calma a la población. Las clases continuarán con normalidad "
     "el jueves, salvo en el colegio Virgen del Mar, cuyo gimnasio sufrió grietas.\n"
     "El Instituto Geofísico Nacional registró cinco réplicas en las dos horas siguientes, la mayor de magnitud 3,9. Los pescadores de Puerto Caracoles volvieron al puerto por precaución."),
    ("es-montealegre-2", "es", "montealegre-sismo", "El Correo Nacional", "2025-03-05T20:05:00Z",
     "Doce heridos y la N-40 cortada por el terremoto frente a Puerto Caracoles",
     "Doce personas resultaron heridas, ninguna de gravedad, por el terremoto de magnitud 5,8 que "
     "se registró este miércoles frente a la costa de Montealegre. La mayoría sufrió cortes por la "
     "caída de cristales en el mercado central de Puerto Caracoles.\n"
     "La carretera N-40 permanece cortada por un desprendimiento a la altura de Punta Arenal. La "
     "gobernadora Elena Barrientos calculó que las máquinas necesitarán al menos dos días para "
     "retirar las rocas y abrió un desvío por el interior.\n"
     "La Armada descartó un tsunami. El seísmo, con epicentro a 31 kilómetros de la costa, se "
     "sintió también en la capital, donde muchos vecinos salieron a la calle.\n"
     "Los doce heridos fueron atendidos en el centro de salud de Puerto Caracoles y todos recibieron el alta antes de la medianoche. El colegio Virgen del Mar suspendió las clases de educación física hasta que se revise el gimnasio."),
    ("es-montealegre-3", "es", "montealegre-sismo", "Noticias Hoy", "2025-03-06T08:15:00Z",
     "Montealegre evalúa los daños del terremoto de 5,8",
     "Los técnicos de la provincia de Montealegre recorren desde primera hora de este jueves Puerto "
     "Caracoles y Punta Arenal para evaluar los daños del terremoto de magnitud 5,8 del miércoles, "
     "que dejó doce heridos leves.\n"
     "El gimnasio del colegio Virgen del Mar permanecerá cerrado por las grietas en sus muros, y el "
     "mercado central de Puerto Caracoles abrió con la mitad de los puestos. La carretera N-40 sigue "
     "cortada por el desprendimiento de rocas.\n"
     "\"El puerto y los barcos no sufrieron daños\", aseguró la gobernadora Elena Barrientos, que "
     "agradeció la rápida respuesta de los bomberos y de la Armada. Se registraron nueve réplicas, "
     "ninguna superior a magnitud 4.\n"
     "Barrientos anunció que solicitará ayudas al Gobierno para reparar el gimnasio y los puestos del mercado. Los comerciantes calculan pérdidas de unos 200.000 euros por la mercancía rota."),
    # --- ru: полугодовые итоги «Северного алюминия» ---
    ("ru-alum-1", "ru", "severny-alum-results", "Деловой вестник", "2025-08-26T07:30:00Z",
     "«Северный алюминий» увеличил выручку на 12%, но прибыль снизилась",
     "ПАО «Северный алюминий» по итогам первого полугодия 2025 года увеличило выручку на 12% в "
     "годовом выражении, до 184,6 млрд рублей, говорится в отчетности компании по МСФО. Чистая "
     "прибыль при этом снизилась на 8%, до 21,3 млрд рублей, из-за роста процентных расходов и "
     "тарифов на электроэнергию.\n"
     "Производство первичного алюминия на Красноярском заводе выросло на 3%, до 412 тыс. тонн. "
     "Показатель EBITDA составил 38,9 млрд рублей.\n"
     "Генеральный директор компании Андрей Климов заявил, что совет директоров рекомендовал "
     "выплатить промежуточные дивиденды в размере 4,15 рубля на акцию. Собрание акционеров "
     "пройдет 30 сентября. Акции «Северного алюминия» на Московской бирже после публикации "
     "отчетности подешевели на 1,7%.\n"
     "Аналитики отмечают, что результаты оказались немного хуже ожиданий рынка. Свободный денежный поток компании за полугодие сократился на 15% из-за увеличения капитальных вложений в модернизацию электролизных цехов."),
    ("ru-alum-2", "ru", "severny-alum-results", "Финансовая лента", "2025-08-26T09:10:00Z",
     "Прибыль «Северного алюминия» за полугодие упала до 21,3 млрд рублей",
     "Чистая прибыль «Северного алюминия» в январе–июне сократилась на 8% и составила 21,3 млрд "
     "рублей. Выручка выросла на 12%, до 184,6 млрд рублей, благодаря росту экспортных цен на "
     "металл и ослаблению рубля.\n"
     "Андрей Климов, возглавляющий компанию с 2021 года, объяснил снижение прибыли подорожанием "
     "электроэнергии для Красноярского завода и выросшей стоимостью кредитов. По его словам, "
     "компания сохраняет прогноз выпуска на весь год на уровне 830 тыс. тонн алюминия.\n"
     "Совет директоров предложил направить на промежуточные дивиденды 4,15 рубля на акцию, или "
     "около 10,6 млрд рублей. Аналитики ожидали чуть большей выплаты.\n"
     "Акции компании после публикации отчетности подешевели на 1,7%. Собрание акционеров, на котором будет утверждена выплата дивидендов, назначено на 30 сентября. Чистый долг компании на конец июня составил 64 млрд рублей."),
    ("ru-alum-3", "ru", "severny-alum-results", "Сибирские новости", "2025-08-26T12:40:00Z",
     "Красноярский завод принес «Северному алюминию» рекордный выпуск",
     "Красноярский завод «Северного алюминия» в первом полугодии выпустил 412 тыс. тонн металла — "
     "рекорд за всю историю предприятия. Об этом сообщил генеральный директор компании Андрей "
     "Климов, представляя финансовые итоги.\n"
     "Выручка компании выросла на 12%, до 184,6 млрд рублей, однако чистая прибыль снизилась на "
     "8%, до 21,3 млрд рублей. Климов назвал главной причиной рост тарифов на электроэнергию в "
     "регионе.\n"
     "Компания также рекомендовала дивиденды в 4,15 рубля на акцию и подтвердила планы по "
     "строительству новой анодной фабрики в Красноярске стоимостью 27 млрд рублей. Запуск "
     "фабрики намечен на 2027 год.\n"
     "На Красноярском заводе сейчас работают около 7 тысяч человек. Климов добавил, что во втором полугодии компания рассчитывает на стабилизацию цен на алюминий и снижение стоимости заемных средств, если Центральный банк продолжит снижать ключевую ставку."),
    # --- ru: полугодовые итоги «Волжской нефтехимии» ---
    ("ru-volga-1", "ru", "volga-petchem-results", "Деловой вестник", "2025-08-28T07:15:00Z",
     "Чистая прибыль «Волжской нефтехимии» выросла на 19%",
     "ПАО «Волжская нефтехимия» по итогам первого полугодия 2025 года увеличило чистую прибыль "
     "по МСФО на 19%, до 11,8 млрд рублей. Выручка выросла на 4%, до 97,2 млрд рублей, сообщила "
     "компания в четверг.\n"
     "Рост прибыли связан прежде всего с запуском в марте новой установки полипропилена в "
     "Тольятти мощностью 500 тыс. тонн в год. Продажи полимеров увеличились на 22%.\n"
     "Генеральный директор Ирина Савельева отметила, что компания снизила долговую нагрузку: "
     "чистый долг сократился до 1,1 EBITDA. Дивиденды за полугодие совет директоров обсудит в "
     "октябре. Акции «Волжской нефтехимии» на бирже выросли на 3,4%.\n"
     "По словам Савельевой, во втором полугодии компания рассчитывает сохранить загрузку установки в Тольятти выше 90% и увеличить экспорт полипропилена в страны Азии. Капитальные вложения за год составят около 14 млрд рублей."),
    ("ru-volga-2", "ru", "volga-petchem-results", "Финансовая лента", "2025-08-28T08:50:00Z",
     "«Волжская нефтехимия» заработала 11,8 млрд рублей за полгода",
     "Чистая прибыль «Волжской нефтехимии» за январь–июнь составила 11,8 млрд рублей, что на 19% "
     "больше, чем годом ранее. Выручка компании увеличилась на 4%, до 97,2 млрд рублей.\n"
     "Ирина Савельева, генеральный директор компании, связала результат с выходом на полную "
     "мощность установки полипропилена в Тольятти, которую запустили в марте. Компания также "
     "сократила расходы на сырье благодаря долгосрочному контракту на поставку пропана.\n"
     "Аналитики отмечают, что результаты оказались лучше консенсус-прогноза, который "
     "предполагал прибыль на уровне 10,5 млрд рублей. Решение по дивидендам ожидается в октябре.\n"
     "Чистый долг компании на конец июня снизился до 1,1 EBITDA. Акции «Волжской нефтехимии» после публикации отчетности выросли на бирже на 3,4%. Продажи полимеров в первом полугодии увеличились на 22%."),
    ("ru-volga-3", "ru", "volga-petchem-results", "Поволжье сегодня", "2025-08-28T13:05:00Z",
     "Тольяттинская установка полипропилена подняла прибыль «Волжской нефтехимии»",
     "Новая установка полипропилена в Тольятти, запущенная «Волжской нефтехимией» в марте, "
     "уже дала ощутимый эффект: продажи полимеров в первом полугодии выросли на 22%, а чистая "
     "прибыль компании — на 19%, до 11,8 млрд рублей.\n"
     "Выручка за полугодие составила 97,2 млрд рублей. Генеральный директор Ирина Савельева "
     "рассказала, что на установке работают 640 человек, из них 180 были приняты в этом году.\n"
     "До конца года компания планирует начать проектирование второй очереди производства. "
     "Совет директоров вернется к вопросу о дивидендах в октябре, уточнили в пресс-службе.\n"
     "Выручка от экспорта полипропилена выросла почти вдвое, основная часть продукции отправляется в Казахстан и Узбекистан. Савельева отметила, что компания рассматривает возможность выплаты промежуточных дивидендов."),
    # --- zh: 临河市化工园区仓库火灾 ---
    ("zh-linhe-1", "zh", "linhe-fire", "江淮日报", "2025-06-18T03:30:00Z",
     "临河市化工园区一仓库起火 3人受伤",
     "6月18日凌晨2时许，临河市化工园区内恒润化工有限公司一座仓库发生火灾。临河市应急管理局通报，"
     "事故造成3名值班人员受伤，均已送往市人民医院救治，无生命危险。\n"
     "接到报警后，临河市消防救援支队调派42辆消防车、210名指战员赶赴现场处置。由于仓库内存放有"
     "约80吨丙烯酸树脂等化工原料，火势蔓延较快，现场升起大量黑色浓烟。明火于当日上午7时许被扑灭。\n"
     "临河市生态环境局在厂区周边设置了6个空气监测点，监测结果显示各项指标未见异常。市应急管理局局长"
     "王建国表示，起火原因正在调查中，园区内其他企业已暂停危险作业，开展安全隐患排查。"),
    ("zh-linhe-2", "zh", "linhe-fire", "华东新闻网", "2025-06-18T06:45:00Z",
     "临河化工园区火灾明火已扑灭 周边空气监测未见异常",
     "记者从临河市应急管理局获悉，18日凌晨发生火灾的恒润化工有限公司仓库明火已于上午7时许扑灭，"
     "现场正在进行冷却降温处理。火灾共造成3人受伤，伤者为当晚值班的仓库管理人员，伤情稳定。\n"
     "据介绍，起火仓库面积约2000平方米，存放有丙烯酸树脂和溶剂等原料约80吨。消防部门共出动"
     "42辆消防车、210名消防员，经过约五个小时的扑救控制住火势，未波及相邻的生产车间。\n"
     "生态环境部门在周边布设的6个监测点数据显示，空气质量未受明显影响。临河市应急管理局局长王建国"
     "说，已成立事故调查组，查明起火原因后将依法依规追究相关责任。"),
    ("zh-linhe-3", "zh", "linhe-fire", "新民晚讯", "2025-06-18T11:20:00Z",
     "临河恒润化工仓库火灾：园区开展安全隐患排查",
     "18日凌晨，临河市化工园区恒润化工有限公司仓库起火，3名值班人员受伤送医。火灾发生后，临河市"
     "立即组织园区内37家企业暂停动火等危险作业，开展为期一周的安全隐患大排查。\n"
     "当天上午，附近村民反映夜间闻到刺鼻气味。临河市生态环境局回应称，6个空气监测点和周边河道"
     "水质监测均未发现超标，火灾产生的消防废水已全部收集到应急池中。\n"
     "临河市应急管理局局长王建国介绍，事发仓库存放约80吨化工原料，42辆消防车参与扑救，明火于7时"
     "许扑灭。恒润化工成立于2012年，主要生产涂料用树脂，目前已全面停产配合调查。"),
    # --- zh: 安平县新材料公司车间爆炸起火 ---
    ("zh-anping-1", "zh", "anping-fire", "江淮日报", "2025-06-20T10:15:00Z",
     "安平县一新材料企业车间爆炸起火 致2死5伤",
     "6月20日下午3时40分许，安平县经济开发区鑫泰新材料科技有限公司一车间发生爆炸并引发火灾，"
     "造成2人死亡、5人受伤。安平县人民政府新闻办公室当晚发布通报。\n"
     "事故发生后，安平县消防救援大队和周边县市共调派28辆消防车、130余名消防员赶赴现场，"
     "火势于晚上7时许得到控制。5名伤者被送往县医院救治，其中1人伤势较重。\n"
     "县委书记李明连夜赶赴现场指挥救援，要求全力救治伤员、妥善做好遇难者家属安抚工作。鑫泰新材料"
     "科技有限公司已被责令停产整顿，公司相关负责人已被警方控制。事故原因正在调查中。"),
    ("zh-anping-2", "zh", "anping-fire", "华东新闻网", "2025-06-20T13:30:00Z",
     "安平县鑫泰新材料车间爆炸事故已造成2人遇难",
     "记者从安平县应急管理局获悉，20日下午发生在安平县经济开发区的鑫泰新材料科技有限公司车间"
     "爆炸事故已造成2人遇难、5人受伤。遇难者均为当班操作工人。\n"
     "据目击者介绍，爆炸声传出数公里，车间屋顶被掀开，附近厂房的窗户玻璃也被震碎。消防部门出动"
     "28辆消防车扑救，晚上7时许明火基本被控制。\n"
     "该公司主要生产锂电池隔膜材料，2019年投产，员工约260人。安平县已成立由县长任组长的事故调查组，"
     "县委书记李明表示，将在全县开展危险化学品企业安全生产专项检查，对存在隐患的企业一律停产整改。"),
    ("zh-anping-3", "zh", "anping-fire", "新民晚讯", "2025-06-21T08:00:00Z",
     "安平县开展危化品企业安全检查 鑫泰新材料负责人被控制",
     "20日发生车间爆炸的安平县鑫泰新材料科技有限公司，其法定代表人和生产负责人已被公安机关依法"
     "控制。这起事故共造成2人死亡、5人受伤，1名重伤者仍在县医院重症监护室治疗。\n"
     "21日上午，安平县召开安全生产紧急会议。县委书记李明要求，即日起对全县68家危险化学品相关企业"
     "逐一检查，发现问题立即停产整改。经济开发区内的企业全部暂停检修和动火作业。\n"
     "初步调查显示，事发车间当时正在进行设备调试，爆炸可能与溶剂蒸气积聚有关。最终原因有待调查组"
     "结论。"),
]


def main():
    with open("languages.jsonl", "w", encoding="utf-8") as out:
        for ident, language, event, outlet, published, title, text in REPORTS:
            # No `language` field: the engine detects it.
            row = {"id": ident, "outlet": outlet,
                   "published": published, "title": title, "text": text, "event": event}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
