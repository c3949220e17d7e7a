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

use crate::bloom::Bloom;
use crate::dedup::DocIdx;
use crate::spill::Spill;

/// Entries of a block, the most a look-up reads: 4 KiB.
const BLOCK: usize = 512;

/// Bytes of an entry: the key, then the document, little-endian.
const ENTRY: usize = 8;

/// Blocks read or written at once by a merge.
const BLOCKS_AT_ONCE: usize = 32;

/// The entries written out, sorted by key then document, at `at` in the spill.
struct Run {
    at: u64,
    /// Bytes reserved at `at`.
    reserved: usize,
    len: usize,
    /// The first key of each block.
    fences: Vec<u32>,
    /// `None` when a failed write could not read the run back to build it again: every look-up
    /// then reads its blocks.
    filter: Option<Bloom>,
}

impl Run {
    fn block_len(&self, b: usize) -> usize {
        BLOCK.min(self.len - b * BLOCK)
    }
}

fn entry_at(bytes: &[u8], at: usize) -> (u32, DocIdx) {
    let word = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().expect("4 bytes"));
    (word(at), word(at + 4))
}

pub(crate) struct BucketRun {
    spill: Box<dyn Spill>,
    run: Option<Run>,
}

impl BucketRun {
    pub(crate) fn new(spill: Box<dyn Spill>) -> Self {
        BucketRun { spill, run: None }
    }

    /// Entries written out, including those of documents that left since.
    pub(crate) fn len(&self) -> usize {
        self.run.as_ref().map_or(0, |r| r.len)
    }

    /// Hints that `key` is looked up soon.
    pub(crate) fn prefetch(&self, key: u32) {
        if let Some(filter) = self.run.as_ref().and_then(|r| r.filter.as_ref()) {
            filter.prefetch(u64::from(key));
        }
    }

    /// Calls `f` with each document written out under `key`.
    pub(crate) fn for_each(&self, key: u32, mut f: impl FnMut(DocIdx)) {
        let Some(run) = &self.run else { return };
        if run
            .filter
            .as_ref()
            .is_some_and(|filter| !filter.may_contain(u64::from(key)))
        {
            return;
        }
        // The entries of `key` start in the last block whose first key is below it (or in the
        // first block) and may go on into blocks that start with it.
        let mut b = run.fences.partition_point(|&k| k < key).saturating_sub(1);
        let mut bytes = [0u8; BLOCK * ENTRY];
        while b < run.fences.len() && run.fences[b] <= key {
            let block = &mut bytes[..run.block_len(b) * ENTRY];
            if let Err(e) = self.spill.read(run.at + (b * BLOCK * ENTRY) as u64, block) {
                panic!("the copy window's written-out buckets could not be read back: {e}");
            }
            for at in (0..block.len()).step_by(ENTRY) {
                let (k, doc) = entry_at(block, at);
                if k == key {
                    f(doc);
                } else if k > key {
                    return;
                }
            }
            b += 1;
        }
    }

