//! Near-duplicate detection over a whole corpus at once: the algorithm under `samestory dedup`.
//!
//! The online copy index ([`crate::copies`]) decides article by article, in order, with a window.
//! A corpus builder has every article up front and wants every pair above a threshold, so this
//! module works in bulk, in three steps that the caller drives (it does the reading, and may read
//! its input again between them so that texts never sit in memory together):
//!
//! 1. [`candidate_pairs`]: LSH banding over all [`Signature`]s, a band at a time (the `b` bands
//!    of `r` rows of the MMDS book, [`Banding::for_threshold`]), plus every pair with the same
//!    [`exact_hash`]. A banded pair becomes a candidate when its estimated Jaccard similarity is at
//!    least the floor (the threshold minus [`ESTIMATE_MARGIN`]).
//! 2. [`Verifier`]: the exact Jaccard similarity of every candidate pair, from sorted 32-bit
//!    shingle sets ([`shingle_set`]) offered in document order; a set is held only until its
//!    last partner has been offered.
//! 3. [`families`]: verified pairs joined into copy families (union-find); each family's original
//!    is its earliest published member, then the first in the input.
//!
//! Documents are dense indexes `0..n` in input order.
//!
//! ```
//! use samestory_engine::batch::{candidate_pairs, exact_hash, families, shingle_set, Verifier};
//! use samestory_engine::copies::Banding;
//! use samestory_engine::copies::fingerprint::signature;
//! use samestory_engine::text::word_hashes;
//!
//! let texts = [
//!     "the council voted on tuesday to close the old bridge for repairs until march next year",
//!     "the council voted on tuesday to close the old bridge for repairs until april next year",
//!     "a completely different article about the weather and the harvest in the valley this week",
//! ];
//! let words: Vec<Vec<u64>> = texts.iter().map(|t| word_hashes(t)).collect();
//! let signatures: Vec<_> = words.iter().map(|w| signature(w, 3)).collect();
//! let mut exact: Vec<(u64, u32)> =
//!     words.iter().enumerate().map(|(d, w)| (exact_hash(w), d as u32)).collect();
//! let candidates = candidate_pairs(&signatures, &mut exact, Banding::for_threshold(0.5), 0.35);
//!
//! let mut verifier = Verifier::new(candidates, 0.5);
//! for (d, w) in words.iter().enumerate() {
//!     if verifier.involves(d as u32) {
//!         verifier.offer(d as u32, shingle_set(w, 3));
//!     }
//! }
//! let verified = verifier.into_verified();
//! let fams = families(texts.len(), &verified, |_| None);
//! assert_eq!(fams.len(), 1);
//! assert_eq!((fams[0].original, fams[0].members.as_slice()), (0, &[0, 1][..]));
//! ```

use crate::copies::fingerprint::{exact_jaccard, for_each_shingle, Signature};
use crate::copies::Banding;
use rustc_hash::FxHashMap;

/// How far below the threshold an estimate may fall and still be verified: four standard
/// deviations of the 128-bin estimate at J = 0.8, so the estimate's noise costs no recall.
pub const ESTIMATE_MARGIN: f32 = 0.15;

/// The hash of a text's whole word sequence, the one the online copy index uses: batch dedup
/// only compares it for equality, so one fold serves both.
pub use crate::copies::fingerprint::exact_hash;

/// Sorted, distinct 32-bit hashes of the `k`-word shingles: half the memory of 64-bit ones; a
/// collision between two shingles of one pair (p ≈ n²/2³³ for n shingles, under 10⁻⁴ for news)
/// moves J by 1/n at most.
pub fn shingle_set(words: &[u64], k: usize) -> Vec<u32> {
    let mut v = Vec::with_capacity(words.len());
    for_each_shingle(words, k, |h| v.push((h >> 32) as u32 ^ h as u32));
    v.sort_unstable();
    v.dedup();
    v
}

