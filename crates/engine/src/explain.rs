//! Why two articles are, or are not, copies and the same story: the pipeline's two decisions made
//! again for one pair, with the figures and the evidence behind them. `samestory compare` and the
//! server's compare page show what [`explain`] finds; neither works anything out again.
//!
//! - **Copy**: the same exact hash, or an exact Jaccard similarity of the clean texts' shingle
//!   sets at or above the copy threshold. The online index decides on the estimate from the
//!   signatures; [`Decision::jaccard_estimate`] is that estimate, beside the exact figure.
//! - **Same story**: a copy, or the second article joins the story the first one made, decided by
//!   a fresh [`Clusterer`] exactly as the pipeline decides (from the document frequencies given,
//!   a database's, else none). When the second article makes a story of its own, the similarity
//!   shown is its similarity to the first one's story, had it been the best.
//! - **Evidence**: the names, numbers and most distinctive terms that both clean texts hold,
//!   strongest first (the product of their weights in the two articles' TF-IDF vectors).
//!
//! ```
//! use samestory_engine::explain::explain;
//! use samestory_engine::pipeline::Config;
//! use samestory_engine::Article;
//!
//! let text = "The council voted on Tuesday to close the Elm Street bridge for repairs until March, \
//!             the mayor said, after engineers found cracks in two of its 1931 steel beams.";
//! let a = Article { id: "a".into(), text: text.into(), ..Article::default() };
//! let b = Article { id: "b".into(), text: text.into(), ..Article::default() };
//! let v = explain(&a, &b, &Config::default(), None);
//! assert!(v.decision.copy && v.decision.same_story);
//! assert_eq!(v.decision.jaccard, 1.0);
//! assert!(v.decision.evidence.numbers.contains(&"1931".to_string()));
//! ```

use crate::across::{self, Markers, Shared};
use crate::analysis::{compare_pair, DocText, StoryAnalysis};
use crate::article::{Article, Term, Timestamp};
use crate::clean::Cleaner;
use crate::copies::fingerprint::{exact_jaccard, shingle_set};
use crate::pipeline::{prepare, Config, Prepared};
use crate::stories::{is_content_word_in, term_in, Clusterer};
use crate::text::language::Language;
use crate::text::lexicon::Lexicon;
use crate::text::sentence_ends::ends_sentence;
use crate::text::{for_each_word, scripts, word_hashes};
use rustc_hash::FxHashMap;
use serde::Serialize;

/// One of the two articles as the pipeline saw it.
#[derive(Clone, Debug)]
pub struct Side {
    /// Its id.
    pub id: String,
    /// Its title, if it has one.
    pub title: Option<String>,
    /// Its outlet, if known.
    pub source: Option<String>,
    /// Its date, else a date found in its leading metadata.
    pub published: Option<Timestamp>,
    /// Words in its clean text.
    pub words: usize,
    /// What cleaning removed, each as `reason: text`.
    pub removed: Vec<String>,
    /// Its language: the one its input named, else the one its text reads as.
    pub language: Option<Language>,
}

/// What both articles hold, strongest first.
#[derive(Clone, Debug, Serialize)]
pub struct Evidence {
    /// Names (capitalised inside a sentence in both), at most 15.
    pub names: Vec<String>,
    /// Numbers, at most 10.
    pub numbers: Vec<String>,
    /// Other distinctive terms, lower case, at most 15.
    pub terms: Vec<String>,
}

/// The two decisions and the figures they rest on.
#[derive(Clone, Debug, Serialize)]
pub struct Decision {
    /// Whether the pipeline would put them in one story (copies always are).
    pub same_story: bool,
    /// Whether one is a copy of the other.
    pub copy: bool,
    /// The second article's cosine similarity to the first one's story.
    pub story_similarity: f32,
    /// The story threshold the decision used.
    pub story_threshold: f32,
    /// The exact Jaccard similarity of the shingle sets of the clean texts.
    pub jaccard: f32,
    /// The signatures' estimate of [`Decision::jaccard`].
    pub jaccard_estimate: f32,
    /// The copy threshold the decision used.
    pub copy_threshold: f32,
    /// Days between their dates, when both have one.
    pub days_apart: Option<f64>,
    /// The shared names, numbers and terms.
    pub evidence: Evidence,
    /// The names and numbers they share across languages ([`crate::across`]), when both
    /// languages are known and differ.
    pub across_languages: Option<Shared>,
}

/// Everything [`explain`] finds about a pair.
#[derive(Clone, Debug)]
pub struct Verdict {
    /// The decisions and figures.
    pub decision: Decision,
    /// The first article.
    pub a: Side,
    /// The second article.
    pub b: Side,
    /// Shared passages and quotes, and what each adds; spans into [`Verdict::clean_texts`].
    pub analysis: StoryAnalysis,
    /// The two clean texts.
    pub clean_texts: [String; 2],
}

