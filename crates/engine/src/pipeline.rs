//! The pipeline: one article in, its copy family and story out.
//!
//! Work is split in two so that it scales on many cores and stays deterministic:
//! [`prepare`] is pure and per-article (cleaning, words, signature, term counts), so callers run
//! it in parallel; [`Engine::add`] then takes prepared articles one at a time, in order, and makes
//! the online decisions (copy of what, which story).

use crate::article::{stable_hash, Article, DocIdx, StoryIdx, Term, Timestamp};
use crate::clean::{Cleaned, Cleaner};
use crate::copies::fingerprint::{exact_hash, signature, Signature};
use crate::copies::{CopyIndex, CopyOf};
use crate::stories::{ClusterConfig, Clusterer, RevivalSpan, StoryState, TermCounts};
use crate::text::language::{self, Language};
use crate::text::lexicon::Lexicon;
use serde::{Deserialize, Serialize};

/// What the engine is configured with; saved with a database.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// Jaccard similarity of word shingles from which an article is a near copy.
    pub copy_threshold: f32,
    /// Words per shingle.
    pub shingle: usize,
    /// The story clusterer's configuration.
    pub cluster: ClusterConfig,
    /// Cluster on text alone, as if no article had a date.
    pub ignore_dates: bool,
    /// How long after its publication an article can still be found as the original of a near
    /// copy (exact copies are found forever). Bounds memory on endless streams. `None`: forever.
    #[serde(default = "default_copy_window")]
    pub copy_window_secs: Option<i64>,
    /// Bytes of warm stories' centroids kept in memory when the application gives the clusterer a
    /// spill ([`crate::stories::Clusterer::set_spill`]); the rest wait there. Not saved with a
    /// database's configuration: it changes memory, not answers.
    #[serde(skip, default = "default_story_memory")]
    pub story_memory_bytes: usize,
}

fn default_story_memory() -> usize {
    16 << 20
}

fn default_copy_window() -> Option<i64> {
    Some(30 * 86_400)
}

impl Default for Config {
    fn default() -> Self {
        Config {
            copy_threshold: 0.8,
            shingle: 5,
            cluster: ClusterConfig::default(),
            ignore_dates: false,
            copy_window_secs: default_copy_window(),
            story_memory_bytes: default_story_memory(),
        }
    }
}

/// Documents between two maintenance steps ([`Engine::maintain`]); the copy window forgets
/// its old documents at the same rhythm.
pub const MAINTENANCE_EVERY: usize = 4096;

/// A configuration value outside the range it may take ([`Config::validate`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigError {
    /// The setting, as a path into [`Config`]: `copy_threshold`, `cluster.threshold`, ...
    pub setting: &'static str,
    /// The value given, as written by `{:?}` (so that NaN reads `NaN`).
    pub value: String,
    /// The range allowed, in words.
    pub allowed: &'static str,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} is {}; allowed: {}",
            self.setting, self.value, self.allowed
        )
    }
}

impl std::error::Error for ConfigError {}

/// A share or a similarity: a number from 0 to 1 (NaN is not).
const UNIT: &str = "a number from 0 to 1";
/// A weight or a multiple: finite and not negative.
const NON_NEGATIVE: &str = "a finite number, 0 or more";

