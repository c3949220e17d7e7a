//! The learned same-story decision: what is measured between an article and a candidate story
//! ([`Features`]), and the logistic model that turns it into the probability that the article
//! reports the story's event ([`StoryModel`]). The weights are fitted on labeled stories by
//! `samestory train-stories` and shipped in `data/story-model.json` with their provenance; see
//! DESIGN.md, section 2.

use super::{Clusterer, TermCounts};
use crate::article::{StoryIdx, Timestamp};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// How many features the model weighs.
pub const N_FEATURES: usize = 23;

/// How many features models saved before [`FEATURE_NAMES`] grew weighed: each count a release
/// wrote. New features are only ever appended, so such a model's weights are a prefix.
pub const EARLIER_N_FEATURES: [usize; 1] = [22];

/// The features' names, in order: the model file lists them, and a file that lists others is
/// refused.
pub const FEATURE_NAMES: [&str; N_FEATURES] = [
    "bias",
    "centroid_cosine",
    "member_cosine",
    "centroid_cosine_short",
    "lead_over_runner_up",
    "names_cosine",
    "names_comparable",
    "shortness",
    "story_size",
    "nearness",
    "dated",
    "quiet",
    "rivals",
    "long",
    "names_covered",
    "query_reached",
    "similarity_above_0.15",
    "similarity_above_0.25",
    "similarity_above_0.35",
    "lead_above_0",
    "lead_above_0.08",
    "rules_join",
    "lead_held",
];

/// What is measured between an article and one candidate story, in [`FEATURE_NAMES`] order.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Features(pub [f32; N_FEATURES]);

/// The raw measurements of one candidate, before the features that compare it with the others.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Measured {
    /// Cosine to the story's centroid (the sum of its members' unit vectors).
    pub(super) centroid: f32,
    /// Mean cosine to the story's members.
    pub(super) member: f32,
    /// Cosine of the names and numbers, when both sides have enough of them.
    pub(super) names: Option<f32>,
    /// Decided members of the story.
    pub(super) members: u32,
    /// Seconds from the story's newest article to the article, when both are dated.
    pub(super) gap: Option<i64>,
    /// The share of the article's names and numbers that the story's hold.
    pub(super) names_covered: f32,
    /// The share of the article's query weight that reached the story through the index.
    pub(super) reached: f32,
    /// Whether the hand-set rules would join the article to this story.
    pub(super) rules_join: bool,
    /// The share of the weight of the article's lead (its first terms, see
    /// [`super::TermCounts::lead`]) on terms the story holds.
    pub(super) lead_held: f32,
}

/// What the article itself brings to every candidate's features.
#[derive(Clone, Copy, Debug)]
pub(super) struct ArticleShape {
    /// Distinct terms of the article.
    pub(super) terms: usize,
    /// [`super::ClusterConfig::short_terms`].
    pub(super) short_terms: usize,
    /// [`super::ClusterConfig::window_secs`].
    pub(super) window_secs: Option<i64>,
    /// [`super::ClusterConfig::quiet_secs`].
    pub(super) quiet_secs: Option<i64>,
}

/// The features of every candidate of one article: each one's own measurements, and how far it
/// leads the best of the others.
pub(super) fn features(shape: ArticleShape, measured: &[Measured]) -> Vec<Features> {
    let long = shape.terms >= shape.short_terms;
    let primary = |m: &Measured| if long { m.member } else { m.centroid };
    let (mut first, mut second) = (f32::NEG_INFINITY, f32::NEG_INFINITY);
    for m in measured {
        let p = primary(m);
        if p > first {
            second = first;
            first = p;
        } else if p > second {
            second = p;
        }
    }
    let shortness = ((shape.terms.max(1).min(shape.short_terms.max(1))) as f32
        / shape.short_terms.max(1) as f32)
        .ln();
    measured
        .iter()
        .map(|m| {
            let p = primary(m);
            let other = if p == first { second } else { first };
            let lead = if other.is_finite() { p - other } else { p };
            let nearness = match (m.gap, shape.window_secs) {
                (Some(g), Some(w)) if w > 0 => (1.0 - g.abs() as f32 / w as f32).max(0.0),
                _ => 0.0,
            };
            let quiet = matches!((m.gap, shape.quiet_secs), (Some(g), Some(q)) if g > q);
            Features([
                1.0,
                m.centroid,
                m.member,
                if long { 0.0 } else { m.centroid },
                lead,
                m.names.unwrap_or(0.0),
                f32::from(u8::from(m.names.is_some())),
                shortness,
                (1.0 + m.members as f32).ln(),
                nearness,
                f32::from(u8::from(m.gap.is_some())),
                f32::from(u8::from(quiet)),
                f32::from(u8::from(measured.len() > 1)),
                f32::from(u8::from(long)),
                m.names_covered,
                m.reached,
                (p - 0.15).max(0.0),
                (p - 0.25).max(0.0),
                (p - 0.35).max(0.0),
                lead.max(0.0),
                (lead - 0.08).max(0.0),
                f32::from(u8::from(m.rules_join)),
                m.lead_held,
            ])
        })
        .collect()
}

