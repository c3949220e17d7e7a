//! `samestory eval`: stories scored against a gold label field.
//!
//! The input is ingested into a temporary store with the normal pipeline. Articles are taken in
//! publication order when they have dates (as a live stream would deliver them; stable, so equal
//! dates keep the input order), in input order otherwise or with `--ignore-dates`.

use super::messages::{Kind, Messages};
use crate::exit;
use crate::ingest::{Ingester, Outcome};
use crate::input::{read_paths, ReadOptions, Record};
use samestory_engine::article::Article;
use samestory_engine::metrics::score;
use samestory_engine::pipeline::Config;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The articles of `paths` that carry the label field, and how many records were rejected
/// (each named on stderr, as every reading command names them); articles without the label are
/// left out with a note, and none at all is an error.
pub fn labeled_articles(
    paths: &[PathBuf],
    label: &str,
    opts: &ReadOptions,
) -> anyhow::Result<(Vec<Article>, usize)> {
    let mut articles = Vec::new();
    let mut rejected = 0;
    let mut messages = Messages::default();
    read_paths(paths, opts, &mut |r| match r {
        Record::Article(a, _) => articles.push(*a),
        Record::Error(e) => {
            rejected += 1;
            messages.print(Kind::Error, &e);
        }
    })?;
    messages.print_hidden();
    let mut unlabelled = 0;
    articles.retain(|a| {
        let ok = a.meta.get(label).is_some_and(|v| !v.is_null());
        unlabelled += usize::from(!ok);
        ok
    });
    if articles.is_empty() {
        anyhow::bail!("no article carries the label field `{label}`");
    }
    if unlabelled > 0 {
        eprintln!(
            "note: {} without `{label}` left out",
            crate::format::count(unlabelled as u64, "article", "articles")
        );
    }
    Ok((articles, rejected))
}

/// The B-cubed, pairwise and ARI lines of a score, each led by `indent`.
fn print_scores(
    out: &mut impl Write,
    indent: &str,
    s: &samestory_engine::metrics::Scores,
) -> std::io::Result<()> {
    let (b, p) = (&s.bcubed, &s.pairwise);
    writeln!(
        out,
        "{indent}B-cubed   P {:.4}  R {:.4}  F1 {:.4}",
        b.precision, b.recall, b.f1
    )?;
    writeln!(
        out,
        "{indent}pairwise  P {:.4}  R {:.4}  F1 {:.4}",
        p.precision, p.recall, p.f1
    )?;
    writeln!(out, "{indent}ARI       {:.4}", s.ari)
}

pub fn run(
    paths: &[PathBuf],
    label: &str,
    config: Config,
    opts: &ReadOptions,
    storylines: bool,
    json: bool,
    assignments: Option<&Path>,
) -> anyhow::Result<u8> {
    let (mut articles, rejected) = labeled_articles(paths, label, opts)?;
    // In publication order, as ingest decides a file that fits its buffer (see `crate::order`).
    crate::order::sort(&mut articles, config.ignore_dates);
    let dir = tempfile::tempdir()?;
    let mut ing = Ingester::open(&dir.path().join("eval.db"), config)?;
    let started = std::time::Instant::now();
    let mut predicted = Vec::with_capacity(articles.len());
    let mut gold = Vec::with_capacity(articles.len());
    let mut ids = Vec::with_capacity(articles.len());
    for a in &articles {
        gold.push(a.meta[label].to_string());
        ids.push(a.id.clone());
    }
    let mut rest = articles;
    while !rest.is_empty() {
        let tail = rest.split_off(rest.len().min(2000));
        for o in ing.ingest(std::mem::replace(&mut rest, tail))? {
            // A repeated id is the same article again, in the story it was stored in.
            let story = match o {
                Outcome::Stored { story, .. } | Outcome::AlreadyStored { story, .. } => story,
                // Another text under a stored id is in no story: a story of its own.
                Outcome::Conflict { id, .. } => format!("conflict:{id}"),
            };
            predicted.push(story);
        }
    }
    ing.finish()?;
    let seconds = started.elapsed().as_secs_f64();
    let s = score(&predicted, &gold);
    // Storylines: each article's storyline (its story's own id for a story in none).
    let lines = if storylines {
        let store = samestory_store::Store::open_read_only(dir.path().join("eval.db"))?;
        let line_of: std::collections::HashMap<String, String> =
            store.storyline_assignments()?.into_iter().collect();
        let predicted_lines: Vec<String> = ids.iter().map(|id| line_of[id].clone()).collect();
        Some(score(&predicted_lines, &gold))
    } else {
        None
    };
    if let Some(path) = assignments {
        write_assignments(path, &ids, &gold, &predicted)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    }
    let mut out = std::io::stdout().lock();
    if json {
        let mut v = serde_json::to_value(s)?;
        v["articles"] = predicted.len().into();
        v["seconds"] = seconds.into();
        if let Some(l) = &lines {
            v["storylines"] = serde_json::to_value(l)?;
        }
        writeln!(out, "{v}")?;
    } else {
        writeln!(
            out,
            "articles {}  stories {}  labels {}",
            predicted.len(),
            s.stories,
            s.labels
        )?;
        print_scores(&mut out, "", &s)?;
        if let Some(l) = &lines {
            writeln!(out, "storylines {}", l.stories)?;
            print_scores(&mut out, "  ", l)?;
        }
    }
    Ok(if rejected > 0 {
        exit::PARTIAL
    } else {
        exit::OK
    })
}

/// One line per article: id, gold label, predicted story, tab-separated, with a header row.
fn write_assignments(
    path: &Path,
    ids: &[String],
    gold: &[String],
    predicted: &[String],
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "id\tlabel\tstory")?;
    for ((id, label), story) in ids.iter().zip(gold).zip(predicted) {
        writeln!(out, "{id}\t{label}\t{story}")?;
    }
    out.flush()
}
