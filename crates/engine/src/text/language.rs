//! Which language an article is written in: the input's own `language` field when it has one,
//! else a guess from its words.
//!
//! - [`Language`]: an ISO 639 code (`en`, `zh`, `fil`) as a `Copy` value.
//! - [`Language::parse`]: a tag as inputs write it (`en`, `EN`, `en-GB`, `eng`, `zh_Hant`) to its
//!   code; `None` when it is no language tag.
//! - [`of_input`]: the language an article's input names (its metadata's `language`, `lang` or
//!   `inLanguage`, as the readers keep them).
//! - [`detect`]: the guess. English is told from its function words among the article's first
//!   hundred words (one hash look-up a word, on hashes the engine has already made); any other text
//!   goes to `whatlang` (trigrams within the script, 70 languages), on its first
//!   [`SAMPLE_BYTES`]. Chosen over `lingua`, measured on the newspaper4k pages and our fixtures:
//!   both right on every article; whatlang is pure Rust with no model files (a 1 MB crate where
//!   lingua's models weigh hundreds of megabytes and take minutes to build) — see BENCHMARKS §11.
//!   The English test keeps the guess off the hot path of English corpora: whatlang costs
//!   hundreds of microseconds on a Latin text of 1 KB.

use serde::{Deserialize, Serialize};

/// An ISO 639 language code: 639-1 (two letters) where the language has one, else 639-3. Lower
/// case ASCII.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Language {
    letters: [u8; 3],
    len: u8,
}

impl Language {
    /// English.
    pub const ENGLISH: Language = Language {
        letters: *b"en\0",
        len: 2,
    };

    /// The code of a language tag as inputs write it: its primary subtag (before `-` or `_`),
    /// lower case, two or three ASCII letters; a three-letter code with a two-letter one (`eng`,
    /// `deu`, `cmn`) becomes it. `None` for anything else (`english`, `x1`, ``).
    pub fn parse(tag: &str) -> Option<Language> {
        let primary = tag.trim().split(['-', '_']).next()?;
        if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        let lower = primary.to_ascii_lowercase();
        let code = WHATLANG_CODES
            .iter()
            .find(|(three, _)| *three == lower)
            .map_or(lower.as_str(), |(_, two)| two);
        let mut letters = [0u8; 3];
        letters[..code.len()].copy_from_slice(code.as_bytes());
        Some(Language {
            letters,
            len: code.len() as u8,
        })
    }

    /// The code as a number below 27³ (its letters in base 27, `a` = 1), exact in an `f32`: how a
    /// saved story carries its language among its weights.
    pub fn to_number(self) -> u32 {
        self.letters
            .iter()
            .fold(0, |n, &b| n * 27 + u32::from(b.saturating_sub(b'a' - 1)))
    }

    /// The language of [`Language::to_number`]; `None` for a number no language gives.
    pub fn from_number(n: u32) -> Option<Language> {
        if n >= 27 * 27 * 27 {
            return None;
        }
        let digits = [n / 729, n / 27 % 27, n % 27];
        let code: String = digits
            .iter()
            .take_while(|&&d| d > 0)
            .map(|&d| char::from(b'a' - 1 + d as u8))
            .collect();
        Language::parse(&code).filter(|l| l.to_number() == n)
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.letters[..usize::from(self.len)]).expect("ASCII letters")
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Language({})", self.as_str())
    }
}

impl Serialize for Language {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Language {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let tag = String::deserialize(d)?;
        Language::parse(&tag)
            .ok_or_else(|| serde::de::Error::custom(format!("`{tag}` is no language tag")))
    }
}

/// The metadata keys an input names its language with (compared case-insensitively).
pub const INPUT_KEYS: &[&str] = &["language", "lang", "inlanguage"];

/// The language an article's input names, if it names one: the first of [`INPUT_KEYS`] in its
/// metadata whose value is a language tag. The readers keep such a field as metadata.
pub fn of_input(meta: &serde_json::Map<String, serde_json::Value>) -> Option<Language> {
    meta.iter()
        .filter(|(k, _)| INPUT_KEYS.iter().any(|n| n.eq_ignore_ascii_case(k)))
        .find_map(|(_, v)| v.as_str().and_then(Language::parse))
}

/// How much of a text that is not told English by its function words whatlang reads.
pub const SAMPLE_BYTES: usize = 1000;

/// How many of a text's first words the English test reads, and how many of them at least (in
/// hundredths) must be English function words.
const ENGLISH_WORDS: usize = 100;
const ENGLISH_SHARE_PERCENT: usize = 15;

/// Words frequent in English and rare as words of other languages written in Latin letters (no
/// `a`, `in`, `die`, `con`, `on`): the English test counts them.
const ENGLISH_MARKERS: &[&str] = &[
    "and", "are", "be", "been", "by", "for", "from", "has", "have", "he", "her", "his", "is", "it",
    "not", "of", "said", "she", "that", "the", "their", "they", "this", "to", "was", "were",
    "which", "will", "with", "would",
];

static MARKER_HASHES: std::sync::LazyLock<rustc_hash::FxHashSet<u64>> =
    std::sync::LazyLock::new(|| {
        ENGLISH_MARKERS
            .iter()
            .map(|w| super::hash_word(w))
            .collect()
    });

