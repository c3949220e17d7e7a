//! Sentence similarity: whether two sentences say the same thing, from cheap lexical evidence.
//!
//! Alignment ([`super::align`]) finds copied runs of seven words or more. Rewritten sentences
//! (same facts, words reordered, a clause dropped) share words but no long run. For them we
//! compute a few lexical [features] of the pair and let a linear model ([`Model`], a logistic
//! regression) decide:
//! - how much of each sentence's weight the other carries, words weighted by their inverse
//!   sentence frequency in the collection at hand (the story, or the corpus under test), so that
//!   sharing "the", "said" and "of" counts for little and sharing "Kyiv" and "China" for much;
//!   both ways, as the smaller and the larger of the two;
//! - plain and weighted word overlap (Jaccard, shared words over each length), the Dice overlap of word
//!   bigrams and trigrams, and the longest common subsequence of words (order: "A beat B"
//!   against "B beat A");
//! - the ratio and difference of the lengths, and the words (and the rare words) each sentence
//!   has that the other lacks;
//! - numbers found in one sentence and not the other ("$2.5 billion in 1998" against "$1.8 billion
//!   in 1998"): the strongest sign that two look-alike sentences report different facts;
//! - names (capitalised words inside the sentence) found in one and not the other;
//! - a negation ("not", "never", "n't") in one and not the other.
//!
//! The weights ([`MODEL`]) were fitted on the MSRP paraphrase pairs, and how well the decision
//! does on pairs it was not fitted on is measured by cross-validation: see
//! `crates/engine/examples/eval_msrp.rs` and `docs/analysis-eval.md`.
//!
//! The story analysis links sentences by [`carried`] (the model, or one sentence contained in
//! the other) and does not compare all pairs: a sentence is compared with those holding one of
//! its rarest words ([`probe_words`]).

use super::words::{stem, Words};
use crate::article::Span;
use crate::copies::fingerprint::intersection_size as shared;
use crate::text::{for_each_word, hash_word};
use rustc_hash::FxHashMap;

/// Number of features ([`features`]).
pub const FEATURES: usize = 22;

/// Names of the features, in order (for reports).
pub const FEATURE_NAMES: [&str; FEATURES] = [
    "coverage_min",
    "coverage_max",
    "word_jaccard",
    "bigram_dice",
    "length_ratio",
    "numbers_differ",
    "numbers_unmatched",
    "names_unmatched",
    "coverage_min_x_max",
    "words_shared_min",
    "words_shared_max",
    "trigram_dice",
    "unmatched_words_max",
    "unmatched_words_min",
    "length_difference",
    "coverage_min_squared",
    "common_subsequence_min",
    "common_subsequence_max",
    "unmatched_rare_max",
    "unmatched_rare_min",
    "weighted_jaccard",
    "negation_differs",
];

/// Neither sentence carrying at least this share of the other's weight: never the same. A cheap
/// gate in front of the model; on the MSRP pairs it changes no decision of [`MODEL`] (see the
/// eval).
pub const MIN_COVERAGE: f32 = 0.3;

/// A linear decision over [`features`]: "same" when `bias + weights · features > 0`, that is when
/// the logistic probability is above one half.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Model {
    /// One weight a feature, in the order of [`features`].
    pub weights: [f32; FEATURES],
    /// The intercept.
    pub bias: f32,
}

/// The shipped weights: a logistic regression (L2 penalty [`FIT_L2`], Newton's method, features
/// standardised for the fit and the weights mapped back) fitted on all 4,076 pairs of
/// `msr_paraphrase_train.txt`, word weights from that file's 8,152 sentences. Refit and print
/// them with `cargo run --release -p samestory-engine --example eval_msrp`, which also reports
/// the 10-fold cross-validated precision, recall, F1 and accuracy of this decision.
#[rustfmt::skip]
pub const MODEL: Model = Model {
    weights: [
        -0.3305, // coverage_min
        0.1737, // coverage_max
        1.9156, // word_jaccard
        0.1164, // bigram_dice
        0.5070, // length_ratio
        -0.8843, // numbers_differ
        0.4396, // numbers_unmatched
        0.2020, // names_unmatched
        0.0775, // coverage_min_x_max
        -5.1968, // words_shared_min
        3.0332, // words_shared_max
        -4.1362, // trigram_dice
        -1.1078, // unmatched_words_max
        0.5195, // unmatched_words_min
        0.3051, // length_difference
        3.5556, // coverage_min_squared
        10.1739, // common_subsequence_min
        -3.4030, // common_subsequence_max
        -0.3301, // unmatched_rare_max
        0.0728, // unmatched_rare_min
        1.4676, // weighted_jaccard
        -1.0784, // negation_differs
    ],
    bias: -1.9009,
};

