//! Stage 4: the dateline at the start of the body.

use super::{leading_space, Draft, Reason, Stage};
use crate::article::Span;

/// Length of a dash at the start of `b` (bytes, so any offset is safe).
fn is_dash(b: &[u8]) -> Option<usize> {
    ["\u{2014}", "\u{2013}", "--", "-"]
        .iter()
        .find(|d| b.starts_with(d.as_bytes()))
        .map(|d| d.len())
}

/// The length of a dateline at the start of `s`, separator and following space included.
fn dateline_len(s: &str) -> Option<usize> {
    // The place: upper-case words ("WASHINGTON", "NEW DELHI", "ST. LOUIS"), optionally followed by
    // ", Calif." or ", Feb 12" parts, then "(Reuters)" or similar, then ":" or a dash.
    let mut i = 0;
    let b = s.as_bytes();
    let mut upper_letters = 0;
    while i < b.len()
        && (b[i].is_ascii_uppercase() || b[i] == b' ' || b[i] == b'.' || b[i] == b'\'')
    {
        if b[i].is_ascii_uppercase() {
            upper_letters += 1;
        }
        i += 1;
        if i > 40 {
            return None;
        }
    }
    // Non-ASCII capitals (e.g. "SÃO PAULO") are rare in datelines; stop at them.
    let place_caps = upper_letters >= 3;
    // Optional qualifiers: ", Calif.", ", Feb. 12", " Feb 12" — short, no sentence.
    let mut j = i;
    while j < b.len() && b[j] != b'(' && b[j] != b':' && is_dash(&b[j..]).is_none() {
        if j - i > 30 || b[j] == b'\n' || b[j] == b'"' || b[j] >= 0x80 && is_dash(&b[j..]).is_none()
        {
            return None;
        }
        j += 1;
    }
    let qualifier = &s[i..j];
    if !qualifier.is_empty()
        && !qualifier.trim_start().starts_with(',')
        && !qualifier.trim().is_empty()
    {
        return None;
    }
    let mut k = j;
    let mut agency = false;
    if b.get(k) == Some(&b'(') {
        let close = s[k..].find(')')? + k;
        if close - k > 30 {
            return None;
        }
        agency = true;
        k = close + 1;
        k += leading_space(&s[k..]);
    }
    if !(place_caps || agency && upper_letters >= 1) {
        return None;
    }
    let sep = if b.get(k) == Some(&b':') {
        1
    } else {
        is_dash(&b[k..])?
    };
    // "WASHINGTON:" must be followed by text, not be a label like "NOTE:" in a list; require a space.
    let after = k + sep;
    let sp = leading_space(&s[after..]);
    if sp == 0 && !s[after..].starts_with('\n') {
        return None;
    }
    Some(after + sp)
}

/// `WASHINGTON:`, `WASHINGTON —`, `LONDON (Reuters) -` at the start of the body.
pub struct Datelines;

impl Stage for Datelines {
    fn apply(&self, draft: &mut Draft<'_>) {
        let start = draft.content_start();
        if let Some(len) = dateline_len(&draft.original[start..]) {
            draft.remove(Span::new(start, start + len), Reason::Dateline);
        }
    }
}
