//! The open-addressing table under the copy index's buckets and exact hashes and the clusterer's
//! document frequencies: linear probing, slots stored in segments, resized **in place** both ways.
//!
//! The keys are hashes already, so a slot's home is the top half of its entry's hash scaled to
//! the number of slots (a multiply and a shift: any whole number of segments will do, not just a
//! power of two). A resize moves the entries to their new homes within the storage they already
//! have, without an old and a new table held at once (a rehash into a fresh table holds 1.5 times
//! the larger size at its peak), and a table grows by a quarter, not by double: a burst that
//! overflows the table by a little costs a quarter more memory, not twice as much (the copy
//! window's buckets at the 1M corpus's busiest month: 4 MiB more, where doubling took 16).
//! Segments make growing and shrinking a matter of adding or dropping whole blocks. Removal is
//! backward-shift deletion: no tombstones, so a table that entries keep entering and leaving
//! holds exactly its live ones.

/// log2 of [`SEGMENT`].
const SEGMENT_BITS: u32 = 16;

/// The slots of a segment, and the fewest a table has.
pub(crate) const SEGMENT: usize = 1 << SEGMENT_BITS;

/// What a table holds: a `Copy` entry with an empty value and a hash that places it.
pub(crate) trait Slot: Copy {
    /// The empty slot.
    const EMPTY: Self;
    fn is_empty(&self) -> bool;
    /// The well-mixed hash whose top bits are the entry's home.
    fn hash(&self) -> u64;
}

/// A fixed length, so that a slot's index within its segment needs no bounds check.
type Segment<S> = Box<[S; SEGMENT]>;

fn new_segment<S: Slot>() -> Segment<S> {
    vec![S::EMPTY; SEGMENT]
        .into_boxed_slice()
        .try_into()
        .unwrap_or_else(|_| unreachable!("the vector has SEGMENT slots"))
}

pub(crate) struct Table<S: Slot> {
    segments: Vec<Segment<S>>,
    len: usize,
}

/// The size a table of `slots` grows to: a quarter more, in whole segments.
fn grown(slots: usize) -> usize {
    slots + (slots / 4).next_multiple_of(SEGMENT)
}

/// The size a table of `slots` shrinks to: a fifth less (what [`grown`] added), in whole
/// segments, at least one.
fn shrunk(slots: usize) -> usize {
    (slots - slots / 5)
        .next_multiple_of(SEGMENT)
        .min(slots - SEGMENT)
        .max(SEGMENT)
}

impl<S: Slot> Table<S> {
    /// A table of at least `slots` slots (whole segments, at least one).
    pub(crate) fn with_slots(slots: usize) -> Self {
        let slots = slots.next_multiple_of(SEGMENT).max(SEGMENT);
        Table {
            segments: (0..slots / SEGMENT).map(|_| new_segment()).collect(),
            len: 0,
        }
    }

