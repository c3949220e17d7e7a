//! `samestory compare A B`: two articles (files or stored ids), the decisions the pipeline would
//! make about them, and the evidence behind them.
//!
//! [`compare`] computes the [`Comparison`]; the CLI ([`run`]) prints it and the server
//! (`GET /api/compare`, `/compare`) serves it, so both always agree.

use crate::exit;
use crate::format::fmt_time;
use crate::output::read_one;
use rustc_hash::FxHashMap;
use samestory_engine::analysis::{compare_pair, DocText, StoryAnalysis};
use samestory_engine::clean::Cleaner;
use samestory_engine::cluster::{is_content_word, term, Clusterer};
use samestory_engine::copies::fingerprint::{exact_jaccard, shingle_set};
use samestory_engine::pipeline::{prepare, Config, Prepared};
use samestory_engine::text::{for_each_word, word_hashes};
use samestory_engine::{Article, Term};
use samestory_store::Store;
use serde::Serialize;
use std::io::Write;
use std::path::Path;

#[derive(Clone, Debug, Serialize)]
pub struct Side {
    pub id: String,
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
    pub words: usize,
    pub removed: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Evidence {
    pub names: Vec<String>,
    pub numbers: Vec<String>,
    pub terms: Vec<String>,
}

/// What the pipeline would decide about two articles, and why.
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub same_story: bool,
    pub copy: bool,
    pub story_similarity: f32,
    pub story_threshold: f32,
    pub jaccard: f32,
    pub jaccard_estimate: f32,
    pub copy_threshold: f32,
    pub days_apart: Option<f64>,
    pub evidence: Evidence,
    pub a: Side,
    pub b: Side,
    /// Shared passages and quotes, and what each adds; spans into each side's clean text.
    pub analysis: StoryAnalysis,
    /// The two clean texts the analysis spans point into.
    #[serde(skip)]
    pub clean_texts: [String; 2],
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
    })
}

/// The engine configuration of a store (or `fallback` for a store without one), with the caller's
/// `ignore_dates`.
pub fn store_config(store: Option<&Store>, fallback: Config) -> anyhow::Result<Config> {
    Ok(match store.map(Store::config).transpose()?.flatten() {
        Some(c) => Config {
            ignore_dates: fallback.ignore_dates,
            ..c
        },
        None => fallback,
    })
}

#[derive(Default)]
struct WordInfo {
    display: String,
    name: bool,
    number: bool,
}

/// The words of a text by term, with whether they appear as a name (capitalised inside a sentence).
fn words_by_term(text: &str) -> FxHashMap<Term, WordInfo> {
    let mut out: FxHashMap<Term, WordInfo> = FxHashMap::default();
    let bytes = text.as_bytes();
    let mut last_end = 0;
    let mut sentence_start = true;
    for_each_word(text, |span, w| {
        if bytes[last_end..span.start]
            .iter()
            .any(|&b| matches!(b, b'.' | b'!' | b'?' | b'\n'))
        {
            sentence_start = true;
        }
        last_end = span.end;
        let name = bytes[span.start].is_ascii_uppercase() && !sentence_start;
        sentence_start = false;
        if !is_content_word(w) {
            return;
        }
        let e = out.entry(term(w)).or_default();
        if e.display.is_empty() || name && !e.name {
            e.display = span.slice(text).to_owned();
        }
        e.name |= name;
        e.number |= w.bytes().all(|b| b.is_ascii_digit());
    });
    out
}

fn side(a: &Article, p: &Prepared) -> Side {
    Side {
        id: a.id.clone(),
        title: a.title.clone(),
        source: a.source.clone(),
        published: p.published.map(|t| fmt_time(Some(t))),
        words: p.words,
        removed: p
            .cleaned
            .removals
            .iter()
            .map(|r| format!("{}: {}", r.reason.as_str(), r.text))
            .collect(),
    }
}

pub fn run(a: &str, b: &str, db: &Path, config: Config, json: bool) -> anyhow::Result<u8> {
    let store = if db.exists() {
        Some(Store::open(db)?)
    } else {
        None
    };
    let config = store_config(store.as_ref(), config)?;
    let (art_a, art_b) = (load(a, store.as_ref())?, load(b, store.as_ref())?);
    let result = compare(&art_a, &art_b, &config, store.as_ref())?;
    print(&result, json)
}

