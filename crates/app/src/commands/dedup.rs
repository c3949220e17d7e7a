//! `samestory dedup`: batch near-duplicate removal for corpus builders. No database.
//!
//! Three streaming passes over the input, so that memory grows with the number of signatures
//! (512 bytes an article), not with the text:
//!
//! 1. **Signatures.** Chunks of lines are parsed and fingerprinted in parallel (words, 5-word
//!    shingles, one-permutation MinHash); then LSH runs in bulk, a band at a time
//!    ([`candidate_pairs`]). Pairs that share a bucket and whose estimated Jaccard is within
//!    [`ESTIMATE_MARGIN`] of the threshold become candidates (the margin is four standard deviations of the 128-bin estimate
//!    at J = 0.8, so the estimate's noise costs no recall).
//! 2. **Verification.** The input is read again; only articles in a candidate pair are shingled,
//!    and each candidate pair gets its **exact** Jaccard similarity, so the output holds no pair
//!    below the threshold. A shingle set is kept only until its last partner has been checked.
//! 3. **Output.** Verified pairs are joined into copy families (union-find); each family's original
//!    is its earliest published member, then the first in the input. With `--output`, the lines of
//!    the articles to keep (originals and articles without copies) are copied from the input as
//!    they are.
//!
//! Text is taken as it is (no cleaning), as the peer tools do: the similarity is that of the
//! words of `text` (lower case, split like `\w+`).

use crate::input::parse_time;
use anyhow::Context;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use samestory_engine::copies::fingerprint::{exact_jaccard, signature, Signature};
use samestory_engine::copies::Banding;
use samestory_engine::text::word_hashes;
use serde::Serialize;
use serde_json::Value;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How far below the threshold an estimate may fall and still be verified.
pub const ESTIMATE_MARGIN: f32 = 0.15;
const CHUNK: usize = 4096;

pub struct DedupOptions {
    pub threshold: f32,
    pub shingle: usize,
    pub output: Option<PathBuf>,
    pub clusters: Option<PathBuf>,
    pub pairs: Option<PathBuf>,
}

/// Pass 1's view of a line: id, date, exact hash, signature.
type Fingerprinted = (Value, Option<i64>, u64, Signature);

/// One input article as pass 1 saw it.
struct Doc {
    /// Which input and line it came from.
    input: u32,
    line: u64,
    id: Value,
    published: Option<i64>,
}

fn open(path: &Path) -> anyhow::Result<Box<dyn BufRead + Send>> {
    let file = File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    let reader: Box<dyn Read + Send> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    Ok(Box::new(BufReader::with_capacity(1 << 20, reader)))
}

/// Calls `f` with chunks of (line number, line bytes) of every non-blank line.
pub fn for_each_chunk(
    path: &Path,
    mut f: impl FnMut(Vec<(u64, Vec<u8>)>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut reader = open(path)?;
    let mut chunk = Vec::with_capacity(CHUNK);
    let mut line_no = 0u64;
    loop {
        let mut buf = Vec::new();
        let n = reader
            .read_until(b'\n', &mut buf)
            .with_context(|| format!("{}: read error", path.display()))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        chunk.push((line_no, buf));
        if chunk.len() == CHUNK {
            f(std::mem::take(&mut chunk))?;
        }
    }
    if !chunk.is_empty() {
        f(chunk)?;
    }
    Ok(())
}

#[derive(serde::Deserialize)]
struct Line<'a> {
    #[serde(default)]
    id: Option<Value>,
    #[serde(borrow, default, alias = "body", alias = "content")]
    text: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, alias = "date", alias = "published_at", alias = "publishedAt")]
    published: Option<Value>,
}

/// Parses a line; the text's word hashes and the id, or an error message.
fn parse(bytes: &[u8], line: u64) -> Result<(Value, Option<i64>, Vec<u64>), String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))?;
    let rec: Line<'_> = serde_json::from_str(text).map_err(|e| format!("malformed JSON: {e}"))?;
    let body = rec.text.ok_or("missing field `text`")?;
    let id = rec.id.unwrap_or_else(|| Value::from(format!("line{line}")));
    let published = rec.published.as_ref().and_then(parse_time);
    Ok((id, published, word_hashes(&body)))
}

