//! Fingerprints for copy detection: word shingles and one-permutation MinHash signatures.
//!
//! A plain MinHash with `K` permutations costs `K` hash evaluations per shingle, and that
//! arithmetic is the first wall at corpus speed. We use **one-permutation hashing** (Li, Owen &
//! Zhang 2012): each shingle hash is computed once; its top bits pick one of [`SIG_LEN`] bins and
//! the rest is its value; a bin keeps its minimum. Bins no shingle fell into are filled by
//! **optimal densification** (Shrivastava 2017): an empty bin copies the value of the first non-empty
//! bin on a probe sequence that depends only on the bin number, so two documents densify alike and
//! the fraction of equal bins stays an unbiased estimate of the Jaccard similarity of their shingle
//! sets. The cost is one hash per shingle whatever `K` is.
//!
//! Values are kept as `u32` (a 512-byte signature): two different shingles share a value with
//! probability 2⁻³², which is far below the estimator's own variance. The online copy window keeps
//! [`Signature16`], 16 bits of each value (256 bytes), as b-bit MinHash does (Li & König 2010).

use crate::article::mix64;

/// Number of bins (hash values) in a signature.
pub const SIG_LEN: usize = 128;
const BIN_BITS: u32 = SIG_LEN.trailing_zeros();

/// A MinHash signature.
#[derive(Clone, PartialEq, Eq)]
pub struct Signature(pub [u32; SIG_LEN]);

impl std::fmt::Debug for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signature({:08x}…)", self.0[0])
    }
}

impl Signature {
    /// The signature of a document with no shingles: matches nothing but another empty document.
    pub const EMPTY: Signature = Signature([u32::MAX; SIG_LEN]);

    /// Whether it is [`Signature::EMPTY`] (the text had no shingle).
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|&v| v == u32::MAX)
    }

    /// The estimated Jaccard similarity: the fraction of equal bins.
    pub fn jaccard(&self, other: &Signature) -> f32 {
        equal_fraction(&self.0, &other.0)
    }

    /// The bins as stored: 4 bytes each, little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// A signature from [`Signature::to_bytes`]; `None` when the length is not a signature's.
    pub fn from_bytes(bytes: &[u8]) -> Option<Signature> {
        if bytes.len() != SIG_LEN * 4 {
            return None;
        }
        let mut sig = [0u32; SIG_LEN];
        for (v, c) in sig.iter_mut().zip(bytes.chunks_exact(4)) {
            *v = u32::from_le_bytes(c.try_into().ok()?);
        }
        Some(Signature(sig))
    }
}

/// A signature cut to 16 bits a bin: what the copy window keeps of a document.
///
/// Each bin keeps 16 bits of a hash of its value *and its place*: equal values stay equal, and two
/// bins that differ agree once in 65,536, independently of the other bins. (Cutting the value
/// alone is not enough: a text of at most one shingle has one value in all 128 bins, so two such
/// texts would agree everywhere once in 65,536, and among a few hundred short texts some pair
/// would pass for copies.) That raises the estimate by 2⁻¹⁶ of the differing fraction: nothing
/// for a decision at the 0.8 threshold, except for a pair one bin short of it (102 of 128 equal),
/// which one of its 26 differing bins lifts over it with probability 26 / 65,536.
#[derive(Clone, PartialEq, Eq)]
pub struct Signature16(pub [u16; SIG_LEN]);

impl Signature16 {
    /// The 16-bit cut of a signature.
    pub fn of(sig: &Signature) -> Signature16 {
        Signature16(std::array::from_fn(|i| {
            (mix64(u64::from(sig.0[i]) | (i as u64) << 32) >> 48) as u16
        }))
    }

    /// The estimated Jaccard similarity: the fraction of equal bins.
    pub fn jaccard(&self, other: &Signature16) -> f32 {
        equal_fraction(&self.0, &other.0)
    }

    /// Its bytes: each bin, little-endian.
    pub fn to_le_bytes(&self) -> [u8; 2 * SIG_LEN] {
        let mut bytes = [0u8; 2 * SIG_LEN];
        for (b, v) in bytes.chunks_exact_mut(2).zip(&self.0) {
            b.copy_from_slice(&v.to_le_bytes());
        }
        bytes
    }

    /// A signature from [`Signature16::to_le_bytes`].
    pub fn from_le_bytes(bytes: &[u8; 2 * SIG_LEN]) -> Signature16 {
        Signature16(std::array::from_fn(|i| {
            u16::from_le_bytes([bytes[2 * i], bytes[2 * i + 1]])
        }))
    }
}

/// The fraction of equal bins of two signatures.
#[inline]
fn equal_fraction<T: PartialEq>(a: &[T; SIG_LEN], b: &[T; SIG_LEN]) -> f32 {
    let equal = a.iter().zip(b).filter(|(x, y)| x == y).count();
    equal as f32 / SIG_LEN as f32
}

