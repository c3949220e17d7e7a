//! Story analysis: what the articles of one story share, whom they quote, and what each adds.
//!
//! Pure: plain texts in (the clean text of each article and a caller-chosen outlet name, as
//! [`DocText`]), results out; no I/O, no clock. Every [`Span`](crate::Span) in a result is a
//! half-open byte span into the text it came with.
//!
//! - [`align`]: shared passages between two texts ([`align_pair`]) or among all texts of a story
//!   ([`align_story`]: each passage once, with every text carrying it), found by 3-word seeds and
//!   gap-tolerant extension, never by comparing sentences pairwise.
//! - [`quotes`]: quotes of one text and their speakers ([`extract_quotes`]).
//! - [`groups`]: quotes grouped across a story by utterance, with their wordings
//!   ([`group_quotes`]).
//! - [`headline`]: a story's representative headline among its articles' titles.
//! - [`sentences`]: the sentence splitter; [`similar`]: whether two sentences say the same thing
//!   (lexical features and a logistic model fitted on MSRP).
//! - [`story`]: [`analyze_story`] puts it together: passages, shared quotes, the sentences only one
//!   article has, and a brief of the sentences most outlets carry.
//!
//! ```
//! use samestory_engine::analysis::{analyze_story, DocText};
//! let a = "\"We will rebuild the bridge before the spring floods arrive,\" the mayor said on Monday.";
//! let b = "The mayor said: \"We will rebuild the bridge before the spring floods arrive.\" Costs rose.";
//! let docs = [
//!     DocText { doc: 0, outlet: "Daily".into(), text: a },
//!     DocText { doc: 1, outlet: "Herald".into(), text: b },
//! ];
//! let story = analyze_story(&docs);
//! assert_eq!(story.passages.len(), 1);
//! assert_eq!(story.quotes.len(), 1);
//! assert_eq!(story.quotes[0].speaker.as_deref(), Some("mayor"));
//! ```
//!
//! # Computed on demand, cached by the caller
//! Nothing here is stored. An analysis is computed for a story when asked for, and the caller is
//! meant to cache it keyed on the story's **member set** (the sorted ids of its articles; the store
//! crate will do this). Why not maintain alignments incrementally as articles arrive: stories
//! change often while news breaks (articles join, clusters merge and split), and every change would
//! have to patch pairwise results; while the analysis itself is cheap (a few milliseconds for a
//! ten-article story, well under a second for two hundred, see `docs/analysis-eval.md`). A cache
//! keyed on the member set is invalidated exactly when the answer can change, and needs no patching.

pub mod align;
pub mod groups;
pub mod headline;
pub mod quotes;
pub mod sentences;
pub mod words;

pub use align::{align_pair, align_story, Passage, SharedPassage};
pub use groups::{group_quotes, QuoteGroup, QuoteVariant};
pub use quotes::{extract_quotes, Quote, Speaker};
pub use sentences::split_sentences;
pub use story::{analyze_story, compare_pair, BriefSentence, StoryAnalysis};

/// The version of the analysis's output: raised whenever its shape or its decisions change, so
/// that caches keyed on it (the store's) make it again. 2: passages grouped across documents,
/// sentence matches by the fitted model. 3: a brief lists a sentence once.
pub const VERSION: u32 = 3;

/// One document of a story as the analysis takes it: its clean text and its outlet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocText<'a> {
    /// The caller's id for the document; results name documents by it.
    pub doc: usize,
    /// The outlet that published it: passages and quotes are counted by outlet.
    pub outlet: String,
    /// Its clean text; every span in a result points into it.
    pub text: &'a str,
}
pub mod similar;
pub mod story;
