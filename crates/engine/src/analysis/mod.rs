//! Story analysis: what the articles of one story share, whom they quote, and what each adds.
//!
//! - [`align`]: shared passages between two texts or all texts of a story (seed and extend).
pub mod align;
pub mod groups;
pub mod quotes;
pub mod sentences;
pub mod words;

pub use align::{align_pair, align_story, Passage, StoryPassage};
pub use groups::{group_quotes, QuoteGroup, QuoteVariant};
pub use quotes::{extract_quotes, Quote, Speaker};
pub use sentences::split_sentences;
pub use story::{analyze_story, compare_pair, BriefSentence, StoryAnalysis};

/// One document of a story as the analysis takes it: its clean text and its outlet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocText<'a> {
    /// The caller's id for the document; results name documents by it.
    pub doc: usize,
    pub outlet: String,
    pub text: &'a str,
}
pub mod similar;
pub mod story;
