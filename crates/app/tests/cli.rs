//! The binary end to end: real files in, a real SQLite file, real output.

#[path = "cli/listing.rs"]
mod listing;
#[path = "cli/pages.rs"]
mod pages;
// The engine's test helpers: the xorshift Rng, reading `../shared` or skipping.
#[allow(dead_code)]
#[path = "../../engine/tests/support/mod.rs"]
mod support;

use samestory_store::Store;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_samestory"))
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(rel: &str) -> String {
    root().join("testdata").join(rel).display().to_string()
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("runs")
}

/// The strings of a JSON array.
fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

fn stdout_json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn shared_example() -> Option<(String, String)> {
    let dir = support::shared_or_skip("examples/same-event")?;
    let a = dir.join("000_442a550e561fbf62.txt").display().to_string();
    let b = dir.join("001_ef0239c1efbde0f8.txt").display().to_string();
    Some((a, b))
}

#[test]
fn canonical_pair_is_same_story_not_copy() {
    let Some((a, b)) = shared_example() else {
        return;
    };
    let out = run(&["compare", &a, &b, "--json", "--db", "/nonexistent/none.db"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = stdout_json(&out);
    assert_eq!(v["same_story"], true, "{v}");
    assert_eq!(v["copy"], false, "{v}");
    let names: Vec<&str> = strings(&v["evidence"]["names"]);
    assert!(
        names.contains(&"Putin") && names.contains(&"Biden"),
        "{names:?}"
    );
}

#[test]
fn canonical_pair_cleaning() {
    let Some((a, b)) = shared_example() else {
        return;
    };
    let ca = stdout_json(&run(&["clean", &a, "--json"]));
    let cb = stdout_json(&run(&["clean", &b, "--json"]));
    let removed = |v: &Value| -> Vec<(String, String)> {
        v["removals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["reason"].as_str().unwrap().to_owned(),
                    r["text"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let (ra, rb) = (removed(&ca), removed(&cb));
    assert!(
        ra.contains(&("leading_metadata".into(), "date 2022-02-13".into())),
        "{ra:?}"
    );
    assert!(
        ra.contains(&("image_credit".into(), "Image: AP".into())),
        "{ra:?}"
    );
    assert_eq!(ca["published"], 1_644_710_400);
    assert!(
        rb.contains(&("dateline".into(), "WASHINGTON:".into())),
        "{rb:?}"
    );
    assert!(
        rb.iter()
            .any(|(why, t)| why == "related_headline" && t.starts_with("Blinken says")),
        "{rb:?}"
    );
    // The subheading of the first article is developed by its next paragraph: kept.
    assert!(ca["text"]
        .as_str()
        .unwrap()
        .contains("Biden was ‘very direct’ with Putin"));
    assert_eq!(ra.len() + rb.len(), 4, "{ra:?} {rb:?}");
}

#[test]
fn wire_reprint_is_a_copy_and_other_quake_is_another_story() {
    let (orig, reprint) = (
        fixture("articles/wire_original.txt"),
        fixture("articles/wire_reprint.txt"),
    );
    let v = stdout_json(&run(&[
        "compare",
        &orig,
        &reprint,
        "--json",
        "--db",
        "/nonexistent/none.db",
    ]));
    assert_eq!(v["copy"], true, "{v}");
    assert_eq!(v["same_story"], true, "{v}");
    assert!(
        v["jaccard"].as_f64().unwrap() >= 0.8 && v["jaccard"].as_f64().unwrap() < 1.0,
        "{v}"
    );

    let v = stdout_json(&run(&[
        "compare",
        &fixture("articles/quake_chile.txt"),
        &fixture("articles/quake_nepal.txt"),
        "--json",
        "--db",
        "/nonexistent/none.db",
    ]));
    assert_eq!(v["copy"], false, "{v}");
    assert_eq!(v["same_story"], false, "{v}");
}

#[test]
fn ingest_store_query_and_reingest_is_a_noop() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db").display().to_string();
    let articles = fixture("articles");
    let out = run(&["ingest", &articles, "--db", &db, "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let summary = &lines.last().unwrap()["summary"];
    assert_eq!(summary["stored"], 4);
    assert_eq!(summary["copies"], 1);
    let reprint = lines.iter().find(|l| l["id"] == "wire_reprint").unwrap();
    assert_eq!(reprint["copy_of"], "wire_original");

    let stories = stdout_json(&run(&["stories", "--db", &db, "--json"]));
    assert_eq!(stories.as_array().unwrap().len(), 3, "{stories}");
    let biggest = &stories[0];
    assert_eq!(biggest["size"], 2);
    assert_eq!(biggest["copies"], 1);
    let story = stdout_json(&run(&[
        "story",
        biggest["id"].as_str().unwrap(),
        "--db",
        &db,
        "--json",
    ]));
    assert_eq!(story["articles"].as_array().unwrap().len(), 2);
    let copies = stdout_json(&run(&["copies", "--db", &db, "--json"]));
    assert_eq!(copies[0]["original"], "wire_original");

    // Compare two stored ids.
    let v = stdout_json(&run(&[
        "compare",
        "quake_chile",
        "quake_nepal",
        "--db",
        &db,
        "--json",
    ]));
    assert_eq!(v["same_story"], false);

    let again = run(&["ingest", &articles, "--db", &db, "--json"]);
    let last: Value = serde_json::from_str(
        String::from_utf8_lossy(&again.stdout)
            .lines()
            .last()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(last["summary"]["stored"], 0);
    assert_eq!(last["summary"]["already_stored"], 4);
    let stories_after = stdout_json(&run(&["stories", "--db", &db, "--json"]));
    assert_eq!(stories, stories_after);

    let missing = run(&["story", "s-nope", "--db", &db]);
    assert_eq!(missing.status.code(), Some(4));
}

#[test]
fn bad_input_is_reported_and_the_rest_goes_through() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db").display().to_string();
    let huge = dir.path().join("huge.jsonl");
    let big_text = "word ".repeat(10 * 1024 * 1024); // 50 MB
    std::fs::write(
        &huge,
        format!("{{\"id\":\"huge\",\"text\":\"{big_text}\"}}\n{{\"id\":\"after-huge\",\"text\":\"A small article after the huge one.\"}}\n"),
    )
    .unwrap();
    let huge = huge.display().to_string();
    let out = run(&["ingest", &fixture("bad"), &huge, "--db", &db, "--json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    for expected in [
        "mixed.jsonl:2: malformed JSON",
        "mixed.jsonl:3: missing field `text`",
        "invalid_utf8.jsonl:1: invalid UTF-8",
        "invalid_utf8.jsonl:2: field `published`",
        "empty.jsonl: file is empty",
        "binary.jsonl:1: binary data",
        "rows.csv:4: ",
        "huge.jsonl:1: record is",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
    let last: Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().last().unwrap()).unwrap();
    // ok-1, ok-2, ok-3, two CSV headlines, after-huge.
    assert_eq!(last["summary"]["stored"], 6, "{last}\n{stderr}");
    assert_eq!(last["summary"]["rejected"], 7, "{last}\n{stderr}");
}

/// Issue 20: a line `[1,1,…]` of millions of items printed one error per item (15.6 million
/// stderr lines for six lines) and held them all in memory; a file of bad lines printed every one.
#[test]
fn floods_of_bad_records_print_a_bounded_number_of_lines() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db").display().to_string();
    let flood = dir.path().join("flood.jsonl");
    let ones = vec!["1"; 200_000].join(",");
    let mut text = format!("[{ones}]\n");
    text.push_str(&"7\n".repeat(300));
    text.push_str("{\"id\": \"good\", \"text\": \"One good article among the bad ones.\"}\n");
    std::fs::write(&flood, text).unwrap();
    let out = run(&[
        "ingest",
        &flood.display().to_string(),
        "--db",
        &db,
        "--json",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(lines.len() <= 110, "{} stderr lines", lines.len());
    assert!(
        lines[0].ends_with(
            "flood.jsonl:1: array items 1 to 200000 (200000 items) are not JSON objects (the first is a number)"
        ),
        "{}",
        lines[0]
    );
    assert!(
        stderr.contains("flood.jsonl: 201 more errors not shown (301 in all"),
        "{stderr}"
    );
    let last: Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().last().unwrap()).unwrap();
    assert_eq!(last["summary"]["stored"], 1, "{last}");
    assert_eq!(last["summary"]["rejected"], 301, "{last}");
}

#[test]
fn stdin_and_gzip_inputs() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db").display().to_string();
    let gz = dir.path().join("a.jsonl.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    writeln!(
        enc,
        "{{\"id\":\"gz-1\",\"content\":\"Gzipped article text about a harbour.\"}}"
    )
    .unwrap();
    enc.finish().unwrap();
    let out = run(&["ingest", gz.to_str().unwrap(), "--db", &db]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut child = bin()
        .args(["ingest", "-", "--db", &db, "--json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"id\":\"in-1\",\"text\":\"From standard input.\"}\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"stored\":1"));
    let v = stdout_json(&run(&["stories", "--db", &db, "--json"]));
    assert_eq!(v.as_array().unwrap().len(), 2);
}

/// A deterministic corpus of `n` articles in `stories` stories, some of them copies.
fn synthetic_corpus(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        let story = i / 5;
        let body: String = (0..120)
            .map(|w| format!("s{story}w{} ", (w * 7 + i % 3) % 150))
            .collect();
        s.push_str(&format!(
            "{{\"id\":\"a{i}\",\"title\":\"Story {story} event\",\"published\":{},\"text\":\"{body}\"}}\n",
            1_600_000_000 + i as i64 * 60
        ));
    }
    s
}

#[test]
fn killed_ingest_resumes_with_every_article_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let corpus = dir.path().join("c.jsonl");
    let n = 20_000;
    std::fs::write(&corpus, synthetic_corpus(n)).unwrap();
    let mut child = bin()
        .args([
            "ingest",
            corpus.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
            "--batch",
            "200",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until some batches are committed, then kill it mid-stream.
    let started = std::time::Instant::now();
    loop {
        std::thread::sleep(std::time::Duration::from_millis(20));
        let count = stored_count(&db);
        if count > 0 || started.elapsed().as_secs() > 60 {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let partial = stored_count(&db);
    assert!(partial > 0, "nothing was committed before the kill");
    assert!(
        partial < n as i64,
        "the ingest finished before it could be killed"
    );
    let out = run(&[
        "ingest",
        corpus.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--json",
    ]);
    assert!(out.status.success());
    // Ids are unique in the store: n articles, each id there, is each article exactly once.
    assert_eq!(stored_count(&db), n as i64);
    let store = Store::open_read_only(&db).unwrap();
    assert!((0..n).all(|i| store.contains(&format!("a{i}")).unwrap()));
    assert!(store.check().unwrap().is_sound());
}

/// The articles stored in `db`; 0 while it cannot be read yet.
fn stored_count(db: &Path) -> i64 {
    Store::open_read_only(db)
        .and_then(|s| s.article_count())
        .map_or(0, |n| n as i64)
}

#[test]
fn story_shows_shared_quotes_with_speakers() {
    let Some((a, b)) = shared_example() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db").display().to_string();
    assert!(run(&["ingest", &a, &b, "--db", &db]).status.success());
    let stories = stdout_json(&run(&["stories", "--db", &db, "--json"]));
    assert_eq!(stories.as_array().unwrap().len(), 1, "{stories}");
    let id = stories[0]["id"].as_str().unwrap();
    for _ in 0..2 {
        // The second call is answered from the analysis cache and must say the same.
        let v = stdout_json(&run(&["story", id, "--db", &db, "--json"]));
        let quotes = v["analysis"]["quotes"].as_array().unwrap();
        let find = |needle: &str| {
            quotes
                .iter()
                .find(|q| q["canonical"].as_str().unwrap().contains(needle))
                .unwrap_or_else(|| panic!("no quote with {needle:?} in {quotes:?}"))
        };
        for needle in [
            "professional and substantive",
            "stakes of this are too high",
            "prospect",
        ] {
            let q = find(needle);
            assert!(
                q["speaker"].as_str().unwrap_or("").contains("official"),
                "{q}"
            );
            assert_eq!(q["outlets"].as_array().unwrap().len(), 2, "{q}");
        }
        assert!(find("prospect")["variants"].as_array().unwrap().len() >= 2);
    }
    let text = String::from_utf8(run(&["story", id, "--db", &db]).stdout).unwrap();
    assert!(
        text.contains("shared quotes") && text.contains("what each outlet alone reports"),
        "{text}"
    );
}

#[test]
fn dedup_batch_mode_keeps_originals_and_writes_families() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let line = |(id, day, words): &(&str, u32, String)| {
        format!("{{\"id\":\"{id}\",\"published\":\"2024-01-{day:02}\",\"text\":\"{words}\"}}\n")
    };
    // The near copy comes first in the file but was published later: the original is `orig`.
    let body: String = copy_family_corpus().iter().map(line).collect();
    std::fs::write(&input, format!("{body}not json\n")).unwrap();
    let (kept, clusters) = (dir.path().join("kept.jsonl"), dir.path().join("c.jsonl"));
    let out = run(&[
        "dedup",
        input.to_str().unwrap(),
        "--output",
        kept.to_str().unwrap(),
        "--clusters",
        clusters.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("in.jsonl:5: malformed JSON"));
    let kept_ids = kept_ids(&kept);
    assert_eq!(kept_ids, ["orig", "other"]);
    let families: Vec<Value> = std::fs::read_to_string(&clusters)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(families.len(), 1);
    assert_eq!(families[0]["original"], "orig");
    let mut members: Vec<&str> = strings(&families[0]["members"]);
    members.sort_unstable();
    assert_eq!(members, ["exact", "near", "orig"]);
    // Three pairs, each with its exact Jaccard: 1.0 for the exact copy, below 1 for the near one.
    let pairs = families[0]["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 3);
    assert!(pairs.iter().all(|p| p[2].as_f64().unwrap() >= 0.8));
    assert!(pairs.iter().any(|p| p[2].as_f64().unwrap() == 1.0));
}

/// Two near copies of one text and an unrelated one, with dates: (id, day, words).
fn copy_family_corpus() -> Vec<(&'static str, u32, String)> {
    let base: Vec<String> = (0..200).map(|i| format!("w{}", (i * 37) % 211)).collect();
    let mut near = base.clone();
    near[100] = "changed".into();
    let other: Vec<String> = (0..200).map(|i| format!("x{}", (i * 13) % 199)).collect();
    vec![
        ("near", 3, near.join(" ")),
        ("orig", 1, base.join(" ")),
        ("other", 2, other.join(" ")),
        ("exact", 4, base.join(" ")),
    ]
}

/// The ids of the articles in a `dedup --output` file, in order.
fn kept_ids(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

/// Sorted member lists of the families in a `dedup --clusters` file.
fn dedup_families(path: &Path) -> Vec<Vec<String>> {
    let mut families: Vec<Vec<String>> = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let mut m: Vec<String> = v["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m.as_str().unwrap().to_owned())
                .collect();
            m.sort_unstable();
            m
        })
        .collect();
    families.sort_unstable();
    families
}

/// Issue 22: in each language of `testdata/languages/copies.jsonl` (eleven, in ten scripts, among
/// them Chinese, Japanese, Thai, Arabic, Russian and Hindi) the reprint (a new dateline and one
/// sentence changed) is found as a copy of its original, by `dedup` over the whole file (LSH
/// candidates, then the exact Jaccard) and by `ingest` (the online copy window), and another
/// article of the same outlet, or any article of another language, is not.
#[test]
fn copies_are_found_in_eleven_languages_by_dedup_and_by_ingest() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("languages/copies.jsonl");
    let languages: std::collections::BTreeSet<String> = std::fs::read_to_string(&input)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["language"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(languages.len(), 11, "{languages:?}");
    let expected: Vec<Vec<String>> = languages
        .iter()
        .map(|l| vec![format!("{l}_original"), format!("{l}_reprint")])
        .collect();

    let clusters = dir.path().join("families.jsonl");
    let out = run(&["dedup", &input, "--clusters", clusters.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(dedup_families(&clusters), expected, "dedup");

    let db = dir.path().join("s.db");
    let out = run(&["ingest", "--db", db.to_str().unwrap(), &input]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let copies = stdout_json(&run(&["copies", "--db", db.to_str().unwrap(), "--json"]));
    let mut online: Vec<Vec<String>> = copies
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let mut pair = vec![
                c["original"].as_str().unwrap().to_owned(),
                c["id"].as_str().unwrap().to_owned(),
            ];
            pair.sort_unstable();
            pair
        })
        .collect();
    online.sort_unstable();
    assert_eq!(online, expected, "ingest");
}

#[test]
fn dedup_reads_maintext_and_doc_id_as_cluster_and_ingest_do() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = copy_family_corpus();
    let write = |name: &str, id: &str, date: &str, text: &str| {
        let lines: Vec<String> = corpus
            .iter()
            .map(|(i, day, words)| {
                serde_json::json!({id: i, date: format!("2024-01-{day:02}"), text: words})
                    .to_string()
            })
            .collect();
        write_jsonl(dir.path(), name, &lines)
    };
    let other_names = write("m.jsonl", "doc_id", "date", "maintext");
    let plain = write("t.jsonl", "id", "published", "text");
    let dedup = |input: &str, name: &str| {
        let clusters = dir.path().join(name);
        let out = run(&["dedup", input, "--clusters", clusters.to_str().unwrap()]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        clusters
    };
    let (m, t) = (dedup(&other_names, "m.out"), dedup(&plain, "t.out"));
    assert_eq!(
        std::fs::read_to_string(&m).unwrap(),
        std::fs::read_to_string(&t).unwrap(),
        "the field names change nothing"
    );
    let families = dedup_families(&m);
    assert_eq!(families, [["exact", "near", "orig"]]);

    // The copy families of the online pipeline, over the same file: ingest's copies, joined.
    let db = dir.path().join("s.db");
    let out = run(&["ingest", "--db", db.to_str().unwrap(), &other_names]);
    assert_eq!(out.status.code(), Some(0));
    let copies = stdout_json(&run(&["copies", "--db", db.to_str().unwrap(), "--json"]));
    let mut online: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for c in copies.as_array().unwrap() {
        let original = c["original"].as_str().unwrap().to_owned();
        online
            .entry(original.clone())
            .or_insert_with(|| vec![original])
            .push(c["id"].as_str().unwrap().to_owned());
    }
    let mut online: Vec<Vec<String>> = online.into_values().collect();
    online.iter_mut().for_each(|f| f.sort_unstable());
    assert_eq!(online, families);

    // `cluster` reads the same ids and puts each family in one story, apart from the rest.
    let out = run(&["cluster", &other_names]);
    assert_eq!(out.status.code(), Some(0));
    let story: std::collections::HashMap<String, String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let (id, s) = l.split_once('\t').unwrap();
            (id.to_owned(), s.to_owned())
        })
        .collect();
    assert_eq!(story.len(), 4, "{story:?}");
    assert!(families[0].iter().all(|id| story[id] == story["orig"]));
    assert_ne!(story["other"], story["orig"]);
}

#[test]
fn dedup_takes_every_format_and_a_text_field() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = copy_family_corpus();
    // A directory: a CSV whose text is in `story_text` and a plain text file; a gzipped JSONL.
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    let mut csv = String::from("id,published,story_text\n");
    for (id, day, words) in &corpus[..2] {
        csv.push_str(&format!("{id},2024-01-{day:02},{words}\n"));
    }
    std::fs::write(inputs.join("a.csv"), csv).unwrap();
    std::fs::write(inputs.join("other.txt"), &corpus[2].2).unwrap();
    let gz = dir.path().join("b.jsonl.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::default(),
    );
    let (id, day, words) = &corpus[3];
    let line =
        serde_json::json!({"id": id, "date": format!("2024-01-{day:02}"), "story_text": words});
    std::io::Write::write_all(
        &mut enc,
        format!("{line}\n{{\"id\": \"bad\"}}\n").as_bytes(),
    )
    .unwrap();
    enc.finish().unwrap();
    let (kept, clusters) = (dir.path().join("kept.jsonl"), dir.path().join("c.jsonl"));
    let out = run(&[
        "dedup",
        inputs.to_str().unwrap(),
        gz.to_str().unwrap(),
        "--text-field",
        "story_text",
        "--output",
        kept.to_str().unwrap(),
        "--clusters",
        clusters.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("b.jsonl.gz:2: missing field `story_text`"),
        "{stderr}"
    );
    assert_eq!(dedup_families(&clusters), [["exact", "near", "orig"]]);
    let kept_ids = kept_ids(&kept);
    assert_eq!(
        kept_ids,
        ["orig", "other"],
        "the text file's id is its name"
    );
}

/// Story quality on the real labelled data sets, when `../shared/data` is there. The figures
/// asserted are the plain TF-IDF single-pass floor of each set (see BENCHMARKS.md): the engine
/// must never fall below what the simplest clusterer reaches.
#[test]
fn eval_on_shared_data_beats_the_tfidf_floor() {
    let Some(data) = support::shared_or_skip("data") else {
        return;
    };
    let cases: [(&str, &[&str], f64); 4] = [
        ("basil/basil_dev.jsonl", &["--label", "triplet_id"], 0.98),
        (
            "basil/basil_dev.jsonl",
            &["--label", "triplet_id", "--ignore-dates"],
            0.927,
        ),
        (
            "ecbplus/ecbplus_train_dev.jsonl",
            &["--label", "subtopic"],
            0.826,
        ),
        (
            "uci-headlines/uci-news-aggregator.first6366.csv",
            &["--label", "STORY", "--text-field", "TITLE"],
            0.701,
        ),
    ];
    for (file, args, floor) in cases {
        let path = data.join(file).display().to_string();
        let mut all = vec!["eval", path.as_str(), "--json"];
        all.extend_from_slice(args);
        let v = stdout_json(&run(&all));
        let f1 = v["bcubed"]["f1"].as_f64().unwrap();
        assert!(
            f1 >= floor,
            "{file} {args:?}: B-cubed F1 {f1} below {floor}"
        );
        assert!(v["ari"].as_f64().unwrap() > 0.5, "{v}");
    }
}

/// The outlet and copy counts kept on each story (schema 3) equal a count over its articles, after
/// ingests in many batches. (Migration 3 filling them in for an older database is the store's
/// test `every_older_schema_migrates_to_the_newest_with_its_rows`.)
#[test]
fn story_counts_are_kept_through_batches() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let corpus = dir.path().join("c.jsonl");
    std::fs::write(&corpus, synthetic_corpus(300)).unwrap();
    let out = run(&[
        "ingest",
        corpus.to_str().unwrap(),
        &fixture("articles"),
        "--db",
        db.to_str().unwrap(),
        "--batch",
        "7",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = Store::open_read_only(&db).unwrap();
    let found = store.check().unwrap();
    assert_eq!(
        found.miscounted_stories, 0,
        "every story's counts are right"
    );
    assert!(found.is_sound(), "{found:?}");
    let stories = store.stories(usize::MAX).unwrap();
    assert_eq!(stories.len() as u64, store.story_count().unwrap());
    let copies: u64 = stories.iter().map(|s| s.copies).sum();
    let outlets: u64 = stories.iter().map(|s| s.outlets).sum();
    assert!(
        copies > 0 && outlets >= stories.len() as u64,
        "{copies} copies, {outlets} outlets"
    );
}

/// One JSONL line of a dated article.
fn dated_article(id: &str, at: &str, title: &str, text: &str) -> String {
    serde_json::json!({"id": id, "published": at, "title": title, "text": text}).to_string()
}

/// An article of another subject, published on 20 April 2024: the newest one when it is ingested.
fn rates_on_20_april() -> String {
    dated_article(
        "rates",
        "2024-04-20T12:00:00Z",
        "Bank of England holds rates",
        "The Bank of England held its main interest rate at 5.25 percent, Governor Andrew Bailey \
         said, as inflation in Britain fell faster than expected.",
    )
}

/// Writes JSONL lines to `name` in `dir`; returns the path.
fn write_jsonl(dir: &Path, name: &str, lines: &[String]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n")).unwrap();
    path.display().to_string()
}

#[test]
fn a_late_article_brings_back_the_cold_story_it_belongs_to() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db").display().to_string();
    let article = dated_article;
    let quake =
        "A magnitude 8.2 earthquake struck off the coast of northern Chile near the mining \
                 port of Iquique, setting off a tsunami warning along the Pacific coast. Interior \
                 Minister Rodrigo Penailillo said six people had died. President Michelle Bachelet \
                 declared the north a disaster zone and sent troops to Iquique and Arica.";
    let first = [
        article(
            "q1",
            "2024-04-01T23:00:00Z",
            "Magnitude 8.2 quake strikes off Chile",
            quake,
        ),
        article(
            "q2",
            "2024-04-02T03:00:00Z",
            "Chile quake near Iquique kills six, tsunami warning lifted",
            "Six people died after the magnitude 8.2 earthquake off northern Chile, Interior \
             Minister Rodrigo Penailillo said. Michelle Bachelet declared a disaster zone; the \
             tsunami warning for Iquique and Arica was lifted in the morning.",
        ),
        rates_on_20_april(),
    ];
    let path1 = write_jsonl(dir.path(), "first.jsonl", &first);
    let out = run(&["ingest", &path1, "--db", &db, "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = |out: &Output| -> Vec<Value> {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let first_lines = lines(&out);
    let quake_story = first_lines[0]["story"].clone();
    assert_eq!(first_lines[1]["story"], quake_story, "{first_lines:?}");

    // Restarted, the engine holds only stories warm at 20 April; the quake story went cold
    // there. An article published on 2 April arrives late and must still find it.
    let late = article(
        "q3",
        "2024-04-02T09:00:00Z",
        "Iquique counts the damage after Chile earthquake",
        "In Iquique, residents returned after the tsunami warning. The magnitude 8.2 earthquake \
         off northern Chile killed six, Interior Minister Rodrigo Penailillo said, and President \
         Michelle Bachelet visited Arica.",
    );
    let path2 = write_jsonl(dir.path(), "late.jsonl", &[late]);
    let out = run(&["ingest", &path2, "--db", &db, "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let late_line = &lines(&out)[0];
    assert_eq!(late_line["id"], "q3");
    assert_eq!(late_line["story"], quake_story, "{late_line}");
    assert_eq!(late_line["new_story"], false, "{late_line}");
    let story = stdout_json(&run(&[
        "story",
        quake_story.as_str().unwrap(),
        "--db",
        &db,
        "--json",
    ]));
    assert_eq!(story["articles"].as_array().unwrap().len(), 3, "{story}");
}

#[test]
fn an_exact_copy_counts_in_its_story_after_the_story_left_memory() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db").display().to_string();
    let article = |id: &str, at: &str, text: &str| dated_article(id, at, "Quake off Chile", text);
    let quake =
        "A magnitude 8.2 earthquake struck off the coast of northern Chile near the mining \
                 port of Iquique, setting off a tsunami warning along the Pacific coast.";
    let first = [
        article("q1", "2024-04-01T23:00:00Z", quake),
        rates_on_20_april(),
    ];
    let path1 = write_jsonl(dir.path(), "first.jsonl", &first);
    assert!(run(&["ingest", &path1, "--db", &db]).status.success());
    // Restarted, the quake story is cold and left memory; a reprint of q1 is an exact copy.
    let reprint = article("q1-reprint", "2024-04-21T08:00:00Z", quake);
    let path2 = write_jsonl(dir.path(), "reprint.jsonl", &[reprint]);
    let out = run(&["ingest", &path2, "--db", &db, "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line: Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().next().unwrap()).unwrap();
    assert_eq!(line["copy_of"], "q1", "{line}");
    let stories = stdout_json(&run(&["stories", "--db", &db, "--json"]));
    let quake_story = stories
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == line["story"])
        .unwrap_or_else(|| panic!("{stories}"));
    assert_eq!(quake_story["size"], 2, "{quake_story}");
}

#[test]
fn near_copies_are_looked_for_inside_the_copy_window() {
    let dir = tempfile::tempdir().unwrap();
    let text = |last: &str| {
        format!(
            "The regional council voted on Tuesday to close the old harbour bridge for repairs \
             after inspectors found cracks in two of its supporting pillars, a spokesman said. \
             Traffic will be diverted through the northern ring road for at least six months, \
             and ferries will run every twenty minutes during the morning and evening {last}."
        )
    };
    // The original on 1 March, 4,095 articles of other subjects on 11 March (the copy window is
    // applied every 4,096 documents), then a reprint with one word changed, still on 11 March.
    let mut lines = vec![dated_article(
        "bridge",
        "2024-03-01T08:00:00Z",
        "Harbour bridge to close",
        &text("rush hours"),
    )];
    for i in 0..4_095 {
        lines.push(dated_article(
            &format!("other{i}"),
            "2024-03-11T08:00:00Z",
            &format!("Item {i}"),
            &format!("Note {i} about topic{i} and matter{i} with detail{i} for reader{i} today."),
        ));
    }
    lines.push(dated_article(
        "reprint",
        "2024-03-11T09:00:00Z",
        "Harbour bridge to close for repairs",
        &text("peak hours"),
    ));
    let input = write_jsonl(dir.path(), "in.jsonl", &lines);
    let copy_of_reprint = |extra: &[&str]| -> Value {
        let db = dir
            .path()
            .join(format!("w{}.db", extra.len()))
            .display()
            .to_string();
        let mut args = vec!["ingest", &input, "--db", &db, "--json"];
        args.extend_from_slice(extra);
        let out = run(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let last = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .find(|v| v["id"] == "reprint")
            .expect("the reprint's line");
        last["copy_of"].clone()
    };
    // Ten days apart: a near copy inside the default 30-day window, not inside a 5-day one.
    assert_eq!(copy_of_reprint(&[]), "bridge");
    assert_eq!(copy_of_reprint(&["--copy-window-days", "5"]), Value::Null);
    for bad in ["-3", "NaN", "inf"] {
        let out = run(&["cluster", &input, &format!("--copy-window-days={bad}")]);
        assert_eq!(out.status.code(), Some(2), "{bad} is refused");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--copy-window-days"), "{err}");
    }
}

#[test]
fn exact_copies_of_articles_that_left_the_copy_window_are_still_found() {
    let dir = tempfile::tempdir().unwrap();
    let text = "The regional council voted on Tuesday to close the old harbour bridge for repairs \
                after inspectors found cracks in two of its supporting pillars, a spokesman said. \
                Traffic will be diverted through the northern ring road for at least six months.";
    // The original on 1 March, then 4,095 articles of other subjects on 11 March: with a 5-day
    // copy window the original has left memory by the end of the first file.
    let mut first = vec![dated_article(
        "bridge",
        "2024-03-01T08:00:00Z",
        "Harbour bridge to close",
        text,
    )];
    for i in 0..4_095 {
        first.push(dated_article(
            &format!("other{i}"),
            "2024-03-11T08:00:00Z",
            &format!("Item {i}"),
            &format!("Note {i} about topic{i} and matter{i} with detail{i} for reader{i} today."),
        ));
    }
    let reprint = |id: &str| dated_article(id, "2024-03-11T09:00:00Z", "Bridge to close", text);
    let mut one_run = first.clone();
    one_run.push(reprint("reprint"));
    let copy_of = |name: &str, lines: &[String], db: &str| -> Vec<(String, Value)> {
        let input = write_jsonl(dir.path(), name, lines);
        let db = dir.path().join(db).display().to_string();
        let out = run(&[
            "ingest",
            &input,
            "--db",
            &db,
            "--json",
            "--copy-window-days",
            "5",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .filter(|v| v["id"].as_str().is_some_and(|id| id.starts_with("reprint")))
            .map(|v| (v["id"].as_str().unwrap().to_string(), v["copy_of"].clone()))
            .collect()
    };
    // In one run.
    assert_eq!(
        copy_of("one.jsonl", &one_run, "one.db"),
        vec![("reprint".to_string(), Value::from("bridge"))]
    );
    // After a restart, which restores the archive of exact hashes from the store.
    assert!(copy_of("first.jsonl", &first, "two.db").is_empty());
    assert_eq!(
        copy_of("second.jsonl", &[reprint("reprint2")], "two.db"),
        vec![("reprint2".to_string(), Value::from("bridge"))]
    );
}

#[test]
fn stories_spilled_beyond_the_memory_budget_give_the_same_answers() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, synthetic_corpus(600)).unwrap();
    let input = input.to_str().unwrap();
    // With no memory for story vectors, every story but the last joined waits in the spill.
    let cluster = |mib: &str| {
        let out = run(&["cluster", input, "--story-memory-mib", mib]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let kept = cluster("64");
    assert_eq!(kept.lines().count(), 601);
    assert_eq!(cluster("0"), kept);
    let stories = |mib: &str| {
        let db = dir.path().join(format!("s{mib}.db"));
        let db = db.to_str().unwrap();
        let out = run(&["ingest", input, "--db", db, "--story-memory-mib", mib]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout_json(&run(&["stories", "--db", db, "--json", "--limit", "1000"]))
    };
    let kept = stories("64");
    // 120 events of five articles each: a few of them split.
    assert!((120..140).contains(&kept.as_array().unwrap().len()));
    assert_eq!(stories("0"), kept);
}

#[test]
fn out_of_range_settings_are_refused_naming_the_flag_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let db = db.to_str().unwrap();
    let input = fixture("articles/wire_original.txt");
    let cases: &[(&[&str], &str)] = &[
        (
            &["cluster", &input, "--shingle", "0"],
            "--shingle is 0; allowed: a number of words, 1 or more",
        ),
        (
            &["cluster", &input, "--copy-threshold", "NaN"],
            "--copy-threshold is NaN; allowed: a number greater than 0 and at most 1",
        ),
        (
            &["cluster", &input, "--story-threshold", "NaN"],
            "--story-threshold is NaN; allowed: a number from 0 to 1",
        ),
        (
            &["ingest", "--db", db, &input, "--story-threshold", "1.5"],
            "--story-threshold is 1.5",
        ),
        (
            &["eval", &input, "--label", "x", "--copy-threshold", "0"],
            "--copy-threshold is 0.0",
        ),
        (
            &[
                "cluster",
                &input,
                "--cluster-config",
                r#"{"title_boost": -1}"#,
            ],
            "--cluster-config `title_boost` is -1.0; allowed: a finite number, 0 or more",
        ),
        (&["dedup", &input, "--shingle", "0"], "--shingle is 0"),
        (
            &["dedup", &input, "--threshold", "NaN"],
            "--threshold is NaN",
        ),
    ];
    for (args, message) in cases {
        let out = run(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}: nothing done");
    }
    assert!(
        !Path::new(db).exists(),
        "a refused ingest creates no database"
    );
}

#[test]
fn engine_flags_that_differ_from_the_database_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let db = db.to_str().unwrap();
    let input = fixture("articles/wire_original.txt");
    let ingest = |extra: &[&str]| {
        let mut args = vec!["ingest", "--db", db, input.as_str()];
        args.extend_from_slice(extra);
        run(&args)
    };
    assert_eq!(ingest(&["--shingle", "4"]).status.code(), Some(0));
    let out = ingest(&["--shingle", "6", "--story-threshold", "0.3"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--shingle 6 (database: 4), --story-threshold 0.3 (database: 0.25)"),
        "{stderr}"
    );
    // The database's own values, no engine flag, and the flags that apply to a run pass.
    for extra in [
        &["--shingle", "4"][..],
        &[],
        &["--ignore-dates", "--story-memory-mib", "8"],
    ] {
        let out = ingest(extra);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{extra:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = run(&[
        "serve",
        "--db",
        db,
        "--addr",
        "127.0.0.1:0",
        "--copy-threshold",
        "0.9",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--copy-threshold 0.9 (database: 0.8)"));
}

#[test]
fn compare_reads_stored_articles_with_the_database_settings_and_the_flags_given() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let db = db.to_str().unwrap();
    let (a, b) = (
        fixture("articles/wire_original.txt"),
        fixture("articles/wire_reprint.txt"),
    );
    let out = run(&["ingest", "--db", db, &a, &b, "--copy-threshold", "0.7"]);
    assert_eq!(out.status.code(), Some(0));
    let copy_line = |extra: &[&str]| {
        let mut args = vec!["compare", "wire_original", "wire_reprint", "--db", db];
        args.extend_from_slice(extra);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{extra:?}");
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .find(|l| l.starts_with("copy:"))
            .unwrap()
            .to_owned()
    };
    assert!(
        copy_line(&[]).ends_with("threshold 0.70)"),
        "the database's"
    );
    assert!(copy_line(&["--copy-threshold", "0.9"]).ends_with("threshold 0.90)"));
    let out = run(&[
        "compare",
        "wire_original",
        "wire_reprint",
        "--db",
        db,
        "--shingle",
        "0",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

/// A file out of date order is decided in publication order, dates read from the text included,
/// so ingest and eval (which sorts the file) decide it alike.
#[test]
fn ingest_decides_a_file_in_publication_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shuffled.jsonl");
    let lines = [
        r#"{"id": "day3", "published": "2024-03-03T09:00:00Z", "story": "b", "text": "Apple showed a new iPhone with a larger screen at its Cupertino event on Wednesday."}"#,
        r#"{"id": "day1", "published": "2024-03-01T09:00:00Z", "story": "a", "text": "A magnitude 8.2 earthquake struck northern Chile near Iquique on Friday, officials said."}"#,
        r#"{"id": "day2", "story": "a", "text": "http://example.com/chile-quake-tsunami\nChile quake: tsunami warning\nMarch 2, 2024 10:15 GMT\nThe 8.2 earthquake near Iquique in Chile triggered a tsunami warning across the Pacific, officials said."}"#,
        r#"{"id": "undated", "story": "c", "text": "The Bank of England held rates at 5.25 percent, its committee said."}"#,
    ];
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let db = dir.path().join("t.db").display().to_string();
    let out = run(&["ingest", path.to_str().unwrap(), "--db", &db, "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let outcomes: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["id"].is_string())
        .collect();
    let decided: Vec<&str> = outcomes.iter().map(|v| v["id"].as_str().unwrap()).collect();
    // The undated article comes at the date of the article before it in the file (day 2's).
    assert_eq!(decided, ["day1", "day2", "undated", "day3"]);
    // eval decides in the same order and gets the same stories.
    let eval = stdout_json(&run(&[
        "eval",
        path.to_str().unwrap(),
        "--label",
        "story",
        "--json",
    ]));
    assert_eq!(eval["stories"], 3, "{eval}");
    let stories = stdout_json(&run(&["stories", "--db", &db, "--json"]));
    assert_eq!(stories.as_array().unwrap().len(), 3, "{stories}");
    // The URL line became the article's url.
    let quake = outcomes[1]["story"].as_str().unwrap();
    assert_eq!(
        outcomes[0]["story"], quake,
        "the two quake reports are one story"
    );
    let article = stdout_json(&run(&["story", quake, "--db", &db, "--json"]));
    assert!(
        article
            .to_string()
            .contains("http://example.com/chile-quake-tsunami"),
        "{article}"
    );
}

/// `eval --json` of a fixture under the default (learned) decision, or another configuration.
fn eval_fixture(rel: &str, label: &str, cluster_config: Option<&str>) -> Value {
    let path = fixture(rel);
    let mut args = vec!["eval", &path, "--label", label, "--json"];
    if let Some(c) = cluster_config {
        args.extend(["--cluster-config", c]);
    }
    let out = run(&args);
    assert!(out.status.success(), "{out:?}");
    stdout_json(&out)
}

#[test]
fn earnings_briefs_of_different_companies_stay_apart() {
    // Eight briefs in one template ("Shr 28 cts vs 22 cts / Net ... / Revs ...") over four days:
    // what they share is boilerplate, who and how much differ.
    let v = eval_fixture("template/earnings.jsonl", "company", None);
    assert_eq!(v["articles"], 8);
    assert_eq!(v["stories"], 8, "{v}");
}

#[test]
fn dividend_notices_of_different_companies_stay_apart() {
    // Twelve notices of one template ("Qtly div 12 cts vs 12 cts prior / Pay April 15 / Record
    // March 31") over three days, each company named only in its title (testdata/template/
    // dividends.jsonl, written for this test). Without the title's names they chain.
    let v = eval_fixture("template/dividends.jsonl", "company", None);
    assert_eq!(v["articles"], 12);
    assert_eq!(v["stories"], 12, "{v}");
    let without = eval_fixture(
        "template/dividends.jsonl",
        "company",
        Some(r#"{"title_name_share": 0}"#),
    );
    assert!(without["stories"].as_u64().unwrap() < 12, "{without}");
}

#[test]
fn the_shipped_model_tells_the_labeled_fixture_events_apart_and_together() {
    // Three reports of a bridge collapse, two of a plant fire, two of an election, and another
    // bridge collapse elsewhere the next day.
    let v = eval_fixture("stories/labeled.jsonl", "event", None);
    assert_eq!(v["stories"], 4, "{v}");
    assert_eq!(v["bcubed"]["f1"], 1.0, "{v}");
}

#[test]
fn events_of_one_kind_in_four_other_languages_are_told_apart() {
    // testdata/stories/languages.jsonl: in German two mayoral elections on one Sunday, in Spanish
    // two earthquakes two days apart, in Russian two companies' half-year results, in Chinese
    // (no spaces) two chemical-plant fires; three reports of each by different outlets. Without
    // the German and Spanish stop words and stemmers each language's two events were one story.
    let v = eval_fixture("stories/languages.jsonl", "event", None);
    assert_eq!(v["articles"], 24, "{v}");
    assert_eq!(v["stories"], 8, "{v}");
    assert_eq!(v["bcubed"]["f1"], 1.0, "{v}");
}

#[test]
fn stories_in_two_languages_about_one_event_are_linked_and_others_not() {
    // The eight events of testdata/stories/languages.jsonl (two of one kind in each of German,
    // Spanish, Russian and Chinese; three reports each) and the same eight told in English
    // (languages_en.jsonl), ingested in both orders: each English story is "also reported in" the
    // story of its event in the other language, and in no other, the other event of the same
    // kind included; a link is shown from both of its stories. Linked, not merged: the English
    // report of the Lindenau election, which shares eleven names and numbers with its German
    // reports (Katrin Vollmer, Thomas Brandl, 54.3, ...), was merged into their story before the
    // story decision refused a story of another language; now it is a story of its own, linked.
    let event_of: std::collections::HashMap<String, String> =
        ["languages.jsonl", "languages_en.jsonl"]
            .iter()
            .flat_map(|f| {
                std::fs::read_to_string(fixture(&format!("stories/{f}")))
                    .unwrap()
                    .lines()
                    .map(|l| {
                        let v: Value = serde_json::from_str(l).unwrap();
                        (
                            v["id"].as_str().unwrap().to_owned(),
                            v["event"].as_str().unwrap().to_owned(),
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
    for order in [
        ["languages_en.jsonl", "languages.jsonl"],
        ["languages.jsonl", "languages_en.jsonl"],
    ] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db").display().to_string();
        for f in order {
            let out = run(&["ingest", &fixture(&format!("stories/{f}")), "--db", &db]);
            assert!(out.status.success(), "{out:?}");
        }
        let story = |id: &str| stdout_json(&run(&["story", id, "--db", &db, "--json"]));
        // The events of a story's articles.
        let events = |v: &Value| -> Vec<String> {
            let mut e: Vec<String> = v["articles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| event_of[a["id"].as_str().unwrap()].clone())
                .collect();
            e.dedup();
            e
        };
        let mut links = 0;
        for (id, event) in event_of.iter().filter(|(id, _)| id.starts_with("en-")) {
            let v = story(id);
            assert_eq!(
                events(&v),
                std::slice::from_ref(event),
                "{order:?} {id}: {v}"
            );
            assert_eq!(
                v["articles"].as_array().unwrap().len(),
                1,
                "{order:?} {id}: {v}"
            );
            let also = v["also_reported_in"].as_array().unwrap();
            assert_eq!(also.len(), 1, "{order:?} {id}: {}", v["also_reported_in"]);
            let other = story(also[0]["story"]["id"].as_str().unwrap());
            assert_eq!(
                events(&other),
                std::slice::from_ref(event),
                "{order:?} {id}: {other}"
            );
            assert_eq!(other["articles"].as_array().unwrap().len(), 3, "{other}");
            assert_eq!(
                also[0]["language"], other["articles"][0]["language"],
                "{order:?} {id}"
            );
            // Shown from the other side too, back to this story.
            let back = other["also_reported_in"].as_array().unwrap();
            assert_eq!(back.len(), 1, "{order:?} {id}: {back:?}");
            assert_eq!(back[0]["story"]["id"], v["story"]["id"]);
            assert_eq!(back[0]["language"], "en");
            links += 1;
        }
        assert_eq!(links, 8, "{order:?}");
        // The CLI's text output names it.
        let out = run(&["story", "en-linhe", "--db", &db]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("also reported in zh: "), "{text}");
    }
}

#[test]
fn compare_tells_what_reports_in_two_languages_share() {
    // The Linhe warehouse fire told in English and in Chinese (testdata/stories/languages_en.jsonl
    // and languages.jsonl), and the Anping plant fire two days later, also in Chinese.
    let dir = tempfile::tempdir().unwrap();
    let one = |file: &str, id: &str| {
        let text = std::fs::read_to_string(fixture(&format!("stories/{file}"))).unwrap();
        let line = text
            .lines()
            .find(|l| l.contains(&format!("\"id\": \"{id}\"")))
            .unwrap_or_else(|| panic!("{id} in {file}"));
        let path = dir.path().join(format!("{id}.jsonl"));
        std::fs::write(&path, line).unwrap();
        path.display().to_string()
    };
    let en = one("languages_en.jsonl", "en-linhe");
    let zh = one("languages.jsonl", "zh-linhe-2");
    let other = one("languages.jsonl", "zh-anping-1");
    let compare = |a: &str, b: &str, json: bool| {
        let mut args = vec!["compare", a, b, "--db", "/nonexistent/none.db"];
        if json {
            args.push("--json");
        }
        let out = run(&args);
        assert!(out.status.success(), "{out:?}");
        out
    };
    let v = stdout_json(&compare(&en, &zh, true));
    let across = &v["across_languages"];
    assert_eq!(across["linked"], true, "{v}");
    let names: Vec<&str> = strings(&across["names"]);
    assert!(
        names.contains(&"linhe") && names.contains(&"hengrun"),
        "{v}"
    );
    let text = String::from_utf8_lossy(&compare(&en, &zh, false).stdout).into_owned();
    assert!(text.contains("across languages: linked"), "{text}");

    let v = stdout_json(&compare(&en, &other, true));
    assert_eq!(v["across_languages"]["linked"], false, "{v}");
    // Two articles in one language: nothing to say across languages.
    let v = stdout_json(&compare(&zh, &one("languages.jsonl", "zh-linhe-1"), true));
    assert!(v["across_languages"].is_null(), "{v}");
}

#[test]
fn eval_writes_each_articles_label_and_story() {
    let dir = tempfile::tempdir().unwrap();
    let tsv = dir.path().join("assigned.tsv");
    let path = fixture("stories/labeled.jsonl");
    let eval_into = |file: &std::path::Path| {
        run(&[
            "eval",
            &path,
            "--label",
            "event",
            "--assignments",
            file.to_str().unwrap(),
        ])
    };
    let out = eval_into(&tsv);
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(&tsv).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("id\tlabel\tstory"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 8, "{text}");
    let story_of = |id: &str| rows.iter().find(|r| r[0] == id).unwrap()[2];
    // The gold label as the input gives it (a JSON value), and one story a label here.
    assert!(
        rows.iter().all(|r| r.len() == 3 && r[1].starts_with('"')),
        "{text}"
    );
    assert_eq!(story_of("a1"), story_of("a3"));
    assert_ne!(story_of("a1"), story_of("b1"));

    let missing = dir.path().join("no/such/dir/a.tsv");
    let out = eval_into(&missing);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no/such/dir/a.tsv"),
        "{out:?}"
    );
}

#[test]
fn train_stories_writes_a_model_that_loads_and_decides() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("sets.json");
    std::fs::write(
        &spec,
        serde_json::json!([
            {"name": "events", "path": fixture("stories/labeled.jsonl"), "label": "event"},
            {"name": "earnings", "path": fixture("template/earnings.jsonl"), "label": "company"},
        ])
        .to_string(),
    )
    .unwrap();
    let model = dir.path().join("model.json");
    let (spec_s, model_s) = (spec.display().to_string(), model.display().to_string());
    let out = run(&["train-stories", &spec_s, "--out", &model_s]);
    assert!(out.status.success(), "{out:?}");
    let m: Value = serde_json::from_str(&std::fs::read_to_string(&model).unwrap()).unwrap();
    let weights = m["weights"].as_array().unwrap();
    assert_eq!(weights.len(), m["features"].as_array().unwrap().len());
    assert!(weights.iter().all(|w| w.as_f64().unwrap().is_finite()));
    assert_ne!(weights[0], 0.0, "the fit moved the bias");
    let sets = m["provenance"]["sets"].as_array().unwrap();
    assert_eq!(sets[0]["articles"], 8);
    assert_eq!(sets[1]["name"], "earnings");
    // The weights, given back as the clusterer's model, decide the fixture they were fitted on.
    let config = serde_json::json!({ "model": weights }).to_string();
    let v = eval_fixture("stories/labeled.jsonl", "event", Some(&config));
    assert_eq!(v["bcubed"]["f1"], 1.0, "{v}");

    let out = run(&[
        "train-stories",
        &spec_s,
        "--out",
        &model_s,
        "--leave-out",
        "nope",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--leave-out nope: no such set"));
}
