//! A run of `(key, value)` records sorted by key, written out to a [`Spill`] in blocks: what the
//! archive of exact hashes and the copy window's older bucket entries keep on disk.
//!
//! Memory keeps the first key of each block and a Bloom filter of the keys (10 bits a record), and
//! a look-up reads a block only when the filter lets its key through. New records come in sorted
//! batches, each merged with the run into a new run a chunk at a time (neither is ever whole in
//! memory). A merge that fails leaves the run as it was, with its filter built again from it.

use crate::memory::bloom::Bloom;
use crate::memory::spill::Spill;
use std::marker::PhantomData;

/// Bytes read or written at once by a merge.
const CHUNK_BYTES: usize = 128 << 10;

/// A key or value of a run, with a fixed-size encoding for the spill.
pub trait Fixed: Copy {
    /// Bytes of the encoding.
    const BYTES: usize;
    /// Appends the encoding to `out`.
    fn put(&self, out: &mut Vec<u8>);
    /// Decodes what [`Fixed::put`] wrote (`bytes` is exactly `BYTES` long).
    fn get(bytes: &[u8]) -> Self;
}

impl Fixed for u32 {
    const BYTES: usize = 4;
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn get(bytes: &[u8]) -> Self {
        u32::from_le_bytes(bytes[..4].try_into().expect("4 bytes"))
    }
}

impl Fixed for u64 {
    const BYTES: usize = 8;
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn get(bytes: &[u8]) -> Self {
        u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes"))
    }
}

impl<A: Fixed, B: Fixed> Fixed for (A, B) {
    const BYTES: usize = A::BYTES + B::BYTES;
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
        self.1.put(out);
    }
    fn get(bytes: &[u8]) -> Self {
        (A::get(bytes), B::get(&bytes[A::BYTES..]))
    }
}

/// Record `i` of `bytes`: its key, then its value.
fn record<K: Fixed, V: Fixed>(bytes: &[u8], i: usize) -> (K, V) {
    let at = i * (K::BYTES + V::BYTES);
    (K::get(&bytes[at..]), V::get(&bytes[at + K::BYTES..]))
}

/// The records written out, at `at` in the spill.
struct Written<K> {
    at: u64,
    /// Bytes reserved at `at`.
    reserved: usize,
    len: usize,
    /// The first key of each block.
    fences: Vec<K>,
    /// Whether the records of some key run on from one block into the next.
    key_spans_blocks: bool,
    /// `None` when a failed merge could not read the run back to build it again: every look-up
    /// then reads its blocks.
    filter: Option<Bloom>,
}

pub(crate) struct SortedRun<K, V> {
    spill: Box<dyn Spill>,
    written: Option<Written<K>>,
    /// Records of a block, the most a look-up reads at once.
    block: usize,
    values: PhantomData<V>,
}

impl<K: Fixed + Ord + Into<u64>, V: Fixed> SortedRun<K, V> {
    const RECORD: usize = K::BYTES + V::BYTES;

    /// Records a merge reads or writes at once.
    const CHUNK: usize = if CHUNK_BYTES > Self::RECORD {
        CHUNK_BYTES / Self::RECORD
    } else {
        1
    };

    /// An empty run that will be written to `spill` in blocks of `block` records.
    pub(crate) fn new(spill: Box<dyn Spill>, block: usize) -> Self {
        assert!(block > 0, "a block holds records");
        SortedRun {
            spill,
            written: None,
            block,
            values: PhantomData,
        }
    }

    /// Records written out.
    pub(crate) fn len(&self) -> usize {
        self.written.as_ref().map_or(0, |w| w.len)
    }

    /// Hints that `key` is looked up soon.
    pub(crate) fn prefetch(&self, key: K) {
        if let Some(filter) = self.written.as_ref().and_then(|w| w.filter.as_ref()) {
            filter.prefetch(key.into());
        }
    }

