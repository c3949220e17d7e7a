//! `stories`, `story` and `copies` as a reader uses them: the API's filters, header rows, counts
//! in words, times with their zone, and outlet names as stored (escapes, aliases, `unknown`).

use super::{run, stdout_json, write_jsonl};
use serde_json::json;

const QUAKE: &str = "A strong earthquake struck off the coast of northern Chile on Tuesday, \
    shaking buildings in Iquique and cutting power to thousands of homes, the national emergency \
    office said. No deaths were reported in the first hours after the quake.";
const BRIDGE: &str = "The city council voted to close the old river bridge to all traffic from \
    Monday after engineers found cracks in two of its steel supports during a routine inspection.";

/// Four articles: the quake by Reuters, reprinted word for word by `Reuters Canada` (an alias)
/// and by a blog whose name carries CSV escapes; the bridge, dated without a time and without a
/// source.
fn corpus(dir: &std::path::Path) -> String {
    let line = |id: &str, source: Option<&str>, at: &str, title: &str, text: &str| {
        let mut v = json!({"id": id, "published": at, "title": title, "text": text});
        if let Some(s) = source {
            v["source"] = json!(s);
        }
        v.to_string()
    };
    write_jsonl(
        dir,
        "news.jsonl",
        &[
            line(
                "q1",
                Some("Reuters"),
                "2024-04-01T08:15:00Z",
                "Quake hits Chile",
                QUAKE,
            ),
            line(
                "q2",
                Some("Reuters  Canada"),
                "2024-04-01T09:30:00Z",
                "Strong quake off Chile",
                QUAKE,
            ),
            line(
                "q3",
                Some("Quake Watch \\(blog\\)"),
                "2024-04-01T10:00:00Z",
                "Chile quake",
                QUAKE,
            ),
            line("b1", None, "2024-04-03", "River bridge to close", BRIDGE),
        ],
    )
}

