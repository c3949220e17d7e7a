//! Stories: articles that report the same real-world event, grouped online in arrival order.
//!
//! Each article is a sparse TF-IDF vector over content words (stopwords out, a light plural
//! stemmer), with the words of the title, capitalised names (people, places, organisations) and
//! numbers weighted up, since they are what tells one event from another of the same kind (two
//! celebrities checking into rehab, two earthquakes). A capitalised word inside a sentence is a
//! name; so is a sentence's first word when the next word is capitalised too ("Tara Reid checked
//! in"), which would otherwise lose the first half of most names that open a sentence.
//! Document frequencies are maintained online: an article is weighed with the IDF of everything seen
//! so far, itself included; nothing peeks ahead. A headline (fewer than
//! [`ClusterConfig::story_idf_terms`] distinct terms) blends in the story frequency (in how many
//! stories a term occurs, [`ClusterConfig::story_idf`] of the IDF): a big story's own words occur
//! in many documents but few stories, so document frequency alone discounts them by the story's
//! size, and a headline of that story, sharing one or two of them, falls short. Story frequencies
//! and the story count live in the document frequency table under salted pseudo-terms, so they
//! persist with it.
//!
//! A story is the running sum of its members' unit vectors (its centroid). An article joins the
//! story most similar to it (centroid cosine, or mean member cosine for long articles: below) if
//! that similarity reaches the threshold, else it starts a new story: one decision per article,
//! never a re-clustering. Candidate stories come from
//! an inverted index over each story's strongest centroid terms, not from a scan; they are ranked
//! by the weight of the article's terms that reached them, and only the best
//! [`ClusterConfig::max_candidates`] get a full cosine, which bounds the work per article however
//! many live stories share a common term (measured: the same quality at 8 as at 16 or 64).
//!
//! Time is evidence too. A story whose newest article is more than [`ClusterConfig::window_secs`]
//! older than the article is cold and cannot be joined, so a similar event months later is a new
//! story. Cold stories leave the in-memory index ([`Clusterer::evict_cold`]); they stay in the
//! store, and come back ([`Clusterer::revive`]) when a late article arrives, one published before
//! the stream's eviction horizon plus the window ([`Clusterer::revival_span`]): the stories it could
//! join may have left already. Inside the window, the similarity to a story is raised by up to
//! [`ClusterConfig::recency_boost`] (relative) the closer the article is to the story's newest
//! article, fading linearly to nothing at the window's edge: the same wording one hour after a
//! story broke is much more likely the same event than three days later. Without dates (or without
//! a window) similarities are left as they are.
//!
//! One threshold does not fit every length of text. Two full articles on one event share many
//! words but also carry many of their own, so their cosine sits around 0.25–0.45; two headlines of
//! one story share two or three words out of six and land anywhere. Measured on real sets (see
//! `docs/cluster-eval.md`), headlines and short wire snippets need a lower bar than full articles,
//! so an article with fewer than [`ClusterConfig::short_terms`] distinct terms is held to
//! `threshold × (terms / short_terms)^short_exponent`: a smooth, length-only rule (no look at the
//! candidates), which leaves full articles at the plain threshold.
//!
//! Just above the threshold, a lead matters as much as a level. Inside a running topic (an
//! election, a war) dozens of sibling stories share most of their vocabulary and names, so a new
//! event's first article sits at similarities near the threshold to many of them at once, while an
//! article of a known story stands out from the rest. Up to [`ClusterConfig::margin_zone`] times
//! its threshold an article therefore joins its best story only if that story leads the runner-up
//! by [`ClusterConfig::margin`]; above the zone the level alone decides, so a story that was split
//! in two early (both halves close) still takes its later articles. Measured (docs/cluster-eval.md):
//! on the generated corpus of 100,000 articles B-cubed F1 0.925 → 0.966, with the real sets level.
//!
//! Time tells the rest of those apart. Reports of one event come in a burst, while the next event
//! of a running topic breaks hours or days after its siblings: on the generated corpus a report
//! joining its own story came a median 0.5 hours after the story's newest article (90 % within
//! 5 hours), the first article of a new event joining a sibling a median 14 hours after. A story
//! whose newest article is more than [`ClusterConfig::quiet_secs`] older than a long article is
//! quiet, and up to [`ClusterConfig::quiet_zone`] times its threshold the article joins a quiet
//! story only if no other story is in reach (no runner-up at all): a weak match to a quiet story
//! with rivals about is a new event of the topic, while a lone weak match, as between the outlets
//! of a quiet news day, stands. Headlines are exempt: their similarities are too coarse for it.
//! Measured (docs/cluster-eval.md, round 6): generated 100,000 B-cubed F1 0.965 → 0.979, with the
//! real sets level.
//!
//! Long and short articles are compared with a story differently. The cosine to a centroid (the
//! sum of the members' unit vectors) grows with the story: an article sharing a little with each
//! of many members scores like one sharing a lot with a few, so a big story attracts articles of
//! other events, grows, and attracts more (measured on the generated corpus: stories of 700
//! articles from 250 events). An article of at least [`ClusterConfig::short_terms`] distinct terms
//! is therefore scored by its mean cosine to the members (the dot product with the centroid over
//! the member count; group-average linkage), which a mixed story cannot inflate. A headline is too
//! sparse for that: each member shares one or two of its words, and only the pooled centroid shows
//! which words the story is about, so short articles keep the centroid cosine. Nearness in time
//! weighs less for long articles ([`ClusterConfig::long_recency_boost`]): their text is evidence
//! enough, and running topics are bursty.
//!
//! A paragraph (a line of the body with at least [`LINE_MIN_WORDS`] content words) seen verbatim
//! in an earlier article is background: boilerplate, an explainer every story of a running topic
//! reuses ("the conflict began in ..."). Its words are weighed by
//! [`ClusterConfig::repeated_line_weight`] in the decision and the centroid, so two stories of one
//! topic do not meet through it. Whole copies never get here (they join their original's story
//! through the copy index), and an article made mostly of seen lines is a partial copy whose lines
//! are its substance, so they keep their weight. Seen lines are kept in the document-frequency
//! table under salted pseudo-terms (which is how they persist), marked with the generation
//! (every [`ClusterConfig::line_generation_docs`] articles) they were last seen in.
//!
//! An IDF learned online is noise while the stream is young: after a few hundred articles a
//! common word met by chance in two of them weighs like a name. Every document frequency therefore
//! starts from a background, English word frequencies (`data/wordfreq-en.txt`, from the wordfreq
//! package) read as the share of articles expected to hold the word ([`background_df`]), weighed
//! as [`ClusterConfig::prior_docs`] documents: the stream's own counts take over as it grows.
//! Measured (`bench/eval.sh`, with 2,000): ECB+ whole articles B-cubed F1 0.782 → 0.834, BASIL
//! without dates 0.973 → 0.980, the generated 100,000 level (0.979); BASIL with dates 0.991 →
//! 0.986 (one false merge of a story and its sequel a day later) and UCI headlines 0.764 → 0.757.
//!
//! The document frequencies are those of the recent stream, not of all of it: every count, and
//! the document count the IDF divides by, is halved when a generation starts (lazily, see the
//! `docfreqs` module), so a count weighs the current generation fully, the one before by half,
//! and so on. With counts that only grew, the IDF drifted as a stream went on (its smoothing
//! constant weighs less and less beside `ln n`) and decisions drifted with it: on ten generated
//! 100,000-article corpora one after the other, B-cubed precision fell from 0.971 on the first to
//! 0.936 on the tenth; with halving it stays at 0.967–0.974 (BENCHMARKS.md, section 3).
//!
//! A long stream's memory stays flat: when a generation starts, lines not seen for two
//! generations are forgotten, and so are counts halved to 0 (a term counted `n` times in a
//! generation is forgotten `1 + log2(n)` generations later unless counted again). In an open
//! vocabulary most new terms are names met a few times, and without this the table of document
//! frequencies would grow with the stream (measured: 1.05 million entries at 1 million generated
//! articles, where it doubled). Counts are saved with their generation, so a restored clusterer
//! decays and forgets them when an uninterrupted one would; the index holds exactly each story's
//! current strongest terms in story order, and the saved centroids carry their squared norms as
//! summed: a restart decides as an uninterrupted run.
//!
//! Names and numbers are also a channel of their own. Two events of one kind (two rehab
//! check-ins, two earthquakes) share their whole vocabulary and reach a story of the other at
//! similarities as high as correct joins; what differs is who, where and how many. Each story
//! keeps a second centroid over the names and numbers of its members (the entries of their
//! vectors for terms written as a name or holding a digit, renormalised), and an article with at
//! least [`ClusterConfig::name_terms`] distinct terms and [`ClusterConfig::name_min`] names cannot
//! join a story with as many names unless the cosine of the two reaches
//! [`ClusterConfig::name_floor`]; the next candidate may take it instead. Headlines are exempt:
//! too few words, and title case makes every word a name. The name centroid is saved inside the
//! story's centroid under pseudo-terms (a hash of each name term), recognised on restore because
//! their term is in the centroid too.
//!
//! Determinism: the same articles in the same order give the same stories (ties break on the
//! lower story index).

use crate::article::{StoryIdx, Term, Timestamp};
use crate::docfreqs::DocFreqs;
use crate::memory::slots::Slots;
use crate::memory::spill::Spill;
use crate::sparse::SparseSum;
use crate::text::{for_each_word, hash_word};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// How many of a term's postings (the newest) a candidate look-up reads.
const POSTINGS_SCANNED: usize = 256;