/// The L2 penalty of [`fit_logistic`] the shipped model was fitted with (on standardised
/// features, times the number of examples).
pub const FIT_L2: f64 = 1e-3;

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

    /// The weight of a word in `sqrt(n)` sentences: rarer words weigh more.
    pub fn rare_weight(&self) -> f32 {
        let n = self.n as f32;
        ((n + 1.0) / (n.sqrt() + 0.5)).ln()
    }

    /// `ln((n + 1) / (df + 0.5))`, at least 0.05: unseen words weigh most.
    pub fn weight(&self, key: u64) -> f32 {
        let df = self.df.get(&key).copied().unwrap_or(0) as f32;
        (((self.n as f32) + 1.0) / (df + 0.5)).ln().max(0.05)
    }
}

/// The distinct stem hashes of a text, sorted.
pub fn word_set(text: &str) -> Vec<u64> {
    sorted_set(Words::new(text).keys)
}

/// Words that negate a sentence (besides "n't").
pub const NEGATIONS: &[&str] = &["not", "no", "never", "nor", "cannot"];

/// What the features of a sentence are computed from; each list but `seq` sorted and distinct.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SentenceKeys {
    /// Stem hashes of its words.
    pub words: Vec<u64>,
    /// Hashes of its consecutive word pairs.
    pub bigrams: Vec<u64>,
    /// Hashes of its runs of three words.
    pub trigrams: Vec<u64>,
    /// Whether it holds a negation ([`NEGATIONS`], or "n't").
    pub negated: bool,
    /// Hashes of its numbers ("2.5", "1998", "1,000" as "1000").
    pub numbers: Vec<u64>,
    /// Stem hashes of its names: capitalised words other than the first.
    pub names: Vec<u64>,
    /// Stem hashes of its words in order (its length: the words, counted with repeats).
    pub seq: Vec<u64>,
}

fn sorted_set(mut v: Vec<u64>) -> Vec<u64> {
    v.sort_unstable();
    v.dedup();
    v
}

impl SentenceKeys {
    /// The keys of one sentence.
    pub fn new(sentence: &str) -> Self {
        let mut spans = Vec::new();
        let mut keys = Vec::new();
        for_each_word(sentence, |span, word| {
            spans.push(span);
            keys.push(hash_word(stem(word)));
        });
        Self::from_words(sentence, Span::new(0, sentence.len()), &spans, &keys)
    }

    /// The keys of the sentence at `span` of `text`, whose words (already split, spans into
    /// `text`) are `spans` and `keys`.
    pub fn from_words(text: &str, span: Span, spans: &[Span], keys: &[u64]) -> Self {
        let bytes = text.as_bytes();
        let names = spans
            .iter()
            .zip(keys)
            .skip(1)
            .filter(|(s, _)| {
                text[s.start..s.end]
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
            })
            .map(|(_, &k)| k)
            .collect();
        let mut numbers = Vec::new();
        let mut i = span.start;
        while i < span.end {
            if bytes[i].is_ascii_digit() {
                let mut n = String::new();
                while i < span.end {
                    let b = bytes[i];
                    if b.is_ascii_digit() {
                        n.push(b as char);
                    } else if (b == b'.' || b == b',')
                        && i + 1 < span.end
                        && bytes[i + 1].is_ascii_digit()
                    {
                        if b == b'.' {
                            n.push('.');
                        }
                    } else {
                        break;
                    }
                    i += 1;
                }
                numbers.push(hash_word(&n));
            } else {
                i += 1;
            }
        }
        SentenceKeys {
            words: sorted_set(keys.to_vec()),
            bigrams: sorted_set(
                keys.windows(2)
                    .map(|w| w[0].rotate_left(29) ^ w[1].wrapping_mul(0x9E37_79B9_7F4A_7C15))
                    .collect(),
            ),
            negated: spans.iter().any(|s| {
                let w = &text[s.start..s.end];
                NEGATIONS.iter().any(|n| w.eq_ignore_ascii_case(n))
            }) || ["n't", "n\u{2019}t"]
                .iter()
                .any(|n| text[span.start..span.end].contains(n)),
            trigrams: sorted_set(
                keys.windows(3)
                    .map(|w| {
                        (w[0].rotate_left(29) ^ w[1].wrapping_mul(0x9E37_79B9_7F4A_7C15))
                            .rotate_left(17)
                            ^ w[2].wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
                    })
                    .collect(),
            ),
            numbers: sorted_set(numbers),
            names: sorted_set(names),
            seq: keys.to_vec(),
        }
    }
}

