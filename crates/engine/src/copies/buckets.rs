//! The LSH buckets of the copy index: band key to the documents whose band hashes to it.
//!
//! A multimap in one open-addressing [`Table`] (the keys are hashes already): a bucket's
//! documents are the entries with its key, found in the key's probe run. Documents enter and
//! leave the copy window continuously, so a leaving document's entries are removed at once: the
//! table holds exactly the window's entries. It grows by a quarter when the window holds more than
//! seven eighths of its slots and shrinks by a fifth when it holds less than three eighths, in
//! place both ways, so it follows the window's size through a burst of articles and back (BENCHMARKS.md §3, the 2M
//! stream); a general hash map with a list for each crowded bucket kept the high-water mark of its
//! resizes resident.
//!
//! An entry keeps the top 32 bits of its band key, which are also what place it (a table has far
//! fewer than 2³² slots): 8 bytes with the document. Two keys that agree in those bits share a
//! bucket. At 2²¹ slots, an entry at the same home agrees in the other 11 bits once in 2,048, so
//! about one look-up in 3,000 meets a document of another key; the signature comparison after
//! bucketing judges it like any other candidate.
//!
//! With a [`Spill`] ([`Buckets::set_spill`]), only the newest documents keep their entries in the
//! table; those of older ones are written out ([`BucketRun`]) a batch of documents at a time, and
//! a look-up finds them there as well.

use super::bucket_run::BucketRun;
use crate::article::DocIdx;
use crate::memory::spill::Spill;
use crate::memory::table::{Slot, Table};

/// Marks an empty slot: no document has this index.
const EMPTY: DocIdx = DocIdx::MAX;

#[derive(Clone, Copy)]
struct Entry {
    /// The top half of the band key.
    key: u32,
    doc: DocIdx,
}

/// The part of a band key that an entry keeps.
fn stored(key: u64) -> u32 {
    (key >> 32) as u32
}

impl Slot for Entry {
    const EMPTY: Entry = Entry { key: 0, doc: EMPTY };

    fn is_empty(&self) -> bool {
        self.doc == EMPTY
    }

    fn hash(&self) -> u64 {
        u64::from(self.key) << 32
    }
}

pub(crate) struct Buckets {
    table: Table<Entry>,
    written: Option<Written>,
}

/// The entries of the window's older documents, written out.
struct Written {
    run: BucketRun,
    /// Every document before it has its entries in the run, or has left the window.
    before: DocIdx,
    /// The newest documents whose entries stay in the table; twice as many before a write-out.
    in_memory: u64,
    /// Why writing out stopped, when a write failed (the rest stays in memory).
    error: Option<std::io::Error>,
}

impl Default for Buckets {
    fn default() -> Self {
        Buckets {
            table: Table::with_slots(0),
            written: None,
        }
    }
}

impl Buckets {
    /// Writes the entries of documents older than the newest `in_memory` to `spill` (see the
    /// module doc). Once: a second spill would lose what the first holds.
    pub(crate) fn set_spill(&mut self, spill: Box<dyn Spill>, in_memory: usize) {
        assert!(self.written.is_none(), "the buckets' spill is set once");
        self.written = Some(Written {
            run: BucketRun::new(spill),
            before: DocIdx::from_raw(0),
            in_memory: in_memory.max(1) as u64,
            error: None,
        });
    }

    /// The error that stopped writing out, once.
    pub(crate) fn take_spill_error(&mut self) -> Option<std::io::Error> {
        self.written.as_mut().and_then(|w| w.error.take())
    }

    /// Entries in memory, and written out (including those of documents that left since).
    pub(crate) fn split(&self) -> (usize, usize) {
        (
            self.table.len(),
            self.written.as_ref().map_or(0, |w| w.run.len()),
        )
    }

    /// Whether the entries of `doc` are in memory, where [`Buckets::remove`] takes them out.
    pub(crate) fn holds(&self, doc: DocIdx) -> bool {
        self.written.as_ref().is_none_or(|w| doc >= w.before)
    }

    /// Once the table holds twice the documents it keeps, writes out the entries of all but the
    /// newest, merged with those written before; the entries of documents that `is_live` refuses
    /// (they left the window) are dropped from the run then. `next` is the next document's index.
    pub(crate) fn write_out_when_due(&mut self, next: DocIdx, is_live: impl Fn(DocIdx) -> bool) {
        let Some(w) = self.written.as_mut() else {
            return;
        };
        let held = u64::from(next.raw() - w.before.raw());
        if held < w.in_memory.saturating_mul(2) {
            return;
        }
        let cut = DocIdx::from_raw(next.raw() - w.in_memory as u32);
        let mut out: Vec<(u32, DocIdx)> = self
            .table
            .entries()
            .filter(|e| e.doc < cut)
            .map(|e| (e.key, e.doc))
            .collect();
        out.sort_unstable();
        match w.run.merge(&out, is_live) {
            Ok(()) => {
                for (key, doc) in out {
                    let hash = u64::from(key) << 32;
                    let i = self.table.seek(hash, |e| e.key == key && e.doc == doc);
                    self.table.remove_at(i.expect("an entry just read"));
                }
                self.table.shrink_below(3, 7);
                w.before = cut;
            }
            Err(e) => {
                // The rest stays in memory from now on, as the warning says: no write-out is
                // ever due again.
                w.error = Some(e);
                w.in_memory = u64::MAX;
            }
        }
    }

