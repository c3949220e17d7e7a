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
//! of its 3-word seeds are common.
//!
//! # One passage, many documents: neighbours and groups
//! When every article of a story carries the same wire passage, every *pair* of articles shares
//! it: reporting it per pair, or even aligning every pair, costs work quadratic in the articles.
//! Instead a seed occurrence is paired only with the next [`NEIGHBOURS`] documents (in input
//! order) that carry the same key, and not at all once `NEIGHBOURS` passages found for its text
//! cover it, so each document is aligned against a bounded set of later ones per passage, and the
//! pairwise runs found are then **grouped**: two runs belong together when
//! they share a document and overlap in it by more than half of the longer one. A group is one
//! [`SharedPassage`], listing where each document carrying it has it. Since each document links to
//! the next carriers, the links of one passage form a chain through all its carriers, and the
//! group holds every one of them; the cost is linear in the words for a bounded `NEIGHBOURS`.

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

/// Most documents a seed occurrence is paired with: the next ones after its own (in input order)
/// that carry the same key; and a seed inside this many passages already found for its text is
/// not paired at all. See the module doc.
pub const NEIGHBOURS: usize = 4;

/// A passage shared by documents of a story, reported once however many carry it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharedPassage {
    /// `(doc, span)`: where each document carrying it has it (the span from its first to its last
    /// aligned word), sorted by document, then start. A document may have it twice.
    pub occurrences: Vec<(usize, Span)>,
    /// Matched words of the longest alignment between two of its occurrences.
    pub words: usize,
}

impl SharedPassage {
    /// The distinct documents carrying it, sorted.
    pub fn docs(&self) -> Vec<usize> {
        let mut d: Vec<usize> = self.occurrences.iter().map(|o| o.0).collect();
        d.dedup();
        d
    }
}

/// A run aligned between two documents of a story, in word indexes (half-open).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoryLink {
    /// The first document, by its place in the story.
    pub a_doc: usize,
    /// The second document, by its place in the story.
    pub b_doc: usize,
    /// The run in the first document: word indexes, half-open.
    pub a: (usize, usize),
    /// The run in the second document: word indexes, half-open.
    pub b: (usize, usize),
    /// How many words of the run match (the rest are the gaps it tolerates).
    pub matched: usize,
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

/// The passages shared by the documents of a story (at least two of `texts`), each reported once.
pub fn align_story(texts: &[&str]) -> Vec<SharedPassage> {
    let words: Vec<Words> = texts.iter().map(|t| Words::new(t)).collect();
    group_links(&words, &story_links(&words))
}