/// A logistic model over [`Features`]: the probability that an article reports a candidate
/// story's event is `1 / (1 + exp(-w·f))`. An article joins its most probable candidate when
/// that probability is at least one half.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoryModel {
    /// The feature names, in order ([`FEATURE_NAMES`]).
    pub features: Vec<String>,
    /// One weight a feature.
    pub weights: Vec<f32>,
    /// Where the weights come from: the command, the data sets and their sizes.
    #[serde(default)]
    pub provenance: serde_json::Value,
}

impl StoryModel {
    /// The shipped model (`data/story-model.json`).
    pub fn builtin() -> &'static StoryModel {
        static MODEL: std::sync::OnceLock<StoryModel> = std::sync::OnceLock::new();
        MODEL.get_or_init(|| {
            StoryModel::from_json(include_str!("../../data/story-model.json"))
                .expect("the shipped story model is valid")
        })
    }

    /// Reads a model file, checking that it weighs the features this build measures.
    pub fn from_json(json: &str) -> Result<StoryModel, String> {
        let model: StoryModel = serde_json::from_str(json).map_err(|e| e.to_string())?;
        if model.features != FEATURE_NAMES {
            return Err(format!(
                "the model weighs the features {:?}, this build measures {:?}",
                model.features, FEATURE_NAMES
            ));
        }
        if model.weights.len() != N_FEATURES || model.weights.iter().any(|w| !w.is_finite()) {
            return Err(format!(
                "the model needs {N_FEATURES} finite weights, it has {:?}",
                model.weights
            ));
        }
        Ok(model)
    }

    /// The weights as the clusterer's configuration holds them.
    pub fn weight_array(&self) -> [f32; N_FEATURES] {
        let mut w = [0.0; N_FEATURES];
        w.copy_from_slice(&self.weights);
        w
    }

    /// Fits the weights by Newton's method on the log loss with an L2 penalty `l2` (the bias
    /// unpenalised): `rows` are the features of a candidate, whether the article was in fact
    /// of its story, and the row's weight.
    pub fn fit(rows: &[(Features, bool, f32)], l2: f64) -> [f32; N_FEATURES] {
        const N: usize = N_FEATURES;
        let mut w = [0f64; N];
        for _ in 0..50 {
            let mut grad = [0f64; N];
            let mut hess = [[0f64; N]; N];
            for (f, y, weight) in rows {
                let x: [f64; N] = f.0.map(f64::from);
                let z: f64 = x.iter().zip(&w).map(|(a, b)| a * b).sum();
                let p = 1.0 / (1.0 + (-z).exp());
                let (weight, y) = (f64::from(*weight), f64::from(u8::from(*y)));
                for i in 0..N {
                    grad[i] += weight * (p - y) * x[i];
                    for j in 0..N {
                        hess[i][j] += weight * p * (1.0 - p) * x[i] * x[j];
                    }
                }
            }
            for i in 1..N {
                grad[i] += l2 * w[i];
                hess[i][i] += l2;
            }
            hess[0][0] += 1e-9;
            let step = solve(hess, grad);
            let mut moved = 0f64;
            for i in 0..N {
                w[i] -= step[i];
                moved = moved.max(step[i].abs());
            }
            if moved < 1e-7 {
                break;
            }
        }
        w.map(|x| x as f32)
    }
}

/// The weights of a saved [`super::ClusterConfig::model`]: [`N_FEATURES`] of them, or the
/// prefix an earlier release saved ([`EARLIER_N_FEATURES`]) with the later features weighing 0.
pub fn weights_from(saved: &[f32]) -> Result<[f32; N_FEATURES], String> {
    if saved.len() != N_FEATURES && !EARLIER_N_FEATURES.contains(&saved.len()) {
        return Err(format!(
            "a story model has {N_FEATURES} weights (or {EARLIER_N_FEATURES:?} from earlier \
             releases), not {}",
            saved.len()
        ));
    }
    let mut w = [0.0; N_FEATURES];
    w[..saved.len()].copy_from_slice(saved);
    Ok(w)
}

/// Reads [`super::ClusterConfig::model`] through [`weights_from`].
pub(super) fn deserialize_weights<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<[f32; N_FEATURES]>, D::Error> {
    let saved: Option<Vec<f32>> = Option::deserialize(d)?;
    saved
        .map(|w| weights_from(&w).map_err(serde::de::Error::custom))
        .transpose()
}

