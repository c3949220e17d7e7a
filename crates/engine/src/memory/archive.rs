//! A compact map from hashes (uniformly spread `u64` keys) to small values, for what a stream
//! keeps about every article however old: the exact-copy hashes of documents that left the copy
//! window.
//!
//! A sorted array of keys beside one of values: 8 bytes plus the value an entry, no load factor,
//! no per-entry allocation. A look-up guesses the position from the key (the keys are uniform, so
//! the guess is within a few hundred places), gallops to the range that holds it and searches
//! that. New entries wait in a small hash map that is merged into the arrays once it holds an
//! eighth as many, so the merges move each entry a bounded number of times.
//!
//! With a [`Spill`] ([`HashArchive::set_spill`]), the sorted arrays are written out once they
//! hold more than a set number of entries (or a sixteenth of what was written out before),
//! merged with what was written before into one sorted run of blocks (`sorted_run`); memory keeps
//! the first key of each block and a Bloom filter of the run (10 bits a key: about 1 miss in 100
//! reads a block anyway). A look-up that misses memory reads one block when the filter lets it
//! through. So a stream's archive costs ~1.3 bytes a text in memory instead of 16, and exact copies are still
//! found at any distance. Each write rewrites the whole run: with 131,072 entries in memory that
//! is ~40 MB of writes over a 1M-article stream; on a longer one, the sixteenth keeps it to about
//! sixteen rewrites of each entry each time the run doubles.

pub use crate::memory::sorted_run::Fixed;
use crate::memory::sorted_run::SortedRun;
use crate::memory::spill::Spill;

use rustc_hash::FxHashMap;

/// Entries the pending map holds at least before a merge.
const MIN_PENDING: usize = 4096;

/// Entries of a written-out run read together: one block.
const BLOCK: usize = 256;

struct Spilled<V> {
    run: SortedRun<u64, V>,
    /// Entries kept in memory at least before they are written out.
    min_in_memory: usize,
    error: Option<std::io::Error>,
}

/// A map from uniformly spread `u64` keys to small values: sorted arrays, a small map of new
/// entries, and beyond a set size a run written out to a spill (see the module doc).
pub struct HashArchive<V> {
    keys: Vec<u64>,
    values: Vec<V>,
    pending: FxHashMap<u64, V>,
    spilled: Option<Spilled<V>>,
}

impl<V> Default for HashArchive<V> {
    fn default() -> Self {
        HashArchive {
            keys: Vec::new(),
            values: Vec::new(),
            pending: FxHashMap::default(),
            spilled: None,
        }
    }
}

impl<V: Fixed> HashArchive<V> {
    /// Writes the entries out to `spill` once memory holds more than `min_in_memory` of them
    /// (see the module doc).
    pub fn set_spill(&mut self, spill: Box<dyn Spill>, min_in_memory: usize) {
        self.spilled = Some(Spilled {
            run: SortedRun::new(spill, BLOCK),
            min_in_memory,
            error: None,
        });
    }

    /// The error that stopped writing out, once: the archive then stays in memory.
    pub fn take_spill_error(&mut self) -> Option<std::io::Error> {
        self.spilled.as_mut().and_then(|s| s.error.take())
    }

    /// Entries in memory and written out.
    pub fn split(&self) -> (usize, usize) {
        let out = self.spilled.as_ref().map_or(0, |s| s.run.len());
        (self.keys.len() + self.pending.len(), out)
    }

    /// How many entries, in memory and written out.
    pub fn len(&self) -> usize {
        let (memory, out) = self.split();
        memory + out
    }

    /// Whether it holds no entry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value of `key`, reading a block of the spill when it is written out there.
    pub fn get(&self, key: u64) -> Option<V> {
        if let Some(&v) = self.pending.get(&key) {
            return Some(v);
        }
        match self.position(key) {
            Some(p) => Some(self.values[p]),
            None => self.get_written(key),
        }
    }

