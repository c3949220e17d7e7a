//! Entries keyed by a dense, increasing index (documents, stories), of which only the recent ones
//! are kept: a stream's memory stays flat however long it runs.
//!
//! The entries from `base` on are a dense deque (an index is a subtraction away, which the hot
//! paths rely on); entries before `base` have left, except the few that outlive the ones created
//! after them (a story that keeps running, a document without a date), which move to a map of
//! stragglers once the dense part would otherwise be mostly holes.

use rustc_hash::FxHashMap;
use std::collections::VecDeque;
use std::marker::PhantomData;

/// Holes the dense part may hold beyond as many as its live entries, before its front entries
/// move to the stragglers.
const SLACK: usize = 1024;

/// An index the slots are keyed by: a `u32` under the name of what it counts.
pub(crate) trait DenseIndex: Copy {
    fn from_raw(raw: u32) -> Self;
    fn raw(self) -> u32;
}

impl DenseIndex for u32 {
    fn from_raw(raw: u32) -> Self {
        raw
    }
    fn raw(self) -> u32 {
        self
    }
}

pub(crate) struct Slots<I, T> {
    base: u32,
    dense: VecDeque<Option<T>>,
    /// Live entries in `dense`.
    live: usize,
    stragglers: FxHashMap<u32, T>,
    index: PhantomData<I>,
}

impl<I, T> Default for Slots<I, T> {
    fn default() -> Self {
        Slots {
            base: 0,
            dense: VecDeque::new(),
            live: 0,
            stragglers: FxHashMap::default(),
            index: PhantomData,
        }
    }
}

impl<I: DenseIndex, T> Slots<I, T> {
    /// The index the next entry gets: how many were ever pushed.
    pub(crate) fn next_index(&self) -> I {
        I::from_raw(self.next_raw())
    }

    fn next_raw(&self) -> u32 {
        self.base + self.dense.len() as u32
    }

    /// The entries kept, in no particular order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &T> {
        self.dense.iter().flatten().chain(self.stragglers.values())
    }

    /// How many entries are kept.
    pub(crate) fn live(&self) -> usize {
        self.live + self.stragglers.len()
    }

    pub(crate) fn push(&mut self, value: T) -> I {
        self.dense.push_back(Some(value));
        self.live += 1;
        I::from_raw(self.next_raw() - 1)
    }

    /// Pushes a hole: an index whose entry left at once (restoring).
    pub(crate) fn push_gone(&mut self) -> I {
        self.dense.push_back(None);
        I::from_raw(self.next_raw() - 1)
    }

    /// Where `i` is in the dense part, if it is there.
    #[inline]
    pub(crate) fn position(&self, i: I) -> Option<usize> {
        let p = i.raw().checked_sub(self.base)? as usize;
        (p < self.dense.len()).then_some(p)
    }

    /// How long the dense part is: positions are below it.
    pub(crate) fn dense_len(&self) -> usize {
        self.dense.len()
    }

    #[inline]
    pub(crate) fn get(&self, i: I) -> Option<&T> {
        match self.position(i) {
            Some(p) => self.dense[p].as_ref(),
            None => self.stragglers.get(&i.raw()),
        }
    }

    #[inline]
    pub(crate) fn get_mut(&mut self, i: I) -> Option<&mut T> {
        match self.position(i) {
            Some(p) => self.dense[p].as_mut(),
            None => self.stragglers.get_mut(&i.raw()),
        }
    }

    /// Takes an entry out; its index stays used.
    pub(crate) fn remove(&mut self, i: I) -> Option<T> {
        match self.position(i) {
            Some(p) => {
                let v = self.dense[p].take();
                self.live -= usize::from(v.is_some());
                v
            }
            None => self.stragglers.remove(&i.raw()),
        }
    }

    /// Puts an entry that left back under its index (below [`Slots::next_index`]).
    pub(crate) fn put_back(&mut self, i: I, value: T) {
        debug_assert!(i.raw() < self.next_raw(), "only an index already given out");
        match self.position(i) {
            Some(p) => {
                self.live += usize::from(self.dense[p].is_none());
                self.dense[p] = Some(value);
            }
            None => {
                self.stragglers.insert(i.raw(), value);
            }
        }
    }

    /// The indexes of the kept entries, in no particular order.
    pub(crate) fn indexes(&self) -> Vec<I> {
        let dense = self
            .dense
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_some())
            .map(|(p, _)| self.base + p as u32);
        let raw = self.stragglers.keys().copied().chain(dense);
        raw.map(I::from_raw).collect()
    }

    /// Drops the holes at the front of the dense part, and moves front entries to the stragglers
    /// while the dense part is mostly holes. Call after removing entries.
    pub(crate) fn compact(&mut self) {
        while let Some(front) = self.dense.front() {
            if front.is_some() && self.dense.len() <= 2 * self.live + SLACK {
                break;
            }
            if let Some(v) = self.dense.pop_front().flatten() {
                self.live -= 1;
                self.stragglers.insert(self.base, v);
            }
            self.base += 1;
        }
        if self.dense.capacity() > 2 * self.dense.len() + SLACK {
            self.dense.shrink_to(self.dense.len() + SLACK);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_keep_their_index_through_compaction() {
        let mut s: Slots<u32, u32> = Slots::default();
        for i in 0..5000u32 {
            assert_eq!(s.push(i * 10), i);
        }
        // Everything but 7 and the last 100 leaves.
        for i in 0..4900u32 {
            if i != 7 {
                assert_eq!(s.remove(i), Some(i * 10));
            }
        }
        s.compact();
        assert_eq!(s.live(), 101);
        assert!(s.dense_len() <= 2 * 101 + SLACK);
        assert_eq!(s.get(7), Some(&70), "a straggler is still found");
        assert_eq!(s.position(7), None);
        assert_eq!(s.get(8), None);
        assert_eq!(s.get(4950), Some(&49_500));
        assert_eq!(s.next_index(), 5000);
        assert_eq!(s.push(1), 5000);
        *s.get_mut(7).unwrap() += 1;
        assert_eq!(s.remove(7), Some(71));
        let mut idx = s.indexes();
        idx.sort_unstable();
        assert_eq!(idx.len(), 101);
        assert_eq!(idx[0], 4900);
        s.put_back(7, 72);
        s.put_back(4900, 1);
        assert_eq!((s.get(7), s.get(4900)), (Some(&72), Some(&1)));
        assert_eq!(s.live(), 102);
    }
}
