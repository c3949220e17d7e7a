//! Where a sentence ends, as the text between two words says: the one rule that sentences,
//! quotes, story terms and `compare` share (see [`crate::analysis::sentences`] for the full
//! splitter, which also asks what follows).

/// Whether `c` ends a sentence by itself, with no space or capital after it: the full stops,
/// question and exclamation marks of scripts other than Latin, Greek and Cyrillic (fullwidth and
/// ideographic for Chinese and Japanese, Devanagari danda, Arabic question mark, Urdu full stop,
/// Armenian, Ethiopic, Myanmar, Khmer, Tibetan, Sinhala).
#[inline]
pub fn is_full_stop(c: char) -> bool {
    matches!(
        c,
        '\u{3002}' // 。 ideographic full stop
            | '\u{FF01}' // ！
            | '\u{FF1F}' // ？
            | '\u{FF61}' // ｡ halfwidth ideographic full stop
            | '\u{0964}' // । danda
            | '\u{0965}' // ॥ double danda
            | '\u{061F}' // ؟ Arabic question mark
            | '\u{06D4}' // ۔ Arabic full stop (Urdu)
            | '\u{0589}' // ։ Armenian full stop
            | '\u{1362}' // ። Ethiopic full stop
            | '\u{1367}' // ፧ Ethiopic question mark
            | '\u{104B}' // ။ Myanmar section
            | '\u{17D4}' // ។ Khmer khan
            | '\u{17D5}' // ៕ Khmer bariyoosan
            | '\u{0F0D}' // ། Tibetan shad
            | '\u{0DF4}' // ෴ Sinhala kunddaliya
    )
}

/// Whether `gap`, the text between two words, ends the sentence of the first: a line break, `!`,
/// `?`, a [`is_full_stop`] mark, or a `.` unless `after_abbreviation` (the word before it is an
/// abbreviation or a single letter). Cheaper and cruder than
/// [`crate::analysis::sentences::split_sentences`]: no capital is
/// asked for after `.`, `!` or `?`.
#[inline]
pub fn ends_sentence(gap: &str, after_abbreviation: bool) -> bool {
    let b = gap.as_bytes();
    b.iter().any(|&c| matches!(c, b'\n' | b'!' | b'?'))
        || (!after_abbreviation && b.contains(&b'.'))
        || (!gap.is_ascii() && gap.chars().any(is_full_stop))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_that_end_sentences() {
        assert!(ends_sentence("。", false) && ends_sentence("। ", false));
        assert!(ends_sentence("? ", true) && ends_sentence(".\n", true));
        assert!(ends_sentence(". ", false) && !ends_sentence(". ", true));
        assert!(!ends_sentence("，", false) && !ends_sentence(", ", false));
    }
}
