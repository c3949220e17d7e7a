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
//! - Word frequencies, where the engine ships them (German: `data/wordfreq-de.txt`, the 30,000
//!   most frequent words from the wordfreq package, CC BY-SA 4.0, see `data/README.md`): the
//!   background share of its terms ([`Lexicon::background`]; a language without them has no
//!   background, rather than English's), and, in a language that capitalises every noun, the
//!   common words that are not names though capitalised ([`Lexicon::is_common_capitalised`]).
//!
//! Both see words as [`super::for_each_word`] gives them (lower case, NFKC, Cyrillic `ё` folded
//! to `е`, …), and the stop words are hashed after the same normalization.

use super::language::Language;
use super::{for_each_word, hash_word};
use crate::article::Term;
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap, FxHashSet};
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

/// The word frequencies shipped for a language (`word<TAB>Zipf frequency` lines, most frequent
/// first), by its code.
const WORD_FREQUENCIES: &[(&str, &str)] = &[("de", include_str!("../../data/wordfreq-de.txt"))];

/// The languages that capitalise every noun: there a capitalised word is a name only when it is
/// not a common word ([`COMMON_ZIPF`]).
const CAPITALISES_NOUNS: &[&str] = &["de"];

/// The Zipf frequency (log10 of occurrences per billion words) from which a word is common: in
/// German the 20,800 most frequent words. Chosen on our German fixtures: it takes `Prozent`
/// (5.22), `Wahlkampf`, `Stichwahl` (3.48) and `Wahlbeteiligung`, which both elections share, out
/// of the names, and keeps the surnames and places that tell them apart (`Vollmer` 3.22, `Brandl`,
/// `Ortmann`, `Lindenau`, `Hohenfelde`); it also takes out first names (`Katrin` 3.76, `Thomas`)
/// and some surnames that are words (`Sommer`) or frequent (`Petersen` 3.59).
pub const COMMON_ZIPF: f64 = 3.4;

/// Words in a typical article, to turn a word's share of running text into the share of articles
/// holding it: `1 - exp(-share × words)`.
pub const PRIOR_ARTICLE_WORDS: f64 = 400.0;

/// The share of news articles expected to hold each term of a word-frequency list
/// (`word<TAB>Zipf frequency` lines; others are skipped), each word made a term by `term_of`
/// (words of one word only).
pub fn background_shares(list: &str, term_of: impl Fn(&str) -> Term) -> FxHashMap<Term, f32> {
    let mut shares: FxHashMap<Term, f64> = FxHashMap::default();
    for line in list.lines() {
        let Some((word, zipf)) = line.split_once('\t') else {
            continue;
        };
        let Ok(zipf) = zipf.parse::<f64>() else {
            continue;
        };
        let mut words = 0;
        let mut only = None;
        for_each_word(word, |_, w| {
            words += 1;
            only = Some(term_of(w));
        });
        if let (1, Some(t)) = (words, only) {
            *shares.entry(t).or_default() += 10f64.powf(zipf - 9.0);
        }
    }
    shares
        .into_iter()
        .map(|(t, share)| (t, (1.0 - (-share * PRIOR_ARTICLE_WORDS).exp()) as f32))
        .collect()
}

/// The stop words and the stemmer of one language.
pub struct Lexicon {
    language: Language,
    stop_hashes: FxHashSet<u64>,
    stemmer: Stemmer,
    /// The background share of each term ([`Lexicon::background`]); empty without word
    /// frequencies.
    background: FxHashMap<Term, f32>,
    /// The [`hash_word`]s of the common words, in a language that capitalises its nouns.
    common_capitalised: FxHashSet<u64>,
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
        let stemmer = Stemmer::create(algorithm);
        let list = WORD_FREQUENCIES
            .iter()
            .find(|(c, _)| *c == code)
            .map_or("", |(_, l)| l);
        let background = background_shares(list, |w| Term::from_raw(hash_word(&stemmer.stem(w))));
        let mut common_capitalised = FxHashSet::default();
        if CAPITALISES_NOUNS.contains(&code) {
            for (word, zipf) in list.lines().filter_map(|l| l.split_once('\t')) {
                if zipf.parse::<f64>().is_ok_and(|z| z >= COMMON_ZIPF) {
                    for_each_word(word, |_, w| {
                        common_capitalised.insert(hash_word(w));
                    });
                }
            }
        }
        Lexicon {
            language: Language::parse(code).expect("an ISO 639-1 code"),
            stop_hashes,
            stemmer,
            background,
            common_capitalised,
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

    /// The share of news articles expected to hold a term of this language (its stem's hash), as
    /// [`crate::stories::background_df`] gives it for English: from the language's word
    /// frequencies; 0 for every term of a language without them.
    pub fn background(&self, t: Term) -> f32 {
        self.background.get(&t).copied().unwrap_or(0.0)
    }

    /// Whether a capitalised word (its [`hash_word`]) is a common word of a language that
    /// capitalises every noun ([`COMMON_ZIPF`]), so no name: false in other languages.
    #[inline]
    pub fn is_common_capitalised(&self, hash: u64) -> bool {
        self.common_capitalised.contains(&hash)
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
    fn german_common_nouns_are_no_names_and_german_words_have_a_german_background() {
        let de = lexicon("de");
        for noun in [
            "prozent",
            "stichwahl",
            "wahlbeteiligung",
            "bürgermeisterin",
            "stadt",
        ] {
            assert!(de.is_common_capitalised(hash_word(noun)), "{noun}");
        }
        for name in ["vollmer", "brandl", "lindenau", "hohenfelde", "kaltental"] {
            assert!(!de.is_common_capitalised(hash_word(name)), "{name}");
        }
        // Spanish does not capitalise its nouns: every capitalised word inside a sentence stays a
        // name there.
        assert!(!lexicon("es").is_common_capitalised(hash_word("terremoto")));
        let bg = |l: &Lexicon, w: &str| l.background(Term::from_raw(hash_word(&l.stem(w))));
        // A German article's everyday words are common, its names rare; inflections meet.
        assert!(bg(de, "prozent") > 0.03, "{}", bg(de, "prozent"));
        assert!(bg(de, "stimmen") > 10.0 * bg(de, "wahlbeteiligung"));
        assert!(bg(de, "wahlbeteiligung") > 0.0);
        assert_eq!(bg(de, "kaltentals"), 0.0);
        // A language without word frequencies has no background, not English's.
        assert_eq!(bg(lexicon("es"), "general"), 0.0);
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
