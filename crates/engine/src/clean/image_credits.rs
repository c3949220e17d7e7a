//! Stage 3: image and photo credits.

use super::{leading_space, Draft, Reason, Stage};
use crate::article::Span;

/// Photo agencies and credit words that may be glued to the next word in scraped text.
const AGENCIES: &[&str] = &[
    "Getty Images",
    "Associated Press",
    "Shutterstock",
    "Bloomberg",
    "Reuters",
    "Xinhua",
    "iStock",
    "Alamy",
    "AFP",
    "EPA",
    "IANS",
    "ANI",
    "PTI",
    "UPI",
    "AP",
    "File",
];
const CREDIT_LABELS: &[&str] = &[
    "image:",
    "photo:",
    "photograph:",
    "picture:",
    "credit:",
    "image credit:",
    "photo credit:",
];

/// Length of a credit after its label: an agency, then `/Name Name` parts.
fn credit_len(s: &str) -> Option<usize> {
    let sp = leading_space(s);
    let body = &s[sp..];
    let agency = AGENCIES.iter().find(|a| body.starts_with(**a))?;
    let mut end = sp + agency.len();
    // "Reuters/Jane Doe", "AP Photo/John Doe", "Getty Images for X"
    loop {
        let rest = &s[end..];
        if let Some(r) = rest.strip_prefix(" Photo") {
            end += rest.len() - r.len();
        } else if let Some(r) = rest.strip_prefix('/') {
            let name_len: usize = r
                .split_inclusive(' ')
                .take_while(|w| w.chars().next().is_some_and(char::is_uppercase))
                .take(4)
                .map(str::len)
                .sum();
            end += 1 + name_len;
            break;
        } else {
            break;
        }
    }
    Some(s[..end].trim_end().len())
}

/// `Image: AP`, `Photo: Reuters/Jane Doe`, `(AP Photo/John Doe)`, credit lines.
pub struct ImageCredits;

impl Stage for ImageCredits {
    fn apply(&self, draft: &mut Draft<'_>) {
        let text = draft.original;
        for line in draft.lines() {
            let raw = line.span.slice(text);
            let lead = leading_space(raw);
            let body = &raw[lead..];
            let lower: String = body.chars().take(16).collect::<String>().to_lowercase();
            if let Some(label) = CREDIT_LABELS.iter().find(|l| lower.starts_with(**l)) {
                let start = line.span.start + lead;
                let short = body.split_whitespace().count() <= 8
                    && !body.trim_end().ends_with(['.', '?', '!']);
                let end = match credit_len(&body[label.len()..]) {
                    // The credit is the whole line unless it is glued to more text.
                    _ if short => line.with_break.end,
                    Some(len) => {
                        let e = start + label.len() + len;
                        e + leading_space(&text[e..line.span.end])
                    }
                    None => continue,
                };
                draft.remove(Span::new(start, end), Reason::ImageCredit);
            }
            // Parenthesised credits anywhere: "(AP Photo/John Doe)", "(Photo: Reuters)".
            let mut from = 0;
            while let Some(i) = body[from..].find('(') {
                let open = from + i;
                let Some(close) = body[open..].find(')').map(|c| open + c) else {
                    break;
                };
                let inner = &body[open + 1..close];
                let lower = inner.to_lowercase();
                let is_credit = inner.len() < 80
                    && (CREDIT_LABELS.iter().any(|l| lower.starts_with(l))
                        || lower.contains(" photo/")
                        || lower.starts_with("photo by "));
                if is_credit {
                    let s = line.span.start + lead + open;
                    let mut e = line.span.start + lead + close + 1;
                    e += leading_space(&text[e..line.span.end]);
                    draft.remove(Span::new(s, e), Reason::ImageCredit);
                }
                from = close + 1;
            }
        }
    }
}
