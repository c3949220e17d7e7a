//! Table-driven cleaning cases from `testdata/clean/cases.json`.

use samestory_engine::clean::Cleaner;
use serde_json::Value;

#[test]
fn cleaning_cases_from_testdata() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/clean/cases.json"
    );
    let cases: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(path).expect("cases file")).expect("JSON");
    assert!(cases.len() >= 10);
    let cleaner = Cleaner::default();
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let text = case["text"].as_str().unwrap();
        let cleaned = cleaner.clean(text);
        let removed: Vec<Value> = cleaned
            .removals
            .iter()
            .map(|r| serde_json::json!([r.reason.as_str(), r.text]))
            .collect();
        if cleaned.text != case["clean"].as_str().unwrap()
            || removed != case["removed"].as_array().unwrap().clone()
        {
            failures.push(format!(
                "{name}:\n  clean {:?}\n  removed {:?}",
                cleaned.text, removed
            ));
        }
        // A date or URL the case names was read from the text (and none where it names none).
        let published = cleaned.published.map(|t| {
            chrono::DateTime::from_timestamp(t, 0)
                .unwrap()
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string()
        });
        if published.as_deref() != case["published"].as_str()
            || cleaned.url.as_deref() != case["url"].as_str()
        {
            failures.push(format!(
                "{name}: published {published:?}, url {:?}",
                cleaned.url
            ));
        }
        // Every removal points at the removed text in the original.
        for r in &cleaned.removals {
            assert_eq!(r.span.slice(text).trim(), r.text, "{name}");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
