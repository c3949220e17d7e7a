//! A compact map from hashes (uniformly spread `u64` keys) to small values, for what a stream
//! keeps about every article however old: the exact-copy hashes of documents that left the copy
//! window.
//!
//! A sorted array of keys beside one of values: 8 bytes plus the value an entry, no load factor,
//! no per-entry allocation. A look-up guesses the position from the key (the keys are uniform, so
//! the guess is within a few hundred places), gallops to the range that holds it and searches
//! that. New entries wait in a small hash map that is merged into the arrays once it holds an
//! eighth as many, so the merges move each entry a bounded number of times.

use rustc_hash::FxHashMap;

/// Entries the pending map holds at least before a merge.
const MIN_PENDING: usize = 4096;

pub struct HashArchive<V> {
    keys: Vec<u64>,
    values: Vec<V>,
    pending: FxHashMap<u64, V>,
}

impl<V> Default for HashArchive<V> {
    fn default() -> Self {
        HashArchive {
            keys: Vec::new(),
            values: Vec::new(),
            pending: FxHashMap::default(),
        }
    }
}

impl<V: Copy> HashArchive<V> {
    pub fn len(&self) -> usize {
        self.keys.len() + self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, key: u64) -> Option<V> {
        if let Some(&v) = self.pending.get(&key) {
            return Some(v);
        }
        self.position(key).map(|p| self.values[p])
    }

    /// Inserts `key` unless it is there; returns whether it was inserted.
    pub fn insert_new(&mut self, key: u64, value: V) -> bool {
        if self.position(key).is_some() || self.pending.contains_key(&key) {
            return false;
        }
        self.pending.insert(key, value);
        if self.pending.len() >= MIN_PENDING.max(self.keys.len() / 8) {
            self.merge();
        }
        true
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
        let key = |i: u64| crate::article::mix64(i + 1);
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
}
