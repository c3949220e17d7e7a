//! Passage alignment: the maximal runs of shared words between two texts, or between all texts of
//! a story.
//!
//! # How
//! 1. **Seeds.** Every run of [`SEED_WORDS`] consecutive words (stemmed, lower case, punctuation
//!    and quote style ignored because the tokenizer drops them) is hashed. A seed shared by two
//!    texts is a candidate for a passage. Nothing compares sentence with sentence.
//! 2. **Extension.** From a seed the run grows forward and backward while words match. At a
//!    mismatch it tries to resynchronise: skip up to [`MAX_SKIP`] words on either side (an inserted
//!    word, a changed word, "we're" against "we are") if the next [`RESYNC_WORDS`] words then match
//!    again. The run ends at the last matched word, so passages never end on a gap.
//! 3. **Coverage.** A seed that falls inside a run already extended for the same pair of texts is
//!    skipped, so each passage is extended once, not once per seed it contains: the cost is one
//!    hash-table probe per word plus the length of the passages found, linear in the words for
//!    typical news.
//! 4. **Threshold.** A run is a passage when it matched at least [`MIN_PASSAGE_WORDS`] words.
//!
//! # Stories and common seeds
//! [`align_story`] builds **one** seed index over all texts of a story and extends only seed hits
//! between different texts. A seed carried by more than [`COMMON_SEED_DOCS`] texts is either a
//! stock phrase ("one of the", "said in a") or a piece of a widely shared passage (the wire copy
//! every outlet ran). Dropping it would lose exactly the passages we want most; pairing all its
//! postings costs quadratic work per word on stock phrases. So such a seed is *refined*: it only
//! pairs postings whose next [`SEED_WORDS`] words agree too (a 6-word key). Stock phrases then
//! stop pairing, while a widely shared passage still seeds every pair that carries six words of
//! it verbatim somewhere — and the coverage rule makes its other words free. What is lost: a
//! widely shared passage so heavily edited that no six consecutive words survive in a pair and all
//! of its 3-word seeds are common. Every pair of texts sharing a passage still yields one
//! [`StoryPassage`]: the output itself is quadratic in the number of texts carrying it.

use super::words::Words;
use crate::article::Span;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// Words in a seed. Three: two-word seeds hit on every "of the"; four-word seeds miss passages
/// with an edit every four words.
pub const SEED_WORDS: usize = 3;

/// Matched words a run needs to count as a shared passage. Seven: news shares stock phrases of up
/// to five or six words ("speaking on condition of anonymity", "said in a statement on Friday")
/// between unrelated articles; seven matched words of running text rarely coincide by chance,
/// while a short quoted sentence ("The stakes of this are too high") is still found.
pub const MIN_PASSAGE_WORDS: usize = 7;

/// Most words skipped on one side at a gap.
pub const MAX_SKIP: usize = 3;

/// Words that must match again after a gap. Two: one word ("the") resynchronises anywhere.
pub const RESYNC_WORDS: usize = 2;

/// A seed carried by more texts than this is refined to a 6-word key (see the module doc).
pub const COMMON_SEED_DOCS: usize = 16;

/// A passage shared by two texts `a` and `b`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Passage {
    /// Byte span in `a`, from its first to its last matched word.
    pub a: Span,
    /// Byte span in `b`.
    pub b: Span,
    /// Matched words.
    pub words: usize,
    /// Matched words over the words of the longer side, in `0..=1`.
    pub similarity: f32,
}

/// A passage shared by two documents of a story (`a_doc < b_doc`, indexes into the input).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoryPassage {
    pub a_doc: usize,
    pub b_doc: usize,
    pub a: Span,
    pub b: Span,
    pub words: usize,
    pub similarity: f32,
}

/// A run extended from a seed, in word indexes (half-open), whether or not it became a passage.
#[derive(Clone, Copy, Debug)]
struct Run {
    a0: usize,
    a1: usize,
    b0: usize,
    b1: usize,
    matched: usize,
}

impl Run {
    fn covers(&self, i: usize, j: usize) -> bool {
        self.a0 <= i && i < self.a1 && self.b0 <= j && j < self.b1
    }
}

/// Walks from `(0, 0)` while `eq(k, l)` holds, resynchronising over small gaps. Returns the steps
/// taken on each side up to the last matched word, and the number of matched words.
fn walk(na: usize, nb: usize, eq: impl Fn(usize, usize) -> bool) -> (usize, usize, usize) {
    let (mut i, mut j, mut matched) = (0, 0, 0);
    let (mut ei, mut ej) = (0, 0);
    let agree = |i: usize, j: usize| {
        i + RESYNC_WORDS <= na
            && j + RESYNC_WORDS <= nb
            && (0..RESYNC_WORDS).all(|k| eq(i + k, j + k))
    };
    loop {
        if i < na && j < nb && eq(i, j) {
            i += 1;
            j += 1;
            matched += 1;
            ei = i;
            ej = j;
            continue;
        }
        let mut resync = None;
        'gap: for g in 1..=2 * MAX_SKIP {
            for da in 0..=g.min(MAX_SKIP) {
                let db = g - da;
                if db <= MAX_SKIP && agree(i + da, j + db) {
                    resync = Some((da, db));
                    break 'gap;
                }
            }
        }
        match resync {
            Some((da, db)) => {
                i += da;
                j += db;
            }
            None => break,
        }
    }
    (ei, ej, matched)
}