/// Document frequencies a story decision starts from: `(term, documents holding it)` and the
/// number of documents counted (a database's, `Store::document_frequencies`).
pub type DocumentFrequencies = (Vec<(Term, u32)>, u32);

#[derive(Default)]
struct WordInfo {
    display: String,
    name: bool,
    number: bool,
}

/// The words of a text by term, with whether they appear as a name (capitalised inside a sentence),
/// terms as the clusterer made them for a text of that language.
fn words_by_term(text: &str, language: Option<Language>) -> FxHashMap<Term, WordInfo> {
    let lexicon = language.and_then(Lexicon::of);
    let mut out: FxHashMap<Term, WordInfo> = FxHashMap::default();
    let bytes = text.as_bytes();
    let mut last_end = 0;
    let mut sentence_start = true;
    for_each_word(text, |span, w| {
        if ends_sentence(&text[last_end..span.start], false) {
            sentence_start = true;
        }
        last_end = span.end;
        let name = bytes[span.start].is_ascii_uppercase()
            && !sentence_start
            && !lexicon.is_some_and(|l| l.is_common_capitalised(crate::text::hash_word(w)));
        sentence_start = false;
        if !is_content_word_in(w, lexicon) {
            return;
        }
        let e = out.entry(term_in(w, lexicon)).or_default();
        if e.display.is_empty() || name && !e.name {
            // A bigram of a script without spaces spans only its first letter (spans tile the
            // text): show the bigram itself.
            let unspaced = w.chars().next().is_some_and(scripts::is_unspaced);
            e.display = if unspaced { w } else { span.slice(text) }.to_owned();
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
        published: p.published,
        words: p.words,
        language: p.language,
        removed: p
            .cleaned
            .removals
            .iter()
            .map(|r| format!("{}: {}", r.reason.as_str(), r.text))
            .collect(),
    }
}

/// Compares two articles as the pipeline would see them, the first one first, with document
/// frequencies `df` when there are some (see the module doc).
pub fn explain(
    art_a: &Article,
    art_b: &Article,
    config: &Config,
    df: Option<DocumentFrequencies>,
) -> Verdict {
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

    // The story decision exactly as the clusterer makes it.
    let mut clusterer = Clusterer::new(config.cluster);
    if let Some((df, docs)) = df {
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
        words_by_term(&pa.cleaned.text, pa.language),
        words_by_term(&pb.cleaned.text, pb.language),
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
    let across_languages = match (pa.language, pb.language) {
        (Some(x), Some(y)) if x != y => Some(across::shared(
            &Markers::of(art_a.title.as_deref(), &pa.cleaned.text),
            &Markers::of(art_b.title.as_deref(), &pb.cleaned.text),
        )),
        _ => None,
    };
    Verdict {
        decision: Decision {
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
            across_languages,
        },
        a: side(art_a, &pa),
        b: side(art_b, &pb),
        analysis,
        clean_texts: [pa.cleaned.text, pb.cleaned.text],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str, published: Option<Timestamp>, text: &str) -> Article {
        Article {
            id: id.into(),
            published,
            text: text.into(),
            ..Article::default()
        }
    }

    const QUAKE: &str = "A magnitude 7.1 earthquake struck off the coast of Chile on Monday, the \
        United States Geological Survey said. Officials in Valparaiso reported damage to 40 homes \
        and ordered an evacuation of the harbour district while the Navy assessed the risk of a \
        tsunami along 300 kilometres of coastline.";

    #[test]
    fn a_reprint_is_a_copy_and_the_same_story_with_its_evidence() {
        let a = article("a", Some(1_700_000_000), QUAKE);
        let b = article("b", Some(1_700_086_400), QUAKE);
        let v = explain(&a, &b, &Config::default(), None);
        let d = &v.decision;
        assert!(d.copy && d.same_story);
        assert_eq!((d.jaccard, d.days_apart), (1.0, Some(1.0)));
        assert!(
            d.evidence.names.iter().any(|n| n == "Valparaiso"),
            "{:?}",
            d.evidence
        );
        assert!(
            d.evidence.numbers.iter().any(|n| n == "40"),
            "{:?}",
            d.evidence
        );
        assert_eq!(v.clean_texts[0], v.clean_texts[1]);
        assert_eq!((v.a.id.as_str(), v.b.published), ("a", Some(1_700_086_400)));
    }

    #[test]
    fn unrelated_articles_are_neither_and_share_no_evidence() {
        let a = article("a", None, QUAKE);
        let b = article(
            "b",
            None,
            "The city library will extend its opening hours over the summer holidays, the \
             council announced, with reading clubs for children every Thursday afternoon.",
        );
        let config = Config::default();
        let v = explain(&a, &b, &config, None);
        let d = &v.decision;
        assert!(!d.copy && !d.same_story);
        assert!(d.jaccard < config.copy_threshold);
        assert!(d.story_similarity < d.story_threshold);
        assert_eq!(d.days_apart, None);
        assert!(d.evidence.names.is_empty() && d.evidence.numbers.is_empty());
    }
}
