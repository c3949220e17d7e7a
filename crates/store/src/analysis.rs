//! A story's analysis, computed on demand from its articles' clean texts and cached in the
//! database on the story's member set.

use crate::{ArticleRow, Result, Store};
use rusqlite::{params, OptionalExtension};
use samestory_engine::analysis::{analyze_story, DocText, StoryAnalysis};
use samestory_engine::Timestamp;
use serde::{Deserialize, Serialize};

/// One article of an analysed story; its position is the `doc` number the analysis uses.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AnalysisDoc {
    /// The article's id.
    pub id: String,
    /// Its outlet: its source, else its id.
    pub outlet: String,
    /// Its title.
    pub title: Option<String>,
    /// Its publication time.
    pub published: Option<Timestamp>,
    /// The id of its original when it is a copy.
    pub copy_of: Option<String>,
}

/// A story's analysis (shared passages, quotes, unique sentences, brief). Spans are byte spans
/// into each article's `clean_text`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoryAnalysisView {
    /// The story's id.
    pub story: String,
    /// The articles analysed, in publication order.
    pub docs: Vec<AnalysisDoc>,
    /// True when the story has more articles than [`MAX_ANALYSED`] and only the first were analysed.
    pub truncated: bool,
    /// What the articles share and what each adds.
    #[serde(flatten)]
    pub analysis: StoryAnalysis,
}

/// The most articles of one story that an analysis takes (in publication order).
pub const MAX_ANALYSED: usize = 200;

impl StoryAnalysisView {
    /// The analysis of story `story` over `articles` (each with its clean text, in publication
    /// order), of which it takes the first [`MAX_ANALYSED`]. Pure: for callers that already hold
    /// the texts ([`Store::story_analysis`] reads them itself).
    pub fn compute<'a>(
        story: &str,
        articles: impl IntoIterator<Item = (&'a ArticleRow, &'a str)>,
    ) -> StoryAnalysisView {
        let mut docs = Vec::new();
        let mut texts = Vec::new();
        let mut truncated = false;
        for (a, text) in articles {
            if docs.len() == MAX_ANALYSED {
                truncated = true;
                break;
            }
            docs.push(AnalysisDoc {
                id: a.id.clone(),
                outlet: a.source.clone().unwrap_or_else(|| a.id.clone()),
                title: a.title.clone(),
                published: a.published,
                copy_of: a.copy_of.clone(),
            });
            texts.push(text);
        }
        let doc_texts: Vec<DocText<'_>> = texts
            .iter()
            .zip(&docs)
            .enumerate()
            .map(|(i, (t, d))| DocText {
                doc: i,
                outlet: d.outlet.clone(),
                text: t,
            })
            .collect();
        StoryAnalysisView {
            story: story.to_owned(),
            analysis: analyze_story(&doc_texts),
            docs,
            truncated,
        }
    }
}

impl Store {
    /// A story's analysis, computed on demand and cached on its member set (and the analysis
    /// [`VERSION`](samestory_engine::analysis::VERSION)): the cache answers until an article joins
    /// the story (or a copy is repointed), then the next call recomputes it.
    pub fn story_analysis(&self, id: &str) -> Result<StoryAnalysisView> {
        let (_, articles) = self.story(id)?;
        let idx: i64 = self
            .conn
            .query_row("SELECT idx FROM stories WHERE id = ?1", [id], |r| r.get(0))?;
        let truncated = articles.len() > MAX_ANALYSED;
        let articles = &articles[..articles.len().min(MAX_ANALYSED)];
        // The key holds the analysis version too: an analysis cached by an older engine is made
        // again rather than served in a shape or with decisions that changed since.
        let mut key = samestory_engine::analysis::VERSION.to_le_bytes().to_vec();
        for a in articles {
            key.extend_from_slice(a.id.as_bytes());
            key.push(0);
            key.extend_from_slice(a.copy_of.as_deref().unwrap_or("").as_bytes());
            key.push(0);
        }
        let members = samestory_engine::article::stable_hash(&key) as i64;
        let cached: Option<String> = self
            .conn
            .query_row(
                "SELECT json FROM analysis_cache WHERE story = ?1 AND members = ?2",
                params![idx, members],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(json) = cached {
            if let Ok(view) = serde_json::from_str(&json) {
                return Ok(view);
            }
        }
        let mut texts = Vec::with_capacity(articles.len());
        for a in articles {
            texts.push(self.clean_text(&a.id)?);
        }
        let mut view =
            StoryAnalysisView::compute(id, articles.iter().zip(texts.iter().map(String::as_str)));
        view.truncated = truncated;
        if !self.read_only {
            let json = serde_json::to_string(&view).expect("analysis serializes");
            // Best effort: a cache that cannot be written is only a cache.
            let _ = self.conn.execute(
                "INSERT OR REPLACE INTO analysis_cache (story, members, json) VALUES (?1, ?2, ?3)",
                params![idx, members, json],
            );
        }
        Ok(view)
    }
}