    /// Inserts `key` unless it is there; returns whether it was inserted.
    pub fn insert_new(&mut self, key: u64, value: V) -> bool {
        if self.position(key).is_some()
            || self.pending.contains_key(&key)
            || self.get_written(key).is_some()
        {
            return false;
        }
        self.pending.insert(key, value);
        if self.pending.len() >= MIN_PENDING.max(self.keys.len() / 8) {
            self.merge();
            self.write_out_when_due();
        }
        true
    }

    /// The value of `key` among the entries written out.
    fn get_written(&self, key: u64) -> Option<V> {
        let mut value = None;
        let found = self
            .spilled
            .as_ref()?
            .run
            .for_each(key, |v| value = Some(v));
        if let Err(e) = found {
            panic!("the archive of exact copies could not be read back: {e}");
        }
        value
    }

    /// Writes the sorted arrays out, merged with the run written before, when they hold enough.
    fn write_out_when_due(&mut self) {
        let Some(spilled) = self.spilled.as_mut() else {
            return;
        };
        let written = spilled.run.len();
        if spilled.error.is_some() || self.keys.len() < spilled.min_in_memory.max(written / 16) {
            return;
        }
        let entries = self.keys.iter().copied().zip(self.values.iter().copied());
        match spilled.run.merge(entries, |_| true) {
            Ok(()) => {
                self.keys = Vec::new();
                self.values = Vec::new();
            }
            Err(e) => {
                spilled.error = Some(e);
                spilled.min_in_memory = usize::MAX;
            }
        }
    }

    /// The place of `key` in the sorted arrays.
    fn position(&self, key: u64) -> Option<usize> {
        let keys = &self.keys;
        let n = keys.len();
        if n == 0 {
            return None;
        }
        let guess = ((u128::from(key) * n as u128) >> 64) as usize;
        let (lo, hi) = if keys[guess] < key {
            // Gallop right: keys[lo] < key all along.
            let (mut lo, mut step) = (guess, 1);
            loop {
                let next = lo + step;
                if next >= n {
                    break (lo + 1, n);
                }
                if keys[next] >= key {
                    break (lo + 1, next + 1);
                }
                lo = next;
                step *= 2;
            }
        } else {
            // Gallop left: keys[hi - 1] >= key all along.
            let (mut hi, mut step) = (guess + 1, 1);
            loop {
                if step >= hi {
                    break (0, hi);
                }
                let next = hi - 1 - step;
                if keys[next] < key {
                    break (next + 1, hi);
                }
                hi = next + 1;
                step *= 2;
            }
        };
        keys[lo..hi].binary_search(&key).ok().map(|p| lo + p)
    }