    /// Merges `entries` (sorted, none written out before) into the run, leaving out the entries
    /// of documents `keep` refuses, a few blocks at a time: the run is never whole in memory. On
    /// an error nothing has changed (the run's filter is built again from it).
    pub(crate) fn merge(
        &mut self,
        entries: &[(u32, DocIdx)],
        keep: impl Fn(DocIdx) -> bool,
    ) -> std::io::Result<()> {
        let mut old = self.run.take();
        // The old filter goes before the new one is built: both at once would be the largest
        // moment of the buckets.
        if let Some(run) = &mut old {
            run.filter = None;
        }
        let old_len = old.as_ref().map_or(0, |r| r.len);
        let most = old_len + entries.len();
        let reserved = (most * ENTRY).max(1);
        let at = self.spill.reserve(reserved);
        let mut filter = Bloom::for_keys(most);
        let mut fences = Vec::with_capacity(most.div_ceil(BLOCK));
        let mut len = 0;
        let spill = &mut self.spill;
        let result = (|| -> std::io::Result<()> {
            let mut out: Vec<u8> = Vec::with_capacity(BLOCKS_AT_ONCE * BLOCK * ENTRY);
            let mut flushed = 0u64;
            let (mut old_bytes, mut old_at, mut old_read) = (Vec::new(), 0, 0);
            let mut new = entries.iter().copied().peekable();
            loop {
                if old_at == old_bytes.len() && old_read < old_len {
                    let run = old.as_ref().expect("entries left");
                    let n = (old_len - old_read).min(BLOCKS_AT_ONCE * BLOCK);
                    old_bytes.resize(n * ENTRY, 0);
                    spill.read(run.at + (old_read * ENTRY) as u64, &mut old_bytes)?;
                    (old_at, old_read) = (0, old_read + n);
                }
                let from_old = (old_at < old_bytes.len()).then(|| entry_at(&old_bytes, old_at));
                let (key, doc) = match (from_old, new.peek()) {
                    (Some(o), Some(&n)) if o < n => {
                        old_at += ENTRY;
                        o
                    }
                    (Some(o), None) => {
                        old_at += ENTRY;
                        o
                    }
                    (_, Some(_)) => new.next().expect("peeked"),
                    (None, None) => break,
                };
                if !keep(doc) {
                    continue;
                }
                if len % BLOCK == 0 {
                    fences.push(key);
                }
                filter.insert(u64::from(key));
                out.extend_from_slice(&key.to_le_bytes());
                out.extend_from_slice(&doc.to_le_bytes());
                len += 1;
                if out.len() == out.capacity() {
                    spill.write_at(at + flushed, &out)?;
                    flushed += out.len() as u64;
                    out.clear();
                }
            }
            if !out.is_empty() {
                spill.write_at(at + flushed, &out)?;
            }
            Ok(())
        })();
        match result {
            Ok(()) => {
                if let Some(run) = old {
                    self.spill.free(run.at, run.reserved);
                }
                self.run = Some(Run {
                    at,
                    reserved,
                    len,
                    fences,
                    filter: Some(filter),
                });
                Ok(())
            }
            Err(e) => {
                self.spill.free(at, reserved);
                // Without its filter, every look-up would read the run for the rest of the
                // stream: rebuilt from the run, which reads work on a full disk.
                if let Some(run) = &mut old {
                    run.filter = Self::filter_of(&*self.spill, run).ok();
                }
                self.run = old;
                Err(e)
            }
        }
    }

    /// The filter of a run, from its keys read back.
    fn filter_of(spill: &dyn Spill, run: &Run) -> std::io::Result<Bloom> {
        let mut filter = Bloom::for_keys(run.len);
        let mut bytes = vec![0u8; BLOCKS_AT_ONCE * BLOCK * ENTRY];
        let mut read = 0;
        while read < run.len {
            let n = (run.len - read).min(BLOCKS_AT_ONCE * BLOCK);
            let chunk = &mut bytes[..n * ENTRY];
            spill.read(run.at + (read * ENTRY) as u64, chunk)?;
            for at in (0..chunk.len()).step_by(ENTRY) {
                filter.insert(u64::from(entry_at(chunk, at).0));
            }
            read += n;
        }
        Ok(filter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spill::MemorySpill;
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
                    (key, next_doc)
                })
                .collect();
            entries.sort_unstable();
            // Documents below a rising mark have left; each merge drops them.
            let left = round * 2_000;
            r.merge(&entries, |d| d >= left).unwrap();
            model.extend(entries);
            model.retain(|&(_, d)| d >= left);
            assert_eq!(r.len(), model.len(), "round {round}");
        }
        assert!(r.len() > 3 * BLOCK);
        let keys: BTreeSet<u32> = model.iter().map(|&(k, _)| k).collect();
        for &k in &keys {
            let want: Vec<DocIdx> = model
                .range((k, 0)..=(k, DocIdx::MAX))
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
        let mut r = BucketRun::new(crate::spill::FillsUp::boxed(64 * 1024));
        let first: Vec<(u32, DocIdx)> = (0..5_000).map(|d| (d * 7, d)).collect();
        r.merge(&first, |_| true).unwrap();
        let second: Vec<(u32, DocIdx)> = (5_000..10_000).map(|d| (d * 7, d)).collect();
        assert!(r.merge(&second, |_| true).is_err(), "no room left");
        assert!(
            r.run.as_ref().is_some_and(|run| run.filter.is_some()),
            "look-ups still pass the filter first"
        );
        assert_eq!(r.len(), first.len());
        assert!(first.iter().all(|&(k, d)| docs(&r, k) == [d]));
        assert!(docs(&r, 5_000 * 7).is_empty());
    }
}
