//! Stage 6: related-article headlines and teasers inside the body.

use super::{Draft, Line, Reason, Stage};

/// Words a teaser headline must not share with the paragraph after it for it to count as unrelated.
fn content_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    crate::text::for_each_word(s, |_, w| {
        if w.len() > 3 && !crate::text::stopwords::is_stopword(w) {
            out.push(w.trim_end_matches('s').to_owned());
        }
    });
    out
}

/// Stands for the text of a line too long to be a headline (its words are never looked at, only
/// that it has many and ends a sentence).
const LONG_LINE: &str = "long line of body text that is no headline, standing in for the real one.";

/// Related-article headlines and teasers inside the body.
pub struct InlineHeadlines;

impl Stage for InlineHeadlines {
    fn apply(&self, draft: &mut Draft<'_>) {
        // Only short lines can be headlines; long ones need no live text.
        let lines: Vec<(Line, String)> = draft
            .lines()
            .into_iter()
            .filter(|l| !l.span.slice(draft.original).trim().is_empty())
            .map(|l| {
                let short = l.span.len() < 400;
                (
                    l,
                    if short {
                        draft.live_text(l)
                    } else {
                        LONG_LINE.to_owned()
                    },
                )
            })
            .collect();
        if lines.len() < 3 {
            return;
        }
        for i in 1..lines.len() - 1 {
            let (line, text) = &lines[i];
            let words = text.split_whitespace().count();
            let last = text.trim_end().chars().last().unwrap_or('.');
            let sentence_end = matches!(
                last,
                '.' | '!' | '?' | ':' | ';' | ',' | '"' | '\u{201D}' | ')'
            );
            if !(2..=16).contains(&words) || sentence_end {
                continue;
            }
            let next = &lines[i + 1].1;
            if next.split_whitespace().count() < words {
                continue;
            }
            // The next line's real words (it may be a long line not read so far).
            let next = draft.live_text(lines[i + 1].0);
            let own = content_words(text);
            if own.is_empty() {
                continue;
            }
            let following: rustc_hash::FxHashSet<String> =
                content_words(&next).into_iter().collect();
            let taken_up = own.iter().filter(|w| following.contains(*w)).count();
            if taken_up * 2 < own.len() {
                draft.remove(line.with_break, Reason::RelatedHeadline);
            }
        }
    }
}
