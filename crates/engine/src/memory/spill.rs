//! Where warm stories' term vectors wait when memory is short.
//!
//! A burst of news (an election night, a disaster) creates thousands of stories within hours, and
//! every one stays warm, and in memory, for the story window. Their centroids are most of the
//! clusterer's memory (~5 KiB a story), so a burst would set the peak of a whole stream. With a
//! [`Spill`], the clusterer keeps at most a budget of centroid bytes in memory, the stories joined
//! most recently, and writes the others out as bytes; a candidate look-up reads a spilled centroid
//! back into a scratch buffer, and a join brings it back into memory. The bytes are the exact
//! values, so decisions do not change.
//!
//! The engine does no I/O: the application gives it a [`Spill`] (a temporary file); the
//! [`MemorySpill`] here serves tests and callers without a disk.

/// Storage for spilled byte strings: written once, read any number of times, freed once. A
/// handle is the string's offset in the spill area, so a read may start inside a string
/// (`handle + offset`), and a long string can be written in pieces.
pub trait Spill: Send {
    /// A place for `len` bytes, to fill with [`Spill::write_at`].
    fn reserve(&mut self, len: usize) -> u64;
    /// Writes `bytes` at `at`, inside a place [`Spill::reserve`] gave.
    fn write_at(&mut self, at: u64, bytes: &[u8]) -> std::io::Result<()>;
    /// Reads `into.len()` bytes from `at` into `into`.
    fn read(&self, at: u64, into: &mut [u8]) -> std::io::Result<()>;
    /// Gives back the place of `len` bytes at `handle`.
    fn free(&mut self, handle: u64, len: usize);

    /// Stores `bytes`; returns the handle to read or free them by.
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<u64> {
        let at = self.reserve(bytes.len());
        match self.write_at(at, bytes) {
            Ok(()) => Ok(at),
            Err(e) => {
                self.free(at, bytes.len());
                Err(e)
            }
        }
    }
}

/// Places in a spill area for byte strings, in power-of-two size classes from 256 bytes, with the
/// freed places of each class reused first: the area stays within about twice the most bytes
/// ever spilled at once.
#[derive(Debug, Default)]
pub struct SpillPlaces {
    end: u64,
    free: Vec<Vec<u64>>,
}

const SMALLEST_CLASS: u32 = 8;

impl SpillPlaces {
    fn class(len: usize) -> usize {
        let bits = usize::BITS - len.max(1).saturating_sub(1).leading_zeros();
        bits.max(SMALLEST_CLASS).saturating_sub(SMALLEST_CLASS) as usize
    }

    /// A place for `len` bytes: a freed one of its class, else a new one at the end.
    pub fn take(&mut self, len: usize) -> u64 {
        let class = Self::class(len);
        if let Some(at) = self.free.get_mut(class).and_then(Vec::pop) {
            return at;
        }
        let at = self.end;
        self.end += 1u64 << (class as u32 + SMALLEST_CLASS);
        at
    }

    /// Gives back the place `at` of `len` bytes.
    pub fn give_back(&mut self, at: u64, len: usize) {
        let class = Self::class(len);
        if self.free.len() <= class {
            self.free.resize_with(class + 1, Vec::new);
        }
        self.free[class].push(at);
    }

    /// The size of the area: the end of the last place handed out.
    pub fn end(&self) -> u64 {
        self.end
    }
}

/// A [`Spill`] in memory: for tests, and for callers that want the clusterer's behaviour with a
/// budget but have no disk to spare.
#[derive(Debug, Default)]
pub struct MemorySpill {
    places: SpillPlaces,
    area: Vec<u8>,
}

impl Spill for MemorySpill {
    fn reserve(&mut self, len: usize) -> u64 {
        let at = self.places.take(len);
        let end = self.places.end() as usize;
        if self.area.len() < end {
            self.area.resize(end, 0);
        }
        at
    }

    fn write_at(&mut self, at: u64, bytes: &[u8]) -> std::io::Result<()> {
        let at = at as usize;
        self.area
            .get_mut(at..at + bytes.len())
            .ok_or_else(|| {
                std::io::Error::new(std::io::ErrorKind::InvalidInput, "beyond the spill area")
            })?
            .copy_from_slice(bytes);
        Ok(())
    }

    fn read(&self, handle: u64, into: &mut [u8]) -> std::io::Result<()> {
        let at = handle as usize;
        let bytes = self.area.get(at..at + into.len()).ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "beyond the spill area")
        })?;
        into.copy_from_slice(bytes);
        Ok(())
    }

    fn free(&mut self, handle: u64, len: usize) {
        self.places.give_back(handle, len);
    }
}

/// A spill whose disk holds `room` bytes of writes, then fails every write: for tests of a full
/// disk.
#[cfg(test)]
pub(crate) struct FillsUp {
    inner: MemorySpill,
    room: usize,
}

#[cfg(test)]
impl FillsUp {
    pub(crate) fn boxed(room: usize) -> Box<FillsUp> {
        Box::new(FillsUp {
            inner: MemorySpill::default(),
            room,
        })
    }
}

#[cfg(test)]
impl Spill for FillsUp {
    fn reserve(&mut self, len: usize) -> u64 {
        self.inner.reserve(len)
    }
    fn write_at(&mut self, at: u64, bytes: &[u8]) -> std::io::Result<()> {
        self.room = self
            .room
            .checked_sub(bytes.len())
            .ok_or_else(|| std::io::Error::other("no space left"))?;
        self.inner.write_at(at, bytes)
    }
    fn read(&self, at: u64, into: &mut [u8]) -> std::io::Result<()> {
        self.inner.read(at, into)
    }
    fn free(&mut self, handle: u64, len: usize) {
        self.inner.free(handle, len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_of_a_class_are_reused_and_classes_do_not_overlap() {
        let mut p = SpillPlaces::default();
        let a = p.take(100); // 256-byte class
        let b = p.take(1025); // 2 KiB class
        let c = p.take(1024);
        assert_eq!((a, b, c), (0, 256, 2304));
        assert_eq!(p.end(), 3328);
        p.give_back(b, 1500);
        assert_eq!(
            p.take(2000),
            b,
            "a freed 2 KiB place serves the next 2 KiB string"
        );
        assert_eq!(p.take(2000), 3328, "and only once");
        p.give_back(a, 100);
        assert_eq!(
            p.take(5000),
            5376,
            "a bigger string does not take a small place"
        );
        assert_eq!(p.take(1), a);
    }

    #[test]
    fn memory_spill_reads_back_what_was_written() {
        let mut s = MemorySpill::default();
        let x = s.write(&[1, 2, 3]).unwrap();
        let y = s.write(&[9; 3000]).unwrap();
        let mut buf = [0u8; 3];
        s.read(x, &mut buf).unwrap();
        assert_eq!(buf, [1, 2, 3]);
        s.free(x, 3);
        let z = s.write(&[7, 7]).unwrap();
        assert_eq!(z, x, "the freed place is reused");
        let mut big = vec![0u8; 3000];
        s.read(y, &mut big).unwrap();
        assert!(big.iter().all(|&b| b == 9), "other strings are untouched");
    }
}
