//! Issue 20, items 8 to 16: input that was lost or mangled with exit 0. Each test drives the real
//! binary on files it writes, and carries the case that broke.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_samestory"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("runs")
}

/// Runs with `input` on standard input.
fn run_with_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The summary line of `ingest --json`.
fn summary(out: &Output) -> Value {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    let v: Value =
        serde_json::from_str(last).unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", stderr(out)));
    v["summary"].clone()
}

/// The per-article lines of `ingest --json`.
fn outcomes(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v.get("summary").is_none())
        .collect()
}

fn ingest(db: &Path, paths: &[&Path]) -> Output {
    let mut args = vec!["ingest".to_owned()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    args.extend(["--db".into(), db.display().to_string(), "--json".into()]);
    bin().args(&args).output().expect("runs")
}

const BODY: &str = "The harbour authority said on Tuesday that the northern pier would close for repairs after storms damaged its foundations, and ferries will dock at the southern terminal.";

#[test]
fn item8_symlinked_files_are_read_and_links_that_cannot_be_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside.jsonl");
    std::fs::write(
        &outside,
        format!("{{\"id\":\"linked\",\"text\":\"{BODY}\"}}\n"),
    )
    .unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join("plain.jsonl"),
        "{\"id\":\"plain\",\"text\":\"A plain file beside the link, about a school opening.\"}\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&outside, input.join("link.jsonl")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("gone.jsonl"), input.join("dangling.jsonl"))
        .unwrap();
    std::os::unix::fs::symlink(&input, input.join("loop")).unwrap();
    let db = dir.path().join("t.db");
    let out = ingest(&db, &[&input]);
    let err = stderr(&out);
    assert_eq!(summary(&out)["stored"], 2, "{err}");
    let ids: Vec<Value> = outcomes(&out).iter().map(|o| o["id"].clone()).collect();
    assert!(ids.contains(&Value::from("linked")), "{ids:?}");
    assert!(
        err.contains("dangling.jsonl: a symbolic link to nothing"),
        "{err}"
    );
    assert!(err.contains("loop: a symbolic link loop"), "{err}");
    assert_eq!(out.status.code(), Some(3), "{err}");
}

/// A directory that cannot be listed is named. Root reads every directory, so as root the ingest
/// runs as `nobody` (`setpriv`); skipped only when that cannot be done.
#[test]
fn item8_an_unreadable_subdirectory_is_named() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let locked = input.join("locked");
    std::fs::create_dir_all(&locked).unwrap();
    std::fs::write(
        input.join("a.jsonl"),
        format!("{{\"id\":\"a\",\"text\":\"{BODY}\"}}\n"),
    )
    .unwrap();
    std::fs::write(
        locked.join("b.jsonl"),
        format!("{{\"id\":\"b\",\"text\":\"{BODY}\"}}\n"),
    )
    .unwrap();
    let db = dir.path().join("t.db");
    let mut command = if unsafe { libc::geteuid() } == 0 {
        // `nobody` creates the database in the temporary directory and reads the input.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(env!("CARGO_BIN_EXE_samestory"));
        c
    } else {
        bin()
    };
    command
        .args(["ingest", &input.display().to_string()])
        .args(["--db", &db.display().to_string(), "--json"]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = command.output();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = match out {
        Ok(out) => out,
        Err(e) => {
            eprintln!("skipped: as root this needs setpriv to run the ingest as nobody: {e}");
            return;
        }
    };
    let err = stderr(&out);
    if out.status.code() == Some(126) || out.status.code() == Some(127) {
        eprintln!("skipped: nobody cannot run the binary here (setpriv said: {err})");
        return;
    }
    assert!(err.contains("locked: cannot read"), "{err}");
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert_eq!(summary(&out)["stored"], 1, "{err}");
}

/// The case: a row whose text held an unquoted comma lost its tail in silence (991 -> 807
/// characters).
#[test]
fn item9_a_csv_row_with_more_fields_than_the_header_is_refused_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("rows.csv");
    std::fs::write(
        &csv,
        format!("id,title,text\nok,Pier,\"{BODY}\"\ncut,Pier,{BODY}\n"),
    )
    .unwrap();
    let out = ingest(&dir.path().join("t.db"), &[&csv]);
    let err = stderr(&out);
    assert!(
        err.contains("rows.csv:3: the row has 4 fields but the header names 3"),
        "{err}"
    );
    assert_eq!(summary(&out)["stored"], 1, "{err}");
    assert_eq!(summary(&out)["rejected"], 1, "{err}");
    assert_eq!(out.status.code(), Some(3), "{err}");
}