impl Config {
    /// Checks every setting against the range it may take, so that a value that would be
    /// accepted and answer nonsense (a shingle of 0 words, a NaN threshold, which no similarity
    /// reaches or every one does) is refused before any work. The first setting out of range is
    /// the error.
    ///
    /// ```
    /// use samestory_engine::pipeline::Config;
    /// assert!(Config::default().validate().is_ok());
    /// let nan = Config { copy_threshold: f32::NAN, ..Config::default() };
    /// assert_eq!(nan.validate().unwrap_err().setting, "copy_threshold");
    /// ```
    pub fn validate(&self) -> Result<(), ConfigError> {
        fn check<T: std::fmt::Debug>(
            setting: &'static str,
            value: T,
            allowed: &'static str,
            ok: bool,
        ) -> Result<(), ConfigError> {
            if ok {
                Ok(())
            } else {
                Err(ConfigError {
                    setting,
                    value: format!("{value:?}"),
                    allowed,
                })
            }
        }
        let unit = |x: f32| (0.0..=1.0).contains(&x);
        let non_negative = |x: f32| x.is_finite() && x >= 0.0;
        let positive_secs = |s: Option<i64>| s.is_none_or(|s| s > 0);
        let t = self.copy_threshold;
        check(
            "copy_threshold",
            t,
            "a number greater than 0 and at most 1",
            t > 0.0 && t <= 1.0,
        )?;
        check(
            "shingle",
            self.shingle,
            "a number of words, 1 or more",
            self.shingle >= 1,
        )?;
        let w = self.copy_window_secs;
        check(
            "copy_window_secs",
            w,
            "more than 0 seconds, or none",
            positive_secs(w),
        )?;
        let c = &self.cluster;
        check("cluster.threshold", c.threshold, UNIT, unit(c.threshold))?;
        let w = c.window_secs;
        check(
            "cluster.window_secs",
            w,
            "more than 0 seconds, or none",
            positive_secs(w),
        )?;
        check(
            "cluster.query_terms",
            c.query_terms,
            "1 or more",
            c.query_terms >= 1,
        )?;
        check(
            "cluster.index_terms",
            c.index_terms,
            "1 or more",
            c.index_terms >= 1,
        )?;
        for (setting, value) in [
            ("cluster.title_boost", c.title_boost),
            ("cluster.name_boost", c.name_boost),
            ("cluster.number_boost", c.number_boost),
            ("cluster.short_exponent", c.short_exponent),
            ("cluster.recency_boost", c.recency_boost),
            ("cluster.long_recency_boost", c.long_recency_boost),
            ("cluster.repeated_line_weight", c.repeated_line_weight),
            ("cluster.margin_zone", c.margin_zone),
            ("cluster.margin", c.margin),
            ("cluster.quiet_zone", c.quiet_zone),
            ("cluster.prior_docs", c.prior_docs),
        ] {
            check(setting, value, NON_NEGATIVE, non_negative(value))?;
        }
        check("cluster.name_floor", c.name_floor, UNIT, unit(c.name_floor))?;
        check("cluster.story_idf", c.story_idf, UNIT, unit(c.story_idf))?;
        let share = c.name_max_share;
        check("cluster.name_max_share", share, UNIT, unit(share))?;
        let q = c.quiet_secs;
        check(
            "cluster.quiet_secs",
            q,
            "0 seconds or more, or none",
            q.is_none_or(|s| s >= 0),
        )?;
        let g = c.line_generation_docs;
        check("cluster.line_generation_docs", g, "1 or more", g >= 1)
    }
}

/// Everything about one article that does not depend on the others.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// The clean text and what was removed.
    pub cleaned: Cleaned,
    /// The article's date, else a date found in its leading metadata.
    pub published: Option<Timestamp>,
    /// Words in the clean text.
    pub words: usize,
    /// Hash of the normalized word sequence: equal for exact copies.
    pub exact_hash: u64,
    /// MinHash signature of the clean text's shingles.
    pub signature: Signature,
    /// The raw term weights, lines and names the clusterer decides on.
    pub terms: TermCounts,
    /// Its language: the one its input names, else the one its clean text reads as
    /// ([`crate::text::language`]); `None` when neither says.
    pub language: Option<Language>,
}

/// Words a text needs for its detected language to keep it out of stories of another language
/// ([`TermCounts::language`]): a headline's few words are told a wrong language now and then
/// (3 of the 6,366 uci-headlines titles, each under 20 words, read as German, French or
/// Romanian), and must not split an English story. A language given in the input always holds.
pub const STORY_LANGUAGE_WORDS: usize = 40;