/// The probability of the event under weights `w`.
pub fn probability(w: &[f32; N_FEATURES], f: &Features) -> f32 {
    let z: f32 = w.iter().zip(&f.0).map(|(a, b)| a * b).sum();
    1.0 / (1.0 + (-z).exp())
}

/// The training rows of one labeled stream, in publication order: every candidate story of
/// every article with its features and whether it holds the article's event. The stories are
/// those of the labels (each article joins the story of its label, the first of a label starts
/// one), so every decision is measured as a clusterer that had been right so far would meet it.
pub fn labeled_candidates<L: Eq + std::hash::Hash>(
    clusterer: &mut Clusterer,
    articles: impl IntoIterator<Item = (TermCounts, Option<Timestamp>, L)>,
) -> Vec<(Features, bool)> {
    let mut story_of: FxHashMap<L, StoryIdx> = FxHashMap::default();
    let mut rows = Vec::new();
    for (counts, at, label) in articles {
        let gold = story_of.get(&label).copied();
        let a = clusterer.add_with(&counts, at, |candidates| {
            rows.extend(candidates.iter().map(|&(s, f)| (f, Some(s) == gold)));
            gold
        });
        story_of.entry(label).or_insert(a.story);
    }
    rows
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting (`a` is positive definite here).
fn solve<const N: usize>(mut a: [[f64; N]; N], mut b: [f64; N]) -> [f64; N] {
    for col in 0..N {
        let pivot = (col..N)
            .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
            .expect("a column has rows");
        a.swap(col, pivot);
        b.swap(col, pivot);
        let d = a[col][col];
        if d.abs() < 1e-12 {
            continue;
        }
        for row in col + 1..N {
            let k = a[row][col] / d;
            let (above, below) = a.split_at_mut(row);
            for (x, p) in below[0][col..].iter_mut().zip(&above[col][col..]) {
                *x -= k * p;
            }
            b[row] -= k * b[col];
        }
    }
    let mut x = [0f64; N];
    for row in (0..N).rev() {
        let s: f64 = (row + 1..N).map(|c| a[row][c] * x[c]).sum();
        x[row] = if a[row][row].abs() < 1e-12 {
            0.0
        } else {
            (b[row] - s) / a[row][row]
        };
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_file_with_other_features_is_refused() {
        let mut m = StoryModel::builtin().clone();
        m.features[1] = "title_cosine".into();
        let json = serde_json::to_string(&m).unwrap();
        assert!(StoryModel::from_json(&json)
            .unwrap_err()
            .contains("title_cosine"));
    }

    #[test]
    fn a_model_saved_before_the_later_features_decides_as_it_did() {
        let old: Vec<f32> = (0..EARLIER_N_FEATURES[0])
            .map(|i| i as f32 / 10.0)
            .collect();
        let json = serde_json::json!({ "model": old }).to_string();
        let config: super::super::ClusterConfig = serde_json::from_str(&json).unwrap();
        let w = config.model.unwrap();
        assert_eq!(&w[..old.len()], &old[..]);
        assert!(w[old.len()..].iter().all(|&x| x == 0.0));
        // Features measured since weigh nothing: the probability is the old one.
        let mut f = Features([0.5; N_FEATURES]);
        let before = probability(&w, &f);
        f.0[N_FEATURES - 1] = 1.0;
        assert_eq!(probability(&w, &f), before);

        let json = serde_json::json!({ "model": [1.0, 2.0, 3.0] }).to_string();
        let err = serde_json::from_str::<super::super::ClusterConfig>(&json).unwrap_err();
        assert!(err.to_string().contains("not 3"), "{err}");
        let json = serde_json::json!({ "model": null }).to_string();
        let config: super::super::ClusterConfig = serde_json::from_str(&json).unwrap();
        assert_eq!(config.model, None);
    }

    #[test]
    fn the_lead_is_over_the_best_other_candidate() {
        let shape = ArticleShape {
            terms: 10,
            short_terms: 40,
            window_secs: None,
            quiet_secs: None,
        };
        let m = |c: f32| Measured {
            centroid: c,
            ..Measured::default()
        };
        let f = features(shape, &[m(0.5), m(0.3), m(0.1)]);
        let leads: Vec<f32> = f.iter().map(|f| (f.0[4] * 100.0).round()).collect();
        assert_eq!(leads, vec![20.0, -20.0, -40.0]);
        assert_eq!(f[0].0[12], 1.0);
        assert_eq!(features(shape, &[m(0.5)])[0].0[12], 0.0);
    }
}
