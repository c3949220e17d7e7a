//! The stop words and the stemmer of a language other than English, for the story terms of an
//! article in that language ([`crate::stories::term_counts_in`]).
//!
//! - [`Lexicon::of`]: the lexicon of a language, `None` for English (whose own list and plural
//!   stemmer, [`super::stopwords`] and [`super::stem`], every stored English term is made with) and
//!   for languages without a Snowball stemmer (Chinese, Japanese, Thai, Korean, Hebrew, Hindi…:
//!   their words stay as they are, with the English list).
//! - Stop words: NLTK's lists, as the `stop-words` crate ships them (MIT or Apache-2.0; NLTK's
//!   data is Apache-2.0), the lists that go with the Snowball stemmers (German 231 words, Spanish
//!   313, Russian 151).
//! - Stemming: `rust-stemmers` (MIT / BSD-3-Clause), the Snowball algorithms.
//!
//! Both see words as [`super::for_each_word`] gives them (lower case, NFKC, Cyrillic `ё` folded
//! to `е`, …), and the stop words are hashed after the same normalization.

use super::language::Language;
use super::{for_each_word, hash_word};
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashSet;
use std::borrow::Cow;
use std::sync::OnceLock;

/// The languages with a lexicon: the Snowball stemmers of `rust-stemmers` but English, each with
/// its ISO 639-1 code.
const LANGUAGES: &[(&str, Algorithm)] = &[
    ("ar", Algorithm::Arabic),
    ("da", Algorithm::Danish),
    ("de", Algorithm::German),
    ("el", Algorithm::Greek),
    ("es", Algorithm::Spanish),
    ("fi", Algorithm::Finnish),
    ("fr", Algorithm::French),
    ("hu", Algorithm::Hungarian),
    ("it", Algorithm::Italian),
    ("nl", Algorithm::Dutch),
    ("no", Algorithm::Norwegian),
    ("pt", Algorithm::Portuguese),
    ("ro", Algorithm::Romanian),
    ("ru", Algorithm::Russian),
    ("sv", Algorithm::Swedish),
    ("ta", Algorithm::Tamil),
    ("tr", Algorithm::Turkish),
];

/// The stop words and the stemmer of one language.
pub struct Lexicon {
    language: Language,
    stop_hashes: FxHashSet<u64>,
    stemmer: Stemmer,
}

impl Lexicon {
    /// The lexicon of `language`; `None` for English and for languages without one.
    pub fn of(language: Language) -> Option<&'static Lexicon> {
        static ALL: OnceLock<Vec<Lexicon>> = OnceLock::new();
        if language == Language::ENGLISH {
            return None;
        }
        ALL.get_or_init(|| {
            LANGUAGES
                .iter()
                .map(|&(code, a)| Lexicon::new(code, a))
                .collect()
        })
        .iter()
        .find(|l| l.language == language)
    }

    fn new(code: &str, algorithm: Algorithm) -> Lexicon {
        let mut stop_hashes = FxHashSet::default();
        for word in stop_words::lookup(code).unwrap_or_default() {
            for_each_word(word, |_, w| {
                stop_hashes.insert(hash_word(w));
            });
        }
        Lexicon {
            language: Language::parse(code).expect("an ISO 639-1 code"),
            stop_hashes,
            stemmer: Stemmer::create(algorithm),
        }
    }

    /// Its language.
    pub fn language(&self) -> Language {
        self.language
    }

    /// Whether the word whose [`hash_word`] is `hash` is one of the language's stop words.
    #[inline]
    pub fn is_stop_hash(&self, hash: u64) -> bool {
        self.stop_hashes.contains(&hash)
    }

    /// The stem of a normalized word.
    pub fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        self.stemmer.stem(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(code: &str) -> &'static Lexicon {
        Lexicon::of(Language::parse(code).unwrap()).unwrap()
    }

    #[test]
    fn english_and_languages_without_a_stemmer_have_none() {
        assert!(Lexicon::of(Language::ENGLISH).is_none());
        assert!(Lexicon::of(Language::parse("zh").unwrap()).is_none());
    }

    #[test]
    fn function_words_are_stop_words_and_inflections_meet() {
        let de = lexicon("de");
        assert!(de.is_stop_hash(hash_word("und")) && de.is_stop_hash(hash_word("über")));
        assert!(!de.is_stop_hash(hash_word("bürgermeisterin")));
        assert_eq!(de.stem("wahlen"), de.stem("wahl"));
        let es = lexicon("es");
        assert!(es.is_stop_hash(hash_word("el")) && !es.is_stop_hash(hash_word("terremoto")));
        assert_eq!(es.stem("heridos"), es.stem("herido"));
        let ru = lexicon("ru");
        assert!(ru.is_stop_hash(hash_word("на")) && !ru.is_stop_hash(hash_word("прибыль")));
        assert_eq!(ru.stem("выручки"), ru.stem("выручка"));
    }
}
