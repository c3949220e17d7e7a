//! The join decision: an article's TF-IDF vector (document frequencies with a background prior,
//! lines seen before weighed down), candidate stories from the inverted index, the similarity to
//! each (centroid or mean member cosine, raised for nearness in time), and the rules that pick
//! one or none: the threshold by length, the margin over the runner-up, quiet stories, the name
//! floor. Why each rule is there: `DESIGN.md`, section 2.

use super::model::{features, ArticleShape, Features, Measured};
use super::saved::{line_key, story_key, STORIES_TERM};
use super::sparse::SparseSum;
use super::terms::{term, Line, TermCounts};
use super::{Clusterer, LiveStory, Scratch};
use crate::article::{StoryIdx, Term, Timestamp};
use crate::text::language::Language;
use rustc_hash::FxHashMap;

/// How many of a term's postings (the newest) a candidate look-up reads.
pub(super) const POSTINGS_SCANNED: usize = 256;

/// The largest share of an article's weight that lines seen before may hold for them to be
/// weighed down: above it the article is a partial copy and its lines are its substance.
pub(super) const REPEATED_SHARE_MAX: f32 = 0.5;

/// The share of news articles expected to hold each term, from English word frequencies
/// (`data/wordfreq-en.txt`, made by `data/make_wordfreq.py` from the wordfreq package, CC BY-SA
/// 4.0). Terms not listed are rare: 0.
pub fn background_df(t: Term) -> f32 {
    static TABLE: std::sync::OnceLock<FxHashMap<Term, f32>> = std::sync::OnceLock::new();
    TABLE
        .get_or_init(|| {
            crate::text::lexicon::background_shares(
                include_str!("../../data/wordfreq-en.txt"),
                term,
            )
        })
        .get(&t)
        .copied()
        .unwrap_or(0.0)
}

/// The sublinear count transform: repeating a word adds less and less.
pub(super) fn sublinear(c: f32) -> f32 {
    if c > 1.0 {
        1.0 + c.ln()
    } else {
        c
    }
}

/// The most similar warm story for an article, and the similarity of the next best.
#[derive(Clone, Copy, Debug)]
pub(super) struct Choice {
    pub(super) story: StoryIdx,
    pub(super) similarity: f32,
    pub(super) runner_up: f32,
    /// How long after the story's newest article the article came, when both have dates.
    pub(super) gap: Option<i64>,
}

impl Choice {
    /// Puts a candidate story with its similarity in the running choice: the most similar wins
    /// (ties go to the lower story index), the rest set the runner-up.
    fn offer(best: &mut Option<Choice>, story: StoryIdx, similarity: f32, gap: Option<i64>) {
        match best {
            Some(b)
                if !(similarity > b.similarity
                    || similarity == b.similarity && story < b.story) =>
            {
                b.runner_up = b.runner_up.max(similarity)
            }
            _ => {
                let runner_up = best.map_or(0.0, |b| b.similarity);
                *best = Some(Choice {
                    story,
                    similarity,
                    runner_up,
                    gap,
                })
            }
        }
    }
}

impl Clusterer {
    /// The TF-IDF unit vector of an article under the current document frequencies. The IDF is
    /// smoothed (`ln((n + 1) / (df + 1)) + 1`) so that, early in a stream, words shared by every
    /// document so far still count.
    pub fn vectorize(&self, counts: &TermCounts) -> Vec<(Term, f32)> {
        self.weigh(
            counts
                .terms
                .iter()
                .zip(&counts.background)
                .map(|(&(t, c), &b)| (t, c, self.df.get(t), b)),
            counts.terms.len(),
        )
    }

    /// The document count of the IDF: the stream's (decayed, plus the article itself) and the
    /// background's [`ClusterConfig::prior_docs`].
    fn idf_docs(&self) -> f32 {
        self.weighed_docs as f32 + 1.0 + self.config.prior_docs.max(0.0)
    }

    /// The documents of the background that hold a term of background share `share`
    /// ([`background_df`]): [`ClusterConfig::prior_docs`] times it, added to the term's
    /// document frequency in the stream.
    fn background_docs(&self, share: f32) -> f32 {
        let prior = self.config.prior_docs.max(0.0);
        if prior > 0.0 {
            prior * share
        } else {
            0.0
        }
    }

