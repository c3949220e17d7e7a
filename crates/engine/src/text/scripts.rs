//! Words beyond the Latin script: where a word of a language written without spaces ends, and the
//! letter variants a script folds together.
//!
//! - **Written without spaces** ([`is_unspaced`]: Chinese, Japanese kana and kanji, Thai, Lao,
//!   Khmer, Myanmar): a run of such letters becomes its overlapping **character bigrams**, one
//!   token each ([`for_each_bigram`]); a run of one letter is one token. A "letter" here is a base
//!   character with the combining marks that follow it (a Thai vowel sign or tone mark, a kana voicing
//!   mark), so no bigram splits a syllable. Bigrams need no dictionary, treat every text of these
//!   scripts alike, cost one hash per character, and keep a change local: two inserted characters
//!   change two or three bigrams and the shingles over them, not the segmentation of the clause
//!   around them. They are what Lucene's CJK analyzer indexes, and a search word of two or more
//!   characters is found wherever it occurs, which a dictionary segmenter cannot promise when it cuts the
//!   text and the query differently. Dictionary segmenters were measured and set aside: see
//!   `BENCHMARKS.md` ("Words in scripts without spaces").
//! - **Spaced scripts** (Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari, Hangul, …): a word is a
//!   run of letters and digits as before, which now goes on over combining marks and the zero-width
//!   (non-)joiner, as Unicode word boundaries (UAX #29) keep them inside a word: a Devanagari vowel
//!   sign or a Persian ZWNJ no longer cuts a word in two.
//! - **Folding** ([`fold_script_char`], after NFKC and lower case): Arabic drops its short vowels and
//!   other marks and the tatweel, and writes alef with hamza or madda as alef, alef maqsura as yeh,
//!   teh marbuta as heh, the Persian yeh and keheh as the Arabic ones; Hebrew drops its points and
//!   cantillation; Greek drops its accents and writes final sigma as sigma; Cyrillic writes ё as е;
//!   Arabic-Indic and Devanagari digits become ASCII digits. Latin letters are left as they were, so
//!   English words, their hashes and shingles do not change.

use crate::article::Span;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Whether `c` is a letter of a script written without spaces between words.
#[inline]
pub fn is_unspaced(c: char) -> bool {
    matches!(c,
        '\u{0E01}'..='\u{0EFF}'     // Thai, Lao
        | '\u{1000}'..='\u{109F}'   // Myanmar
        | '\u{1780}'..='\u{17FF}'   // Khmer
        | '\u{19E0}'..='\u{19FF}'   // Khmer symbols
        | '\u{2E80}'..='\u{2FDF}'   // CJK radicals
        | '\u{3005}'..='\u{3007}'   // 々 〆 〇
        | '\u{3021}'..='\u{3029}'   // Hangzhou numerals
        | '\u{3031}'..='\u{3035}'   // kana repeat marks
        | '\u{3041}'..='\u{30FF}'   // Hiragana, Katakana
        | '\u{31F0}'..='\u{31FF}'   // Katakana extensions
        | '\u{3400}'..='\u{4DBF}'   // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK unified ideographs
        | '\u{A9E0}'..='\u{A9FF}'   // Myanmar extended B
        | '\u{AA60}'..='\u{AA7F}'   // Myanmar extended A
        | '\u{F900}'..='\u{FAFF}'   // CJK compatibility ideographs
        | '\u{FF66}'..='\u{FF9F}'   // halfwidth Katakana
        | '\u{20000}'..='\u{3134F}' // CJK extensions B–G
    )
}

/// Whether `c` is a CJK unified ideograph or a basic hiragana or katakana letter: the bulk of a
/// Chinese or Japanese text, and characters whose every property the tokenizer asks is known
/// without a table look-up (a letter, written without spaces, no combining mark, unchanged by
/// NFKC: the tests check each one). Asking it first saves the look-ups that took ~45 % of
/// `dedup` on Chinese text (BENCHMARKS §11).
#[inline]
pub fn is_plain_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}')
}