/// Configuration of the clusterer. Fields missing from a stored configuration take their defaults.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClusterConfig {
    /// Minimum cosine similarity between an article and a story centroid to join it.
    pub threshold: f32,
    /// A story goes cold this long after its newest article. `None`: stories never go cold.
    pub window_secs: Option<i64>,
    /// How many of an article's strongest terms look up candidate stories.
    pub query_terms: usize,
    /// How many of a story's strongest terms are indexed.
    pub index_terms: usize,
    /// How many candidate stories (those sharing the most query weight with the article through
    /// the index) get a full similarity; 0 for all of them.
    pub max_candidates: usize,
    /// Weight multiplier of title words.
    pub title_boost: f32,
    /// Weight multiplier of capitalised names inside sentences.
    pub name_boost: f32,
    /// Weight multiplier of words holding a digit (counts, magnitudes, flight numbers, years).
    pub number_boost: f32,
    /// Articles with fewer distinct terms than this are held to a lower threshold.
    pub short_terms: usize,
    /// How fast the threshold falls for short articles: `(terms / short_terms)^short_exponent`.
    pub short_exponent: f32,
    /// Relative similarity bonus for a story whose newest article is close in time (full at no
    /// gap, none at the window's edge).
    pub recency_boost: f32,
    /// [`ClusterConfig::recency_boost`] for articles of at least
    /// [`ClusterConfig::short_terms`] distinct terms.
    pub long_recency_boost: f32,
    /// Weight multiplier of a body line (paragraph) already seen verbatim in an earlier article.
    pub repeated_line_weight: f32,
    /// The least cosine between the names and numbers of an article and those of a story for the
    /// article to join it, when both have at least [`ClusterConfig::name_min`] of them; 0: off.
    pub name_floor: f32,
    /// How many distinct names and numbers each side needs for the name floor to apply.
    pub name_min: usize,
    /// Articles with fewer distinct terms than this are not held to the name floor.
    pub name_terms: usize,
    /// Share of the IDF taken from story frequency (in how many stories a term occurs) rather
    /// than document frequency, for articles of fewer than [`ClusterConfig::story_idf_terms`]
    /// distinct terms.
    pub story_idf: f32,
    /// Articles with fewer distinct terms than this blend story frequency into their IDF.
    pub story_idf_terms: usize,
    /// Up to this multiple of its threshold, an article's best story must also lead the
    /// runner-up by [`ClusterConfig::margin`] (see the module doc).
    pub margin_zone: f32,
    /// How far the best story must lead the runner-up inside the margin zone.
    pub margin: f32,
    /// A story whose newest article is more than this older than a long article is quiet: below
    /// [`ClusterConfig::quiet_zone`] times its threshold the article joins it only if no other
    /// story is in reach (see the module doc). `None`: off.
    pub quiet_secs: Option<i64>,
    /// Up to this multiple of its threshold, a long article joins a quiet story only alone.
    pub quiet_zone: f32,
    /// Articles per generation of remembered lines: a line not seen for two generations is
    /// forgotten (see the module doc).
    pub line_generation_docs: u32,
    /// A name or number held by more than this share of documents (with the background, see
    /// [`ClusterConfig::prior_docs`]) is template, not a name: `Net`, `Shr`, `Qtr` in earnings
    /// briefs. It is left out of the name channel. 1: every name counts.
    pub name_max_share: f32,
    /// How many documents the background word frequencies ([`background_df`]) weigh as in the
    /// IDF: a term's document frequency starts at this many documents times its background share,
    /// and the stream's own counts add to it. 0: no background.
    pub prior_docs: f32,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            threshold: 0.25,
            window_secs: Some(3 * 86_400),
            query_terms: 12,
            index_terms: 40,
            max_candidates: 8,
            title_boost: 4.0,
            name_boost: 1.5,
            number_boost: 1.5,
            short_terms: 40,
            short_exponent: 0.3,
            recency_boost: 0.5,
            long_recency_boost: 0.25,
            repeated_line_weight: 0.0,
            name_floor: 0.1,
            name_min: 3,
            name_terms: 12,
            story_idf: 0.75,
            story_idf_terms: 10,
            margin_zone: 1.4,
            margin: 0.08,
            quiet_secs: Some(6 * 3_600),
            quiet_zone: 1.5,
            line_generation_docs: 32_768,
            prior_docs: 2_000.0,
            name_max_share: 0.05,
        }
    }
}

/// The raw term weights of one article (before IDF and before the sublinear count transform),
/// sorted by term, with the body lines that may recur verbatim in other articles.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TermCounts {
    /// Each term with its raw weight (title, name and number boosts applied), sorted by term.
    pub terms: Vec<(Term, f32)>,
    /// Lines (paragraphs) of the body with at least [`LINE_MIN_WORDS`] content words, when the
    /// body has at least two of them: a single-paragraph text is never discounted.
    pub lines: Vec<Line>,
    /// The terms written as a name or holding a digit somewhere in the text, sorted.
    pub names: Vec<Term>,
}

/// One paragraph of an article: the hash of its content words in order and its raw term weights,
/// in text order (a term may come more than once: readers sum them).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Line {
    /// The hash of the line's content words in order: equal for a line seen verbatim.
    pub hash: u64,
    /// The line's raw term weights, in text order.
    pub terms: Vec<(Term, f32)>,
}

/// Content words a line needs to be recognised when it recurs.
pub const LINE_MIN_WORDS: usize = 8;

/// The largest share of an article's weight that lines seen before may hold for them to be
/// weighed down: above it the article is a partial copy and its lines are its substance.
const REPEATED_SHARE_MAX: f32 = 0.5;

/// The pseudo-term under which a saved centroid carries its member count.
const MEMBERS_TERM: Term = 0x6d65_6d62_6572_735f;

/// The pseudo-terms under which a saved centroid carries its squared norms as the live clusterer
/// summed them, so that a restored one decides exactly as it would have.
const NORM2_TERM: Term = 0x6e6f_726d_325f_6365;
const NAMES_NORM2_TERM: Term = 0x6e6f_726d_325f_6e61;

/// Salt of the pseudo-terms under which a saved centroid carries its name channel.
const NAME_SALT: u64 = 0x6e61_6d65_5f63_686e;

/// The pseudo-term of a term's weight in a saved story's name channel.
fn name_key(t: Term) -> Term {
    crate::article::mix64(t ^ NAME_SALT)
}

/// Salt of the pseudo-terms under which the document frequency table counts stories per term.
const STORY_SALT: u64 = 0x7374_6f72_795f_6672;

/// The pseudo-term under which the document frequency table counts stories.
const STORIES_TERM: Term = 0x7374_6f72_6965_735f;

/// Salt of the pseudo-term under which the document frequency table keeps a line's hash.
const LINE_SALT: u64 = 0x6c69_6e65_5f73_6565;

/// Marks a line's value in the document frequency table (a generation number), which a count
/// never reaches and which does not decay.
const LINE_FLAG: u32 = crate::docfreqs::MARK;

/// Marks a count saved by stores written before counts decayed, below 16,384: the count in bits
/// 16–29, the generation it was last counted in below.
const FEW_FLAG: u32 = 1 << 30;

/// Marks a saved count: the count (at most 65,535) in bits 14–29, the generation it was last
/// counted in, modulo 2^14, below. A count is forgotten long before its generation could be
/// mistaken for another (it halves every generation).
const COUNT_FLAG: u32 = LINE_FLAG | FEW_FLAG;

/// The bits of a saved count's generation.
const COUNT_GENERATION_BITS: u16 = (1 << 14) - 1;

/// The document count the IDF divides by: the articles counted, decayed as the document
/// frequencies are (halved at the start of each generation; see the `docfreqs` module).
fn weighed_docs(docs: u32, generation_docs: u32) -> u32 {
    let generation_docs = generation_docs.max(1);
    let (mut weighed, mut left, mut generation) = (0u32, docs, 1u32);
    while left > 0 {
        // The last generation holds every article after it (see `generation_of`).
        let take = if generation == u32::from(u16::MAX) {
            left
        } else {
            left.min(generation_docs)
        };
        weighed = weighed.saturating_add(take);
        left -= take;
        if left > 0 {
            weighed >>= 1;
            generation += 1;
        }
    }
    weighed
}

/// Words in a typical article, to turn a word's share of running text into the share of articles
/// holding it: `1 - exp(-share × words)`.
const PRIOR_ARTICLE_WORDS: f64 = 400.0;

/// The share of news articles expected to hold each term, from English word frequencies
/// (`data/wordfreq-en.txt`, made by `data/make_wordfreq.py` from the wordfreq package, CC BY-SA
/// 4.0). Terms not listed are rare: 0.
pub fn background_df(t: Term) -> f32 {
    static TABLE: std::sync::OnceLock<FxHashMap<Term, f32>> = std::sync::OnceLock::new();
    TABLE
        .get_or_init(|| {
            let mut shares: FxHashMap<Term, f64> = FxHashMap::default();
            for line in include_str!("../data/wordfreq-en.txt").lines() {
                let Some((word, zipf)) = line.split_once('\t') else {
                    continue;
                };
                let Ok(zipf) = zipf.parse::<f64>() else {
                    continue;
                };
                let mut words = 0;
                let mut only = None;
                for_each_word(word, |_, w| {
                    words += 1;
                    only = Some(term(w));
                });
                if let (1, Some(t)) = (words, only) {
                    *shares.entry(t).or_default() += 10f64.powf(zipf - 9.0);
                }
            }
            shares
                .into_iter()
                .map(|(t, share)| (t, (1.0 - (-share * PRIOR_ARTICLE_WORDS).exp()) as f32))
                .collect()
        })
        .get(&t)
        .copied()
        .unwrap_or(0.0)
}

/// The sublinear count transform: repeating a word adds less and less.
fn sublinear(c: f32) -> f32 {
    if c > 1.0 {
        1.0 + c.ln()
    } else {
        c
    }
}

/// Strips a plural `s` so "officials" and "official" meet ([`crate::text::stem::STORIES`]).
fn stem(word: &str) -> &str {
    crate::text::stem::plural(word, &crate::text::stem::STORIES)
}

/// Whether a normalized word counts as evidence at all.
pub fn is_content_word(word: &str) -> bool {
    is_content_hashed(word, hash_word(word))
}

/// [`is_content_word`] for a word whose [`hash_word`] is at hand.
fn is_content_hashed(word: &str, hash: u64) -> bool {
    word.len() > 1 && !crate::text::stopwords::is_stopword_hash(hash)
}

/// The term of a normalized word.
pub fn term(word: &str) -> Term {
    hash_word(stem(word))
}

/// [`term`] for a word whose [`hash_word`] is at hand: an unstemmed word's term is its hash.
fn term_hashed(word: &str, hash: u64) -> Term {
    let stemmed = stem(word);
    if stemmed.len() == word.len() {
        hash
    } else {
        hash_word(stemmed)
    }
}

/// Counts the terms of an article: its title and its clean text.
pub fn term_counts(title: Option<&str>, text: &str, config: &ClusterConfig) -> TermCounts {
    term_counts_and_words(title, text, config).0
}

/// [`term_counts`], and the [`crate::text::word_hashes`] of the text from the same pass.
pub fn term_counts_and_words(
    title: Option<&str>,
    text: &str,
    config: &ClusterConfig,
) -> (TermCounts, Vec<u64>) {
    let mut words: Vec<u64> = Vec::with_capacity(text.len() / 6);
    let mut counts: FxHashMap<Term, f32> =
        FxHashMap::with_capacity_and_hasher(text.len() / 12, Default::default());
    if let Some(title) = title {
        for_each_word(title, |_, w| {
            let hash = hash_word(w);
            if is_content_hashed(w, hash) {
                *counts.entry(term_hashed(w, hash)).or_default() += config.title_boost;
            }
        });
    }
    let bytes = text.as_bytes();
    let mut sentence_start = true;
    let mut last_end = 0;
    // The previous word when it was a capitalised content word opening a sentence (not yet
    // counted as a name): it becomes one if this word is capitalised and follows it directly.
    let mut opener: Option<Term> = None;
    let mut lines: Vec<Line> = Vec::new();
    let mut line = Line::default();
    let mut line_words = 0;
    let mut names: Vec<Term> = Vec::new();
    let mut end_line = |line: &mut Line, words: &mut usize| {
        if *words >= LINE_MIN_WORDS {
            lines.push(std::mem::take(line));
        } else {
            *line = Line::default();
        }
        *words = 0;
    };
    for_each_word(text, |span, w| {
        // A sentence starts after . ! ? or a line break between the previous word and this one.
        let between = &bytes[last_end..span.start];
        let broke = between
            .iter()
            .any(|&b| matches!(b, b'.' | b'!' | b'?' | b'\n'));
        if broke {
            sentence_start = true;
        }
        if between.contains(&b'\n') {
            end_line(&mut line, &mut line_words);
        }
        last_end = span.end;
        let capital = bytes[span.start].is_ascii_uppercase();
        let is_name = capital && !sentence_start;
        let hash = hash_word(w);
        words.push(hash);
        let content = is_content_hashed(w, hash);
        if let Some(first) = opener.take() {
            if is_name && content && between.iter().all(|&b| b == b' ') {
                *counts.entry(first).or_default() += config.name_boost - 1.0;
                names.push(first);
                line.terms.push((first, config.name_boost - 1.0));
            }
        }
        if content {
            let t = term_hashed(w, hash);
            let weight = if is_name {
                names.push(t);
                config.name_boost
            } else if w.bytes().any(|b| b.is_ascii_digit()) {
                names.push(t);
                config.number_boost
            } else {
                1.0
            };
            *counts.entry(t).or_default() += weight;
            line.terms.push((t, weight));
            line.hash = crate::article::mix64(line.hash ^ t);
            line_words += 1;
            if capital && sentence_start {
                opener = Some(t);
            }
        }
        sentence_start = false;
    });
    end_line(&mut line, &mut line_words);
    if lines.len() < 2 {
        lines.clear();
    }
    let mut terms: Vec<(Term, f32)> = counts.into_iter().collect();
    terms.sort_unstable_by_key(|&(t, _)| t);
    names.sort_unstable();
    names.dedup();
    let counts = TermCounts {
        terms,
        lines,
        names,
    };
    (counts, words)
}

