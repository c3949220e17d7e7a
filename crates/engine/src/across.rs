//! Two reports in different languages about one event: the names and numbers they share, names
//! compared across scripts through transliteration (issue 22). [`crate::explain`] gives it for two
//! articles (`samestory compare`, `/api/compare`); the store links stories with it as they are made
//! (`samestory_store`'s `across` module: candidates found by [`Markers::keys`], then [`shared`]).
//!
//! - [`Markers::of`]: what an article can share with a report in another language: its names
//!   (words capitalised inside a sentence, of [`MIN_NAME_LETTERS`] letters or more, transliterated
//!   to ASCII letters by `any_ascii` and lower-cased: `Климов` is `klimov`), all its words so
//!   transliterated (a name of the other report may stand inflected in this one: `Климова`), the
//!   transliteration of its runs of a script written without spaces (`临河市` is `linheshi`: no
//!   capitals, no word breaks, so a name of the other report is looked for inside it), and its
//!   numbers (`54,3` and `54.3` are one number, `412,000` and `412.000` another; a year or a
//!   number under 10 without decimals is no evidence).
//! - [`shared`]: the names of either found in the other, and the numbers both hold; linked
//!   ([`Shared::linked`]) when at least one name is shared and names and numbers together number
//!   [`MIN_SHARED`]. Measured on `testdata/stories/languages*.jsonl` (BENCHMARKS §11).
//! - [`Markers::keys`]: what an index of recent stories finds a report's candidates by: the first
//!   [`MIN_NAME_LETTERS`] letters of each name (so that `klimov` and `klimova` meet), each number,
//!   and, in a text without spaces, the [`MIN_NAME_LETTERS`] letters transliterated from each of its
//!   first [`MAX_UNSPACED_KEYS`] characters on (`linhe` from `临`: where a name may start).

use crate::article::stable_hash;
use crate::text::scripts::is_unspaced;
use crate::text::{MONTHS, WEEKDAYS};
use serde::Serialize;

/// Letters a name needs (after transliteration) to count: shorter ones ("Li", "CDU") are found
/// inside too many unrelated words.
pub const MIN_NAME_LETTERS: usize = 5;
/// Names and numbers two reports share at least to be linked (one name among them at least).
pub const MIN_SHARED: usize = 3;
/// Characters of a text without spaces from which a key is taken ([`Markers::keys`]): a report's
/// names stand in its first sentences.
pub const MAX_UNSPACED_KEYS: usize = 400;
/// Letters an inflected form may add to a name (`klimov` in `klimova`, `krasnoyarske`).
const INFLECTION_LETTERS: usize = 3;

/// Whether a capitalised word is a date, not a name (English month and weekday names; other
/// languages write them lower case or, as German does, with the same letters).
fn is_date_word(letters: &str) -> bool {
    MONTHS.contains(&letters) || WEEKDAYS.contains(&letters)
}

/// What a report can share with one in another language.
#[derive(Clone, Debug, Default)]
pub struct Markers {
    names: Vec<String>,
    words: Vec<String>,
    unspaced: String,
    /// Where each character of a text without spaces starts in `unspaced` (its first
    /// [`MAX_UNSPACED_KEYS`]).
    unspaced_starts: Vec<u32>,
    numbers: Vec<String>,
}

/// What two reports share.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Shared {
    /// Names of either found in the other, transliterated, sorted.
    pub names: Vec<String>,
    /// Numbers both hold, sorted.
    pub numbers: Vec<String>,
    /// Whether this is enough to link the two reports as one event: a name and
    /// [`MIN_SHARED`] names and numbers together.
    pub linked: bool,
}

