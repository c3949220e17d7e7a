//! Cleaning: what of an article's text is the article, and what is page furniture.
//!
//! Cleaning only ever **removes** byte ranges of the original text; it never rewrites what it keeps.
//! So the clean text is the original minus its [`Removal`]s, every clean offset maps back to an
//! original offset ([`Cleaned::to_original`]), and a page can show the original with the removals
//! struck through. Typographic folding (quotes, dashes, NFKC) belongs to matching, in [`crate::text`].
//!
//! The work is done by small [`Stage`]s run in order by a [`Cleaner`]; each stage looks at the text
//! with the earlier removals applied and records its own removals with a [`Reason`]:
//!
//! 1. [`LeadingMetadata`]: `date 2022-02-13`, `By Jane Doe` at the very start (a date becomes the
//!    article's published date when it has none).
//! 2. [`ImageCredits`]: `Image: AP`, `Photo: Reuters/Jane Doe`, `(AP Photo/John Doe)`, whole credit
//!    lines.
//! 3. [`Datelines`]: `WASHINGTON:`, `WASHINGTON —`, `LONDON (Reuters) -`, `PARIS, Feb 3 (AFP) -` at the
//!    start of the body.
//! 4. [`Boilerplate`]: `Read more`, `Subscribe`, `Sign up`, `Advertisement`, Reuters sign-offs…
//! 5. [`InlineHeadlines`]: a short line with no sentence punctuation in the middle of the body whose
//!    words the next paragraph does not take up: a related-article headline or teaser. A short line
//!    the next paragraph *does* develop is a subheading and is kept.

use crate::article::{Span, Timestamp};
use serde::Serialize;

/// Why a range was removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    LeadingMetadata,
    ImageCredit,
    Dateline,
    Boilerplate,
    RelatedHeadline,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::LeadingMetadata => "leading_metadata",
            Reason::ImageCredit => "image_credit",
            Reason::Dateline => "dateline",
            Reason::Boilerplate => "boilerplate",
            Reason::RelatedHeadline => "related_headline",
        }
    }
}

/// One removed range of the original text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Removal {
    /// Into the original text.
    pub span: Span,
    pub reason: Reason,
    /// The removed text, trimmed.
    pub text: String,
}

/// The result of cleaning one text.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Cleaned {
    pub text: String,
    /// Sorted by position, never overlapping.
    pub removals: Vec<Removal>,
    /// A publication date found in leading metadata.
    pub published: Option<Timestamp>,
    /// `(clean_start, original_start)` of every kept segment, in order.
    #[serde(skip)]
    segments: Vec<(usize, usize)>,
}

impl Cleaned {
    /// Maps a byte offset of the clean text to the same character in the original text.
    pub fn to_original(&self, clean_offset: usize) -> usize {
        let i = self.segments.partition_point(|&(c, _)| c <= clean_offset);
        match i {
            0 => clean_offset,
            i => {
                let (c, o) = self.segments[i - 1];
                o + (clean_offset - c)
            }
        }
    }

    /// Maps a span of the clean text to the original. A span never crosses a removal, since
    /// its end is mapped from its last byte.
    pub fn span_to_original(&self, span: Span) -> Span {
        let start = self.to_original(span.start);
        if span.is_empty() {
            return Span::new(start, start);
        }
        Span::new(start, self.to_original(span.end - 1) + 1)
    }
}

/// The text being cleaned, as the stages see it: the original and what is removed so far.
pub struct Draft<'a> {
    pub original: &'a str,
    removals: Vec<Removal>,
    pub published: Option<Timestamp>,
}

/// A line of the original text, without its line break.
#[derive(Clone, Copy, Debug)]
pub struct Line {
    pub span: Span,
    /// The span including the line break, for removing the whole line.
    pub with_break: Span,
}

impl<'a> Draft<'a> {
    fn new(original: &'a str) -> Self {
        Draft {
            original,
            removals: Vec::new(),
            published: None,
        }
    }

    /// Records a removal; ranges overlapping an earlier removal are ignored.
    pub fn remove(&mut self, span: Span, reason: Reason) {
        if span.is_empty()
            || self
                .removals
                .iter()
                .any(|r| r.span.start < span.end && span.start < r.span.end)
        {
            return;
        }
        let text = span.slice(self.original).trim().to_owned();
        let at = self.removals.partition_point(|r| r.span.start < span.start);
        self.removals.insert(at, Removal { span, reason, text });
    }

    pub fn is_removed(&self, offset: usize) -> bool {
        self.removals
            .iter()
            .any(|r| r.span.start <= offset && offset < r.span.end)
    }

    /// The first offset that is neither removed nor white space.
    pub fn content_start(&self) -> usize {
        let mut pos = 0;
        loop {
            let rest = &self.original[pos..];
            let skip = rest.len() - rest.trim_start().len();
            pos += skip;
            match self
                .removals
                .iter()
                .find(|r| r.span.start <= pos && pos < r.span.end)
            {
                Some(r) => pos = r.span.end,
                None => return pos,
            }
        }
    }