    /// Adds `doc` to the bucket of `key`.
    pub(crate) fn push(&mut self, key: u64, doc: DocIdx) {
        debug_assert_ne!(doc, EMPTY);
        // At most seven eighths full: the window's entries are the largest part of the index
        // (1.2M-1.8M entries on the 1M corpus, 8 bytes a slot), and the look-ups, mostly misses,
        // scan 8-byte entries that are contiguous.
        self.table.reserve(1, 7);
        self.table.insert(Entry {
            key: stored(key),
            doc,
        });
    }

    /// Hints that the bucket of `key` is needed soon: a document's band keys are looked up
    /// together, so their cache misses can overlap.
    pub(crate) fn prefetch(&self, key: u64) {
        self.table.prefetch(key);
        if let Some(w) = &self.written {
            w.run.prefetch(stored(key));
        }
    }

    /// Calls `f` with each document of a bucket (and of any key that agrees with `key` in its top
    /// 32 bits), in no particular order. Written out, a document that left the window may still
    /// be named until the next write-out.
    pub(crate) fn for_each(&self, key: u64, mut f: impl FnMut(DocIdx)) {
        let key32 = stored(key);
        for i in self.table.run(key) {
            let e = self.table.at(i);
            if e.key == key32 {
                f(e.doc);
            }
        }
        if let Some(w) = &self.written {
            w.run.for_each(key32, f);
        }
    }

    /// Removes `doc` from the bucket of `key`, if it is there; an entry written out stays until
    /// the next write-out drops it (`doc` has then left the window).
    pub(crate) fn remove(&mut self, key: u64, doc: DocIdx) {
        if !self.holds(doc) {
            return;
        }
        let key32 = stored(key);
        if let Ok(i) = self.table.seek(key, |e| e.doc == doc && e.key == key32) {
            self.table.remove_at(i);
            // Shrunk, the table is under half full: it takes a change of three eighths of its
            // slots in the window to grow it again.
            self.table.shrink_below(3, 7);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::table::SEGMENT;
    use std::collections::{BTreeMap, BTreeSet};

    fn docs(b: &Buckets, key: u64) -> Vec<DocIdx> {
        let mut v = Vec::new();
        b.for_each(key, |d| v.push(d));
        v.sort_unstable();
        v
    }

    #[test]
    fn buckets_hold_what_was_pushed_and_not_removed_through_a_burst() {
        let mut b = Buckets::default();
        // Keyed by what a bucket tells apart: the top 32 bits.
        let mut model: BTreeMap<u64, BTreeSet<DocIdx>> = BTreeMap::new();
        // Crowded keys: runs that wrap from the last slot to the first, buckets of many
        // documents, keys sharing their home with others; and spread keys. Distinct keys differ
        // in their top 32 bits, what an entry keeps.
        let key = |i: u64| match i % 64 {
            0 => u64::MAX - ((i / 64 % 64) << 32),
            1 => (i / 64 % 8) << 40,
            2 => 1 << 63 | i << 32,
            _ => crate::article::mix64(i),
        };
        // A sliding window of 3,000 documents, then of up to 200,000 (a burst: the table grows
        // from one segment to three), then of 3,000 again. Of the first 20,000 documents, one in three never leaves.
        let (mut oldest, mut grew) = (0u32, false);
        for doc in 0..300_000u32 {
            let k = key(u64::from(doc));
            b.push(k, DocIdx::from_raw(doc));
            model
                .entry(k >> 32)
                .or_default()
                .insert(DocIdx::from_raw(doc));
            grew |= b.table.slot_count() >= 3 * SEGMENT;
            let window = if (100_000..250_000).contains(&doc) {
                200_000
            } else {
                3_000
            };
            while oldest + window < doc {
                if oldest >= 20_000 || oldest % 3 != 0 {
                    let k = key(u64::from(oldest));
                    b.remove(k, DocIdx::from_raw(oldest));
                    model
                        .get_mut(&(k >> 32))
                        .unwrap()
                        .remove(&DocIdx::from_raw(oldest));
                }
                oldest += 1;
            }
            if doc % 19_999 == 0 {
                b.table.assert_probe_runs_unbroken();
            }
        }
        b.table.assert_probe_runs_unbroken();
        assert!(grew, "the burst grew the table");
        assert_eq!(b.table.slot_count(), SEGMENT, "and it shrank back after");
        for (&k, want) in &model {
            assert_eq!(
                docs(&b, k << 32 | 0xabc),
                want.iter().copied().collect::<Vec<_>>(),
                "key {k:x}"
            );
        }
        assert!(docs(&b, 12345 << 32).is_empty());
        // A key is told apart by its top 32 bits only.
        assert_eq!(docs(&b, key(64) ^ 0xffff), docs(&b, key(64)));
        assert!(!docs(&b, key(64)).is_empty());
        // Removing what is not there changes nothing.
        let len = b.table.len();
        b.remove(key(1), DocIdx::from_raw(1));
        b.remove(key(2), DocIdx::from_raw(999_999));
        assert_eq!(b.table.len(), len);
        assert_eq!(
            b.table.len(),
            model.values().map(BTreeSet::len).sum::<usize>()
        );
    }
}
