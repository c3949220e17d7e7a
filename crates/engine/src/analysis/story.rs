//! One story at a time: shared passages, shared quotes, what each article adds, and a brief.

use super::align::{group_links, story_links, SharedPassage, MIN_PASSAGE_WORDS};
use super::groups::{find, group_quotes, QuoteGroup};
use super::sentences::split_sentences;
use super::similar::{
    carried, coverages, probe_words, weighted, Idf, SentenceKeys, MIN_CARRIED_COVERAGE,
};
use super::words::Words;
use super::DocText;
use crate::article::Span;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// Sentences shorter than this are never reported as unique or put in the brief: they are
/// datelines, credits ("Image: AP") and headings more often than content.
pub const MIN_SENTENCE_WORDS: usize = 4;

/// Most sentences in a brief.
pub const BRIEF_SENTENCES: usize = 5;

/// In the list of sentences holding one of its [`probe_words`], a sentence is compared with this
/// many entries on each side of itself (in input order): all of a short list, a bounded part of a
/// long one (a word common in the story says little about which sentences match).
pub const POSTINGS_WINDOW: usize = 4;

/// A sentence of the brief.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BriefSentence {
    /// The document ([`DocText::doc`]) the sentence is taken from.
    pub doc: usize,
    /// Where the sentence is, in that document's text.
    pub span: Span,
    /// The sentence as written.
    pub text: String,
    /// The outlets carrying this sentence (aligned or similar), its own included, sorted.
    pub outlets: Vec<String>,
}

/// What the articles of a story share and what each adds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoryAnalysis {
    /// Shared passages, each once with every document carrying it; docs are [`DocText::doc`] ids.
    pub passages: Vec<SharedPassage>,
    /// Quote groups carried by at least two documents.
    pub quotes: Vec<QuoteGroup>,
    /// Per input document, in input order: the sentences no other document shares, neither by
    /// alignment nor by similarity.
    pub unique: Vec<Vec<Span>>,
    /// The sentences most widely carried across documents, most central first.
    pub brief: Vec<BriefSentence>,
}

struct Sent {
    doc_pos: usize,
    span: Span,
    w0: usize,
    w1: usize,
    keys: SentenceKeys,
}

impl Sent {
    fn words(&self) -> usize {
        self.w1 - self.w0
    }
}