/// LSH in bulk: for each band, the (bucket key, document) pairs of all documents are sorted, and
/// documents sharing a key become candidates when their estimated similarity reaches `floor`; so
/// do documents with the same exact hash (`exact`: (hash, document), sorted here). A sorted array
/// a band costs 12 bytes a document, where a hash map of buckets holding every band at once costs
/// over 60. Empty signatures (texts shorter than a shingle) are in no band. Returns the distinct
/// pairs `(a, b)`, `a < b`, sorted.
///
/// `map_bands` runs the per-band work; the bands are independent, so the caller may run them in
/// parallel (the app passes rayon's `into_par_iter`; the engine has no threads of its own), and
/// [`candidate_pairs`] runs them in turn. The answer is the same either way.
pub fn candidate_pairs_with(
    signatures: &[Signature],
    exact: &mut [(u64, u32)],
    banding: Banding,
    floor: f32,
    map_bands: impl FnOnce(usize, &(dyn Fn(usize) -> Vec<(u32, u32)> + Sync)) -> Vec<Vec<(u32, u32)>>,
) -> Vec<(u32, u32)> {
    let pairs_in_runs = |keys: &[(u64, u32)], check: bool| -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for run in keys.chunk_by(|x, y| x.0 == y.0) {
            for (i, &(_, a)) in run.iter().enumerate() {
                for &(_, b) in &run[i + 1..] {
                    let (a, b) = (a.min(b), a.max(b));
                    if !check || signatures[a as usize].jaccard(&signatures[b as usize]) >= floor {
                        out.push((a, b));
                    }
                }
            }
        }
        out
    };
    exact.sort_unstable();
    let mut all = pairs_in_runs(exact, false);
    let one_band = |band: usize| {
        let mut keys: Vec<(u64, u32)> = signatures
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.is_empty())
            .map(|(d, s)| (banding.key(&s.0, band), d as u32))
            .collect();
        keys.sort_unstable();
        let mut pairs = pairs_in_runs(&keys, true);
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    };
    for p in map_bands(banding.bands, &one_band) {
        all.extend(p);
    }
    all.sort_unstable();
    all.dedup();
    all
}

/// [`candidate_pairs_with`], one band after the other.
pub fn candidate_pairs(
    signatures: &[Signature],
    exact: &mut [(u64, u32)],
    banding: Banding,
    floor: f32,
) -> Vec<(u32, u32)> {
    candidate_pairs_with(signatures, exact, banding, floor, |bands, one_band| {
        (0..bands).map(one_band).collect()
    })
}

/// Checks candidate pairs exactly, from shingle sets offered in document order.
///
/// Each pair `(a, b)`, `a < b`, is checked when `b` is offered, against `a`'s set held since `a`
/// was offered; a set is dropped once its last pair has been checked, so memory follows the
/// pairs that span the current position, not the corpus.
pub struct Verifier {
    /// Candidate pairs sorted by their later document.
    pairs: Vec<(u32, u32)>,
    /// The next pair to check.
    at: usize,
    /// Pairs left to check of each held (or still to come) earlier document.
    remaining: FxHashMap<u32, u32>,
    held: FxHashMap<u32, Vec<u32>>,
    involved: FxHashMap<u32, ()>,
    threshold: f32,
    verified: Vec<(u32, u32, f32)>,
}

impl Verifier {
    /// A verifier of `candidates` (pairs `(a, b)`, `a < b`) keeping those at `threshold` or above.
    pub fn new(mut candidates: Vec<(u32, u32)>, threshold: f32) -> Verifier {
        candidates.sort_unstable_by_key(|&(a, b)| (b, a));
        candidates.dedup();
        let mut remaining: FxHashMap<u32, u32> = FxHashMap::default();
        let mut involved = FxHashMap::default();
        for &(a, b) in &candidates {
            *remaining.entry(a).or_default() += 1;
            involved.insert(a, ());
            involved.insert(b, ());
        }
        Verifier {
            pairs: candidates,
            at: 0,
            remaining,
            held: FxHashMap::default(),
            involved,
            threshold,
            verified: Vec::new(),
        }
    }

    /// Whether any candidate pair needs this document's shingle set.
    pub fn involves(&self, doc: u32) -> bool {
        self.involved.contains_key(&doc)
    }

    /// Whether there are candidates at all (if not, the texts need not be read again).
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The shingle set of `doc`; documents must be offered in increasing order (those that
    /// [`Verifier::involves`] at least).
    pub fn offer(&mut self, doc: u32, set: Vec<u32>) {
        while self.at < self.pairs.len() && self.pairs[self.at].1 == doc {
            let a = self.pairs[self.at].0;
            if let Some(sa) = self.held.get(&a) {
                let j = exact_jaccard(sa, &set);
                if j >= self.threshold {
                    self.verified.push((a, doc, j));
                }
            }
            let left = self.remaining.get_mut(&a).expect("counted");
            *left -= 1;
            if *left == 0 {
                self.held.remove(&a);
            }
            self.at += 1;
        }
        if self.remaining.get(&doc).is_some_and(|&n| n > 0) {
            self.held.insert(doc, set);
        }
    }

    /// The pairs at or above the threshold, `(a, b, jaccard)`, ordered by `b` then `a`.
    pub fn into_verified(self) -> Vec<(u32, u32, f32)> {
        self.verified
    }
}

/// Disjoint sets of documents; a set's root is its smallest member.
pub struct UnionFind(Vec<u32>);

impl UnionFind {
    /// `n` documents, each alone.
    pub fn new(n: usize) -> UnionFind {
        UnionFind((0..n as u32).collect())
    }