/// A word transliterated to lower-case ASCII letters.
fn ascii_letters(word: &str) -> String {
    if word.is_ascii() {
        return word
            .bytes()
            .filter(u8::is_ascii_alphabetic)
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
    }
    any_ascii::any_ascii(word)
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The index key of a name's first [`MIN_NAME_LETTERS`] letters, or of a number.
fn key(kind: u8, text: &str) -> u64 {
    let mut bytes = Vec::with_capacity(text.len() + 1);
    bytes.push(kind);
    bytes.extend_from_slice(text.as_bytes());
    stable_hash(&bytes)
}

impl Markers {
    /// The markers of an article: its title and its text.
    pub fn of(title: Option<&str>, text: &str) -> Markers {
        let mut m = Markers::default();
        for part in title.into_iter().chain([text]) {
            m.read(part);
        }
        for v in [&mut m.names, &mut m.words, &mut m.numbers] {
            v.sort_unstable();
            v.dedup();
        }
        m
    }

    fn read(&mut self, text: &str) {
        let mut sentence_start = true;
        let mut chars = text.char_indices().peekable();
        while let Some(&(start, c)) = chars.peek() {
            if !c.is_alphanumeric() {
                if matches!(c, '.' | '!' | '?' | ':' | '\n' | '。' | '！' | '？') {
                    sentence_start = true;
                }
                chars.next();
                continue;
            }
            let unspaced = is_unspaced(c);
            let mut end = start;
            while let Some(&(i, d)) = chars.peek() {
                if !d.is_alphanumeric() || is_unspaced(d) != unspaced {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
            let word = &text[start..end];
            if unspaced {
                for ch in word.chars() {
                    if self.unspaced_starts.len() < MAX_UNSPACED_KEYS {
                        self.unspaced_starts.push(self.unspaced.len() as u32);
                    }
                    for t in any_ascii::any_ascii_char(ch).chars() {
                        if t.is_ascii_alphabetic() {
                            self.unspaced.push(t.to_ascii_lowercase());
                        }
                    }
                }
                self.unspaced.push(' ');
                self.read_numbers(word);
            } else if c.is_ascii_digit() {
                // A number goes on past a separator followed by a digit: "54,3", "412,000".
                loop {
                    let mut ahead = chars.clone();
                    let Some((_, sep)) = ahead.next() else { break };
                    if !matches!(sep, ',' | '.')
                        || !ahead.peek().is_some_and(|&(_, d)| d.is_ascii_digit())
                    {
                        break;
                    }
                    chars.next();
                    while let Some(&(i, d)) = chars.peek() {
                        if !d.is_ascii_digit() {
                            break;
                        }
                        end = i + d.len_utf8();
                        chars.next();
                    }
                }
                self.push_number(&text[start..end]);
            } else {
                let letters = ascii_letters(word);
                if c.is_uppercase()
                    && !sentence_start
                    && letters.len() >= MIN_NAME_LETTERS
                    && !is_date_word(&letters)
                {
                    self.names.push(letters.clone());
                }
                if !letters.is_empty() {
                    self.words.push(letters);
                }
            }
            sentence_start = false;
        }
    }

    /// The numbers written in ASCII digits inside a run of a script without spaces ("42辆").
    fn read_numbers(&mut self, run: &str) {
        let bytes = run.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                self.push_number(&run[start..i]);
            } else {
                i += 1;
            }
        }
    }

    /// A number as written ("54,3", "412,000", "2025") in one form: a group of three digits after
    /// a separator is thousands, any other group decimals.
    fn push_number(&mut self, written: &str) {
        let mut groups = written.split([',', '.']);
        let mut number: String = groups.next().unwrap_or_default().to_owned();
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            return;
        }
        let mut decimal = false;
        for g in groups {
            if g.len() == 3 && !decimal {
                number.push_str(g);
            } else {
                number.push('.');
                number.push_str(g);
                decimal = true;
            }
        }
        let whole: u64 = number.split('.').next().unwrap_or("0").parse().unwrap_or(0);
        let year = !decimal && (1900..=2100).contains(&whole);
        if (decimal || whole >= 10) && !year {
            self.numbers.push(number);
        }
    }

    /// The keys an index of reports holds this one under, sorted: a report in another language
    /// that shares a name or a number with it shares a key (a name standing in this one only
    /// inflected, or at a sentence's start, may not), so that the reports a new one may share
    /// enough with are found by a look-up of its keys, then told by [`shared`].
    pub fn keys(&self) -> Vec<u64> {
        let mut keys: Vec<u64> = self
            .names
            .iter()
            .map(|n| key(b'n', &n[..MIN_NAME_LETTERS]))
            .chain(self.numbers.iter().map(|n| key(b'#', n)))
            .collect();
        for &start in &self.unspaced_starts {
            let from = &self.unspaced.as_bytes()[start as usize..];
            if from.len() >= MIN_NAME_LETTERS
                && from[..MIN_NAME_LETTERS].iter().all(u8::is_ascii_alphabetic)
            {
                keys.push(key(
                    b'n',
                    &self.unspaced[start as usize..][..MIN_NAME_LETTERS],
                ));
            }
        }
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    /// Whether `name` (of the other report) stands in this one: as a word, inflected, or inside
    /// its text without spaces.
    fn holds_name(&self, name: &str) -> bool {
        let from = self.words.partition_point(|w| w.as_str() < name);
        self.words[from..]
            .iter()
            .take_while(|w| w.starts_with(name))
            .any(|w| w.len() <= name.len() + INFLECTION_LETTERS)
            || self.unspaced.contains(name)
    }
}

/// What `a` and `b` share.
pub fn shared(a: &Markers, b: &Markers) -> Shared {
    let mut names: Vec<String> = a
        .names
        .iter()
        .filter(|n| b.holds_name(n))
        .chain(b.names.iter().filter(|n| a.holds_name(n)))
        .cloned()
        .collect();
    names.sort_unstable();
    names.dedup();
    let numbers: Vec<String> = a
        .numbers
        .iter()
        .filter(|n| b.numbers.binary_search(n).is_ok())
        .cloned()
        .collect();
    let linked = !names.is_empty() && names.len() + numbers.len() >= MIN_SHARED;
    Shared {
        names,
        numbers,
        linked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_meet_across_scripts_and_inflections() {
        let en = Markers::of(
            None,
            "Shares fell, chief executive Andrei Klimov said in Krasnoyarsk.",
        );
        let ru = Markers::of(
            None,
            "Об этом сообщил Андрей Климов в Красноярске, выручка 184,6 млрд.",
        );
        // `Андрей` is `andrey` by any_ascii: a spelling of the name that English writes otherwise
        // is missed.
        assert_eq!(shared(&en, &ru).names, ["klimov", "krasnoyarsk"]);
        let zh = Markers::of(None, "临河市应急管理局局长王建国表示");
        let en = Markers::of(None, "said Wang Jianguo, head of the Linhe bureau.");
        assert_eq!(shared(&en, &zh).names, ["jianguo", "linhe"]);
    }

    #[test]
    fn numbers_meet_whatever_their_separators() {
        let de = Markers::of(
            None,
            "Sie erhielt 54,3 Prozent, 11.200 Wahlberechtigte, 2025, 7 Orte.",
        );
        let en = Markers::of(
            None,
            "She took 54.3 percent of 11,200 voters in 2025 in 7 places.",
        );
        assert_eq!(shared(&de, &en).numbers, ["11200", "54.3"]);
        let zh = Markers::of(None, "调派42辆消防车、210名指战员");
        assert_eq!(zh.numbers, ["210", "42"]);
    }

    #[test]
    fn reports_that_share_names_and_numbers_share_keys() {
        let en = Markers::of(
            None,
            "Shares fell 12.5 percent, chief executive Andrei Klimov said in Krasnoyarsk.",
        );
        let ru = Markers::of(
            None,
            "Об этом сообщил Андрей Климова в Красноярске: 12,5 млрд.",
        );
        let zh = Markers::of(None, "临河市应急管理局局长王建国表示");
        let linhe = Markers::of(None, "said Wang Jianguo, head of the Linhe bureau.");
        let common = |a: &Markers, b: &Markers| {
            let kb = b.keys();
            a.keys()
                .iter()
                .filter(|k| kb.binary_search(k).is_ok())
                .count()
        };
        // andre (Andrei, Андрей: `andrey`), klimo, krasn, 12.5.
        assert_eq!(common(&en, &ru), 4);
        // jiang (guo), linhe: the first five letters from each character of the Chinese text.
        assert_eq!(common(&linhe, &zh), 2);
        assert_eq!(common(&en, &zh), 0);
    }

    #[test]
    fn words_run_together_are_no_name() {
        // "lichen Gründen" holds the letters of "hengrun" only across a word break.
        let de = Markers::of(None, "aus gesundheitlichen Gründen nicht mehr angetreten");
        let en = Markers::of(None, "a warehouse of Hengrun Chemical Co.");
        assert!(shared(&de, &en).names.is_empty());
    }
}
