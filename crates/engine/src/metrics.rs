//! Scores of a clustering against gold labels: B-cubed, pairwise and the adjusted Rand index.

use rustc_hash::FxHashMap;
use serde::Serialize;
use std::hash::Hash;

/// Precision, recall and their harmonic mean.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Prf {
    /// Of what was put together, the share that belongs together.
    pub precision: f64,
    /// Of what belongs together, the share that was put together.
    pub recall: f64,
    /// The harmonic mean of the two.
    pub f1: f64,
}

impl Prf {
    /// The scores with their F1 (0 when both are 0).
    pub fn new(precision: f64, recall: f64) -> Self {
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            precision,
            recall,
            f1,
        }
    }
}

/// A clustering scored against labels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Scores {
    /// B-cubed: per article, averaged.
    pub bcubed: Prf,
    /// Over pairs of articles.
    pub pairwise: Prf,
    /// The adjusted Rand index.
    pub ari: f64,
    /// How many clusters the clustering has.
    pub stories: usize,
    /// How many distinct labels the truth has.
    pub labels: usize,
}

fn pairs(n: u64) -> f64 {
    (n * n.saturating_sub(1) / 2) as f64
}

/// Scores predicted clusters against gold labels; item `i` has `predicted[i]` and `gold[i]`.
pub fn score<P: Hash + Eq, G: Hash + Eq>(predicted: &[P], gold: &[G]) -> Scores {
    assert_eq!(
        predicted.len(),
        gold.len(),
        "one prediction per labelled item"
    );
    let n = predicted.len();
    let mut cells: FxHashMap<(&P, &G), u64> = FxHashMap::default();
    let mut p_size: FxHashMap<&P, u64> = FxHashMap::default();
    let mut g_size: FxHashMap<&G, u64> = FxHashMap::default();
    for (p, g) in predicted.iter().zip(gold) {
        *cells.entry((p, g)).or_default() += 1;
        *p_size.entry(p).or_default() += 1;
        *g_size.entry(g).or_default() += 1;
    }
    if n == 0 {
        return Scores::default();
    }
    // B-cubed: for each item, the share of its cluster that has its label, and the share of its
    // label that is in its cluster; averaged over items. Summed per cell: c * (c / size).
    let (mut bp, mut br) = (0.0, 0.0);
    for (&(p, g), &c) in &cells {
        bp += (c * c) as f64 / p_size[p] as f64;
        br += (c * c) as f64 / g_size[g] as f64;
    }
    let bcubed = Prf::new(bp / n as f64, br / n as f64);
    let same_both: f64 = cells.values().map(|&c| pairs(c)).sum();
    let same_pred: f64 = p_size.values().map(|&c| pairs(c)).sum();
    let same_gold: f64 = g_size.values().map(|&c| pairs(c)).sum();
    let pairwise = Prf::new(
        if same_pred > 0.0 {
            same_both / same_pred
        } else {
            1.0
        },
        if same_gold > 0.0 {
            same_both / same_gold
        } else {
            1.0
        },
    );
    let total = pairs(n as u64);
    let expected = if total > 0.0 {
        same_pred * same_gold / total
    } else {
        0.0
    };
    let max = (same_pred + same_gold) / 2.0;
    let ari = if (max - expected).abs() < f64::EPSILON {
        1.0
    } else {
        (same_both - expected) / (max - expected)
    };
    Scores {
        bcubed,
        pairwise,
        ari,
        stories: p_size.len(),
        labels: g_size.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_clustering_scores_one() {
        let s = score(&[1, 1, 2, 3], &["a", "a", "b", "c"]);
        assert_eq!(s.bcubed.f1, 1.0);
        assert_eq!(s.pairwise.f1, 1.0);
        assert!((s.ari - 1.0).abs() < 1e-12);
        assert_eq!((s.stories, s.labels), (3, 3));
    }

    #[test]
    fn all_in_one_cluster() {
        // Gold: {0,1} {2,3}. Predicted: one cluster of four.
        let s = score(&[0, 0, 0, 0], &[1, 1, 2, 2]);
        assert!((s.bcubed.precision - 0.5).abs() < 1e-12);
        assert_eq!(s.bcubed.recall, 1.0);
        assert!((s.pairwise.precision - 2.0 / 6.0).abs() < 1e-12);
        assert!(s.ari.abs() < 1e-12, "{}", s.ari);
    }

    #[test]
    fn known_ari_value() {
        // sklearn.metrics.adjusted_rand_score([0,0,1,1],[0,0,1,2]) == 0.5714285714285715
        let s = score(&[0, 0, 1, 2], &[0, 0, 1, 1]);
        assert!((s.ari - 0.571_428_571_428_571_5).abs() < 1e-9, "{}", s.ari);
    }
}
