//! Quotes grouped across the articles of a story: one group per utterance, whatever the cut.
//!
//! Each quote is cut into sentences (outlets cut quotes at sentence ends far more often than
//! inside them), and each sentence is a *unit*. Two units are the same utterance when, after
//! normalisation (lower case, typography folded, plural `-s` dropped):
//! - the shorter has fewer than [`LONG_UNIT_WORDS`] words and appears as a contiguous run in the
//!   longer ("professional and substantive" in "professional and substantive and lasted …"), or
//! - at least [`CONTAINMENT`] of the shorter's distinct words are in the longer ("But we're also
//!   clear eyed about the prospect of that" against "But we are also clear-eyed about the prospects
//!   of that").
//!
//! A scare quote (at most [`SCARE_QUOTE_WORDS`] words that the articles also use in their own
//! words, as Fox's "talking points" in a story about talking points) joins only the same words
//! quoted elsewhere: a term a writer marks is not a wording of a sentence that contains it. Two
//! words found only inside quotes ("fundamental change" of "no fundamental change in the
//! dynamics") are a fragment of someone's sentence and join it.
//!
//! Units of comparable length join directly. A unit much shorter than its match (less than half its
//! words) joins only the best of the longer units containing it, so that a short common fragment
//! cannot chain two different quotes into one group. A group's variants are its distinct wordings.

use super::quotes::{extract_quotes, Quote};
use super::sentences::split_sentences;
use super::words::{stem, Words};
use super::DocText;
use crate::article::Span;
use crate::text::{for_each_word, hash_word};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

/// Units shorter than this must appear verbatim (as a run of words) in the longer one.
pub const LONG_UNIT_WORDS: usize = 5;
/// Share of the shorter unit's distinct words found in the longer one for a match.
pub const CONTAINMENT: f32 = 0.8;
/// Units with fewer words are not grouped: single scare-quoted words ("unclear") match anything.
pub const MIN_UNIT_WORDS: usize = 2;
/// A quote of at most this many words whose words the story's articles also use outside quotes
/// is a scare quote ("talking points"): a writer's marked term, not an utterance. It groups only
/// with the same words quoted elsewhere, never as a wording of a longer quote that contains them.
pub const SCARE_QUOTE_WORDS: usize = 2;

/// One wording of a quote and where it occurs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuoteVariant {
    /// The wording, folded for matching (quotes, dashes, NFKC).
    pub text: String,
    /// `(doc, span)`: `doc` is [`DocText::doc`], the span points into that document's text.
    pub occurrences: Vec<(usize, Span)>,
}

/// One utterance as the articles of a story quote it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuoteGroup {
    /// The wording carried by most documents (ties: the longest).
    pub canonical: String,
    /// The speaker most documents name (statements and releases count half: they are channels).
    pub speaker: Option<String>,
    /// Every wording of the utterance, with where each occurs.
    pub variants: Vec<QuoteVariant>,
    /// Distinct outlets carrying it, sorted.
    pub outlets: Vec<String>,
    /// Distinct documents carrying it, sorted.
    pub docs: Vec<usize>,
}

impl QuoteGroup {
    /// Carried by at least two documents.
    pub fn is_shared(&self) -> bool {
        self.docs.len() >= 2
    }
}

struct Unit {
    doc_pos: usize,
    span: Span,
    speaker: Option<String>,
    keys: Vec<u64>,
    set: Vec<u64>,
    /// Lower-case words without stemming: the identity of a wording.
    wording: String,
    /// A scare quote (see [`SCARE_QUOTE_WORDS`]).
    scare: bool,
}

/// The two-word runs the documents use outside every quote.
fn unquoted_pairs(docs: &[DocText], quotes: &[Vec<Quote>]) -> FxHashSet<(u64, u64)> {
    let mut out = FxHashSet::default();
    for (d, qs) in docs.iter().zip(quotes) {
        let w = Words::new(d.text);
        let mut q = 0;
        let mut prev: Option<u64> = None;
        for (span, &key) in w.spans.iter().zip(&w.keys) {
            while q < qs.len() && qs[q].span.end <= span.start {
                q += 1;
            }
            let quoted = q < qs.len() && qs[q].span.start <= span.start;
            if quoted {
                prev = None;
                continue;
            }
            if let Some(p) = prev {
                out.insert((p, key));
            }
            prev = Some(key);
        }
    }
    out
}

