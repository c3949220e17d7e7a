//! Web pages, feeds, web archives and Parquet, end to end through the binary: `extract`, and the
//! formats every reading command takes. Fixtures are ours (`testdata/html/`, README there); the
//! real pages in `../shared/data/html` are read when present and skipped with a notice when not.

use super::{fixture, root, run};
use serde_json::Value;
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
    let dir = root().join("../shared/data/html/newspaper4k");
    if !dir.exists() {
        eprintln!("skipped: ../shared/data/html/newspaper4k is absent");
        return;
    }
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