/// Sorted 32-bit shingle hashes: half the memory of 64-bit ones; a collision between two
/// shingles of one pair (p ≈ n²/2³³ for n shingles, under 10⁻⁴ for news) moves J by 1/n at most.
fn shingles(words: &[u64], k: usize) -> Vec<u32> {
    let mut v = Vec::with_capacity(words.len());
    samestory_engine::copies::fingerprint::for_each_shingle(words, k, |h| {
        v.push((h >> 32) as u32 ^ h as u32)
    });
    v.sort_unstable();
    v.dedup();
    v
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

/// LSH in bulk: for each band, the (bucket key, document) pairs of all documents are sorted, and
/// documents sharing a key become candidates when their estimated similarity reaches `floor`; so
/// do documents with the same exact hash. A sorted array a band costs 12 bytes a document, where
/// a hash map of buckets holding every band at once costs over 60. Returns pairs `(a, b)`, `a < b`.
fn candidate_pairs(
    signatures: &[Signature],
    exact: &mut [(u64, u32)],
    banding: Banding,
    floor: f32,
) -> Vec<(u32, u32)> {
    let pairs_in_runs = |keys: &[(u64, u32)], check: bool| -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for run in keys.chunk_by(|x, y| x.0 == y.0) {
            for (i, &(_, a)) in run.iter().enumerate() {
                for &(_, b) in &run[i + 1..] {
                    let (a, b) = (a.min(b), a.max(b));
                    if !check || signatures[a as usize].jaccard(&signatures[b as usize]) >= floor {
                        out.push((a, b));
                    }
                }
            }
        }
        out
    };
    exact.sort_unstable();
    let mut all = pairs_in_runs(exact, false);
    let per_band: Vec<Vec<(u32, u32)>> = (0..banding.bands)
        .into_par_iter()
        .map(|band| {
            let mut keys: Vec<(u64, u32)> = signatures
                .iter()
                .enumerate()
                .filter(|(_, s)| !s.is_empty())
                .map(|(d, s)| (banding.key(&s.0, band), d as u32))
                .collect();
            keys.sort_unstable();
            let mut pairs = pairs_in_runs(&keys, true);
            pairs.sort_unstable();
            pairs.dedup();
            pairs
        })
        .collect();
    for p in per_band {
        all.extend(p);
    }
    all.sort_unstable();
    all.dedup();
    all
}

struct UnionFind(Vec<u32>);

impl UnionFind {
    fn find(&mut self, mut x: u32) -> u32 {
        while self.0[x as usize] != x {
            let parent = self.0[self.0[x as usize] as usize];
            self.0[x as usize] = parent;
            x = parent;
        }
        x
    }
    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.0[hi as usize] = lo;
        }
    }
}

