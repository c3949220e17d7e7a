//! Story analysis: what the articles of one story share, whom they quote, and what each adds.
//!
//! - [`align`]: shared passages between two texts or all texts of a story (seed and extend).
pub mod align;
pub mod quotes;
pub mod sentences;
pub mod words;
