//! The data structures under the stages, which know nothing of news: tables, runs, filters and
//! spills keyed by plain integers.
//!
//! - `table`: the open-addressing table under the copy window's buckets and exact hashes and the
//!   clusterer's document frequencies, resized in place.
//! - `slots`: entries by dense index of which only the recent ones are kept (stories, documents).
//! - `sorted_run`: records sorted by key, written out to a spill in blocks; memory keeps each
//!   block's first key and a Bloom filter (`bloom`).
//! - [`archive`]: a compact hash-keyed map for what a stream keeps of every article.
//! - [`spill`]: where what leaves memory is written (a trait; the app gives temporary files).
//!
//! Nothing here imports from outside this folder: a stage may use memory, never the reverse.

pub mod archive;
pub(crate) mod bloom;
pub(crate) mod slots;
pub(crate) mod sorted_run;
pub mod spill;
pub(crate) mod table;

/// The murmur3 64-bit finaliser: a cheap bijection that spreads every input bit over the output.
#[inline]
pub const fn mix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}