const QUOTE_CHARS: &[char] = &['"', '\'', '\u{201C}', '\u{201D}', '\u{2018}', '\u{2019}'];

fn units_of(
    pos: usize,
    text: &str,
    quotes: &[Quote],
    terms: &FxHashSet<(u64, u64)>,
    out: &mut Vec<Unit>,
) {
    for q in quotes {
        let inner = q.span.slice(text);
        for s in split_sentences(inner) {
            let piece = s.slice(inner);
            let lead = piece.len() - piece.trim_start_matches(QUOTE_CHARS).len();
            let trail = piece.len() - piece.trim_end_matches(QUOTE_CHARS).len();
            let span = Span::new(q.span.start + s.start + lead, q.span.start + s.end - trail);
            if span.is_empty() {
                continue;
            }
            let w = Words::in_span(text, span);
            if w.len() < MIN_UNIT_WORDS {
                continue;
            }
            let mut wording = String::new();
            for_each_word(span.slice(text), |_, word| {
                if !wording.is_empty() {
                    wording.push(' ');
                }
                wording.push_str(word);
            });
            let mut set = w.keys.clone();
            set.sort_unstable();
            set.dedup();
            let scare = w.len() <= SCARE_QUOTE_WORDS
                && w.keys.windows(2).all(|p| terms.contains(&(p[0], p[1])));
            out.push(Unit {
                scare,
                doc_pos: pos,
                span,
                speaker: q.speaker.as_ref().map(|s| s.name.clone()),
                keys: w.keys,
                set,
                wording,
            });
        }
    }
}

fn contains_run(long: &[u64], short: &[u64]) -> bool {
    short.is_empty() || long.windows(short.len()).any(|w| w == short)
}

fn shared(a: &[u64], b: &[u64]) -> usize {
    crate::copies::fingerprint::intersection_size(a, b)
}

/// How well `short` is contained in `long` (0 when not a match).
fn containment(short: &Unit, long: &Unit) -> f32 {
    if short.scare && long.keys.len() > SCARE_QUOTE_WORDS {
        return 0.0;
    }
    if short.keys.len() < LONG_UNIT_WORDS {
        return if contains_run(&long.keys, &short.keys) {
            1.0
        } else {
            0.0
        };
    }
    let c = shared(&short.set, &long.set) as f32 / short.set.len() as f32;
    if c >= CONTAINMENT {
        c
    } else {
        0.0
    }
}

/// The root of `x` in a union-find forest (with path halving).
pub(super) fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// Document-like speakers ("the statement said") are channels more than speakers.
fn speaker_weight(name: &str) -> f32 {
    let head = name.rsplit(' ').next().unwrap_or("").to_lowercase();
    let channel = [
        "statement",
        "release",
        "report",
        "document",
        "letter",
        "email",
        "video",
        "tweet",
        "transcript",
        "post",
        "website",
        "memo",
    ];
    if channel.contains(&head.as_str()) {
        0.5
    } else {
        1.0
    }
}

/// The quotes of all `docs`, grouped by utterance; groups carried by most documents first.
pub fn group_quotes(docs: &[DocText]) -> Vec<QuoteGroup> {
    let quotes: Vec<Vec<Quote>> = docs.iter().map(|d| extract_quotes(d.text)).collect();
    group_extracted(docs, &quotes)
}

