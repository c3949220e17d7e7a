//! # samestory-engine
//!
//! The pure pipeline of samestory: no I/O, no database, no clock. Time comes in as data.
//!
//! - [`article`]: the [`Article`] and the small types naming things inside it ([`Span`]).
//! - [`text`]: words for matching (normalization, tokens, hashes).
//! - [`analysis`]: per story: shared passages, quotes grouped across outlets, what each outlet adds.

pub mod analysis;
pub mod article;
pub mod text;

pub use article::{Article, Span, Timestamp};
