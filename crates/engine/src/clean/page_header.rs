//! Stage 2: what a crawled page puts above the article: its URL on a line of its own and a date
//! line (`First Published: June 13, 2013 4:59 PM EDT`, `Tue Jul 02 2013, 14:58 hrs`,
//! `August 10, 2011 -- Updated 0947 GMT`, `04 / 28 / 09 07:35 PM ET`).
//!
//! Only the first [`HEADER_LINES`] lines with text are looked at, and only until the body starts
//! (a line of more than [`BODY_WORDS`] words, or of eight or more ending as a sentence does): the
//! headline between a URL line and a date line is
//! kept. A line is a date line only if every word of it is part of a date, a time, a time zone, a
//! weekday or one of a few labels (`published`, `updated`, `posted`...), so a headline that
//! mentions a date is never taken for one. Month names are English; numeric dates are read as
//! `YYYY-MM-DD`, or month first (`MM/DD/YY`) as US pages write them.

use super::{Draft, Reason, Stage};
use crate::article::Timestamp;
use crate::text::{MONTHS, WEEKDAYS};

/// How many lines with text, from the top, may hold the page's header.
pub const HEADER_LINES: usize = 5;

/// A line with more words than this is the body: the header is above it.
pub const BODY_WORDS: usize = 20;

/// A URL line and a date line among the first lines of the text (see the module doc). The first
/// date line found becomes the article's published date when the record has none; the URL is
/// kept as [`super::Cleaned::url`].
pub struct PageHeader;

impl Stage for PageHeader {
    fn apply(&self, draft: &mut Draft<'_>) {
        let mut seen = 0;
        for line in draft.lines() {
            let live = draft.live_text(line);
            if live.is_empty() {
                continue;
            }
            let words = live.split_whitespace().count();
            let sentence = words >= 8 && live.ends_with(['.', '!', '?', '"', '”']);
            if seen == HEADER_LINES || words > BODY_WORDS || sentence {
                break;
            }
            seen += 1;
            // Only whole lines that nothing removed yet: a stage before may have taken part.
            let text = line.span.slice(draft.original).trim();
            if text != live {
                continue;
            }
            if is_url(text) {
                if draft.url.is_none() {
                    draft.url = Some(text.to_owned());
                }
                draft.remove(line.with_break, Reason::UrlLine);
            } else if let Some(ts) = parse_date_line(text) {
                draft.published.get_or_insert(ts);
                draft.remove(line.with_break, Reason::DateLine);
            }
        }
    }
}

/// A whole line that is one web address.
fn is_url(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    let rest = ["https://", "http://", "www."]
        .iter()
        .find_map(|p| lower.strip_prefix(p));
    rest.is_some_and(|r| r.len() >= 4 && r.contains('.') && !r.contains(char::is_whitespace))
}

/// The month of an English month name or its abbreviation (`Sept`, `Jul.`), 1-based.
fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| *m == w || (m.starts_with(w) && (w.len() == 3 || w == "sept")))
        .map(|i| i as u32 + 1)
}

fn is_weekday(word: &str) -> bool {
    let w = word.trim_end_matches('.');
    WEEKDAYS
        .iter()
        .any(|d| *d == w || (w.len() >= 3 && d.starts_with(w) && w.len() <= 5))
}

/// Hours to add to a local time to get UTC, for the zones news pages print.
fn zone_offset(word: &str) -> Option<i64> {
    Some(match word {
        "gmt" | "utc" | "z" | "wet" => 0,
        "bst" | "cet" | "wat" => -1,
        "cest" | "eet" | "sast" => -2,
        "msk" | "eest" | "eat" => -3,
        "ist" => -5, // India (half an hour more is below what a date line decides)
        "hkt" | "sgt" | "awst" => -8,
        "jst" | "kst" => -9,
        "aest" => -10,
        "est" | "et" | "cdt" => 5,
        "edt" => 4,
        "cst" | "mdt" => 6,
        "mst" | "pdt" => 7,
        "pst" | "pt" => 8,
        _ => return None,
    })
}

/// Words a date line may carry besides the date itself.
fn is_label(word: &str) -> bool {
    matches!(
        word,
        "first"
            | "published"
            | "updated"
            | "posted"
            | "last"
            | "modified"
            | "created"
            | "date"
            | "on"
            | "at"
            | "hrs"
            | "h"
            | "-"
            | "--"
            | "—"
            | "–"
            | "|"
            | "•"
            | "·"
    )
}

/// `14:58`, `4:59pm`, `16:20:05`: hours and minutes.
fn clock(word: &str) -> Option<(u32, u32, Option<bool>)> {
    let (digits, pm) = if let Some(d) = word.strip_suffix("pm") {
        (d, Some(true))
    } else if let Some(d) = word.strip_suffix("am") {
        (d, Some(false))
    } else {
        (word, None)
    };
    let mut parts = digits.split(':');
    let h: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    if let Some(s) = parts.next() {
        s.parse::<u32>().ok()?;
    }
    (h < 24 && m < 60).then_some((h, m, pm))
}

