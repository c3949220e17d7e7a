"""Writes languages_en.jsonl: the eight events of languages.jsonl told in English (all written by
the samestory developers), one report each by an invented international outlet, labeled by the
same `event`. With languages.jsonl they measure stories linked across languages: a report here
and one there about the same event should be linked, two events of one kind should not.
Run: python3 make_languages_en.py
"""
import json

REPORTS = [
    ("en-lindenau", "lindenau-wahl", "Continental Wire", "2025-09-14T21:50:00Z",
     "Independent Katrin Vollmer wins Lindenau mayoral race outright",
     "Katrin Vollmer, an independent candidate, won the mayoral election in the German town of "
     "Lindenau on Sunday without a runoff, taking 54.3 percent of the vote according to the "
     "provisional result. Her only rival, Thomas Brandl of the Christian Democrats (CDU), received "
     "45.7 percent.\n"
     "Turnout was 48.6 percent, well above the last election eight years ago. Vollmer, 46, a lawyer "
     "in the district administration, replaces Gerhard Sommer, who did not seek a third term after "
     "16 years in office.\n"
     "During the campaign she promised a new primary school on the Mühlbach and better bus links "
     "to the villages of Oberried and Kaltental, where she won more than 60 percent. Brandl "
     "congratulated her and said he would work constructively on the council. Vollmer takes office "
     "on November 1."),
    ("en-hohenfelde", "hohenfelde-wahl", "Continental Wire", "2025-09-14T22:30:00Z",
     "Hohenfelde mayoral vote goes to runoff between Lehner and Ortmann",
     "No candidate won an absolute majority in Sunday's mayoral election in Hohenfelde, Germany. "
     "Social Democrat Markus Lehner led with 38.2 percent, ahead of Sabine Ortmann of the Free "
     "Voters with 31.7 percent. Green candidate Jonas Petersen was eliminated with 30.1 percent.\n"
     "Lehner and Ortmann will face each other in a runoff on September 28. Turnout was only 41.2 "
     "percent, the lowest ever recorded in a mayoral election in the town.\n"
     "Lehner, 52, has been the town's treasurer for ten years. Ortmann runs an engineering firm "
     "and has sat on the council since 2019. The main issue of the campaign was the future of the "
     "indoor swimming pool, whose renovation would cost 9.5 million euros. Outgoing mayor Ute "
     "Kessler did not stand again for health reasons."),
    ("en-valdelomar", "valdelomar-sismo", "Global News Service", "2025-03-03T08:40:00Z",
     "Magnitude 6.2 earthquake kills three in Valdelomar province",
     "A magnitude 6.2 earthquake struck Valdelomar province before dawn on Monday, killing at "
     "least three people and injuring 41, civil protection officials said. The quake hit at 04:17 "
     "local time, with its epicentre 23 kilometres northeast of Santa Lucía de Almagro at a depth "
     "of 15 kilometres, the National Geophysical Institute reported.\n"
     "The three victims, an elderly couple and their grandson, died when their adobe house "
     "collapsed in the San Bartolomé district, where the bell tower of the church also came down.\n"
     "Mayor Rodrigo Palacios urged residents not to return to damaged homes until engineers had "
     "inspected them and opened the municipal sports hall as a shelter for about 300 people. More "
     "than twenty aftershocks were recorded, the largest of magnitude 4.6."),
    ("en-montealegre", "montealegre-sismo", "Global News Service", "2025-03-05T19:30:00Z",
     "Offshore quake of magnitude 5.8 injures 12 in Montealegre",
     "A magnitude 5.8 earthquake shook Montealegre province at 16:42 on Wednesday, injuring twelve "
     "people, none seriously, emergency services said. The epicentre was at sea, 31 kilometres "
     "west of Puerto Caracoles, at a depth of 40 kilometres.\n"
     "A rockfall cut the N-40 coastal highway between Puerto Caracoles and Punta Arenal, trapping "
     "dozens of vehicles for two hours. Most of the injured were cut by falling glass at the "
     "central market of Puerto Caracoles.\n"
     "Governor Elena Barrientos ruled out a tsunami after consulting the navy and said clearing "
     "the road would take at least two days. Classes will resume on Thursday except at the Virgen "
     "del Mar school, whose gymnasium was cracked."),
    ("en-alum", "severny-alum-results", "Markets Daily", "2025-08-26T10:00:00Z",
     "Severny Aluminium first-half profit falls 8% despite 12% revenue rise",
     "Russian producer Severny Aluminium said on Tuesday its first-half net profit fell 8 percent "
     "to 21.3 billion roubles as higher interest costs and electricity tariffs offset a 12 percent "
     "rise in revenue to 184.6 billion roubles, under IFRS.\n"
     "Output of primary aluminium at its Krasnoyarsk smelter rose 3 percent to a record 412,000 "
     "tonnes. EBITDA was 38.9 billion roubles.\n"
     "Chief executive Andrei Klimov said the board recommended an interim dividend of 4.15 roubles "
     "per share, to be approved by shareholders on September 30. The company kept its full-year "
     "output forecast of 830,000 tonnes and confirmed plans for a new anode plant in Krasnoyarsk "
     "costing 27 billion roubles. Its shares fell 1.7 percent in Moscow."),
    ("en-volga", "volga-petchem-results", "Markets Daily", "2025-08-28T10:20:00Z",
     "Volga Petrochemicals half-year profit up 19% on new polypropylene plant",
     "Volga Petrochemicals (Volzhskaya Neftekhimiya) said on Thursday its first-half net profit "
     "rose 19 percent to 11.8 billion roubles, beating the analysts' consensus of 10.5 billion. "
     "Revenue rose 4 percent to 97.2 billion roubles.\n"
     "Chief executive Irina Savelyeva credited the new polypropylene unit in Togliatti, started in "
     "March with a capacity of 500,000 tonnes a year. Polymer sales rose 22 percent.\n"
     "Net debt fell to 1.1 times EBITDA. The board will discuss a dividend in October. The shares "
     "rose 3.4 percent in Moscow. The company employs 640 people at the Togliatti unit and plans to "
     "start designing a second line before the end of the year."),
    ("en-linhe", "linhe-fire", "Asia Desk", "2025-06-18T08:10:00Z",
     "Warehouse fire at Linhe chemical park injures three",
     "A fire broke out at about 2 a.m. on June 18 in a warehouse of Hengrun Chemical Co. in the "
     "chemical industrial park of Linhe, injuring three workers on night duty, the city's emergency "
     "management bureau said. They were taken to hospital and their lives are not in danger.\n"
     "Firefighters sent 42 fire engines and 210 personnel. The warehouse held about 80 tonnes of "
     "acrylic resin and other raw materials, and thick black smoke rose over the park. The fire "
     "was put out at about 7 a.m.\n"
     "The environment bureau set up six air monitoring points and found no abnormal readings. "
     "Wang Jianguo, head of the Linhe emergency management bureau, said the cause was under "
     "investigation and that other companies in the park had halted hazardous work."),
    ("en-anping", "anping-fire", "Asia Desk", "2025-06-20T12:45:00Z",
     "Explosion and fire at Anping materials plant kill two",
     "An explosion and fire at a workshop of Xintai New Materials Technology Co. in the Anping "
     "county economic development zone killed two people and injured five at about 3:40 p.m. on "
     "June 20, the county government said.\n"
     "Twenty-eight fire engines and more than 130 firefighters from Anping and neighbouring "
     "counties fought the blaze, which was brought under control at about 7 p.m. One of the five "
     "injured was in serious condition.\n"
     "Li Ming, the county's Communist Party secretary, ordered the company to suspend production, "
     "and police detained people in charge of the company. The plant, which makes separator "
     "material for lithium batteries, started production in 2019 and employs about 260 people."),
]


def main():
    with open("languages_en.jsonl", "w", encoding="utf-8") as out:
        for ident, event, outlet, published, title, text in REPORTS:
            row = {"id": ident, "outlet": outlet, "published": published, "title": title,
                   "text": text, "event": event}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