/// [`group_quotes`] with the quotes of each document already extracted.
pub fn group_extracted(docs: &[DocText], quotes: &[Vec<Quote>]) -> Vec<QuoteGroup> {
    let terms = unquoted_pairs(docs, quotes);
    let mut units = Vec::new();
    for (pos, (d, qs)) in docs.iter().zip(quotes).enumerate() {
        units_of(pos, d.text, qs, &terms, &mut units);
    }
    // Candidates through an inverted index: a match must contain one of the shorter unit's
    // rarest words.
    let mut postings: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for (u, unit) in units.iter().enumerate() {
        for &k in &unit.set {
            postings.entry(k).or_default().push(u as u32);
        }
    }
    let mut parent: Vec<usize> = (0..units.len()).collect();
    let mut best_container: Vec<Option<(f32, usize, usize)>> = vec![None; units.len()];
    // `seen[v] == u`: unit `v` was already looked at for unit `u`.
    let mut seen: Vec<usize> = vec![usize::MAX; units.len()];
    for (u, unit) in units.iter().enumerate() {
        let mut anchors: Vec<(usize, u64)> =
            unit.set.iter().map(|k| (postings[k].len(), *k)).collect();
        anchors.sort_unstable();
        for &(_, k) in anchors.iter().take(3) {
            for &v in &postings[&k] {
                let v = v as usize;
                if v == u || seen[v] == u {
                    continue;
                }
                seen[v] = u;
                let other = &units[v];
                // Look at each pair once, from its shorter side (ties: the lower index).
                let shorter = (unit.keys.len(), u) < (other.keys.len(), v);
                if !shorter {
                    continue;
                }
                // Units of comparable length already in one group: nothing to learn (a quote
                // many outlets carry is compared with one representative, not with each copy).
                let comparable = unit.keys.len() * 2 >= other.keys.len();
                if comparable && find(&mut parent, u) == find(&mut parent, v) {
                    continue;
                }
                let c = containment(unit, other);
                if c == 0.0 {
                    continue;
                }
                if comparable {
                    let (a, b) = (find(&mut parent, u), find(&mut parent, v));
                    parent[a] = b;
                } else {
                    let cand = (c, other.keys.len(), v);
                    let better = best_container[u].is_none_or(|b| (cand.0, cand.1) > (b.0, b.1));
                    if better {
                        best_container[u] = Some(cand);
                    }
                }
            }
        }
    }
    for (u, best) in best_container.iter().enumerate() {
        if let Some((_, _, v)) = *best {
            let (a, b) = (find(&mut parent, u), find(&mut parent, v));
            parent[a] = b;
        }
    }
    let mut members: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for u in 0..units.len() {
        let root = find(&mut parent, u);
        members.entry(root).or_default().push(u);
    }
    let mut groups: Vec<(usize, QuoteGroup)> = members
        .into_values()
        .map(|us| {
            let first = us[0];
            (first, build_group(docs, &units, us))
        })
        .collect();
    groups.sort_by(|a, b| b.1.docs.len().cmp(&a.1.docs.len()).then(a.0.cmp(&b.0)));
    groups.into_iter().map(|(_, g)| g).collect()
}

fn build_group(docs: &[DocText], units: &[Unit], us: Vec<usize>) -> QuoteGroup {
    let mut variants: Vec<(String, QuoteVariant, Vec<usize>, usize)> = Vec::new();
    let mut votes: Vec<(String, f32, String)> = Vec::new();
    let mut group_docs = Vec::new();
    for &u in &us {
        let unit = &units[u];
        let d = &docs[unit.doc_pos];
        group_docs.push(d.doc);
        let occ = (d.doc, unit.span);
        match variants.iter_mut().find(|v| v.0 == unit.wording) {
            Some(v) => {
                v.1.occurrences.push(occ);
                v.2.push(d.doc);
            }
            None => variants.push((
                unit.wording.clone(),
                QuoteVariant {
                    text: crate::text::fold(unit.span.slice(d.text))
                        .trim_end_matches([',', ';', ':'])
                        .to_owned(),
                    occurrences: vec![occ],
                },
                vec![d.doc],
                unit.keys.len(),
            )),
        }
        if let Some(s) = &unit.speaker {
            let key = s.to_lowercase();
            match votes.iter_mut().find(|v| v.0 == key) {
                Some(v) => v.1 += speaker_weight(s),
                None => votes.push((key, speaker_weight(s), s.clone())),
            }
        }
    }
    group_docs.sort_unstable();
    group_docs.dedup();
    for v in &mut variants {
        v.2.sort_unstable();
        v.2.dedup();
    }
    let canonical = variants
        .iter()
        .max_by(|a, b| a.2.len().cmp(&b.2.len()).then(a.3.cmp(&b.3)))
        .map(|v| v.1.text.clone())
        .unwrap_or_default();
    let speaker = votes
        .iter()
        .fold(None::<&(String, f32, String)>, |best, v| match best {
            Some(b) if b.1 >= v.1 => Some(b),
            _ => Some(v),
        })
        .map(|v| v.2.clone());
    let mut outlets: Vec<String> = group_docs
        .iter()
        .filter_map(|d| docs.iter().find(|x| x.doc == *d).map(|x| x.outlet.clone()))
        .collect();
    outlets.sort();
    outlets.dedup();
    QuoteGroup {
        canonical,
        speaker,
        variants: variants.into_iter().map(|v| v.1).collect(),
        outlets,
        docs: group_docs,
    }
}

