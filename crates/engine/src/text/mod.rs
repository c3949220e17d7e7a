//! Words for matching: how raw text becomes a sequence of normalized, hashed tokens.
//!
//! Matching never changes the text a user sees. A token keeps the span of its word in the text it
//! came from, and its *normal form* is what comparisons use: Unicode NFKC, lower case, with curly and
//! straight quotes, dashes and odd spaces folded. ASCII words (most of them) take a fast path that
//! neither allocates nor normalizes.
//!
//! A word is a maximal run of alphanumeric characters or `_`, as `\w+` in most regex engines, so
//! shingles agree with the `re.findall(r"\w+", text.lower())` that the benchmark truth uses. Beyond
//! ASCII a word also goes on over combining marks, a run of a script written without spaces (Chinese,
//! Japanese, Thai, …) becomes its character bigrams, and Arabic, Hebrew, Greek and Cyrillic letter
//! variants are folded: see [`scripts`]. Where a sentence ends between two words, in any script:
//! [`sentence_ends`].

pub mod language;
pub mod lexicon;
pub mod scripts;
pub mod sentence_ends;
pub mod stem;
pub mod stopwords;

use crate::article::Span;
use unicode_normalization::UnicodeNormalization;

/// The English month names, January first, lower case.
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The English weekday names, Monday first, lower case.
pub const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Fold punctuation variants that differ only in typography to one form.
#[inline]
pub fn fold_char(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => '-',
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => ' ',
        c => c,
    }
}

/// The text folded for matching: NFKC, then [`fold_char`]. Not lower-cased (names need their case).
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_owned();
    }
    text.nfkc().map(fold_char).collect()
}

#[inline]
fn is_word_char(c: char) -> bool {
    scripts::is_plain_cjk(c) || c.is_alphanumeric() || c == '_'
}

/// Whether `text` has a word at all ([`for_each_word`] would find one). A text of spaces,
/// punctuation, emoji or invisible characters has none: every such text would have the same
/// empty shingles, so it cannot be compared with anything.
pub fn has_words(text: &str) -> bool {
    text.chars().any(is_word_char)
}

/// Calls `f(span, normal_form)` for every word of `text`, in order.
///
/// `normal_form` is lower case and NFKC; it is only valid during the call.
pub fn for_each_word(text: &str, mut f: impl FnMut(Span, &str)) {
    let bytes = text.as_bytes();
    let mut buf = String::new();
    let mut units = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if b.is_ascii_alphanumeric() || b == b'_' {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                if i < bytes.len() && bytes[i] >= 0x80 {
                    // The word goes on past ASCII: take the slow path for the whole of it.
                    i = start;
                    i = slow_word(text, i, &mut buf, &mut units, &mut f);
                    continue;
                }
                buf.clear();
                buf.push_str(&text[start..i]);
                buf.make_ascii_lowercase();
                f(Span::new(start, i), &buf);
            } else {
                i += 1;
            }
        } else {
            let c = text[i..].chars().next().expect("char boundary");
            if is_word_char(c) {
                i = slow_word(text, i, &mut buf, &mut units, &mut f);
            } else {
                i += c.len_utf8();
            }
        }
    }
}

/// Reads the word starting at `start` (its first character is a word character) and returns where
/// it ends. A word with letters of a script written without spaces is cut into its parts, each
/// spaced part a word and each unspaced part its bigrams ([`scripts::for_each_bigram`]).
fn slow_word(
    text: &str,
    start: usize,
    buf: &mut String,
    units: &mut Vec<usize>,
    f: &mut impl FnMut(Span, &str),
) -> usize {
    let mut end = start;
    let mut unspaced = false;
    for (off, c) in text[start..].char_indices() {
        if !(is_word_char(c) || (off > 0 && scripts::continues_word(c))) {
            break;
        }
        unspaced |= scripts::is_unspaced(c);
        end = start + off + c.len_utf8();
    }
    if !unspaced {
        spaced_word(text, start, end, buf, f);
        return end;
    }
    // Parts alternate between spaced and unspaced letters; a mark belongs to its letter's part.
    let mut part_start = start;
    let mut part_unspaced = None;
    for (off, c) in text[start..end].char_indices() {
        let at = start + off;
        if off > 0 && scripts::continues_word(c) {
            continue;
        }
        let u = scripts::is_unspaced(c);
        match part_unspaced {
            Some(p) if p != u => {
                emit_part(text, part_start, at, p, buf, units, f);
                part_start = at;
            }
            _ => {}
        }
        part_unspaced = Some(u);
    }
    emit_part(
        text,
        part_start,
        end,
        part_unspaced == Some(true),
        buf,
        units,
        f,
    );
    end
}