pub fn run(inputs: &[PathBuf], opts: &DedupOptions) -> anyhow::Result<DedupSummary> {
    let started = Instant::now();
    let mut summary = DedupSummary::default();
    let mut docs: Vec<Doc> = Vec::new();
    let mut signatures: Vec<Signature> = Vec::new();
    let mut exact_hashes: Vec<(u64, u32)> = Vec::new();
    let floor = opts.threshold - ESTIMATE_MARGIN;

    // Pass 1: signatures.
    for (input, path) in inputs.iter().enumerate() {
        for_each_chunk(path, |chunk| {
            let parsed: Vec<(u64, Result<Fingerprinted, String>)> = chunk
                .par_iter()
                .map(|(line, bytes)| {
                    let r = parse(bytes, *line).map(|(id, published, words)| {
                        let exact = words
                            .iter()
                            .fold(0x5151_u64, |h, &w| samestory_engine::article::mix64(h ^ w));
                        (id, published, exact, signature(&words, opts.shingle))
                    });
                    (*line, r)
                })
                .collect();
            for (line, r) in parsed {
                match r {
                    Ok((id, published, exact, sig)) => {
                        exact_hashes.push((exact, docs.len() as u32));
                        signatures.push(sig);
                        docs.push(Doc {
                            input: input as u32,
                            line,
                            id,
                            published,
                        });
                    }
                    Err(e) => {
                        summary.rejected += 1;
                        eprintln!("error: {}:{line}: {e}", path.display());
                    }
                }
            }
            Ok(())
        })?;
    }
    summary.articles = docs.len() as u64;
    let mut candidates = candidate_pairs(
        &signatures,
        &mut exact_hashes,
        Banding::for_threshold(f64::from(opts.threshold)),
        floor,
    );
    summary.candidates = candidates.len() as u64;
    drop(signatures);

    // Pass 2: exact Jaccard of every candidate pair.
    candidates.sort_unstable_by_key(|&(a, b)| (b, a));
    candidates.dedup();
    let mut remaining: FxHashMap<u32, u32> = FxHashMap::default();
    for &(a, _) in &candidates {
        *remaining.entry(a).or_default() += 1;
    }
    let mut verified: Vec<(u32, u32, f32)> = Vec::new();
    if !candidates.is_empty() {
        let mut involved = vec![false; docs.len()];
        for &(a, b) in &candidates {
            involved[a as usize] = true;
            involved[b as usize] = true;
        }
        let mut held: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        let mut next_doc = 0usize;
        let mut pair_at = 0usize;
        for (input, path) in inputs.iter().enumerate() {
            for_each_chunk(path, |chunk| {
                // Map this chunk's lines to doc indexes (rejected lines have none).
                let mut todo = Vec::new();
                for (line, bytes) in chunk {
                    if next_doc < docs.len()
                        && docs[next_doc].input == input as u32
                        && docs[next_doc].line == line
                    {
                        if involved[next_doc] {
                            todo.push((next_doc as u32, bytes));
                        }
                        next_doc += 1;
                    }
                }
                let sets: Vec<(u32, Vec<u32>)> = todo
                    .into_par_iter()
                    .map(|(doc, bytes)| {
                        let words = parse(&bytes, 0).map(|p| p.2).unwrap_or_default();
                        (doc, shingles(&words, opts.shingle))
                    })
                    .collect();
                for (doc, set) in sets {
                    while pair_at < candidates.len() && candidates[pair_at].1 == doc {
                        let a = candidates[pair_at].0;
                        if let Some(sa) = held.get(&a) {
                            let j = exact_jaccard(sa, &set);
                            if j >= opts.threshold {
                                verified.push((a, doc, j));
                            }
                        }
                        let left = remaining.get_mut(&a).expect("counted");
                        *left -= 1;
                        if *left == 0 {
                            held.remove(&a);
                        }
                        pair_at += 1;
                    }
                    if remaining.get(&doc).is_some_and(|&n| n > 0) {
                        held.insert(doc, set);
                    }
                }
                Ok(())
            })?;
        }
    }
    summary.pairs = verified.len() as u64;

    // Families and originals.
    let mut uf = UnionFind((0..docs.len() as u32).collect());
    for &(a, b, _) in &verified {
        uf.union(a, b);
    }
    let mut families: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for &(a, b, _) in &verified {
        for d in [a, b] {
            families.entry(uf.find(d)).or_default().push(d);
        }
    }
    let mut keep = vec![true; docs.len()];
    let mut family_of: FxHashMap<u32, u32> = FxHashMap::default();
    let mut originals: Vec<(u32, Vec<u32>)> = Vec::with_capacity(families.len());
    for (_, mut members) in families {
        members.sort_unstable();
        members.dedup();
        let original = *members
            .iter()
            .min_by_key(|&&d| (docs[d as usize].published.unwrap_or(i64::MAX), d))
            .expect("non-empty");
        for &m in &members {
            keep[m as usize] = m == original;
            family_of.insert(m, original);
        }
        summary.copies += members.len() as u64 - 1;
        originals.push((original, members));
    }
    originals.sort_unstable_by_key(|(o, _)| *o);
    summary.families = originals.len() as u64;
    summary.kept = keep.iter().filter(|&&k| k).count() as u64;

    if let Some(path) = &opts.clusters {
        let mut pairs_of: FxHashMap<u32, Vec<&(u32, u32, f32)>> = FxHashMap::default();
        for p in &verified {
            pairs_of.entry(family_of[&p.0]).or_default().push(p);
        }
        let mut out = BufWriter::new(
            File::create(path).with_context(|| format!("{}: cannot create", path.display()))?,
        );
        for (original, members) in &originals {
            let id = |d: u32| &docs[d as usize].id;
            let pairs: Vec<Value> = pairs_of[original]
                .iter()
                .map(|&&(a, b, j)| {
                    serde_json::json!([id(a), id(b), (j * 10_000.0).round() / 10_000.0])
                })
                .collect();
            let line = serde_json::json!({
                "original": id(*original),
                "members": members.iter().map(|&m| id(m)).collect::<Vec<_>>(),
                "pairs": pairs,
            });
            writeln!(out, "{line}")?;
        }
        out.flush()?;
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

    // Pass 3: copy the kept lines.
    if let Some(path) = &opts.output {
        let mut out = BufWriter::with_capacity(
            1 << 20,
            File::create(path).with_context(|| format!("{}: cannot create", path.display()))?,
        );
        let mut next_doc = 0usize;
        for (input, p) in inputs.iter().enumerate() {
            for_each_chunk(p, |chunk| {
                for (line, bytes) in chunk {
                    if next_doc < docs.len()
                        && docs[next_doc].input == input as u32
                        && docs[next_doc].line == line
                    {
                        if keep[next_doc] {
                            out.write_all(&bytes)?;
                            if !bytes.ends_with(b"\n") {
                                out.write_all(b"\n")?;
                            }
                        }
                        next_doc += 1;
                    }
                }
                Ok(())
            })?;
        }
        out.flush()?;
    }
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}