/// Weight of the words of `a` found in `b`, over the weight of `a` (sorted sets).
pub fn coverage(a: &[u64], b: &[u64], idf: &Idf) -> f32 {
    let (mut i, mut j) = (0, 0);
    let (mut hit, mut total) = (0.0f32, 0.0f32);
    while i < a.len() {
        let w = idf.weight(a[i]);
        total += w;
        while j < b.len() && b[j] < a[i] {
            j += 1;
        }
        if j < b.len() && b[j] == a[i] {
            hit += w;
        }
        i += 1;
    }
    if total == 0.0 {
        0.0
    } else {
        hit / total
    }
}

/// The words of a sorted set with their weights, for [`coverages`].
pub fn weighted(words: &[u64], idf: &Idf) -> Vec<(u64, f32)> {
    words.iter().map(|&w| (w, idf.weight(w))).collect()
}

/// [`coverage`] both ways in one merge of two weighted sets (as from [`weighted`]): `(of a by b,
/// of b by a)`.
pub fn coverages(a: &[(u64, f32)], b: &[(u64, f32)]) -> (f32, f32) {
    let (mut i, mut j, mut hit) = (0, 0, (0f32, 0f32));
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                hit.0 += a[i].1;
                hit.1 += b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    let share = |hit: f32, w: &[(u64, f32)]| {
        let total: f32 = w.iter().map(|x| x.1).sum();
        if total == 0.0 {
            0.0
        } else {
            hit / total
        }
    };
    (share(hit.0, a), share(hit.1, b))
}

/// The smaller of the two coverages of `a` and `b` by each other.
pub fn min_coverage(a: &SentenceKeys, b: &SentenceKeys, idf: &Idf) -> f32 {
    coverage(&a.words, &b.words, idf).min(coverage(&b.words, &a.words, idf))
}

/// Length of the longest common subsequence of two word sequences.
fn common_subsequence(a: &[u64], b: &[u64]) -> usize {
    let mut row = vec![0u16; b.len() + 1];
    for &x in a {
        let mut diag = 0;
        for (j, &y) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if x == y { diag + 1 } else { up.max(row[j]) };
            diag = up;
        }
    }
    row[b.len()] as usize
}

/// Words of `a` not in `b` that are rare in the collection (in at most one sentence in
/// `sqrt(n)`).
fn unmatched_rare(a: &SentenceKeys, b: &SentenceKeys, idf: &Idf) -> usize {
    let rare = idf.rare_weight();
    a.words
        .iter()
        .filter(|w| b.words.binary_search(w).is_err() && idf.weight(**w) >= rare)
        .count()
}

/// Weight of the shared words over the weight of all words of either.
fn weighted_jaccard(a: &[u64], b: &[u64], idf: &Idf) -> f32 {
    let (mut i, mut j, mut inter, mut union) = (0, 0, 0f32, 0f32);
    while i < a.len() || j < b.len() {
        if j == b.len() || (i < a.len() && a[i] < b[j]) {
            union += idf.weight(a[i]);
            i += 1;
        } else if i == a.len() || b[j] < a[i] {
            union += idf.weight(b[j]);
            j += 1;
        } else {
            let w = idf.weight(a[i]);
            inter += w;
            union += w;
            i += 1;
            j += 1;
        }
    }
    if union == 0.0 {
        0.0
    } else {
        inter / union
    }
}