    /// Calls `f` with the value of each record of `key`, in the run's order.
    pub(crate) fn for_each(&self, key: K, mut f: impl FnMut(V)) -> std::io::Result<()> {
        let Some(w) = &self.written else {
            return Ok(());
        };
        if w.filter
            .as_ref()
            .is_some_and(|filter| !filter.may_contain(key.into()))
        {
            return Ok(());
        }
        // The records of `key` start in the last block whose first key is at most `key`, or,
        // where a key may span blocks, below it, and may go on into blocks that start with it.
        let after = if w.key_spans_blocks {
            w.fences.partition_point(|&k| k < key)
        } else {
            w.fences.partition_point(|&k| k <= key)
        };
        let mut b = after.saturating_sub(1);
        let mut bytes = vec![0u8; self.block * Self::RECORD];
        while b < w.fences.len() && w.fences[b] <= key {
            let n = self.block.min(w.len - b * self.block);
            let block = &mut bytes[..n * Self::RECORD];
            self.spill
                .read(w.at + (b * self.block * Self::RECORD) as u64, block)?;
            let first = partition_point(n, |i| K::get(&block[i * Self::RECORD..]) < key);
            for i in first..n {
                let (k, v) = record::<K, V>(block, i);
                if k != key {
                    return Ok(());
                }
                f(v);
            }
            b += 1;
        }
        Ok(())
    }

    /// Merges `new` (sorted by key, none written out before) into the run, leaving out the
    /// records whose value `keep` refuses. Among records of one key, those of the run come first.
    /// On an error nothing has changed (the run's filter is built again from it).
    pub(crate) fn merge(
        &mut self,
        new: impl ExactSizeIterator<Item = (K, V)>,
        mut keep: impl FnMut(V) -> bool,
    ) -> std::io::Result<()> {
        let mut old = self.written.take();
        // The old filter goes before the new one is built: both at once would be the largest
        // moment of the run's owner.
        if let Some(w) = &mut old {
            w.filter = None;
        }
        let most = old.as_ref().map_or(0, |w| w.len) + new.len();
        let reserved = (most * Self::RECORD).max(1);
        let at = self.spill.reserve(reserved);
        let mut filter = Bloom::for_keys(most);
        let mut fences = Vec::with_capacity(most.div_ceil(self.block));
        let (mut len, mut key_spans_blocks) = (0, false);
        let spill = &mut self.spill;
        let block = self.block;
        let result = (|| -> std::io::Result<()> {
            let mut out: Vec<u8> = Vec::with_capacity(Self::CHUNK * Self::RECORD);
            let mut flushed = 0u64;
            let mut old_records = Reader::<K, V>::new(old.as_ref());
            let mut old_next = old_records.next(&**spill)?;
            let mut new = new.peekable();
            let (mut last, mut next_block_at) = (None, 0);
            loop {
                let (key, value) = match (old_next, new.peek()) {
                    (Some(o), Some(n)) if n.0 < o.0 => new.next().expect("peeked"),
                    (Some(o), _) => {
                        old_next = old_records.next(&**spill)?;
                        o
                    }
                    (None, Some(_)) => new.next().expect("peeked"),
                    (None, None) => break,
                };
                if !keep(value) {
                    continue;
                }
                if len == next_block_at {
                    fences.push(key);
                    key_spans_blocks |= last == Some(key);
                    next_block_at += block;
                }
                last = Some(key);
                filter.insert(key.into());
                key.put(&mut out);
                value.put(&mut out);
                len += 1;
                if out.len() == Self::CHUNK * Self::RECORD {
                    spill.write_at(at + flushed, &out)?;
                    flushed += out.len() as u64;
                    out.clear();
                }
            }
            if !out.is_empty() {
                spill.write_at(at + flushed, &out)?;
            }
            Ok(())
        })();
        match result {
            Ok(()) => {
                if let Some(w) = old {
                    self.spill.free(w.at, w.reserved);
                }
                self.written = Some(Written {
                    at,
                    reserved,
                    len,
                    fences,
                    key_spans_blocks,
                    filter: Some(filter),
                });
                Ok(())
            }
            Err(e) => {
                self.spill.free(at, reserved);
                // Without its filter, every look-up would read the run from now on: built again
                // from the run, which reads work on a full disk.
                if let Some(w) = &mut old {
                    w.filter = Self::filter_of(&*self.spill, w).ok();
                }
                self.written = old;
                Err(e)
            }
        }
    }

    /// The filter of a run, from its keys read back.
    fn filter_of(spill: &dyn Spill, written: &Written<K>) -> std::io::Result<Bloom> {
        let mut filter = Bloom::for_keys(written.len);
        let mut records = Reader::<K, V>::new(Some(written));
        while let Some((key, _)) = records.next(spill)? {
            filter.insert(key.into());
        }
        Ok(filter)
    }

    /// Whether look-ups pass a filter before they read (there is a run, and it has its filter).
    #[cfg(test)]
    pub(crate) fn has_filter(&self) -> bool {
        self.written.as_ref().is_some_and(|w| w.filter.is_some())
    }
}

