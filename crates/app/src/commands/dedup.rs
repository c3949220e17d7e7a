//! `samestory dedup`: batch near-duplicate removal for corpus builders. No database.
//!
//! Three streaming passes over the input, so that memory grows with the number of signatures
//! (512 bytes an article), not with the text:
//!
//! 1. **Signatures.** The input is read through [`crate::input`] (every format, the field
//!    aliases, `--text-field`, file:line errors) in chunks whose records are parsed and
//!    fingerprinted in parallel (words, shingles, one-permutation MinHash); then LSH runs in bulk,
//!    a band at a time ([`batch::candidate_pairs_with`]). Pairs that share a bucket and whose
//!    estimated Jaccard is within [`batch::ESTIMATE_MARGIN`] of the threshold become candidates.
//! 2. **Verification.** The input is read again; only articles in a candidate pair are shingled,
//!    and each candidate pair gets its **exact** Jaccard similarity ([`batch::Verifier`]), so the
//!    output holds no pair below the threshold.
//! 3. **Output.** Verified pairs are joined into copy families ([`batch::families`]); each
//!    family's original is its earliest published member, then the first in the input. With
//!    `--output`, the articles to keep (originals and articles without copies) are written: a
//!    JSONL line that holds one article is copied as it is; an article from a CSV row, a `.txt`
//!    file or a JSON array is written as the JSON object samestory read.
//!
//! Articles are numbered by (source, unit of the chunked reader, item in the unit), which the
//! three passes see the same way. Standard input is read into memory once and read from there.
//!
//! Text is taken as it is (no cleaning), as the peer tools do: the similarity is that of the
//! words of the text (lower case, split like `\w+`).

use super::messages::{Kind, Messages};
use crate::input::{parse_line, read_units, sources, ReadOptions, Record, Source, Unit};
use anyhow::Context;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use samestory_engine::batch::{self, Verifier};
use samestory_engine::copies::fingerprint::{signature, Signature};
use samestory_engine::copies::Banding;
use samestory_engine::text::word_hashes;
use serde::Serialize;
use serde_json::Value;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

/// Units (JSONL lines, other records) read and parsed together.
const CHUNK: usize = 4096;

pub struct DedupOptions {
    pub threshold: f32,
    pub shingle: usize,
    pub output: Option<PathBuf>,
    pub clusters: Option<PathBuf>,
    pub pairs: Option<PathBuf>,
    pub read: ReadOptions,
}

/// One input article as pass 1 saw it.
struct Doc {
    /// Which source, unit and item of the unit it came from.
    input: u32,
    item: u32,
    unit: u64,
    /// Its id as written (a string or a number), else the one samestory derived.
    id: Value,
    published: Option<i64>,
    /// Whether it is a whole JSONL line, which `--output` copies as it is.
    whole_line: bool,
}

#[derive(Default, Serialize)]
pub struct DedupSummary {
    pub articles: u64,
    pub rejected: u64,
    pub candidates: u64,
    pub pairs: u64,
    pub families: u64,
    pub copies: u64,
    pub kept: u64,
    pub seconds: f64,
}

/// The records of one unit, each with its id as written.
fn records(src: &Source, unit: &Unit, opts: &ReadOptions) -> Vec<(Record, Option<Value>)> {
    match unit {
        Unit::Line(line) => parse_line(&src.name, line, opts, true),
        Unit::Record(Record::Article(a, w)) => {
            vec![(Record::Article(a.clone(), w.clone()), None)]
        }
        Unit::Record(Record::Error(e)) => vec![(Record::Error(e.clone()), None)],
    }
}