/// A story as the clusterer keeps it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoryState {
    /// The centroid (sum of the members' unit vectors), with the saved pseudo-terms that carry
    /// its member count, squared norms and name channel.
    pub centroid: Vec<(Term, f32)>,
    /// How many articles it holds, copies counted.
    pub size: u32,
    /// Its oldest article's date.
    pub first: Option<Timestamp>,
    /// Its newest article's date.
    pub last: Option<Timestamp>,
}

struct LiveStory {
    /// The sum of the unit vectors of the members that were decided (copies join without one).
    centroid: SparseSum,
    /// How many vectors the centroid sums.
    members: u32,
    norm2: f32,
    /// The sum of the members' name-and-number unit vectors (see the module doc).
    names: SparseSum,
    names_norm2: f32,
    size: u32,
    first: Option<Timestamp>,
    last: Option<Timestamp>,
    /// The current strongest `index_terms` centroid terms.
    top: Vec<Term>,
    /// The least centroid weight among `top` when it is full, else 0.
    top_floor: f32,
    /// Where `centroid` and `names` wait while they are spilled (both empty then).
    spilled: Option<Spilled>,
    /// When the story last joined the resident queue (see [`Residency`]).
    stamp: u32,
}

impl LiveStory {
    /// Bytes of its centroid and names, in memory or spilled.
    fn vector_bytes(&self) -> usize {
        match &self.spilled {
            Some(s) => s.bytes(),
            None => (self.centroid.len() + self.names.len()) * SparseSum::ENTRY_BYTES,
        }
    }

    fn names_len(&self) -> usize {
        self.spilled
            .as_ref()
            .map_or(self.names.len(), |s| s.names_len as usize)
    }
}

/// A story's centroid and names written out to the [`Spill`].
#[derive(Clone, Copy, Debug)]
struct Spilled {
    handle: u64,
    centroid_len: u32,
    names_len: u32,
}

impl Spilled {
    fn bytes(&self) -> usize {
        (self.centroid_len + self.names_len) as usize * SparseSum::ENTRY_BYTES
    }

    /// Reads the centroid and names back into `centroid` and `names`, through `bytes`.
    fn read(
        &self,
        spill: &dyn Spill,
        bytes: &mut Vec<u8>,
        centroid: &mut SparseSum,
        names: &mut SparseSum,
    ) {
        bytes.resize(self.bytes(), 0);
        if let Err(e) = spill.read(self.handle, bytes) {
            panic!("a spilled story could not be read back: {e}");
        }
        let split = self.centroid_len as usize * SparseSum::ENTRY_BYTES;
        centroid.decode_from(&bytes[..split]);
        names.decode_from(&bytes[split..]);
    }
}

/// Which stories keep their vectors in memory: at most `budget` bytes of them, the most recently
/// joined (see the `spill` module).
struct Residency {
    spill: Box<dyn Spill>,
    budget: usize,
    resident_bytes: usize,
    /// Stories by the stamp of their last join, oldest first; an entry whose stamp is no longer
    /// its story's is stale and skipped.
    queue: VecDeque<(StoryIdx, u32)>,
    next_stamp: u32,
    /// A spilled story read back for a look-up, and its bytes.
    loaded: std::cell::RefCell<(SparseSum, SparseSum, Vec<u8>)>,
    /// Why spilling stopped, when a write failed (the rest stays in memory).
    error: Option<std::io::Error>,
}

/// The stories a late article could join that may have left memory (see
/// [`Clusterer::revival_span`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RevivalSpan {
    /// The stories whose newest article is at least this old…
    pub newest_from: Timestamp,
    /// …and older than this (the eviction horizon)…
    pub newest_before: Timestamp,
    /// …and whose first article is at most this old.
    pub first_until: Timestamp,
}

/// The decision for one article.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Assignment {
    /// The story the article is in.
    pub story: StoryIdx,
    /// Whether the article started it.
    pub created: bool,
    /// Similarity to the story centroid before joining, raised for nearness in time (1.0 when
    /// created).
    pub similarity: f32,
}

/// A live story, with its first and last publication time for the candidate filter to read
/// without fetching the story.
struct StorySlot {
    span: Option<(Timestamp, Timestamp)>,
    live: Box<LiveStory>,
}

impl StorySlot {
    fn new(live: Box<LiveStory>) -> Self {
        StorySlot {
            span: live.first.zip(live.last),
            live,
        }
    }

    /// Stretches the story's time span to take in `at`.
    fn widen(&mut self, at: Option<Timestamp>) {
        let live = &mut self.live;
        if let Some(t) = at {
            live.first = Some(live.first.map_or(t, |f| f.min(t)));
            live.last = Some(live.last.map_or(t, |l| l.max(t)));
        }
        self.span = live.first.zip(live.last);
    }
}

/// Reused buffers of the candidate look-up.
#[derive(Default)]
struct Scratch {
    /// Query weight reaching each story of the dense part of the slots (by position), and each
    /// straggler; zero outside a look-up.
    score: Vec<f32>,
    straggler_score: FxHashMap<StoryIdx, f32>,
    /// The stories with a non-zero score.
    touched: Vec<StoryIdx>,
}

/// The most similar warm story for an article, and the similarity of the next best.
#[derive(Clone, Copy, Debug)]
struct Choice {
    story: StoryIdx,
    similarity: f32,
    runner_up: f32,
    /// How long after the story's newest article the article came, when both have dates.
    gap: Option<i64>,
}

/// The online story clusterer.
pub struct Clusterer {
    config: ClusterConfig,
    df: DocFreqs,
    scratch: std::cell::RefCell<Scratch>,
    docs: u32,
    /// `docs` decayed as the document frequencies are ([`weighed_docs`]).
    weighed_docs: u32,
    /// The live stories; cold ones leave memory ([`Clusterer::evict_cold`]).
    stories: Slots<StorySlot>,
    index: FxHashMap<Term, Vec<StoryIdx>>,
    latest: Option<Timestamp>,
    /// Every story whose newest article is older than this has left memory, or may have.
    evicted_before: Option<Timestamp>,
    /// The stories brought back since the last eviction (see [`Clusterer::revive`]).
    revived: Option<RevivalSpan>,
    dirty: FxHashSet<StoryIdx>,
    /// `None`: every live story's vectors stay in memory.
    residency: Option<Residency>,
}

impl Clusterer {
    /// A clusterer that has seen nothing.
    pub fn new(config: ClusterConfig) -> Self {
        Clusterer {
            config,
            df: DocFreqs::default(),
            scratch: Default::default(),
            docs: 0,
            weighed_docs: 0,
            stories: Slots::default(),
            index: FxHashMap::default(),
            latest: None,
            evicted_before: None,
            revived: None,
            dirty: FxHashSet::default(),
            residency: None,
        }
    }

    /// Keeps at most `budget` bytes of live stories' centroids and names in memory, those of the
    /// stories joined most recently, and writes the others to `spill` until a join needs them.
    /// Decisions are the same with or without it (see the `spill` module).
    pub fn set_spill(&mut self, spill: Box<dyn Spill>, budget: usize) {
        let residency = Residency {
            spill,
            budget,
            resident_bytes: 0,
            queue: VecDeque::new(),
            next_stamp: 0,
            loaded: Default::default(),
            error: None,
        };
        let mut live: Vec<(Option<Timestamp>, StoryIdx)> = self
            .stories
            .indexes()
            .into_iter()
            .map(|s| (self.live(s).and_then(|l| l.last), s))
            .collect();
        live.sort_unstable();
        self.residency = Some(residency);
        for (_, s) in live {
            self.track_new(s);
        }
        self.keep_budget();
    }

    /// The error that stopped spilling, once: stories then stay in memory.
    pub fn take_spill_error(&mut self) -> Option<std::io::Error> {
        self.residency.as_mut().and_then(|r| r.error.take())
    }

    /// How many bytes of story vectors are in memory and how many are spilled.
    pub fn vector_bytes(&self) -> (usize, usize) {
        let (mut resident, mut spilled) = (0, 0);
        for s in self.stories.indexes() {
            let story = self.live(s).expect("live");
            if story.spilled.is_some() {
                spilled += story.vector_bytes();
            } else {
                resident += story.vector_bytes();
            }
        }
        (resident, spilled)
    }

    /// Calls `f` with a story's centroid and names, read back from the spill when they wait there.
    fn with_vectors<R>(&self, story: &LiveStory, f: impl FnOnce(&SparseSum, &SparseSum) -> R) -> R {
        let Some(s) = story.spilled else {
            return f(&story.centroid, &story.names);
        };
        let r = self
            .residency
            .as_ref()
            .expect("spilled stories have a spill");
        let mut loaded = r.loaded.borrow_mut();
        let (centroid, names, bytes) = &mut *loaded;
        s.read(&*r.spill, bytes, centroid, names);
        f(centroid, names)
    }

    /// Brings a story's vectors back into memory, and marks it the most recently joined.
    fn make_resident(&mut self, story: StoryIdx) {
        let Some(r) = self.residency.as_mut() else {
            return;
        };
        let live = &mut *self.stories.get_mut(story).expect("live").live;
        if let Some(s) = live.spilled.take() {
            let bytes = &mut r.loaded.get_mut().2;
            s.read(&*r.spill, bytes, &mut live.centroid, &mut live.names);
            r.spill.free(s.handle, s.bytes());
            live.centroid.shrink_to_fit();
            live.names.shrink_to_fit();
            r.resident_bytes += s.bytes();
        }
        live.stamp = r.next_stamp;
        r.next_stamp = r.next_stamp.wrapping_add(1);
        r.queue.push_back((story, live.stamp));
    }

