//! The LSH bucket entries of the copy window's older documents, written out.
//!
//! In memory an entry takes 8 bytes at up to seven eighths load, ~230 bytes a document over its
//! 21 bands: the largest part of the window, and the one that grew with a burst of articles. A
//! new document rarely shares a band with one more than 8,192 documents older (4,517 of 19.9M
//! look-ups on the 1M corpus), so older entries wait in a spill: one run of `(key, document)`
//! pairs sorted by key, in blocks of 4 KiB. Memory keeps the first key of each block and a Bloom
//! filter of the keys (10 bits an entry), and a look-up reads a block only when the filter lets
//! its key through: about one document in five reads one.
//!
//! Documents leave the window in publication order, not in the order they came, so an entry of a
//! document that left stays in the run until the next merge drops it: a look-up may name such a
//! document, and the caller skips it as it skips any document it no longer holds.

use crate::article::DocIdx;
use crate::memory::sorted_run::SortedRun;
use crate::memory::spill::Spill;

/// Entries of a block, the most a look-up reads: 4 KiB.
const BLOCK: usize = 512;

pub(crate) struct BucketRun {
    /// `(key, document)` pairs, sorted by key then document: documents are written out oldest
    /// first, and a merge puts the run's entries of a key before the new ones.
    run: SortedRun<u32, DocIdx>,
}

impl BucketRun {
    pub(crate) fn new(spill: Box<dyn Spill>) -> Self {
        BucketRun {
            run: SortedRun::new(spill, BLOCK),
        }
    }

    /// Entries written out, including those of documents that left since.
    pub(crate) fn len(&self) -> usize {
        self.run.len()
    }

    /// Hints that `key` is looked up soon.
    pub(crate) fn prefetch(&self, key: u32) {
        self.run.prefetch(key);
    }

    /// Calls `f` with each document written out under `key`.
    pub(crate) fn for_each(&self, key: u32, f: impl FnMut(DocIdx)) {
        if let Err(e) = self.run.for_each(key, f) {
            panic!("the copy window's written-out buckets could not be read back: {e}");
        }
    }

    /// Merges `entries` (sorted, none written out before, of documents newer than any written
    /// out) into the run, leaving out the entries of documents `keep` refuses, a few blocks at a
    /// time: the run is never whole in memory. On an error nothing has changed (the run's filter
    /// is built again from it).
    pub(crate) fn merge(
        &mut self,
        entries: &[(u32, DocIdx)],
        keep: impl Fn(DocIdx) -> bool,
    ) -> std::io::Result<()> {
        self.run.merge(entries.iter().copied(), keep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::spill::MemorySpill;
    use std::collections::BTreeSet;

    fn docs(r: &BucketRun, key: u32) -> Vec<DocIdx> {
        let mut v = Vec::new();
        r.for_each(key, |d| v.push(d));
        v
    }

    #[test]
    fn merges_find_every_kept_entry_across_blocks() {
        let mut r = BucketRun::new(Box::new(MemorySpill::default()));
        let mut model: BTreeSet<(u32, DocIdx)> = BTreeSet::new();
        let mut next_doc = 0;
        for round in 0..6u32 {
            // Spread keys, and one key of 1,500 documents: its entries span blocks.
            let mut entries: Vec<(u32, DocIdx)> = (0..3_000)
                .map(|i| {
                    next_doc += 1;
                    let key = if i % 2 == 0 {
                        7
                    } else {
                        crate::article::mix64(u64::from(next_doc)) as u32
                    };
                    (key, DocIdx::from_raw(next_doc))
                })
                .collect();
            entries.sort_unstable();
            // Documents below a rising mark have left; each merge drops them.
            let left = round * 2_000;
            r.merge(&entries, |d| d.raw() >= left).unwrap();
            model.extend(entries);
            model.retain(|&(_, d)| d.raw() >= left);
            assert_eq!(r.len(), model.len(), "round {round}");
        }
        assert!(r.len() > 3 * BLOCK);
        let keys: BTreeSet<u32> = model.iter().map(|&(k, _)| k).collect();
        for &k in &keys {
            let want: Vec<DocIdx> = model
                .range((k, DocIdx::from_raw(0))..=(k, DocIdx::MAX))
                .map(|e| e.1)
                .collect();
            assert_eq!(docs(&r, k), want, "key {k}");
        }
        assert!(docs(&r, 7).len() > 2 * BLOCK, "a key across blocks");
        let absent: Vec<u32> = (0..10_000u32)
            .map(|i| i.wrapping_mul(0x9e37_79b9))
            .filter(|k| !keys.contains(k))
            .collect();
        assert!(absent.iter().all(|&k| docs(&r, k).is_empty()));
    }

    #[test]
    fn a_failed_merge_keeps_the_run_findable() {
        let mut r = BucketRun::new(crate::memory::spill::FillsUp::boxed(64 * 1024));
        let first: Vec<(u32, DocIdx)> = (0..5_000).map(|d| (d * 7, DocIdx::from_raw(d))).collect();
        r.merge(&first, |_| true).unwrap();
        let second: Vec<(u32, DocIdx)> = (5_000..10_000)
            .map(|d| (d * 7, DocIdx::from_raw(d)))
            .collect();
        assert!(r.merge(&second, |_| true).is_err(), "no room left");
        assert!(r.run.has_filter(), "look-ups still pass the filter first");
        assert_eq!(r.len(), first.len());
        assert!(first.iter().all(|&(k, d)| docs(&r, k) == [d]));
        assert!(docs(&r, 5_000 * 7).is_empty());
    }
}