/// Everything about one article that does not depend on the others: pure, so articles are
/// prepared in parallel and then given to [`Engine::add`] in order.
pub fn prepare(article: &Article, cleaner: &Cleaner, config: &Config) -> Prepared {
    let cleaned = cleaner.clean(&article.text);
    let (terms, words) = crate::stories::term_counts_and_words(
        article.title.as_deref(),
        &cleaned.text,
        &config.cluster,
    );
    let exact_hash = exact_hash(&words);
    let signature = signature(&words, config.shingle);
    let published = article.published.or(cleaned.published);
    let given = language::of_input(&article.meta);
    let language = given.or_else(|| language::detect(&words, &cleaned.text));
    // Terms with the stop words and stemmer of the article's language, where it has them: a
    // second pass over the text, never taken by English.
    let lexicon = language.and_then(Lexicon::of);
    let mut terms = match lexicon {
        Some(lexicon) => crate::stories::term_counts_in(
            article.title.as_deref(),
            &cleaned.text,
            &config.cluster,
            lexicon,
        ),
        None => terms,
    };
    if let Some(url) = article.url.as_deref().or(cleaned.url.as_deref()) {
        crate::stories::add_url_words(&mut terms, url, &config.cluster, lexicon);
    }
    terms.language = given.or(language.filter(|_| words.len() >= STORY_LANGUAGE_WORDS));
    Prepared {
        language,
        words: words.len(),
        exact_hash,
        signature,
        terms,
        published,
        cleaned,
    }
}

/// What the engine decided for one article.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The document's index.
    pub doc: DocIdx,
    /// The story it is in.
    pub story: StoryIdx,
    /// Whether it started that story.
    pub story_created: bool,
    /// Similarity to the story it joined (1.0 when it created one or is a copy).
    pub story_similarity: f32,
    /// Its family's original, when it is a copy.
    pub copy_of: Option<CopyOf>,
    /// Earlier documents whose original is now this one.
    pub repointed: Vec<DocIdx>,
    /// A copy whose family's story had left memory: the story's size and time span do not count
    /// it yet (see [`Engine::count_copy`]).
    pub story_evicted: bool,
}

/// A stored document, for restoring an engine.
pub struct KnownDoc {
    /// Hash of the normalized word sequence, as [`Prepared::exact_hash`].
    pub exact_hash: u64,
    /// Its MinHash signature.
    pub signature: Signature,
    /// Its date, as the copy index used it.
    pub published: Option<Timestamp>,
    /// Its family's original (itself when it is no copy).
    pub original: DocIdx,
    /// Its story.
    pub story: StoryIdx,
}

/// The online state: copy index and story clusterer.
pub struct Engine {
    config: Config,
    /// Also each document's story, while it is in the copy window.
    copies: CopyIndex,
    clusterer: Clusterer,
    /// The newest publication time seen.
    latest: Option<Timestamp>,
}

impl Engine {
    /// An engine that has seen nothing.
    pub fn new(config: Config) -> Self {
        Engine {
            copies: CopyIndex::new(config.copy_threshold),
            clusterer: Clusterer::new(config.cluster),
            latest: None,
            config,
        }
    }

    /// Its configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The copy index.
    pub fn copies(&self) -> &CopyIndex {
        &self.copies
    }

    /// The story clusterer.
    pub fn clusterer(&self) -> &Clusterer {
        &self.clusterer
    }

    /// The copy index, to give it spills or restore it.
    pub fn copies_mut(&mut self) -> &mut CopyIndex {
        &mut self.copies
    }

    /// The story clusterer, to give it a spill or restore it.
    pub fn clusterer_mut(&mut self) -> &mut Clusterer {
        &mut self.clusterer
    }

    /// How many documents were added.
    pub fn doc_count(&self) -> usize {
        self.copies.len()
    }

