//! Reading the news through the pages and the API (issue 24): the front page's windows, filters
//! and search snippets, storylines, the story page at any size, the compare page's quotes.

use super::{get, root, Server};
use std::path::Path;
use std::process::Command;

/// Ingests `file` (with extra `ingest` flags) into a new database in `dir` with the CLI.
pub fn ingested(dir: &Path, file: &Path, flags: &[&str]) -> std::path::PathBuf {
    let db = dir.join("read.db");
    let out = Command::new(env!("CARGO_BIN_EXE_samestory"))
        .arg("ingest")
        .arg(file)
        .arg("--db")
        .arg(&db)
        .args(flags)
        .output()
        .expect("ingest runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

fn story_of(url: &str, article: &str) -> String {
    get(&format!("{url}/api/articles/{article}")).json()["story"]
        .as_str()
        .expect("a story")
        .to_owned()
}

#[test]
fn storylines_windows_filters_and_snippets_on_the_trial_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let db = ingested(
        dir.path(),
        &root().join("testdata/storylines/trial.jsonl"),
        &[],
    );
    let s = Server::start(&db, &[]);
    let (trial, verdict) = (story_of(&s.url, "trial-1"), story_of(&s.url, "verdict-1"));

    // The API.
    let lines = get(&format!("{}/api/storylines", s.url)).json();
    assert_eq!(lines["storylines"].as_array().unwrap().len(), 1, "{lines}");
    assert_eq!(lines["storylines"][0]["id"], trial.as_str());
    assert_eq!(lines["storylines"][0]["stories"], 2);
    let line = get(&format!("{}/api/storylines/{verdict}", s.url)).json();
    assert_eq!(
        line["stories"][1]["story"]["id"],
        verdict.as_str(),
        "{line}"
    );
    assert_eq!(get(&format!("{}/api/storylines/nope", s.url)).status, 404);

    // The story pages point to each other; the storyline page lists both in order.
    let page = get(&format!("{}/stories/{verdict}", s.url)).body;
    assert!(page.contains("id=\"earlier-in-storyline\""), "{page}");
    assert!(
        page.contains(&format!("href=\"/stories/{trial}\"")),
        "{page}"
    );
    let page = get(&format!("{}/stories/{trial}", s.url)).body;
    assert!(page.contains("id=\"later-in-storyline\""), "{page}");
    let page = get(&format!("{}/storylines/{trial}", s.url)).body;
    let (t, v) = (
        page.find(&format!("/stories/{trial}\"")).unwrap(),
        page.find(&format!("/stories/{verdict}\"")).unwrap(),
    );
    assert!(t < v, "in the order they started");
    assert!(
        page.contains("continues “Bribery trial of former Malmö mayor"),
        "{page}"
    );

    // The front page opens on the last 24 hours up to the newest article (the appeal).
    let front = get(&format!("{}/", s.url)).body;
    assert!(
        front.contains("Top stories of the 24 hours to 2024-05-27"),
        "{front}"
    );
    assert!(front.contains("Hallström files appeal"), "{front}");
    assert!(!front.contains("Storm floods"), "{front}");
    // Seven days back from 11 May: trial (3 outlets) above the storm (2) above nothing later.
    // The trial is listed by its representative title (the one sharing most words with the
    // other two), not by its first article's ("Bribery trial of former Malmö mayor …").
    let week = get(&format!("{}/?window=7d&end=2024-05-11T00:00:00Z", s.url)).body;
    let top = &week[week.find("Top stories</h2>").unwrap()..];
    let (trial_at, storm_at) = (
        top.find("Prosecutors detail Nordbygg payments").unwrap(),
        top.find("Storm floods").unwrap(),
    );
    assert!(trial_at < storm_at, "ranked by outlets");
    assert!(!top.contains("files appeal"), "outside the window");
    assert!(
        !week.contains("id=\"earlier\""),
        "nothing before 6 May: {week}"
    );
    assert!(week.contains("<h2>Developing</h2>"), "{week}");
    // A day, with both neighbours (the newest day has no later one); a filter by outlet and by
    // outlets.
    let day = get(&format!("{}/?day=2024-05-08", s.url)).body;
    assert!(
        day.contains("id=\"earlier\"") && day.contains("id=\"later\""),
        "{day}"
    );
    let last = get(&format!("{}/?day=2024-05-27", s.url)).body;
    assert!(!last.contains("id=\"later\""), "{last}");
    assert!(day.contains("href=\"/?day=2024-05-07\""), "{day}");
    assert!(day.contains("href=\"/?day=2024-05-09\""), "{day}");
    let ouest = get(&format!(
        "{}/?window=30d&end=2024-05-28&outlet=ouest%20wire",
        s.url
    ))
    .body;
    assert!(ouest.contains("Storm floods"), "{ouest}");
    assert!(!ouest.contains("Nordbygg"), "{ouest}");
    let three = get(&format!(
        "{}/?window=30d&end=2024-05-28&min_outlets=3",
        s.url
    ))
    .body;
    assert!(
        three.contains("Prosecutors detail Nordbygg payments"),
        "{three}"
    );
    assert!(!three.contains("Storm floods"), "{three}");
    assert_eq!(get(&format!("{}/?window=2w", s.url)).status, 400);
    assert_eq!(get(&format!("{}/?day=May", s.url)).status, 400);

    // Search: each story with a snippet, the words marked.
    let found = get(&format!("{}/?q=nordbygg%20payments", s.url)).body;
    assert!(found.contains("<p class=\"snippet\">"), "{found}");
    assert!(
        found.contains("<mark class=\"hit\">Nordbygg</mark>"),
        "{found}"
    );
    assert!(
        found.contains("<mark class=\"hit\">payments</mark>"),
        "{found}"
    );

    // The compare page lists the quotes both articles carry (none here, said so).
    let cmp = get(&format!("{}/compare?a=trial-1&b=trial-2", s.url)).body;
    assert!(cmp.contains("id=\"shared-quotes\""), "{cmp}");
}
