//! Formatting shared by the command line's printers and the web pages.

use samestory_engine::Timestamp;
use samestory_store::StorySummary;

/// A time in UTC with its zone, `YYYY-MM-DD HH:MM UTC`; `-` for none.
///
/// A time of exactly midnight is shown as its date alone (`YYYY-MM-DD UTC`): the store keeps
/// seconds, not how precise the input was, and a date read without a time (`2014-03-10`) is
/// stored as its midnight, so printing `00:00` would invent a time the input never gave. An
/// article really published at 00:00:00 loses only its (zero) hour and minute.
pub fn fmt_time(t: Option<Timestamp>) -> String {
    let Some(d) = t.and_then(|t| chrono::DateTime::from_timestamp(t, 0)) else {
        return "-".to_owned();
    };
    if t.is_some_and(|t| t.rem_euclid(86_400) == 0) {
        d.format("%Y-%m-%d UTC").to_string()
    } else {
        d.format("%Y-%m-%d %H:%M UTC").to_string()
    }
}

/// `n` and the noun, singular for one: `1 article`, `2 articles`, `1 copy`, `3 copies`.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A time as RFC 3339 in UTC (`2014-03-10T15:04:00Z`), for files and feeds; `None` for none.
pub fn rfc3339(t: Option<Timestamp>) -> Option<String> {
    t.and_then(|t| chrono::DateTime::from_timestamp(t, 0))
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// The columns of a story list written as a table (CSV, Parquet): `samestory export stories`,
/// `samestory stories --output`, `GET /api/stories?format=csv`.
pub const STORY_COLUMNS: &[&str] = &[
    "id", "size", "outlets", "copies", "first", "last", "headline",
];

/// A story as a row of [`STORY_COLUMNS`].
pub fn story_row(s: &StorySummary) -> Vec<Option<String>> {
    vec![
        Some(s.id.clone()),
        Some(s.size.to_string()),
        Some(s.outlets.to_string()),
        Some(s.copies.to_string()),
        rfc3339(s.first),
        rfc3339(s.last),
        Some(s.headline.clone()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_carry_their_zone_and_a_date_alone_gets_no_invented_hour() {
        assert_eq!(fmt_time(None), "-");
        // 2014-03-10T15:04:00Z
        assert_eq!(fmt_time(Some(1_394_463_840)), "2014-03-10 15:04 UTC");
        // 2014-03-10, read as its midnight
        assert_eq!(fmt_time(Some(1_394_409_600)), "2014-03-10 UTC");
        // before 1970: the day still starts at a multiple of 86,400
        assert_eq!(fmt_time(Some(-86_400)), "1969-12-31 UTC");
    }

    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(count(1, "article", "articles"), "1 article");
        assert_eq!(count(0, "article", "articles"), "0 articles");
        assert_eq!(count(2, "copy", "copies"), "2 copies");
    }
}
