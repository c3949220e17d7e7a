//! The open-addressing table under the copy index's buckets and the clusterer's document
//! frequencies: linear probing, slots stored in segments, resized **in place** both ways.
//!
//! The keys are hashes already, so a slot's home is the top bits of its entry's hash. Resizing
//! adds or takes away one bit: an entry's new home is twice its old one (or that plus one), or
//! half of it, and the entries can move within the storage they already have, without an old
//! and a new table held at once (a rehash into a fresh table holds 1.5 times the larger size at
//! its peak). Segments make growing and shrinking a matter of adding or dropping whole blocks;
//! the look-ups pay one shift and mask for it. Removal is backward-shift deletion: no
//! tombstones, so a table that entries keep entering and leaving holds exactly its live ones.

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
    /// `64 - log2(number of slots)`.
    shift: u32,
    len: usize,
}

impl<S: Slot> Table<S> {
    /// A table of at least `slots` slots (a power of two, at least [`SEGMENT`]).
    pub(crate) fn with_slots(slots: usize) -> Self {
        let slots = slots.next_power_of_two().max(SEGMENT);
        Table {
            segments: (0..slots / SEGMENT).map(|_| new_segment()).collect(),
            shift: 64 - slots.trailing_zeros(),
            len: 0,
        }
    }

    /// How many entries are kept.
    #[cfg(test)]
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
        (hash >> self.shift) as usize
    }

    #[inline]
    fn mask(&self) -> usize {
        self.slot_count() - 1
    }

    /// The probe run of `hash`: the indexes of the taken slots from its home to the first empty
    /// one. Every entry with that hash is in it.
    #[inline]
    pub(crate) fn run(&self, hash: u64) -> impl Iterator<Item = usize> + '_ {
        let mask = self.mask();
        let mut i = self.home(hash);
        std::iter::from_fn(move || {
            if self.at(i).is_empty() {
                return None;
            }
            let here = i;
            i = (i + 1) & mask;
            Some(here)
        })
    }

    /// The first slot of `hash`'s probe run whose entry `is` accepts, or else the empty slot
    /// that ends the run (where a new entry with that hash goes, by [`Table::fill`]).
    #[inline]
    pub(crate) fn seek(&self, hash: u64, is: impl Fn(&S) -> bool) -> Result<usize, usize> {
        let mask = self.mask();
        let mut i = self.home(hash);
        loop {
            let s = self.at(i);
            if s.is_empty() {
                return Err(i);
            }
            if is(s) {
                return Ok(i);
            }
            i = (i + 1) & mask;
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
        let mask = self.mask();
        let mut j = (hole + 1) & mask;
        while !self.at(j).is_empty() {
            let home = self.home(self.at(j).hash());
            if (j.wrapping_sub(home) & mask) >= (j.wrapping_sub(hole) & mask) {
                *self.at_mut(hole) = *self.at(j);
                hole = j;
            }
            j = (j + 1) & mask;
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

    /// Doubles the table until `more` entries fit with at most `eighths` eighths of its slots taken.
    pub(crate) fn reserve(&mut self, more: usize, eighths: usize) {
        while (self.len + more) * 8 > self.slot_count() * eighths {
            self.resize(true);
        }
    }

    /// Halves the table while fewer than `eighths` eighths of its slots are taken (`eighths` at
    /// most 4, so that the entries fit the half), down to one segment.
    pub(crate) fn shrink_below(&mut self, eighths: usize) {
        debug_assert!(eighths <= 4);
        while self.len * 8 < self.slot_count() * eighths && self.slot_count() > SEGMENT {
            self.resize(false);
        }
    }

    /// Doubles the table, or halves it, in place (`grow`: whether to double). Halving needs
    /// fewer entries than the half has slots.
    ///
    /// Every entry is pending until it is moved to its new place: an entry is carried from its
    /// new home on to the first slot that is empty or pending, and a pending entry found there is
    /// carried on in its turn. A placed entry never moves again and is only ever placed after a
    /// run of placed entries from its home, so each is found again.
    fn resize(&mut self, grow: bool) {
        let old = self.slot_count();
        let size = if grow { old * 2 } else { old / 2 };
        assert!(
            size >= SEGMENT && self.len < size,
            "a table keeps at least one segment and an empty slot"
        );
        while self.slot_count() < size {
            self.segments.push(new_segment());
        }
        if grow {
            self.shift -= 1;
        } else {
            self.shift += 1;
        }
        let mask = size - 1;
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
                let mut j = self.home(carried.hash());
                while !self.at(j).is_empty() && !is_pending(&pending, j) {
                    j = (j + 1) & mask;
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
        let mask = self.mask();
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
                j = (j + 1) & mask;
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
        for size in [2, 4, 8] {
            t.resize(true);
            assert_eq!(t.slot_count(), size * SEGMENT);
            t.assert_probe_runs_unbroken();
            assert!(keys.iter().all(|&k| contains(&t, k)));
        }
        // Two in three leave, then the table halves back, with entries in its top half.
        for &k in keys.iter().filter(|&&k| k % 3 != 0) {
            let i = t.seek(k, |s| s.0 == k).expect("kept");
            t.remove_at(i);
        }
        t.assert_probe_runs_unbroken();
        while t.slot_count() > SEGMENT {
            t.resize(false);
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
}
