//! A Bloom filter for what is written out (the archive's exact hashes, the copy window's older
//! bucket entries): memory keeps the filter, and a look-up reads the disk only when it lets a key
//! through.
//!
//! Blocked: a key's 7 bits are all in one 512-bit block, a cache line, so a look-up costs one
//! cache miss, not seven (a document looks up each of its 21 band keys). 10 bits a key: about 1
//! look-up in 100 of a key that is not there gets through.

/// Bits of the filter for each key.
const BITS_PER_KEY: usize = 10;

/// One block: the bits of the keys that land in it.
#[derive(Clone, Copy)]
#[repr(align(64))]
struct Line([u64; 8]);

pub(crate) struct Bloom {
    lines: Vec<Line>,
}

impl Bloom {
    /// Sized to the key count, not to a power of two (a key's block is its hash scaled to the
    /// number of blocks).
    pub(crate) fn for_keys(n: usize) -> Bloom {
        Bloom {
            lines: vec![Line([0; 8]); (n.max(1) * BITS_PER_KEY).div_ceil(512)],
        }
    }

    /// The block of `key` and its 7 bits there, each 9 bits of the key's hash.
    fn locate(&self, key: u64) -> (usize, impl Iterator<Item = usize>) {
        let h = crate::memory::mix64(key);
        let line = ((u128::from(h) * self.lines.len() as u128) >> 64) as usize;
        let bits = crate::memory::mix64(h ^ 0x5851_f42d_4c95_7f2d);
        (
            line,
            (0..7).map(move |i| ((bits >> (9 * i)) & 511) as usize),
        )
    }

    pub(crate) fn insert(&mut self, key: u64) {
        let (line, bits) = self.locate(key);
        let words = &mut self.lines[line].0;
        for b in bits {
            words[b / 64] |= 1 << (b % 64);
        }
    }

    pub(crate) fn may_contain(&self, key: u64) -> bool {
        let (line, mut bits) = self.locate(key);
        let words = &self.lines[line].0;
        bits.all(|b| words[b / 64] & (1 << (b % 64)) != 0)
    }

    /// Hints that `key` is looked up soon, so that the cache misses of several look-ups overlap.
    pub(crate) fn prefetch(&self, key: u64) {
        #[cfg(target_arch = "x86_64")]
        {
            let line: *const Line = &self.lines[self.locate(key).0];
            // SAFETY: a prefetch is only a hint; it reads nothing the program sees and cannot
            // fault, and the address is of a live block.
            unsafe {
                std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                    line.cast::<i8>(),
                )
            };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = key;
    }

    /// The bytes the filter takes.
    #[cfg(test)]
    pub(crate) fn bytes(&self) -> usize {
        self.lines.len() * std::mem::size_of::<Line>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_every_key_and_lets_few_others_through() {
        let n = 100_000u64;
        let mut f = Bloom::for_keys(n as usize);
        assert!(f.bytes() <= n as usize * BITS_PER_KEY / 8 + 64);
        // Keys that are not well spread: the filter mixes them itself.
        for k in 0..n {
            f.insert(k * 3);
        }
        assert!((0..n).all(|k| f.may_contain(k * 3)));
        let through = (0..n).filter(|k| f.may_contain(k * 3 + 1)).count();
        assert!(
            through < n as usize / 50,
            "{through} of {n} absent keys got through"
        );
    }
}
