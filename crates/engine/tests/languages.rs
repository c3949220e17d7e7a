//! Words beyond English, against the fixtures of `testdata/languages` (see its README): in eleven
//! languages of ten scripts a reprint (new dateline, one sentence changed) is a copy at the default threshold, and
//! another article of the same outlet is not; a search word of a script without spaces is among the
//! words of the text that holds it; every fixture's language is told from its text, and an input's
//! own `language` field wins. The newspaper4k pages' texts of `../shared` (skipped when absent)
//! have their languages told too.

use samestory_engine::article::Article;
use samestory_engine::clean::Cleaner;
use samestory_engine::explain::explain;
use samestory_engine::pipeline::{prepare, Config};
use samestory_engine::text::{distinct_words, for_each_word};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[allow(dead_code)]
mod support;

#[derive(Deserialize)]
struct Row {
    id: String,
    language: String,
    kind: String,
    title: String,
    text: String,
}

fn rows() -> Vec<Row> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/languages/copies.jsonl");
    std::fs::read_to_string(path)
        .expect("testdata/languages/copies.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a fixture row"))
        .collect()
}

fn article(r: &Row) -> Article {
    Article {
        id: r.id.clone(),
        title: Some(r.title.clone()),
        text: r.text.clone(),
        ..Article::default()
    }
}

#[test]
fn reprints_are_copies_and_other_articles_are_not_in_eleven_languages() {
    let mut by_language: BTreeMap<String, BTreeMap<String, Row>> = BTreeMap::new();
    for r in rows() {
        by_language
            .entry(r.language.clone())
            .or_default()
            .insert(r.kind.clone(), r);
    }
    let languages: Vec<&str> = by_language.keys().map(String::as_str).collect();
    assert_eq!(
        languages,
        ["ar", "de", "el", "es", "he", "hi", "ja", "ko", "ru", "th", "zh"]
    );
    let config = Config::default();
    let mut failures = Vec::new();
    for (language, kinds) in &by_language {
        let original = article(&kinds["original"]);
        let reprint = explain(&original, &article(&kinds["reprint"]), &config, None).decision;
        let other = explain(&original, &article(&kinds["other"]), &config, None).decision;
        println!(
            "{language}: reprint Jaccard {:.3}, other article {:.3}",
            reprint.jaccard, other.jaccard
        );
        if !reprint.copy {
            failures.push(format!(
                "{language}: the reprint is no copy ({:.3})",
                reprint.jaccard
            ));
        }
        if other.copy || other.jaccard > 0.1 {
            failures.push(format!(
                "{language}: another article is a copy ({:.3})",
                other.jaccard
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// `compare` shows the terms two articles share: in a script without spaces they are the
/// character bigrams the engine reads, not single letters.
#[test]
fn shared_terms_of_unspaced_scripts_are_their_bigrams() {
    let rows = rows();
    let row = |id: &str| rows.iter().find(|r| r.id == id).expect(id);
    for language in ["zh", "ja", "th"] {
        let verdict = explain(
            &article(row(&format!("{language}_original"))),
            &article(row(&format!("{language}_reprint"))),
            &Config::default(),
            None,
        );
        let terms = &verdict.decision.evidence.terms;
        assert!(terms.len() >= 10, "{language}: {terms:?}");
        for t in terms {
            let letters = words(t);
            assert_eq!(letters.len(), 1, "{language}: {t} is one token");
            assert_eq!(&letters[0], t, "{language}: {t} is one token");
            assert!(t.chars().count() >= 2, "{language}: {t} is a single letter");
        }
    }
}

fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, |_, w| out.push(w.to_owned()));
    out
}

#[test]
fn search_words_of_unspaced_scripts_are_found_in_their_texts() {
    let rows = rows();
    let text = |id: &str| &rows.iter().find(|r| r.id == id).expect(id).text;
    for (query, id) in [
        ("国家统计局", "zh_original"),
        ("東京電力", "ja_original"),
        ("ธนาคาร", "th_original"),
        ("한국은행", "ko_original"),
    ] {
        let indexed = distinct_words(text(id));
        let indexed: Vec<&str> = indexed.split(' ').collect();
        let wanted = words(query);
        assert!(!wanted.is_empty(), "{query}: no word");
        for w in &wanted {
            assert!(indexed.contains(&w.as_str()), "{query}: {w} not in {id}");
        }
        // And not in an article that does not hold the query.
        let other = distinct_words(text(&id.replace("original", "other")));
        let other: Vec<&str> = other.split(' ').collect();
        assert!(
            !wanted.iter().all(|w| other.contains(&w.as_str())),
            "{query}"
        );
    }
}

#[test]
fn every_fixture_has_its_language_told_and_an_input_field_wins() {
    let (config, cleaner) = (Config::default(), Cleaner::default());
    let told = |a: &Article| {
        prepare(a, &cleaner, &config)
            .language
            .map(|l| l.to_string())
    };
    for r in rows() {
        assert_eq!(
            told(&article(&r)).as_deref(),
            Some(r.language.as_str()),
            "{}",
            r.id
        );
    }
    let mut named = article(&rows()[0]);
    named
        .meta
        .insert("Language".into(), serde_json::Value::from("pt-BR"));
    assert_eq!(told(&named).as_deref(), Some("pt"));
    named.meta.insert("Language".into(), "Chinese".into());
    assert_eq!(
        told(&named),
        told(&article(&rows()[0])),
        "no language tag: told from the text"
    );
}

/// The texts of newspaper4k's pages (`../shared/data/html/newspaper4k`: `cases.jsonl` names each
/// page's language; five texts without a page are named by their file) in 14 languages, among
/// them Burmese, Latvian, Bengali, Hindi and Nepali: each one's language told right (BENCHMARKS
/// §11 has the figures).
#[test]
fn newspaper4k_texts_have_their_languages_told() {
    let Some(dir) = support::shared_or_skip("data/html/newspaper4k") else {
        return;
    };
    let cases = std::fs::read_to_string(dir.join("cases.jsonl")).expect("cases.jsonl");
    let mut texts: Vec<(String, String)> = cases
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("a case"))
        .filter_map(|c| {
            let language = c["language"].as_str()?.to_owned();
            Some((c["expected_text_file"].as_str()?.to_owned(), language))
        })
        .collect();
    for (name, language) in [
        ("bengali_article", "bn"),
        ("hindi_article", "hi"),
        ("korean_article", "ko"),
        ("nepali_article", "ne"),
        ("cnn_summary", "en"),
    ] {
        texts.push((format!("txt/{name}.txt"), language.to_owned()));
    }
    assert_eq!(texts.len(), 27);
    let (config, cleaner) = (Config::default(), Cleaner::default());
    let mut wrong = Vec::new();
    for (file, language) in &texts {
        let text = std::fs::read_to_string(dir.join(file)).expect(file);
        let a = Article {
            id: file.clone(),
            text,
            ..Article::default()
        };
        let told = prepare(&a, &cleaner, &config)
            .language
            .map(|l| l.to_string());
        if told.as_deref() != Some(language.as_str()) {
            wrong.push(format!("{file}: {language} told as {told:?}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