    /// The maintenance step, for callers to run after each batch of `added` articles: once every
    /// [`MAINTENANCE_EVERY`] documents, cold stories leave memory ([`Clusterer::evict_cold`]).
    /// Where it runs decides what is in memory and so the answers: every caller (ingest, the
    /// in-memory `cluster`, the server) must run it at the same points, which this one function
    /// makes sure of. Without a store to take the clusterer's change lists, pass
    /// `discard_changes` (a story waiting to be saved cannot leave memory). Returns how many
    /// stories left memory, or `None` when no step was due.
    pub fn maintain(&mut self, added: usize, discard_changes: bool) -> Option<usize> {
        if self.doc_count() % MAINTENANCE_EVERY >= added {
            return None;
        }
        if discard_changes {
            self.clusterer.discard_changes();
        }
        Some(self.clusterer.evict_cold())
    }

    /// A document's story, while it is in the copy window (older ones: ask the store).
    pub fn story_of(&self, doc: DocIdx) -> Option<StoryIdx> {
        self.copies.story_of(doc)
    }

    /// The time the clusterer sees for an article: none when dates are ignored.
    fn story_time(&self, p: &Prepared) -> Option<Timestamp> {
        if self.config.ignore_dates {
            None
        } else {
            p.published
        }
    }

    /// For a late article, the stories it could join that may have left memory; bring them back
    /// with [`Engine::revive`] before adding it (see [`Clusterer::revival_span`]).
    pub fn revival_span(&self, p: &Prepared) -> Option<RevivalSpan> {
        self.clusterer.revival_span(self.story_time(p))
    }

    /// Whether a story is in memory (see [`Engine::revive`]).
    pub fn is_live(&self, story: StoryIdx) -> bool {
        self.clusterer.is_live(story)
    }

    /// Counts a copy (of [`Outcome::story_evicted`]) in its family's story, brought back as the
    /// store saved it.
    pub fn count_copy(&mut self, story: StoryIdx, state: StoryState, p: &Prepared) -> bool {
        self.clusterer.revive_story(story, state);
        self.clusterer.count_member(story, self.story_time(p))
    }

    /// Brings back the stories of a revival span that left memory, as the store saved them.
    pub fn revive(
        &mut self,
        span: RevivalSpan,
        stories: impl IntoIterator<Item = (StoryIdx, StoryState)>,
    ) -> usize {
        self.clusterer.revive(span, stories)
    }

    /// Decides one prepared article, in arrival order: its copy family first (a copy joins its
    /// original's story), then its story.
    pub fn add(&mut self, p: &Prepared) -> Outcome {
        let at = self.story_time(p);
        let added = self
            .copies
            .add(p.exact_hash, p.signature.clone(), p.published);
        let doc = DocIdx::at(self.copies.len() - 1);
        // A copy joins its family's story; so does a new original of an existing family (the
        // story its younger copies are in).
        let mut story_evicted = false;
        let (story, story_created, story_similarity) = match added.family_story {
            Some(s) => {
                story_evicted = !self.clusterer.add_to(s, &p.terms, at);
                (s, false, 1.0)
            }
            None => {
                let a = self.clusterer.add(&p.terms, at);
                (a.story, a.created, a.similarity)
            }
        };
        self.copies.set_story(doc, story);
        if let Some(t) = p.published {
            self.latest = Some(self.latest.map_or(t, |l| l.max(t)));
        }
        if self.copies.len().is_multiple_of(MAINTENANCE_EVERY) {
            self.forget_old_copies();
        }
        Outcome {
            doc,
            story,
            story_created,
            story_similarity,
            copy_of: added.copy_of,
            story_evicted,
            repointed: added.repointed,
        }
    }

    fn forget_old_copies(&mut self) {
        if let (Some(window), Some(latest)) = (self.config.copy_window_secs, self.latest) {
            self.copies.forget_before(latest - window);
        }
    }