/// The runs aligned between documents of a story, through one seed index over the story: each
/// seed occurrence paired with at most [`NEIGHBOURS`] later documents. Sorted by documents, then
/// place.
pub fn story_links(words: &[Words]) -> Vec<StoryLink> {
    // Pass 1: every seed gets a small id, and the number of texts it occurs in.
    const NONE: u32 = u32::MAX;
    let total: usize = words.iter().map(|w| w.len()).sum();
    let mut ids: FxHashMap<u64, u32> = FxHashMap::default();
    ids.reserve(total + total / 4);
    let mut doc_count: Vec<(u32, u32)> = Vec::with_capacity(total); // per id: (docs, last doc)
    let id_of = |h: u64, ids: &mut FxHashMap<u64, u32>, doc_count: &mut Vec<(u32, u32)>| {
        *ids.entry(h).or_insert_with(|| {
            doc_count.push((0, NONE));
            (doc_count.len() - 1) as u32
        })
    };
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
    let mut keys: Vec<Vec<u32>> = Vec::with_capacity(words.len());
    for (d, s) in seeds.iter().enumerate() {
        let k: Vec<u32> = s
            .iter()
            .map(|&h| {
                let id = id_of(h, &mut ids, &mut doc_count);
                let e = &mut doc_count[id as usize];
                if e.1 != d as u32 {
                    e.0 += 1;
                    e.1 = d as u32;
                }
                id
            })
            .collect();
        keys.push(k);
    }
    // Pass 2: the key each position is indexed under: its seed, or for a common seed a 6-word key
    // (or none when fewer than six words are left).
    for (d, s) in seeds.iter().enumerate() {
        for i in 0..s.len() {
            if doc_count[keys[d][i] as usize].0 as usize > COMMON_SEED_DOCS {
                keys[d][i] = if i + SEED_WORDS < s.len() {
                    let refined = s[i].rotate_left(17) ^ s[i + SEED_WORDS] ^ 0x5bd1_e995;
                    id_of(refined, &mut ids, &mut doc_count)
                } else {
                    NONE
                };
            }
        }
    }
    drop(ids);
    // Postings of every key in one array, in (doc, position) order: key `k` has
    // `postings[start[k]..start[k + 1]]`.
    let mut start = vec![0u32; doc_count.len() + 1];
    for &k in keys.iter().flatten().filter(|&&k| k != NONE) {
        start[k as usize + 1] += 1;
    }
    for k in 1..start.len() {
        start[k] += start[k - 1];
    }
    let mut fill = start.clone();
    let mut postings = vec![(0u32, 0u32); start[doc_count.len()] as usize];
    for (d, k) in keys.iter().enumerate() {
        for (i, &k) in k.iter().enumerate().filter(|(_, &k)| k != NONE) {
            postings[fill[k as usize] as usize] = (d as u32, i as u32);
            fill[k as usize] += 1;
        }
    }
    drop(fill);
    drop(doc_count);

    let mut out = Vec::new();
    let mut runs: Vec<Vec<Run>> = vec![Vec::new(); words.len()];
    // Ends (in `da`) of the passages found so far that cover the current position.
    let mut covering: Vec<usize> = Vec::new();
    for (da, aw) in words.iter().enumerate() {
        for r in &mut runs {
            r.clear();
        }
        covering.clear();
        for (i, &key) in keys[da].iter().enumerate() {
            covering.retain(|&end| end > i);
            if key == NONE || covering.len() >= NEIGHBOURS {
                continue;
            }
            let posts = &postings[start[key as usize] as usize..start[key as usize + 1] as usize];
            let from = posts.partition_point(|&(d, _)| d as usize <= da);
            let (mut last_doc, mut docs) = (usize::MAX, 0);
            for &(db, j) in &posts[from..] {
                let db = db as usize;
                if db != last_doc {
                    docs += 1;
                    if docs > NEIGHBOURS {
                        break;
                    }
                    runs[db].retain(|r| r.a1 > i);
                    last_doc = db;
                }
                if let Some(run) = try_seed(&aw.keys, &words[db].keys, i, j as usize, &mut runs[db])
                {
                    covering.push(run.a1);
                    out.push(StoryLink {
                        a_doc: da,
                        b_doc: db,
                        a: (run.a0, run.a1),
                        b: (run.b0, run.b1),
                        matched: run.matched,
                    });
                }
            }
        }
    }
    out.sort_by_key(|l| (l.a_doc, l.b_doc, l.a.0, l.b.0));
    out
}