    /// Spills the least recently joined stories until the resident vectors fit the budget.
    fn keep_budget(&mut self) {
        let Some(r) = self.residency.as_mut() else {
            return;
        };
        let mut bytes = Vec::new();
        while r.resident_bytes > r.budget && r.queue.len() > 1 {
            let (s, stamp) = r.queue.pop_front().expect("not empty");
            let Some(slot) = self.stories.get_mut(s) else {
                continue;
            };
            let live = &mut *slot.live;
            if live.stamp != stamp || live.spilled.is_some() {
                continue;
            }
            bytes.clear();
            live.centroid.encode(&mut bytes);
            live.names.encode(&mut bytes);
            match r.spill.write(&bytes) {
                Ok(handle) => {
                    live.spilled = Some(Spilled {
                        handle,
                        centroid_len: live.centroid.len() as u32,
                        names_len: live.names.len() as u32,
                    });
                    live.centroid = SparseSum::default();
                    live.names = SparseSum::default();
                    r.resident_bytes -= bytes.len();
                }
                Err(e) => {
                    // What is spilled already stays readable; nothing more is spilled.
                    r.error = Some(e);
                    r.budget = usize::MAX;
                    r.queue.push_front((s, stamp));
                    return;
                }
            }
        }
        // Stale entries pile up when the budget is rarely reached: drop them now and then.
        if r.queue.len() > 2 * self.stories.live() + 1024 {
            let stories = &self.stories;
            r.queue.retain(|&(s, stamp)| {
                stories
                    .get(s)
                    .is_some_and(|slot| slot.live.stamp == stamp && slot.live.spilled.is_none())
            });
        }
    }

    /// Accounts for a story that left memory.
    fn forget_vectors(&mut self, story: &LiveStory) {
        if let Some(r) = self.residency.as_mut() {
            match story.spilled {
                Some(s) => r.spill.free(s.handle, story.vector_bytes()),
                None => r.resident_bytes -= story.vector_bytes(),
            }
        }
    }

    /// Accounts for a story that came into memory (new, revived or restored).
    fn track_new(&mut self, story: StoryIdx) {
        if let Some(r) = self.residency.as_mut() {
            r.resident_bytes += self.stories.get(story).expect("live").live.vector_bytes();
        }
        self.make_resident(story);
    }