/// The language of a text, guessed: `word_hashes` are its words' [`super::hash_word`]s in order
/// (as [`super::word_hashes`] gives them), `text` the text. `None` when whatlang finds no
/// language, or no reliable one (most texts under a few dozen words).
pub fn detect(word_hashes: &[u64], text: &str) -> Option<Language> {
    let first = &word_hashes[..word_hashes.len().min(ENGLISH_WORDS)];
    let markers = first.iter().filter(|h| MARKER_HASHES.contains(h)).count();
    if first.len() >= 20 && markers * 100 >= first.len() * ENGLISH_SHARE_PERCENT {
        return Some(Language::ENGLISH);
    }
    let info = whatlang::detect(sample(text, SAMPLE_BYTES))?;
    if !info.is_reliable() {
        return None;
    }
    Language::parse(info.lang().code())
}

/// At most `max` bytes from the start of `text`, cut at a character boundary.
fn sample(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// whatlang's ISO 639-3 codes with their 639-1 codes (all 70 of whatlang 0.18's languages).
const WHATLANG_CODES: &[(&str, &str)] = &[
    ("afr", "af"),
    ("aka", "ak"),
    ("amh", "am"),
    ("ara", "ar"),
    ("aze", "az"),
    ("bel", "be"),
    ("ben", "bn"),
    ("bul", "bg"),
    ("cat", "ca"),
    ("ces", "cs"),
    ("cmn", "zh"),
    ("cym", "cy"),
    ("dan", "da"),
    ("deu", "de"),
    ("ell", "el"),
    ("eng", "en"),
    ("epo", "eo"),
    ("est", "et"),
    ("fin", "fi"),
    ("fra", "fr"),
    ("guj", "gu"),
    ("heb", "he"),
    ("hin", "hi"),
    ("hrv", "hr"),
    ("hun", "hu"),
    ("hye", "hy"),
    ("ind", "id"),
    ("ita", "it"),
    ("jav", "jv"),
    ("jpn", "ja"),
    ("kan", "kn"),
    ("kat", "ka"),
    ("khm", "km"),
    ("kor", "ko"),
    ("lat", "la"),
    ("lav", "lv"),
    ("lit", "lt"),
    ("mal", "ml"),
    ("mar", "mr"),
    ("mkd", "mk"),
    ("mya", "my"),
    ("nep", "ne"),
    ("nld", "nl"),
    ("nob", "nb"),
    ("ori", "or"),
    ("pan", "pa"),
    ("pes", "fa"),
    ("pol", "pl"),
    ("por", "pt"),
    ("ron", "ro"),
    ("rus", "ru"),
    ("sin", "si"),
    ("slk", "sk"),
    ("slv", "sl"),
    ("sna", "sn"),
    ("spa", "es"),
    ("srp", "sr"),
    ("swe", "sv"),
    ("tam", "ta"),
    ("tel", "te"),
    ("tgl", "tl"),
    ("tha", "th"),
    ("tuk", "tk"),
    ("tur", "tr"),
    ("ukr", "uk"),
    ("urd", "ur"),
    ("uzb", "uz"),
    ("vie", "vi"),
    ("yid", "yi"),
    ("zul", "zu"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_as_inputs_write_them() {
        for (tag, code) in [
            ("en", "en"),
            ("EN", "en"),
            ("en-GB", "en"),
            ("zh_Hant", "zh"),
            ("eng", "en"),
            ("deu", "de"),
            ("cmn", "zh"),
            ("fil", "fil"),
        ] {
            assert_eq!(
                Language::parse(tag).map(|l| l.to_string()),
                Some(code.into())
            );
        }
        for tag in ["", "english", "x1", "e", "-"] {
            assert_eq!(Language::parse(tag), None, "{tag}");
        }
    }

    #[test]
    fn a_language_survives_its_number() {
        for tag in ["en", "de", "zh", "fil", "zu"] {
            let l = Language::parse(tag).unwrap();
            assert!(l.to_number() < 27 * 27 * 27);
            assert_eq!(Language::from_number(l.to_number()), Some(l), "{tag}");
        }
        // Not every number is a code: a letter after an empty place, or nothing.
        assert_eq!(Language::from_number(0), None);
        assert_eq!(Language::from_number(27), None);
        assert_eq!(Language::from_number(27 * 27 * 27), None);
    }

    #[test]
    fn every_whatlang_language_has_its_code() {
        for lang in whatlang::Lang::all() {
            assert!(
                WHATLANG_CODES
                    .iter()
                    .any(|(three, _)| *three == lang.code()),
                "{}",
                lang.code()
            );
        }
        assert!(WHATLANG_CODES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn input_language_is_read_from_metadata() {
        let meta: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(r#"{"author": "x", "inLanguage": "es-MX"}"#).unwrap();
        assert_eq!(of_input(&meta).unwrap().as_str(), "es");
        let meta: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(r#"{"language": "spanish"}"#).unwrap();
        assert_eq!(of_input(&meta), None);
    }

    #[test]
    fn english_by_its_function_words_and_others_by_whatlang() {
        let detect_text = |t: &str| detect(&super::super::word_hashes(t), t).map(|l| l.to_string());
        let en = "The minister said on Tuesday that the bridge, which was closed in March, \
                  would be opened again by the end of the year, and that the repairs were paid \
                  for by the city.";
        assert_eq!(detect_text(en).as_deref(), Some("en"));
        let de = "Der Minister sagte am Dienstag, dass die Brücke, die im März gesperrt wurde, \
                  bis zum Ende des Jahres wieder geöffnet werden soll und die Stadt die \
                  Reparaturen bezahlt hat.";
        assert_eq!(detect_text(de).as_deref(), Some("de"));
        let ru = "Министр заявил во вторник, что мост, закрытый в марте, снова откроют до \
                  конца года, а ремонт оплатит город. По его словам, работы начнутся в следующем месяце \
                  и продлятся около полугода.";
        assert_eq!(detect_text(ru).as_deref(), Some("ru"));
        assert_eq!(detect_text("OK"), None);
    }
}
