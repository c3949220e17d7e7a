//! Sentence-match decision against the MSRP paraphrase labels (train file), beside a bag-of-words
//! floor, both measured out of fold.
//!
//! Run: `cargo run --release -p samestory-engine --example eval_msrp [path]`
//! Default path: `/work/shared/data/msrp/msr_paraphrase_train.txt` (see its SOURCE.md).
//!
//! What it does:
//! 1. Features ([`features`]) of every pair, word weights from the file's sentences (no labels).
//! 2. 10-fold cross-validation (pairs shuffled with a fixed seed): on each fold, a logistic
//!    regression is fitted on the other nine and decides the fold's pairs; the floor, word Jaccard
//!    ≥ t, takes the `t` with the best F1 on the other nine. The table reports the decisions made
//!    out of fold, summed over the folds.
//! 3. The model fitted on the whole file: printed as the Rust constant to ship, and compared
//!    with the shipped [`MODEL`].

use samestory_engine::analysis::similar::{
    carried, features, fit_logistic, probe_words, Idf, Model, SentenceKeys, FEATURES,
    FEATURE_NAMES, FIT_L2, MIN_COVERAGE, MODEL,
};
use samestory_engine::analysis::{align_pair, words::Words};

const FOLDS: usize = 10;

#[allow(dead_code)]
#[path = "../tests/support/mod.rs"]
mod support;

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
    tn: usize,
}

impl Counts {
    fn add(&mut self, truth: bool, said: bool) {
        match (truth, said) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }
    fn prf(&self) -> (f64, f64, f64, f64) {
        let p = self.tp as f64 / (self.tp + self.fp).max(1) as f64;
        let r = self.tp as f64 / (self.tp + self.fn_).max(1) as f64;
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        let acc = (self.tp + self.tn) as f64 / (self.tp + self.fp + self.fn_ + self.tn) as f64;
        (p, r, f, acc)
    }
    fn line(&self, name: &str) -> String {
        let (p, r, f, a) = self.prf();
        format!("| {name} | {p:.3} | {r:.3} | {f:.3} | {a:.3} |")
    }
}

fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let inter = a.iter().filter(|x| b.binary_search(x).is_ok()).count();
    inter as f64 / (a.len() + b.len() - inter).max(1) as f64
}

/// The Jaccard threshold (0.20..=0.80 by 0.01) with the best F1 (or accuracy) on `rows`.
fn best_jaccard(rows: &[&Row], accuracy: bool) -> f64 {
    let mut best = (-1.0, 0.0);
    for t in 20..=80 {
        let t = t as f64 / 100.0;
        let mut c = Counts::default();
        for r in rows {
            c.add(r.truth, r.jaccard >= t);
        }
        let (_, _, f1, acc) = c.prf();
        let v = if accuracy { acc } else { f1 };
        if v > best.0 {
            best = (v, t);
        }
    }
    best.1
}

struct Row {
    truth: bool,
    jaccard: f64,
    f: [f32; FEATURES],
    /// The decision before the model: weighted coverage ≥ 0.5 both ways, or aligned.
    old: bool,
}

fn decide(m: &Model, f: &[f32; FEATURES], gate: bool) -> bool {
    (!gate || f[0] >= MIN_COVERAGE) && m.score(f) > 0.0
}

fn print_model(m: &Model) {
    println!("pub const MODEL: Model = Model {{\n    weights: [");
    for (w, name) in m.weights.iter().zip(FEATURE_NAMES) {
        println!("        {w:.4}, // {name}");
    }
    println!("    ],\n    bias: {:.4},\n}};", m.bias);
}

