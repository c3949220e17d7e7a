//! Words as the analysis compares them: the engine's tokens ([`crate::text::for_each_word`]) with a
//! light plural stem, so that "prospects" meets "prospect" and "dynamics" meets "dynamic".

use crate::article::Span;
use crate::text::{for_each_word, hash_word};

/// A very light stem: drop a plural `-s` from words longer than three letters, except `-ss`, `-us`
/// and `-is` endings ("class", "status", "analysis"). Enough to join the cuts of one quote that
/// different outlets make; anything stronger starts joining different words.
/// ([`crate::text::stem::ANALYSIS`]; see there why it is not the story rules.)
pub fn stem(word: &str) -> &str {
    crate::text::stem::plural(word, &crate::text::stem::ANALYSIS)
}

/// The words of one text: their spans and the hash of their stemmed normal form.
#[derive(Clone, Debug, Default)]
pub struct Words {
    /// Where each word is in the text, in order.
    pub spans: Vec<Span>,
    /// The hash of each word's stemmed normal form, parallel to `spans`.
    pub keys: Vec<u64>,
}

impl Words {
    /// The words of `text`.
    pub fn new(text: &str) -> Self {
        let mut w = Words {
            spans: Vec::with_capacity(text.len() / 5),
            keys: Vec::with_capacity(text.len() / 5),
        };
        for_each_word(text, |span, word| {
            w.spans.push(span);
            w.keys.push(hash_word(stem(word)));
        });
        w
    }

    /// The words inside `span` only (spans stay relative to the whole text).
    pub fn in_span(text: &str, span: Span) -> Self {
        let mut w = Words::new(span.slice(text));
        for s in &mut w.spans {
            s.start += span.start;
            s.end += span.start;
        }
        w
    }

    /// How many words.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there is no word.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The byte span from the start of word `from` to the end of word `to - 1`.
    pub fn span(&self, from: usize, to: usize) -> Span {
        Span::new(self.spans[from].start, self.spans[to - 1].end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_plurals_only() {
        assert_eq!(stem("prospects"), "prospect");
        assert_eq!(stem("dynamics"), "dynamic");
        assert_eq!(stem("class"), "class");
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("analysis"), "analysis");
        assert_eq!(stem("has"), "has");
        assert_eq!(stem("was"), "was");
    }
}
