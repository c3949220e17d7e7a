//! Document frequencies for the online clusterer: a count per term hash, and the terms changed
//! since they were last taken for persisting.
//!
//! An open-addressing table (linear probing, keys are already hashes) rather than a general hash
//! map, because the clusterer's decisions are sequential and this table is their largest memory:
//! every term of every article is counted here, one random cache miss each. [`DocFreqs::bump_all`]
//! counts an article's terms with the look-ups a few places ahead prefetched, so the misses
//! overlap instead of queueing one behind the other.

use crate::cluster::Term;

/// How many look-ups ahead [`DocFreqs::bump_all`] prefetches.
const PREFETCH_AHEAD: usize = 12;

#[derive(Clone, Copy, Default)]
struct Slot {
    /// The term; 0 marks an empty slot (term 0 is kept apart, in `zero`).
    term: Term,
    n: u32,
    changed: bool,
}

pub(crate) struct DocFreqs {
    slots: Vec<Slot>,
    /// `64 - log2(slots.len())`: a slot's index is the top bits of the mixed term.
    shift: u32,
    len: usize,
    zero: Slot,
    changed: Vec<Term>,
}

impl Default for DocFreqs {
    fn default() -> Self {
        DocFreqs::with_capacity(0)
    }
}

impl DocFreqs {
    fn with_capacity(terms: usize) -> Self {
        let slots = (terms * 2).next_power_of_two().max(1024);
        DocFreqs {
            slots: vec![Slot::default(); slots],
            shift: 64 - slots.trailing_zeros(),
            len: 0,
            zero: Slot::default(),
            changed: Vec::new(),
        }
    }

    /// Counts restored from the store, none of them changed.
    pub(crate) fn from_counts(counts: impl IntoIterator<Item = (Term, u32)>) -> Self {
        let counts = counts.into_iter();
        let mut df = DocFreqs::with_capacity(counts.size_hint().0);
        for (t, n) in counts {
            df.reserve(1);
            let slot = df.slot_mut(t);
            slot.n = n;
        }
        df
    }

    fn home(&self, t: Term) -> usize {
        // Fibonacci hashing: the terms are hashes already, this only spreads salted ones.
        (t.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    pub(crate) fn get(&self, t: Term) -> u32 {
        if t == 0 {
            return self.zero.n;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(t);
        loop {
            let s = &self.slots[i];
            if s.term == t {
                return s.n;
            }
            if s.term == 0 {
                return 0;
            }
            i = (i + 1) & mask;
        }
    }

    /// Makes room for `more` new terms at a load of at most one half.
    fn reserve(&mut self, more: usize) {
        if (self.len + more) * 2 <= self.slots.len() {
            return;
        }
        let old = std::mem::take(&mut self.slots);
        let size = ((self.len + more) * 2).next_power_of_two();
        self.slots = vec![Slot::default(); size];
        self.shift = 64 - size.trailing_zeros();
        let mask = size - 1;
        for s in old.into_iter().filter(|s| s.term != 0) {
            let mut i = self.home(s.term);
            while self.slots[i].term != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = s;
        }
    }

    /// The slot of `t`, taken (and counted in `len`) if new. Room must be reserved.
    fn slot_mut(&mut self, t: Term) -> &mut Slot {
        if t == 0 {
            return &mut self.zero;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(t);
        loop {
            let term = self.slots[i].term;
            if term == t {
                break;
            }
            if term == 0 {
                self.slots[i].term = t;
                self.len += 1;
                break;
            }
            i = (i + 1) & mask;
        }
        &mut self.slots[i]
    }

    fn count(&mut self, t: Term) -> u32 {
        let slot = self.slot_mut(t);
        slot.n += 1;
        let n = slot.n;
        if !slot.changed {
            slot.changed = true;
            self.changed.push(t);
        }
        n
    }

    /// Counts one more occurrence of `t`; returns its count.
    pub(crate) fn bump(&mut self, t: Term) -> u32 {
        self.reserve(1);
        self.count(t)
    }

    /// Counts one more occurrence of each item's term; returns their counts, in order.
    pub(crate) fn bump_all<T>(&mut self, items: &[T], term: impl Fn(&T) -> Term) -> Vec<u32> {
        self.reserve(items.len());
        for item in items.iter().take(PREFETCH_AHEAD) {
            self.prefetch(term(item));
        }
        let mut counts = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if let Some(ahead) = items.get(i + PREFETCH_AHEAD) {
                self.prefetch(term(ahead));
            }
            counts.push(self.count(term(item)));
        }
        counts
    }

    fn prefetch(&self, t: Term) {
        #[cfg(target_arch = "x86_64")]
        {
            let slot: *const Slot = &self.slots[self.home(t)];
            // SAFETY: a prefetch is only a hint; it reads nothing the program sees and cannot
            // fault, and the address is of a live slot.
            unsafe {
                std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                    slot.cast::<i8>(),
                )
            };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = t;
    }

    /// The terms changed since the last call, with their counts.
    pub(crate) fn take_changed(&mut self) -> Vec<(Term, u32)> {
        let changed = std::mem::take(&mut self.changed);
        changed
            .into_iter()
            .map(|t| {
                let slot = self.slot_mut(t);
                slot.changed = false;
                (t, slot.n)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_survive_growth_and_report_changes_once() {
        let mut df = DocFreqs::default();
        let terms: Vec<Term> = (0..5_000u64).map(|i| i * 7).collect(); // includes term 0
        assert_eq!(df.bump_all(&terms, |&t| t), vec![1; terms.len()]);
        assert_eq!(df.bump(14), 2);
        assert_eq!(df.get(14), 2);
        assert_eq!(df.get(0), 1);
        assert_eq!(df.get(15), 0);
        let mut changed = df.take_changed();
        changed.sort_unstable();
        assert_eq!(changed.len(), terms.len());
        assert_eq!(changed[2], (14, 2));
        assert!(df.take_changed().is_empty());
        df.bump(21);
        assert_eq!(df.take_changed(), vec![(21, 2)]);

        let restored = DocFreqs::from_counts(terms.iter().map(|&t| (t, df.get(t))));
        assert!(terms.iter().all(|&t| restored.get(t) == df.get(t)));
        assert_eq!(restored.get(3), 0);
    }
}