/// Analyses one story. Cost: about linear in the total words (see the module docs of
/// [`super::align`] and the bench `benches/align.rs`).
///
/// Sentences are linked in two ways, neither of which compares all pairs:
/// - **copies**: sentences at matching places of an aligned run are one *cluster* (union-find,
///   so a wire sentence in 200 articles is one cluster, not 19,900 links); a sentence holding
///   an aligned run (most of it, or at least `MIN_PASSAGE_WORDS` of it) is shared;
/// - **rewrites**: every cluster (a single sentence included) is filed under its words, and a
///   sentence no alignment placed is compared with the clusters holding one of its
///   [`probe_words`] (at most [`POSTINGS_WINDOW`] on each side of it per word): linked when one
///   of them [`carried`] its content. A link is an edge between two clusters (not a merge:
///   similarity is not transitive enough to chain).
pub fn analyze_story(docs: &[DocText]) -> StoryAnalysis {
    let words: Vec<Words> = docs.iter().map(|d| Words::new(d.text)).collect();
    let links = story_links(&words);

    // Sentences and their words.
    let mut sents: Vec<Sent> = Vec::new();
    let mut doc_sents: Vec<std::ops::Range<usize>> = Vec::with_capacity(docs.len());
    for (pos, d) in docs.iter().enumerate() {
        let first = sents.len();
        let w = &words[pos];
        for span in split_sentences(d.text) {
            let w0 = w.spans.partition_point(|s| s.start < span.start);
            let w1 = w.spans.partition_point(|s| s.start < span.end);
            let keys = SentenceKeys::from_words(d.text, span, &w.spans[w0..w1], &w.keys[w0..w1]);
            sents.push(Sent {
                doc_pos: pos,
                span,
                w0,
                w1,
                keys,
            });
        }
        doc_sents.push(first..sents.len());
    }

    // Copies: through the aligned runs.
    let mut parent: Vec<usize> = (0..sents.len()).collect();
    let mut aligned = vec![false; sents.len()];
    let side = |pos: usize, (p0, p1): (usize, usize)| -> Vec<(usize, bool, f32, f32)> {
        let len = (p1 - p0).max(1) as f32;
        let range = doc_sents[pos].clone();
        let from = range.start + sents[range.clone()].partition_point(|s| s.w1 <= p0);
        let mut out = Vec::new();
        for (k, s) in sents[from..range.end].iter().enumerate() {
            if s.w0 >= p1 {
                break;
            }
            let (o0, o1) = (s.w0.max(p0), s.w1.min(p1));
            let most = (o1 - o0) * 2 >= s.words();
            if o1 > o0 && (most || o1 - o0 >= MIN_PASSAGE_WORDS) {
                let rel = ((o0 - p0) as f32 / len, (o1 - p0) as f32 / len);
                out.push((from + k, most, rel.0, rel.1));
            }
        }
        out
    };
    for l in &links {
        let a = side(l.a_doc, l.a);
        let b = side(l.b_doc, l.b);
        for &(s, ..) in a.iter().chain(&b) {
            aligned[s] = true;
        }
        for &(s, s_most, s0, s1) in &a {
            for &(t, t_most, t0, t1) in &b {
                if s_most && t_most && s0 < t1 && t0 < s1 {
                    let (rs, rt) = (find(&mut parent, s), find(&mut parent, t));
                    parent[rs.max(rt)] = rs.min(rt);
                }
            }
        }
    }
    let root: Vec<usize> = (0..sents.len()).map(|k| find(&mut parent, k)).collect();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); sents.len()];
    for (k, &r) in root.iter().enumerate() {
        members[r].push(k);
    }
    let docs_of = |r: usize| -> Vec<usize> {
        let mut d: Vec<usize> = members[r].iter().map(|&k| sents[k].doc_pos).collect();
        d.sort_unstable();
        d.dedup();
        d
    };

    // Rewrites: every cluster's first sentence is filed under each of its words; a sentence no
    // alignment placed looks up its rarest words, in a long list only the entries nearest itself.
    let idf = Idf::from_sets(sents.iter().map(|s| s.keys.words.as_slice()));
    let mut postings: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for k in (0..sents.len()).filter(|&k| root[k] == k) {
        for &w in &sents[k].keys.words {
            postings.entry(w).or_default().push(k as u32);
        }
    }
    // Each sentence's weighted words in one array (`weighted[at[k]..at[k + 1]]`), its document,
    // and whether its cluster is itself alone: what a candidate is first tested on, close together.
    let mut weighted_words: Vec<(u64, f32)> = Vec::new();
    let mut at: Vec<usize> = vec![0];
    for s in &sents {
        weighted_words.extend(weighted(&s.keys.words, &idf));
        at.push(weighted_words.len());
    }
    let alone: Vec<(usize, bool)> = (0..sents.len())
        .map(|k| (sents[k].doc_pos, members[root[k]].len() == 1))
        .collect();
    let ww = |k: usize| &weighted_words[at[k]..at[k + 1]];
    // A 256-bit filter of each sentence's words: the weight of the source's words whose bit a
    // candidate has set bounds from above how much of the source it can carry.
    let bit = |w: u64| ((w >> 62) as usize, 1u64 << ((w >> 56) & 63));
    let masks: Vec<[u64; 4]> = (0..sents.len())
        .map(|k| {
            let mut m = [0u64; 4];
            for &(w, _) in ww(k) {
                let (i, b) = bit(w);
                m[i] |= b;
            }
            m
        })
        .collect();
    let mut adjacent: Vec<Vec<usize>> = vec![Vec::new(); sents.len()];
    let mut seen: Vec<u32> = vec![u32::MAX; sents.len()];
    for s in 0..sents.len() {
        if aligned[s] || sents[s].words() < MIN_SENTENCE_WORDS {
            continue;
        }
        let need = MIN_CARRIED_COVERAGE * ww(s).iter().map(|x| x.1).sum::<f32>();
        for w in probe_words(&sents[s].keys.words, &idf) {
            let list = &postings[&w];
            let at = list.partition_point(|&t| (t as usize) < s);
            let near =
                &list[at.saturating_sub(POSTINGS_WINDOW)..(at + POSTINGS_WINDOW).min(list.len())];
            for &t in near {
                let t = t as usize;
                // A source is a cluster of one; a target of one must be in another document.
                if t == s || seen[t] == s as u32 || (alone[t].1 && alone[t].0 == alone[s].0) {
                    continue;
                }
                seen[t] = s as u32;
                let bound: f32 = ww(s)
                    .iter()
                    .filter(|&&(w, _)| {
                        let (i, b) = bit(w);
                        masks[t][i] & b != 0
                    })
                    .map(|x| x.1)
                    .sum();
                if bound < need || coverages(ww(s), ww(t)).0 < MIN_CARRIED_COVERAGE {
                    continue;
                }
                if carried(&sents[s].keys, &sents[t].keys, &idf) {
                    adjacent[s].push(t);
                    adjacent[t].push(s);
                }
            }
        }
    }
    for a in &mut adjacent {
        a.sort_unstable();
        a.dedup();
    }

    let unique = doc_sents
        .iter()
        .map(|r| {
            r.clone()
                .filter(|&k| {
                    !aligned[k] && adjacent[k].is_empty() && sents[k].words() >= MIN_SENTENCE_WORDS
                })
                .map(|k| sents[k].span)
                .collect()
        })
        .collect();

    // The brief: one sentence per cluster, the clusters carried (with their look-alikes) by the
    // most documents first, then the most sentences, then the earliest in its article.
    let position = |k: usize| k - doc_sents[sents[k].doc_pos].start;
    let mut order: Vec<(usize, usize, usize, usize, Vec<usize>)> = Vec::new();
    for r in (0..sents.len()).filter(|&r| root[r] == r) {
        let rep = *members[r]
            .iter()
            .min_by_key(|&&k| (position(k), k))
            .expect("a cluster has its root");
        if sents[rep].words() < MIN_SENTENCE_WORDS {
            continue;
        }
        let mut carriers = docs_of(r);
        let mut linked = members[r].len();
        for &t in &adjacent[r] {
            carriers.extend(docs_of(t));
            linked += members[t].len();
        }
        carriers.sort_unstable();
        carriers.dedup();
        if carriers.len() >= 2 {
            order.push((carriers.len(), linked, position(rep), rep, carriers));
        }
    }
    order.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then(a.2.cmp(&b.2))
            .then(a.3.cmp(&b.3))
    });
    let mut picked: Vec<usize> = Vec::new();
    // The words of the sentences picked: two clusters the alignment did not join (a line that
    // is all of one article and part of another) can hold the same sentence, which a brief
    // lists once.
    let mut picked_words: Vec<Vec<String>> = Vec::new();
    let mut brief = Vec::new();
    for (.., rep, carriers) in order {
        if brief.len() == BRIEF_SENTENCES {
            break;
        }
        let r = root[rep];
        if picked
            .iter()
            .any(|&p| adjacent[r].binary_search(&p).is_ok())
        {
            continue;
        }
        let s = &sents[rep];
        let mut words = Vec::new();
        crate::text::for_each_word(s.span.slice(docs[s.doc_pos].text), |_, w| {
            words.push(w.to_owned())
        });
        if picked_words.contains(&words) {
            continue;
        }
        picked_words.push(words);
        picked.push(r);
        let mut outlets: Vec<String> = carriers.iter().map(|&p| docs[p].outlet.clone()).collect();
        outlets.sort();
        outlets.dedup();
        brief.push(BriefSentence {
            doc: docs[s.doc_pos].doc,
            span: s.span,
            text: s.span.slice(docs[s.doc_pos].text).to_owned(),
            outlets,
        });
    }

    let passages = group_links(&words, &links)
        .into_iter()
        .map(|mut p| {
            for o in &mut p.occurrences {
                o.0 = docs[o.0].doc;
            }
            p
        })
        .collect();
    StoryAnalysis {
        passages,
        quotes: group_quotes(docs)
            .into_iter()
            .filter(|g| g.is_shared())
            .collect(),
        unique,
        brief,
    }
}