    /// Its configuration.
    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }

    /// How many stories were ever created.
    pub fn story_count(&self) -> usize {
        self.stories.next_index() as usize
    }

    /// How many stories are in memory (not evicted as cold).
    pub fn live_story_count(&self) -> usize {
        self.stories.live()
    }

    fn live(&self, story: StoryIdx) -> Option<&LiveStory> {
        self.stories.get(story).map(|s| &*s.live)
    }

    /// How many articles were counted in the document frequencies.
    pub fn doc_count(&self) -> u32 {
        self.docs
    }

    /// The TF-IDF unit vector of an article under the current document frequencies. The IDF is
    /// smoothed (`ln((n + 1) / (df + 1)) + 1`) so that, early in a stream, words shared by every
    /// document so far still count.
    pub fn vectorize(&self, counts: &TermCounts) -> Vec<(Term, f32)> {
        self.weigh(
            counts.terms.iter().map(|&(t, c)| (t, c, self.df.get(t))),
            counts.terms.len(),
        )
    }

    /// The unit TF-IDF vector of raw term weights with their document frequencies.
    fn weigh(&self, raw: impl Iterator<Item = (Term, f32, u32)>, len: usize) -> Vec<(Term, f32)> {
        let prior = self.config.prior_docs.max(0.0);
        let n = self.weighed_docs as f32 + 1.0 + prior;
        let b = if len < self.config.story_idf_terms {
            self.config.story_idf
        } else {
            0.0
        };
        let stories = self.df.get(STORIES_TERM) as f32 + 1.0;
        let mut v: Vec<(Term, f32)> = raw
            .filter(|&(_, c, _)| c > 1e-6)
            .map(|(t, c, df)| {
                let background = if prior > 0.0 {
                    prior * background_df(t)
                } else {
                    0.0
                };
                let df = df as f32 + 1.0 + background;
                let mut idf = ((n + 1.0) / df).ln() + 1.0;
                if b > 0.0 {
                    let sf = self.df.get(t ^ STORY_SALT) as f32 + 1.0;
                    idf = (1.0 - b) * idf + b * (((stories + 1.0) / sf).ln() + 1.0);
                }
                (t, sublinear(c) * idf)
            })
            .collect();
        let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            v.iter_mut().for_each(|(_, w)| *w /= norm);
        }
        v
    }

    /// The article's vector with the lines already seen in earlier articles weighed down to
    /// [`ClusterConfig::repeated_line_weight`] (see the module doc).
    /// `dfs` are the document frequencies of `counts.terms`, in order.
    fn vectorize_fresh(
        &self,
        counts: &TermCounts,
        repeated: &[&Line],
        dfs: &[u32],
    ) -> Vec<(Term, f32)> {
        let cut = 1.0 - self.config.repeated_line_weight;
        let total: f32 = counts.terms.iter().map(|&(_, c)| c).sum();
        let seen: f32 = repeated
            .iter()
            .flat_map(|l| &l.terms)
            .map(|&(_, c)| c)
            .sum();
        // An article made mostly of lines seen before is a partial copy, not background.
        let terms = counts.terms.iter().zip(dfs);
        if repeated.is_empty() || cut <= 0.0 || seen > REPEATED_SHARE_MAX * total {
            return self.weigh(terms.map(|(&(t, c), &df)| (t, c, df)), counts.terms.len());
        }
        let mut minus: FxHashMap<Term, f32> = FxHashMap::default();
        for l in repeated {
            for &(t, w) in &l.terms {
                *minus.entry(t).or_default() += cut * w;
            }
        }
        self.weigh(
            terms.map(|(&(t, c), &df)| (t, c - minus.get(&t).copied().unwrap_or(0.0), df)),
            counts.terms.len(),
        )
    }

    /// The lines of an article seen in earlier articles.
    fn repeated_lines<'a>(&self, counts: &'a TermCounts) -> Vec<&'a Line> {
        counts
            .lines
            .iter()
            .filter(|l| self.df.get(l.hash ^ LINE_SALT) > 0)
            .collect()
    }

    /// Counts an article in the document frequencies; returns those of its terms, in order.
    fn observe(&mut self, counts: &TermCounts) -> Vec<u32> {
        let generation = self.generation_of(self.docs);
        self.docs += 1;
        if u32::from(self.df.generation()) != generation {
            self.start_generation(generation);
        }
        self.weighed_docs = self.weighed_docs.saturating_add(1);
        self.df.set_all(
            &counts.lines,
            |l| l.hash ^ LINE_SALT,
            LINE_FLAG | generation,
        );
        self.df.bump_all(&counts.terms, |&(t, _)| t)
    }

    /// The generation of the article counted `doc`-th from 0 (see the module doc).
    fn generation_of(&self, doc: u32) -> u32 {
        (doc / self.config.line_generation_docs.max(1) + 1).min(u32::from(u16::MAX))
    }

    /// Halves the counts (lazily, see the `docfreqs` module) and the weighed document count,
    /// and forgets lines not seen for two generations and counts halved to 0 (see the module
    /// doc).
    fn start_generation(&mut self, generation: u32) {
        let age = generation.saturating_sub(u32::from(self.df.generation()));
        self.weighed_docs = self.weighed_docs.checked_shr(age).unwrap_or(0);
        self.df.set_generation(generation as u16);
        self.df.prune(|n, touched| {
            if n & LINE_FLAG != 0 {
                generation.saturating_sub(u32::from(touched)) >= 2
            } else {
                n == 0
            }
        });
    }

    fn is_cold(&self, story: &LiveStory, at: Option<Timestamp>) -> bool {
        self.is_cold_span(story.first.zip(story.last), at)
    }

    fn is_cold_span(&self, span: Option<(Timestamp, Timestamp)>, at: Option<Timestamp>) -> bool {
        match (self.config.window_secs, at, span) {
            (Some(w), Some(t), Some((first, last))) => t - last > w || first - t > w,
            _ => false,
        }
    }

    /// The similarity of an article to a story: the cosine to its centroid for a short article,
    /// the mean cosine to its members (the centroid is their sum) for a long one (see the module
    /// doc).
    fn similarity(story: &LiveStory, centroid: &SparseSum, v: &[(Term, f32)], long: bool) -> f32 {
        if story.norm2 <= 0.0 {
            return 0.0;
        }
        let dot = centroid.dot(v);
        if long {
            dot / story.members.max(1) as f32
        } else {
            dot / story.norm2.sqrt()
        }
    }

    /// The similarity raised for nearness in time (see the module doc).
    fn recency(&self, story: &LiveStory, at: Option<Timestamp>, sim: f32, long: bool) -> f32 {
        let boost = if long {
            self.config.long_recency_boost
        } else {
            self.config.recency_boost
        };
        match (self.config.window_secs, at, story.last) {
            (Some(w), Some(t), Some(last)) if w > 0 => {
                let gap = (t - last).abs() as f32 / w as f32;
                sim * (1.0 + boost * (1.0 - gap).max(0.0))
            }
            _ => sim,
        }
    }

    /// The threshold an article with these term counts must reach (see the module doc).
    pub fn threshold_for(&self, counts: &TermCounts) -> f32 {
        let c = &self.config;
        let terms = counts.terms.len().max(1);
        if terms >= c.short_terms {
            c.threshold
        } else {
            c.threshold * (terms as f32 / c.short_terms as f32).powf(c.short_exponent)
        }
    }

    /// Whether an article's vector is long: compared with a story's members rather than their sum,
    /// and held to the quiet-story rule (see the module doc).
    fn is_long(&self, v: &[(Term, f32)]) -> bool {
        v.len() >= self.config.short_terms
    }

    /// The best story for a vector, with its similarity (raised for nearness in time), among warm
    /// candidates.
    pub fn best_story(&self, v: &[(Term, f32)], at: Option<Timestamp>) -> Option<(StoryIdx, f32)> {
        self.best_story_named(v, &[], at)
            .map(|c| (c.story, c.similarity))
    }

    /// The unit vector of an article's names and numbers: its vector's entries for them, less
    /// those too common to tell one event from another ([`ClusterConfig::name_max_share`]).
    fn name_vector(&self, v: &[(Term, f32)], counts: &TermCounts) -> Vec<(Term, f32)> {
        let prior = self.config.prior_docs.max(0.0);
        let n = self.weighed_docs as f32 + 1.0 + prior;
        let max_share = self.config.name_max_share;
        let mut names: Vec<(Term, f32)> = v
            .iter()
            .copied()
            .filter(|(t, _)| counts.names.binary_search(t).is_ok())
            .filter(|&(t, _)| {
                max_share >= 1.0 || {
                    let background = if prior > 0.0 {
                        prior * background_df(t)
                    } else {
                        0.0
                    };
                    (self.df.get(t) as f32 + background) / n <= max_share
                }
            })
            .collect();
        let norm = names.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            names.iter_mut().for_each(|(_, w)| *w /= norm);
        }
        names
    }

    /// Whether an article's names and numbers (`names`, a unit vector) are compatible with a
    /// story's (`story_names`, see the module doc).
    fn names_agree(
        &self,
        story: &LiveStory,
        story_names: &SparseSum,
        names: &[(Term, f32)],
    ) -> bool {
        let c = &self.config;
        if c.name_floor <= 0.0
            || names.len() < c.name_min.max(1)
            || story.names_len() < c.name_min.max(1)
            || story.names_norm2 <= 0.0
        {
            return true;
        }
        let dot = story_names.dot(names);
        dot / story.names_norm2.sqrt() >= c.name_floor
    }

    fn best_story_named(
        &self,
        v: &[(Term, f32)],
        names: &[(Term, f32)],
        at: Option<Timestamp>,
    ) -> Option<Choice> {
        let mut query: Vec<(Term, f32)> = v.to_vec();
        let by_weight = |a: &(Term, f32), b: &(Term, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if query.len() > self.config.query_terms {
            query.select_nth_unstable_by(self.config.query_terms, by_weight);
            query.truncate(self.config.query_terms);
        }
        query.sort_unstable_by(by_weight);
        // Candidates, scored by the query weight of the index terms they share with the article,
        // summed in a dense scratch array indexed by story (no hashing on this hot path).
        let mut scratch = self.scratch.borrow_mut();
        let Scratch {
            score,
            straggler_score,
            touched,
        } = &mut *scratch;
        if score.len() < self.stories.dense_len() {
            score.resize(self.stories.dense_len(), 0.0);
        }
        // A late article (older than the newest by more than the window) belongs with old stories,
        // which sit at the front of the lists: it reads them whole.
        let late = matches!(
            (at, self.latest, self.config.window_secs),
            (Some(t), Some(l), Some(w)) if t < l - w
        );
        let scanned = if late { usize::MAX } else { POSTINGS_SCANNED };
        for &(t, w) in &query {
            // Postings are in story creation order: the newest stories, the ones an article can
            // still join, are at the end. A term shared by thousands of stories costs no more
            // than POSTINGS_SCANNED of them (a late article excepted).
            let list = self.index.get(&t).map_or(&[][..], Vec::as_slice);
            for &s in list.iter().rev().take(scanned) {
                let x = match self.stories.position(s) {
                    Some(p) => &mut score[p],
                    None => straggler_score.entry(s).or_default(),
                };
                if *x == 0.0 {
                    touched.push(s);
                }
                *x += w;
            }
        }
        let mut candidates: Vec<(StoryIdx, f32)> = Vec::with_capacity(touched.len());
        for s in touched.drain(..) {
            let x = match self.stories.position(s) {
                Some(p) => std::mem::take(&mut score[p]),
                None => straggler_score.remove(&s).unwrap_or(0.0),
            };
            let warm = self
                .stories
                .get(s)
                .is_some_and(|slot| !self.is_cold_span(slot.span, at));
            if warm {
                candidates.push((s, x));
            }
        }
        drop(scratch);
        let max = self.config.max_candidates;
        if max > 0 && candidates.len() > max {
            candidates.select_nth_unstable_by(max, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            candidates.truncate(max);
        }
        let mut best: Option<Choice> = None;
        let long = self.is_long(v);
        for (s, _) in candidates {
            let story = self.live(s).expect("filtered live");
            let scored = self.with_vectors(story, |centroid, story_names| {
                self.names_agree(story, story_names, names).then(|| {
                    self.recency(story, at, Self::similarity(story, centroid, v, long), long)
                })
            });
            let Some(sim) = scored else {
                continue;
            };
            let gap = at.zip(story.last).map(|(t, last)| t - last);
            match &mut best {
                None => {
                    best = Some(Choice {
                        story: s,
                        similarity: sim,
                        runner_up: 0.0,
                        gap,
                    })
                }
                Some(b) if sim > b.similarity || sim == b.similarity && s < b.story => {
                    *b = Choice {
                        story: s,
                        similarity: sim,
                        runner_up: b.similarity,
                        gap,
                    }
                }
                Some(b) => b.runner_up = b.runner_up.max(sim),
            }
        }
        best
    }

    /// Whether the best candidate is similar enough for an article (`long`: see
    /// [`Clusterer::is_long`]) to join: above the threshold, inside the
    /// margin zone clearly ahead of the runner-up, and inside the quiet zone, if the story has
    /// gone quiet, without a rival (see the module doc).
    fn clears(&self, c: &Choice, threshold: f32, long: bool) -> bool {
        let config = &self.config;
        let quiet = matches!((c.gap, config.quiet_secs), (Some(gap), Some(q)) if gap > q);
        let contested = long && quiet && c.runner_up > 0.0;
        c.similarity >= threshold
            && (c.similarity >= threshold * config.margin_zone
                || c.similarity - c.runner_up >= config.margin)
            && (c.similarity >= threshold * config.quiet_zone || !contested)
    }

    /// Assigns an article to a story (creating one when none is similar enough).
    pub fn add(&mut self, counts: &TermCounts, at: Option<Timestamp>) -> Assignment {
        // Which lines recur is judged before this article's own lines are counted.
        let repeated = self.repeated_lines(counts);
        let dfs = self.observe(counts);
        let v = self.vectorize_fresh(counts, &repeated, &dfs);
        let names = self.name_vector(&v, counts);
        let threshold = self.threshold_for(counts);
        // Headlines are too short (and often title-cased) for a name channel.
        let checked = if counts.terms.len() >= self.config.name_terms {
            &names[..]
        } else {
            &[]
        };
        let best = self.best_story_named(&v, checked, at);
        let (story, created, similarity) = match best {
            Some(c) if self.clears(&c, threshold, self.is_long(&v)) => {
                (c.story, false, c.similarity)
            }
            _ => (self.new_story(), true, 1.0),
        };
        self.join(story, &v, &names, at);
        Assignment {
            story,
            created,
            similarity,
        }
    }

    /// Adds an article to a known story (a copy joins its original's story) without a decision.
    /// Returns false when the story has left memory: bring it back ([`Clusterer::revive_story`])
    /// and count the article then ([`Clusterer::count_member`]).
    pub fn add_to(&mut self, story: StoryIdx, counts: &TermCounts, at: Option<Timestamp>) -> bool {
        self.observe(counts);
        self.count_member(story, at)
    }

    /// Counts an article already observed in a story's size and time span, without a decision.
    /// Returns false, counting nothing, when the story is not in memory.
    pub fn count_member(&mut self, story: StoryIdx, at: Option<Timestamp>) -> bool {
        if let Some(t) = at {
            self.latest = Some(self.latest.map_or(t, |l| l.max(t)));
        }
        let Some(slot) = self.stories.get_mut(story) else {
            return false;
        };
        slot.live.size += 1;
        slot.widen(at);
        self.dirty.insert(story);
        true
    }

    fn new_story(&mut self) -> StoryIdx {
        self.stories.push(StorySlot::new(Box::new(LiveStory {
            centroid: SparseSum::default(),
            members: 0,
            norm2: 0.0,
            names: SparseSum::default(),
            names_norm2: 0.0,
            size: 0,
            first: None,
            last: None,
            top: Vec::new(),
            top_floor: 0.0,
            spilled: None,
            stamp: 0,
        })))
    }

    fn join(
        &mut self,
        story: StoryIdx,
        v: &[(Term, f32)],
        names: &[(Term, f32)],
        at: Option<Timestamp>,
    ) {
        self.make_resident(story);
        let slot = self
            .stories
            .get_mut(story)
            .expect("joined stories are live");
        let live = &mut *slot.live;
        let bytes_before = live.vector_bytes();
        if live.members == 0 {
            self.df.bump(STORIES_TERM);
        }
        // Centroid weights only grow, so the old strongest terms all weigh at least the old
        // floor now: an article term below it cannot enter the strongest.
        let floor = live.top_floor;
        let mut new_terms: Vec<Term> = Vec::new();
        let mut rising: Vec<(Term, f32)> = Vec::new();
        let norm2 = &mut live.norm2;
        live.centroid.add(v, |t, c, sum| {
            if c == 0.0 {
                new_terms.push(t ^ STORY_SALT);
            }
            let w = sum - c;
            *norm2 += 2.0 * c * w + w * w;
            if sum >= floor {
                rising.push((t, sum));
            }
        });
        self.df.bump_all(&new_terms, |&t| t);
        let names_norm2 = &mut live.names_norm2;
        live.names.add(names, |_, c, sum| {
            let w = sum - c;
            *names_norm2 += 2.0 * c * w + w * w;
        });
        live.members += 1;
        live.size += 1;
        if let Some(r) = self.residency.as_mut() {
            r.resident_bytes += live.vector_bytes() - bytes_before;
        }
        slot.widen(at);
        let live = &*slot.live;
        // Only the article's terms grew, so the new strongest terms are among the old ones and
        // the article's: no need to look at the whole centroid.
        let centroid = &live.centroid;
        let top: Vec<(Term, f32)> = live
            .top
            .iter()
            .map(|&t| (t, centroid.get(t).expect("top terms are in the centroid")))
            .chain(rising)
            .collect();
        self.set_top(story, top);
        self.dirty.insert(story);
        if let Some(t) = at {
            self.latest = Some(self.latest.map_or(t, |l| l.max(t)));
        }
        self.keep_budget();
    }

    /// Drops cold stories from memory and their index entries. Returns how many left.
    pub fn evict_cold(&mut self) -> usize {
        let Some(latest) = self.latest else { return 0 };
        if let Some(w) = self.config.window_secs.filter(|&w| w > 0) {
            let horizon = latest - w;
            self.evicted_before = Some(self.evicted_before.map_or(horizon, |h| h.max(horizon)));
        }
        self.revived = None;
        let mut evicted = 0;
        for s in self.stories.indexes() {
            let cold = self
                .live(s)
                .is_some_and(|st| self.is_cold(st, Some(latest)));
            if cold && !self.dirty.contains(&s) {
                if let Some(slot) = self.stories.remove(s) {
                    self.forget_vectors(&slot.live);
                }
                evicted += 1;
            }
        }
        if evicted > 0 {
            let stories = &self.stories;
            self.index.retain(|_, list| {
                list.retain(|&s| stories.get(s).is_some());
                !list.is_empty()
            });
            self.stories.compact();
        }
        evicted
    }

    /// For a late article (published at `at`, before the eviction horizon plus the window), the
    /// stories it could join that may have left memory and have not been brought back since:
    /// those whose newest article is in `newest_from..newest_before` and whose first is at most
    /// `first_until`. The span reaches one window further ahead than the article needs, so that
    /// the late articles after it, in time order, find their stories already back. `None` when
    /// every story the article could join is live.
    pub fn revival_span(&self, at: Option<Timestamp>) -> Option<RevivalSpan> {
        let (w, t, horizon) = (self.config.window_secs?, at?, self.evicted_before?);
        if t - w >= horizon {
            return None;
        }
        let covered = self.revived.is_some_and(|r| {
            r.newest_from <= t - w && r.newest_before >= horizon && r.first_until >= t + w
        });
        (!covered).then_some(RevivalSpan {
            newest_from: t - w,
            newest_before: horizon,
            first_until: t + 2 * w,
        })
    }

    /// Whether a story is in memory.
    pub fn is_live(&self, story: StoryIdx) -> bool {
        self.stories.get(story).is_some()
    }

    /// Brings back the stories of `span` (from [`Clusterer::revival_span`]) that left memory, as
    /// they were saved; live ones are left as they are. Returns how many came back. They leave
    /// again at the next [`Clusterer::evict_cold`] unless an article joined them.
    pub fn revive(
        &mut self,
        span: RevivalSpan,
        stories: impl IntoIterator<Item = (StoryIdx, StoryState)>,
    ) -> usize {
        let mut revived = 0;
        for (story, state) in stories {
            revived += usize::from(self.revive_story(story, state));
        }
        self.revived = Some(span);
        revived
    }

    /// Brings back one story that left memory, as it was saved. Returns false, changing nothing,
    /// when it is live or was never created.
    pub fn revive_story(&mut self, story: StoryIdx, state: StoryState) -> bool {
        if story >= self.stories.next_index() || self.stories.get(story).is_some() {
            return false;
        }
        self.stories
            .put_back(story, StorySlot::new(Self::live_from_state(state)));
        self.track_new(story);
        self.reindex(story);
        self.keep_budget();
        true
    }

    /// The states of the stories changed since the last call, for persisting.
    pub fn take_dirty(&mut self) -> Vec<(StoryIdx, StoryState)> {
        let mut dirty: Vec<StoryIdx> = self.dirty.drain().collect();
        dirty.sort_unstable();
        dirty
            .into_iter()
            .filter_map(|s| self.live(s).map(|live| (s, self.state_of(live))))
            .collect()
    }

    /// Forgets which stories and document frequencies changed, when nothing persists them
    /// (cold stories can only leave memory once they are no longer waiting to be saved).
    pub fn discard_changes(&mut self) {
        self.dirty.clear();
        self.df.discard_changed();
    }

    /// The document frequencies changed since the last call, and the document count.
    /// A count is saved with the generation it was last counted in (`COUNT_FLAG`; see
    /// [`Clusterer::restore`]), so that a restored clusterer decays and forgets it as this one
    /// would.
    pub fn take_dirty_df(&mut self) -> (Vec<(Term, u32)>, u32) {
        let encode = |n: u32, touched: u16| {
            if n & LINE_FLAG == 0 {
                COUNT_FLAG | (n.min(0xFFFF) << 14) | u32::from(touched & COUNT_GENERATION_BITS)
            } else {
                n
            }
        };
        (self.df.take_changed_encoded(encode), self.docs)
    }

    fn state_of(&self, live: &LiveStory) -> StoryState {
        let mut centroid: Vec<(Term, f32)> = self.with_vectors(live, |centroid, names| {
            centroid
                .iter()
                .chain(names.iter().map(|(t, w)| (name_key(t), w)))
                .collect()
        });
        centroid.push((MEMBERS_TERM, live.members as f32));
        centroid.push((NORM2_TERM, live.norm2));
        centroid.push((NAMES_NORM2_TERM, live.names_norm2));
        centroid.sort_unstable_by_key(|&(t, _)| t);
        StoryState {
            centroid,
            size: live.size,
            first: live.first,
            last: live.last,
        }
    }

    /// Restores state saved by [`Clusterer::take_dirty`] and [`Clusterer::take_dirty_df`].
    /// `stories` holds every story index up to the highest; `None` for stories left cold.
    pub fn restore(
        &mut self,
        df: impl IntoIterator<Item = (Term, u32)>,
        docs: u32,
        stories: Vec<Option<StoryState>>,
    ) {
        // The generation of the last article counted; a line's own is in its value.
        let last = if docs == 0 {
            0
        } else {
            self.generation_of(docs - 1) as u16
        };
        // A line's value is its generation; a count carries its generation modulo 2^14 (stores
        // written before counts decayed: only counts below 16,384, the others taken as counted
        // in the last one).
        self.df = DocFreqs::from_counts(df, last, |v| {
            if v & COUNT_FLAG == COUNT_FLAG {
                let since = last.wrapping_sub(v as u16) & COUNT_GENERATION_BITS;
                ((v >> 14) & 0xFFFF, last.wrapping_sub(since))
            } else if v & LINE_FLAG != 0 {
                (v, (v & !LINE_FLAG) as u16)
            } else if v & FEW_FLAG != 0 {
                (((v & !FEW_FLAG) >> 16).max(1), v as u16)
            } else {
                (v, last)
            }
        });
        self.docs = docs;
        self.weighed_docs = weighed_docs(docs, self.config.line_generation_docs);
        self.index.clear();
        for s in self.stories.indexes() {
            if let Some(slot) = self.stories.remove(s) {
                self.forget_vectors(&slot.live);
            }
        }
        if let Some(r) = self.residency.as_mut() {
            r.queue.clear();
        }
        self.stories = Slots::default();
        for state in stories {
            let live = state.map(Self::live_from_state);
            if let Some(l) = &live {
                if let Some(t) = l.last {
                    self.latest = Some(self.latest.map_or(t, |x| x.max(t)));
                }
            }
            match live {
                Some(live) => {
                    let i = self.stories.push(StorySlot::new(live));
                    self.track_new(i);
                    self.reindex(i);
                }
                None => {
                    self.stories.push_gone();
                }
            }
        }
        self.stories.compact();
        self.keep_budget();
    }

    /// A saved story as the clusterer keeps it live (not yet indexed).
    fn live_from_state(st: StoryState) -> Box<LiveStory> {
        let mut centroid: FxHashMap<Term, f32> = st.centroid.into_iter().collect();
        // Stories saved before the member count was kept: every member counted.
        let members = centroid
            .remove(&MEMBERS_TERM)
            .map_or(st.size, |m| m.round() as u32);
        let saved_norm2 = centroid.remove(&NORM2_TERM);
        let saved_names_norm2 = centroid.remove(&NAMES_NORM2_TERM);
        // The name channel: entries under the name key of another entry's term.
        let keys: FxHashMap<Term, Term> = centroid.keys().map(|&t| (name_key(t), t)).collect();
        let mut names: FxHashMap<Term, f32> = FxHashMap::default();
        for (k, t) in keys {
            if let Some(w) = centroid.get(&k).copied() {
                centroid.remove(&k);
                names.insert(t, w);
            }
        }
        // Stories saved before the norms were kept: summed afresh.
        let names_norm2 = saved_names_norm2.unwrap_or_else(|| names.values().map(|w| w * w).sum());
        let norm2 = saved_norm2.unwrap_or_else(|| centroid.values().map(|w| w * w).sum());
        Box::new(LiveStory {
            members,
            centroid: SparseSum::from_entries(centroid.into_iter().collect()),
            norm2,
            names: SparseSum::from_entries(names.into_iter().collect()),
            names_norm2,
            size: st.size,
            first: st.first,
            last: st.last,
            top: Vec::new(),
            top_floor: 0.0,
            spilled: None,
            stamp: 0,
        })
    }

    fn reindex(&mut self, story: StoryIdx) {
        let live = self.live(story).expect("live");
        let entries = self.with_vectors(live, |centroid, _| centroid.iter().collect());
        self.set_top(story, entries);
    }

    /// Makes the strongest [`ClusterConfig::index_terms`] of `candidates` (terms with their
    /// centroid weights) a story's indexed terms. The index holds exactly each story's current
    /// strongest terms, each posting list in story order, so that a restored clusterer (which
    /// indexes them afresh) finds the same candidates as the one it continues.
    fn set_top(&mut self, story: StoryIdx, mut candidates: Vec<(Term, f32)>) {
        let index_terms = self.config.index_terms;
        candidates.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        candidates.dedup_by_key(|(t, _)| *t);
        candidates.truncate(index_terms);
        let live = &mut *self.stories.get_mut(story).expect("live").live;
        live.top_floor = if candidates.len() == index_terms {
            candidates[index_terms - 1].1
        } else {
            0.0
        };
        // Not `candidates.into_iter().map(..).collect()`: that reuses the candidates' allocation
        // (every centroid term), which the story would then keep: 3 KiB of its 8.
        let old_top =
            std::mem::replace(&mut live.top, candidates.iter().map(|&(t, _)| t).collect());
        for &t in old_top.iter().filter(|t| !live.top.contains(t)) {
            if let Some(list) = self.index.get_mut(&t) {
                if let Some(p) = list.iter().rposition(|&s| s == story) {
                    list.remove(p);
                }
                if list.is_empty() {
                    self.index.remove(&t);
                }
            }
        }
        for &t in live.top.iter().filter(|t| !old_top.contains(t)) {
            let list = self.index.entry(t).or_default();
            let p = list.partition_point(|&s| s < story);
            list.insert(p, story);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    fn add(c: &mut Clusterer, title: &str, text: &str, at: i64) -> Assignment {
        let counts = term_counts(Some(title), text, c.config());
        c.add(&counts, Some(at))
    }

    #[test]
    fn background_document_frequency_follows_english_word_frequency() {
        let df = |w: &str| background_df(term(w));
        // "said" is in nearly every news article, "earthquake" in few, a name in none.
        assert!(df("said") > 0.25, "said: {}", df("said"));
        assert!(df("earthquake") > 0.0 && df("earthquake") < 0.05);
        assert!(df("said") > 10.0 * df("earthquake"));
        assert_eq!(df("kempthorne"), 0.0);
    }

    #[test]
    fn the_background_lets_a_young_stream_tell_common_words_from_names() {
        // The first article of a stream: every word has been seen once, so its own counts cannot
        // tell an everyday word from the word the article is about; the background can.
        let weigh = |prior_docs: f32| {
            let mut c = Clusterer::new(ClusterConfig {
                prior_docs,
                ..ClusterConfig::default()
            });
            let text = "The earthquake struck the coast on Tuesday morning, officials reported.";
            let counts = term_counts(None, text, c.config());
            c.add(&counts, None);
            let v = c.weigh(
                counts.terms.iter().map(|&(t, n)| (t, n, c.df.get(t))),
                counts.terms.len(),
            );
            let w = |word: &str| {
                v.iter()
                    .find(|(t, _)| *t == term(word))
                    .map_or(0.0, |x| x.1)
            };
            w("earthquake") / w("coast")
        };
        // Without a background every word of the first article has the same IDF.
        assert!((weigh(0.0) - 1.0).abs() < 1e-3);
        // With it, the rarer word weighs more.
        assert!(weigh(2_000.0) > 1.05, "{}", weigh(2_000.0));
    }

    #[test]
    fn names_held_by_many_documents_leave_the_name_channel() {
        let c = Clusterer::new(ClusterConfig::default());
        let counts = term_counts(
            None,
            "Officials said the President met Kempthorne on Thursday about the Endangered Species Act.",
            c.config(),
        );
        let v = c.vectorize(&counts);
        let names = c.name_vector(&v, &counts);
        let has = |w: &str| names.iter().any(|(t, _)| *t == term(w));
        assert!(has("kempthorne") && has("endangered"));
        // "president" is in one article of ten: a capital letter does not make it a name.
        assert!(counts.names.contains(&term("president")) && !has("president"));
        let all = Clusterer::new(ClusterConfig {
            name_max_share: 1.0,
            ..ClusterConfig::default()
        });
        assert!(all
            .name_vector(&v, &counts)
            .iter()
            .any(|(t, _)| *t == term("president")));
    }

    #[test]
    fn same_event_joins_and_other_event_does_not() {
        let mut c = Clusterer::new(ClusterConfig::default());
        let a = add(&mut c, "Earthquake hits Chile", "A magnitude 8.2 earthquake struck northern Chile near Iquique on Tuesday, officials said.", 0);
        let b = add(&mut c, "Chile quake: tsunami warning", "The 8.2 earthquake near Iquique in Chile triggered a tsunami warning across the Pacific.", DAY / 2);
        let d = add(
            &mut c,
            "Apple unveils new iPhone",
            "Apple showed a new iPhone with a larger screen at its Cupertino event.",
            DAY,
        );
        assert!(a.created && !b.created && d.created);
        assert_eq!(a.story, b.story);
        assert_ne!(a.story, d.story);
    }

    #[test]
    fn a_similar_event_months_later_is_a_new_story() {
        let mut c = Clusterer::new(ClusterConfig::default());
        let text = "A magnitude 8.2 earthquake struck northern Chile near Iquique, officials said.";
        let a = add(&mut c, "Earthquake hits Chile", text, 0);
        let b = add(&mut c, "Earthquake hits Chile", text, 150 * DAY);
        assert_ne!(a.story, b.story);
        assert_eq!(c.evict_cold(), 0, "the dirty story is kept until persisted");
        c.take_dirty();
        assert_eq!(c.evict_cold(), 1);
        assert_eq!(c.live_story_count(), 1);
    }

    #[test]
    fn a_late_article_finds_its_story_brought_back() {
        let mut c = Clusterer::new(ClusterConfig::default());
        let text = "A magnitude 8.2 earthquake struck northern Chile near Iquique, officials said.";
        let quake = add(&mut c, "Earthquake hits Chile", text, 0);
        add(
            &mut c,
            "Bank of England holds rates",
            "The bank held rates at 5.25 percent.",
            20 * DAY,
        );
        let saved = c.take_dirty();
        assert_eq!(c.evict_cold(), 1, "the quake story went cold");
        assert_eq!(c.revival_span(Some(25 * DAY)), None, "not late");
        let span = c
            .revival_span(Some(DAY))
            .expect("late: its stories may have left");
        assert_eq!(span.newest_from, DAY - 3 * DAY);
        let state = saved
            .into_iter()
            .find(|(s, _)| *s == quake.story)
            .unwrap()
            .1;
        assert_eq!(c.revive(span, [(quake.story, state.clone())]), 1);
        assert_eq!(c.revive(span, [(quake.story, state)]), 0, "already live");
        assert_eq!(
            c.revival_span(Some(DAY + 3600)),
            None,
            "covered by the first revival"
        );
        let late = add(&mut c, "Chile earthquake near Iquique", text, DAY);
        assert_eq!((late.story, late.created), (quake.story, false));
    }

    #[test]
    fn a_restore_rebuilds_the_same_index_and_norms() {
        let mut a = Clusterer::new(ClusterConfig::default());
        // One story whose strongest terms keep changing: a shared core and words of each article.
        for i in 0..12 {
            // The core words rotated, so that the articles are not copies of each other.
            let core: Vec<String> = (0..60)
                .map(|k| format!("core{}", (k + 7 * i) % 60))
                .collect();
            let text = format!("{} {}", core.join(" "), long_text(&format!("v{i}x"), 3));
            a.add(&term_counts(None, &text, a.config()), None);
        }
        let states = a.take_dirty();
        let (df, n) = a.take_dirty_df();
        let mut b = Clusterer::new(ClusterConfig::default());
        b.restore(df, n, states.into_iter().map(|(_, s)| Some(s)).collect());
        let n = a.story_count() as StoryIdx;
        assert_eq!(b.story_count(), n as usize);
        assert!((0..n).any(|s| a.live(s).unwrap().members > 3));
        assert_eq!(a.index, b.index);
        for s in 0..n {
            let (sa, sb) = (a.live(s).unwrap(), b.live(s).unwrap());
            assert_eq!((sa.norm2, sa.names_norm2), (sb.norm2, sb.names_norm2));
            assert_eq!(sa.top, sb.top);
            // Only the indexed terms are kept, not the room of every term they were chosen from.
            let index_terms = a.config.index_terms;
            assert!(sa.top.capacity() <= index_terms && sb.top.capacity() <= index_terms);
        }
    }

    /// Saved states compared as text: `StoryState` holds floats, and equal bits print alike.
    fn states(c: &mut Clusterer) -> String {
        format!("{:?}", c.take_dirty())
    }

    #[test]
    fn a_clusterer_that_spills_decides_and_saves_as_one_that_keeps_everything() {
        let budget = 4 << 10;
        let mut kept = Clusterer::new(ClusterConfig::default());
        let mut spilling = Clusterer::new(ClusterConfig::default());
        spilling.set_spill(
            Box::new(crate::memory::spill::MemorySpill::default()),
            budget,
        );
        let mut joined = 0;
        let mut most_spilled = 0;
        for round in 0..5 {
            for (event, version) in (0..24).flat_map(|e| [(e, 0), (e, 1), (e, 2)]) {
                // Each event's articles share its words; each article adds words of its own.
                let core: Vec<String> = (0..40)
                    .map(|k| format!("r{round}e{event}w{}", (k + 5 * version) % 48))
                    .collect();
                let own = long_text(&format!("r{round}e{event}v{version}x"), 20);
                let text = format!("{} {own}", core.join(" "));
                let title = format!("E{event}name Met E{event}place");
                let at = (event * 3 + version) * 1_200 + i64::from(round) * 4 * DAY;
                let a = add(&mut kept, &title, &text, at);
                let b = add(&mut spilling, &title, &text, at);
                assert_eq!(a, b, "round {round}, event {event}");
                joined += usize::from(!a.created);
                most_spilled = most_spilled.max(spilling.vector_bytes().1);
            }
            assert_eq!(states(&mut kept), states(&mut spilling));
            assert_eq!(kept.evict_cold(), spilling.evict_cold());
            let (resident, spilled) = spilling.vector_bytes();
            let (all, none) = kept.vector_bytes();
            assert_eq!((resident + spilled, none), (all, 0));
        }
        assert!(joined > 24, "articles joined their event's story: {joined}");
        assert!(
            most_spilled > budget,
            "stories waited in the spill: {most_spilled}"
        );
        let (resident, _) = spilling.vector_bytes();
        assert!(resident <= budget + 2_000 * SparseSum::ENTRY_BYTES);
    }

    #[test]
    fn a_spill_that_fills_up_keeps_the_rest_in_memory_and_says_so_once() {
        let mut kept = Clusterer::new(ClusterConfig::default());
        let mut spilling = Clusterer::new(ClusterConfig::default());
        // Room for a few stories' vectors, not for all of them.
        spilling.set_spill(crate::memory::spill::FillsUp::boxed(1_500), 0);
        for event in 0..12 {
            let text = format!(
                "{} {}",
                long_text(&format!("e{event}w"), 40),
                long_text("x", 5)
            );
            let a = add(&mut kept, "Title", &text, event * 600);
            let b = add(&mut spilling, "Title", &text, event * 600);
            assert_eq!(a, b, "event {event}");
        }
        let (resident, spilled) = spilling.vector_bytes();
        assert!(spilled > 0 && resident > 0, "{resident} {spilled}");
        assert_eq!(resident + spilled, kept.vector_bytes().0);
        assert!(spilling.take_spill_error().is_some());
        assert!(spilling.take_spill_error().is_none(), "reported once");
        assert_eq!(states(&mut kept), states(&mut spilling));
    }

    #[test]
    fn restored_state_continues_identically() {
        let docs = [
            (
                "Chile quake",
                "Earthquake near Iquique in Chile, magnitude 8.2, tsunami warning issued.",
            ),
            (
                "Tsunami warning after Chile quake",
                "The Iquique earthquake in Chile led to a tsunami warning.",
            ),
            ("Apple iPhone", "Apple unveiled a new iPhone in Cupertino."),
        ];
        let mut a = Clusterer::new(ClusterConfig::default());
        for (t, x) in &docs[..2] {
            add(&mut a, t, x, 0);
        }
        let states = a.take_dirty();
        let (df, n) = a.take_dirty_df();
        let mut b = Clusterer::new(ClusterConfig::default());
        b.restore(df, n, states.into_iter().map(|(_, s)| Some(s)).collect());
        let (t, x) = docs[1];
        assert_eq!(add(&mut a, t, x, 10).story, add(&mut b, t, x, 10).story);
        let (t, x) = docs[2];
        assert_eq!(add(&mut a, t, x, 10), add(&mut b, t, x, 10));
    }

    fn weight(counts: &TermCounts, word: &str) -> f32 {
        let t = term(word);
        counts
            .terms
            .iter()
            .find(|(x, _)| *x == t)
            .map_or(0.0, |&(_, w)| w)
    }

    fn choice(similarity: f32, runner_up: f32, gap: Option<i64>) -> Choice {
        Choice {
            story: 0,
            similarity,
            runner_up,
            gap,
        }
    }

    #[test]
    fn near_the_threshold_the_best_story_must_lead() {
        let c = Clusterer::new(ClusterConfig::default());
        let (t, zone, margin) = (0.25, c.config().margin_zone, c.config().margin);
        for long in [false, true] {
            assert!(!c.clears(&choice(0.9 * t, 0.0, None), t, long), "below");
            assert!(c.clears(&choice(1.1 * t, 0.0, None), t, long), "alone");
            assert!(
                !c.clears(&choice(1.1 * t, 1.1 * t - margin / 2.0, None), t, long),
                "tied in the zone"
            );
            assert!(
                c.clears(&choice(1.05 * zone * t, zone * t, None), t, long),
                "above the zone"
            );
        }
    }

    #[test]
    fn a_quiet_story_is_joined_weakly_only_without_a_rival() {
        let c = Clusterer::new(ClusterConfig::default());
        let t = 0.25;
        let quiet = c.config().quiet_secs.unwrap();
        let weak = c.config().quiet_zone * t * 0.95;
        // Clear of the margin zone's rule: the runner-up trails by more than the margin.
        let rival = weak - c.config().margin * 2.0;
        let long = true;
        assert!(
            !c.clears(&choice(weak, rival, Some(quiet + 1)), t, long),
            "quiet, contested"
        );
        assert!(
            c.clears(&choice(weak, 0.0, Some(quiet + 1)), t, long),
            "quiet, alone"
        );
        assert!(
            c.clears(&choice(weak, rival, Some(quiet)), t, long),
            "not yet quiet"
        );
        assert!(c.clears(&choice(weak, rival, None), t, long), "no dates");
        assert!(
            c.clears(&choice(weak, rival, Some(quiet + 1)), t, false),
            "a short article"
        );
        let strong = c.config().quiet_zone * t * 1.05;
        assert!(
            c.clears(&choice(strong, rival, Some(quiet + 1)), t, long),
            "above the zone"
        );
    }

    #[test]
    fn a_name_opening_a_sentence_is_a_name() {
        let c = ClusterConfig::default();
        let counts = term_counts(None, "Tara Reid checked into rehab. Officials said so.", &c);
        assert_eq!(weight(&counts, "tara"), c.name_boost);
        assert_eq!(weight(&counts, "reid"), c.name_boost);
        assert_eq!(
            weight(&counts, "officials"),
            1.0,
            "an opener before a lower-case word"
        );
        assert_eq!(weight(&counts, "checked"), 1.0);
    }

    #[test]
    fn numbers_weigh_more_than_words() {
        let c = ClusterConfig::default();
        let counts = term_counts(None, "a magnitude 8 quake", &c);
        assert_eq!(
            weight(&counts, "8"),
            0.0,
            "one-character words are not evidence"
        );
        let counts = term_counts(None, "flight 370 vanished", &c);
        assert_eq!(weight(&counts, "370"), c.number_boost);
        assert_eq!(weight(&counts, "flight"), 1.0);
    }

    #[test]
    fn short_articles_are_held_to_a_lower_threshold() {
        let c = Clusterer::new(ClusterConfig::default());
        let headline = term_counts(
            None,
            "Chile earthquake triggers tsunami warning",
            c.config(),
        );
        let long: String = (0..60).map(|i| format!("word{i} ")).collect();
        let article = term_counts(None, &long, c.config());
        assert!(c.threshold_for(&headline) < 0.8 * c.config().threshold);
        assert_eq!(c.threshold_for(&article), c.config().threshold);
    }

    #[test]
    fn nearness_in_time_raises_similarity() {
        let mut c = Clusterer::new(ClusterConfig::default());
        let first =
            "A magnitude 8.2 earthquake struck northern Chile near Iquique, officials said.";
        let next = "The 8.2 earthquake near Iquique in Chile triggered a tsunami warning.";
        add(&mut c, "Earthquake hits Chile", first, 0);
        let counts = term_counts(Some("Chile quake"), next, c.config());
        let v = c.vectorize(&counts);
        let (s1, soon) = c.best_story(&v, Some(3600)).unwrap();
        let (s2, late) = c.best_story(&v, Some(2 * DAY + DAY / 2)).unwrap();
        let (s3, undated) = c.best_story(&v, None).unwrap();
        assert_eq!((s1, s2), (s3, s3));
        assert!(soon > late && late > undated, "{soon} {late} {undated}");
    }

    /// A long text of `n` words unique to `tag`, in paragraphs of ten words.
    fn long_text(tag: &str, n: usize) -> String {
        (0..n)
            .map(|i| format!("{tag}{i}{}", if i % 10 == 9 { "\n" } else { " " }))
            .collect()
    }

    #[test]
    fn a_long_article_is_compared_with_the_members_not_their_sum() {
        let mut c = Clusterer::new(ClusterConfig::default());
        let (a, b) = (long_text("alpha", 60), long_text("beta", 60));
        let (ca, cb) = (
            term_counts(None, &a, c.config()),
            term_counts(None, &b, c.config()),
        );
        c.observe(&ca);
        c.observe(&cb);
        let s = c.new_story();
        let (va, vb) = (c.vectorize(&ca), c.vectorize(&cb));
        c.join(s, &va, &[], None);
        c.join(s, &vb, &[], None);
        let story = c.live(s).unwrap();
        // Two unrelated members: the article equals one of them.
        let mean = Clusterer::similarity(story, &story.centroid, &va, true);
        let centroid = Clusterer::similarity(story, &story.centroid, &va, false);
        assert!((mean - 0.5).abs() < 0.01, "{mean}");
        assert!((centroid - 0.5f32.sqrt()).abs() < 0.01, "{centroid}");
        assert_eq!(c.best_story(&va, None), Some((s, mean)));
    }

    #[test]
    fn the_member_count_survives_a_restore() {
        let mut a = Clusterer::new(ClusterConfig::default());
        let texts = [long_text("alpha", 60), long_text("alpha", 50)];
        for t in &texts {
            a.add(&term_counts(None, t, a.config()), None);
        }
        assert_eq!(a.story_count(), 1);
        // A copy joins without a decision: the size grows, the member count does not.
        a.add_to(0, &term_counts(None, &texts[0], a.config()), None);
        let states = a.take_dirty();
        let (df, n) = a.take_dirty_df();
        let mut b = Clusterer::new(ClusterConfig::default());
        b.restore(df, n, states.into_iter().map(|(_, s)| Some(s)).collect());
        let next = term_counts(None, &long_text("alpha", 55), a.config());
        assert_eq!(a.add(&next, None), b.add(&next, None));
    }

    #[test]
    fn a_paragraph_seen_before_weighs_little() {
        let background = "The long running dispute over the harbour began when the council \
                          sold the western quay to a shipping consortium in the spring.";
        // Said three times, so that its words lead the article's query to the index.
        let first = format!(
            "{}\n{background} {background} {background}",
            long_text("alpha", 40)
        );
        let second = format!(
            "{}\n{background} {background} {background}",
            long_text("beta", 40)
        );
        let decide = |weight: f32| {
            let config = ClusterConfig {
                repeated_line_weight: weight,
                threshold: 0.1,
                // The made-up words hold digits: numbers, which the name floor would compare.
                name_floor: 0.0,
                ..ClusterConfig::default()
            };
            let mut c = Clusterer::new(config);
            let a = c.add(&term_counts(None, &first, c.config()), None);
            let b = c.add(&term_counts(None, &second, c.config()), None);
            (a.story == b.story, b.similarity)
        };
        // Counted in full, the shared background paragraph alone joins two unrelated articles.
        let (joined, sim) = decide(1.0);
        assert!(joined, "{sim}");
        assert_eq!(decide(0.0), (false, 1.0));
    }

    #[test]
    fn the_name_channel_survives_a_restore() {
        let mut a = Clusterer::new(ClusterConfig::default());
        add(
            &mut a,
            "Quake",
            "Officials in Chile said Iquique and Arica felt the 8.2 quake.",
            0,
        );
        let states = a.take_dirty();
        let (df, n) = a.take_dirty_df();
        let mut b = Clusterer::new(ClusterConfig::default());
        b.restore(df, n, states.into_iter().map(|(_, s)| Some(s)).collect());
        let (sa, sb) = (a.live(0).unwrap(), b.live(0).unwrap());
        assert_eq!(sa.names.len(), 3, "chile, iquique, arica");
        assert_eq!(sa.names, sb.names);
        assert_eq!(sa.centroid, sb.centroid);
        assert!((sa.norm2 - sb.norm2).abs() < 1e-5);
    }

    #[test]
    fn lines_and_rare_terms_not_seen_for_generations_are_forgotten_and_restored_as_they_are() {
        let config = ClusterConfig {
            line_generation_docs: 2,
            ..ClusterConfig::default()
        };
        let mut a = Clusterer::new(config);
        let counts = |tag: &str| term_counts(None, &long_text(tag, 30), &config);
        let (old, kept) = (counts("old"), counts("kept"));
        let seen = |c: &Clusterer, t: &TermCounts| c.repeated_lines(t).len();
        a.add(&old, None); // generation 1
        a.add(&kept, None);
        assert_eq!((seen(&a, &old), seen(&a, &kept)), (3, 3));
        a.add(&kept, None); // generation 2: the count of 1 from generation 1 halves to 0
        a.add(&kept, None);
        a.add(&counts("y"), None); // generation 3: generation 1 goes
        assert_eq!((seen(&a, &old), seen(&a, &kept)), (0, 3));
        // Terms counted once in generation 1 went too; those counted twice since halved to 1.
        assert_eq!(a.df.get(old.terms[0].0), 0);
        assert_eq!(a.df.get(kept.terms[0].0), 1);
        let (df, n) = a.take_dirty_df();
        let gone: Vec<Term> = df
            .iter()
            .filter(|&&(_, v)| v == 0)
            .map(|&(t, _)| t)
            .collect();
        let line_key = |l: &Line| l.hash ^ LINE_SALT;
        assert!(old.lines.iter().all(|l| gone.contains(&line_key(l))));
        assert!(!kept.lines.iter().any(|l| gone.contains(&line_key(l))));
        assert!(gone.contains(&old.terms[0].0));
        let mut b = Clusterer::new(config);
        b.restore(df, n, Vec::new());
        assert_eq!((seen(&b, &old), seen(&b, &kept)), (0, 3));
        let twice = kept.terms[0].0;
        assert_eq!(b.df.get(twice), 1);
        for c in [&mut a, &mut b] {
            c.add(&counts("z"), None);
            c.add(&counts("w"), None); // generation 4: generation 2, where `kept` was, goes
        }
        assert_eq!((seen(&a, &kept), seen(&b, &kept)), (0, 0));
        assert_eq!((a.df.get(twice), b.df.get(twice)), (0, 0));
        assert!(a.take_dirty_df().0.contains(&(twice, 0)));
    }

    #[test]
    fn counts_and_the_document_count_halve_each_generation_and_restore_as_they_were() {
        let config = ClusterConfig {
            line_generation_docs: 4,
            ..ClusterConfig::default()
        };
        let counts = |tag: &str| term_counts(None, &long_text(tag, 30), &config);
        let often = counts("often");
        let term = often.terms[0].0;
        let mut a = Clusterer::new(config);
        let mut saved = Vec::new();
        let mut values = Vec::new();
        for doc in 0..22u32 {
            // Generation 1 counts `often` four times, generation 2 twice, then never again.
            let article = if doc <= 4 || doc == 6 {
                &often
            } else {
                &counts(&format!("other{doc}"))
            };
            a.add(article, None);
            assert_eq!(a.weighed_docs, weighed_docs(a.docs, 4), "after {doc}");
            let (df, _) = a.take_dirty_df();
            saved.extend(df);
            values.push(a.df.get(term));
            if doc == 9 {
                // A restore in generation 3 decays and forgets as the uninterrupted run does.
                let mut b = Clusterer::new(config);
                b.restore(saved.iter().copied(), a.docs, Vec::new());
                assert_eq!(b.weighed_docs, a.weighed_docs);
                assert_eq!(b.df.get(term), a.df.get(term));
                assert_eq!(b.vectorize(&often), a.vectorize(&often));
                for doc in 10..22 {
                    let other = counts(&format!("other{doc}"));
                    b.add(&other, None);
                }
                assert_eq!(b.df.get(term), 0);
            }
        }
        // 4 in generation 1; halved to 2 and counted twice in generation 2; then halved.
        assert_eq!(values[..4], [1, 2, 3, 4]);
        assert_eq!(values[4..8], [3, 3, 4, 4]);
        assert_eq!(values[8..12], [2; 4]);
        assert_eq!(values[12..16], [1; 4]);
        assert_eq!(values[16..], [0; 6]);
        assert!(saved.contains(&(term, 0)), "forgotten, and saved as gone");
        // 4; 4/2 + 4 = 6; 6/2 + 4 = 7; 7, 7; then 7/2 + 2 = 5 in the sixth generation.
        assert_eq!(weighed_docs(22, 4), 5);
        assert_eq!(weighed_docs(8, 4), 6);
    }

    #[test]
    fn one_pass_gives_the_word_hashes_and_the_same_terms() {
        let c = ClusterConfig::default();
        let text = "The Senate's vote: 51 senators backed it.\nCafé owners in Lyon said so.";
        let (counts, words) = term_counts_and_words(Some("Senate vote"), text, &c);
        assert_eq!(words, crate::text::word_hashes(text));
        let mut expected: Vec<Term> = ["senate", "vote", "51", "senators", "backed", "café"]
            .iter()
            .chain(&["owners", "lyon"])
            .map(|w| term(w))
            .collect();
        expected.sort_unstable();
        expected.dedup();
        let got: Vec<Term> = counts.terms.iter().map(|&(t, _)| t).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn lines_are_kept_only_for_texts_of_several_paragraphs() {
        let c = ClusterConfig::default();
        let one = term_counts(None, &long_text("alpha", 10), &c);
        assert!(one.lines.is_empty());
        let two = term_counts(None, &long_text("alpha", 25), &c);
        // Two lines of ten words; the last five words are too few to be a line.
        assert_eq!(two.lines.len(), 2);
        assert_ne!(two.lines[0].hash, two.lines[1].hash);
    }
}