/// The case: every error line was one too low in a CRLF file (the `csv` crate leaves a CRLF's
/// `\n` to the next record).
#[test]
fn item16_csv_line_numbers_are_right_in_crlf_files() {
    let dir = tempfile::tempdir().unwrap();
    for (name, newline) in [("lf.csv", "\n"), ("crlf.csv", "\r\n")] {
        let csv = dir.path().join(name);
        let rows = [
            "id,title,text".to_owned(),
            format!("a,One,\"{BODY}\""),
            format!("b,Two,\"Two lines{newline}of text about a bridge over the river.\""),
            "c,Three,".to_owned(),
            format!("d,Four,\"{BODY} Four.\""),
            "e,Five,\"\"".to_owned(),
        ];
        std::fs::write(&csv, rows.join(newline) + newline).unwrap();
        let out = ingest(&dir.path().join(format!("{name}.db")), &[&csv]);
        let err = stderr(&out);
        assert!(err.contains(&format!("{name}:5: field `text`")), "{err}");
        assert!(err.contains(&format!("{name}:7: field `text`")), "{err}");
        assert_eq!(summary(&out)["stored"], 3, "{err}");
    }
}

fn line(v: Value) -> String {
    v.to_string() + "\n"
}

/// The case: the first text won and the later one was counted "already stored", exit 0.
#[test]
fn item10_another_text_under_a_stored_id_is_a_conflict_in_one_run_and_across_runs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let first = dir.path().join("first.jsonl");
    let other = "A different article about a mayor's budget speech, sent under the same id.";
    std::fs::write(
        &first,
        line(serde_json::json!({"id": "x-1", "text": BODY}))
            + &line(serde_json::json!({"id": "x-1", "text": other}))
            + &line(serde_json::json!({"id": "x-1", "text": BODY})),
    )
    .unwrap();
    let out = ingest(&db, &[&first]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    // Both records named by file and line.
    let first_name = first.display();
    assert!(
        err.contains(&format!(
            "{first_name}:2: id `x-1`: a different text is already stored under this id (the first read at {first_name}:1); conflict"
        )),
        "{err}"
    );
    let s = summary(&out);
    assert_eq!(
        (&s["stored"], &s["already_stored"], &s["conflicts"]),
        (&1.into(), &1.into(), &1.into()),
        "{s}"
    );
    let statuses: Vec<Value> = outcomes(&out).iter().map(|o| o["status"].clone()).collect();
    assert_eq!(statuses, ["stored", "conflict", "already_stored"]);

    let later = dir.path().join("later.jsonl");
    std::fs::write(
        &later,
        line(serde_json::json!({"id": "x-1", "text": other})),
    )
    .unwrap();
    let out = ingest(&db, &[&later]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert_eq!(summary(&out)["conflicts"], 1);
    // The stored record's file is not kept: the message says so instead of naming one.
    assert!(
        err.contains(&format!(
            "{}:1: id `x-1`: a different text is already stored under this id (stored by an earlier ingest",
            later.display()
        )),
        "{err}"
    );

    let same = dir.path().join("same.jsonl");
    std::fs::write(&same, line(serde_json::json!({"id": "x-1", "text": BODY}))).unwrap();
    let out = ingest(&db, &[&same]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(summary(&out)["already_stored"], 1);
}

/// The case: ids derived from content alone made an outlet's second publication of the same
/// wire text "already stored" (240 of Reuters-21578's articles on a fresh database).
#[test]
fn item11_a_resend_from_another_source_or_date_is_a_copy_and_a_reingest_a_noop() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let wire = |source: &str, date: &str| {
        line(
            serde_json::json!({"title": "Pier closes", "source": source, "published": date, "text": BODY}),
        )
    };
    let file = dir.path().join("wire.jsonl");
    std::fs::write(
        &file,
        wire("Reuters", "1987-02-26")
            + &wire("AP", "1987-02-26")
            + &wire("Reuters", "1987-02-27")
            + &wire("Reuters", "1987-02-26"),
    )
    .unwrap();
    let out = ingest(&db, &[&file]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    // Outcomes come in publication order: sorted by status and id to be compared.
    let mut o = outcomes(&out);
    o.sort_by_key(|v| {
        (
            v["status"].to_string(),
            v["copy_of"].to_string(),
            v["id"].to_string(),
        )
    });
    // The first publication keeps the id derived before re-sends were told apart, so that a
    // database filled then re-ingests as a no-op.
    let derived = samestory_engine::Article::derive_id(None, Some("Pier closes"), BODY);
    let shape: Vec<(&str, bool, bool)> = o
        .iter()
        .map(|v| {
            (
                v["status"].as_str().unwrap(),
                v["id"] == derived.as_str(),
                v["copy_of"] == derived.as_str(),
            )
        })
        .collect();
    assert_eq!(
        shape,
        [
            ("already_stored", true, false),
            ("stored", false, true),
            ("stored", false, true),
            ("stored", true, false),
        ],
        "{o:?}"
    );
    assert_ne!(o[1]["id"], o[2]["id"]);

    let again = ingest(&db, &[&file]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    let s = summary(&again);
    assert_eq!(
        (&s["stored"], &s["already_stored"]),
        (&0.into(), &4.into()),
        "{s}"
    );
    let mut ids: Vec<String> = outcomes(&again)
        .iter()
        .map(|o| o["id"].to_string())
        .collect();
    let mut first: Vec<String> = o.iter().map(|o| o["id"].to_string()).collect();
    ids.sort();
    first.sort();
    assert_eq!(ids, first);
}

fn ingest_stdin(db: &Path, extra: &[&str], input: &[u8]) -> Output {
    let db = db.display().to_string();
    let mut args = vec!["ingest", "-", "--db", &db, "--json"];
    args.extend(extra);
    run_with_stdin(&args, input)
}

/// The stored text of article `id`, as the store gives it back.
fn stored_text(db: &Path, id: &str) -> String {
    let store = samestory_store::Store::open_read_only(db).unwrap();
    let article = store.article(id);
    article.unwrap_or_else(|e| panic!("article {id}: {e}")).text
}

/// The cases: `echo '[{"text": "…"}]' | samestory ingest -` stored the raw JSON as one
/// article's text, and a piped CSV likewise.
#[test]
fn item12_standard_input_is_read_in_its_format() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let array = serde_json::json!([{"id": "arr-1", "text": BODY}]).to_string();
    let out = ingest_stdin(&db, &[], array.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stored_text(&db, "arr-1"), BODY);

    let csv = format!("id,title,text\ncsv-1,Pier,\"{BODY} From a CSV.\"\n");
    let out = ingest_stdin(&db, &[], csv.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stored_text(&db, "csv-1"), format!("{BODY} From a CSV."));

    // --format overrides the detection: the same JSON as plain text is one article, its text the
    // JSON itself.
    let out = ingest_stdin(&db, &["--format", "txt"], array.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let id = outcomes(&out)[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(stored_text(&db, &id), array);
}

/// The case: a pretty-printed `.json` array gave 23 "malformed" errors and stored nothing.
#[test]
fn item12_a_pretty_printed_json_array_file_is_read_with_lines() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("articles.json");
    let articles = serde_json::json!([
        {"id": "p-1", "title": "Pier", "text": BODY},
        {"id": "p-2", "title": "School", "text": "A new school opened in the valley on Monday, with three hundred pupils and twelve teachers."},
        {"id": "p-3", "title": "No text"}
    ]);
    std::fs::write(&file, serde_json::to_string_pretty(&articles).unwrap()).unwrap();
    let out = ingest(&dir.path().join("t.db"), &[&file]);
    let err = stderr(&out);
    assert_eq!(summary(&out)["stored"], 2, "{err}");
    assert!(
        err.contains("articles.json:12: missing field `text`"),
        "{err}"
    );
    assert_eq!(out.status.code(), Some(3), "{err}");
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

/// The cases: a UTF-8 byte-order mark lost a JSONL file's first record; a UTF-16 file with a BOM
/// was called "binary file (NUL bytes)"; a NUL byte in the first 8 KB skipped all 300 records.
#[test]
fn item13_byte_order_marks_are_decoded_and_binary_is_judged_per_record() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let records = |prefix: &str, n: usize| -> String {
        (0..n)
            .map(|i| line(serde_json::json!({"id": format!("{prefix}-{i}"), "text": format!("{BODY} Number {i}.")})))
            .collect()
    };
    let utf8 = dir.path().join("utf8.jsonl");
    std::fs::write(
        &utf8,
        [b"\xEF\xBB\xBF".as_slice(), records("bom8", 2).as_bytes()].concat(),
    )
    .unwrap();
    let utf16 = dir.path().join("utf16.jsonl");
    std::fs::write(&utf16, utf16le_with_bom(&records("bom16", 2))).unwrap();
    let csv16 = dir.path().join("utf16.csv");
    std::fs::write(
        &csv16,
        utf16le_with_bom(&format!("id,text\r\ncsv16,\"{BODY} Ünïcödé.\"\r\n")),
    )
    .unwrap();
    let nul = dir.path().join("nul.jsonl");
    let mut lines = records("nul", 300);
    let third = lines.match_indices('\n').nth(2).unwrap().0;
    lines.insert(third - 2, '\0');
    std::fs::write(&nul, lines).unwrap();
    let out = ingest(&db, &[&utf8, &utf16, &csv16, &nul]);
    let err = stderr(&out);
    assert_eq!(summary(&out)["stored"], 2 + 2 + 1 + 299, "{err}");
    assert_eq!(summary(&out)["rejected"], 1, "{err}");
    assert!(
        err.contains("nul.jsonl:3: binary data (a NUL byte"),
        "{err}"
    );
    assert_eq!(stored_text(&db, "bom8-0"), format!("{BODY} Number 0."));
    assert_eq!(stored_text(&db, "csv16"), format!("{BODY} Ünïcödé."));
    assert_eq!(out.status.code(), Some(3), "{err}");

    // Standard input with a UTF-16 mark is detected as JSON and read.
    let out = ingest_stdin(&db, &[], &utf16le_with_bom(&records("stdin16", 1)));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(summary(&out)["stored"], 1);
}

/// The stored date of article `id`, as the store gives it back.
fn stored_date(db: &Path, id: &str) -> Option<i64> {
    let store = samestory_store::Store::open_read_only(db).unwrap();
    let article = store.article(id);
    article
        .unwrap_or_else(|e| panic!("article {id}: {e}"))
        .row
        .published
}

/// The cases: `2022-02-13 10:00:00.123456` and `+25:00` offsets were stored as midnight without
/// a word, `±1e300` and i64 extremes were stored as dates, and Reuters' `26-FEB-1987
/// 15:01:01.79` gave 21,577 warnings.
#[test]
fn item14_dates_keep_their_time_and_impossible_ones_are_refused_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let file = dir.path().join("dates.jsonl");
    let cases = [
        ("fraction", serde_json::json!("2022-02-13 10:00:00.123456")),
        ("offset", serde_json::json!("2022-02-13T10:00:00+25:00")),
        ("huge", serde_json::json!(1e300)),
        ("tiny", serde_json::json!(-1e300)),
        ("max", serde_json::json!(i64::MAX)),
        ("min", serde_json::json!(i64::MIN)),
        ("reuters", serde_json::json!("26-FEB-1987 15:01:01.79")),
    ];
    let text: String = cases
        .iter()
        .map(|(id, date)| line(serde_json::json!({"id": id, "published": date, "text": format!("{BODY} Case {id}.")})))
        .collect();
    std::fs::write(&file, text).unwrap();
    let out = ingest(&db, &[&file]);
    let err = stderr(&out);
    assert_eq!(summary(&out)["stored"], 7, "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(stored_date(&db, "fraction"), Some(1_644_746_400));
    for (line_no, id) in [
        (2, "offset"),
        (3, "huge"),
        (4, "tiny"),
        (5, "max"),
        (6, "min"),
        (7, "reuters"),
    ] {
        assert!(
            err.contains(&format!("dates.jsonl:{line_no}: field `published`:")),
            "{id}: {err}"
        );
        assert_eq!(stored_date(&db, id), None, "{id}");
    }

    let reuters = dir.path().join("reuters.jsonl");
    std::fs::write(
        &reuters,
        line(serde_json::json!({"id": "r-1", "date": "26-FEB-1987 15:01:01.79", "text": BODY})),
    )
    .unwrap();
    let out = run(&[
        "ingest",
        &reuters.display().to_string(),
        "--db",
        &dir.path().join("r.db").display().to_string(),
        "--date-format",
        "%d-%b-%Y %H:%M:%S%.f",
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("warning"), "{err}");
    assert_eq!(
        stored_date(&dir.path().join("r.db"), "r-1"),
        Some(541_350_061)
    );
}

/// The case: zero-width spaces, emoji only and punctuation only were all exact copies of each
/// other (J = 1.00) in one story.
#[test]
fn item15_texts_without_words_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let file = dir.path().join("empty.jsonl");
    let texts = ["\u{200b}\u{200b}\u{200b}", "😀🎉😀", "!!! ... ---", BODY];
    let body: String = texts
        .iter()
        .enumerate()
        .map(|(i, t)| line(serde_json::json!({"id": format!("w-{i}"), "text": t})))
        .collect();
    std::fs::write(&file, body).unwrap();
    let txt = dir.path().join("emoji.txt");
    std::fs::write(&txt, "🙂🙂🙂\n").unwrap();
    let out = ingest(&db, &[&file, &txt]);
    let err = stderr(&out);
    for place in [
        "empty.jsonl:1:",
        "empty.jsonl:2:",
        "empty.jsonl:3:",
        "emoji.txt:",
    ] {
        assert!(
            err.contains(&format!("{place} field `text`: the text has no words"))
                || err.contains(&format!("{place} the text has no words")),
            "{place}: {err}"
        );
    }
    let s = summary(&out);
    assert_eq!(
        (&s["stored"], &s["rejected"], &s["copies"]),
        (&1.into(), &4.into(), &0.into()),
        "{s}"
    );
    assert_eq!(out.status.code(), Some(3), "{err}");
}

/// A record of a feed without words is named by its item (a feed has no lines to name).
#[test]
fn item15_a_feed_item_without_words_is_named_by_its_number() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("wire.xml");
    std::fs::write(
        &feed,
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title>\
             <link>http://example.org/</link><description>d</description>\
             <item><title>Pier</title><link>http://example.org/pier</link><description>{BODY}</description></item>\
             <item><link>http://example.org/dots</link><description>... !!! ...</description></item>\
             </channel></rss>"
        ),
    )
    .unwrap();
    let out = ingest(&dir.path().join("t.db"), &[&feed]);
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{}: item 2: the text has no words",
            feed.display()
        )),
        "{err}"
    );
    assert_eq!(summary(&out)["stored"], 1, "{err}");
}

