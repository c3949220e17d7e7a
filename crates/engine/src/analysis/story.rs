//! One story at a time: shared passages, shared quotes, what each article adds, and a brief.

use super::align::{group_links, story_links, SharedPassage, MIN_PASSAGE_WORDS};
use super::groups::{group_quotes, QuoteGroup};
use super::sentences::split_sentences;
use super::similar::{anchors, Idf, SentenceKeys, MODEL};
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

/// A sentence of the brief.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BriefSentence {
    /// The document ([`DocText::doc`]) the sentence is taken from.
    pub doc: usize,
    pub span: Span,
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

/// Analyses one story. Cost: about linear in the total words for typical news (see the module
/// docs of [`super::align`] for the exception).
pub fn analyze_story(docs: &[DocText]) -> StoryAnalysis {
    let words: Vec<Words> = docs.iter().map(|d| Words::new(d.text)).collect();
    let runs = story_links(&words);

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
    let mut links: Vec<Vec<usize>> = vec![Vec::new(); sents.len()];
    let mut aligned = vec![false; sents.len()];

    // Through the aligned runs: a sentence holding a run (most of the sentence, or at least
    // MIN_PASSAGE_WORDS of it) is shared; sentences mostly inside one run, at matching places in
    // it, are linked.
    for l in &runs {
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
                let most = (o1 - o0) * 2 >= s.w1 - s.w0;
                if o1 > o0 && (most || o1 - o0 >= MIN_PASSAGE_WORDS) {
                    let rel = ((o0 - p0) as f32 / len, (o1 - p0) as f32 / len);
                    out.push((from + k, most, rel.0, rel.1));
                }
            }
            out
        };
        let a = side(l.a_doc, l.a);
        let b = side(l.b_doc, l.b);
        for &(s, ..) in a.iter().chain(&b) {
            aligned[s] = true;
        }
        for &(s, s_most, s0, s1) in &a {
            for &(t, t_most, t0, t1) in &b {
                if s_most && t_most && s0 < t1 && t0 < s1 {
                    links[s].push(t);
                    links[t].push(s);
                }
            }
        }
    }

    // Links through similarity, for sentences alignment did not place. The model says "same"
    // only past the coverage gate, so a match `t` of `s` holds one of the anchors of `s`.
    let idf = Idf::from_sets(sents.iter().map(|s| s.keys.words.as_slice()));
    let mut postings: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for (k, s) in sents.iter().enumerate() {
        for &w in &s.keys.words {
            postings.entry(w).or_default().push(k as u32);
        }
    }
    let mut seen: Vec<u32> = vec![u32::MAX; sents.len()];
    for (k, s) in sents.iter().enumerate() {
        if aligned[k] || s.w1 - s.w0 < MIN_SENTENCE_WORDS {
            continue;
        }
        for w in anchors(&s.keys.words, &idf) {
            for &t in &postings[&w] {
                let t = t as usize;
                if seen[t] == k as u32 || sents[t].doc_pos == s.doc_pos {
                    continue;
                }
                seen[t] = k as u32;
                if MODEL.matches(&s.keys, &sents[t].keys, &idf) {
                    links[k].push(t);
                    links[t].push(k);
                }
            }
        }
    }
    for l in &mut links {
        l.sort_unstable();
        l.dedup();
    }

    let unique = doc_sents
        .iter()
        .map(|r| {
            r.clone()
                .filter(|&k| {
                    !aligned[k]
                        && links[k].is_empty()
                        && sents[k].w1 - sents[k].w0 >= MIN_SENTENCE_WORDS
                })
                .map(|k| sents[k].span)
                .collect()
        })
        .collect();

    // The brief: sentences carried by the most other documents, one per group of linked ones.
    let carriers = |k: usize| -> Vec<usize> {
        let mut d: Vec<usize> = links[k]
            .iter()
            .map(|&t| sents[t].doc_pos)
            .filter(|&p| p != sents[k].doc_pos)
            .collect();
        d.sort_unstable();
        d.dedup();
        d
    };
    let mut order: Vec<(usize, usize, usize, usize)> = (0..sents.len())
        .filter(|&k| sents[k].w1 - sents[k].w0 >= MIN_SENTENCE_WORDS)
        .map(|k| {
            let c = carriers(k).len();
            (c, links[k].len(), k - doc_sents[sents[k].doc_pos].start, k)
        })
        .filter(|c| c.0 > 0)
        .collect();
    // Most documents first, then most linked sentences, then earliest in its article.
    order.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then(a.2.cmp(&b.2))
            .then(a.3.cmp(&b.3))
    });
    let mut picked: Vec<usize> = Vec::new();
    let mut brief = Vec::new();
    for &(.., k) in &order {
        if brief.len() == BRIEF_SENTENCES {
            break;
        }
        if picked.iter().any(|&p| links[k].binary_search(&p).is_ok()) {
            continue;
        }
        picked.push(k);
        let s = &sents[k];
        let mut outlets: Vec<String> = std::iter::once(s.doc_pos)
            .chain(carriers(k))
            .map(|p| docs[p].outlet.clone())
            .collect();
        outlets.sort();
        outlets.dedup();
        brief.push(BriefSentence {
            doc: docs[s.doc_pos].doc,
            span: s.span,
            text: s.span.slice(docs[s.doc_pos].text).to_owned(),
            outlets,
        });
    }

    let passages = group_links(&words, &runs)
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
