//! Sentence similarity: how much of one sentence another carries, words weighted by rarity.
//!
//! Alignment ([`super::align`]) finds copied runs of seven words or more. Rewritten sentences
//! (same facts, words reordered, a clause dropped) share words but no long run; for them we weigh
//! each shared word by its inverse sentence frequency in the collection at hand (the story, or the
//! corpus under test), so that sharing "the", "said" and "of" counts for little and sharing
//! "Kyiv", "isolated" and "China" for much.

use super::words::Words;
use rustc_hash::FxHashMap;

/// Share of a sentence's weight another sentence must carry for the two to count as the same
/// content. Chosen on the MSRP training pairs (best accuracy of the sweep in
/// `docs/analysis-eval.md`; the held-out test pairs were not used).
pub const SIM_THRESHOLD: f32 = 0.5;

/// Inverse sentence frequencies of words (stem hashes).
#[derive(Clone, Debug, Default)]
pub struct Idf {
    df: FxHashMap<u64, u32>,
    n: u32,
}

impl Idf {
    /// Counts, for every word, the sentences holding it. `sentences` are sets (sorted, distinct).
    pub fn from_sets<'a>(sentences: impl IntoIterator<Item = &'a [u64]>) -> Self {
        let mut idf = Idf::default();
        for s in sentences {
            idf.n += 1;
            for &k in s {
                *idf.df.entry(k).or_insert(0) += 1;
            }
        }
        idf
    }

    /// `ln((n + 1) / (df + 0.5))`, at least 0.05: unseen words weigh most.
    pub fn weight(&self, key: u64) -> f32 {
        let df = self.df.get(&key).copied().unwrap_or(0) as f32;
        (((self.n as f32) + 1.0) / (df + 0.5)).ln().max(0.05)
    }
}

/// The distinct stem hashes of a text, sorted.
pub fn word_set(text: &str) -> Vec<u64> {
    let mut s = Words::new(text).keys;
    s.sort_unstable();
    s.dedup();
    s
}

/// Weight of the words of `a` found in `b`, over the weight of `a` (sets as from [`word_set`]).
pub fn coverage(a: &[u64], b: &[u64], idf: &Idf) -> f32 {
    let (mut i, mut j) = (0, 0);
    let (mut shared, mut total) = (0.0f32, 0.0f32);
    while i < a.len() {
        let w = idf.weight(a[i]);
        total += w;
        while j < b.len() && b[j] < a[i] {
            j += 1;
        }
        if j < b.len() && b[j] == a[i] {
            shared += w;
        }
        i += 1;
    }
    if total == 0.0 {
        0.0
    } else {
        shared / total
    }
}

/// Whether two sentences say the same thing: each carries at least [`SIM_THRESHOLD`] of the
/// other's weight, or an aligned passage covers at least half the words of both.
pub fn sentences_match(a: &str, b: &str, idf: &Idf) -> bool {
    let (sa, sb) = (word_set(a), word_set(b));
    if coverage(&sa, &sb, idf).min(coverage(&sb, &sa, idf)) >= SIM_THRESHOLD {
        return true;
    }
    let (wa, wb) = (Words::new(a).len().max(1), Words::new(b).len().max(1));
    super::align::align_pair(a, b)
        .iter()
        .any(|p| p.words * 2 >= wa && p.words * 2 >= wb)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_words_decide() {
        let sents = [
            "the man said the thing",
            "the woman said the other thing",
            "Russia is increasingly isolated and depends on China",
            "the official said Russia is isolated and depends on China now",
        ];
        let sets: Vec<Vec<u64>> = sents.iter().map(|s| word_set(s)).collect();
        let idf = Idf::from_sets(sets.iter().map(|s| s.as_slice()));
        assert!(sentences_match(sents[2], sents[3], &idf));
        assert!(!sentences_match(sents[0], sents[2], &idf));
        assert!(coverage(&sets[2], &sets[3], &idf) > coverage(&sets[0], &sets[1], &idf));
    }
}
