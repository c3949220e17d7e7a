//! Reports of one event in two languages are linked, reports of two events of one kind are not
//! (`samestory_engine::across`), on the fixtures of `testdata/stories/`: the eight events of
//! `languages.jsonl` (German, Spanish, Russian, Chinese; three reports each) and the same eight
//! told in English in `languages_en.jsonl` (one report each).

use samestory_engine::across::{shared, Markers};
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Deserialize)]
struct Row {
    id: String,
    title: String,
    text: String,
    event: String,
}

fn rows(name: &str) -> Vec<Row> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/stories")
        .join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| serde_json::from_str(l).expect("a fixture row"))
        .collect()
}

#[test]
fn english_reports_are_linked_to_the_same_event_in_four_languages_and_to_no_other() {
    let english = rows("languages_en.jsonl");
    let others = rows("languages.jsonl");
    assert_eq!((english.len(), others.len()), (8, 24));
    let markers = |r: &Row| Markers::of(Some(&r.title), &r.text);
    let (mut found, mut missed, mut false_links) = (0, Vec::new(), Vec::new());
    for e in &english {
        let me = markers(e);
        for o in &others {
            let s = shared(&me, &markers(o));
            match (e.event == o.event, s.linked) {
                (true, true) => found += 1,
                (true, false) => missed.push(format!("{} {} {s:?}", e.id, o.id)),
                (false, true) => false_links.push(format!("{} {} {s:?}", e.id, o.id)),
                (false, false) => {}
            }
        }
    }
    assert!(missed.is_empty(), "missed: {missed:#?}");
    assert!(false_links.is_empty(), "false links: {false_links:#?}");
    assert_eq!(found, 24);
}
