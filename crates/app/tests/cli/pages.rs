//! Web pages, feeds, web archives and Parquet, end to end through the binary: `extract`, and the
//! formats every reading command takes. Fixtures are ours (`testdata/html/`, README there); the
//! real pages in `../shared/data/html` are read when present and skipped with a notice when not.

use super::{fixture, run};
use serde_json::Value;
use std::path::Path;
use std::process::Output;

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn extract_reads_text_and_metadata_and_leaves_the_furniture() {
    let out = run(&["extract", "--json", &fixture("html/harbour_bridge.html")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pages = json_lines(&out);
    assert_eq!(pages.len(), 1);
    let p = &pages[0];
    assert_eq!(p["title"], "Harbour bridge reopens after storm repairs");
    // The canonical link, its tracking parameters dropped.
    assert_eq!(
        p["url"],
        "https://courier.example/news/2026/03/harbour-bridge-reopens"
    );
    assert_eq!(p["published"], "2026-03-14T09:30:00Z");
    assert_eq!(p["modified"], "2026-03-14T12:05:00Z");
    assert_eq!(p["outlet"], "The Coastal Courier");
    assert_eq!(p["author"], "Mara Lindqvist");
    assert_eq!(p["language"], "en-GB");
    let text = p["text"].as_str().unwrap();
    assert!(
        text.starts_with("The harbour bridge reopened to traffic"),
        "{text}"
    );
    assert!(
        text.contains("review of how the structure is checked"),
        "{text}"
    );
    for furniture in [
        "cookies",
        "Sport",
        "Related stories",
        "Ferry timetable changes",
        "Share on Facebook",
        "ferry was a nightmare",
        "All rights reserved",
    ] {
        assert!(!text.contains(furniture), "{furniture:?} left in {text}");
    }
    // The cleaner ran after: the dateline is a removal with its reason, not in the text.
    let removals: Vec<(&str, &str)> = p["removals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["reason"].as_str().unwrap(), r["text"].as_str().unwrap()))
        .collect();
    assert!(
        removals.contains(&("dateline", "PORT ELLEN, March 14 (Courier) -")),
        "{removals:?}"
    );
    assert!(p["extracted"].as_str().unwrap().contains("PORT ELLEN"));
}

#[test]
fn extract_decodes_a_declared_charset() {
    let out = run(&["extract", "--json", &fixture("html/cigales_latin1.html")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let p = &json_lines(&out)[0];
    assert_eq!(p["title"], "L'été des cigales");
    assert!(p["text"]
        .as_str()
        .unwrap()
        .contains("jusqu'à la fin du mois d'août"));
}

#[test]
fn extract_names_a_bad_page_and_reads_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.html");
    std::fs::write(&empty, "").unwrap();
    let not_html = fixture("html/not_html.html");
    let good = fixture("html/harbour_bridge.html");
    let out = run(&[
        "extract",
        "--json",
        &not_html,
        empty.to_str().unwrap(),
        &good,
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{not_html}: not an HTML page")),
        "{err}"
    );
    assert!(err.contains("empty.html: page is empty"), "{err}");
    let pages = json_lines(&out);
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0]["file"], good);
}

/// The pages of newspaper4k's tests whose titles its snapshot asserts (fairly reliable, the data
/// set's SOURCE.md says): most must be read exactly.
#[test]
fn extract_titles_of_real_multilingual_pages() {
    let Some(dir) = super::support::shared_or_skip("data/html/newspaper4k") else {
        return;
    };
    let cases: Vec<Value> = std::fs::read_to_string(dir.join("cases.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|c: &Value| c["title"].as_str().is_some_and(|t| !t.is_empty()))
        .collect();
    let pages: Vec<String> = cases
        .iter()
        .map(|c| dir.join(c["page"].as_str().unwrap()).display().to_string())
        .collect();
    let mut args = vec!["extract", "--json"];
    args.extend(pages.iter().map(String::as_str));
    let out = run(&args);
    let by_file: std::collections::HashMap<String, Value> = json_lines(&out)
        .into_iter()
        .map(|p| (p["file"].as_str().unwrap().to_owned(), p))
        .collect();
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let right = cases
        .iter()
        .zip(&pages)
        .filter(|(c, page)| {
            by_file
                .get(*page)
                .and_then(|p| p["title"].as_str())
                .map(norm)
                == c["title"].as_str().map(norm)
        })
        .count();
    eprintln!("newspaper4k titles: {right} of {} exact", cases.len());
    assert!(right * 10 >= cases.len() * 6, "{right} of {}", cases.len());
}

fn ingest_json(args: &[&str]) -> (Output, Value) {
    let out = run(args);
    let last = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .map(|l| serde_json::from_str(l).unwrap())
        .unwrap_or(Value::Null);
    (out, last)
}

#[test]
fn ingest_reads_pages_and_feeds_and_names_what_it_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db").display().to_string();
    let huge = dir.path().join("huge.html");
    let filler = "<p>word word word word word word word word.</p>\n".repeat(1_100_000); // ~50 MB
    std::fs::write(&huge, format!("<html><body>{filler}</body></html>")).unwrap();
    let huge = huge.display().to_string();
    let (out, last) = ingest_json(&[
        "ingest",
        &fixture("html"),
        &fixture("feeds"),
        &huge,
        "--db",
        &db,
        "--json",
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    for expected in [
        "not_html.html: not an HTML page",
        "courier.rss: item 4: no content, summary or title; skipped",
        "courier.rss: item 3 (\"Tide tables for the week\"): no content or summary; the title is the text",
        "not_a_feed.rss: not a feed that can be read",
        "huge.html: file is over the limit of 20971520 bytes",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    // Two pages and three RSS items, but the harbour page, the RSS's first item and the Atom entry
    // are one article reached by three links (its canonical url makes one id): stored once.
    assert_eq!(last["summary"]["stored"], 4, "{last}\n{err}");
    assert_eq!(last["summary"]["already_stored"], 2, "{last}\n{err}");
    assert_eq!(last["summary"]["rejected"], 4, "{last}\n{err}");

    let stories = run(&["stories", "--db", &db, "--json"]);
    let stories: Value = serde_json::from_slice(&stories.stdout).unwrap();
    let headlines: Vec<&str> = stories
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["headline"].as_str().or(s["title"].as_str()))
        .collect();
    assert!(
        headlines.contains(&"Lifeboat crew rescues two sailors off the point"),
        "{stories}"
    );

    let (again, last) = ingest_json(&[
        "ingest",
        &fixture("html"),
        &fixture("feeds"),
        "--db",
        &db,
        "--json",
    ]);
    assert_eq!(last["summary"]["stored"], 0, "{}", stderr(&again));
}

/// One WARC record: its headers, then the block, then two blank lines (WARC 1.0).
fn warc_record(kind: &str, no: u32, uri: &str, date: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{no:012}>\r\nWARC-Date: {date}\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype={kind}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn http_response(content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r
}

/// A small WARC as a crawler writes one: warcinfo, a request and its response, metadata, an
/// image, an undated page, and a last record cut short.
fn write_warc(path: &Path) {
    let dated = std::fs::read(fixture("html/harbour_bridge.html")).unwrap();
    let undated = b"<html><head><title>Ferry timetable changes</title></head><body><article>\
        <p>The summer ferry timetable starts on the first of May, with two extra crossings on \
        weekdays and a late boat on Fridays for the festival season.</p>\
        <p>Tickets bought for the old times stay valid, the operator said.</p></article></body></html>";
    let at = "2026-03-15T08:00:00Z";
    let mut records = vec![
        warc_record("warcinfo", 1, "", at, b"software: samestory test\r\n"),
        warc_record(
            "request",
            2,
            "https://courier.example/news/bridge",
            at,
            b"GET /news/bridge HTTP/1.1\r\nHost: courier.example\r\n\r\n",
        ),
        warc_record(
            "response",
            3,
            "https://courier.example/news/bridge",
            at,
            &http_response("text/html; charset=utf-8", &dated),
        ),
        warc_record(
            "metadata",
            4,
            "https://courier.example/news/bridge",
            at,
            b"fetchTimeMs: 12\r\n",
        ),
        warc_record(
            "response",
            5,
            "https://courier.example/logo.png",
            at,
            &http_response("image/png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        ),
        warc_record(
            "response",
            6,
            "https://courier.example/news/ferry?utm_source=x",
            at,
            &http_response("text/html", undated),
        ),
    ];
    let mut cut = warc_record(
        "response",
        7,
        "https://courier.example/cut",
        at,
        &http_response("text/html", &dated),
    );
    cut.truncate(cut.len() / 2);
    records.push(cut);
    // One gzip member a record, as Common Crawl writes them.
    let file = std::fs::File::create(path).unwrap();
    let mut file = std::io::BufWriter::new(file);
    for r in records {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &r).unwrap();
        std::io::Write::write_all(&mut file, &gz.finish().unwrap()).unwrap();
    }
}

#[test]
fn warc_responses_with_html_become_articles_and_the_rest_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let warc = dir.path().join("crawl.warc.gz");
    write_warc(&warc);
    let warc = warc.display().to_string();
    let out = run(&["extract", "--json", &warc]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    let pages = json_lines(&out);
    assert_eq!(pages.len(), 2, "{err}");
    // The page's own canonical link and date win over the record's.
    assert_eq!(
        pages[0]["url"],
        "https://courier.example/news/2026/03/harbour-bridge-reopens"
    );
    assert_eq!(pages[0]["published"], "2026-03-14T09:30:00Z");
    // The undated page: its target URI (tracking dropped) and the WARC-Date.
    assert_eq!(pages[1]["url"], "https://courier.example/news/ferry");
    assert_eq!(pages[1]["published"], "2026-03-15T08:00:00Z");
    assert_eq!(pages[1]["title"], "Ferry timetable changes");
    assert!(
        err.contains(
            "record 5 (https://courier.example/logo.png): response is image/png, not HTML; skipped"
        ),
        "{err}"
    );
    assert!(
        err.contains("record 7: truncated or malformed record"),
        "{err}"
    );
    assert!(
        !err.contains("record 4"),
        "metadata records are read past: {err}"
    );

    let db = dir.path().join("t.db").display().to_string();
    let (out, last) = ingest_json(&["ingest", &warc, "--db", &db, "--json"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(last["summary"]["stored"], 2, "{last}");
    assert_eq!(last["summary"]["rejected"], 2, "{last}");
}

/// The four article fixtures as rows (id, title, text, published), a row without text, and the
/// original wire story again under another id (an exact copy, which `dedup` finds).
fn article_rows() -> Vec<(String, Option<String>, Option<String>, i64)> {
    let mut rows: Vec<_> = [
        "wire_original",
        "wire_reprint",
        "quake_chile",
        "quake_nepal",
    ]
    .iter()
    .enumerate()
    .map(|(i, id)| {
        let text = std::fs::read_to_string(fixture(&format!("articles/{id}.txt"))).unwrap();
        (
            id.to_string(),
            Some(format!("Title {i}")),
            Some(text),
            1_700_000_000 + i as i64 * 3600,
        )
    })
    .collect();
    rows.push((
        "no_text".into(),
        Some("A row without text".into()),
        None,
        1_700_100_000,
    ));
    let again = rows[0].2.clone();
    rows.push((
        "wire_again".into(),
        Some("Title 0".into()),
        again,
        1_700_200_000,
    ));
    rows
}

fn write_parquet(path: &Path) {
    use arrow_array::types::Int32Type;
    use arrow_array::{
        ArrayRef, Int32Array, ListArray, RecordBatch, StringArray, TimestampMillisecondArray,
    };
    use std::sync::Arc;
    let rows = article_rows();
    let ids: ArrayRef = Arc::new(StringArray::from_iter_values(
        rows.iter().map(|r| r.0.clone()),
    ));
    let titles: ArrayRef = Arc::new(rows.iter().map(|r| r.1.clone()).collect::<StringArray>());
    let texts: ArrayRef = Arc::new(rows.iter().map(|r| r.2.clone()).collect::<StringArray>());
    let dates: ArrayRef = Arc::new(
        TimestampMillisecondArray::from_iter_values(rows.iter().map(|r| r.3 * 1000))
            .with_timezone("UTC"),
    );
    let words: ArrayRef = Arc::new(Int32Array::from_iter_values(rows.iter().map(|r| {
        r.2.as_deref()
            .map_or(0, |t| t.split_whitespace().count() as i32)
    })));
    let tags: ArrayRef = Arc::new(ListArray::from_iter_primitive::<Int32Type, _, _>(
        rows.iter().map(|_| Some(vec![Some(1), Some(2)])),
    ));
    let batch = RecordBatch::try_from_iter([
        ("doc_id", ids),
        ("headline", titles),
        ("maintext", texts),
        ("date_publish", dates.clone()),
        ("published", dates),
        ("words", words),
        ("tags", tags),
    ])
    .unwrap();
    let file = std::fs::File::create(path).unwrap();
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
}

fn write_jsonl(path: &Path) {
    let lines: Vec<String> = article_rows()
        .into_iter()
        .map(|(id, title, text, published)| {
            serde_json::json!({"doc_id": id, "headline": title, "maintext": text, "published": published})
                .to_string()
        })
        .collect();
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

#[test]
fn parquet_rows_are_read_by_the_field_aliases_and_dedup_as_jsonl() {
    let dir = tempfile::tempdir().unwrap();
    let pq = dir.path().join("rows.parquet");
    let jl = dir.path().join("rows.jsonl");
    write_parquet(&pq);
    write_jsonl(&jl);
    let (pq, jl) = (pq.display().to_string(), jl.display().to_string());

    let out = run(&["extract", "--json", &pq]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains(&format!("{pq}:5: missing field `text`")),
        "{err}"
    );
    assert!(err.contains("`tags` (List"), "{err}");
    let read = json_lines(&out);
    assert_eq!(read.len(), 5, "{read:?}\n{err}");
    assert_eq!(read[1]["id"], "wire_reprint");
    assert_eq!(read[1]["title"], "Title 1");
    assert_eq!(read[1]["published"], "2023-11-14T23:13:20Z");

    let families = |input: &str, name: &str| {
        let clusters = dir.path().join(name);
        let out = run(&["dedup", input, "--clusters", clusters.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
        std::fs::read_to_string(clusters).unwrap()
    };
    let from_parquet = families(&pq, "pq.jsonl");
    assert!(
        from_parquet.contains("wire_again") && from_parquet.contains("wire_original"),
        "{from_parquet}"
    );
    assert_eq!(from_parquet, families(&jl, "jl.jsonl"));

    let db = dir.path().join("t.db").display().to_string();
    let (out, last) = ingest_json(&["ingest", &pq, "--db", &db, "--json"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(last["summary"]["stored"], 5, "{last}");
    assert_eq!(last["summary"]["copies"], 2, "{last}");
}

#[test]
fn dedup_writes_jsonl_csv_or_parquet_by_the_name_and_each_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let jl = dir.path().join("rows.jsonl");
    write_jsonl(&jl);
    let jl = jl.display().to_string();
    let path = |name: &str| dir.path().join(name).display().to_string();
    let kept_ids = |file: &str| -> Vec<String> {
        let out = run(&["extract", "--json", file]);
        json_lines(&out)
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let mut kept = Vec::new();
    for ext in ["jsonl", "csv", "parquet"] {
        let (output, clusters) = (
            path(&format!("kept.{ext}")),
            path(&format!("families.{ext}")),
        );
        let out = run(&["dedup", &jl, "--output", &output, "--clusters", &clusters]);
        assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
        kept.push(kept_ids(&output));
        if ext == "csv" {
            let table = std::fs::read_to_string(&clusters).unwrap();
            assert_eq!(
                table,
                "original,member\nwire_original,wire_original\nwire_original,wire_again\n"
            );
        }
    }
    // Five rows with text, one an exact copy: four kept, the same in each format.
    assert_eq!(
        kept[0],
        [
            "wire_original",
            "wire_reprint",
            "quake_chile",
            "quake_nepal"
        ]
    );
    assert_eq!(kept[1], kept[0]);
    assert_eq!(kept[2], kept[0]);
    // The CSV and Parquet outputs keep the title and the date.
    let parquet = run(&["extract", "--json", &path("kept.parquet")]);
    let first = &json_lines(&parquet)[0];
    assert_eq!(first["title"], "Title 0");
    assert_eq!(first["published"], "2023-11-14T22:13:20Z");
}

#[test]
fn export_writes_stories_articles_and_copies_in_each_format() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db").display().to_string();
    let out = run(&["ingest", &fixture("articles"), "--db", &db]);
    assert!(out.status.success(), "{}", stderr(&out));
    let path = |name: &str| dir.path().join(name).display().to_string();
    for ext in ["jsonl", "csv", "parquet"] {
        for what in ["stories", "articles", "copies"] {
            let file = path(&format!("{what}.{ext}"));
            let out = run(&["export", what, "--output", &file, "--db", &db]);
            assert!(out.status.success(), "{what}.{ext}: {}", stderr(&out));
        }
        // The articles read back as articles: the four stored, with their titles and texts.
        let back = run(&["extract", "--json", &path(&format!("articles.{ext}"))]);
        let back = json_lines(&back);
        let mut ids: Vec<&str> = back.iter().map(|a| a["id"].as_str().unwrap()).collect();
        ids.sort();
        assert_eq!(
            ids,
            [
                "quake_chile",
                "quake_nepal",
                "wire_original",
                "wire_reprint"
            ],
            "{ext}"
        );
        assert!(back
            .iter()
            .all(|a| a["extracted"].as_str().unwrap().len() > 200));
    }
    let copies = std::fs::read_to_string(path("copies.csv")).unwrap();
    let lines: Vec<&str> = copies.lines().collect();
    assert_eq!(lines[0], "id,original,jaccard,exact,story");
    assert_eq!(lines.len(), 2, "{copies}");
    assert!(
        lines[1].starts_with("wire_reprint,wire_original,"),
        "{copies}"
    );
    let stories = std::fs::read_to_string(path("stories.jsonl")).unwrap();
    assert_eq!(stories.lines().count(), 3, "{stories}");
}
