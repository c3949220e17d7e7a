//! Formatting shared by the command line's printers and the web pages.

use samestory_engine::Timestamp;

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