/// The stem hash of a word, as units use it (for callers comparing words to groups).
pub fn word_key(word: &str) -> u64 {
    hash_word(stem(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(doc: usize, outlet: &str, text: &'static str) -> DocText<'static> {
        DocText {
            doc,
            outlet: outlet.into(),
            text,
        }
    }

    #[test]
    fn cuts_and_wordings_of_one_quote_group_together() {
        let docs = [
            doc(0, "a", "\u{201C}But we are also clear-eyed about the prospects of that, given the steps Russia is taking on the ground in plain sight,\u{201D} the official said. The call was \u{201C}professional and substantive.\u{201D}"),
            doc(1, "b", "\"But we're also clear eyed about the prospect of that, given the steps Russia is taking on the ground,\" the official said. It was \"professional and substantive and lasted a bit over an hour.\""),
            doc(2, "c", "\"We will never agree to that,\" a spokesman said."),
        ];
        let groups = group_quotes(&docs);
        let shared: Vec<&QuoteGroup> = groups.iter().filter(|g| g.is_shared()).collect();
        assert_eq!(shared.len(), 2, "{groups:#?}");
        let eyed = shared
            .iter()
            .find(|g| g.canonical.contains("eyed"))
            .unwrap();
        assert_eq!(eyed.variants.len(), 2);
        assert_eq!(eyed.outlets, ["a", "b"]);
        assert_eq!(eyed.speaker.as_deref(), Some("official"));
        assert!(shared
            .iter()
            .any(|g| g.canonical == "professional and substantive and lasted a bit over an hour."));
        assert_eq!(groups.len(), 3);
    }

    /// Issue 24: Fox's scare-quoted "talking points" (BASIL, the Benghazi e-mails) was listed as a
    /// wording of a White House sentence holding the two words.
    #[test]
    fn a_scare_quote_is_not_a_wording_of_a_sentence() {
        let docs = [
            doc(0, "fox", "The e-mails show how the \"talking points\" were drafted. The talking points went to Congress."),
            doc(1, "nyt", "\"The talking points were drafted by the intelligence community,\" the spokesman said."),
            doc(2, "hpo", "\"The talking points were drafted by the intelligence community alone,\" he said. Critics called them \"talking points.\""),
        ];
        let groups = group_quotes(&docs);
        let sentence = groups
            .iter()
            .find(|g| g.canonical.contains("intelligence community"))
            .unwrap();
        assert_eq!(sentence.outlets, ["hpo", "nyt"], "{groups:#?}");
        assert_eq!(sentence.variants.len(), 2);
        let scare = groups
            .iter()
            .find(|g| g.canonical.starts_with("talking points"))
            .unwrap();
        assert_eq!(scare.outlets, ["fox", "hpo"], "{groups:#?}");
        assert_eq!(groups.len(), 2);
    }

    /// Two words quoted from someone's sentence, which no article uses in its own words, are a
    /// fragment of that sentence (the canonical pair's "fundamental change").
    #[test]
    fn two_quoted_words_of_a_sentence_join_it() {
        let docs = [
            doc(0, "a", "The call failed to produce any \"fundamental change\" in the dynamic."),
            doc(1, "b", "\"There was no fundamental change in the dynamics unfolding now,\" the official said."),
        ];
        let groups = group_quotes(&docs);
        assert_eq!(groups.len(), 1, "{groups:#?}");
        assert_eq!(groups[0].outlets, ["a", "b"]);
    }

    #[test]
    fn a_short_fragment_does_not_chain_two_quotes() {
        let docs = [
            doc(0, "a", "\"the fight goes on,\" she said."),
            doc(
                1,
                "b",
                "\"We lost today but the fight goes on for our members,\" she said.",
            ),
            doc(
                2,
                "c",
                "\"Nobody expected it, and the fight goes on in the courts next year,\" he said.",
            ),
        ];
        let groups = group_quotes(&docs);
        assert_eq!(groups.len(), 2, "{groups:#?}");
        assert_eq!(groups[0].docs.len(), 2);
    }
}
