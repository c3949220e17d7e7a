//! Document frequencies for the online clusterer: a count per term hash (or another value the
//! clusterer keeps under a salted pseudo-term), and the terms changed since they were last taken
//! for persisting; a removed term is reported changed with the value 0. Each entry also keeps the
//! generation it was last changed in, so that [`DocFreqs::prune`] can drop what a long stream no
//! longer needs (terms seen once, long ago) and memory stays flat.
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
    /// The generation of the last change.
    touched: u16,
}

pub(crate) struct DocFreqs {
    slots: Vec<Slot>,
    /// `64 - log2(slots.len())`: a slot's index is the top bits of the mixed term.
    shift: u32,
    len: usize,
    zero: Slot,
    changed: Vec<Term>,
    generation: u16,
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
            generation: 0,
        }
    }

    /// Entries restored from the store (saved by [`DocFreqs::take_changed_encoded`]), none of them
    /// changed, in generation `generation`; `decode` gives a saved value's value and generation.
    pub(crate) fn from_counts(
        counts: impl IntoIterator<Item = (Term, u32)>,
        generation: u16,
        decode: impl Fn(u32) -> (u32, u16),
    ) -> Self {
        let counts = counts.into_iter();
        let mut df = DocFreqs::with_capacity(counts.size_hint().0);
        df.generation = generation;
        for (t, v) in counts.filter(|&(_, v)| v > 0) {
            df.reserve(1);
            let (n, touched) = decode(v);
            let slot = df.slot_mut(t);
            slot.n = n;
            slot.touched = touched;
        }
        df
    }

    pub(crate) fn generation(&self) -> u16 {
        self.generation
    }

    /// Starts a generation: changes from now on are marked with it.
    pub(crate) fn set_generation(&mut self, generation: u16) {
        self.generation = generation;
    }

    /// Removes the entries for which `drop(value, generation last changed)` holds, reporting
    /// them changed (value 0). In place: a fresh table would double the memory for a moment.
    pub(crate) fn prune(&mut self, drop: impl Fn(u32, u16) -> bool) {
        let dropped: Vec<Term> = self
            .slots
            .iter()
            .filter(|s| s.term != 0 && drop(s.n, s.touched))
            .map(|s| s.term)
            .collect();
        for t in dropped {
            self.remove(t);
        }
    }

    /// Forgets `t` (not term 0), reporting it changed.
    fn remove(&mut self, t: Term) {
        let Some(mut hole) = self.find(t) else { return };
        if !self.slots[hole].changed {
            self.changed.push(t);
        }
        // Backward-shift deletion: later entries of the probe run move up into the hole when
        // their home is not between the hole and them.
        let mask = self.slots.len() - 1;
        let mut j = (hole + 1) & mask;
        while self.slots[j].term != 0 {
            let home = self.home(self.slots[j].term);
            if (j.wrapping_sub(home) & mask) >= (j.wrapping_sub(hole) & mask) {
                self.slots[hole] = self.slots[j];
                hole = j;
            }
            j = (j + 1) & mask;
        }
        self.slots[hole] = Slot::default();
        self.len -= 1;
    }

    fn home(&self, t: Term) -> usize {
        // Fibonacci hashing: the terms are hashes already, this only spreads salted ones.
        (t.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    pub(crate) fn get(&self, t: Term) -> u32 {
        if t == 0 {
            return self.zero.n;
        }
        self.find(t).map_or(0, |i| self.slots[i].n)
    }

    /// The index of `t`'s slot, if it is kept (not term 0, which is kept apart).
    fn find(&self, t: Term) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let mut i = self.home(t);
        loop {
            match self.slots[i].term {
                x if x == t => return Some(i),
                0 => return None,
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Every kept term with its value, in no particular order.
    #[cfg(test)]
    pub(crate) fn iter(&self) -> impl Iterator<Item = (Term, u32)> + '_ {
        let zero = (self.zero.n > 0).then_some((0, self.zero.n));
        self.slots
            .iter()
            .filter(|s| s.term != 0)
            .map(|s| (s.term, s.n))
            .chain(zero)
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

    /// Applies `f` to the value of `t` (0 if new); returns the new value.
    fn update(&mut self, t: Term, f: impl Fn(u32) -> u32) -> u32 {
        let generation = self.generation;
        let slot = self.slot_mut(t);
        slot.n = f(slot.n);
        slot.touched = generation;
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
        self.update(t, |n| n + 1)
    }

    /// Counts one more occurrence of each item's term; returns their counts, in order.
    pub(crate) fn bump_all<T>(&mut self, items: &[T], term: impl Fn(&T) -> Term) -> Vec<u32> {
        let mut counts = Vec::with_capacity(items.len());
        self.update_all(items, term, |n| n + 1, |n| counts.push(n));
        counts
    }

    /// Sets the value of each item's term to `value`.
    pub(crate) fn set_all<T>(&mut self, items: &[T], term: impl Fn(&T) -> Term, value: u32) {
        self.update_all(items, term, |_| value, |_| {});
    }

    /// Applies `f` to the value of each item's term, in order, with the look-ups prefetched
    /// [`PREFETCH_AHEAD`] items ahead; `each` sees every new value.
    fn update_all<T>(
        &mut self,
        items: &[T],
        term: impl Fn(&T) -> Term,
        f: impl Fn(u32) -> u32,
        mut each: impl FnMut(u32),
    ) {
        self.reserve(items.len());
        for item in items.iter().take(PREFETCH_AHEAD) {
            self.prefetch(term(item));
        }
        for (i, item) in items.iter().enumerate() {
            if let Some(ahead) = items.get(i + PREFETCH_AHEAD) {
                self.prefetch(term(ahead));
            }
            each(self.update(term(item), &f));
        }
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

    /// Forgets which terms changed.
    pub(crate) fn discard_changed(&mut self) {
        for t in std::mem::take(&mut self.changed) {
            if t == 0 {
                self.zero.changed = false;
            } else if let Some(i) = self.find(t) {
                self.slots[i].changed = false;
            }
        }
    }

    /// The terms changed since the last call, with their counts.
    #[cfg(test)]
    pub(crate) fn take_changed(&mut self) -> Vec<(Term, u32)> {
        self.take_changed_encoded(|n, _| n)
    }

    /// [`DocFreqs::take_changed`], each kept value written as `encode(value, generation)`.
    pub(crate) fn take_changed_encoded(
        &mut self,
        encode: impl Fn(u32, u16) -> u32,
    ) -> Vec<(Term, u32)> {
        let mut changed = std::mem::take(&mut self.changed);
        // A term removed and counted again since the last call is listed twice.
        changed.sort_unstable();
        changed.dedup();
        changed
            .into_iter()
            .map(|t| {
                let slot = if t == 0 {
                    Some(&mut self.zero)
                } else {
                    self.find(t).map(|i| &mut self.slots[i])
                };
                match slot {
                    Some(slot) => {
                        slot.changed = false;
                        (t, encode(slot.n, slot.touched))
                    }
                    None => (t, 0),
                }
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
        df.bump(21);
        df.discard_changed();
        df.bump(28);
        assert_eq!(df.take_changed(), vec![(28, 2)]);

        let restored = DocFreqs::from_counts(terms.iter().map(|&t| (t, df.get(t))), 0, |n| (n, 0));
        assert!(terms.iter().all(|&t| restored.get(t) == df.get(t)));
        assert_eq!(restored.get(3), 0);
    }

    #[test]
    fn pruning_drops_what_the_rule_says_and_reports_it() {
        let mut df = DocFreqs::default();
        df.set_generation(1);
        df.bump_all(&[1u64, 2, 3, 4], |&t| t);
        df.bump(2);
        df.set_generation(2);
        df.bump(3);
        df.take_changed();
        // Seen once, last in generation 1: 1 and 4 go; 2 (twice) and 3 (touched in 2) stay.
        df.prune(|n, touched| n == 1 && touched < 2);
        assert_eq!((df.get(1), df.get(2), df.get(3), df.get(4)), (0, 2, 2, 0));
        assert_eq!(df.take_changed(), vec![(1, 0), (4, 0)]);
        assert_eq!(df.iter().count(), 2);
        df.bump(5);
        assert_eq!(df.get(5), 1);
    }

    #[test]
    fn pruned_then_counted_again_is_reported_once() {
        let mut df = DocFreqs::default();
        let terms: Vec<Term> = (1..3_000u64).collect();
        df.bump_all(&terms, |&t| t);
        df.take_changed();
        df.set_generation(5);
        for &t in terms.iter().filter(|&&t| t % 3 != 0) {
            df.bump(t);
        }
        df.prune(|n, _| n == 1);
        for &t in &terms {
            assert_eq!(df.get(t), if t % 3 == 0 { 0 } else { 2 }, "term {t}");
        }
        df.bump(3);
        let changed = df.take_changed();
        assert_eq!(changed.len(), terms.len());
        assert!(
            changed.contains(&(3, 1)) && changed.contains(&(6, 0)) && changed.contains(&(7, 2))
        );
        df.set_all(&[5u64, 7], |&t| t, 9);
        assert_eq!((df.get(5), df.get(7)), (9, 9));
        let restored = DocFreqs::from_counts([(5, 0), (6, 2)], 4, |n| (n, 3));
        assert_eq!(restored.iter().collect::<Vec<_>>(), vec![(6, 2)]);
        assert_eq!(restored.generation(), 4);
    }
}
