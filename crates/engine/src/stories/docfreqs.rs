//! Document frequencies for the online clusterer: a count per term hash (or another value the
//! clusterer keeps under a salted pseudo-term), and the terms changed since they were last taken
//! for persisting; a removed term is reported changed with the value 0. Each entry also keeps the
//! generation it was last changed in, so that [`DocFreqs::prune`] can drop what a long stream no
//! longer needs (terms seen rarely, long ago) and memory stays flat.
//!
//! Counts decay: each is halved (rounded down) at every generation that starts after it was last
//! changed, so a count is that of the newest generation plus half the one before, a quarter of
//! the one before that, and so on. Halving is applied when a count is read or changed, from the
//! generation it was last changed in, so a generation's start touches nothing and a count saved
//! with its generation reads the same after a restore. Values with [`MARK`] set are not counts
//! (the clusterer's seen lines) and are kept as they are.
//!
//! An open-addressing table (linear probing, keys are already hashes) rather than a general hash
//! map, because the clusterer's decisions are sequential and this table is their largest memory:
//! every term of every article is counted here, one random cache miss each. [`DocFreqs::bump_all`]
//! counts an article's terms with the look-ups a few places ahead prefetched, so the misses
//! overlap instead of queueing one behind the other.
//!
//! The table is a [`Table`]: it grows in place by quarters as the vocabulary grows, and shrinks
//! when a pruning leaves it less than an eighth full.

use crate::article::Term;
use crate::memory::table::{self, Table};

/// Marks a value that is not a count and does not decay (see the module doc).
pub(crate) const MARK: u32 = 1 << 31;

/// A value `age` generations after it was last changed.
fn decayed(n: u32, age: u16) -> u32 {
    if n & MARK != 0 {
        n
    } else {
        n.checked_shr(u32::from(age)).unwrap_or(0)
    }
}

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

impl table::Slot for Slot {
    const EMPTY: Slot = Slot {
        term: Term::from_raw(0),
        n: 0,
        changed: false,
        touched: 0,
    };

    fn is_empty(&self) -> bool {
        self.term.raw() == 0
    }

    fn hash(&self) -> u64 {
        mixed(self.term)
    }
}