    /// Restores the clusterer's saved state (see [`Clusterer::restore`]), once every stored
    /// document is restored ([`Engine::restore_doc`]).
    pub fn restore_clusterer(
        &mut self,
        df: impl IntoIterator<Item = (Term, u32)>,
        doc_count: u32,
        stories: Vec<Option<StoryState>>,
    ) {
        self.clusterer.restore(df, doc_count, stories);
    }

    /// Re-adds the next stored document (in their order), when rebuilding the engine from a
    /// store. Documents are forgotten on the way as the uninterrupted run forgot them (every
    /// 4096), so that a restarted ingest decides exactly as it would have, and restoring needs no
    /// more memory than running.
    pub fn restore_doc(&mut self, d: KnownDoc) {
        if let Some(t) = d.published {
            self.latest = Some(self.latest.map_or(t, |l| l.max(t)));
        }
        self.copies
            .insert_known(d.exact_hash, d.signature, d.published, d.original, d.story);
        if self.copies.len().is_multiple_of(MAINTENANCE_EVERY) {
            self.forget_old_copies();
        }
    }
}

/// The stable external id of a story: derived from the id of its first article.
pub fn story_id(first_article_id: &str) -> String {
    StoryId::of(first_article_id).to_string()
}

/// A story id as its number, 8 bytes where the text takes 13 and a heap block; displays as
/// [`story_id`] writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoryId(u64);

impl StoryId {
    /// The id of the story whose first article has this id.
    pub fn of(first_article_id: &str) -> StoryId {
        StoryId(stable_hash(first_article_id.as_bytes()) >> 16)
    }

    /// The number it is, to write out.
    pub fn to_bits(self) -> u64 {
        self.0
    }

    /// A story id from [`StoryId::to_bits`].
    pub fn from_bits(bits: u64) -> StoryId {
        StoryId(bits)
    }

    /// The id [`StoryId`] displays as, read back.
    pub fn parse(id: &str) -> Option<StoryId> {
        let hex = id.strip_prefix('s').filter(|h| {
            h.len() == 12
                && h.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })?;
        u64::from_str_radix(hex, 16).ok().map(StoryId)
    }
}