/// Compares two articles as the pipeline would see them, with document frequencies from `store`
/// when there is one.
pub fn compare(
    art_a: &Article,
    art_b: &Article,
    config: &Config,
    store: Option<&Store>,
) -> anyhow::Result<Comparison> {
    let config = *config;
    let cleaner = Cleaner::default();
    let (pa, pb) = (
        prepare(art_a, &cleaner, &config),
        prepare(art_b, &cleaner, &config),
    );
    let (wa, wb) = (word_hashes(&pa.cleaned.text), word_hashes(&pb.cleaned.text));
    let jaccard = exact_jaccard(
        &shingle_set(&wa, config.shingle),
        &shingle_set(&wb, config.shingle),
    );
    let jaccard_estimate = pa.signature.jaccard(&pb.signature);
    let copy = pa.exact_hash == pb.exact_hash || jaccard >= config.copy_threshold;

    // The story decision exactly as the clusterer makes it, with document frequencies from the
    // database when there is one.
    let mut clusterer = Clusterer::new(config.cluster);
    if let Some(store) = store {
        let (df, docs) = store.document_frequencies()?;
        clusterer.restore(df, docs, Vec::new());
    }
    let at = |p: &Prepared| {
        if config.ignore_dates {
            None
        } else {
            p.published
        }
    };
    let first = clusterer.add(&pa.terms, at(&pa));
    let second = clusterer.add(&pb.terms, at(&pb));
    let same_story = copy || second.story == first.story;
    let story_similarity = if second.created {
        let v = clusterer.vectorize(&pb.terms);
        clusterer
            .best_story(&v, None)
            .filter(|(s, _)| *s == first.story)
            .map_or(0.0, |(_, sim)| sim)
    } else {
        second.similarity
    };

    // Evidence: shared names, numbers and the most distinctive shared terms.
    let (ta, tb) = (
        words_by_term(&pa.cleaned.text),
        words_by_term(&pb.cleaned.text),
    );
    let va: FxHashMap<Term, f32> = clusterer.vectorize(&pa.terms).into_iter().collect();
    let vb: FxHashMap<Term, f32> = clusterer.vectorize(&pb.terms).into_iter().collect();
    let mut shared: Vec<(f32, &WordInfo, bool)> = ta
        .iter()
        .filter_map(|(t, info)| {
            tb.get(t).map(|other| {
                (
                    va.get(t).copied().unwrap_or(0.0) * vb.get(t).copied().unwrap_or(0.0),
                    info,
                    info.name && other.name,
                )
            })
        })
        .collect();
    shared.sort_by(|x, y| {
        y.0.total_cmp(&x.0)
            .then_with(|| x.1.display.cmp(&y.1.display))
    });
    let names = shared
        .iter()
        .filter(|s| s.2)
        .map(|s| s.1.display.clone())
        .take(15)
        .collect();
    let numbers = shared
        .iter()
        .filter(|s| s.1.number)
        .map(|s| s.1.display.clone())
        .take(10)
        .collect();
    let terms = shared
        .iter()
        .filter(|s| !s.2 && !s.1.number)
        .map(|s| s.1.display.to_lowercase())
        .take(15)
        .collect();
    let days_apart = match (pa.published, pb.published) {
        (Some(x), Some(y)) => Some((x - y).abs() as f64 / 86_400.0),
        _ => None,
    };
    let outlet = |a: &Article| a.source.clone().unwrap_or_else(|| a.id.clone());
    let analysis = compare_pair(
        &DocText {
            doc: 0,
            outlet: outlet(art_a),
            text: &pa.cleaned.text,
        },
        &DocText {
            doc: 1,
            outlet: outlet(art_b),
            text: &pb.cleaned.text,
        },
    );
    let result = Comparison {
        same_story,
        copy,
        story_similarity,
        story_threshold: config.cluster.threshold,
        jaccard,
        jaccard_estimate,
        copy_threshold: config.copy_threshold,
        days_apart,
        evidence: Evidence {
            names,
            numbers,
            terms,
        },
        a: side(art_a, &pa),
        b: side(art_b, &pb),
        analysis,
        clean_texts: [pa.cleaned.text.clone(), pb.cleaned.text.clone()],
    };
    Ok(result)
}

fn print(result: &Comparison, json: bool) -> anyhow::Result<u8> {
    let Comparison {
        same_story,
        copy,
        story_similarity,
        jaccard,
        jaccard_estimate,
        days_apart,
        ..
    } = *result;
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
    for (label, s) in [("A", &result.a), ("B", &result.b)] {
        writeln!(
            out,
            "{label}: {} ({} words, published {})",
            s.id,
            s.words,
            s.published.as_deref().unwrap_or("-")
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