/// Issue 20, item 1 from the CLI, inside an article: a JSON Lines record, or a pretty-printed
/// `.json` document's item, whose fields hold a million values (`"meta": [1,1,…]`) is refused with
/// a reason naming its line (it took ~40 bytes of memory a byte of input); the records around it
/// are stored.
#[test]
fn item1_a_record_of_millions_of_values_is_refused_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let ones = vec!["1"; 1_000_000].join(",");
    let heavy = format!(
        r#"{{"id": "heavy", "text": "A short text about the council.", "meta": [{ones}]}}"#
    );
    let good = |id: &str| serde_json::json!({"id": id, "text": BODY, "tags": ["pier", "ferry"]});
    let jsonl = dir.path().join("a.jsonl");
    std::fs::write(
        &jsonl,
        format!("{}\n{heavy}\n{}\n", good("g-1"), good("g-2")),
    )
    .unwrap();
    let out = ingest(&dir.path().join("t.db"), &[&jsonl]);
    let err = stderr(&out);
    assert_eq!(summary(&out)["stored"], 2, "{err}");
    assert!(
        err.contains("a.jsonl:2: more than") && err.contains("JSON values in one line"),
        "{err}"
    );
    assert_eq!(out.status.code(), Some(3), "{err}");

    let doc = dir.path().join("b.json");
    std::fs::write(
        &doc,
        format!(
            "[\n{},\n{heavy}\n]\n",
            serde_json::to_string_pretty(&good("d-1")).unwrap()
        ),
    )
    .unwrap();
    let out = ingest(&dir.path().join("u.db"), &[&doc]);
    let err = stderr(&out);
    assert_eq!(summary(&out)["stored"], 1, "{err}");
    assert!(err.contains("an object of too many values"), "{err}");
    assert_eq!(out.status.code(), Some(3), "{err}");
}