impl std::fmt::Display for StoryId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "s{:012x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustc_hash::FxHashMap;

    #[test]
    fn maintenance_is_due_once_a_batch_reaches_a_multiple_of_its_rhythm() {
        let config = Config::default();
        let cleaner = Cleaner::default();
        let mut engine = Engine::new(config);
        assert_eq!(engine.maintain(0, true), None, "nothing added");
        let articles = stream(MAINTENANCE_EVERY + 3);
        let due: Vec<bool> = articles
            .chunks(1000)
            .map(|batch| {
                for a in batch {
                    engine.add(&prepare(a, &cleaner, &config));
                }
                engine.maintain(batch.len(), true).is_some()
            })
            .collect();
        // Batches end at 1000, 2000, 3000, 4000 and 4099: only the last reached 4096.
        assert_eq!(due, [false, false, false, false, true]);
    }

    #[test]
    fn the_default_configuration_is_valid() {
        assert_eq!(Config::default().validate(), Ok(()));
    }

    #[test]
    fn out_of_range_settings_are_refused_by_name() {
        let refused = |c: Config| c.validate().unwrap_err().setting;
        let d = Config::default;
        assert_eq!(refused(Config { shingle: 0, ..d() }), "shingle");
        for t in [f32::NAN, 0.0, -0.5, 1.01, f32::INFINITY] {
            let e = Config {
                copy_threshold: t,
                ..d()
            }
            .validate()
            .unwrap_err();
            assert_eq!(e.setting, "copy_threshold", "{t}");
        }
        let e = Config {
            copy_threshold: f32::NAN,
            ..d()
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "copy_threshold is NaN; allowed: a number greater than 0 and at most 1"
        );
        let story = |threshold: f32| Config {
            cluster: ClusterConfig {
                threshold,
                ..ClusterConfig::default()
            },
            ..d()
        };
        for t in [f32::NAN, -0.1, 1.5] {
            assert_eq!(refused(story(t)), "cluster.threshold", "{t}");
        }
        assert_eq!(story(0.0).validate(), Ok(()));
        assert_eq!(story(1.0).validate(), Ok(()));
        let cluster = |c: ClusterConfig| Config { cluster: c, ..d() };
        let base = ClusterConfig::default;
        for x in [f32::NAN, -1.0, f32::INFINITY] {
            let prior = cluster(ClusterConfig {
                prior_docs: x,
                ..base()
            });
            assert_eq!(refused(prior), "cluster.prior_docs", "{x}");
        }
        for x in [f32::NAN, -0.1, 1.5] {
            let share = cluster(ClusterConfig {
                name_max_share: x,
                ..base()
            });
            assert_eq!(refused(share), "cluster.name_max_share", "{x}");
        }
        assert_eq!(
            Config {
                copy_threshold: 1.0,
                shingle: 1,
                ..d()
            }
            .validate(),
            Ok(())
        );
        let window = Config {
            copy_window_secs: Some(0),
            ..d()
        };
        assert_eq!(refused(window), "copy_window_secs");
        let cluster = |c: ClusterConfig| Config { cluster: c, ..d() };
        let c = ClusterConfig::default;
        assert_eq!(
            refused(cluster(ClusterConfig {
                title_boost: -1.0,
                ..c()
            })),
            "cluster.title_boost"
        );
        assert_eq!(
            refused(cluster(ClusterConfig {
                margin: f32::NAN,
                ..c()
            })),
            "cluster.margin"
        );
        assert_eq!(
            refused(cluster(ClusterConfig {
                query_terms: 0,
                ..c()
            })),
            "cluster.query_terms"
        );
        assert_eq!(
            refused(cluster(ClusterConfig {
                window_secs: Some(-5),
                ..c()
            })),
            "cluster.window_secs"
        );
        assert_eq!(
            cluster(ClusterConfig {
                window_secs: None,
                quiet_secs: None,
                ..c()
            })
            .validate(),
            Ok(())
        );
    }

    /// One article an hour for a year: stories of a few days, near copies of recent articles,
    /// exact copies of articles that left the copy window long ago.
    fn stream(n: usize) -> Vec<Article> {
        let text = |i: usize| -> String {
            let topic = i / 40;
            (0..120)
                .map(|k| {
                    let w = (k * 7919 + i * 104_729) % 5000;
                    if k % 3 == 0 {
                        format!("topic{}word{} ", topic, k % 17)
                    } else {
                        format!("w{w} ")
                    }
                })
                .collect()
        };
        (0..n)
            .map(|i| {
                let body = if i % 7 == 0 && i >= 2000 {
                    text(i - 2000)
                } else if i % 5 == 0 && i >= 3 {
                    format!("{} and a few words more at the end", text(i - 3))
                } else {
                    text(i)
                };
                Article {
                    id: format!("a{i}"),
                    url: None,
                    title: None,
                    source: None,
                    published: Some(1_700_000_000 + 3600 * i as i64),
                    text: body,
                    meta: Default::default(),
                    origin: None,
                }
            })
            .collect()
    }

    /// What a run decided for one article.
    type Decision = (DocIdx, StoryIdx, bool, Option<CopyOf>, Vec<DocIdx>);

    /// Adds articles as ingest does (changes taken after each), keeping what the store would:
    /// each document's original and story, the last state of each story, the last value of each
    /// document frequency. Cold stories are not evicted: this checks the copy index, and an
    /// exact copy of an article that left the window can still bring its story back.
    struct Stored {
        docs: Vec<KnownDoc>,
        stories: Vec<Option<StoryState>>,
        df: FxHashMap<Term, u32>,
        df_docs: u32,
    }

    fn run(engine: &mut Engine, prepared: &[Prepared], stored: &mut Stored) -> Vec<Decision> {
        let mut out = Vec::new();
        for p in prepared {
            let o = engine.add(p);
            for &m in &o.repointed {
                stored.docs[m.index()].original = o.doc;
            }
            stored.docs.push(KnownDoc {
                exact_hash: p.exact_hash,
                signature: p.signature.clone(),
                published: p.published,
                original: o.copy_of.map_or(o.doc, |c| c.original),
                story: o.story,
            });
            for (s, state) in engine.clusterer_mut().take_dirty() {
                stored
                    .stories
                    .resize(stored.stories.len().max(s.index() + 1), None);
                stored.stories[s.index()] = Some(state);
            }
            let (df, docs) = engine.clusterer_mut().take_dirty_df();
            stored.df.extend(df);
            stored.df_docs = docs;
            out.push((o.doc, o.story, o.story_created, o.copy_of, o.repointed));
        }
        out
    }

    #[test]
    fn a_restored_copy_index_decides_as_the_uninterrupted_one() {
        let config = Config {
            copy_window_secs: Some(20 * 86_400),
            ..Config::default()
        };
        let cleaner = Cleaner::default();
        let prepared: Vec<Prepared> = stream(9000)
            .iter()
            .map(|a| prepare(a, &cleaner, &config))
            .collect();
        let empty = || Stored {
            docs: Vec::new(),
            stories: Vec::new(),
            df: FxHashMap::default(),
            df_docs: 0,
        };
        let mut whole = Engine::new(config);
        let all = run(&mut whole, &prepared, &mut empty());
        let archived = all
            .iter()
            .filter(|d| {
                d.3.is_some_and(|c| c.exact && d.0.raw().saturating_sub(c.original.raw()) > 1990)
            })
            .count();
        assert!(
            archived > 100,
            "exact copies of forgotten articles: {archived}"
        );
        assert!(all.iter().filter(|d| d.3.is_some_and(|c| !c.exact)).count() > 100);

        // With the archive, the window's signatures and bucket entries and the stories written
        // out early, the same decisions.
        let mut spilling = Engine::new(config);
        let memory = || Box::new(crate::memory::spill::MemorySpill::default());
        spilling.copies_mut().set_spill(memory(), 500);
        spilling.copies_mut().set_signature_spill(memory(), 50);
        spilling.copies_mut().set_bucket_spill(memory(), 50);
        spilling.clusterer_mut().set_spill(memory(), 0);
        assert_eq!(run(&mut spilling, &prepared, &mut empty()), all);
        assert!(
            spilling.copies().archive_split().1 > 1000,
            "the archive was written out"
        );
        assert!(
            spilling.copies().signature_split().1 > 1000,
            "window signatures were written out: {:?}",
            spilling.copies().signature_split()
        );
        assert!(
            spilling.copies().bucket_split().1 > 1000,
            "window bucket entries were written out: {:?}",
            spilling.copies().bucket_split()
        );

        let split = 5000;
        let mut stored = empty();
        let first = run(&mut Engine::new(config), &prepared[..split], &mut stored);
        assert_eq!(first[..], all[..split]);
        let mut restored = Engine::new(config);
        for d in stored.docs.drain(..) {
            restored.restore_doc(d);
        }
        restored.restore_clusterer(stored.df.drain(), stored.df_docs, stored.stories.clone());
        let rest = run(&mut restored, &prepared[split..], &mut stored);
        let first_difference = rest.iter().zip(&all[split..]).position(|(a, b)| a != b);
        assert_eq!(
            first_difference,
            None,
            "{:?}",
            first_difference.map(|i| (&rest[i], &all[split + i]))
        );
    }

    #[test]
    fn story_ids_read_back() {
        let id = StoryId::of("article-1");
        assert_eq!(StoryId::parse(&id.to_string()), Some(id));
        assert_eq!(id.to_string(), story_id("article-1"));
        for bad in [
            "",
            "s",
            "x0123456789ab",
            "s0123456789AB",
            "s+123456789ab",
            "s0123456789abc",
        ] {
            assert_eq!(StoryId::parse(bad), None, "{bad}");
        }
    }
}