/// The features of a pair of sentences, in the order of [`FEATURE_NAMES`]. Symmetric.
pub fn features(a: &SentenceKeys, b: &SentenceKeys, idf: &Idf) -> [f32; FEATURES] {
    let (ca, cb) = (
        coverage(&a.words, &b.words, idf),
        coverage(&b.words, &a.words, idf),
    );
    let (cmin, cmax) = (ca.min(cb), ca.max(cb));
    let ratio = |n: usize, d: usize| if d == 0 { 0.0 } else { n as f32 / d as f32 };
    let w = shared(&a.words, &b.words);
    let jaccard = ratio(w, a.words.len() + b.words.len() - w);
    let bi = shared(&a.bigrams, &b.bigrams);
    let dice = ratio(2 * bi, a.bigrams.len() + b.bigrams.len());
    let tri = shared(&a.trigrams, &b.trigrams);
    let lcs = common_subsequence(&a.seq, &b.seq);
    let (ra, rb) = (unmatched_rare(a, b, idf), unmatched_rare(b, a, idf));
    let length = ratio(a.seq.len().min(b.seq.len()), a.seq.len().max(b.seq.len()));
    let num = shared(&a.numbers, &b.numbers);
    let num_unmatched = a.numbers.len() + b.numbers.len() - 2 * num;
    let names = shared(&a.names, &b.names);
    let names_unmatched = a.names.len() + b.names.len() - 2 * names;
    [
        cmin,
        cmax,
        jaccard,
        dice,
        length,
        (num_unmatched > 0) as u8 as f32,
        ratio(num_unmatched, a.numbers.len() + b.numbers.len() - num),
        ratio(names_unmatched, a.names.len() + b.names.len() - names),
        cmin * cmax,
        ratio(w, a.words.len().max(b.words.len())),
        ratio(w, a.words.len().min(b.words.len())),
        ratio(2 * tri, a.trigrams.len() + b.trigrams.len()),
        ((a.words.len().max(b.words.len()) - w) as f32).ln_1p(),
        ((a.words.len().min(b.words.len()) - w) as f32).ln_1p(),
        (a.seq.len().abs_diff(b.seq.len()) as f32).ln_1p(),
        cmin * cmin,
        ratio(lcs, a.seq.len().max(b.seq.len())),
        ratio(lcs, a.seq.len().min(b.seq.len())),
        (ra.max(rb) as f32).ln_1p(),
        (ra.min(rb) as f32).ln_1p(),
        weighted_jaccard(&a.words, &b.words, idf),
        (a.negated != b.negated) as u8 as f32,
    ]
}

impl Model {
    /// `bias + weights · features`: above zero means "same".
    pub fn score(&self, f: &[f32; FEATURES]) -> f32 {
        self.bias + self.weights.iter().zip(f).map(|(w, x)| w * x).sum::<f32>()
    }

    /// Whether the two sentences say the same thing: past the [`MIN_COVERAGE`] gate, and scored
    /// above zero.
    pub fn matches(&self, a: &SentenceKeys, b: &SentenceKeys, idf: &Idf) -> bool {
        min_coverage(a, b, idf) >= MIN_COVERAGE && self.score(&features(a, b, idf)) > 0.0
    }
}

/// Whether two sentences say the same thing, by [`MODEL`].
pub fn sentences_match(a: &str, b: &str, idf: &Idf) -> bool {
    MODEL.matches(&SentenceKeys::new(a), &SentenceKeys::new(b), idf)
}

/// Share of a sentence's weight another sentence must carry, with every number of it, for the
/// first to count as *contained* in the second ([`carried`]).
pub const CONTAINED: f32 = 0.5;

/// Whether the content of sentence `a` is carried by sentence `b`, as the story analysis links
/// sentences: the two say the same thing ([`MODEL`]), or `a` is contained in `b` (at least
/// [`CONTAINED`] of its weight and all its numbers are in `b`: "The call was professional and
/// substantive" inside a longer sentence of another outlet that says so and more). MSRP scores
/// only the first (its pairs where one sentence adds a clause are mostly labelled different);
/// for "what no other outlet reports" the second matters too.
pub fn carried(a: &SentenceKeys, b: &SentenceKeys, idf: &Idf) -> bool {
    let (ca, cb) = (
        coverage(&a.words, &b.words, idf),
        coverage(&b.words, &a.words, idf),
    );
    (ca >= CONTAINED && shared(&a.numbers, &b.numbers) == a.numbers.len())
        || (ca.min(cb) >= MIN_COVERAGE && MODEL.score(&features(a, b, idf)) > 0.0)
}

/// A sentence `b` carrying less than this share of `a`'s weight never [`carried`] `a`: a cheap
/// test before the full one.
pub const MIN_CARRIED_COVERAGE: f32 = if MIN_COVERAGE < CONTAINED {
    MIN_COVERAGE
} else {
    CONTAINED
};

/// Words of a sentence it is looked up by ([`probe_words`]).
pub const PROBE_WORDS: usize = 3;

