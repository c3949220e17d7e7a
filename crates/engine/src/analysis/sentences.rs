//! Sentences: where one ends.
//!
//! A sentence ends at a line break, or at `.`, `!` or `?` (plus any closing quotes and brackets)
//! followed by a space and then a capital letter, a digit or an opening quote. A period does not end
//! a sentence after a known abbreviation ("Mr.", "Gen.", "Jan.") or after a single letter ("U.S.",
//! "J. Smith"): the price is that "in the U.S. The next day" stays one sentence.

use crate::article::Span;

/// Words after which a period is not the end of a sentence (lower case, without the period).
pub const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "sen", "rep", "gov", "lt", "col", "sgt",
    "capt", "prof", "inc", "corp", "co", "ltd", "vs", "no", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "rev", "hon", "maj", "adm",
    "cmdr", "pres", "supt", "atty", "dept", "univ", "etc", "messrs", "mmes", "gov", "ave", "blvd",
];

/// Whether the word ending at byte `end` of `text` (just before a period) keeps the sentence open.
pub(crate) fn is_abbreviation_before(text: &str, end: usize) -> bool {
    let start = text[..end]
        .char_indices()
        .rev()
        .find(|&(_, c)| !c.is_alphanumeric())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &text[start..end];
    if word.chars().count() == 1 && word.chars().all(char::is_alphabetic) {
        return true;
    }
    ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | ')' | ']' | '\u{201D}' | '\u{2019}' | '\u{00BB}'
    )
}

fn is_opener_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '(' | '\u{201C}' | '\u{2018}' | '\u{00AB}')
}

/// The sentences of `text`, as spans without surrounding white space, in order.
pub fn split_sentences(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let push = |s: usize, e: usize, out: &mut Vec<Span>| {
        let piece = &text[s..e];
        let lead = piece.len() - piece.trim_start().len();
        let trail = piece.len() - piece.trim_end().len();
        if s + lead < e - trail {
            out.push(Span::new(s + lead, e - trail));
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            push(start, i, &mut out);
            start = i + 1;
            i += 1;
            continue;
        }
        if matches!(b, b'.' | b'!' | b'?') {
            if b == b'.' && is_abbreviation_before(text, i) {
                i += 1;
                continue;
            }
            let mut end = i + 1;
            let mut rest = text[end..].chars();
            let mut next = rest.next();
            while let Some(c) = next.filter(|&c| is_closer(c) || c == '.' || c == '!' || c == '?') {
                end += c.len_utf8();
                next = rest.next();
            }
            if next.is_some_and(|c| c == ' ' || c == '\t' || c == '\u{00A0}') {
                let after = text[end..].trim_start_matches([' ', '\t', '\u{00A0}']);
                let ok = after
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || is_opener_quote(c));
                if ok {
                    push(start, end, &mut out);
                    start = end;
                }
            }
            i = end;
            continue;
        }
        i += 1;
    }
    push(start, text.len(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(t: &str) -> Vec<&str> {
        split_sentences(t).into_iter().map(|s| s.slice(t)).collect()
    }

    #[test]
    fn splits_on_ends_but_not_abbreviations() {
        assert_eq!(
            split(
                "Mr. Steele met U.S. officials. \u{201C}We talked.\u{201D} He left!\nHeadline here"
            ),
            [
                "Mr. Steele met U.S. officials.",
                "\u{201C}We talked.\u{201D}",
                "He left!",
                "Headline here"
            ]
        );
    }

    #[test]
    fn a_quote_followed_by_attribution_stays_whole() {
        assert_eq!(
            split("\"It is over,\" he said. \"Really?\" she asked. Then 3 left."),
            [
                "\"It is over,\" he said.",
                "\"Really?\" she asked.",
                "Then 3 left."
            ]
        );
    }
}
