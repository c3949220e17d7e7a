//! Ingest: articles through the engine into the store, in batches.
//!
//! A batch is prepared in parallel (cleaning, signatures, term counts: pure per-article work), then
//! decided in order by the engine, then written in one transaction. Articles whose id is already
//! stored are skipped, so re-running an ingest stores nothing new, and an ingest killed mid-batch
//! loses only that uncommitted batch: the next run reloads the engine from the store and takes the
//! batch again.

use rayon::prelude::*;
use rustc_hash::FxHashSet;
use samestory_engine::clean::Cleaner;
use samestory_engine::pipeline::{prepare, story_id, Config, Engine, Prepared};
use samestory_engine::Article;
use samestory_store::{NewArticle, Store};
use serde::Serialize;

/// What happened to one article.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    Stored {
        id: String,
        story: String,
        new_story: bool,
        copy_of: Option<String>,
        jaccard: Option<f32>,
    },
    AlreadyStored {
        id: String,
    },
}

/// Counts for the end-of-ingest summary.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    pub stored: u64,
    pub already_stored: u64,
    pub rejected: u64,
    pub warnings: u64,
    pub new_stories: u64,
    pub copies: u64,
    pub seconds: f64,
}

pub struct Ingester {
    store: Store,
    engine: Engine,
    cleaner: Cleaner,
    /// External ids by dense index, for naming originals and stories.
    doc_ids: Vec<String>,
    story_ids: Vec<String>,
}

impl Ingester {
    /// Opens the pipeline over a store. A store remembers the configuration it was created with;
    /// `config` applies only to a new store.
    pub fn open(store: Store, config: Config) -> anyhow::Result<Ingester> {
        let config = match store.config()? {
            Some(c) => c,
            None => {
                store.set_config(&config)?;
                config
            }
        };
        let engine = store.load_engine(config)?;
        let conn = store.connection();
        let doc_ids = conn
            .prepare("SELECT id FROM articles ORDER BY idx")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        let story_ids = conn
            .prepare("SELECT id FROM stories ORDER BY idx")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(Ingester {
            store,
            engine,
            cleaner: Cleaner::default(),
            doc_ids,
            story_ids,
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The engine configuration in force (the store's own, for an existing store).
    pub fn config(&self) -> &Config {
        self.engine.config()
    }

    /// Ingests one batch; returns an outcome per input article, in order.
    pub fn ingest(&mut self, articles: &[Article]) -> anyhow::Result<Vec<Outcome>> {
        let mut seen = FxHashSet::default();
        let mut fresh = Vec::with_capacity(articles.len());
        for (i, a) in articles.iter().enumerate() {
            if seen.insert(a.id.as_str()) && !self.store.contains(&a.id)? {
                fresh.push(i);
            }
        }
        let config = *self.engine.config();
        let prepared: Vec<Prepared> = fresh
            .par_iter()
            .map(|&i| prepare(&articles[i], &self.cleaner, &config))
            .collect();
        let mut outcomes: Vec<Option<Outcome>> = vec![None; articles.len()];
        let mut rows = Vec::with_capacity(fresh.len());
        let mut repointed = Vec::with_capacity(fresh.len());
        let mut decisions = Vec::with_capacity(fresh.len());
        for (&i, p) in fresh.iter().zip(&prepared) {
            let a = &articles[i];
            let o = self.engine.add(p);
            let new_story_id = o.story_created.then(|| story_id(&a.id));
            if let Some(id) = &new_story_id {
                debug_assert_eq!(self.story_ids.len(), o.story as usize);
                self.story_ids.push(id.clone());
            }
            self.doc_ids.push(a.id.clone());
            outcomes[i] = Some(Outcome::Stored {
                id: a.id.clone(),
                story: self.story_ids[o.story as usize].clone(),
                new_story: o.story_created,
                copy_of: o.copy_of.map(|c| self.doc_ids[c.original as usize].clone()),
                jaccard: o.copy_of.map(|c| c.jaccard),
            });
            repointed.push(o.repointed.clone());
            decisions.push((o, new_story_id));
        }
        for ((&i, p), ((o, new_story_id), rep)) in fresh
            .iter()
            .zip(&prepared)
            .zip(decisions.iter().zip(&repointed))
        {
            rows.push(NewArticle {
                article: &articles[i],
                doc: o.doc,
                published: p.published,
                clean_text: &p.cleaned.text,
                removals: &p.cleaned.removals,
                words: p.words,
                exact_hash: p.exact_hash,
                signature: &p.signature,
                story: o.story,
                new_story_id: new_story_id.clone(),
                story_similarity: o.story_similarity,
                original: o.copy_of.map_or(o.doc, |c| c.original),
                copy_jaccard: o.copy_of.map(|c| c.jaccard),
                copy_exact: o.copy_of.is_some_and(|c| c.exact),
                repointed: rep,
            });
        }
        self.store.write_batch(&rows, &mut self.engine)?;
        if self.engine.doc_count() % 4096 < rows.len() {
            self.engine.clusterer_mut().evict_cold();
        }
        Ok(outcomes
            .into_iter()
            .zip(articles)
            .map(|(o, a)| o.unwrap_or_else(|| Outcome::AlreadyStored { id: a.id.clone() }))
            .collect())
    }
}