/// [`analyze_story`] for two documents.
pub fn compare_pair(a: &DocText, b: &DocText) -> StoryAnalysis {
    analyze_story(&[a.clone(), b.clone()])
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIRE: &str = "The bridge over the Elbe will stay closed until engineers finish inspecting its cracked pillars.";
    const TWO: &str =
        "Traffic is being diverted through the northern suburbs for at least three weeks.";

    fn docs<'a>(texts: &'a [String]) -> Vec<DocText<'a>> {
        texts
            .iter()
            .enumerate()
            .map(|(k, t)| DocText {
                doc: 10 + k,
                outlet: ["A", "B", "C"][k].into(),
                text: t,
            })
            .collect()
    }

    #[test]
    fn brief_prefers_what_most_outlets_carry_and_unique_is_what_none_shares() {
        let texts = vec![
            format!("{WIRE} {TWO} The mayor's cat was seen near the river on Sunday morning."),
            format!(
                "Local shops fear losing customers during the busy summer season. {WIRE} {TWO}"
            ),
            format!("{WIRE} Officials gave no estimate of the repair costs yet."),
        ];
        let a = analyze_story(&docs(&texts));
        assert_eq!(a.brief[0].text, WIRE);
        assert_eq!(a.brief[0].outlets, ["A", "B", "C"]);
        assert_eq!(a.brief[1].text, TWO);
        assert_eq!(a.brief[1].outlets, ["A", "B"]);
        assert_eq!(a.brief.len(), 2, "one brief sentence per linked group");
        let unique: Vec<Vec<&str>> = a
            .unique
            .iter()
            .zip(&texts)
            .map(|(u, t)| u.iter().map(|s| s.slice(t)).collect())
            .collect();
        assert_eq!(
            unique[0],
            ["The mayor's cat was seen near the river on Sunday morning."]
        );
        assert_eq!(
            unique[1],
            ["Local shops fear losing customers during the busy summer season."]
        );
        assert_eq!(
            unique[2],
            ["Officials gave no estimate of the repair costs yet."]
        );
        // The wire passage (and, between A and B, the sentence after it) is one group of three.
        let docs: Vec<Vec<usize>> = a.passages.iter().map(|p| p.docs()).collect();
        assert!(docs.contains(&vec![10, 11, 12]), "{docs:?}");
        assert!(docs.iter().all(|d| d.len() >= 2 && d[0] >= 10));
    }
}