    /// Merges the pending entries into the arrays in place, from the back: the arrays grow by
    /// doubling (the capacity not yet written costs no resident memory), so most merges allocate
    /// nothing, where a merge into fresh arrays held the old and the new ones at once.
    fn merge(&mut self) {
        let mut new: Vec<(u64, V)> = self.pending.drain().collect();
        if new.is_empty() {
            return;
        }
        new.sort_unstable_by_key(|&(k, _)| k);
        let old = self.keys.len();
        // Exactly: the arrays grow by an eighth at a merge, and doubling room would be most of
        // what the archive holds in memory.
        self.keys.reserve_exact(new.len());
        self.values.reserve_exact(new.len());
        let filler = new[0];
        self.keys.resize(old + new.len(), filler.0);
        self.values.resize(old + new.len(), filler.1);
        let (mut from, mut to) = (old, old + new.len());
        while let Some(&(nk, nv)) = new.last() {
            to -= 1;
            if from > 0 && self.keys[from - 1] > nk {
                from -= 1;
                self.keys[to] = self.keys[from];
                self.values[to] = self.values[from];
            } else {
                self.keys[to] = nk;
                self.values[to] = nv;
                new.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_was_inserted_across_merges() {
        let mut a = HashArchive::default();
        let key = |i: u64| crate::memory::mix64(i + 1);
        for i in 0..50_000u64 {
            assert!(a.insert_new(key(i), i as u32));
        }
        assert!(!a.insert_new(key(7), 0), "the first value stays");
        assert_eq!(a.len(), 50_000);
        for i in 0..50_000u64 {
            assert_eq!(a.get(key(i)), Some(i as u32));
        }
        for i in 50_000..60_000u64 {
            assert_eq!(a.get(key(i)), None);
        }
        // Extreme keys.
        assert!(a.insert_new(0, 1));
        assert!(a.insert_new(u64::MAX, 2));
        a.merge();
        assert_eq!(
            (a.get(0), a.get(u64::MAX), a.get(1)),
            (Some(1), Some(2), None)
        );
    }

    #[test]
    fn entries_written_out_are_found_and_kept_once() {
        let mut a: HashArchive<(u32, u32)> = HashArchive::default();
        a.set_spill(
            Box::new(crate::memory::spill::MemorySpill::default()),
            5_000,
        );
        let key = |i: u64| crate::memory::mix64(i + 1);
        for i in 0..60_000u64 {
            assert!(a.insert_new(key(i), (i as u32, 7)));
            if i % 9_999 == 0 {
                // Keys already written out, or in memory, are not taken twice.
                assert!(!a.insert_new(key(i / 2), (0, 0)));
            }
        }
        let (memory, out) = a.split();
        assert_eq!(memory + out, 60_000);
        assert!(out >= 40_000, "most were written out: {out}");
        assert!(memory < 20_000, "{memory}");
        for i in 0..60_000u64 {
            assert_eq!(a.get(key(i)), Some((i as u32, 7)), "key {i}");
        }
        let misses = (60_000..70_000u64)
            .filter(|&i| a.get(key(i)).is_some())
            .count();
        assert_eq!(misses, 0);
        assert!(a.insert_new(0, (1, 1)) && a.insert_new(u64::MAX, (2, 2)));
        assert_eq!((a.get(0), a.get(u64::MAX)), (Some((1, 1)), Some((2, 2))));
        assert!(a.take_spill_error().is_none());
    }

    #[test]
    fn an_archive_whose_spill_is_full_stays_in_memory() {
        let mut a: HashArchive<u32> = HashArchive::default();
        a.set_spill(crate::memory::spill::FillsUp::boxed(0), 5_000);
        for i in 0..20_000u64 {
            assert!(a.insert_new(crate::memory::mix64(i + 1), i as u32));
        }
        assert!(a.take_spill_error().is_some());
        assert!(a.take_spill_error().is_none(), "reported once");
        assert_eq!(a.split(), (20_000, 0));
        assert!((0..20_000u64).all(|i| a.get(crate::memory::mix64(i + 1)) == Some(i as u32)));
    }

    #[test]
    fn a_spill_that_fills_up_between_writes_keeps_what_it_holds_findable() {
        let mut a: HashArchive<u32> = HashArchive::default();
        // Room for the first run (5,000-odd entries of 12 bytes), not for its rewrite.
        a.set_spill(crate::memory::spill::FillsUp::boxed(100_000), 5_000);
        let key = |i: u64| crate::memory::mix64(i + 1);
        for i in 0..20_000u64 {
            assert!(a.insert_new(key(i), i as u32));
        }
        assert!(a.take_spill_error().is_some());
        let (memory, out) = a.split();
        assert!(out >= 5_000 && memory > 0, "{memory} in memory, {out} out");
        assert_eq!(memory + out, 20_000);
        // The failed rewrite built the first run's filter again, and its entries are found.
        assert!(a.spilled.as_ref().is_some_and(|s| s.run.has_filter()));
        for i in 0..20_000u64 {
            assert_eq!(a.get(key(i)), Some(i as u32), "key {i}");
            assert!(!a.insert_new(key(i), 0));
        }
        assert_eq!(a.get(key(20_000)), None);
    }
}
