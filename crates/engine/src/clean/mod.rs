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
//! 2. [`PageHeader`]: a crawled page's URL line and date line among the first lines
//!    (`http://…`, `First Published: June 13, 2013 4:59 PM EDT`): the URL is kept as
//!    [`Cleaned::url`], the date becomes the published date when the article has none.
//! 3. [`ImageCredits`]: `Image: AP`, `Photo: Reuters/Jane Doe`, `(AP Photo/John Doe)`, whole credit
//!    lines.
//! 4. [`Datelines`]: `WASHINGTON:`, `WASHINGTON —`, `LONDON (Reuters) -`, `PARIS, Feb 3 (AFP) -` at the
//!    start of the body.
//! 5. [`Boilerplate`]: `Read more`, `Subscribe`, `Sign up`, `Advertisement`, Reuters sign-offs…
//! 6. [`InlineHeadlines`]: a short line with no sentence punctuation in the middle of the body whose
//!    words the next paragraph does not take up: a related-article headline or teaser. A short line
//!    the next paragraph *does* develop is a subheading and is kept.

mod boilerplate;
mod datelines;
mod image_credits;
mod inline_headlines;
mod leading_metadata;
mod page_header;

pub use boilerplate::Boilerplate;
pub use datelines::Datelines;
pub use image_credits::ImageCredits;
pub use inline_headlines::InlineHeadlines;
pub use leading_metadata::LeadingMetadata;
pub use page_header::{parse_date_line, PageHeader};

use crate::article::{Span, Timestamp};
use serde::Serialize;

/// Why a range was removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A date or byline at the very start ([`LeadingMetadata`]).
    LeadingMetadata,
    /// A page's URL on a line of its own at the top ([`PageHeader`]).
    UrlLine,
    /// A date line at the top, such as `First Published: June 13, 2013` ([`PageHeader`]).
    DateLine,
    /// An image or photo credit ([`ImageCredits`]).
    ImageCredit,
    /// The dateline opening the body ([`Datelines`]).
    Dateline,
    /// A line of page furniture: sign-offs, prompts ([`Boilerplate`]).
    Boilerplate,
    /// A related-article headline or teaser inside the body ([`InlineHeadlines`]).
    RelatedHeadline,
}

impl Reason {
    /// The reason as stored and shown: `snake_case`, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::LeadingMetadata => "leading_metadata",
            Reason::UrlLine => "url_line",
            Reason::DateLine => "date_line",
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
    /// Why it was removed.
    pub reason: Reason,
    /// The removed text, trimmed.
    pub text: String,
}

/// The result of cleaning one text.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Cleaned {
    /// The clean text: the original without the removals.
    pub text: String,
    /// Sorted by position, never overlapping.
    pub removals: Vec<Removal>,
    /// A publication date found in leading metadata or a date line.
    pub published: Option<Timestamp>,
    /// The page's address, from a URL line at the top.
    pub url: Option<String>,
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
    /// The text as it came; stages read it and record removals, never rewrite it.
    pub original: &'a str,
    removals: Vec<Removal>,
    /// A publication date found in the text (by [`LeadingMetadata`] or [`PageHeader`]).
    pub published: Option<Timestamp>,
    /// The page's address, from a URL line ([`PageHeader`]).
    pub url: Option<String>,
}

/// A line of the original text, without its line break.
#[derive(Clone, Copy, Debug)]
pub struct Line {
    /// The line, without its line break.
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
            url: None,
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

    /// Whether an earlier removal covers the byte at `offset`.
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
            url: self.url,
            segments,
        }
    }
}

/// One step of cleaning.
pub trait Stage: Send + Sync {
    /// Records this stage's removals in `draft`.
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
            .stage(PageHeader)
            .stage(ImageCredits)
            .stage(Datelines)
            .stage(Boilerplate)
            .stage(InlineHeadlines)
            .build()
    }
}

/// Builds a [`Cleaner`] from stages, in the order given.
pub struct CleanerBuilder {
    stages: Vec<Box<dyn Stage>>,
}

impl CleanerBuilder {
    /// Adds a stage after those already added.
    pub fn stage(mut self, stage: impl Stage + 'static) -> Self {
        self.stages.push(Box::new(stage));
        self
    }
    /// The cleaner with the stages added.
    pub fn build(self) -> Cleaner {
        Cleaner {
            stages: self.stages,
        }
    }
}

impl Cleaner {
    /// A builder with no stage yet.
    pub fn builder() -> CleanerBuilder {
        CleanerBuilder { stages: Vec::new() }
    }

    /// Runs every stage over `text`, in order.
    pub fn clean(&self, text: &str) -> Cleaned {
        let mut draft = Draft::new(text);
        for stage in &self.stages {
            stage.apply(&mut draft);
        }
        draft.finish()
    }
}

/// Length in bytes of the white space at the start of `s`.
pub(crate) fn leading_space(s: &str) -> usize {
    s.len() - s.trim_start_matches([' ', '\t', '\u{a0}']).len()
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
