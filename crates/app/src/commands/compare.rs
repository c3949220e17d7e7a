//! `samestory compare A B`: two articles (files or stored ids), the decisions the pipeline would
//! make about them, and the evidence behind them.
//!
//! The engine works the verdict out (`samestory_engine::explain`); [`compare`] gives it the
//! database's document frequencies and writes its dates out; the CLI ([`run`]) prints the
//! [`Comparison`] and the server (`GET /api/compare`, `/compare`) serves it, so both always agree.

use crate::exit;
use crate::format::fmt_time;
use crate::output::read_one;
use samestory_engine::analysis::StoryAnalysis;
use samestory_engine::explain::{self, explain, Decision, Verdict};
use samestory_engine::pipeline::Config;
use samestory_engine::Article;
use samestory_store::Store;
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// One article of a [`Comparison`] as printed and served: its date written out.
#[derive(Clone, Debug, Serialize)]
pub struct Side {
    pub id: String,
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
    pub words: usize,
    pub removed: Vec<String>,
    /// ISO 639 code: the one the input named, else the one the text reads as.
    pub language: Option<String>,
}

impl From<explain::Side> for Side {
    fn from(s: explain::Side) -> Side {
        Side {
            id: s.id,
            title: s.title,
            source: s.source,
            published: s.published.map(|t| fmt_time(Some(t))),
            words: s.words,
            removed: s.removed,
            language: s.language.map(|l| l.to_string()),
        }
    }
}

/// What the pipeline would decide about two articles, and why: the engine's [`Verdict`] as
/// printed and served (the decision's fields first, then the two sides and the analysis).
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    #[serde(flatten)]
    pub decision: Decision,
    pub a: Side,
    pub b: Side,
    /// Shared passages and quotes, and what each adds; spans into each side's clean text.
    pub analysis: StoryAnalysis,
    /// The two clean texts the analysis spans point into.
    #[serde(skip)]
    pub clean_texts: [String; 2],
}

impl std::ops::Deref for Comparison {
    type Target = Decision;
    fn deref(&self) -> &Decision {
        &self.decision
    }
}

fn load(arg: &str, store: Option<&Store>) -> anyhow::Result<Article> {
    let path = Path::new(arg);
    if path.exists() {
        return read_one(path);
    }
    let Some(store) = store else {
        anyhow::bail!("{arg}: no such file, and no database to look it up in");
    };
    Ok(stored_article(store, arg)?)
}

/// A stored article as the engine takes it (its original text, so it is prepared anew).
pub fn stored_article(store: &Store, id: &str) -> samestory_store::Result<Article> {
    let full = store.article(id)?;
    let meta = match full.meta {
        serde_json::Value::Object(m) => m,
        _ => Default::default(),
    };
    Ok(Article {
        id: full.row.id,
        url: full.row.url,
        title: full.row.title,
        source: full.row.source,
        published: full.row.published,
        text: full.text,
        meta,
        origin: None,
    })
}

/// Compares `a` and `b` (files, or ids stored in the database at `db`) with `config` (the
/// database's settings and the flags given, `EngineArgs::config_over`) and prints the verdict.
pub fn run(a: &str, b: &str, db: &Path, config: Config, json: bool) -> anyhow::Result<u8> {
    let store = if db.exists() {
        Some(Store::open(db)?)
    } else {
        None
    };
    let (art_a, art_b) = (load(a, store.as_ref())?, load(b, store.as_ref())?);
    let result = compare(&art_a, &art_b, &config, store.as_ref())?;
    print(&result, json)
}

/// Compares two articles as the pipeline would see them ([`explain()`]), with document frequencies
/// from `store` when there is one.
pub fn compare(
    art_a: &Article,
    art_b: &Article,
    config: &Config,
    store: Option<&Store>,
) -> anyhow::Result<Comparison> {
    let df = store.map(Store::document_frequencies).transpose()?;
    let Verdict {
        decision,
        a,
        b,
        analysis,
        clean_texts,
    } = explain(art_a, art_b, config, df);
    Ok(Comparison {
        decision,
        a: a.into(),
        b: b.into(),
        analysis,
        clean_texts,
    })
}

fn print(result: &Comparison, json: bool) -> anyhow::Result<u8> {
    let Decision {
        same_story,
        copy,
        story_similarity,
        jaccard,
        jaccard_estimate,
        days_apart,
        ..
    } = result.decision;
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(result)?)?;
        return Ok(exit::OK);
    }
    let yes = |b: bool| if b { "yes" } else { "no" };
    writeln!(
        out,
        "same story: {}  (similarity {:.3}, threshold {:.2})",
        yes(same_story),
        story_similarity,
        result.story_threshold
    )?;
    writeln!(
        out,
        "copy:       {}  (Jaccard {:.3}, estimate {:.3}, threshold {:.2})",
        yes(copy),
        jaccard,
        jaccard_estimate,
        result.copy_threshold
    )?;
    if let Some(d) = days_apart {
        writeln!(out, "published {d:.1} days apart")?;
    }
    writeln!(out, "shared names:   {}", result.evidence.names.join(", "))?;
    writeln!(
        out,
        "shared numbers: {}",
        result.evidence.numbers.join(", ")
    )?;
    writeln!(out, "shared terms:   {}", result.evidence.terms.join(", "))?;
    if let Some(x) = &result.across_languages {
        writeln!(
            out,
            "across languages: {}  (names: {}; numbers: {})",
            if x.linked { "linked" } else { "not linked" },
            x.names.join(", "),
            x.numbers.join(", ")
        )?;
    }
    for (label, s) in [("A", &result.a), ("B", &result.b)] {
        writeln!(
            out,
            "{label}: {} ({} words, published {}, language {})",
            s.id,
            s.words,
            s.published.as_deref().unwrap_or("-"),
            s.language.as_deref().unwrap_or("-")
        )?;
        for r in &s.removed {
            writeln!(out, "   removed {r}")?;
        }
    }
    let outlet = |s: &Side| s.source.clone().unwrap_or_else(|| s.id.clone());
    let (oa, ob) = (outlet(&result.a), outlet(&result.b));
    crate::output::print_analysis(&mut out, &result.analysis, &result.clean_texts, &[&oa, &ob])?;
    Ok(exit::OK)
}
