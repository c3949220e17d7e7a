//! Sentence-match decision against the MSRP paraphrase labels (train file), beside a bag-of-words
//! baseline.
//!
//! Run: `cargo run --release -p samestory-engine --example eval_msrp [path]`
//! Default path: `/work/shared/data/msrp/msr_paraphrase_train.txt` (see its SOURCE.md).

use samestory_engine::analysis::similar::{
    coverage, sentences_match, word_set, Idf, SIM_THRESHOLD,
};
use samestory_engine::analysis::{align_pair, words::Words};

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

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/msrp/msr_paraphrase_train.txt"
        )
        .into()
    });
    let raw = match std::fs::read_to_string(&path) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("skipped: cannot read {path}: {e}");
            return;
        }
    };
    let mut pairs: Vec<(bool, String, String)> = Vec::new();
    for line in raw.trim_start_matches('\u{FEFF}').lines().skip(1) {
        let f: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
        if f.len() == 5 {
            pairs.push((f[0] == "1", f[3].to_owned(), f[4].to_owned()));
        }
    }
    let positives = pairs.iter().filter(|p| p.0).count();
    println!("{} pairs, {} labelled paraphrase", pairs.len(), positives);

    let sets: Vec<(Vec<u64>, Vec<u64>)> = pairs
        .iter()
        .map(|(_, a, b)| (word_set(a), word_set(b)))
        .collect();
    let idf = Idf::from_sets(sets.iter().flat_map(|(a, b)| [a.as_slice(), b.as_slice()]));

    // Scores once; decisions at several thresholds.
    let mut rows: Vec<(bool, f64, f32, bool)> = Vec::new(); // truth, jaccard, min coverage, aligned
    let mut ours = Counts::default();
    for ((truth, a, b), (sa, sb)) in pairs.iter().zip(&sets) {
        let cov = coverage(sa, sb, &idf).min(coverage(sb, sa, &idf));
        let (wa, wb) = (Words::new(a).len().max(1), Words::new(b).len().max(1));
        let aligned = align_pair(a, b)
            .iter()
            .any(|p| p.words * 2 >= wa && p.words * 2 >= wb);
        rows.push((*truth, jaccard(sa, sb), cov, aligned));
        ours.add(*truth, sentences_match(a, b, &idf));
    }

    let mut all_yes = Counts::default();
    for r in &rows {
        all_yes.add(r.0, true);
    }
    println!(
        "\n| decision | precision | recall | F1 | accuracy |\n| --- | --- | --- | --- | --- |"
    );
    println!("{}", all_yes.line("always \"same\" (trivial)"));
    let mut best_bow = (0.0, 0.0, Counts::default());
    for t in (20..=80).step_by(5) {
        let t = t as f64 / 100.0;
        let mut c = Counts::default();
        for r in &rows {
            c.add(r.0, r.1 >= t);
        }
        if c.prf().2 > best_bow.0 {
            best_bow = (c.prf().2, t, c);
        }
    }
    let mut bow50 = Counts::default();
    for r in &rows {
        bow50.add(r.0, r.1 >= 0.5);
    }
    println!("{}", bow50.line("bag of words: Jaccard >= 0.50"));
    println!(
        "{}",
        best_bow.2.line(&format!(
            "bag of words: Jaccard >= {:.2} (best F1 on this file)",
            best_bow.1
        ))
    );
    println!(
        "{}",
        ours.line(&format!(
            "ours: `sentences_match` (weighted coverage >= {SIM_THRESHOLD} both ways, or aligned)"
        ))
    );
    let mut aligned_only = Counts::default();
    for r in &rows {
        aligned_only.add(r.0, r.3);
    }
    println!(
        "{}",
        aligned_only.line("ours: alignment alone (passage >= half of both)")
    );

    println!("\nsweep of the weighted threshold (with alignment):");
    println!("| threshold | precision | recall | F1 | accuracy |\n| --- | --- | --- | --- | --- |");
    for t in (40..=80).step_by(5) {
        let t = t as f32 / 100.0;
        let mut c = Counts::default();
        for r in &rows {
            c.add(r.0, r.2 >= t || r.3);
        }
        let (p, rc, f, a) = c.prf();
        println!("| {t:.2} | {p:.3} | {rc:.3} | {f:.3} | {a:.3} |");
    }
}