    /// How many entries are kept.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn slot_count(&self) -> usize {
        self.segments.len() << SEGMENT_BITS
    }

    #[inline]
    pub(crate) fn at(&self, i: usize) -> &S {
        &self.segments[i >> SEGMENT_BITS][i & (SEGMENT - 1)]
    }

    #[inline]
    pub(crate) fn at_mut(&mut self, i: usize) -> &mut S {
        &mut self.segments[i >> SEGMENT_BITS][i & (SEGMENT - 1)]
    }

    #[inline]
    fn home(&self, hash: u64) -> usize {
        (((hash >> 32) * self.slot_count() as u64) >> 32) as usize
    }

    /// The slot after `i`, wrapping from the last to the first.
    #[inline]
    fn next(&self, i: usize) -> usize {
        if i + 1 == self.slot_count() {
            0
        } else {
            i + 1
        }
    }

    /// How many steps forward from slot `from` slot `to` is, wrapping.
    #[inline]
    fn distance(&self, from: usize, to: usize) -> usize {
        if to >= from {
            to - from
        } else {
            to + self.slot_count() - from
        }
    }

    /// The probe run of `hash`: the indexes of the taken slots from its home to the first empty
    /// one. Every entry with that hash is in it.
    #[inline]
    pub(crate) fn run(&self, hash: u64) -> impl Iterator<Item = usize> + '_ {
        let mut i = self.home(hash);
        std::iter::from_fn(move || {
            if self.at(i).is_empty() {
                return None;
            }
            let here = i;
            i = self.next(i);
            Some(here)
        })
    }

    /// The first slot of `hash`'s probe run whose entry `is` accepts, or else the empty slot
    /// that ends the run (where a new entry with that hash goes, by [`Table::fill`]).
    #[inline]
    pub(crate) fn seek(&self, hash: u64, is: impl Fn(&S) -> bool) -> Result<usize, usize> {
        let mut i = self.home(hash);
        loop {
            let s = self.at(i);
            if s.is_empty() {
                return Err(i);
            }
            if is(s) {
                return Ok(i);
            }
            i = self.next(i);
        }
    }

    /// Puts an entry into the empty slot [`Table::seek`] gave for its hash. The caller keeps
    /// the load below one ([`Table::reserve`]).
    #[inline]
    pub(crate) fn fill(&mut self, empty: usize, entry: S) {
        debug_assert!(self.at(empty).is_empty() && !entry.is_empty());
        *self.at_mut(empty) = entry;
        self.len += 1;
    }

    /// Adds an entry at the end of its hash's probe run.
    pub(crate) fn insert(&mut self, entry: S) {
        match self.seek(entry.hash(), |_| false) {
            Ok(_) => unreachable!("no entry is accepted"),
            Err(empty) => self.fill(empty, entry),
        }
    }

    /// Empties slot `hole`, moving later entries of its probe run up into it when their home is
    /// not between the hole and them (backward-shift deletion).
    pub(crate) fn remove_at(&mut self, mut hole: usize) {
        debug_assert!(!self.at(hole).is_empty());
        let mut j = self.next(hole);
        while !self.at(j).is_empty() {
            let home = self.home(self.at(j).hash());
            if self.distance(home, j) >= self.distance(hole, j) {
                *self.at_mut(hole) = *self.at(j);
                hole = j;
            }
            j = self.next(j);
        }
        *self.at_mut(hole) = S::EMPTY;
        self.len -= 1;
    }

    /// The taken slots, in slot order.
    pub(crate) fn entries(&self) -> impl Iterator<Item = &S> + '_ {
        self.segments
            .iter()
            .flat_map(|s| s.iter())
            .filter(|s| !s.is_empty())
    }

    /// Hints that the probe run of `hash` is needed soon, so that the cache misses of several
    /// look-ups overlap.
    #[inline]
    pub(crate) fn prefetch(&self, hash: u64) {
        #[cfg(target_arch = "x86_64")]
        {
            let slot: *const S = self.at(self.home(hash));
            // SAFETY: a prefetch is only a hint; it reads nothing the program sees and cannot
            // fault, and the address is of a live slot.
            unsafe {
                std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                    slot.cast::<i8>(),
                )
            };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = hash;
    }

    /// Grows the table by quarters until `more` entries fit with at most `eighths` eighths of its
    /// slots taken.
    pub(crate) fn reserve(&mut self, more: usize, eighths: usize) {
        let mut size = self.slot_count();
        while (self.len + more) * 8 > size * eighths {
            size = grown(size);
        }
        if size > self.slot_count() {
            self.resize(size);
        }
    }

    /// Shrinks the table by fifths while fewer than `eighths` eighths of its slots are taken, as
    /// long as the smaller table is at most `limit` eighths full (the load at which
    /// [`Table::reserve`] would grow it again), down to one segment.
    pub(crate) fn shrink_below(&mut self, eighths: usize, limit: usize) {
        debug_assert!(limit < 8);
        let mut size = self.slot_count();
        while self.len * 8 < size * eighths {
            let next = shrunk(size);
            if next == size || self.len * 8 > next * limit {
                break;
            }
            size = next;
        }
        if size < self.slot_count() {
            self.resize(size);
        }
    }

    /// Resizes the table in place to `size` slots (whole segments), which must leave an empty
    /// slot.
    ///
    /// Every entry is pending until it is moved to its new place: an entry is carried from its
    /// new home on to the first slot that is empty or pending, and a pending entry found there is
    /// carried on in its turn. A placed entry never moves again and is only ever placed after a
    /// run of placed entries from its home, so each is found again.
    fn resize(&mut self, size: usize) {
        let old = self.slot_count();
        assert!(
            size >= SEGMENT && size.is_multiple_of(SEGMENT) && self.len < size,
            "a table keeps whole segments, at least one, and an empty slot"
        );
        while self.slot_count() < size {
            self.segments.push(new_segment());
        }
        // Until the end, the storage may hold more slots than the new size: probe in the new.
        let mut pending = vec![0u64; old.div_ceil(64)];
        for i in 0..old {
            if !self.at(i).is_empty() {
                pending[i / 64] |= 1 << (i % 64);
            }
        }
        let is_pending =
            |pending: &[u64], j: usize| j < old && pending[j / 64] & (1 << (j % 64)) != 0;
        for i in 0..old {
            if !is_pending(&pending, i) {
                continue;
            }
            pending[i / 64] &= !(1 << (i % 64));
            let mut carried = std::mem::replace(self.at_mut(i), S::EMPTY);
            loop {
                let mut j = ((carried.hash() >> 32) as usize * size) >> 32;
                while !self.at(j).is_empty() && !is_pending(&pending, j) {
                    j = if j + 1 == size { 0 } else { j + 1 };
                }
                carried = std::mem::replace(self.at_mut(j), carried);
                if carried.is_empty() {
                    break;
                }
                pending[j / 64] &= !(1 << (j % 64));
            }
        }
        self.segments.truncate(size / SEGMENT);
        self.segments.shrink_to_fit();
    }

    /// Every entry is reachable: the slots from its home to it are all taken.
    #[cfg(test)]
    pub(crate) fn assert_probe_runs_unbroken(&self) {
        let mut kept = 0;
        for i in 0..self.slot_count() {
            if self.at(i).is_empty() {
                continue;
            }
            kept += 1;
            let mut j = self.home(self.at(i).hash());
            while j != i {
                assert!(
                    !self.at(j).is_empty(),
                    "the entry at {i} is cut off from its home"
                );
                j = self.next(j);
            }
        }
        assert_eq!(kept, self.len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq)]
    struct Key(u64);

    impl Slot for Key {
        const EMPTY: Key = Key(0);
        fn is_empty(&self) -> bool {
            self.0 == 0
        }
        fn hash(&self) -> u64 {
            self.0
        }
    }

    fn contains(t: &Table<Key>, k: u64) -> bool {
        t.seek(k, |s| s.0 == k).is_ok()
    }

    #[test]
    fn resizing_in_place_both_ways_keeps_crowded_and_wrapped_runs_findable() {
        let mut t = Table::<Key>::with_slots(0);
        // Long runs that wrap from the last slot to the first at every size the table takes, a
        // crowded run around the middle, and spread keys.
        let keys: Vec<u64> = (0..300u64)
            .flat_map(|i| [u64::MAX - i, 1 << 63 | i, (i + 1) << 20])
            .chain((1..40_000u64).map(|i| i.wrapping_mul(0x2545_F491_4F6C_DD1D)))
            .collect();
        for &k in &keys {
            t.insert(Key(k));
        }
        t.assert_probe_runs_unbroken();
        for size in [2, 3, 4, 5, 7, 8] {
            t.resize(size * SEGMENT);
            assert_eq!(t.slot_count(), size * SEGMENT);
            t.assert_probe_runs_unbroken();
            assert!(keys.iter().all(|&k| contains(&t, k)));
        }
        // Two in three leave, then the table shrinks back, with entries in its top part.
        for &k in keys.iter().filter(|&&k| k % 3 != 0) {
            let i = t.seek(k, |s| s.0 == k).expect("kept");
            t.remove_at(i);
        }
        t.assert_probe_runs_unbroken();
        for size in [6, 5, 3, 2, 1] {
            t.resize(size * SEGMENT);
            t.assert_probe_runs_unbroken();
        }
        for &k in &keys {
            assert_eq!(contains(&t, k), k % 3 == 0, "key {k:x}");
        }
        assert_eq!(t.entries().count(), t.len());
        // The keys homed in the last slot are all in its run, which wraps to the first slots.
        let run: Vec<u64> = t.run(u64::MAX).map(|i| t.at(i).0).collect();
        let homed_last = (0..300u64).map(|i| u64::MAX - i).filter(|k| k % 3 == 0);
        assert!(homed_last.clone().count() > 90);
        assert!(homed_last.into_iter().all(|k| run.contains(&k)));
    }

    #[test]
    fn tables_grow_by_a_quarter_and_shrink_by_a_fifth_in_whole_segments() {
        assert_eq!(grown(SEGMENT), 2 * SEGMENT);
        assert_eq!(grown(32 * SEGMENT), 40 * SEGMENT);
        assert_eq!(shrunk(40 * SEGMENT), 32 * SEGMENT);
        assert_eq!(shrunk(2 * SEGMENT), SEGMENT);
        assert_eq!(shrunk(SEGMENT), SEGMENT);
        let mut t = Table::<Key>::with_slots(0);
        let keys: Vec<u64> = (1..200_000u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        for &k in &keys {
            t.reserve(1, 7);
            t.insert(Key(k));
        }
        // 200,000 entries at most seven eighths full: 228,572 slots or more, in whole segments.
        assert_eq!(t.slot_count(), 4 * SEGMENT);
        t.assert_probe_runs_unbroken();
        for &k in &keys[..150_000] {
            let i = t.seek(k, |s| s.0 == k).expect("kept");
            t.remove_at(i);
            t.shrink_below(3, 7);
        }
        // 50,000 left: shrunk by fifths while under three eighths full.
        assert_eq!(t.slot_count(), 2 * SEGMENT);
        t.assert_probe_runs_unbroken();
        assert!(keys[150_000..].iter().all(|&k| contains(&t, k)));
    }
}