/// The [`PROBE_WORDS`] heaviest words of a sentence (ties broken by hash): the story analysis
/// compares a sentence only with sentences holding one of them, rather than with all. A sentence
/// carrying much of another's weight nearly always holds one of its rarest words; on the MSRP
/// pairs the eval counts how often it does not.
pub fn probe_words(words: &[u64], idf: &Idf) -> Vec<u64> {
    let mut weighted: Vec<(f32, u64)> = words.iter().map(|&w| (idf.weight(w), w)).collect();
    weighted.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    weighted
        .into_iter()
        .take(PROBE_WORDS)
        .map(|w| w.1)
        .collect()
}

/// Fits a logistic regression of `labels` on `x` by Newton's method (iteratively reweighted least
/// squares), with an L2 penalty `l2 · n` on the weights of the standardised features (not on the
/// bias). Deterministic. Returns the model on the original (unstandardised) features.
pub fn fit_logistic(x: &[[f32; FEATURES]], labels: &[bool], l2: f64) -> Model {
    const D: usize = FEATURES + 1;
    let n = x.len().max(1) as f64;
    let mut mean = [0f64; FEATURES];
    let mut sd = [0f64; FEATURES];
    for r in x {
        for k in 0..FEATURES {
            mean[k] += r[k] as f64 / n;
        }
    }
    for r in x {
        for k in 0..FEATURES {
            sd[k] += (r[k] as f64 - mean[k]).powi(2) / n;
        }
    }
    for s in &mut sd {
        *s = s.sqrt().max(1e-9);
    }
    let row = |r: &[f32; FEATURES]| -> [f64; D] {
        let mut z = [1f64; D];
        for k in 0..FEATURES {
            z[k] = (r[k] as f64 - mean[k]) / sd[k];
        }
        z
    };
    let mut beta = [0f64; D];
    for _ in 0..50 {
        let mut grad = [0f64; D];
        let mut hess = [[0f64; D]; D];
        for (r, &y) in x.iter().zip(labels) {
            let z = row(r);
            let s: f64 = z.iter().zip(&beta).map(|(a, b)| a * b).sum();
            let p = 1.0 / (1.0 + (-s).exp());
            let g = p - y as u8 as f64;
            let h = (p * (1.0 - p)).max(1e-12);
            for i in 0..D {
                grad[i] += g * z[i];
                for j in 0..D {
                    hess[i][j] += h * z[i] * z[j];
                }
            }
        }
        for i in 0..FEATURES {
            grad[i] += l2 * n * beta[i];
            hess[i][i] += l2 * n;
        }
        let step = solve(hess, grad);
        let mut moved = 0f64;
        for i in 0..D {
            beta[i] -= step[i];
            moved = moved.max(step[i].abs());
        }
        if moved < 1e-10 {
            break;
        }
    }
    let mut weights = [0f32; FEATURES];
    let mut bias = beta[FEATURES];
    for k in 0..FEATURES {
        weights[k] = (beta[k] / sd[k]) as f32;
        bias -= beta[k] * mean[k] / sd[k];
    }
    Model {
        weights,
        bias: bias as f32,
    }
}

