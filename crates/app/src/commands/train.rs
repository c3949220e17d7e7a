//! `samestory train-stories`: fits the learned same-story decision on labeled data sets.
//!
//! Each set is read as `eval` reads it (publication order, the same cleaning and terms); every
//! article meets the candidate stories a clusterer that had been right so far would offer it
//! ([`labeled_candidates`]), and the logistic model is fitted on those candidates, each set
//! weighing as much as any other. The model file records the sets, their sizes and the command.

use super::eval::labeled_articles;
use crate::input::ReadOptions;
use anyhow::Context;
use samestory_engine::clean::Cleaner;
use samestory_engine::pipeline::{prepare, Config};
use samestory_engine::stories::model::{labeled_candidates, StoryModel, FEATURE_NAMES};
use samestory_engine::stories::Clusterer;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// One labeled data set of a training spec.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingSet {
    /// The name `--leave-out` refers to.
    pub name: String,
    /// The file, relative to the spec file's folder.
    pub path: PathBuf,
    /// The field holding the gold story label.
    pub label: String,
    /// Take the text from this field.
    #[serde(default)]
    pub text_field: Option<String>,
    /// Read the set as if no article had a date (as `eval --ignore-dates`).
    #[serde(default)]
    pub ignore_dates: bool,
}

/// L2 penalty of the fit: small, the features are few and the rows many.
const L2: f64 = 1.0;

pub fn run(spec: &Path, out: &Path, leave_out: &[String], config: Config) -> anyhow::Result<u8> {
    let sets: Vec<TrainingSet> = serde_json::from_str(
        &std::fs::read_to_string(spec).with_context(|| format!("reading {}", spec.display()))?,
    )
    .with_context(|| format!("{}: not a list of training sets", spec.display()))?;
    for name in leave_out {
        if !sets.iter().any(|s| &s.name == name) {
            anyhow::bail!("--leave-out {name}: no such set in {}", spec.display());
        }
    }
    let base = spec.parent().unwrap_or(Path::new("."));
    let cleaner = Cleaner::default();
    let mut rows = Vec::new();
    let mut used = Vec::new();
    for set in sets.iter().filter(|s| !leave_out.contains(&s.name)) {
        let path = base.join(&set.path);
        let opts = ReadOptions {
            text_field: set.text_field.clone(),
            ..ReadOptions::default()
        };
        let (mut articles, _) = labeled_articles(std::slice::from_ref(&path), &set.label, &opts)
            .with_context(|| format!("set {}: {}", set.name, path.display()))?;
        let ignore_dates = config.ignore_dates || set.ignore_dates;
        crate::order::sort(&mut articles, ignore_dates);
        let mut clusterer = Clusterer::new(config.cluster);
        let n = articles.len();
        let prepared = articles.iter().map(|a| {
            let p = prepare(a, &cleaner, &config);
            let at = if ignore_dates { None } else { p.published };
            (p.terms, at, a.meta[&set.label].to_string())
        });
        let set_rows = labeled_candidates(&mut clusterer, prepared);
        let positives = set_rows.iter().filter(|(_, y)| *y).count();
        eprintln!(
            "{}: {n} articles, {} candidates ({positives} of the article's story)",
            set.name,
            set_rows.len()
        );
        // Each set weighs as much as any other, whatever its size.
        let weight = 1e4 / set_rows.len().max(1) as f32;
        rows.extend(set_rows.into_iter().map(|(f, y)| (f, y, weight)));
        used.push(serde_json::json!({
            "name": set.name, "path": set.path, "label": set.label, "articles": n,
            "ignore_dates": ignore_dates,
        }));
    }
    let weights = StoryModel::fit(&rows, L2);
    let model = StoryModel {
        features: FEATURE_NAMES.iter().map(|s| s.to_string()).collect(),
        weights: weights.to_vec(),
        provenance: serde_json::json!({
            "command": format!(
                "samestory train-stories {}{}",
                spec.display(),
                leave_out.iter().map(|n| format!(" --leave-out {n}")).collect::<String>()
            ),
            "sets": used,
            "fit": format!("logistic regression, Newton's method, L2 {L2}, each set weighing equally"),
        }),
    };
    let mut json = serde_json::to_string_pretty(&model)?;
    json.push('\n');
    std::fs::write(out, json).with_context(|| format!("writing {}", out.display()))?;
    for (name, w) in FEATURE_NAMES.iter().zip(&weights) {
        eprintln!("{name:>24} {w:+.3}");
    }
    Ok(crate::exit::OK)
}