    /// The unit TF-IDF vector of raw term weights with their document frequencies and
    /// background shares.
    pub(super) fn weigh(
        &self,
        raw: impl Iterator<Item = (Term, f32, u32, f32)>,
        len: usize,
    ) -> Vec<(Term, f32)> {
        let n = self.idf_docs();
        let b = if len < self.config.story_idf_terms {
            self.config.story_idf
        } else {
            0.0
        };
        let stories = self.df.get(STORIES_TERM) as f32 + 1.0;
        let mut v: Vec<(Term, f32)> = raw
            .filter(|&(_, c, _, _)| c > 1e-6)
            .map(|(t, c, df, share)| {
                let df = df as f32 + 1.0 + self.background_docs(share);
                let mut idf = ((n + 1.0) / df).ln() + 1.0;
                if b > 0.0 {
                    let sf = self.df.get(story_key(t)) as f32 + 1.0;
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
    /// [`ClusterConfig::repeated_line_weight`] (see DESIGN.md, section 2).
    /// `dfs` are the document frequencies of `counts.terms`, in order.
    pub(super) fn vectorize_fresh(
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
        let terms = counts.terms.iter().zip(dfs).zip(&counts.background);
        if repeated.is_empty() || cut <= 0.0 || seen > REPEATED_SHARE_MAX * total {
            return self.weigh(
                terms.map(|((&(t, c), &df), &b)| (t, c, df, b)),
                counts.terms.len(),
            );
        }
        let mut minus: FxHashMap<Term, f32> = FxHashMap::default();
        for l in repeated {
            for &(t, w) in &l.terms {
                *minus.entry(t).or_default() += cut * w;
            }
        }
        self.weigh(
            terms.map(|((&(t, c), &df), &b)| (t, c - minus.get(&t).copied().unwrap_or(0.0), df, b)),
            counts.terms.len(),
        )
    }

    /// The lines of an article seen in earlier articles.
    pub(super) fn repeated_lines<'a>(&self, counts: &'a TermCounts) -> Vec<&'a Line> {
        counts
            .lines
            .iter()
            .filter(|l| self.df.get(line_key(l.hash)) > 0)
            .collect()
    }

    pub(super) fn is_cold(&self, story: &LiveStory, at: Option<Timestamp>) -> bool {
        self.is_cold_span(story.first.zip(story.last), at)
    }

    pub(super) fn is_cold_span(
        &self,
        span: Option<(Timestamp, Timestamp)>,
        at: Option<Timestamp>,
    ) -> bool {
        match (self.config.window_secs, at, span) {
            (Some(w), Some(t), Some((first, last))) => t - last > w || first - t > w,
            _ => false,
        }
    }

    /// The similarity of an article to a story: the cosine to its centroid for a short article,
    /// the mean cosine to its members (the centroid is their sum) for a long one (see the module
    /// doc).
    pub(super) fn similarity(
        story: &LiveStory,
        centroid: &SparseSum,
        v: &[(Term, f32)],
        long: bool,
    ) -> f32 {
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

    /// The similarity raised for nearness in time (see DESIGN.md, section 2).
    pub(super) fn recency(
        &self,
        story: &LiveStory,
        at: Option<Timestamp>,
        sim: f32,
        long: bool,
    ) -> f32 {
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

    /// The threshold an article with these term counts must reach (see DESIGN.md, section 2).
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
    /// and held to the quiet-story rule (see DESIGN.md, section 2).
    pub(super) fn is_long(&self, v: &[(Term, f32)]) -> bool {
        v.len() >= self.config.short_terms
    }

    /// The best story for a vector, with its similarity (raised for nearness in time), among warm
    /// candidates.
    pub fn best_story(&self, v: &[(Term, f32)], at: Option<Timestamp>) -> Option<(StoryIdx, f32)> {
        self.best_story_named(v, &[], None, at)
            .map(|c| (c.story, c.similarity))
    }

    /// The unit vector of an article's names and numbers: its vector's entries for them, less
    /// those too common to tell one event from another ([`ClusterConfig::name_max_share`]).
    pub(super) fn name_vector(&self, v: &[(Term, f32)], counts: &TermCounts) -> Vec<(Term, f32)> {
        let n = self.idf_docs();
        let max_share = self.config.name_max_share;
        let share = |t: Term| {
            let i = counts
                .terms
                .binary_search_by_key(&t, |&(t, _)| t)
                .expect("a vector's terms are its counts'");
            counts.background[i]
        };
        let mut names: Vec<(Term, f32)> = v
            .iter()
            .copied()
            .filter(|(t, _)| counts.names.binary_search(t).is_ok())
            .filter(|&(t, _)| {
                max_share >= 1.0
                    || (self.df.get(t) as f32 + self.background_docs(share(t))) / n <= max_share
            })
            .collect();
        let norm = names.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            names.iter_mut().for_each(|(_, w)| *w /= norm);
        }
        names
    }

    /// The names the name floor compares for an article with these term counts: none for a
    /// headline, too short (and often title-cased) for a name channel.
    pub(super) fn name_checked<'a>(
        &self,
        counts: &TermCounts,
        names: &'a [(Term, f32)],
    ) -> &'a [(Term, f32)] {
        if counts.terms.len() >= self.config.name_terms {
            names
        } else {
            &[]
        }
    }

    /// The entries of an article's vector for its title's names ([`TermCounts::title_names`]),
    /// less those too common in the stream to name one company or person
    /// ([`ClusterConfig::name_max_share`]): `Qtr` and `Shr` head every results brief.
    ///
    /// [`ClusterConfig::name_max_share`]: super::ClusterConfig::name_max_share
    fn title_names(&self, v: &[(Term, f32)], counts: &TermCounts) -> Vec<(Term, f32)> {
        if counts.title_names.is_empty() {
            return Vec::new();
        }
        let n = self.idf_docs();
        let max_share = self.config.name_max_share;
        v.iter()
            .copied()
            .filter(|(t, _)| counts.title_names.binary_search(t).is_ok())
            .filter(|&(t, _)| max_share >= 1.0 || self.df.get(t) as f32 / n <= max_share)
            .collect()
    }

    /// Whether an article's names and numbers (`names`, a unit vector) are compatible with a
    /// story's (`story_names`, see DESIGN.md, section 2).
    pub(super) fn names_agree(
        &self,
        story: &LiveStory,
        story_names: &SparseSum,
        names: &[(Term, f32)],
    ) -> bool {
        self.names_agree_by(story, names.len(), || story_names.dot(names))
    }

    /// [`Clusterer::names_agree`] for an article with `names` names and numbers, whose dot
    /// product with the story's is `dot` (computed only when needed).
    fn names_agree_by(&self, story: &LiveStory, names: usize, dot: impl FnOnce() -> f32) -> bool {
        let c = &self.config;
        if c.name_floor <= 0.0
            || names < c.name_min.max(1)
            || story.names_len() < c.name_min.max(1)
            || story.names_norm2 <= 0.0
        {
            return true;
        }
        dot() / story.names_norm2.sqrt() >= c.name_floor
    }

    /// The warm stories worth a full similarity for an article's vector: those its strongest
    /// terms reach through the index, the best [`ClusterConfig::max_candidates`] by the query
    /// weight that reached them.
    ///
    /// [`ClusterConfig::max_candidates`]: super::ClusterConfig::max_candidates
    /// Each comes with the share of the query's weight that reached it. A story of another
    /// language than the article's (`language`, when both are known) is none.
    pub(super) fn candidates(
        &self,
        v: &[(Term, f32)],
        language: Option<Language>,
        at: Option<Timestamp>,
    ) -> Vec<(StoryIdx, f32)> {
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
            let open = self.stories.get(s).is_some_and(|slot| {
                !self.is_cold_span(slot.span, at) && super::languages_agree(slot.language, language)
            });
            if open {
                candidates.push((s, x));
            }
        }
        drop(scratch);
        let max = self.config.max_candidates;
        if max > 0 && candidates.len() > max {
            candidates.select_nth_unstable_by(max, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            candidates.truncate(max);
        }
        candidates.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let total: f32 = query.iter().map(|&(_, w)| w).sum();
        if total > 0.0 {
            candidates.iter_mut().for_each(|(_, x)| *x /= total);
        }
        candidates
    }

    /// Every candidate story of an article with its features for the learned decision
    /// ([`super::model`]): `v` is the article's vector, `names` its names and numbers,
    /// `counts` its terms. One feature is the verdict of the hand-set rules (see
    /// [`Clusterer::clears`]).
    pub(super) fn candidate_features(
        &self,
        v: &[(Term, f32)],
        names: &[(Term, f32)],
        counts: &TermCounts,
        at: Option<Timestamp>,
    ) -> Vec<(StoryIdx, Features)> {
        let name_min = self.config.name_min.max(1);
        let long = self.is_long(v);
        let checked = self.name_checked(counts, names);
        // A story whose names and numbers the article's contradict (the name floor) is no
        // candidate for the model either: who, where and how many tell events of one kind apart,
        // and the labeled sets hold too few such pairs (earnings briefs of different companies,
        // say) for a model to learn it.
        let mut rules: Option<Choice> = None;
        let lead: Vec<(Term, f32)> = v
            .iter()
            .copied()
            .filter(|(t, _)| counts.lead.binary_search(t).is_ok())
            .collect();
        let lead_weight: f32 = lead.iter().map(|(_, w)| w * w).sum();
        let title_names = if long {
            Vec::new()
        } else {
            self.title_names(v, counts)
        };
        let title_names_weight: f32 = title_names.iter().map(|(_, w)| w * w).sum();
        let (stories, mut measured): (Vec<StoryIdx>, Vec<Measured>) = self
            .candidates(v, counts.language, at)
            .into_iter()
            .filter_map(|(s, reached)| {
                let story = self.live(s).expect("candidates are live");
                self.with_vectors(story, |centroid, story_names| {
                    let (names_dot, names_shared) = story_names.dot_and_shared(names);
                    if !self.names_agree_by(story, checked.len(), || names_dot) {
                        return None;
                    }
                    // A short article whose title names someone the story barely mentions is
                    // not of its story, however alike the rest: what tells a dividend notice,
                    // a results brief or a bond issue from the next company's is the company.
                    if !title_names.is_empty()
                        && centroid.held_squares(&title_names)
                            <= self.config.title_names_held * title_names_weight
                    {
                        return None;
                    }
                    let dot = centroid.dot(v);
                    let (centroid_cosine, member_cosine) = if story.norm2 > 0.0 {
                        (dot / story.norm2.sqrt(), dot / story.members.max(1) as f32)
                    } else {
                        (0.0, 0.0)
                    };
                    // What `similarity` gives, from the one dot product.
                    let sim = if long { member_cosine } else { centroid_cosine };
                    let gap = at.zip(story.last).map(|(t, last)| t - last);
                    Choice::offer(&mut rules, s, self.recency(story, at, sim, long), gap);
                    let comparable = names.len() >= name_min
                        && story.names_len() >= name_min
                        && story.names_norm2 > 0.0;
                    Some((
                        s,
                        Measured {
                            centroid: centroid_cosine,
                            member: member_cosine,
                            names: comparable.then(|| names_dot / story.names_norm2.sqrt()),
                            members: story.members,
                            gap,
                            names_covered: names_shared as f32 / names.len().max(1) as f32,
                            reached,
                            rules_join: false,
                            lead_held: if lead_weight > 0.0 {
                                centroid.held_squares(&lead) / lead_weight
                            } else {
                                0.0
                            },
                        },
                    ))
                })
            })
            .unzip();
        if let Some(c) = rules {
            let i = stories.iter().position(|&s| s == c.story).expect("offered");
            measured[i].rules_join = self.clears(&c, self.threshold_for(counts), long);
        }
        let shape = ArticleShape {
            terms: v.len(),
            short_terms: self.config.short_terms,
            window_secs: self.config.window_secs,
            quiet_secs: self.config.quiet_secs,
        };
        stories
            .into_iter()
            .zip(features(shape, &measured))
            .collect()
    }

    pub(super) fn best_story_named(
        &self,
        v: &[(Term, f32)],
        names: &[(Term, f32)],
        language: Option<Language>,
        at: Option<Timestamp>,
    ) -> Option<Choice> {
        let candidates = self.candidates(v, language, at);
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
            Choice::offer(
                &mut best,
                s,
                sim,
                at.zip(story.last).map(|(t, last)| t - last),
            );
        }
        best
    }

    /// Whether the best candidate is similar enough for an article (`long`: see
    /// [`Clusterer::is_long`]) to join: above the threshold, inside the
    /// margin zone clearly ahead of the runner-up, and inside the quiet zone, if the story has
    /// gone quiet, without a rival (see DESIGN.md, section 2).
    pub(super) fn clears(&self, c: &Choice, threshold: f32, long: bool) -> bool {
        let config = &self.config;
        let quiet = matches!((c.gap, config.quiet_secs), (Some(gap), Some(q)) if gap > q);
        let contested = long && quiet && c.runner_up > 0.0;
        c.similarity >= threshold
            && (c.similarity >= threshold * config.margin_zone
                || c.similarity - c.runner_up >= config.margin)
            && (c.similarity >= threshold * config.quiet_zone || !contested)
    }
}
