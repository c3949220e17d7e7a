//! The properties the fuzz targets check, one function a target, each over arbitrary bytes. A
//! property that fails panics, and libFuzzer keeps the input that made it fail.
//!
//! | target | property |
//! | --- | --- |
//! | [`jsonl`], [`csv`], [`txt`] | reading a file of that format never panics; every error and warning names the file and, when it has a line, a line the input has; every article has a non-empty id and a text with words within the size limit |
//! | [`dates`] | reading a date (with or without a `--date-format` pattern) never panics, and a date read lies in the years 1600 to 2200 |
//! | [`cleaner`] | cleaning never panics; removals are sorted, disjoint, inside the text and on character boundaries; the clean text is the text with the removals cut out, and every clean offset maps back to the same character of the original |
//! | [`quotes`] | quote extraction never panics; every quote's span, and its speaker's, is inside the text on character boundaries |
//!
//! The readers are the app's own input module, compiled here by path: the app is a binary.

#[allow(dead_code)]
#[path = "../../crates/app/src/input/mod.rs"]
mod input;

use input::{Format, InputError, ReadOptions, Record, Source};
use samestory_engine::analysis::extract_quotes;
use samestory_engine::clean::Cleaner;
use samestory_engine::Span;
use serde_json::Value;
use std::sync::OnceLock;

/// Small enough that the fuzzer reaches the limit.
const MAX_ARTICLE_BYTES: usize = 4096;

fn read_as(data: &[u8], format: Format) {
    let opts = ReadOptions {
        max_article_bytes: MAX_ARTICLE_BYTES,
        ..ReadOptions::default()
    };
    // Decoding UTF-16 never makes more newlines than there are 0x0A bytes.
    let lines = data.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let placed = |e: &InputError| {
        assert_eq!(e.file, "fuzz");
        assert!(!e.message.is_empty());
        if let Some(line) = e.line {
            assert!((1..=lines).contains(&line), "line {line} of {lines}: {e}");
        }
    };
    let src = Source::bytes("fuzz", data.to_vec(), format);
    input::read_source(&src, &opts, &mut |record| match record {
        Record::Article(a, warnings) => {
            assert!(!a.id.is_empty());
            assert!(samestory_engine::text::has_words(&a.text), "{:?}", a.text);
            assert!(a.text.len() <= MAX_ARTICLE_BYTES);
            warnings.iter().for_each(placed);
        }
        Record::Error(e) => placed(&e),
    })
    .expect("the sink does not fail");
}

/// JSON Lines, or a JSON document over many lines (see the table above).
pub fn jsonl(data: &[u8]) {
    read_as(data, Format::Jsonl);
}

/// CSV with a header row (see the table above).
pub fn csv(data: &[u8]) {
    read_as(data, Format::Csv);
}

/// A plain-text article (see the table above).
pub fn txt(data: &[u8]) {
    read_as(data, Format::Text);
}

/// The first line, when there are two, is a `--date-format` pattern; the rest a date, read as a
/// string and, when it is one, as a JSON number (see the table above).
pub fn dates(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (format, date) = match text.split_once('\n') {
        Some((f, d)) => (Some(f), d),
        None => (None, text),
    };
    let mut values = vec![Value::String(date.to_owned())];
    if let Ok(n @ Value::Number(_)) = serde_json::from_str::<Value>(date) {
        values.push(n);
    }
    for v in values {
        if let Ok((t, _)) = input::read_time(&v, format) {
            assert!(
                (-11_676_096_000..7_258_118_400).contains(&t),
                "{v} read as {t}"
            );
        }
    }
}

fn cleaner_once() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(Cleaner::default)
}

/// The cleaner over a UTF-8 text (see the table above).
pub fn cleaner(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let cleaned = cleaner_once().clean(text);
    let mut kept = String::with_capacity(text.len());
    let mut pos = 0;
    for r in &cleaned.removals {
        let Span { start, end } = r.span;
        assert!(
            pos <= start && start <= end && end <= text.len(),
            "{:?}",
            r.span
        );
        assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
        kept.push_str(&text[pos..start]);
        pos = end;
    }
    kept.push_str(&text[pos..]);
    assert_eq!(
        cleaned.text, kept,
        "the clean text is the text without its removals"
    );
    for (offset, ch) in cleaned.text.char_indices() {
        let original = cleaned.to_original(offset);
        assert!(
            text.get(original..)
                .is_some_and(|rest| rest.starts_with(ch)),
            "clean offset {offset} ({ch:?}) maps to {original}"
        );
    }
}

/// Quote extraction over a UTF-8 text (see the table above).
pub fn quotes(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let inside = |s: Span| {
        assert!(
            s.start <= s.end && s.end <= text.len(),
            "{s:?} of {}",
            text.len()
        );
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
    };
    for q in extract_quotes(text) {
        inside(q.span);
        if let Some(span) = q.speaker.and_then(|s| s.span) {
            inside(span);
        }
    }
}