/// `2013-06-13`, `06/13/2013`, `06/13/13`.
fn numeric_date(word: &str) -> Option<(i32, u32, u32)> {
    let parts: Vec<&str> = word.split(['-', '/', '.']).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || p.len() > 4) {
        return None;
    }
    let n: Vec<u32> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    if parts[0].len() == 4 {
        Some((n[0] as i32, n[1], n[2]))
    } else if word.contains('/') {
        let y = match parts[2].len() {
            2 => 2000 + n[2] as i32,
            4 => n[2] as i32,
            _ => return None,
        };
        Some((y, n[0], n[1]))
    } else {
        None
    }
}

/// The time a date line gives (UTC), if the whole line is a date line (see the module doc).
pub fn parse_date_line(line: &str) -> Option<Timestamp> {
    if line.len() > 100 {
        return None;
    }
    let mut norm = line.to_lowercase();
    for (from, to) in [
        (" / ", "/"),
        ("p. m.", "pm"),
        ("a. m.", "am"),
        ("p.m.", "pm"),
        ("a.m.", "am"),
    ] {
        norm = norm.replace(from, to);
    }
    let words: Vec<&str> = norm
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')'))
        .map(|w| w.trim_end_matches(':'))
        .filter(|w| !w.is_empty())
        .collect();
    let (mut year, mut mon, mut day) = (None::<i32>, None::<u32>, None::<u32>);
    let (mut hour, mut minute, mut pm, mut offset) = (0, 0, None::<bool>, 0i64);
    let mut small: Vec<u32> = Vec::new();
    for (i, &w) in words.iter().enumerate() {
        if let Some(m) = month(w) {
            if mon.replace(m).is_some() {
                return None;
            }
        } else if let Some((y, m, d)) = numeric_date(w) {
            if year.replace(y).is_some() {
                return None;
            }
            mon = Some(m);
            day = Some(d);
        } else if let Some((h, m, p)) = clock(w) {
            (hour, minute) = (h, m);
            pm = p.or(pm);
        } else if w == "pm" || w == "am" {
            pm = Some(w == "pm");
        } else if let Some(o) = zone_offset(w) {
            offset = o;
        } else if is_weekday(w) || is_label(w) {
        } else if let Ok(n) = w
            .trim_end_matches(['.', 's', 't', 'h', 'n', 'd', 'r'])
            .parse::<u32>()
        {
            match w.len() {
                4 if (1980..=2100).contains(&n) => {
                    if year.replace(n as i32).is_some() {
                        return None;
                    }
                }
                // `0947 GMT`: hours and minutes without a colon, only before a zone.
                4 if words.get(i + 1).is_some_and(|z| zone_offset(z).is_some()) => {
                    (hour, minute) = (n / 100, n % 100);
                }
                1..=4 if (1..=31).contains(&n) => small.push(n),
                _ => return None,
            }
        } else {
            return None;
        }
    }
    if day.is_none() {
        match small.as_slice() {
            [d] => day = Some(*d),
            _ => return None,
        }
    } else if !small.is_empty() {
        return None;
    }
    let date = chrono::NaiveDate::from_ymd_opt(year?, mon?, day?)?;
    if pm == Some(true) && hour < 12 {
        hour += 12;
    } else if pm == Some(false) && hour == 12 {
        hour = 0;
    }
    let t = date.and_hms_opt(hour, minute, 0)?.and_utc().timestamp();
    Some(t + offset * 3_600)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd_hm(line: &str) -> Option<String> {
        parse_date_line(line).map(|t| {
            chrono::DateTime::from_timestamp(t, 0)
                .unwrap()
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
    }

    #[test]
    fn date_lines_as_pages_print_them() {
        for (line, want) in [
            (
                "First Published: June 13, 2013 4:59 PM EDT",
                "2013-06-13 20:59",
            ),
            ("Tue Jul 02 2013, 14:58 hrs", "2013-07-02 14:58"),
            ("August 10, 2011 -- Updated 0947 GMT", "2011-08-10 09:47"),
            (
                "updated 8:41 p. m. EST, Tue March 3, 2009",
                "2009-03-04 01:41",
            ),
            ("04 / 28 / 09 07:35 PM ET", "2009-04-29 00:35"),
            ("April 27, 2009", "2009-04-27 00:00"),
            ("Published: 13 June 2013", "2013-06-13 00:00"),
            ("2013-06-13 16:20", "2013-06-13 16:20"),
            ("Posted on Sept. 3rd, 2012 at 9:00 am", "2012-09-03 09:00"),
        ] {
            assert_eq!(ymd_hm(line).as_deref(), Some(want), "{line}");
        }
        // Without a zone the time is taken as UTC.
        assert_eq!(
            ymd_hm("04 / 28 / 09 07:35 PM").as_deref(),
            Some("2009-04-28 19:35")
        );
    }

    #[test]
    fn lines_that_only_mention_a_date_are_not_date_lines() {
        for line in [
            "Obama overturns Bush rule, March 3, 2009",
            "APR 28",                      // no year
            "June 2013",                   // no day
            "Lohan enters rehab on May 3", // words besides the date
            "3 4 2013 June",               // two days
            "The 2013 season",
            "",
        ] {
            assert_eq!(ymd_hm(line), None, "{line}");
        }
    }

    #[test]
    fn url_lines() {
        assert!(is_url(
            "http://www.cnn.com/2009/POLITICS/03/03/endangered.species.act/"
        ));
        assert!(is_url("www.example.org/news"));
        assert!(!is_url("http://example.com is down"));
        assert!(!is_url("Visit http://example.com"));
    }
}
