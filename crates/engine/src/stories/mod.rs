//! Stories: articles that report the same real-world event, grouped online in arrival order.
//!
//! Each article is a sparse TF-IDF vector over its terms; a story is the running sum of its
//! members' unit vectors. An article joins the story most similar to it if that similarity clears
//! the rules, else it starts a new story: one decision per article, never a re-clustering, and the
//! same articles in the same order give the same stories. Cold stories leave memory and come back
//! for a late article. The decision and its reasons, with measurements, are in the crate's
//! `DESIGN.md` (section 2, "The online story decision").
//!
//! - [`config`]: [`ClusterConfig`], every knob with its default.
//! - [`terms`]: what an article says: [`TermCounts`] (terms, lines, names).
//! - `decide`: the vector, the candidates, the similarity and the rules of the decision.
//! - [`model`]: the learned decision: the features of a candidate and the logistic model.
//! - `residency`: warm stories' vectors within a memory budget, the rest on a spill.
//! - `saved`: the saved-state format ([`StoryState`]), restore and revival.
//! - `docfreqs`: document frequencies that halve each generation, in a prefetched table.
//! - `sparse`: sorted sparse vectors, the story centroids.
//!
//! Determinism: the same articles in the same order give the same stories (ties break on the
//! lower story index).

pub mod config;
mod decide;
mod docfreqs;
pub mod model;
mod residency;
mod saved;
mod sparse;
pub mod terms;

pub use config::ClusterConfig;
pub use decide::background_df;
use residency::{Residency, Spilled};
use saved::{line_key, story_key, LINE_FLAG, STORIES_TERM};
pub use saved::{RevivalSpan, StoryState};
pub use terms::{
    add_url_words, is_content_word, is_content_word_in, term, term_counts, term_counts_and_words,
    term_counts_in, term_in, Line, TermCounts, LINE_MIN_WORDS,
};

use crate::article::{StoryIdx, Term, Timestamp};
use crate::memory::slots::Slots;
use crate::text::language::Language;
use docfreqs::DocFreqs;
use rustc_hash::{FxHashMap, FxHashSet};
use sparse::SparseSum;

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

/// A sparse vector of term weights, sorted by term.
type TermVector = Vec<(Term, f32)>;

struct LiveStory {
    /// The sum of the unit vectors of the members that were decided (copies join without one).
    centroid: SparseSum,
    /// How many vectors the centroid sums.
    members: u32,
    norm2: f32,
    /// The sum of the members' name-and-number unit vectors (see DESIGN.md, section 2).
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
    /// The language of its first decided member that had one ([`TermCounts::language`]): an
    /// article of another language does not join it.
    language: Option<Language>,
}