    /// The lines of the original text that have something left after the removals so far.
    pub fn lines(&self) -> Vec<Line> {
        let mut out = Vec::new();
        let mut start = 0;
        let text = self.original;
        while start < text.len() {
            let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            let next = (end + 1).min(text.len());
            out.push(Line {
                span: Span::new(start, end),
                with_break: Span::new(start, next),
            });
            start = next;
        }
        out
    }

    /// A line's text with the removals so far taken out, trimmed.
    pub fn live_text(&self, line: Line) -> String {
        let mut s = String::new();
        let mut pos = line.span.start;
        for r in &self.removals {
            if r.span.end <= pos || r.span.start >= line.span.end {
                continue;
            }
            if r.span.start > pos {
                s.push_str(&self.original[pos..r.span.start]);
            }
            pos = pos.max(r.span.end);
        }
        if pos < line.span.end {
            s.push_str(&self.original[pos..line.span.end]);
        }
        s.trim().to_owned()
    }

    fn finish(self) -> Cleaned {
        let mut text = String::with_capacity(self.original.len());
        let mut segments = Vec::new();
        let mut pos = 0;
        for r in &self.removals {
            if r.span.start > pos {
                segments.push((text.len(), pos));
                text.push_str(&self.original[pos..r.span.start]);
            }
            pos = pos.max(r.span.end);
        }
        if pos < self.original.len() {
            segments.push((text.len(), pos));
            text.push_str(&self.original[pos..]);
        }
        Cleaned {
            text,
            removals: self.removals,
            published: self.published,
            segments,
        }
    }
}

/// One step of cleaning.
pub trait Stage: Send + Sync {
    fn apply(&self, draft: &mut Draft<'_>);
}

/// Runs [`Stage`]s in order. `Cleaner::default()` has every stage of this module.
pub struct Cleaner {
    stages: Vec<Box<dyn Stage>>,
}

impl Default for Cleaner {
    fn default() -> Self {
        Cleaner::builder()
            .stage(LeadingMetadata)
            .stage(ImageCredits)
            .stage(Datelines)
            .stage(Boilerplate)
            .stage(InlineHeadlines)
            .build()
    }
}

pub struct CleanerBuilder {
    stages: Vec<Box<dyn Stage>>,
}

impl CleanerBuilder {
    pub fn stage(mut self, stage: impl Stage + 'static) -> Self {
        self.stages.push(Box::new(stage));
        self
    }
    pub fn build(self) -> Cleaner {
        Cleaner {
            stages: self.stages,
        }
    }
}

impl Cleaner {
    pub fn builder() -> CleanerBuilder {
        CleanerBuilder { stages: Vec::new() }
    }

    pub fn clean(&self, text: &str) -> Cleaned {
        let mut draft = Draft::new(text);
        for stage in &self.stages {
            stage.apply(&mut draft);
        }
        draft.finish()
    }
}

/// Length in bytes of the white space at the start of `s`.
fn leading_space(s: &str) -> usize {
    s.len() - s.trim_start_matches([' ', '\t', '\u{a0}']).len()
}

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
    let date = chrono::NaiveDate::parse_from_str(&s[..10], "%Y-%m-%d").ok()?;
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

const BOILERPLATE_STARTS: &[&str] = &[
    "read more",
    "read also",
    "also read",
    "see also",
    "related:",
    "related articles",
    "related stories",
    "subscribe",
    "sign up",
    "click here",
    "follow us",
    "follow @",
    "advertisement",
    "share this",
    "share on",
    "watch:",
    "watch the video",
    "for more ",
    "(reporting by",
    "reporting by",
    "editing by",
    "(editing by",
    "copyright ",
    "©",
    "all rights reserved",
];

/// "Read more", "Subscribe", "Advertisement", "(Reporting by …)" lines.
pub struct Boilerplate;

impl Stage for Boilerplate {
    fn apply(&self, draft: &mut Draft<'_>) {
        for line in draft.lines() {
            // Cheap test on the raw line first: most lines are long prose.
            let raw = line.span.slice(draft.original).trim_start();
            if raw.len() > 300 || raw.is_empty() {
                continue;
            }
            let head: String = raw.chars().take(24).collect::<String>().to_lowercase();
            if !BOILERPLATE_STARTS
                .iter()
                .any(|b| head.starts_with(b) || b.starts_with(head.as_str()))
            {
                continue;
            }
            let live = draft.live_text(line);
            if live.is_empty() || live.split_whitespace().count() > 25 {
                continue;
            }
            let lower = live.to_lowercase();
            if BOILERPLATE_STARTS.iter().any(|b| lower.starts_with(b)) {
                draft.remove(line.with_break, Reason::Boilerplate);
            }
        }
    }
}

/// Words a teaser headline must not share with the paragraph after it for it to count as unrelated.
fn content_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    crate::text::for_each_word(s, |_, w| {
        if w.len() > 3 && !crate::text::stopwords::is_stopword(w) {
            out.push(w.trim_end_matches('s').to_owned());
        }
    });
    out
}

/// Stands for the text of a line too long to be a headline (its words are never looked at, only
/// that it has many and ends a sentence).
const LONG_LINE: &str = "long line of body text that is no headline, standing in for the real one.";

