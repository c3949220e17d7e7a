//! Sparse vectors kept sorted by term: the clusterer's story centroids.
//!
//! A story's centroid is read far more often than it is written (every candidate look-up takes a
//! dot product with it; only a join adds to it), and article vectors come sorted by term. So a
//! centroid is two parallel sorted arrays, and a dot product walks them forward with a galloping
//! search: contiguous memory the hardware prefetches, where a hash map costs a cache miss per term.

use crate::article::Term;

#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct SparseSum {
    terms: Vec<Term>,
    weights: Vec<f32>,
}

impl SparseSum {
    /// From entries in any order, with distinct terms.
    pub(crate) fn from_entries(mut entries: Vec<(Term, f32)>) -> Self {
        entries.sort_unstable_by_key(|&(t, _)| t);
        SparseSum {
            terms: entries.iter().map(|&(t, _)| t).collect(),
            weights: entries.iter().map(|&(_, w)| w).collect(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.terms.len()
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        self.terms.shrink_to_fit();
        self.weights.shrink_to_fit();
    }

    /// Bytes an entry takes in memory and in [`SparseSum::encode`].
    pub(crate) const ENTRY_BYTES: usize = 12;

    /// Appends the entries as bytes (terms, then weights, little-endian): the exact values.
    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.reserve(self.len() * Self::ENTRY_BYTES);
        for t in &self.terms {
            out.extend_from_slice(&t.raw().to_le_bytes());
        }
        for w in &self.weights {
            out.extend_from_slice(&w.to_le_bytes());
        }
    }

    /// Replaces the entries with the `bytes` of [`SparseSum::encode`], reusing the room.
    pub(crate) fn decode_from(&mut self, bytes: &[u8]) {
        let n = bytes.len() / Self::ENTRY_BYTES;
        let (terms, weights) = bytes.split_at(n * 8);
        self.terms.clear();
        self.weights.clear();
        self.terms.extend(
            terms
                .chunks_exact(8)
                .map(|b| Term::from_raw(u64::from_le_bytes(b.try_into().expect("8 bytes")))),
        );
        self.weights.extend(
            weights
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes(b.try_into().expect("4 bytes"))),
        );
    }

    pub(crate) fn get(&self, t: Term) -> Option<f32> {
        self.terms.binary_search(&t).ok().map(|i| self.weights[i])
    }

