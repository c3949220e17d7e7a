//! # samestory-engine
//!
//! The pure pipeline of samestory: no I/O, no database, no clock. Time comes in as data.
//!
//! - [`article`]: the [`Article`] and the small types naming things inside it ([`Span`]).
//! - [`text`]: words for matching (normalization, tokens, hashes).
//! - [`clean`]: page furniture out (datelines, credits, teasers), every removal with its reason.
//! - [`copies`]: the online copy index (exact hash + LSH banding over
//!   [`copies::fingerprint`]'s MinHash signatures), its buckets and exact hashes.
//! - [`batch`]: near duplicates over a whole corpus at once (bulk LSH, exact check, union-find),
//!   the algorithm of `samestory dedup`.
//! - [`stories`]: online story clustering (TF-IDF centroids, inverted index, time window), with
//!   its document frequencies and sparse centroids.
//! - [`pipeline`]: [`pipeline::prepare`] (pure, parallel) then [`pipeline::Engine::add`] (online, in order).
//! - [`memory`]: the tables, runs, filters and spills under the stages, which know nothing of news.
//! - [`explain`]: why two articles are (or are not) copies and the same story: both decisions
//!   made again for the pair, with their figures and evidence (`samestory compare`).
//! - [`metrics`]: B-cubed, pairwise and ARI scores for evaluation.
//! - [`analysis`]: per story: shared passages, quotes grouped across outlets, what each outlet adds.

#![warn(missing_docs)]

pub mod analysis;
pub mod article;
pub mod batch;
pub mod clean;
pub mod copies;
pub mod explain;
pub mod memory;
pub mod metrics;
pub mod pipeline;
pub mod stories;
pub mod text;

pub use article::{Article, DocIdx, Span, StoryIdx, Term, Timestamp};