/// Whether `c` goes on a word it follows without starting one: a combining mark, the zero-width
/// non-joiner and joiner, and the halfwidth kana voicing marks (letters by category, marks in use).
#[inline]
pub fn continues_word(c: char) -> bool {
    !is_plain_cjk(c)
        && (matches!(c, '\u{200C}' | '\u{200D}' | '\u{FF9E}' | '\u{FF9F}')
            || unicode_normalization::char::is_combining_mark(c))
}

/// The folded form of a lower-case character of a non-Latin script: `None` when it is dropped (a
/// mark the script writes optionally), itself when nothing folds it.
#[inline]
pub fn fold_script_char(c: char) -> Option<char> {
    Some(match c {
        // Arabic: harakat, Quranic marks, superscript alef, tatweel.
        '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06DC}'
        | '\u{06DF}'..='\u{06E8}'
        | '\u{06EA}'..='\u{06ED}'
        | '\u{0640}' => return None,
        'آ' | 'أ' | 'إ' | 'ٱ' => 'ا',
        'ى' | 'ی' => 'ي',
        'ة' => 'ه',
        'ک' => 'ك',
        '\u{0660}'..='\u{0669}' => digit(c as u32 - 0x0660),
        '\u{06F0}'..='\u{06F9}' => digit(c as u32 - 0x06F0),
        '\u{0966}'..='\u{096F}' => digit(c as u32 - 0x0966),
        // Hebrew: points and cantillation.
        '\u{0591}'..='\u{05BD}'
        | '\u{05BF}'
        | '\u{05C1}'
        | '\u{05C2}'
        | '\u{05C4}'
        | '\u{05C5}'
        | '\u{05C7}' => return None,
        // Greek: accents (a word in capitals is written without them) and final sigma.
        'ά' => 'α',
        'έ' => 'ε',
        'ή' => 'η',
        'ί' | 'ΐ' | 'ϊ' => 'ι',
        'ό' => 'ο',
        'ύ' | 'ΰ' | 'ϋ' => 'υ',
        'ώ' => 'ω',
        'ς' => 'σ',
        // Cyrillic: ё is often written е.
        'ё' => 'е',
        c => c,
    })
}

fn digit(d: u32) -> char {
    char::from_digit(d, 10).expect("a decimal digit")
}

/// Whether a normal form holds a character [`fold_script_char`] may change.
#[inline]
pub fn needs_fold(word: &str) -> bool {
    word.chars()
        .any(|c| matches!(c, '\u{0370}'..='\u{06FF}' | '\u{0966}'..='\u{096F}'))
}

/// Folds `word` with [`fold_script_char`] in place.
pub fn fold_word(word: &mut String) {
    let folded: String = word.chars().filter_map(fold_script_char).collect();
    *word = folded;
}