/// Solves `a · x = b` by Gaussian elimination with partial pivoting (`a` positive definite here).
fn solve<const D: usize>(mut a: [[f64; D]; D], mut b: [f64; D]) -> [f64; D] {
    for c in 0..D {
        let p = (c..D)
            .max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))
            .expect("rows");
        a.swap(c, p);
        b.swap(c, p);
        let d = a[c][c];
        if d.abs() < 1e-300 {
            continue;
        }
        for r in c + 1..D {
            let f = a[r][c] / d;
            if f != 0.0 {
                let pivot = a[c];
                for (x, p) in a[r][c..].iter_mut().zip(&pivot[c..]) {
                    *x -= f * p;
                }
                b[r] -= f * b[c];
            }
        }
    }
    let mut x = [0f64; D];
    for c in (0..D).rev() {
        let s: f64 = (c + 1..D).map(|k| a[c][k] * x[k]).sum();
        x[c] = if a[c][c].abs() < 1e-300 {
            0.0
        } else {
            (b[c] - s) / a[c][c]
        };
    }
    x
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

    #[test]
    fn a_different_number_is_evidence_against() {
        let idf = Idf::default();
        let a = SentenceKeys::new("Yucaipa sold the chain to Safeway in 1998 for $2.5 billion.");
        let same = SentenceKeys::new("In 1998 Yucaipa sold the chain to Safeway for $2.5 billion.");
        let other =
            SentenceKeys::new("Yucaipa sold the chain to Safeway in 1998 for $1.8 billion.");
        assert_eq!(a.numbers.len(), 2, "{a:?}");
        assert_eq!(features(&a, &same, &idf)[5], 0.0);
        assert_eq!(features(&a, &other, &idf)[5], 1.0);
        assert!(MODEL.score(&features(&a, &same, &idf)) > MODEL.score(&features(&a, &other, &idf)));
    }

    #[test]
    fn a_negation_in_one_sentence_only_is_a_feature() {
        let idf = Idf::default();
        let said = SentenceKeys::new("The minister said the talks would resume.");
        let denied = SentenceKeys::new("The minister said the talks wouldn\u{2019}t resume.");
        let never = SentenceKeys::new("The minister said the talks would never resume.");
        assert!(!said.negated && denied.negated && never.negated);
        let k = FEATURE_NAMES
            .iter()
            .position(|&n| n == "negation_differs")
            .unwrap();
        assert_eq!(features(&said, &denied, &idf)[k], 1.0);
        assert_eq!(features(&denied, &never, &idf)[k], 0.0);
    }

    #[test]
    fn features_are_symmetric_and_names_skip_the_first_word() {
        let a = SentenceKeys::new("Officials in Berlin met Putin on Monday, 3 of them.");
        let b = SentenceKeys::new("Putin met officials in Berlin.");
        let idf = Idf::from_sets([a.words.as_slice(), b.words.as_slice()]);
        assert_eq!(features(&a, &b, &idf), features(&b, &a, &idf));
        assert_eq!(a.names.len(), 3, "Berlin, Putin, Monday: {a:?}");
        assert_eq!(b.names.len(), 1, "Berlin only ('Putin' starts it): {b:?}");
    }

    #[test]
    fn a_sentence_inside_a_longer_one_is_carried_unless_a_number_differs() {
        let short = SentenceKeys::new("The call was professional and substantive.");
        let long = SentenceKeys::new(
            "The call with Putin was professional and substantive but changed nothing, officials said.",
        );
        let other = SentenceKeys::new("The bridge over the Elbe stays closed for an inspection.");
        let idf = Idf::from_sets([
            short.words.as_slice(),
            long.words.as_slice(),
            other.words.as_slice(),
        ]);
        assert!(carried(&short, &long, &idf));
        assert!(!carried(&long, &short, &idf), "the longer one says more");
        assert!(
            !MODEL.matches(&short, &long, &idf),
            "not a paraphrase: one says more"
        );
        assert!(!carried(&short, &other, &idf));
        let sold = SentenceKeys::new("Yucaipa sold the chain in 1998.");
        let sold_more = SentenceKeys::new("Yucaipa sold the grocery chain to Safeway in 1999.");
        let idf = Idf::from_sets([sold.words.as_slice(), sold_more.words.as_slice()]);
        assert!(coverage(&sold.words, &sold_more.words, &idf) >= CONTAINED);
        assert!(!carried(&sold, &sold_more, &idf));
    }

    #[test]
    fn probe_words_are_the_rarest() {
        let s = SentenceKeys::new("Russia is increasingly isolated and depends on China");
        let idf = Idf::from_sets([
            s.words.as_slice(),
            word_set("Russia is and on the China").as_slice(),
            word_set("is and on a").as_slice(),
        ]);
        let mut probe = probe_words(&s.words, &idf);
        probe.sort_unstable();
        let mut expect = word_set("increasingly isolated depends");
        expect.sort_unstable();
        assert_eq!(probe, expect);
    }

    #[test]
    fn logistic_fit_separates_what_is_separable() {
        // Label: first feature above 0.5; the second is noise.
        let mut x = Vec::new();
        let mut y = Vec::new();
        for k in 0..200u32 {
            let mut f = [0f32; FEATURES];
            f[0] = (k % 100) as f32 / 100.0;
            f[1] = ((k * 37) % 17) as f32 / 17.0;
            x.push(f);
            y.push(f[0] > 0.5);
        }
        let m = fit_logistic(&x, &y, 1e-3);
        let right = x
            .iter()
            .zip(&y)
            .filter(|(f, &y)| (m.score(f) > 0.0) == y)
            .count();
        assert!(right >= 196, "{right} of 200, {m:?}");
        assert!(m.weights[0] > 0.0 && m.weights[0].abs() > 10.0 * m.weights[1].abs());
    }
}