/// Whether an article of language `article` may join a story of language `story`: unless both
/// are known and differ. Stories in two languages about one event are linked, not merged (the
/// store's `across` module).
fn languages_agree(story: Option<Language>, article: Option<Language>) -> bool {
    match (story, article) {
        (Some(s), Some(a)) => s == a,
        _ => true,
    }
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

/// A live story, with its first and last publication time and its language for the candidate
/// filter to read without fetching the story.
struct StorySlot {
    span: Option<(Timestamp, Timestamp)>,
    language: Option<Language>,
    live: Box<LiveStory>,
}

impl StorySlot {
    fn new(live: Box<LiveStory>) -> Self {
        StorySlot {
            span: live.first.zip(live.last),
            language: live.language,
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

/// The online story clusterer.
pub struct Clusterer {
    config: ClusterConfig,
    df: DocFreqs,
    scratch: std::cell::RefCell<Scratch>,
    docs: u32,
    /// `docs` decayed as the document frequencies are ([`weighed_docs`]).
    weighed_docs: u32,
    /// The live stories; cold ones leave memory ([`Clusterer::evict_cold`]).
    stories: Slots<StoryIdx, StorySlot>,
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

    /// Its configuration.
    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }

    /// How many stories were ever created.
    pub fn story_count(&self) -> usize {
        self.stories.next_index().index()
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

    /// Counts an article in the document frequencies; returns those of its terms, in order.
    fn observe(&mut self, counts: &TermCounts) -> Vec<u32> {
        let generation = self.generation_of(self.docs);
        self.docs += 1;
        if u32::from(self.df.generation()) != generation {
            self.start_generation(generation);
        }
        self.weighed_docs = self.weighed_docs.saturating_add(1);
        self.df
            .set_all(&counts.lines, |l| line_key(l.hash), LINE_FLAG | generation);
        self.df.bump_all(&counts.terms, |&(t, _)| t)
    }

    /// The generation of the article counted `doc`-th from 0 (see DESIGN.md, section 2).
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

    /// Assigns an article to a story (creating one when none is similar enough): by the learned
    /// model ([`ClusterConfig::model`]), or by the hand-set rules when there is none.
    pub fn add(&mut self, counts: &TermCounts, at: Option<Timestamp>) -> Assignment {
        let Some(weights) = self.config.model else {
            return self.add_by_rules(counts, at);
        };
        self.add_with(counts, at, |candidates| {
            let mut best: Option<(StoryIdx, f32)> = None;
            for (s, f) in candidates {
                let p = model::probability(&weights, f);
                if best.is_none_or(|(b, bp)| p > bp || p == bp && *s < b) {
                    best = Some((*s, p));
                }
            }
            best.filter(|&(_, p)| p >= 0.5).map(|(s, _)| s)
        })
    }

    /// Assigns an article to the story `pick` chooses among its candidates and their features,
    /// or to a new story when it chooses none. The learned decision picks by its model; training
    /// picks the story the labels say (which need not be a candidate).
    pub fn add_with(
        &mut self,
        counts: &TermCounts,
        at: Option<Timestamp>,
        pick: impl FnOnce(&[(StoryIdx, model::Features)]) -> Option<StoryIdx>,
    ) -> Assignment {
        let (v, names) = self.observe_and_vectorize(counts);
        let candidates = self.candidate_features(&v, &names, counts, at);
        let chosen = pick(&candidates).filter(|&s| self.is_live(s)).map(|s| {
            let cosine = candidates
                .iter()
                .find(|(c, _)| *c == s)
                .map_or(0.0, |(_, f)| f.0[1]);
            (s, cosine)
        });
        self.place(chosen, &v, &names, counts.language, at)
    }

    /// Counts an article in the document frequencies and gives its vector and its names and
    /// numbers. Which lines recur is judged before the article's own lines are counted.
    fn observe_and_vectorize(&mut self, counts: &TermCounts) -> (TermVector, TermVector) {
        let repeated = self.repeated_lines(counts);
        let dfs = self.observe(counts);
        let v = self.vectorize_fresh(counts, &repeated, &dfs);
        let names = self.name_vector(&v, counts);
        (v, names)
    }

    /// Joins the article (of language `language`) to the chosen story (with its similarity), or
    /// to a new one.
    fn place(
        &mut self,
        chosen: Option<(StoryIdx, f32)>,
        v: &[(Term, f32)],
        names: &[(Term, f32)],
        language: Option<Language>,
        at: Option<Timestamp>,
    ) -> Assignment {
        let (story, created, similarity) = match chosen {
            Some((s, similarity)) => (s, false, similarity),
            None => (self.new_story(), true, 1.0),
        };
        self.join(story, v, names, language, at);
        Assignment {
            story,
            created,
            similarity,
        }
    }

    /// [`Clusterer::add`] by the hand-set rules (see DESIGN.md, section 2).
    fn add_by_rules(&mut self, counts: &TermCounts, at: Option<Timestamp>) -> Assignment {
        let (v, names) = self.observe_and_vectorize(counts);
        let threshold = self.threshold_for(counts);
        let best =
            self.best_story_named(&v, self.name_checked(counts, &names), counts.language, at);
        let chosen = best
            .filter(|c| self.clears(c, threshold, self.is_long(&v)))
            .map(|c| (c.story, c.similarity));
        self.place(chosen, &v, &names, counts.language, at)
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
            language: None,
        })))
    }

    fn join(
        &mut self,
        story: StoryIdx,
        v: &[(Term, f32)],
        names: &[(Term, f32)],
        language: Option<Language>,
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
                new_terms.push(story_key(t));
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
        live.language = live.language.or(language);
        slot.language = live.language;
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

    /// Whether a story is in memory.
    pub fn is_live(&self, story: StoryIdx) -> bool {
        self.stories.get(story).is_some()
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
    use super::decide::Choice;
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
            let v = c.vectorize(&counts);
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
        let n = a.story_count();
        assert_eq!(b.story_count(), n);
        assert!((0..n).any(|s| a.live(StoryIdx::at(s)).unwrap().members > 3));
        assert_eq!(a.index, b.index);
        for s in (0..n).map(StoryIdx::at) {
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
            story: StoryIdx::from_raw(0),
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
        c.join(s, &va, &[], None, None);
        c.join(s, &vb, &[], None, None);
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
        a.add_to(
            StoryIdx::from_raw(0),
            &term_counts(None, &texts[0], a.config()),
            None,
        );
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
                // The low threshold decides: the rules, not the learned model.
                model: None,
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
    fn an_article_joins_no_story_of_another_language_and_the_story_keeps_its_language() {
        let config = ClusterConfig::default();
        let text = "Katrin Vollmer won the mayoral election in Lindenau with 54.3 percent of the \
                    vote against Thomas Brandl, the town's electoral office said on Monday.";
        let counts = |language: Option<&str>| TermCounts {
            language: language.map(|l| Language::parse(l).unwrap()),
            ..term_counts(Some("Vollmer wins Lindenau"), text, &config)
        };
        let mut c = Clusterer::new(config);
        // A story made by an article of no known language takes the language of the first member
        // that has one.
        let first = c.add(&counts(None), Some(0));
        assert_eq!(c.add(&counts(Some("de")), Some(60)).story, first.story);
        assert!(
            c.add(&counts(Some("en")), Some(120)).created,
            "de story, en article"
        );
        let en = StoryIdx::from_raw(1);
        assert_eq!(c.add(&counts(Some("en")), Some(240)).story, en);
        // Saved and restored, each story keeps its language.
        let states = c.take_dirty();
        let (df, n) = c.take_dirty_df();
        let mut b = Clusterer::new(config);
        b.restore(df, n, states.into_iter().map(|(_, s)| Some(s)).collect());
        assert_eq!(b.add(&counts(Some("en")), Some(300)).story, en);
        assert_eq!(b.add(&counts(Some("de")), Some(300)).story, first.story);
        assert!(b.add(&counts(Some("es")), Some(300)).created);
        // The language is no term that storylines compare stories by.
        let state = b.take_dirty().remove(0).1;
        assert!(state
            .centroid
            .iter()
            .any(|&(t, _)| t == saved::LANGUAGE_TERM));
        assert!(state
            .content_terms()
            .all(|(t, _)| t != saved::LANGUAGE_TERM));
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
        let first = StoryIdx::from_raw(0);
        let (sa, sb) = (a.live(first).unwrap(), b.live(first).unwrap());
        assert_eq!(sa.names.len(), 4, "chile, iquique, arica, 8.2");
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
        let line_key = |l: &Line| line_key(l.hash);
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
    fn a_number_with_separators_is_one_term_and_its_groups_stay_words() {
        let c = ClusterConfig::default();
        let text = "Net 2,117,000 vs 1,902,000, revs 24.6 mln. Shr 28 cts.";
        let (counts, words) = term_counts_and_words(None, text, &c);
        assert_eq!(words, crate::text::word_hashes(text));
        let has = |t: &str| {
            counts
                .terms
                .iter()
                .any(|&(x, _)| x.raw() == crate::text::hash_word(t))
        };
        assert!(has("2,117,000") && has("1,902,000") && has("24.6") && has("28"));
        // The groups after a separator are not terms: "000" would join every figure in millions.
        assert!(!has("000") && !has("117") && !has("6"));
        let figure = Term::from_raw(crate::text::hash_word("2,117,000"));
        assert!(counts.names.contains(&figure));
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