/// Calls `f(span, normal_form)` for each token of the unspaced run `text[start..end]` (every
/// character of which [`is_unspaced`] or [`continues_word`]): its character bigrams in order, or
/// the run itself when it is one letter. The spans follow one another without overlapping, as
/// words' spans do (a bigram's span is its first letter, the last bigram's both letters), so
/// whatever reads the text between two words reads the same text here. `units` and `buf` are
/// scratch space.
pub fn for_each_bigram(
    text: &str,
    start: usize,
    end: usize,
    units: &mut Vec<usize>,
    buf: &mut String,
    f: &mut impl FnMut(Span, &str),
) {
    let run = &text[start..end];
    units.clear();
    for (off, c) in run.char_indices() {
        if off == 0 || !continues_word(c) {
            units.push(start + off);
        }
    }
    units.push(end);
    let normal = run.chars().all(is_plain_cjk) || is_nfkc_quick(run.chars()) == IsNormalized::Yes;
    let mut emit = |s: usize, e: usize, span: Span, buf: &mut String| {
        buf.clear();
        if normal {
            buf.push_str(&text[s..e]);
        } else {
            buf.extend(text[s..e].nfkc());
        }
        f(span, buf);
    };
    if units.len() == 2 {
        emit(start, end, Span::new(start, end), buf);
        return;
    }
    // Spans tile the run, as words' spans do a text: a bigram's span is its first letter, the
    // last one's both of its letters.
    let last = units.len() - 3;
    for (i, w) in units.windows(3).enumerate() {
        let span_end = if i == last { w[2] } else { w[1] };
        emit(w[0], w[2], Span::new(w[0], span_end), buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_without_spaces_are_told_apart() {
        for c in ['国', 'の', 'カ', 'ธ', 'ລ', 'ក', 'မ', '𠀋'] {
            assert!(is_unspaced(c), "{c}");
        }
        for c in ['a', 'é', 'ж', 'α', 'ب', 'ש', 'क', '한', '1', '。'] {
            assert!(!is_unspaced(c), "{c}");
        }
    }

    #[test]
    fn plain_cjk_letters_answer_as_the_tables_do() {
        let ranges = [
            '\u{4E00}'..='\u{9FFF}',
            '\u{3041}'..='\u{3096}',
            '\u{30A1}'..='\u{30FA}',
        ];
        for c in ranges.into_iter().flatten() {
            assert!(is_plain_cjk(c), "{c}");
            assert!(c.is_alphanumeric() && is_unspaced(c), "{c}");
            assert!(!unicode_normalization::char::is_combining_mark(c), "{c}");
            assert_eq!(is_nfkc_quick(std::iter::once(c)), IsNormalized::Yes, "{c}");
            assert!(!continues_word(c), "{c}");
        }
        for c in [
            '\u{3099}', '\u{309B}', '\u{30FB}', '\u{30FF}', '\u{3400}', '\u{F900}', '、',
        ] {
            assert!(!is_plain_cjk(c), "{c}");
        }
    }

    #[test]
    fn latin_letters_do_not_fold() {
        for c in ('\u{0}'..='\u{024F}').chain(['ẞ', 'ạ']) {
            assert_eq!(fold_script_char(c), Some(c));
        }
        assert!(!needs_fold("café ünïcode straße"));
    }

    #[test]
    fn arabic_hebrew_greek_cyrillic_fold() {
        let fold = |w: &str| {
            let mut s = w.to_owned();
            fold_word(&mut s);
            s
        };
        assert_eq!(fold("مُحَمَّد"), "محمد");
        assert_eq!(fold("أحمد"), fold("احمد"));
        assert_eq!(fold("مـــدرسة"), "مدرسه");
        assert_eq!(fold("٢٠٢٤"), "2024");
        assert_eq!(fold("שָׁלוֹם"), "שלום");
        assert_eq!(fold("αθήνας"), "αθηνασ");
        assert_eq!(fold("ёлка"), "елка");
    }

    #[test]
    fn bigrams_keep_marks_with_their_letter() {
        let mut units = Vec::new();
        let mut buf = String::new();
        let mut got = Vec::new();
        let t = "ธนาคาร";
        for_each_bigram(t, 0, t.len(), &mut units, &mut buf, &mut |_, w| {
            got.push(w.to_owned())
        });
        assert_eq!(got, ["ธน", "นา", "าค", "คา", "าร"]);
        let mut spans = Vec::new();
        for_each_bigram(t, 0, t.len(), &mut units, &mut buf, &mut |s, _| {
            spans.push(s.slice(t).to_owned())
        });
        assert_eq!(spans, ["ธ", "น", "า", "ค", "าร"]);
        // ั is a mark: it stays with ส, so "สั" is one letter.
        let t = "สัญญา";
        got.clear();
        for_each_bigram(t, 0, t.len(), &mut units, &mut buf, &mut |_, w| {
            got.push(w.to_owned())
        });
        assert_eq!(got, ["สัญ", "ญญ", "ญา"]);
        // Halfwidth kana are normalised to full width, with their voicing mark.
        let t = "ｶﾞｽ";
        got.clear();
        for_each_bigram(t, 0, t.len(), &mut units, &mut buf, &mut |_, w| {
            got.push(w.to_owned())
        });
        assert_eq!(got, ["ガス"]);
    }
}
