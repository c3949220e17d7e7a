//! # samestory-engine
//!
//! The pure pipeline of samestory: no I/O, no database, no clock. Time comes in as data.
//!
//! - [`article`]: the [`Article`] and the small types naming things inside it ([`Span`]).
//! - [`text`]: words for matching (normalization, tokens, hashes).
//! - [`clean`]: page furniture out (datelines, credits, teasers), every removal with its reason.
//! - [`fingerprint`]: shingles and one-permutation MinHash signatures.
//! - [`dedup`]: the online copy index (exact hash + LSH banding).
//! - `buckets`: the copy index's LSH buckets, a table that follows the copy window's size.
//! - `bucket_run`: the buckets' entries of the window's older documents, written out.
//! - `sorted_run`: records sorted by key, written out to a spill in blocks; memory keeps each
//!   block's first key and a Bloom filter (`bloom`). Under `archive` and `bucket_run`.
//! - `bloom`: the Bloom filter that memory keeps of what `archive` and `bucket_run` wrote out.
//! - `exact`: the copy window's exact hashes, in a table of the same kind.
//! - `table`: the open-addressing table under `buckets`, `exact` and `docfreqs`, resized in place.
//! - [`archive`]: a compact hash-keyed map for what a stream keeps of every article.
//! - [`cluster`]: online story clustering (TF-IDF centroids, inverted index, time window).
//! - `docfreqs`: the clusterer's document frequencies, in a table whose look-ups are prefetched.
//! - `sparse`: sorted sparse vectors, the story centroids.
//! - [`spill`]: where warm stories' centroids wait when the clusterer's memory budget is spent.
//! - `slots`: entries by dense index of which only the recent ones are kept (stories, documents).
//! - [`pipeline`]: [`pipeline::prepare`] (pure, parallel) then [`pipeline::Engine::add`] (online, in order).
//! - [`metrics`]: B-cubed, pairwise and ARI scores for evaluation.
//! - [`analysis`]: per story: shared passages, quotes grouped across outlets, what each outlet adds.

pub mod analysis;
pub mod archive;
pub mod article;
mod bloom;
mod bucket_run;
mod buckets;
pub mod clean;
pub mod cluster;
pub mod dedup;
mod docfreqs;
mod exact;
pub mod fingerprint;
pub mod metrics;
pub mod pipeline;
mod slots;
mod sorted_run;
mod sparse;
pub mod spill;
pub mod stopwords;
mod table;
pub mod text;

pub use article::{Article, Span, Timestamp};
