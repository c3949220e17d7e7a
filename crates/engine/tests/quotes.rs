//! Quote extraction against the cases in `testdata/quotes` (see its README).

use samestory_engine::analysis::quotes::extract_quotes;
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Debug, Deserialize, PartialEq)]
struct Expected {
    text: String,
    speaker: Option<String>,
}

fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/quotes")
}

#[test]
fn quote_cases() {
    let mut names: Vec<String> = std::fs::read_dir(cases_dir())
        .expect("testdata/quotes")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".txt").map(str::to_owned)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 10, "cases: {names:?}");
    let mut failures = Vec::new();
    for name in &names {
        let text = std::fs::read_to_string(cases_dir().join(format!("{name}.txt"))).unwrap();
        let want: Vec<Expected> = serde_json::from_str(
            &std::fs::read_to_string(cases_dir().join(format!("{name}.json"))).unwrap(),
        )
        .unwrap_or_else(|e| panic!("{name}.json: {e}"));
        let got: Vec<Expected> = extract_quotes(&text)
            .into_iter()
            .map(|q| {
                assert_eq!(q.span.slice(&text).is_empty(), q.text.is_empty());
                Expected {
                    text: q.text,
                    speaker: q.speaker.map(|s| s.name),
                }
            })
            .collect();
        if got != want {
            failures.push(format!("{name}:\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_ten_thousand_character_quote_is_one_quote() {
    let body = "the water kept rising and nobody could stop it ".repeat(220);
    assert!(body.len() > 10_000);
    let text = format!(
        "Intro line.\n\u{201C}{}\u{201D} the mayor said.\nAfter.",
        body.trim()
    );
    let qs = extract_quotes(&text);
    assert_eq!(qs.len(), 1);
    assert_eq!(qs[0].text, body.trim());
    assert_eq!(
        qs[0].speaker.as_ref().map(|s| s.name.as_str()),
        Some("mayor")
    );
}

#[test]
fn an_unclosed_quote_does_not_swallow_the_document() {
    let mut text = String::from("He said \"this never closes.\n");
    for k in 0..50 {
        text.push_str(&format!("Paragraph {k} has no quotes at all.\n"));
    }
    let qs = extract_quotes(&text);
    assert_eq!(qs.len(), 1);
    assert_eq!(qs[0].text, "this never closes.");
}
