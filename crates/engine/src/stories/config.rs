//! The clusterer's configuration: every knob with its default. What each one does, and why it
//! has the value it has, is in `DESIGN.md` (section 2).

use serde::{Deserialize, Serialize};

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
    /// runner-up by [`ClusterConfig::margin`] (see DESIGN.md, section 2).
    pub margin_zone: f32,
    /// How far the best story must lead the runner-up inside the margin zone.
    pub margin: f32,
    /// A story whose newest article is more than this older than a long article is quiet: below
    /// [`ClusterConfig::quiet_zone`] times its threshold the article joins it only if no other
    /// story is in reach (see DESIGN.md, section 2). `None`: off.
    pub quiet_secs: Option<i64>,
    /// Up to this multiple of its threshold, a long article joins a quiet story only alone.
    pub quiet_zone: f32,
    /// Articles per generation of remembered lines: a line not seen for two generations is
    /// forgotten (see DESIGN.md, section 2).
    pub line_generation_docs: u32,
    /// A name or number held by more than this share of documents (with the background, see
    /// [`ClusterConfig::prior_docs`]) is template, not a name: `Net`, `Shr`, `Qtr` in earnings
    /// briefs. It is left out of the name channel. 1: every name counts.
    pub name_max_share: f32,
    /// A title word whose background share ([`background_df`](super::background_df)) is below
    /// this is a name of the title (see [`super::TermCounts::title_names`]); the default, 0.001,
    /// is a word rarer than Zipf 3.4, the bar of common capitalised German nouns. 0: none.
    pub title_name_share: f32,
    /// A short article (fewer than [`ClusterConfig::short_terms`] distinct terms) joins no story
    /// whose centroid holds at most this share of its title names' squared weight: template
    /// news (dividend notices, results briefs) told apart by the company its title names.
    pub title_names_held: f32,
    /// Weight of each word of an article's url slug among its terms (see
    /// [`super::add_url_words`]); 0: the url is not read.
    pub url_weight: f32,
    /// How many documents the background word frequencies ([`background_df`](super::background_df)) weigh as in the
    /// IDF: a term's document frequency starts at this many documents times its background share,
    /// and the stream's own counts add to it. 0: no background.
    pub prior_docs: f32,
    /// The weights of the learned decision ([`super::model`], in the order of
    /// [`super::model::FEATURE_NAMES`]); `None`: the hand-set rules of the fields above decide
    /// (threshold, margin, quiet stories, name floor). Defaults to the shipped model. The
    /// weights of a model of fewer features, saved before the later features were measured, are
    /// read with the later ones weighing 0: the decisions it made when it was saved.
    #[serde(deserialize_with = "super::model::deserialize_weights")]
    pub model: Option<[f32; super::model::N_FEATURES]>,
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
            title_name_share: 0.001,
            title_names_held: 0.5,
            url_weight: 1.0,
            model: Some(super::model::StoryModel::builtin().weight_array()),
        }
    }
}
