//! The LSH buckets of the copy index: band key to the documents whose band hashes to it.
//!
//! A multimap in one open-addressing table (linear probing; the keys are hashes already, so a
//! key's home is its top bits): a bucket's documents are the entries with its key, found by
//! scanning from the key's home to the next empty slot. Documents enter and leave the copy window
//! continuously, so a leaving document's entries are removed at once by backward-shift deletion
//! (no tombstones): the table holds exactly the window's entries, and its size follows the
//! largest window, not the churn. A general hash map with a list for each crowded bucket, swept of
//! forgotten documents only once they were the majority, kept the high-water mark of its resizes
//! resident (up to twice the window's entries). The table grows by rebuilding into one twice its
//! size when the window holds more than it ever did (while it fills, or in a burst of articles),
//! and it does not shrink (BENCHMARKS.md §3, the 2M stream).

use crate::dedup::DocIdx;

/// Marks an empty slot: no document has this index.
const EMPTY: DocIdx = DocIdx::MAX;

/// 12 bytes: the key is two halves so that the entry needs no 8-byte alignment.
#[derive(Clone, Copy)]
struct Entry {
    key: [u32; 2],
    doc: DocIdx,
}

impl Entry {
    const VACANT: Entry = Entry {
        key: [0; 2],
        doc: EMPTY,
    };

    fn key(&self) -> u64 {
        u64::from(self.key[0]) | u64::from(self.key[1]) << 32
    }
}

pub(crate) struct Buckets {
    slots: Vec<Entry>,
    /// `64 - log2(slots.len())`: a key's home is its top bits.
    shift: u32,
    len: usize,
}

impl Default for Buckets {
    fn default() -> Self {
        Buckets::with_slots(1024)
    }
}

impl Buckets {
    fn with_slots(slots: usize) -> Self {
        Buckets {
            slots: vec![Entry::VACANT; slots],
            shift: 64 - slots.trailing_zeros(),
            len: 0,
        }
    }

    fn home(&self, key: u64) -> usize {
        (key >> self.shift) as usize
    }

    /// Adds `doc` to the bucket of `key`.
    pub(crate) fn push(&mut self, key: u64, doc: DocIdx) {
        debug_assert_ne!(doc, EMPTY);
        // At most seven eighths full: the window's entries are the largest part of the index
        // (1.6M entries on the 1M corpus: 24 MiB at 2^21 slots, which three quarters would have
        // doubled), and the look-ups, mostly misses, scan 12-byte entries that are contiguous.
        if (self.len + 1) * 8 > self.slots.len() * 7 {
            let mut bigger = Buckets::with_slots(self.slots.len() * 2);
            for e in self.slots.iter().filter(|e| e.doc != EMPTY) {
                bigger.push(e.key(), e.doc);
            }
            *self = bigger;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        while self.slots[i].doc != EMPTY {
            i = (i + 1) & mask;
        }
        self.slots[i] = Entry {
            key: [key as u32, (key >> 32) as u32],
            doc,
        };
        self.len += 1;
    }

    /// Hints that the bucket of `key` is needed soon: a document's band keys are looked up
    /// together, so their cache misses can overlap.
    pub(crate) fn prefetch(&self, key: u64) {
        #[cfg(target_arch = "x86_64")]
        {
            let entry: *const Entry = &self.slots[self.home(key)];
            // SAFETY: a prefetch is only a hint; it reads nothing the program sees and cannot
            // fault, and the address is of a live entry.
            unsafe {
                std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                    entry.cast::<i8>(),
                )
            };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = key;
    }

    /// Calls `f` with each document of a bucket, in no particular order.
    pub(crate) fn for_each(&self, key: u64, mut f: impl FnMut(DocIdx)) {
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        loop {
            let e = self.slots[i];
            if e.doc == EMPTY {
                return;
            }
            if e.key() == key {
                f(e.doc);
            }
            i = (i + 1) & mask;
        }
    }

    /// Removes `doc` from the bucket of `key`, if it is there.
    pub(crate) fn remove(&mut self, key: u64, doc: DocIdx) {
        let mask = self.slots.len() - 1;
        let mut hole = self.home(key);
        loop {
            let e = self.slots[hole];
            if e.doc == EMPTY {
                return;
            }
            if e.doc == doc && e.key() == key {
                break;
            }
            hole = (hole + 1) & mask;
        }
        // Backward-shift deletion: later entries of the probe run move up into the hole when
        // their home is not between the hole and them.
        let mut j = (hole + 1) & mask;
        while self.slots[j].doc != EMPTY {
            let home = self.home(self.slots[j].key());
            if (j.wrapping_sub(home) & mask) >= (j.wrapping_sub(hole) & mask) {
                self.slots[hole] = self.slots[j];
                hole = j;
            }
            j = (j + 1) & mask;
        }
        self.slots[hole] = Entry::VACANT;
        self.len -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn docs(b: &Buckets, key: u64) -> Vec<DocIdx> {
        let mut v = Vec::new();
        b.for_each(key, |d| v.push(d));
        v.sort_unstable();
        v
    }

    /// Every entry is reachable: the slots from its home to it are all taken.
    fn assert_probe_runs_unbroken(b: &Buckets) {
        let mask = b.slots.len() - 1;
        for (i, e) in b.slots.iter().enumerate().filter(|(_, e)| e.doc != EMPTY) {
            let mut j = b.home(e.key());
            while j != i {
                assert_ne!(
                    b.slots[j].doc, EMPTY,
                    "doc {} at {i} cut off from its home",
                    e.doc
                );
                j = (j + 1) & mask;
            }
        }
        assert_eq!(b.slots.iter().filter(|e| e.doc != EMPTY).count(), b.len);
    }

    #[test]
    fn buckets_hold_what_was_pushed_and_not_removed() {
        let mut b = Buckets::default();
        let mut model: BTreeMap<u64, Vec<DocIdx>> = BTreeMap::new();
        // Crowded keys: runs that wrap from the last slot to the first, buckets of many
        // documents, keys sharing their home with others; and spread keys.
        let key = |i: u64| match i % 4 {
            0 => u64::MAX - i % 64,
            1 => (i % 8) << 40,
            2 => 1 << 63 | i,
            _ => crate::article::mix64(i),
        };
        for doc in 0..20_000u32 {
            let k = key(u64::from(doc));
            b.push(k, doc);
            model.entry(k).or_default().push(doc);
            // A sliding window: the documents 3,000 back leave, two in three of them.
            if doc >= 3_000 && doc % 3 != 0 {
                let old = doc - 3_000;
                let k = key(u64::from(old));
                b.remove(k, old);
                model.get_mut(&k).unwrap().retain(|&d| d != old);
            }
            if doc % 1_999 == 0 {
                assert_probe_runs_unbroken(&b);
            }
        }
        assert_probe_runs_unbroken(&b);
        for (&k, want) in &model {
            assert_eq!(docs(&b, k), *want, "key {k:x}");
        }
        assert!(docs(&b, 12345).is_empty());
        // Removing what is not there changes nothing.
        let len = b.len;
        b.remove(key(1), 1);
        b.remove(key(2), 999_999);
        assert_eq!(b.len, len);
        assert_eq!(b.len, model.values().map(Vec::len).sum::<usize>());
    }
}