/// Groups the runs of a story into passages (see the module doc): the two sides of a run are
/// one passage, and so are two runs' sides in one document that overlap by more than half of the
/// longer.
pub fn group_links(words: &[Words], links: &[StoryLink]) -> Vec<SharedPassage> {
    // Nodes: the two sides of every link, 2k and 2k + 1.
    let side = |n: usize| -> (usize, (usize, usize)) {
        let l = &links[n / 2];
        if n.is_multiple_of(2) {
            (l.a_doc, l.a)
        } else {
            (l.b_doc, l.b)
        }
    };
    let mut parent: Vec<usize> = (0..2 * links.len()).collect();
    for k in 0..links.len() {
        union(&mut parent, 2 * k, 2 * k + 1);
    }
    let mut by_doc: Vec<usize> = (0..2 * links.len()).collect();
    by_doc.sort_by_key(|&n| {
        let (d, (s, e)) = side(n);
        (d, s, e)
    });
    let mut active: Vec<usize> = Vec::new();
    let mut doc = usize::MAX;
    for &n in &by_doc {
        let (d, (s, e)) = side(n);
        if d != doc {
            active.clear();
            doc = d;
        }
        active.retain(|&m| side(m).1 .1 > s);
        for &m in &active {
            let (ms, me) = side(m).1;
            let overlap = me.min(e) - ms.max(s);
            if 2 * overlap > (me - ms).max(e - s) {
                union(&mut parent, n, m);
            }
        }
        active.push(n);
    }
    // Each group: per document, its overlapping sides merged into one occurrence.
    let mut group_of: FxHashMap<usize, usize> = FxHashMap::default();
    // Per group: (document, word range) occurrences, and the most words matched.
    type Group = (Vec<(usize, (usize, usize))>, usize);
    let mut groups: Vec<Group> = Vec::new();
    for &n in &by_doc {
        let root = super::groups::find(&mut parent, n);
        let g = *group_of.entry(root).or_insert_with(|| {
            groups.push((Vec::new(), 0));
            groups.len() - 1
        });
        let (d, (s, e)) = side(n);
        let (occ, words) = &mut groups[g];
        *words = (*words).max(links[n / 2].matched);
        match occ.last_mut() {
            Some((ld, (_, le))) if *ld == d && s < *le => *le = (*le).max(e),
            _ => occ.push((d, (s, e))),
        }
    }
    let mut out: Vec<SharedPassage> = groups
        .into_iter()
        .map(|(occ, words_matched)| SharedPassage {
            occurrences: occ
                .into_iter()
                .map(|(d, (s, e))| (d, words[d].span(s, e)))
                .collect(),
            words: words_matched,
        })
        .collect();
    out.sort_by_key(|p| (p.occurrences[0].0, p.occurrences[0].1.start));
    out
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (a, b) = (
        super::groups::find(parent, a),
        super::groups::find(parent, b),
    );
    if a != b {
        parent[a.max(b)] = a.min(b);
    }
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
    fn a_passage_all_texts_carry_is_one_group_with_every_text() {
        // More texts than COMMON_SEED_DOCS carry the same passage: its seeds are all common, and
        // each text is aligned against its next NEIGHBOURS only.
        let shared =
            "officials confirmed the bridge will stay closed until engineers finish the inspection";
        let texts: Vec<String> = (0..COMMON_SEED_DOCS + NEIGHBOURS + 4)
            .map(|k| format!("w{k}a w{k}b w{k}c w{k}d. {shared}. x{k} y{k} z{k}."))
            .collect();
        let refs: Vec<&str> = texts.iter().map(|s| s.as_str()).collect();
        let ps = align_story(&refs);
        assert_eq!(ps.len(), 1, "one group: {ps:?}");
        let n = refs.len();
        assert_eq!(ps[0].docs(), (0..n).collect::<Vec<_>>());
        assert_eq!(ps[0].words, 12);
        for &(d, span) in &ps[0].occurrences {
            assert_eq!(span.slice(refs[d]), shared);
        }
        let words: Vec<Words> = refs.iter().map(|t| Words::new(t)).collect();
        let links = story_links(&words);
        assert!(links.len() <= n * NEIGHBOURS, "{} links", links.len());
        let pair = align_pair(refs[0], refs[3]);
        assert_eq!(pair.len(), 1);
        assert_eq!(pair[0].a, ps[0].occurrences[0].1);
    }

    #[test]
    fn two_passages_stay_two_groups_when_one_text_has_them_side_by_side() {
        let p1 = "the river rose above the old stone wall during the night and flooded cellars";
        let p2 = "schools in the valley will remain closed while crews pump water out of them";
        let texts = [
            format!("{p1} {p2}"),
            format!("{p1} {p2} and more"),
            format!("alpha beta gamma. {p1}. delta epsilon zeta."),
            format!("one two three. {p2}. four five six."),
        ];
        let refs: Vec<&str> = texts.iter().map(|s| s.as_str()).collect();
        let ps = align_story(&refs);
        let docs: Vec<Vec<usize>> = ps.iter().map(|p| p.docs()).collect();
        // Texts 0 and 1 share both as one run; 2 carries the first, 3 the second: the run over
        // both overlaps each by half only, so it does not join them into one group.
        assert!(docs.contains(&vec![0, 1]), "{ps:?}");
        assert!(docs.contains(&vec![0, 1, 2]), "{ps:?}");
        assert!(docs.contains(&vec![0, 1, 3]), "{ps:?}");
        assert_eq!(ps.len(), 3, "{ps:?}");
    }
}