fn main() {
    let path = support::shared_data_path("msrp/msr_paraphrase_train.txt", std::env::args().nth(1));
    let Some(raw) = support::read_or_skip(&path) else {
        return;
    };
    let pairs = support::msrp_pairs(&raw);
    let positives = pairs.iter().filter(|p| p.0).count();
    println!("{} pairs, {} labelled paraphrase", pairs.len(), positives);

    let keys: Vec<(SentenceKeys, SentenceKeys)> = pairs
        .iter()
        .map(|(_, a, b)| (SentenceKeys::new(a), SentenceKeys::new(b)))
        .collect();
    let idf = Idf::from_sets(
        keys.iter()
            .flat_map(|(a, b)| [a.words.as_slice(), b.words.as_slice()]),
    );
    let t0 = std::time::Instant::now();
    let rows: Vec<Row> = pairs
        .iter()
        .zip(&keys)
        .map(|((truth, a, b), (ka, kb))| {
            let f = features(ka, kb, &idf);
            let (wa, wb) = (Words::new(a).len().max(1), Words::new(b).len().max(1));
            let aligned = || {
                align_pair(a, b)
                    .iter()
                    .any(|p| p.words * 2 >= wa && p.words * 2 >= wb)
            };
            let cov = f[0];
            Row {
                truth: *truth,
                jaccard: jaccard(&ka.words, &kb.words),
                f,
                old: cov >= 0.5 || aligned(),
            }
        })
        .collect();
    let per_pair = t0.elapsed().as_secs_f64() * 1e9 / rows.len() as f64;

    // Folds: a fixed shuffle, then every FOLDS-th pair.
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let mut rng = support::Rng(0x2545_F491_4F6C_DD1D);
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let fold_of: Vec<usize> = {
        let mut f = vec![0; rows.len()];
        for (k, &i) in order.iter().enumerate() {
            f[i] = k % FOLDS;
        }
        f
    };
    let (mut model_cv, mut model_nogate_cv, mut floor_cv, mut model_f1_cv) = (
        Counts::default(),
        Counts::default(),
        Counts::default(),
        Counts::default(),
    );
    let mut f1_cuts = Vec::new();
    let (mut floor_acc_cv, mut floor_acc_ts) = (Counts::default(), Vec::new());
    let mut gate_changed = 0;
    let mut floor_ts = Vec::new();
    for fold in 0..FOLDS {
        let train: Vec<&Row> = (0..rows.len())
            .filter(|&i| fold_of[i] != fold)
            .map(|i| &rows[i])
            .collect();
        let x: Vec<[f32; FEATURES]> = train.iter().map(|r| r.f).collect();
        let y: Vec<bool> = train.iter().map(|r| r.truth).collect();
        let m = fit_logistic(&x, &y, FIT_L2);
        let t = best_jaccard(&train, false);
        let ta = best_jaccard(&train, true);
        floor_acc_ts.push(format!("{ta:.2}"));
        // The score cut with the best F1 on the training folds (the model's own cut is 0).
        let mut cut = (-1.0, 0.0f32);
        for c in -30..=10 {
            let c = c as f32 / 10.0;
            let mut n = Counts::default();
            for r in &train {
                n.add(r.truth, r.f[0] >= MIN_COVERAGE && m.score(&r.f) > c);
            }
            if n.prf().2 > cut.0 {
                cut = (n.prf().2, c);
            }
        }
        f1_cuts.push(format!("{:.1}", cut.1));
        floor_ts.push(t);
        for (i, r) in rows.iter().enumerate() {
            if fold_of[i] != fold {
                continue;
            }
            let (with, without) = (decide(&m, &r.f, true), decide(&m, &r.f, false));
            model_cv.add(r.truth, with);
            model_nogate_cv.add(r.truth, without);
            gate_changed += (with != without) as usize;
            floor_cv.add(r.truth, r.jaccard >= t);
            floor_acc_cv.add(r.truth, r.jaccard >= ta);
            model_f1_cv.add(r.truth, r.f[0] >= MIN_COVERAGE && m.score(&r.f) > cut.1);
        }
    }

    let mut all_yes = Counts::default();
    let mut old = Counts::default();
    for r in &rows {
        all_yes.add(r.truth, true);
        old.add(r.truth, r.old);
    }
    let all: Vec<&Row> = rows.iter().collect();
    let t_all = best_jaccard(&all, false);
    let mut floor_in = Counts::default();
    for r in &rows {
        floor_in.add(r.truth, r.jaccard >= t_all);
    }
    let floor_ts: Vec<String> = floor_ts.iter().map(|t| format!("{t:.2}")).collect();

    println!("\n{FOLDS}-fold cross-validation (out-of-fold decisions, summed over the folds):");
    println!(
        "\n| decision | precision | recall | F1 | accuracy |\n| --- | --- | --- | --- | --- |"
    );
    println!("{}", all_yes.line("always \"same\" (trivial)"));
    println!(
        "{}",
        floor_cv.line(&format!(
            "floor: word Jaccard >= t, t of best F1 on the training folds ({})",
            floor_ts.join(" ")
        ))
    );
    println!(
        "{}",
        floor_acc_cv.line(&format!(
            "floor: word Jaccard >= t, t of best accuracy on the training folds ({})",
            floor_acc_ts.join(" ")
        ))
    );
    println!(
        "{}",
        model_cv.line(&format!(
            "ours: logistic model on {FEATURES} lexical features, coverage gate {MIN_COVERAGE}"
        ))
    );
    println!(
        "{}",
        model_nogate_cv.line("ours: the same model without the gate")
    );
    println!(
        "{}",
        model_f1_cv.line(&format!(
            "ours: the same model, score cut of best F1 on the training folds ({})",
            f1_cuts.join(" ")
        ))
    );
    println!(
        "(the gate changed {gate_changed} of {} decisions)",
        rows.len()
    );

    println!("\nFitted or tuned on the whole file (in sample, for reference):");
    println!(
        "\n| decision | precision | recall | F1 | accuracy |\n| --- | --- | --- | --- | --- |"
    );
    println!(
        "{}",
        floor_in.line(&format!("floor: word Jaccard >= {t_all:.2} (best F1)"))
    );
    println!(
        "{}",
        old.line("before: weighted coverage >= 0.5 both ways, or aligned")
    );
    let full = fit_logistic(
        &rows.iter().map(|r| r.f).collect::<Vec<_>>(),
        &rows.iter().map(|r| r.truth).collect::<Vec<_>>(),
        FIT_L2,
    );
    let mut shipped = Counts::default();
    for r in &rows {
        shipped.add(r.truth, decide(&MODEL, &r.f, true));
    }
    println!(
        "{}",
        shipped.line("ours: shipped `MODEL` (fitted on all pairs)")
    );

    // What `analyze_story` links: the model, or one sentence contained in the other; and how
    // many of those links its look-up by the rarest words finds.
    let mut story = Counts::default();
    let mut before_story = Counts::default();
    for r in &rows {
        // Before: `analyze_story` linked when either sentence carried >= 0.5 of the other's weight.
        before_story.add(r.truth, r.f[1] >= 0.5);
    }
    let (mut linked, mut found_either, mut found_first) = (0, 0, 0);
    let (mut said_same, mut said_same_found) = (0, 0);
    for (r, (a, b)) in rows.iter().zip(&keys) {
        let (ab, ba) = (carried(a, b, &idf), carried(b, a, &idf));
        story.add(r.truth, ab || ba);
        let holds = |x: &SentenceKeys, y: &SentenceKeys| {
            probe_words(&x.words, &idf)
                .iter()
                .any(|w| y.words.binary_search(w).is_ok())
        };
        if ab || ba {
            linked += 1;
            let from_a = ab && holds(a, b);
            let from_b = ba && holds(b, a);
            found_either += (from_a || from_b) as usize;
            found_first += (if ab { from_a } else { from_b }) as usize;
        }
        if decide(&MODEL, &r.f, true) {
            said_same += 1;
            said_same_found += (holds(a, b) || holds(b, a)) as usize;
        }
    }
    println!(
        "{}",
        before_story.line("story links before: weighted coverage >= 0.5 one way (either)")
    );
    println!(
        "{}",
        story.line(
            "story links: `carried` either way (model, or contained at >= 0.5 with its numbers)"
        )
    );
    println!(
        "\nlook-up by the {} rarest words: of the {said_same} pairs `MODEL` calls the same, \
         {said_same_found} ({:.1} %) hold a rare word of the other; of the {linked} pairs \
         `carried` links, the look-up from either side finds {found_either} ({:.1} %), from the \
         carried side alone {found_first} ({:.1} %)",
        samestory_engine::analysis::similar::PROBE_WORDS,
        100.0 * said_same_found as f64 / said_same.max(1) as f64,
        100.0 * found_either as f64 / linked.max(1) as f64,
        100.0 * found_first as f64 / linked.max(1) as f64,
    );
    println!("\nfeatures: {:.0} ns per pair", per_pair);
    println!("\nweights fitted on all {} pairs:\n", rows.len());
    print_model(&full);
    let same = full
        .weights
        .iter()
        .zip(MODEL.weights)
        .all(|(a, b)| (a - b).abs() < 5e-4)
        && (full.bias - MODEL.bias).abs() < 5e-4;
    println!(
        "\nshipped MODEL {} these weights",
        if same { "matches" } else { "DIFFERS FROM" }
    );
}