    /// The root of `x`'s set (halving the path on the way).
    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.0[x as usize] != x {
            let parent = self.0[self.0[x as usize] as usize];
            self.0[x as usize] = parent;
            x = parent;
        }
        x
    }

    /// Joins the sets of `a` and `b`.
    pub fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.0[hi as usize] = lo;
        }
    }
}

/// A copy family: documents joined by verified pairs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Family {
    /// The earliest published member, then the first in the input.
    pub original: u32,
    /// Every member (the original too), sorted.
    pub members: Vec<u32>,
}

/// The copy families of `n` documents joined by `verified` pairs, sorted by original.
/// `published(d)` is a document's date (`None` sorts after every date).
pub fn families(
    n: usize,
    verified: &[(u32, u32, f32)],
    published: impl Fn(u32) -> Option<i64>,
) -> Vec<Family> {
    let mut uf = UnionFind::new(n);
    for &(a, b, _) in verified {
        uf.union(a, b);
    }
    let mut by_root: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for &(a, b, _) in verified {
        for d in [a, b] {
            by_root.entry(uf.find(d)).or_default().push(d);
        }
    }
    let mut out: Vec<Family> = by_root
        .into_values()
        .map(|mut members| {
            members.sort_unstable();
            members.dedup();
            let original = *members
                .iter()
                .min_by_key(|&&d| (published(d).unwrap_or(i64::MAX), d))
                .expect("non-empty");
            Family { original, members }
        })
        .collect();
    out.sort_unstable_by_key(|f| f.original);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::copies::fingerprint::signature;
    use crate::text::word_hashes;

    fn words(t: &str) -> Vec<u64> {
        word_hashes(t)
    }

    #[test]
    fn exact_copies_are_candidates_even_when_too_short_for_a_band() {
        // Two words: no 5-word shingle, an empty signature, yet the same exact hash.
        let w = [words("hello world"), words("hello world"), words("other")];
        let sigs: Vec<_> = w.iter().map(|w| signature(w, 5)).collect();
        let mut exact: Vec<_> = w
            .iter()
            .enumerate()
            .map(|(d, w)| (exact_hash(w), d as u32))
            .collect();
        let pairs = candidate_pairs(&sigs, &mut exact, Banding::for_threshold(0.8), 0.65);
        assert_eq!(pairs, vec![(0, 1)]);
    }

    #[test]
    fn candidates_are_distinct_ordered_pairs() {
        let base = "one two three four five six seven eight nine ten eleven twelve thirteen";
        let w: Vec<_> = (0..4).map(|_| words(base)).collect();
        let sigs: Vec<_> = w.iter().map(|w| signature(w, 3)).collect();
        let mut exact: Vec<_> = w
            .iter()
            .enumerate()
            .map(|(d, w)| (exact_hash(w), d as u32))
            .collect();
        let pairs = candidate_pairs(&sigs, &mut exact, Banding::for_threshold(0.8), 0.65);
        assert_eq!(pairs, vec![(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]);
    }

    #[test]
    fn verifier_keeps_only_pairs_at_the_threshold_and_frees_sets() {
        let sets = [vec![1, 2, 3, 4], vec![1, 2, 3, 5], vec![7, 8, 9, 10]];
        // J(0,1) = 3/5 = 0.6, J(0,2) = 0.
        let mut v = Verifier::new(vec![(0, 2), (0, 1), (0, 1)], 0.6);
        assert!(v.involves(0) && v.involves(2) && !v.is_empty());
        for (d, s) in sets.iter().enumerate() {
            v.offer(d as u32, s.clone());
        }
        assert!(v.held.is_empty(), "every set dropped after its last pair");
        assert_eq!(v.into_verified(), vec![(0, 1, 0.6)]);
    }

    #[test]
    fn union_find_roots_are_the_smallest_member() {
        let mut uf = UnionFind::new(6);
        uf.union(4, 5);
        uf.union(5, 2);
        uf.union(1, 0);
        assert_eq!(uf.find(5), 2);
        assert_eq!(uf.find(4), 2);
        assert_eq!(uf.find(1), 0);
        assert_eq!(uf.find(3), 3);
    }

    #[test]
    fn a_family_original_is_the_earliest_then_the_first() {
        let verified = [(0, 1, 0.9), (1, 2, 0.9), (3, 4, 0.85)];
        let dates = [Some(30), None, Some(10), None, None];
        let fams = families(5, &verified, |d| dates[d as usize]);
        assert_eq!(
            fams,
            vec![
                Family {
                    original: 2,
                    members: vec![0, 1, 2]
                },
                Family {
                    original: 3,
                    members: vec![3, 4]
                },
            ]
        );
    }

    #[test]
    fn shingle_sets_are_sorted_and_distinct() {
        let s = shingle_set(&words("a b a b a b"), 2);
        assert!(s.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(s.len(), 2, "shingles `a b` and `b a`");
    }
}