/// Calls `f` with each source's chunks of (unit number, unit), the same numbers in every pass.
fn for_each_chunk(
    inputs: &[Source],
    opts: &ReadOptions,
    mut f: impl FnMut(u32, &Source, Vec<(u64, Unit)>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    for (input, src) in inputs.iter().enumerate() {
        let mut next = 0u64;
        read_units(src, opts, CHUNK, &mut |units| {
            let numbered = units
                .into_iter()
                .map(|u| {
                    next += 1;
                    (next - 1, u)
                })
                .collect();
            f(input as u32, src, numbered)
        })?;
    }
    Ok(())
}

/// The documents of `docs` from `*next` on that came from this unit.
fn docs_of_unit(docs: &[Doc], next: &mut usize, input: u32, unit: u64) -> std::ops::Range<usize> {
    let start = *next;
    while *next < docs.len() && docs[*next].input == input && docs[*next].unit == unit {
        *next += 1;
    }
    start..*next
}

pub fn run(paths: &[PathBuf], opts: &DedupOptions) -> anyhow::Result<DedupSummary> {
    let started = Instant::now();
    let mut summary = DedupSummary::default();
    let mut messages = Messages::default();
    let mut inputs = Vec::new();
    for src in sources(paths, &opts.read) {
        match src {
            Ok(s) => inputs.push(s),
            Err(e) => {
                summary.rejected += 1;
                eprintln!("error: {e}");
            }
        }
    }
    let read = &opts.read;
    let mut docs: Vec<Doc> = Vec::new();
    let mut signatures: Vec<Signature> = Vec::new();
    let mut exact_hashes: Vec<(u64, u32)> = Vec::new();

    // Pass 1: signatures.
    for_each_chunk(&inputs, read, |input, src, chunk| {
        let fingerprinted: Vec<_> = chunk
            .par_iter()
            .map(|(unit, u)| {
                let whole =
                    matches!(u, Unit::Line(l) if l.bytes.trim_ascii_start().starts_with(b"{"));
                let recs: Vec<_> = records(src, u, read)
                    .into_iter()
                    .map(|(r, raw_id)| match r {
                        Record::Article(a, w) => {
                            let words = word_hashes(&a.text);
                            let exact = batch::exact_hash(&words);
                            let sig = signature(&words, opts.shingle);
                            let id = raw_id.unwrap_or(Value::String(a.id));
                            Ok((id, a.published, w, exact, sig))
                        }
                        Record::Error(e) => Err(e),
                    })
                    .collect();
                (*unit, whole, recs)
            })
            .collect();
        for (unit, whole, recs) in fingerprinted {
            for (item, r) in recs.into_iter().enumerate() {
                match r {
                    Ok((id, published, warnings, exact, sig)) => {
                        for w in warnings {
                            messages.print(Kind::Warning, &w);
                        }
                        exact_hashes.push((exact, docs.len() as u32));
                        signatures.push(sig);
                        docs.push(Doc {
                            input,
                            item: item as u32,
                            unit,
                            id,
                            published,
                            whole_line: whole,
                        });
                    }
                    Err(e) => {
                        summary.rejected += 1;
                        messages.print(Kind::Error, &e);
                    }
                }
            }
        }
        Ok(())
    })?;
    messages.print_hidden();
    summary.articles = docs.len() as u64;
    let candidates = batch::candidate_pairs_with(
        &signatures,
        &mut exact_hashes,
        Banding::for_threshold(f64::from(opts.threshold)),
        opts.threshold - batch::ESTIMATE_MARGIN,
        |bands, one_band| (0..bands).into_par_iter().map(one_band).collect(),
    );
    summary.candidates = candidates.len() as u64;
    drop(signatures);
    drop(exact_hashes);

    // Pass 2: exact Jaccard of every candidate pair.
    let mut verifier = Verifier::new(candidates, opts.threshold);
    if !verifier.is_empty() {
        let mut next_doc = 0usize;
        for_each_chunk(&inputs, read, |input, src, chunk| {
            // The units with a document in a candidate pair, and those documents.
            let mut todo = Vec::new();
            for (unit, u) in chunk {
                let range = docs_of_unit(&docs, &mut next_doc, input, unit);
                let wanted: Vec<(u32, u32)> = range
                    .filter(|&d| verifier.involves(d as u32))
                    .map(|d| (d as u32, docs[d].item))
                    .collect();
                if !wanted.is_empty() {
                    todo.push((u, wanted));
                }
            }
            let sets: Vec<Vec<(u32, Vec<u32>)>> = todo
                .into_par_iter()
                .map(|(u, wanted)| {
                    let recs = records(src, &u, read);
                    wanted
                        .into_iter()
                        .map(|(doc, item)| {
                            let words = match &recs[item as usize].0 {
                                Record::Article(a, _) => word_hashes(&a.text),
                                Record::Error(_) => Vec::new(),
                            };
                            (doc, batch::shingle_set(&words, opts.shingle))
                        })
                        .collect()
                })
                .collect();
            for (doc, set) in sets.into_iter().flatten() {
                verifier.offer(doc, set);
            }
            Ok(())
        })?;
    }
    let verified = verifier.into_verified();
    summary.pairs = verified.len() as u64;

    // Families and originals.
    let families = batch::families(docs.len(), &verified, |d| docs[d as usize].published);
    let mut keep = vec![true; docs.len()];
    let mut family_of: FxHashMap<u32, u32> = FxHashMap::default();
    for f in &families {
        for &m in &f.members {
            keep[m as usize] = m == f.original;
            family_of.insert(m, f.original);
        }
        summary.copies += f.members.len() as u64 - 1;
    }
    summary.families = families.len() as u64;
    summary.kept = keep.iter().filter(|&&k| k).count() as u64;

    if let Some(path) = &opts.clusters {
        let mut pairs_of: FxHashMap<u32, Vec<&(u32, u32, f32)>> = FxHashMap::default();
        for p in &verified {
            pairs_of.entry(family_of[&p.0]).or_default().push(p);
        }
        let name = |d: u32| match &docs[d as usize].id {
            Value::String(s) => s.clone(),
            v => v.to_string(),
        };
        if crate::writers::Kind::of(path) == crate::writers::Kind::Jsonl {
            let mut out = BufWriter::new(
                File::create(path).with_context(|| format!("{}: cannot create", path.display()))?,
            );
            for f in &families {
                let id = |d: u32| &docs[d as usize].id;
                let pairs: Vec<Value> = pairs_of[&f.original]
                    .iter()
                    .map(|&&(a, b, j)| {
                        serde_json::json!([id(a), id(b), (j * 10_000.0).round() / 10_000.0])
                    })
                    .collect();
                let line = serde_json::json!({
                    "original": id(f.original),
                    "members": f.members.iter().map(|&m| id(m)).collect::<Vec<_>>(),
                    "pairs": pairs,
                });
                writeln!(out, "{line}")?;
            }
            out.flush()?;
        } else {
            // A table: one row a member of a family, with its original.
            let mut out = crate::writers::TableWriter::create(path, &["original", "member"])?;
            for f in &families {
                for &m in &f.members {
                    out.row(vec![Some(name(f.original)), Some(name(m))])?;
                }
            }
            out.finish()?;
        }
    }
    if let Some(path) = &opts.pairs {
        let mut out = BufWriter::new(
            File::create(path).with_context(|| format!("{}: cannot create", path.display()))?,
        );
        writeln!(out, "a\tb\tjaccard")?;
        for &(a, b, j) in &verified {
            let name = |d: u32| match &docs[d as usize].id {
                Value::String(s) => s.clone(),
                v => v.to_string(),
            };
            writeln!(out, "{}\t{}\t{j:.4}", name(a), name(b))?;
        }
        out.flush()?;
    }

    // Pass 3: write the kept articles.
    if let Some(path) = &opts.output {
        let mut out = crate::writers::TableWriter::articles(path)?;
        let mut next_doc = 0usize;
        for_each_chunk(&inputs, read, |input, src, chunk| {
            for (unit, u) in chunk {
                let range = docs_of_unit(&docs, &mut next_doc, input, unit);
                let kept: Vec<usize> = range.filter(|&d| keep[d]).collect();
                if kept.is_empty() {
                    continue;
                }
                match &u {
                    Unit::Line(line) if docs[kept[0]].whole_line && out.is_jsonl() => {
                        out.raw_line(&line.bytes)?;
                    }
                    _ => {
                        let recs = records(src, &u, read);
                        for d in kept {
                            if let Record::Article(a, _) = &recs[docs[d].item as usize].0 {
                                out.article(a)?;
                            }
                        }
                    }
                }
            }
            Ok(())
        })?;
        out.finish()?;
    }
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}