/// Extends the seed at word `i` of `a` and word `j` of `b` in both directions.
fn extend(a: &[u64], b: &[u64], i: usize, j: usize) -> Run {
    let (fa, fb, fm) = walk(a.len() - i, b.len() - j, |k, l| a[i + k] == b[j + l]);
    let (ba, bb, bm) = walk(i, j, |k, l| a[i - 1 - k] == b[j - 1 - l]);
    Run {
        a0: i - ba,
        a1: i + fa,
        b0: j - bb,
        b1: j + fb,
        matched: fm + bm,
    }
}

fn seed_hash(keys: &[u64], i: usize) -> u64 {
    let mut h = 0u64;
    for &k in &keys[i..i + SEED_WORDS] {
        h = (h.rotate_left(21) ^ k).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    h
}

fn seed_equal(a: &[u64], i: usize, b: &[u64], j: usize) -> bool {
    a[i..i + SEED_WORDS] == b[j..j + SEED_WORDS]
}

fn to_passage(aw: &Words, bw: &Words, r: &Run) -> Passage {
    let longer = (r.a1 - r.a0).max(r.b1 - r.b0).max(1);
    Passage {
        a: aw.span(r.a0, r.a1),
        b: bw.span(r.b0, r.b1),
        words: r.matched,
        similarity: r.matched as f32 / longer as f32,
    }
}

/// Tries the seed hit `(i, j)` unless a run already covers it; returns the new run if it is a
/// passage.
fn try_seed(a: &[u64], b: &[u64], i: usize, j: usize, runs: &mut Vec<Run>) -> Option<Run> {
    if runs.iter().any(|r| r.covers(i, j)) || !seed_equal(a, i, b, j) {
        return None;
    }
    let run = extend(a, b, i, j);
    runs.push(run);
    (run.matched >= MIN_PASSAGE_WORDS).then_some(run)
}

/// The passages shared by `a` and `b`, in order of their start in `a`.
pub fn align_pair(a: &str, b: &str) -> Vec<Passage> {
    let (aw, bw) = (Words::new(a), Words::new(b));
    align_words(&aw, &bw)
}

/// [`align_pair`] on texts already split into [`Words`].
pub fn align_words(aw: &Words, bw: &Words) -> Vec<Passage> {
    let (a, b) = (&aw.keys[..], &bw.keys[..]);
    if a.len() < SEED_WORDS || b.len() < SEED_WORDS {
        return Vec::new();
    }
    let mut index: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for j in 0..=b.len() - SEED_WORDS {
        index.entry(seed_hash(b, j)).or_default().push(j as u32);
    }
    let mut runs: Vec<Run> = Vec::new();
    let mut out = Vec::new();
    for i in 0..=a.len() - SEED_WORDS {
        let Some(posts) = index.get(&seed_hash(a, i)) else {
            continue;
        };
        runs.retain(|r| r.a1 > i);
        for &j in posts {
            if let Some(run) = try_seed(a, b, i, j as usize, &mut runs) {
                out.push(to_passage(aw, bw, &run));
            }
        }
    }
    out.sort_by_key(|p| (p.a.start, p.b.start));
    out
}

/// All passages shared by any two of `texts`, through one seed index over the story.
pub fn align_story(texts: &[&str]) -> Vec<StoryPassage> {
    let words: Vec<Words> = texts.iter().map(|t| Words::new(t)).collect();
    align_story_words(&words)
}

/// [`align_story`] on texts already split into [`Words`].
pub fn align_story_words(words: &[Words]) -> Vec<StoryPassage> {
    // Pass 1: in how many texts each seed occurs.
    let mut doc_count: FxHashMap<u64, (u32, u32)> = FxHashMap::default(); // seed -> (docs, last doc)
    let seeds: Vec<Vec<u64>> = words
        .iter()
        .map(|w| {
            if w.len() < SEED_WORDS {
                return Vec::new();
            }
            (0..=w.len() - SEED_WORDS)
                .map(|i| seed_hash(&w.keys, i))
                .collect()
        })
        .collect();
    for (d, s) in seeds.iter().enumerate() {
        for &h in s {
            let e = doc_count.entry(h).or_insert((0, u32::MAX));
            if e.1 != d as u32 {
                e.0 += 1;
                e.1 = d as u32;
            }
        }
    }
    // Pass 2: postings, in (doc, position) order; common seeds go to the refined index under a
    // 6-word key, or nowhere when fewer than six words are left.
    let key_of = |d: usize, i: usize| -> Option<u64> {
        let h = seeds[d][i];
        if doc_count[&h].0 as usize <= COMMON_SEED_DOCS {
            Some(h)
        } else if i + SEED_WORDS < seeds[d].len() {
            Some(h.rotate_left(17) ^ seeds[d][i + SEED_WORDS] ^ 0x5bd1_e995)
        } else {
            None
        }
    };
    let mut index: FxHashMap<u64, Vec<(u32, u32)>> = FxHashMap::default();
    let mut keys: Vec<Vec<Option<u64>>> = Vec::with_capacity(words.len());
    for (d, s) in seeds.iter().enumerate() {
        let k: Vec<Option<u64>> = (0..s.len()).map(|i| key_of(d, i)).collect();
        for (i, key) in k.iter().enumerate() {
            if let Some(key) = key {
                index.entry(*key).or_default().push((d as u32, i as u32));
            }
        }
        keys.push(k);
    }
    drop(doc_count);

    let mut out = Vec::new();
    let mut runs: Vec<Vec<Run>> = vec![Vec::new(); words.len()];
    for (da, aw) in words.iter().enumerate() {
        for r in &mut runs {
            r.clear();
        }
        for (i, key) in keys[da].iter().enumerate() {
            let Some(posts) = key.and_then(|k| index.get(&k)) else {
                continue;
            };
            let from = posts.partition_point(|&(d, _)| d as usize <= da);
            let mut last_doc = usize::MAX;
            for &(db, j) in &posts[from..] {
                let db = db as usize;
                if db != last_doc {
                    runs[db].retain(|r| r.a1 > i);
                    last_doc = db;
                }
                let bw = &words[db];
                if let Some(run) = try_seed(&aw.keys, &bw.keys, i, j as usize, &mut runs[db]) {
                    let p = to_passage(aw, bw, &run);
                    out.push(StoryPassage {
                        a_doc: da,
                        b_doc: db,
                        a: p.a,
                        b: p.b,
                        words: p.words,
                        similarity: p.similarity,
                    });
                }
            }
        }
    }
    out.sort_by_key(|p| (p.a_doc, p.b_doc, p.a.start, p.b.start));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_passage_through_edits_and_typography() {
        let a =
            "Intro words here. \u{201C}But we are also clear-eyed about the prospects of that, \
                 given the readily apparent steps Russia is taking on the ground,\u{201D} he said.";
        let b =
            "Other start entirely. \"But we're also clear eyed about the prospect of that, given \
                 the apparent steps Russia is taking on the ground in plain sight.\"";
        let ps = align_pair(a, b);
        assert_eq!(ps.len(), 1, "{ps:?}");
        let p = ps[0];
        assert!(p.a.slice(a).starts_with("But we are"), "{}", p.a.slice(a));
        assert!(p.a.slice(a).ends_with("ground"), "{}", p.a.slice(a));
        assert!(p.b.slice(b).starts_with("But we"), "{}", p.b.slice(b));
        assert!(p.words >= 18 && p.similarity > 0.8, "{p:?}");
    }

    #[test]
    fn short_coincidences_are_not_passages() {
        let a = "He said in a statement on Friday that he would go.";
        let b = "She said in a statement on Friday that prices rose.";
        // "said in a statement on friday that" is 7 words: the minimum. Six are not enough.
        assert_eq!(align_pair(a, b).len(), 1);
        let b6 = "She said in a statement on Friday prices rose.";
        assert!(align_pair(a, b6).is_empty());
    }

    #[test]
    fn a_passage_is_reported_once_not_once_per_seed() {
        let shared = "the quick brown fox jumps over the lazy dog near the river bank today";
        let a = format!("alpha beta {shared} gamma");
        let b = format!("{shared} delta epsilon");
        let ps = align_pair(&a, &b);
        assert_eq!(ps.len(), 1, "{ps:?}");
        assert_eq!(ps[0].a.slice(&a), shared);
        assert_eq!(ps[0].words, 14);
    }

    #[test]
    fn story_alignment_agrees_with_pairs_and_survives_common_seeds() {
        // More texts than COMMON_SEED_DOCS carry the same passage: its seeds are all common.
        let shared =
            "officials confirmed the bridge will stay closed until engineers finish the inspection";
        let texts: Vec<String> = (0..COMMON_SEED_DOCS + 4)
            .map(|k| format!("w{k}a w{k}b w{k}c w{k}d. {shared}. x{k} y{k} z{k}."))
            .collect();
        let refs: Vec<&str> = texts.iter().map(|s| s.as_str()).collect();
        let ps = align_story(&refs);
        let n = refs.len();
        assert_eq!(ps.len(), n * (n - 1) / 2, "one passage per pair");
        for p in &ps {
            assert!(p.a.slice(refs[p.a_doc]).contains("bridge will stay closed"));
            assert_eq!(p.words, 12);
        }
        let pair = align_pair(refs[0], refs[3]);
        assert_eq!(pair.len(), 1);
        assert_eq!(pair[0].a, ps[2].a);
    }
}
