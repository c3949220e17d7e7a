//! Stage 1: dates and bylines at the very start.

use super::{leading_space, Draft, Reason, Stage};
use crate::article::{Span, Timestamp};

/// `T12:30:00Z` or ` 12:30` after a date.
fn time_of_day_len(s: &str) -> usize {
    let Some(rest) = s.strip_prefix('T').or_else(|| s.strip_prefix(' ')) else {
        return 0;
    };
    let b = rest.as_bytes();
    if b.len() >= 5
        && b[..2].iter().all(u8::is_ascii_digit)
        && b[2] == b':'
        && b[3..5].iter().all(u8::is_ascii_digit)
    {
        1 + rest.find(char::is_whitespace).unwrap_or(rest.len())
    } else {
        0
    }
}

fn parse_iso_date(s: &str) -> Option<(Timestamp, usize)> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let date = chrono::NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
    Some((date.and_hms_opt(0, 0, 0)?.and_utc().timestamp(), 10))
}

/// `date 2022-02-13`, `Published: 2022-02-13`, `By Jane Doe` at the very start of the text.
pub struct LeadingMetadata;

impl Stage for LeadingMetadata {
    fn apply(&self, draft: &mut Draft<'_>) {
        loop {
            let start = draft.content_start();
            let rest = &draft.original[start..];
            let lower_head: String = rest.chars().take(12).collect::<String>().to_lowercase();
            let key = [
                "date:",
                "date ",
                "published:",
                "published ",
                "updated:",
                "updated ",
            ]
            .into_iter()
            .find(|k| lower_head.starts_with(k));
            if let Some(key) = key {
                let after = key.len();
                let sp = leading_space(&rest[after..]);
                if let Some((ts, len)) = parse_iso_date(&rest[after + sp..]) {
                    let mut end = start + after + sp + len;
                    end += time_of_day_len(&draft.original[end..]);
                    end += leading_space(&draft.original[end..]);
                    draft.published.get_or_insert(ts);
                    draft.remove(Span::new(start, end), Reason::LeadingMetadata);
                    continue;
                }
            }
            // A byline: a whole first line "By Jane Doe" / "By Jane Doe and John Roe, Reuters".
            if rest.starts_with("By ") {
                let line_end = rest.find('\n').unwrap_or(rest.len());
                let line = &rest[..line_end];
                let words = line.split_whitespace().count();
                if words <= 8 && !line.trim_end().ends_with(['.', '!', '?']) {
                    let end = start + (line_end + 1).min(rest.len());
                    draft.remove(Span::new(start, end), Reason::LeadingMetadata);
                    continue;
                }
            }
            break;
        }
    }
}