fn text(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Ingests [`corpus`] into a new database in `dir` with the outlet map `map` (the file's text);
/// the database and what ingest answered.
fn ingest_with_map(dir: &std::path::Path, map: &str) -> (String, std::process::Output) {
    let news = corpus(dir);
    let map_file = dir.join("outlets.tsv");
    std::fs::write(&map_file, map).unwrap();
    let db = dir.join("t.db").display().to_string();
    let out = run(&[
        "ingest",
        &news,
        "--db",
        &db,
        "--outlet-map",
        map_file.to_str().unwrap(),
    ]);
    (db, out)
}

#[test]
fn stories_story_and_copies_read_as_a_person_would() {
    let dir = tempfile::tempdir().unwrap();
    let (db, ingest) = ingest_with_map(dir.path(), "# aliases\nreuters canada\tReuters\n");
    let summary = text(&ingest);
    assert!(
        summary.starts_with("stored 4 articles (2 copies, 2 new stories); 0 already stored; 0 rejected; 0 conflicts; 0 warnings;"),
        "{summary}"
    );

    // The list: a header row, largest first; every filter of the API.
    let list = |extra: &[&str]| {
        let mut args = vec!["stories", "--db", &db];
        args.extend_from_slice(extra);
        text(&run(&args))
    };
    let all = list(&[]);
    let rows: Vec<&str> = all.lines().collect();
    assert_eq!(
        rows[0], "id\tarticles\toutlets\tcopies\tpublished\theadline",
        "{all}"
    );
    assert_eq!(rows.len(), 3, "{all}");
    // Reuters and its alias are one outlet, the blog another.
    assert!(rows[1].contains("\t3\t2\t2\t"), "{all}");
    assert!(
        rows[1].contains("2024-04-01 08:15 UTC .. 2024-04-01 10:00 UTC"),
        "{all}"
    );
    // A date without a time is shown as a date, with no invented 00:00.
    assert!(
        rows[2].contains("\t2024-04-03 UTC\tRiver bridge to close"),
        "{all}"
    );
    let headlines = |out: &str| -> Vec<String> {
        out.lines()
            .skip(1)
            .map(|l| l.rsplit('\t').next().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        headlines(&list(&["--sort", "newest"]))[0],
        "River bridge to close"
    );
    // The quake is named by its representative title, not its first article's ("Quake hits
    // Chile"): each title was run by one outlet, and "Chile quake" shares the most words with
    // the other two.
    assert_eq!(headlines(&all)[0], "Chile quake");
    assert_eq!(headlines(&list(&["--outlet", "reuters"])), ["Chile quake"]);
    assert_eq!(
        headlines(&list(&["--q", "bridge"])),
        ["River bridge to close"]
    );
    assert_eq!(
        headlines(&list(&["--since", "2024-04-02"])),
        ["River bridge to close"]
    );
    assert_eq!(
        headlines(&list(&["--until", "2024-04-02"])),
        ["Chile quake"]
    );
    assert_eq!(headlines(&list(&["--min-outlets", "2"])), ["Chile quake"]);

    // The list written to a file, in the format its name asks for.
    for name in ["list.csv", "list.jsonl"] {
        let file = std::path::Path::new(&db).with_file_name(name);
        let out = run(&[
            "stories",
            "--db",
            &db,
            "--min-outlets",
            "2",
            "--output",
            file.to_str().unwrap(),
        ]);
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("1 story written to"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let written = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = written.lines().collect();
        if name.ends_with(".csv") {
            assert_eq!(lines[0], "id,size,outlets,copies,first,last,headline");
            assert!(
                lines[1].ends_with(",3,2,2,2024-04-01T08:15:00Z,2024-04-01T10:00:00Z,Chile quake"),
                "{written}"
            );
        } else {
            let story: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
            assert_eq!(
                (story["size"].as_u64(), story["headline"].as_str()),
                (Some(3), Some("Chile quake"))
            );
        }
        assert_eq!(lines.len(), if name.ends_with(".csv") { 2 } else { 1 });
    }
    let bad = run(&["stories", "--db", &db, "--since", "yesterday"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("cannot read \"yesterday\" as a time"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );

    // `story` takes an article's id; counts are in words; a missing outlet is `unknown`.
    let bridge = text(&run(&["story", "b1", "--db", &db]));
    assert!(
        bridge.contains("1 article, 1 outlet, 0 copies, 2024-04-03 UTC"),
        "{bridge}"
    );
    assert!(bridge.contains("b1\tunknown\t2024-04-03 UTC\t"), "{bridge}");
    let quake = stdout_json(&run(&["story", "q3", "--db", &db, "--json"]));
    let sources: Vec<&str> = quake["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["Reuters", "Reuters", "Quake Watch (blog)"]);
    assert_eq!(quake["story"]["outlets"], 2);
    let missing = run(&["story", "nothing-by-this-id", "--db", &db]);
    assert_eq!(missing.status.code(), Some(4));

    // `copies`: each copy with its outlet, time and title beside its original's.
    let copies = text(&run(&["copies", "--db", &db]));
    let rows: Vec<&str> = copies.lines().collect();
    assert!(
        rows[0].starts_with("copy\toutlet\tpublished\toriginal\t"),
        "{copies}"
    );
    assert_eq!(rows.len(), 3, "{copies}");
    assert!(
        rows[1].starts_with(
            "q2\tReuters\t2024-04-01 09:30 UTC\tq1\tReuters\t2024-04-01 08:15 UTC\tJ=1.00 exact\t"
        ),
        "{copies}"
    );
    assert!(rows[1].ends_with("\tStrong quake off Chile"), "{copies}");
    assert!(rows[2].starts_with("q3\tQuake Watch (blog)\t"), "{copies}");
}

#[test]
fn a_bad_outlet_map_is_refused_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let (_, out) = ingest_with_map(
        dir.path(),
        "Reuters Canada\tReuters\nReuters UK = Reuters\n",
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("outlets.tsv:2: expected `alias<TAB>outlet name`"),
        "{err}"
    );
}

/// The trial, its verdict three days later, a storm between them, and the appeal seventeen days
/// after the verdict (testdata/storylines/trial.jsonl).
fn trial_db(dir: &std::path::Path) -> String {
    let db = dir.join("t.db").display().to_string();
    let trial = super::fixture("storylines/trial.jsonl");
    text(&run(&["ingest", &trial, "--db", &db]));
    db
}

#[test]
fn a_verdict_continues_its_trial_in_one_storyline_and_the_late_appeal_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let db = trial_db(dir.path());
    let stories = stdout_json(&run(&["stories", "--db", &db, "--json"]));
    assert_eq!(stories.as_array().unwrap().len(), 4, "{stories}");
    let id_of = |article: &str| {
        stdout_json(&run(&["story", article, "--db", &db, "--json"]))["story"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (trial, verdict, storm, appeal) = (
        id_of("trial-1"),
        id_of("verdict-1"),
        id_of("storm-1"),
        id_of("appeal-1"),
    );
    assert_ne!(trial, verdict, "the verdict is a story of its own");

    let lines = text(&run(&["storylines", "--db", &db]));
    let rows: Vec<&str> = lines.lines().collect();
    assert_eq!(
        rows[0], "id\tstories\tarticles\tpublished\theadline",
        "{lines}"
    );
    assert_eq!(rows.len(), 2, "one storyline: {lines}");
    assert!(rows[1].starts_with(&format!("{trial}\t2\t5\t")), "{lines}");

    // By the storyline's id or any of its stories' ids.
    let line = stdout_json(&run(&["storyline", &verdict, "--db", &db, "--json"]));
    let members: Vec<&str> = line["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["story"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(members, [trial.as_str(), verdict.as_str()], "{line}");
    assert_eq!(line["stories"][1]["continues"][0], trial.as_str(), "{line}");
    assert!(line["stories"][1]["continues"][1].as_f64().unwrap() >= 0.3);
    let printed = text(&run(&["storyline", &trial, "--db", &db]));
    assert!(printed.contains("2 stories, 5 articles"), "{printed}");
    assert!(
        printed.contains(&format!("continues {trial} (similarity ")),
        "{printed}"
    );
    for alone in [&storm, &appeal] {
        let out = run(&["storyline", alone, "--db", &db]);
        assert_eq!(out.status.code(), Some(4), "{alone} is in no storyline");
    }
}

#[test]
fn eval_scores_storylines_against_their_labels() {
    let trial = super::fixture("storylines/trial.jsonl");
    let v = stdout_json(&run(&[
        "eval",
        &trial,
        "--label",
        "storyline",
        "--storylines",
        "--json",
    ]));
    // Stories split the trial's storyline in two; storylines put it back together.
    assert_eq!(v["stories"], 4, "{v}");
    assert!(v["bcubed"]["recall"].as_f64().unwrap() < 0.9, "{v}");
    assert_eq!(v["storylines"]["stories"], 3, "{v}");
    assert_eq!(v["storylines"]["bcubed"]["precision"], 1.0, "{v}");
    assert_eq!(v["storylines"]["bcubed"]["recall"], 1.0, "{v}");
}

const BRIDGE_DE: &str =
    "Der Stadtrat hat am Montag beschlossen, die alte Brücke über den Fluss für \
    den gesamten Verkehr zu sperren, nachdem Ingenieure bei einer Routineprüfung Risse in zwei \
    ihrer Stahlstützen gefunden hatten. Die Sperrung gilt bis auf Weiteres.";

/// Issue 22: each article's language is stored and shown; the input's own field wins over the
/// text (b2 is German but says `fr`), a field that is no language tag is a warning naming the
/// file, line and field and the text decides, and `stories --language` keeps the stories with an
/// article in that language (`de-AT` read as `de`; a word that is no tag refused).
#[test]
fn languages_are_stored_shown_and_filtered() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("news.db").to_string_lossy().into_owned();
    let file = write_jsonl(
        dir.path(),
        "languages.jsonl",
        &[
            json!({"id": "q1", "title": "Quake hits Chile", "text": QUAKE}).to_string(),
            json!({"id": "b1", "title": "Brücke gesperrt", "text": BRIDGE_DE, "language": "German"})
                .to_string(),
            json!({"id": "b2", "title": "Brücke zu", "text": BRIDGE_DE.replace("Montag", "Dienstag"), "lang": "fr"})
                .to_string(),
        ],
    );
    let out = run(&["ingest", &file, "--db", &db]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("languages.jsonl:2: field `language`: \"German\" is no language tag"),
        "{stderr}"
    );
    let language = |id: &str| {
        let v = stdout_json(&run(&["story", id, "--db", &db, "--json"]));
        let a = v["articles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .cloned();
        a.unwrap()["language"].clone()
    };
    assert_eq!(language("q1"), "en");
    assert_eq!(language("b1"), "de");
    assert_eq!(language("b2"), "fr");
    assert!(
        text(&run(&["story", "q1", "--db", &db])).contains("q1\tunknown\t-\ten\tQuake hits Chile")
    );

    let stories = |code: &str| -> Vec<String> {
        let v = stdout_json(&run(&[
            "stories",
            "--db",
            &db,
            "--language",
            code,
            "--json",
        ]));
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s["headline"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(stories("en"), ["Quake hits Chile"]);
    assert_eq!(stories("de-AT").len(), 1);
    assert!(stories("ja").is_empty());
    let bad = run(&["stories", "--db", &db, "--language", "German"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("cannot read \"German\" as a language"));
}