/// The first of `0..n` for which `below` is false (`below` holds for a prefix).
fn partition_point(n: usize, below: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if below(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// The records of a run read back in order, a chunk at a time.
struct Reader<K, V> {
    at: u64,
    len: usize,
    chunk: Vec<u8>,
    /// The next record's index in `chunk`.
    next: usize,
    /// Records read from the spill so far.
    read: usize,
    records: PhantomData<(K, V)>,
}

impl<K: Fixed + Ord + Into<u64>, V: Fixed> Reader<K, V> {
    fn new(written: Option<&Written<K>>) -> Self {
        Reader {
            at: written.map_or(0, |w| w.at),
            len: written.map_or(0, |w| w.len),
            chunk: Vec::new(),
            next: 0,
            read: 0,
            records: PhantomData,
        }
    }

    #[inline]
    fn next(&mut self, spill: &dyn Spill) -> std::io::Result<Option<(K, V)>> {
        if self.next * SortedRun::<K, V>::RECORD == self.chunk.len() && !self.read_chunk(spill)? {
            return Ok(None);
        }
        self.next += 1;
        Ok(Some(record(&self.chunk, self.next - 1)))
    }

    /// Reads the next chunk; false at the end of the run.
    #[cold]
    fn read_chunk(&mut self, spill: &dyn Spill) -> std::io::Result<bool> {
        if self.read == self.len {
            return Ok(false);
        }
        let record_bytes = SortedRun::<K, V>::RECORD;
        let n = (self.len - self.read).min(SortedRun::<K, V>::CHUNK);
        self.chunk.resize(n * record_bytes, 0);
        spill.read(self.at + (self.read * record_bytes) as u64, &mut self.chunk)?;
        (self.next, self.read) = (0, self.read + n);
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::spill::{FillsUp, MemorySpill};
    use std::collections::BTreeMap;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// A spill that counts its reads.
    struct CountsReads {
        inner: Box<dyn Spill>,
        reads: Arc<AtomicUsize>,
    }

    impl CountsReads {
        fn over(inner: Box<dyn Spill>) -> (Box<CountsReads>, Arc<AtomicUsize>) {
            let reads = Arc::default();
            let spill = CountsReads {
                inner,
                reads: Arc::clone(&reads),
            };
            (Box::new(spill), reads)
        }
    }

    impl Spill for CountsReads {
        fn reserve(&mut self, len: usize) -> u64 {
            self.inner.reserve(len)
        }
        fn write_at(&mut self, at: u64, bytes: &[u8]) -> std::io::Result<()> {
            self.inner.write_at(at, bytes)
        }
        fn read(&self, at: u64, into: &mut [u8]) -> std::io::Result<()> {
            self.reads.fetch_add(1, Ordering::Relaxed);
            self.inner.read(at, into)
        }
        fn free(&mut self, handle: u64, len: usize) {
            self.inner.free(handle, len)
        }
    }

    fn values<K: Fixed + Ord + Into<u64>, V: Fixed>(r: &SortedRun<K, V>, key: K) -> Vec<V> {
        let mut v = Vec::new();
        r.for_each(key, |x| v.push(x)).unwrap();
        v
    }

    #[test]
    fn merges_keep_what_a_model_keeps_across_many_blocks() {
        // Blocks of 7 records, and merges larger than a chunk: records of one key span blocks,
        // and blocks straddle the chunks a merge reads and writes.
        let mut r: SortedRun<u64, u32> = SortedRun::new(Box::new(MemorySpill::default()), 7);
        let mut model: BTreeMap<u64, Vec<u32>> = BTreeMap::new();
        let mut next = 0u32;
        for round in 0..8u32 {
            let size = if round % 2 == 0 { 25_000 } else { 300 };
            let mut batch: Vec<(u64, u32)> = (0..size)
                .map(|i| {
                    next += 1;
                    let key = match i % 10 {
                        // A crowded key, keys at both ends, and a few hundred keys met often.
                        0 => 1 << 40,
                        1 => u64::from(next % 2) * u64::MAX,
                        2 | 3 => crate::memory::mix64(u64::from(next % 300)),
                        _ => crate::memory::mix64(u64::from(next) + 1_000),
                    };
                    (key, next)
                })
                .collect();
            // Sorted by key only: a batch's records of one key stay in the order they came.
            batch.sort_by_key(|&(k, _)| k);
            // Values below a rising mark are refused, and those ending in 3 always.
            let mark = round * 4_000;
            let keep = |v: u32| v >= mark && v % 10 != 3;
            r.merge(batch.iter().copied(), keep).unwrap();
            for values in model.values_mut() {
                values.retain(|&v| keep(v));
            }
            for &(k, v) in batch.iter().filter(|&&(_, v)| keep(v)) {
                model.entry(k).or_default().push(v);
            }
            model.retain(|_, values| !values.is_empty());
            assert_eq!(r.len(), model.values().map(Vec::len).sum::<usize>());
            if round % 3 == 2 || round == 7 {
                for (&k, want) in &model {
                    assert_eq!(&values(&r, k), want, "round {round}, key {k:x}");
                }
            }
        }
        assert!(r.len() > 3 * SortedRun::<u64, u32>::CHUNK, "{}", r.len());
        assert!(values(&r, 1 << 40).len() > 100, "a key across blocks");
        let absent = (0..20_000u64)
            .map(|i| crate::memory::mix64((i + 1) << 50))
            .filter(|k| !model.contains_key(k));
        assert!(absent.clone().count() > 19_000);
        assert!(absent.into_iter().all(|k| values(&r, k).is_empty()));
    }

    #[test]
    fn a_look_up_reads_one_block_unless_its_key_spans_blocks() {
        let (spill, reads) = CountsReads::over(Box::new(MemorySpill::default()));
        let mut r: SortedRun<u32, u32> = SortedRun::new(spill, 64);
        let records: Vec<(u32, u32)> = (0..10_000u32).map(|i| (i * 2, i)).collect();
        r.merge(records.iter().copied(), |_| true).unwrap();
        let reads_of = |r: &SortedRun<u32, u32>, key: u32| {
            let before = reads.load(Ordering::Relaxed);
            let found = values(r, key);
            (found, reads.load(Ordering::Relaxed) - before)
        };
        // Inside a block, the last of a block and the first: one read.
        assert_eq!(reads_of(&r, 2 * 100), (vec![100], 1));
        assert_eq!(reads_of(&r, 2 * 127), (vec![127], 1));
        assert_eq!(reads_of(&r, 2 * 128), (vec![128], 1));
        // Keys the filter refuses read nothing, but for about one in a hundred.
        let through: usize = (0..10_000u32).map(|i| reads_of(&r, i * 2 + 1).1).sum();
        assert!(through < 300, "{through} reads for 10,000 absent keys");
        // Once a key runs on from one block into the next, the look-up of a key that opens a
        // block reads the block before as well, where the key may begin.
        r.merge([(2 * 127, 1), (2 * 127, 2)].into_iter(), |_| true)
            .unwrap();
        assert_eq!(reads_of(&r, 2 * 127), (vec![127, 1, 2], 2));
        assert_eq!(reads_of(&r, 2 * 100), (vec![100], 1));
        assert_eq!(reads_of(&r, 2 * 190), (vec![190], 2));
    }

    #[test]
    fn a_failed_merge_keeps_the_run_findable_with_its_filter() {
        // Room for the first run and for part of the second merge's writes: it fails midway.
        let first: Vec<(u64, u32)> = (0..20_000u32)
            .map(|i| (crate::memory::mix64(u64::from(i)), i))
            .collect::<BTreeMap<_, _>>()
            .into_iter()
            .collect();
        let room = first.len() * 12 + CHUNK_BYTES + 1;
        let (spill, reads) = CountsReads::over(FillsUp::boxed(room));
        let mut r: SortedRun<u64, u32> = SortedRun::new(spill, 100);
        r.merge(first.iter().copied(), |_| true).unwrap();
        let second: Vec<(u64, u32)> = (20_000..60_000u32)
            .map(|i| (crate::memory::mix64(u64::from(i)), i))
            .collect::<BTreeMap<_, _>>()
            .into_iter()
            .collect();
        assert!(r.merge(second.iter().copied(), |_| true).is_err());
        assert!(r.has_filter(), "look-ups still pass the filter first");
        assert_eq!(r.len(), first.len());
        assert!(first.iter().all(|&(k, v)| values(&r, k) == [v]));
        let before = reads.load(Ordering::Relaxed);
        assert!(second.iter().all(|&(k, _)| values(&r, k).is_empty()));
        let through = reads.load(Ordering::Relaxed) - before;
        assert!(through < 1_200, "{through} reads for 40,000 absent keys");
    }
}