/// Calls `f` with the hash of every `k`-word shingle of `words` (word hashes, in order). A text
/// shorter than `k` words yields one shingle of all its words; an empty text yields none.
#[inline]
pub fn for_each_shingle(words: &[u64], k: usize, mut f: impl FnMut(u64)) {
    if words.is_empty() {
        return;
    }
    let k = k.clamp(1, words.len());
    for window in words.windows(k) {
        let mut acc: u64 = 0x9e37_79b9_7f4a_7c15;
        for &w in window {
            acc = (acc.rotate_left(27) ^ w).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
        f(mix64(acc));
    }
}

/// The exact-copy hash of a document given its word hashes: equal for texts with the same
/// normalized words in the same order.
pub fn exact_hash(words: &[u64]) -> u64 {
    words
        .iter()
        .fold(0x1234_5678_9abc_def0_u64, |h, &w| mix64(h ^ w))
}

/// Computes the signature of a document given its word hashes.
pub fn signature(words: &[u64], shingle: usize) -> Signature {
    let mut sig = [u32::MAX; SIG_LEN];
    let mut any = false;
    for_each_shingle(words, shingle, |h| {
        let bin = (h >> (64 - BIN_BITS)) as usize;
        let value = h as u32;
        if value < sig[bin] {
            sig[bin] = value;
        }
        any = true;
    });
    if !any {
        return Signature::EMPTY;
    }
    densify(&mut sig);
    Signature(sig)
}

/// Optimal densification: every empty bin takes the value of the first non-empty bin on its own
/// fixed probe sequence.
fn densify(sig: &mut [u32; SIG_LEN]) {
    let filled: [bool; SIG_LEN] = std::array::from_fn(|i| sig[i] != u32::MAX);
    if filled.iter().all(|&f| f) {
        return;
    }
    for bin in 0..SIG_LEN {
        if filled[bin] {
            continue;
        }
        let mut attempt: u64 = 1;
        loop {
            let probe = (mix64((bin as u64) << 32 | attempt) % SIG_LEN as u64) as usize;
            if filled[probe] {
                sig[bin] = sig[probe];
                break;
            }
            attempt += 1;
        }
    }
}

/// How many elements two sorted, deduplicated slices share (one merge pass).
pub fn intersection_size<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common
}

/// The exact Jaccard similarity of two sorted, deduplicated sets of shingle hashes.
pub fn exact_jaccard<T: Ord>(a: &[T], b: &[T]) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let common = intersection_size(a, b);
    common as f32 / (a.len() + b.len() - common) as f32
}

/// The sorted, deduplicated shingle hashes of a document.
pub fn shingle_set(words: &[u64], shingle: usize) -> Vec<u64> {
    let mut v = Vec::with_capacity(words.len());
    for_each_shingle(words, shingle, |h| v.push(h));
    v.sort_unstable();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::word_hashes;

    fn words(n: usize, seed: u64) -> Vec<u64> {
        (0..n as u64)
            .map(|i| mix64(i.wrapping_mul(7919) ^ seed))
            .collect()
    }

    #[test]
    fn identical_texts_have_identical_signatures() {
        let a = word_hashes("the quick brown fox jumps over the lazy dog again and again");
        assert_eq!(signature(&a, 5), signature(&a, 5));
        assert_eq!(signature(&a, 5).jaccard(&signature(&a, 5)), 1.0);
    }

    #[test]
    fn estimate_tracks_exact_jaccard() {
        // Two 600-word documents that share a 500-word run, at many offsets of the estimator.
        let base = words(1000, 1);
        let a = &base[0..600];
        let b = &base[100..700];
        let exact = exact_jaccard(&shingle_set(a, 5), &shingle_set(b, 5));
        let est = signature(a, 5).jaccard(&signature(b, 5));
        assert!((exact - est).abs() < 0.12, "exact {exact} estimate {est}");
        let unrelated = signature(&words(600, 2), 5).jaccard(&signature(a, 5));
        assert!(unrelated < 0.05, "{unrelated}");
    }

    #[test]
    fn sixteen_bit_estimate_agrees_with_the_full_one() {
        // Pairs from near copies to strangers: a 16-bit bin equal where the full bins differ is
        // a 1-in-65,536 event, so over these pairs the estimates agree all but rarely, and never
        // by less.
        let base = words(2000, 5);
        let (mut pairs, mut differ) = (0, 0);
        for offset in (0..1000).step_by(20) {
            let (a, b) = (&base[0..800], &base[offset..offset + 800]);
            let (sa, sb) = (signature(a, 5), signature(b, 5));
            let full = sa.jaccard(&sb);
            let short = Signature16::of(&sa).jaccard(&Signature16::of(&sb));
            assert!(short >= full, "offset {offset}: {short} < {full}");
            assert!(short - full <= 2.0 / SIG_LEN as f32, "offset {offset}");
            pairs += 1;
            differ += usize::from(short != full);
        }
        assert!(differ <= 1, "{differ} of {pairs} pairs");
    }

    #[test]
    fn short_texts_do_not_pass_for_copies_in_sixteen_bits() {
        // A text of one shingle has the same value in every bin. 3,000 distinct ones: cutting the
        // values alone made ~60 pairs agree in all 128 bins (N² / 2 / 65,536).
        let sigs: Vec<Signature16> = (0..3000)
            .map(|i| Signature16::of(&signature(&words(3, 1000 + i), 5)))
            .collect();
        let mut seen = std::collections::HashSet::new();
        for (i, s) in sigs.iter().enumerate() {
            assert!(
                seen.insert(s.0),
                "text {i} agrees with another in every bin"
            );
        }
        let most = (1..sigs.len())
            .map(|i| sigs[i].jaccard(&sigs[i - 1]))
            .fold(0.0f32, f32::max);
        assert!(most < 0.1, "{most}");
    }

    #[test]
    fn short_documents_are_densified() {
        let a = words(8, 3);
        let sig = signature(&a, 5);
        assert!(sig.0.iter().all(|&v| v != u32::MAX));
        assert!(signature(&[], 5).is_empty());
    }

    #[test]
    fn bytes_round_trip() {
        let sig = signature(&words(50, 4), 5);
        assert_eq!(Signature::from_bytes(&sig.to_bytes()), Some(sig));
    }
}