/// Fibonacci hashing: the terms are hashes already, this only spreads salted ones.
fn mixed(t: Term) -> u64 {
    t.raw().wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

pub(crate) struct DocFreqs {
    table: Table<Slot>,
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
        DocFreqs {
            table: Table::with_slots(terms * 2),
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
    /// The table then shrinks while it is less than an eighth full.
    pub(crate) fn prune(&mut self, drop: impl Fn(u32, u16) -> bool) {
        let dropped: Vec<Term> = self
            .table
            .entries()
            .filter(|s| drop(self.value(s), s.touched))
            .map(|s| s.term)
            .collect();
        for t in dropped {
            self.remove(t);
        }
        self.table.shrink_below(1, 6);
    }

    /// Forgets `t` (not term 0), reporting it changed.
    fn remove(&mut self, t: Term) {
        let Some(i) = self.find(t) else { return };
        if !self.table.at(i).changed {
            self.changed.push(t);
        }
        self.table.remove_at(i);
    }

    pub(crate) fn get(&self, t: Term) -> u32 {
        if t.raw() == 0 {
            return self.value(&self.zero);
        }
        self.find(t).map_or(0, |i| self.value(self.table.at(i)))
    }

    /// A slot's value now: a count decayed since it was last changed.
    fn value(&self, slot: &Slot) -> u32 {
        decayed(slot.n, self.generation.saturating_sub(slot.touched))
    }

    /// The index of `t`'s slot, if it is kept (not term 0, which is kept apart).
    fn find(&self, t: Term) -> Option<usize> {
        self.table.seek(mixed(t), |s| s.term == t).ok()
    }

    /// Every kept term with its value, in no particular order.
    #[cfg(test)]
    pub(crate) fn iter(&self) -> impl Iterator<Item = (Term, u32)> + '_ {
        let zero = Some(self.value(&self.zero))
            .filter(|&n| n > 0)
            .map(|n| (Term::from_raw(0), n));
        self.table
            .entries()
            .map(|s| (s.term, self.value(s)))
            .chain(zero)
    }

    /// Makes room for `more` new terms at a load of at most three quarters.
    fn reserve(&mut self, more: usize) {
        self.table.reserve(more, 6);
    }

    /// The slot of `t`, taken if new. Room must be reserved.
    fn slot_mut(&mut self, t: Term) -> &mut Slot {
        if t.raw() == 0 {
            return &mut self.zero;
        }
        let i = match self.table.seek(mixed(t), |s| s.term == t) {
            Ok(i) => i,
            Err(empty) => {
                self.table.fill(
                    empty,
                    Slot {
                        term: t,
                        ..Slot::default()
                    },
                );
                empty
            }
        };
        self.table.at_mut(i)
    }

    /// Applies `f` to the value of `t` (0 if new); returns the new value.
    fn update(&mut self, t: Term, f: impl Fn(u32) -> u32) -> u32 {
        let generation = self.generation;
        let slot = self.slot_mut(t);
        slot.n = f(decayed(slot.n, generation.saturating_sub(slot.touched)));
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
        self.table.prefetch(mixed(t));
    }

    /// Forgets which terms changed.
    pub(crate) fn discard_changed(&mut self) {
        for t in std::mem::take(&mut self.changed) {
            if t.raw() == 0 {
                self.zero.changed = false;
            } else if let Some(i) = self.find(t) {
                self.table.at_mut(i).changed = false;
            }
        }
    }

    /// The terms changed since the last call, with their counts.
    #[cfg(test)]
    pub(crate) fn take_changed(&mut self) -> Vec<(Term, u32)> {
        self.take_changed_encoded(|n, _| n)
    }

    /// [`DocFreqs::take_changed`], each kept value written as `encode(value, generation)`: the
    /// value as it was when last changed, in that generation (not decayed since).
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
                let slot = if t.raw() == 0 {
                    Some(&mut self.zero)
                } else {
                    self.find(t).map(|i| self.table.at_mut(i))
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

    fn tm(raw: u64) -> Term {
        Term::from_raw(raw)
    }

    fn raw(pairs: Vec<(Term, u32)>) -> Vec<(u64, u32)> {
        pairs.into_iter().map(|(t, n)| (t.raw(), n)).collect()
    }

    /// The term whose mixed hash is `mixed`: lets a test choose the slots terms land in.
    fn term_mixing_to(mixed: u64) -> Term {
        // The inverse of the odd multiplier modulo 2^64, by Newton's iteration.
        let m: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut inv = m;
        for _ in 0..6 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(m.wrapping_mul(inv)));
        }
        tm(mixed.wrapping_mul(inv))
    }

    #[test]
    fn counts_survive_growth_and_pruning_with_crowded_and_wrapped_runs() {
        let mut df = DocFreqs::default();
        // Long runs that wrap from the last slot to the first, at every size the table takes,
        // and a run around the middle, besides spread terms.
        let crowded: Vec<Term> = (0..300u64)
            .flat_map(|i| [u64::MAX - i, 1 << 63 | i, (i + 1) << 20])
            .map(term_mixing_to)
            // More than three quarters of a segment: the table grows.
            .chain((1..60_000u64).map(|i| tm(i.wrapping_mul(0x2545_F491_4F6C_DD1D))))
            .collect();
        for (k, &t) in crowded.iter().enumerate() {
            df.bump(t);
            if k % 997 == 0 {
                df.table.assert_probe_runs_unbroken();
            }
        }
        assert!(
            df.table.slot_count() > table::SEGMENT,
            "grew past one segment"
        );
        df.table.assert_probe_runs_unbroken();
        assert!(crowded.iter().all(|&t| df.get(t) == 1));
        // A quarter counted again, fewer than an eighth of the grown table's slots.
        for &t in crowded.iter().step_by(4) {
            df.bump(t);
        }
        df.prune(|n, _| n == 1);
        assert_eq!(
            df.table.slot_count(),
            table::SEGMENT,
            "an eighth full: shrunk"
        );
        df.table.assert_probe_runs_unbroken();
        for (k, &t) in crowded.iter().enumerate() {
            assert_eq!(df.get(t), if k % 4 == 0 { 2 } else { 0 }, "term {t:?}");
        }
        for &t in &crowded {
            df.bump(t);
        }
        df.table.assert_probe_runs_unbroken();
        for (k, &t) in crowded.iter().enumerate() {
            assert_eq!(df.get(t), if k % 4 == 0 { 3 } else { 1 }, "term {t:?}");
        }
    }

    #[test]
    fn counts_survive_growth_and_report_changes_once() {
        let mut df = DocFreqs::default();
        let terms: Vec<Term> = (0..5_000u64).map(|i| tm(i * 7)).collect(); // includes term 0
        assert_eq!(df.bump_all(&terms, |&t| t), vec![1; terms.len()]);
        assert_eq!(df.bump(tm(14)), 2);
        assert_eq!(df.get(tm(14)), 2);
        assert_eq!(df.get(tm(0)), 1);
        assert_eq!(df.get(tm(15)), 0);
        let mut changed = df.take_changed();
        changed.sort_unstable();
        assert_eq!(changed.len(), terms.len());
        assert_eq!(changed[2], (tm(14), 2));
        assert!(df.take_changed().is_empty());
        df.bump(tm(21));
        assert_eq!(raw(df.take_changed()), vec![(21, 2)]);
        df.bump(tm(21));
        df.discard_changed();
        df.bump(tm(28));
        assert_eq!(raw(df.take_changed()), vec![(28, 2)]);

        let restored = DocFreqs::from_counts(terms.iter().map(|&t| (t, df.get(t))), 0, |n| (n, 0));
        assert!(terms.iter().all(|&t| restored.get(t) == df.get(t)));
        assert_eq!(restored.get(tm(3)), 0);
    }

    #[test]
    fn pruning_drops_what_the_rule_says_and_reports_it() {
        let mut df = DocFreqs::default();
        df.set_generation(1);
        df.bump_all(&[1u64, 2, 3, 4], |&n| tm(n));
        df.bump(tm(2));
        df.set_generation(2);
        df.bump(tm(3));
        df.take_changed();
        // Counted once in generation 1, halved to 0: 1 and 4 go; 2 (twice, halved to 1) and 3
        // (counted again in 2) stay.
        df.prune(|n, touched| n == 0 && touched < 2);
        assert_eq!(
            (df.get(tm(1)), df.get(tm(2)), df.get(tm(3)), df.get(tm(4))),
            (0, 1, 1, 0)
        );
        assert_eq!(raw(df.take_changed()), vec![(1, 0), (4, 0)]);
        assert_eq!(df.iter().count(), 2);
        df.bump(tm(5));
        assert_eq!(df.get(tm(5)), 1);
    }

    #[test]
    fn counts_halve_each_generation_since_their_last_change_and_marks_stay() {
        let mut df = DocFreqs::default();
        for _ in 0..13 {
            df.bump(tm(7));
        }
        df.set_all(&[9u64], |&n| tm(n), MARK | 1);
        assert_eq!(raw(df.take_changed()), vec![(7, 13), (9, MARK | 1)]);
        df.set_generation(1);
        assert_eq!((df.get(tm(7)), df.get(tm(9))), (6, MARK | 1));
        df.set_generation(3);
        assert_eq!((df.get(tm(7)), df.get(tm(9))), (1, MARK | 1));
        // A change starts from the decayed count, and is saved as of its generation.
        assert_eq!(df.bump(tm(7)), 2);
        df.set_generation(4);
        assert_eq!(df.get(tm(7)), 1);
        assert_eq!(
            raw(df.take_changed_encoded(|n, g| n << 8 | u32::from(g))),
            vec![(7, 2 << 8 | 3)]
        );
        df.set_generation(40);
        assert_eq!(df.get(tm(7)), 0);
        df.prune(|n, _| n == 0);
        assert_eq!(raw(df.iter().collect()), vec![(9, MARK | 1)]);
    }

    #[test]
    fn pruned_then_counted_again_is_reported_once() {
        let mut df = DocFreqs::default();
        let terms: Vec<Term> = (1..3_000u64).map(tm).collect();
        df.bump_all(&terms, |&t| t);
        df.take_changed();
        df.set_generation(5);
        for &t in terms.iter().filter(|&&t| t.raw() % 3 != 0) {
            df.bump(t);
        }
        // Counted once in generation 0, halved five times since; counted again or gone.
        df.prune(|n, _| n == 0);
        for &t in &terms {
            assert_eq!(
                df.get(t),
                if t.raw() % 3 == 0 { 0 } else { 1 },
                "term {t:?}"
            );
        }
        df.bump(tm(3));
        let changed = df.take_changed();
        assert_eq!(changed.len(), terms.len());
        assert!(
            changed.contains(&(tm(3), 1))
                && changed.contains(&(tm(6), 0))
                && changed.contains(&(tm(7), 1))
        );
        df.set_all(&[5u64, 7], |&n| tm(n), 9);
        assert_eq!((df.get(tm(5)), df.get(tm(7))), (9, 9));
        let restored = DocFreqs::from_counts([(tm(5), 0), (tm(6), 2)], 4, |n| (n, 3));
        assert_eq!(raw(restored.iter().collect()), vec![(6, 1)]);
        assert_eq!(restored.generation(), 4);
    }
}
