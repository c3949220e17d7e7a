//! Sentences: where one ends.
//!
//! A sentence ends at a line break, or at `.`, `!` or `?` (plus any closing quotes and brackets)
//! followed by a space and then a capital letter, a digit, an opening quote or a letter of a
//! script without capitals (Arabic, Hebrew, Devanagari, Chinese, …). A period does not end a
//! sentence after a known abbreviation ("Mr.", "Gen.", "Jan.") or after a single letter ("U.S.",
//! "J. Smith"): the price is that "in the U.S. The next day" stays one sentence.
//!
//! The full stops, question and exclamation marks of other scripts ([`is_full_stop`]: Chinese and
//! Japanese `。！？`, Devanagari `।`, Arabic `؟`, Urdu `۔`, …) end a sentence wherever they stand
//! (no space follows them in Chinese or Japanese, and no capital in any of these scripts), except
//! inside a quote that its attribution follows at once (`「…。」と述べた`, `“…。”他说`). Every
//! place that cuts text into sentences (the passages and sentence groups here, the clauses and
//! sentences of [`super::quotes`], where a name may start a sentence in story terms and
//! `compare`) asks [`crate::text::sentence_ends`].

use crate::article::Span;
pub use crate::text::sentence_ends::{ends_sentence, is_full_stop};

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
        '"' | '\''
            | ')'
            | ']'
            | '\u{201D}'
            | '\u{2019}'
            | '\u{00BB}'
            | '\u{300D}' // 」
            | '\u{300F}' // 』
            | '\u{FF09}' // ）
            | '\u{3011}' // 】
    )
}

/// Whether a sentence may start with `c` after `.`, `!` or `?` and a space: a capital, a digit, an
/// opening quote, or a letter of a script without capitals.
fn starts_sentence(c: char) -> bool {
    c.is_uppercase()
        || c.is_ascii_digit()
        || is_opener_quote(c)
        || (c.is_alphabetic() && !c.is_lowercase())
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
        let full_stop = b >= 0xC0 && {
            let c = text[i..].chars().next().expect("char boundary");
            is_full_stop(c)
        };
        if full_stop || matches!(b, b'.' | b'!' | b'?') {
            if b == b'.' && is_abbreviation_before(text, i) {
                i += 1;
                continue;
            }
            let mut end = i + text[i..].chars().next().map_or(1, char::len_utf8);
            let mut rest = text[end..].chars();
            let mut next = rest.next();
            let mut closed = false;
            while let Some(c) = next
                .filter(|&c| is_closer(c) || c == '.' || c == '!' || c == '?' || is_full_stop(c))
            {
                closed |= is_closer(c);
                end += c.len_utf8();
                next = rest.next();
            }
            // A quote closed after its full stop and followed at once by words is followed by
            // its attribution (「…。」と述べた, “…。”他说): the sentence goes on.
            let attributed = closed && next.is_some_and(char::is_alphanumeric);
            if full_stop && !attributed {
                push(start, end, &mut out);
                start = end;
            } else if next.is_some_and(|c| c == ' ' || c == '\t' || c == '\u{00A0}') {
                let after = text[end..].trim_start_matches([' ', '\t', '\u{00A0}']);
                if after.chars().next().is_some_and(starts_sentence) {
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
    fn full_stops_of_other_scripts_end_sentences() {
        assert_eq!(
            split("国家统计局发布数据。其中，城市上涨！农村呢？下降了。"),
            [
                "国家统计局发布数据。",
                "其中，城市上涨！",
                "农村呢？",
                "下降了。"
            ]
        );
        assert_eq!(
            split("社長は「丁寧に説明したい。」と述べた。一方、知事は判断する。"),
            [
                "社長は「丁寧に説明したい。」と述べた。",
                "一方、知事は判断する。"
            ]
        );
        assert_eq!(
            split("समिति ने फैसला किया। गवर्नर ने कहा कि महंगाई ऊपर है।"),
            ["समिति ने फैसला किया।", "गवर्नर ने कहा कि महंगाई ऊपर है।"]
        );
        assert_eq!(
            split("هل يرفع البنك الفائدة؟ قال المحافظ إن التضخم مرتفع."),
            ["هل يرفع البنك الفائدة؟", "قال المحافظ إن التضخم مرتفع."]
        );
    }

    #[test]
    fn a_period_ends_a_sentence_before_a_letter_without_case() {
        assert_eq!(
            split("أبقى البنك الفائدة دون تغيير. وقال المحافظ إن التضخم مرتفع."),
            [
                "أبقى البنك الفائدة دون تغيير.",
                "وقال المحافظ إن التضخم مرتفع."
            ]
        );
        assert_eq!(
            split("בנק ישראל הותיר את הריבית. הנגיד אמר כי האינפלציה גבוהה."),
            [
                "בנק ישראל הותיר את הריבית.",
                "הנגיד אמר כי האינפלציה גבוהה."
            ]
        );
        // A lower-case letter after a period still does not start one.
        assert_eq!(
            split("It rose 2.5 p.c. in may."),
            ["It rose 2.5 p.c. in may."]
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
