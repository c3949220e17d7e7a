//! The shipped sentence-match model against the MSRP train file, read from
//! `/work/shared/data/msrp/msr_paraphrase_train.txt` when present (skips when absent).
//! Third-party text: read, never copied here.

use samestory_engine::analysis::similar::{
    features, fit_logistic, Idf, SentenceKeys, FEATURES, FIT_L2, MIN_COVERAGE, MODEL,
};

#[allow(dead_code)]
mod support;

#[test]
fn shipped_weights_are_the_fit_on_the_file_and_beat_word_jaccard() {
    let path = support::shared_data_path("msrp/msr_paraphrase_train.txt", None);
    let Some(raw) = support::read_or_skip(&path) else {
        return;
    };
    let pairs = support::msrp_pairs(&raw);
    let labels: Vec<bool> = pairs.iter().map(|p| p.0).collect();
    let keys: Vec<(SentenceKeys, SentenceKeys)> = pairs
        .iter()
        .map(|(_, a, b)| (SentenceKeys::new(a), SentenceKeys::new(b)))
        .collect();
    assert_eq!(labels.len(), 4076);
    let idf = Idf::from_sets(
        keys.iter()
            .flat_map(|(a, b)| [a.words.as_slice(), b.words.as_slice()]),
    );
    let x: Vec<[f32; FEATURES]> = keys.iter().map(|(a, b)| features(a, b, &idf)).collect();

    // The constants in the code are what the documented fit gives.
    let fit = fit_logistic(&x, &labels, FIT_L2);
    for (k, (a, b)) in fit.weights.iter().zip(MODEL.weights).enumerate() {
        assert!((a - b).abs() < 1e-3, "weight {k}: fitted {a}, shipped {b}");
    }
    assert!((fit.bias - MODEL.bias).abs() < 1e-3);

    // In sample, the model is more accurate than the best word-Jaccard threshold.
    let accuracy = |said: &dyn Fn(usize) -> bool| {
        (0..labels.len()).filter(|&i| said(i) == labels[i]).count() as f64 / labels.len() as f64
    };
    let ours = accuracy(&|i| x[i][0] >= MIN_COVERAGE && MODEL.score(&x[i]) > 0.0);
    let floor = (20..=80)
        .map(|t| accuracy(&|i| x[i][2] >= t as f32 / 100.0))
        .fold(0.0, f64::max);
    assert!(
        ours > floor + 0.02,
        "ours {ours:.3}, Jaccard at best {floor:.3}"
    );
}