    /// The entries, in term order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (Term, f32)> + '_ {
        self.terms.iter().copied().zip(self.weights.iter().copied())
    }

    /// The first index at or after `from` whose term is not below `t`.
    fn seek(&self, from: usize, t: Term) -> usize {
        let terms = &self.terms[from..];
        // Gallop to a range that holds the answer, then search it.
        let mut hi = 1;
        while hi < terms.len() && terms[hi - 1] < t {
            hi *= 2;
        }
        let lo = hi / 2;
        let hi = hi.min(terms.len());
        from + lo + terms[lo..hi].partition_point(|&x| x < t)
    }

    /// The dot product with `v` (sorted by term), summed in `v`'s order.
    pub(crate) fn dot(&self, v: &[(Term, f32)]) -> f32 {
        self.dot_and_shared(v).0
    }

    /// The squared weights of `v`'s terms (sorted) that this sum holds.
    pub(crate) fn held_squares(&self, v: &[(Term, f32)]) -> f32 {
        let mut held = 0.0;
        self.for_each_shared(v, |_, w| held += w * w);
        held
    }

    /// [`SparseSum::dot`], and how many of `v`'s terms this sum holds.
    pub(crate) fn dot_and_shared(&self, v: &[(Term, f32)]) -> (f32, usize) {
        let (mut sum, mut shared) = (0.0, 0);
        self.for_each_shared(v, |mine, w| {
            sum += mine * w;
            shared += 1;
        });
        (sum, shared)
    }

    /// Calls `f` with this sum's weight and `v`'s for each term both hold, in `v`'s order (`v`
    /// sorted by term).
    fn for_each_shared(&self, v: &[(Term, f32)], mut f: impl FnMut(f32, f32)) {
        debug_assert!(v.windows(2).all(|p| p[0].0 < p[1].0), "sorted by term");
        let mut at = 0;
        for &(t, w) in v {
            at = self.seek(at, t);
            if at == self.terms.len() {
                break;
            }
            if self.terms[at] == t {
                f(self.weights[at], w);
            }
        }
    }

    /// Adds `v` (sorted by term). `each` sees every term of `v`, in order, with its weight
    /// before and after.
    pub(crate) fn add(&mut self, v: &[(Term, f32)], mut each: impl FnMut(Term, f32, f32)) {
        debug_assert!(v.windows(2).all(|p| p[0].0 < p[1].0), "sorted by term");
        let n = self.terms.len() + v.len();
        let mut terms = Vec::with_capacity(n);
        let mut weights = Vec::with_capacity(n);
        let mut i = 0;
        for &(t, w) in v {
            let next = self.seek(i, t);
            terms.extend_from_slice(&self.terms[i..next]);
            weights.extend_from_slice(&self.weights[i..next]);
            i = next;
            let old = if self.terms.get(i) == Some(&t) {
                i += 1;
                self.weights[i - 1]
            } else {
                0.0
            };
            each(t, old, old + w);
            terms.push(t);
            weights.push(old + w);
        }
        terms.extend_from_slice(&self.terms[i..]);
        weights.extend_from_slice(&self.weights[i..]);
        self.terms = terms;
        self.weights = weights;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A vector of terms given by their raw hashes.
    fn v(entries: &[(u64, f32)]) -> Vec<(Term, f32)> {
        entries
            .iter()
            .map(|&(t, w)| (Term::from_raw(t), w))
            .collect()
    }

    #[test]
    fn adds_and_dots_like_a_map() {
        let mut s = SparseSum::default();
        let mut seen = Vec::new();
        s.add(&v(&[(3, 1.0), (10, 2.0)]), |t, old, new| {
            seen.push((t.raw(), old, new))
        });
        s.add(&v(&[(1, 0.5), (10, 1.0), (40, 4.0)]), |t, old, new| {
            seen.push((t.raw(), old, new))
        });
        assert_eq!(
            seen,
            vec![
                (3, 0.0, 1.0),
                (10, 0.0, 2.0),
                (1, 0.0, 0.5),
                (10, 2.0, 3.0),
                (40, 0.0, 4.0)
            ]
        );
        assert_eq!(
            s.iter().collect::<Vec<_>>(),
            v(&[(1, 0.5), (3, 1.0), (10, 3.0), (40, 4.0)])
        );
        assert_eq!(s.get(Term::from_raw(10)), Some(3.0));
        assert_eq!(s.get(Term::from_raw(11)), None);
        assert_eq!(s.dot(&v(&[(0, 9.0), (3, 2.0), (40, 0.5), (99, 1.0)])), 4.0);
        assert_eq!(s.dot(&[]), 0.0);

        // A long vector: galloping must find every shared term.
        let long = SparseSum::from_entries(
            (0..10_000u64)
                .map(|t| (Term::from_raw(t * 3), 1.0))
                .collect(),
        );
        let v: Vec<(Term, f32)> = (0..500u64).map(|t| (Term::from_raw(t * 17), 1.0)).collect();
        let expected = v.iter().filter(|(t, _)| t.raw() % 3 == 0).count() as f32;
        assert_eq!(long.dot(&v), expected);
    }

    #[test]
    fn decodes_what_it_encodes_bit_for_bit() {
        let s = SparseSum::from_entries(v(&[(u64::MAX, -0.0), (7, 1.0e-30), (1 << 40, 0.1)]));
        let mut bytes = Vec::new();
        s.encode(&mut bytes);
        assert_eq!(bytes.len(), 3 * SparseSum::ENTRY_BYTES);
        let mut back = SparseSum::from_entries(v(&[(1, 1.0)]));
        back.decode_from(&bytes);
        assert_eq!(back, s);
        assert!(back
            .iter()
            .zip(s.iter())
            .all(|(a, b)| a.1.to_bits() == b.1.to_bits()));
        back.decode_from(&[]);
        assert_eq!(back.len(), 0);
    }
}
