//! Who ran whose text, on the web (issue 24): the copies page, an outlet's page, the pickup table
//! of a story, the Atom feeds (read back with feed-rs, as a subscriber's reader would) and the
//! story list as CSV and JSON Lines.

use super::reading::ingested;
use super::{get, Server};
use serde_json::json;

const RATES: &str = "The central bank held its main interest rate at four percent on Thursday, \
    saying inflation had eased for a third month while wages kept rising faster than expected.";
const BRIDGE: &str = "The city council voted to close the old river bridge to all traffic from \
    Monday after engineers found cracks in two of its steel supports during a routine inspection.";

/// The wire's rate story reprinted word for word by two outlets (one in two spellings of its
/// name) and by an article without a source; a bridge story of its own.
fn corpus(dir: &std::path::Path) -> std::path::PathBuf {
    let line = |id: &str, source: Option<&str>, at: &str, title: &str, text: &str| {
        let mut v = json!({"id": id, "published": at, "title": title, "text": text});
        if let Some(s) = source {
            v["source"] = json!(s);
        }
        v.to_string()
    };
    let lines = [
        line(
            "w1",
            Some("Wire"),
            "2024-05-02T08:00:00Z",
            "Central bank holds rates",
            RATES,
        ),
        line(
            "h1",
            Some("Herald"),
            "2024-05-02T09:00:00Z",
            "Rates on hold",
            RATES,
        ),
        line(
            "p1",
            Some("Post"),
            "2024-05-02T09:30:00Z",
            "Central bank holds rates",
            RATES,
        ),
        line(
            "p2",
            Some("POST"),
            "2024-05-02T10:00:00Z",
            "Bank holds",
            RATES,
        ),
        line("n1", None, "2024-05-02T11:00:00Z", "Rates unchanged", RATES),
        line(
            "b1",
            Some("Herald"),
            "2024-05-02T12:00:00Z",
            "River bridge to close",
            BRIDGE,
        ),
    ];
    let path = dir.join("syndication.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

#[test]
fn copies_outlets_feeds_and_exports() {
    let dir = tempfile::tempdir().unwrap();
    let db = ingested(dir.path(), &corpus(dir.path()), &[]);
    let s = Server::start(&db, &[]);

    // The copies page: the wire text, ran by 4 outlets (Post in either case is one), each copy
    // with its outlet and a link to what changed.
    let copies = get(&format!("{}/copies", s.url));
    assert_eq!(copies.status, 200);
    let page = copies.body;
    assert!(page.contains("1 text reprinted"), "{page}");
    assert!(
        page.contains("ran by <b>4 outlets</b> · 4 copies"),
        "{page}"
    );
    assert!(page.contains("href=\"/compare?a=w1&amp;b=h1\""), "{page}");
    assert!(page.contains("href=\"/outlets/unknown\""), "{page}");
    assert!(page.contains("word for word"), "{page}");

    // An outlet's page: who copies it, and what it reprints.
    let wire = get(&format!("{}/outlets/wire", s.url)).body;
    assert!(wire.contains("<h1 id=\"outlet\">Wire</h1>"), "{wire}");
    assert!(
        wire.contains("picked up 4 times by other outlets"),
        "{wire}"
    );
    assert!(
        wire.contains("<a class=\"outlet\" href=\"/outlets/POST\">POST</a> <span class=\"muted\">2 copies</span>"),
        "{wire}"
    );
    assert!(wire.contains("It copied no other outlet"), "{wire}");
    let herald = get(&format!("{}/outlets/Herald", s.url)).body;
    assert!(herald.contains("1 copy of other articles"), "{herald}");
    assert!(
        herald.contains("<ul class=\"pickups\" id=\"copies-from\">"),
        "{herald}"
    );
    assert!(
        herald.contains("River bridge to close"),
        "its stories: {herald}"
    );
    assert_eq!(get(&format!("{}/outlets/Nobody", s.url)).status, 404);

    // The story page counts each outlet's pickups.
    let story = get(&format!("{}/api/articles/w1", s.url)).json()["story"]
        .as_str()
        .unwrap()
        .to_owned();
    let page = get(&format!("{}/stories/{story}", s.url)).body;
    assert!(
        page.contains("<tr><td><a class=\"outlet\" href=\"/outlets/Wire\">Wire</a></td><td>1</td><td>0</td><td>4</td></tr>"),
        "{page}"
    );
    // Lists name the story by the title two outlets ran, not by the first article's alone.
    let list = get(&format!("{}/api/stories?sort=largest", s.url)).json();
    assert_eq!(list["stories"][0]["headline"], "Central bank holds rates");

    // Atom: valid for a feed reader, one entry a story, linked to its page.
    let top = get(&format!("{}/feeds/top.atom", s.url));
    assert_eq!(top.status, 200);
    assert!(
        top.content_type.starts_with("application/atom+xml"),
        "{}",
        top.content_type
    );
    let feed = feed_rs::parser::parse(top.body.as_bytes()).expect("a valid Atom feed");
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(feed.entries.len(), 2, "{}", top.body);
    let first = &feed.entries[0];
    assert_eq!(
        first.title.as_ref().unwrap().content,
        "Central bank holds rates"
    );
    assert!(
        first.links[0].href.ends_with(&format!("/stories/{story}")),
        "{:?}",
        first.links
    );
    assert!(first.updated.is_some());

    let found = get(&format!("{}/feeds/search.atom?q=bridge+cracks", s.url));
    let feed = feed_rs::parser::parse(found.body.as_bytes()).expect("a valid Atom feed");
    assert_eq!(feed.entries.len(), 1, "{}", found.body);
    let summary = &feed.entries[0].summary.as_ref().unwrap().content;
    assert!(
        summary.contains("<mark class=\"hit\">bridge</mark>"),
        "{summary}"
    );
    assert!(
        summary.contains("<mark class=\"hit\">cracks</mark>"),
        "{summary}"
    );
    assert_eq!(get(&format!("{}/feeds/search.atom", s.url)).status, 400);
    let none = get(&format!("{}/feeds/search.atom?q=volcano", s.url));
    assert_eq!(
        feed_rs::parser::parse(none.body.as_bytes())
            .unwrap()
            .entries
            .len(),
        0
    );

    // The story list as CSV and JSON Lines.
    let csv = get(&format!("{}/api/stories?sort=largest&format=csv", s.url));
    assert!(
        csv.content_type.starts_with("text/csv"),
        "{}",
        csv.content_type
    );
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["id", "size", "outlets", "copies", "first", "last", "headline"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][1], "5");
    assert_eq!(&rows[0][4], "2024-05-02T08:00:00Z");
    assert_eq!(&rows[0][6], "Central bank holds rates");
    let paged = get(&format!("{}/api/stories?limit=1&format=jsonl", s.url));
    assert_eq!(paged.body.lines().count(), 1, "{}", paged.body);
    let one: serde_json::Value = serde_json::from_str(paged.body.lines().next().unwrap()).unwrap();
    assert!(one["id"].is_string(), "{one}");
    assert_eq!(
        get(&format!("{}/api/stories?format=xml", s.url)).status,
        400
    );
}

/// `/api/copies` and `/api/outlets/{name}`: what the copies page and an outlet's page show, as
/// JSON, with bounded limits.
#[test]
fn copies_and_outlets_in_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let db = ingested(dir.path(), &corpus(dir.path()), &[]);
    let s = Server::start(&db, &[]);

    let v = get(&format!("{}/api/copies", s.url)).json();
    assert_eq!(v["total"], 1, "{v}");
    let family = &v["families"][0];
    assert_eq!(family["original"]["id"], "w1", "{v}");
    assert_eq!(family["outlets"], 4, "{v}");
    let copies: Vec<&str> = family["copies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(copies, ["h1", "p1", "p2", "n1"], "in publication order");
    assert_eq!(family["copies"][0]["exact"], true);
    assert!(family["copies"][3]["source"].is_null(), "{v}");
    let past = get(&format!("{}/api/copies?page=2", s.url)).json();
    assert_eq!(past["families"].as_array().unwrap().len(), 0, "{past}");
    let bounded = get(&format!("{}/api/copies?limit=100000&page=0", s.url)).json();
    assert_eq!(bounded["page"], 1, "{bounded}");
    assert_eq!(get(&format!("{}/api/copies?limit=-1", s.url)).status, 400);

    let wire = get(&format!("{}/api/outlets/WIRE", s.url)).json();
    assert_eq!(wire["outlet"]["name"], "Wire", "{wire}");
    assert_eq!(wire["outlet"]["picked_up"], 4, "{wire}");
    assert_eq!(wire["copied_by"][0], json!({"outlet": "POST", "copies": 2}));
    assert_eq!(wire["copies_from"], json!([]), "{wire}");
    let unknown = get(&format!("{}/api/outlets/unknown", s.url)).json();
    assert_eq!(unknown["outlet"]["articles"], 1, "{unknown}");
    assert_eq!(
        unknown["copies_from"],
        json!([{"outlet": "Wire", "copies": 1}])
    );
    let one = get(&format!("{}/api/outlets/Wire?limit=1", s.url)).json();
    assert_eq!(one["copied_by"].as_array().unwrap().len(), 1, "{one}");
    assert_eq!(get(&format!("{}/api/outlets/Nobody", s.url)).status, 404);

    // Every outlet: the most articles first, Post in either case one, the sourceless `unknown`.
    let all = get(&format!("{}/api/outlets", s.url)).json();
    let rows: Vec<(String, u64, u64, u64)> = all["outlets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let n = |k: &str| o[k].as_u64().unwrap();
            (
                o["name"].as_str().unwrap().to_owned(),
                n("articles"),
                n("copies"),
                n("picked_up"),
            )
        })
        .collect();
    let want = [
        ("Herald", 2, 1, 0),
        ("POST", 2, 2, 0),
        ("Wire", 1, 0, 4),
        ("unknown", 1, 1, 0),
    ];
    let want: Vec<(String, u64, u64, u64)> = want
        .iter()
        .map(|&(n, a, c, p)| (n.to_owned(), a, c, p))
        .collect();
    assert_eq!(rows, want, "{all}");
    let second = get(&format!("{}/api/outlets?limit=2&page=2", s.url)).json();
    assert_eq!(second["outlets"][0]["name"], "Wire", "{second}");
    assert_eq!(get(&format!("{}/api/outlets?page=x", s.url)).status, 400);
}