fn emit_part(
    text: &str,
    start: usize,
    end: usize,
    unspaced: bool,
    buf: &mut String,
    units: &mut Vec<usize>,
    f: &mut impl FnMut(Span, &str),
) {
    if unspaced {
        scripts::for_each_bigram(text, start, end, units, buf, f);
    } else {
        spaced_word(text, start, end, buf, f);
    }
}

/// The word `text[start..end]` in its normal form: NFKC, lower case, script letters folded.
fn spaced_word(
    text: &str,
    start: usize,
    end: usize,
    buf: &mut String,
    f: &mut impl FnMut(Span, &str),
) {
    buf.clear();
    for c in text[start..end].nfkc() {
        for l in c.to_lowercase() {
            buf.push(l);
        }
    }
    if scripts::needs_fold(buf) {
        scripts::fold_word(buf);
        if buf.is_empty() {
            return;
        }
    }
    f(Span::new(start, end), buf);
}

/// A 64-bit hash of a normalized word (FxHash-style multiply-rotate over 8-byte chunks, then a
/// finaliser). Fast and stable across runs: signatures and term ids are stored.
#[inline]
pub fn hash_word(word: &str) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = word.len() as u64;
    let mut chunks = word.as_bytes().chunks_exact(8);
    for c in &mut chunks {
        let v = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        h = (h.rotate_left(5) ^ v).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut tail = [0u8; 8];
        tail[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(tail)).wrapping_mul(K);
    }
    crate::memory::mix64(h)
}

/// Every distinct normal form of the words of `text` but the English stop words
/// ([`stopwords::is_stopword_hash`]), space-separated, in order of first use: what a search index
/// needs when it keeps no positions, at about two fifths of the words of the text. The stop words
/// ("the", "of", "who", ...) are a fifth of an article's distinct words and in nearly every
/// article, so they would tell no search apart; a search drops them too (the store's
/// `search_words`).
pub fn distinct_words(text: &str) -> String {
    // About one distinct word per 12 bytes of text: the set seldom grows (measured: 8 % fewer
    // instructions than growing it from empty).
    let mut seen =
        rustc_hash::FxHashSet::with_capacity_and_hasher(text.len() / 12, Default::default());
    let mut out = String::with_capacity(text.len() / 2);
    for_each_word(text, |_, w| {
        let hash = hash_word(w);
        if seen.insert(hash) && !stopwords::is_stopword_hash(hash) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(w);
        }
    });
    out
}

/// The hashes of every word of `text`, in order.
pub fn word_hashes(text: &str) -> Vec<u64> {
    let mut out = Vec::with_capacity(text.len() / 6);
    for_each_word(text, |_, w| out.push(hash_word(w)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(t: &str) -> Vec<String> {
        let mut v = Vec::new();
        for_each_word(t, |_, w| v.push(w.to_owned()));
        v
    }

    #[test]
    fn splits_like_python_w_plus() {
        assert_eq!(
            words("Biden’s call, U.S. 2022-02-13!"),
            ["biden", "s", "call", "u", "s", "2022", "02", "13"]
        );
    }

    #[test]
    fn non_ascii_words_are_nfkc_lowercased() {
        assert_eq!(words("Café ﬁne Ünïcode"), ["café", "fine", "ünïcode"]);
        assert_eq!(hash_word("café"), hash_word("café"));
    }

    #[test]
    fn spans_point_into_the_original() {
        let t = "  «Zürich» x";
        let mut spans = Vec::new();
        for_each_word(t, |s, _| spans.push(s.slice(t).to_owned()));
        assert_eq!(spans, ["Zürich", "x"]);
    }

    #[test]
    fn distinct_words_keep_first_use_order() {
        assert_eq!(
            distinct_words("The cat, the CAT and Café café."),
            "cat café"
        );
        assert_eq!(distinct_words("Who was there?"), "", "stop words only");
    }

    #[test]
    fn folding_unifies_typography() {
        assert_eq!(fold("“clear‑eyed” — it’s"), "\"clear-eyed\" - it's");
    }
}
