//! # samestory-engine
//!
//! The pure pipeline of samestory: which articles are copies of which, and which report the same
//! story. No I/O, no database, no clock, no threads of its own: time comes in as data, so the
//! same articles in the same order give the same answers.
//!
//! An article goes through two steps. [`pipeline::prepare`] is pure and runs on each article
//! alone (in parallel, in the app): it cleans the text ([`clean`]), reads its words ([`text`]),
//! and computes its exact hash, its MinHash signature ([`copies::fingerprint`]) and its term
//! counts ([`stories::terms`]). [`pipeline::Engine::add`] then decides, in arrival order: the copy
//! index ([`copies::CopyIndex`]) finds the family it is a copy of, and the clusterer
//! ([`stories::Clusterer`]) the story it joins (a copy joins its original's story).
//!
//! | folder | what it answers | main types |
//! | --- | --- | --- |
//! | [`article`] | what names what | [`Article`], [`Span`], [`Timestamp`], [`DocIdx`], [`StoryIdx`], [`Term`] |
//! | [`text`] | which words a text holds | [`text::for_each_word`], [`text::hash_word`], [`text::stem`] |
//! | [`clean`] | what of the text is the article | [`clean::Cleaner`], [`clean::Stage`], [`clean::Removal`] |
//! | [`copies`] | is it a copy, and of what | [`copies::CopyIndex`], [`copies::fingerprint::Signature`] |
//! | [`batch`] | which texts of a whole corpus are near copies, at once (`samestory dedup`) | [`batch::candidate_pairs`], [`batch::Verifier`], [`batch::families`] |
//! | [`stories`] | which story is it | [`stories::Clusterer`], [`stories::ClusterConfig`] |
//! | [`analysis`] | what a story's articles share, and what each adds | [`analysis::analyze_story`] |
//! | [`pipeline`] | how it is driven | [`pipeline::prepare`], [`pipeline::Engine`] |
//! | [`across`] | what two reports in different languages share (names across scripts, numbers) | [`across::Markers`], [`across::shared`] |
//! | [`explain`] | why two articles are (or are not) copies and the same story | [`explain::explain`], [`explain::Verdict`] |
//! | [`metrics`] | how good a clustering is | [`metrics::score`] |
//! | [`memory`] | where a long stream's entries live (knows nothing of news) | [`memory::archive::HashArchive`], [`memory::spill::Spill`] |
//!
//! Folders depend one way: `memory` ← `article` ← `text` ← `clean` · `copies` · `stories` · `across` ←
//! `analysis` · `batch` ← `pipeline` ← `explain` (checked by `tests/layers.rs`). The copy index
//! and the story decision are explained in the crate's `DESIGN.md`.
//!
//! ```
//! use samestory_engine::clean::Cleaner;
//! use samestory_engine::pipeline::{prepare, Config, Engine};
//! use samestory_engine::Article;
//!
//! let (config, cleaner) = (Config::default(), Cleaner::default());
//! let mut engine = Engine::new(config);
//! let article = |id: &str, title: &str, text: &str| Article {
//!     id: id.into(),
//!     title: Some(title.into()),
//!     text: text.into(),
//!     published: Some(1_650_000_000),
//!     ..Article::default()
//! };
//! let bill = "WASHINGTON (Reuters) - The Senate passed the infrastructure bill on Tuesday \
//!             after weeks of talks, sending it to the House for a final vote next month.";
//! let first = engine.add(&prepare(&article("a", "Senate passes bill", bill), &cleaner, &config));
//! let again = engine.add(&prepare(&article("b", "Bill passes", bill), &cleaner, &config));
//! assert_eq!(again.copy_of.map(|c| c.original), Some(first.doc));
//! assert_eq!(again.story, first.story);
//!
//! let quake = "A strong earthquake struck off the coast of Chile early on Sunday, \
//!              shaking buildings in Santiago; no damage was reported.";
//! let other = engine.add(&prepare(&article("c", "Quake in Chile", quake), &cleaner, &config));
//! assert!(other.copy_of.is_none() && other.story_created);
//! ```

#![warn(missing_docs)]

pub mod across;
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

pub use article::{Article, DocIdx, Origin, Span, StoryIdx, Term, Timestamp};