/// Related-article headlines and teasers inside the body.
pub struct InlineHeadlines;

impl Stage for InlineHeadlines {
    fn apply(&self, draft: &mut Draft<'_>) {
        // Only short lines can be headlines; long ones need no live text.
        let lines: Vec<(Line, String)> = draft
            .lines()
            .into_iter()
            .filter(|l| !l.span.slice(draft.original).trim().is_empty())
            .map(|l| {
                let short = l.span.len() < 400;
                (
                    l,
                    if short {
                        draft.live_text(l)
                    } else {
                        LONG_LINE.to_owned()
                    },
                )
            })
            .collect();
        if lines.len() < 3 {
            return;
        }
        for i in 1..lines.len() - 1 {
            let (line, text) = &lines[i];
            let words = text.split_whitespace().count();
            let last = text.trim_end().chars().last().unwrap_or('.');
            let sentence_end = matches!(
                last,
                '.' | '!' | '?' | ':' | ';' | ',' | '"' | '\u{201D}' | ')'
            );
            if !(2..=16).contains(&words) || sentence_end {
                continue;
            }
            let next = &lines[i + 1].1;
            if next.split_whitespace().count() < words {
                continue;
            }
            // The next line's real words (it may be a long line not read so far).
            let next = draft.live_text(lines[i + 1].0);
            let own = content_words(text);
            if own.is_empty() {
                continue;
            }
            let following: rustc_hash::FxHashSet<String> =
                content_words(&next).into_iter().collect();
            let taken_up = own.iter().filter(|w| following.contains(*w)).count();
            if taken_up * 2 < own.len() {
                draft.remove(line.with_break, Reason::RelatedHeadline);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn removed(text: &str) -> Vec<(Reason, String)> {
        Cleaner::default()
            .clean(text)
            .removals
            .into_iter()
            .map(|r| (r.reason, r.text))
            .collect()
    }

    #[test]
    fn leading_date_becomes_published() {
        let c = Cleaner::default().clean(" date 2022-02-13 US President Joe Biden spoke.");
        assert_eq!(c.text, " US President Joe Biden spoke.");
        assert_eq!(c.published, Some(1_644_710_400));
        assert_eq!(c.removals[0].reason, Reason::LeadingMetadata);
    }

    #[test]
    fn glued_credit_and_dateline() {
        let t = "Image: APWASHINGTON: A call Saturday between leaders.\nMore text here.";
        let c = Cleaner::default().clean(t);
        assert_eq!(c.text, "A call Saturday between leaders.\nMore text here.");
        assert_eq!(
            removed(t),
            [
                (Reason::ImageCredit, "Image: AP".to_owned()),
                (Reason::Dateline, "WASHINGTON:".to_owned())
            ]
        );
    }

    #[test]
    fn dateline_forms() {
        for (t, d) in [
            ("WASHINGTON — Michael Steele said", "WASHINGTON —"),
            ("LONDON (Reuters) - Shares fell", "LONDON (Reuters) -"),
            ("NEW DELHI: The government said", "NEW DELHI:"),
            (
                "SAN FRANCISCO, Calif. -- A quake hit",
                "SAN FRANCISCO, Calif. --",
            ),
            ("PARIS, Feb 3 (AFP) - Strikes", "PARIS, Feb 3 (AFP) -"),
        ] {
            assert_eq!(removed(t), [(Reason::Dateline, d.to_owned())], "{t}");
        }
        for t in [
            "The US said: no",
            "NATO is here - really",
            "I said \"WOW: yes\"",
        ] {
            assert!(removed(t).is_empty(), "{t}");
        }
    }

    #[test]
    fn teaser_removed_subheading_kept() {
        let t = "First paragraph about a call between two presidents that went on.\n\
                 Blinken says US prepared for diplomacy or aggression\n\
                 The call was professional and substantive, an official told reporters today.\n\
                 Biden was direct with Putin about Americans' safety\n\
                 The president was very direct with Putin about the safety of Americans in Ukraine.\n";
        let r = removed(t);
        assert_eq!(
            r,
            [(
                Reason::RelatedHeadline,
                "Blinken says US prepared for diplomacy or aggression".to_owned()
            )]
        );
    }

    #[test]
    fn boilerplate_lines() {
        let t =
            "Body sentence one is here.\nRead more: Another story\nBody two.\nAdvertisement\nEnd.";
        let r = removed(t);
        assert_eq!(r.len(), 2);
        assert!(r.iter().all(|(why, _)| *why == Reason::Boilerplate));
    }

    #[test]
    fn offsets_map_back_to_original() {
        let t = "Image: APWASHINGTON: A call Saturday.";
        let c = Cleaner::default().clean(t);
        let at = c.text.find("call").unwrap();
        assert_eq!(&t[c.to_original(at)..c.to_original(at) + 4], "call");
        assert_eq!(c.to_original(0), t.find("A call").unwrap());
    }

    #[test]
    fn clean_text_is_untouched_when_nothing_matches() {
        let t = "Plain text. “Quotes” stay — as they are.";
        let c = Cleaner::default().clean(t);
        assert_eq!(c.text, t);
        assert!(c.removals.is_empty());
    }
}
