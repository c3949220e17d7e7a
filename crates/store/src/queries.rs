//! Reads: story lists, one story with its articles, articles and their clean texts, copies.

use crate::{Result, Store, StoreError};
use rusqlite::OptionalExtension;
use samestory_engine::Timestamp;
use serde::Serialize;

/// A story, one line of `samestory stories`.
#[derive(Clone, Debug, Serialize)]
pub struct StorySummary {
    pub id: String,
    pub size: u64,
    pub outlets: u64,
    pub copies: u64,
    pub first: Option<Timestamp>,
    pub last: Option<Timestamp>,
    pub headline: String,
}

impl StorySummary {
    /// Reads a summary from a row whose first columns are `id, size, first, last, headline,
    /// outlets, copies` of `stories`.
    pub fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StorySummary> {
        Ok(StorySummary {
            id: r.get(0)?,
            size: r.get::<_, i64>(1)? as u64,
            first: r.get(2)?,
            last: r.get(3)?,
            headline: r.get(4)?,
            outlets: r.get::<_, i64>(5)? as u64,
            copies: r.get::<_, i64>(6)? as u64,
        })
    }
}

/// A stored article without its texts.
#[derive(Clone, Debug, Serialize)]
pub struct ArticleRow {
    pub id: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<Timestamp>,
    pub story: String,
    /// The id of its original when the article is a copy.
    pub copy_of: Option<String>,
    pub copy_jaccard: Option<f32>,
    pub copy_exact: bool,
    pub words: u64,
}

/// A stored article with its texts and removals.
#[derive(Clone, Debug, Serialize)]
pub struct ArticleFull {
    #[serde(flatten)]
    pub row: ArticleRow,
    pub text: String,
    pub clean_text: String,
    pub removals: Vec<StoredRemoval>,
    pub meta: serde_json::Value,
}

#[derive(Clone, Debug, Serialize)]
pub struct StoredRemoval {
    pub start: usize,
    pub end: usize,
    pub reason: String,
    pub text: String,
}

/// A copy and its original, one line of `samestory copies`.
#[derive(Clone, Debug, Serialize)]
pub struct CopyRow {
    pub id: String,
    pub original: String,
    pub jaccard: f32,
    pub exact: bool,
    pub story: String,
}

impl Store {
    /// Stories, largest first (then newest), at most `limit`.
    pub fn stories(&self, limit: usize) -> Result<Vec<StorySummary>> {
        let mut st = self.conn.prepare(
            "SELECT s.id, s.size, s.first, s.last, s.headline, s.outlets, s.copies
             FROM stories s ORDER BY s.size DESC, s.last DESC, s.idx LIMIT ?1",
        )?;
        let rows = st.query_map([limit as i64], StorySummary::from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn article_rows(&self, where_sql: &str, arg: &dyn rusqlite::ToSql) -> Result<Vec<ArticleRow>> {
        let sql = format!(
            "SELECT a.id, a.url, a.title, a.source, a.published, s.id, o.id, a.copy_jaccard, a.copy_exact, a.words
             FROM articles a JOIN stories s ON s.idx = a.story JOIN articles o ON o.idx = a.original
             WHERE {where_sql} ORDER BY COALESCE(a.published, 0), a.idx"
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map([arg], |r| {
            let id: String = r.get(0)?;
            let original: String = r.get(6)?;
            Ok(ArticleRow {
                copy_of: (original != id).then_some(original),
                id,
                url: r.get(1)?,
                title: r.get(2)?,
                source: r.get(3)?,
                published: r.get(4)?,
                story: r.get(5)?,
                copy_jaccard: r.get(7)?,
                copy_exact: r.get::<_, Option<bool>>(8)?.unwrap_or(false),
                words: r.get::<_, i64>(9)? as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One story and its articles (in publication order).
    pub fn story(&self, id: &str) -> Result<(StorySummary, Vec<ArticleRow>)> {
        let summary = self
            .conn
            .query_row(
                "SELECT idx, id, size, first, last, headline FROM stories WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        StorySummary {
                            id: r.get(1)?,
                            size: r.get::<_, i64>(2)? as u64,
                            first: r.get(3)?,
                            last: r.get(4)?,
                            headline: r.get(5)?,
                            outlets: 0,
                            copies: 0,
                        },
                    ))
                },
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("story {id}")))?;
        let (idx, mut summary) = summary;
        let articles = self.article_rows("a.story = ?1", &idx)?;
        let mut outlets: Vec<&str> = articles
            .iter()
            .map(|a| a.source.as_deref().unwrap_or(&a.id))
            .collect();
        outlets.sort_unstable();
        outlets.dedup();
        summary.outlets = outlets.len() as u64;
        summary.copies = articles.iter().filter(|a| a.copy_of.is_some()).count() as u64;
        Ok((summary, articles))
    }

    /// One story and its articles with their texts (in publication order): [`Store::story`] plus
    /// what [`Store::article`] gives for each article, in four queries whatever the story's size.
    pub fn story_full(&self, id: &str) -> Result<(StorySummary, Vec<ArticleFull>)> {
        let (summary, rows) = self.story(id)?;
        let mut texts: std::collections::HashMap<String, (i64, String, Option<String>)> =
            std::collections::HashMap::with_capacity(rows.len());
        let mut st = self.conn.prepare_cached(
            "SELECT a.idx, a.id, a.text, a.meta FROM articles a
             WHERE a.story = (SELECT idx FROM stories WHERE id = ?1)",
        )?;
        let mut q = st.query([id])?;
        while let Some(r) = q.next()? {
            texts.insert(r.get(1)?, (r.get(0)?, r.get(2)?, r.get(3)?));
        }
        let mut removals: std::collections::HashMap<i64, Vec<StoredRemoval>> =
            std::collections::HashMap::new();
        let mut st = self.conn.prepare_cached(
            "SELECT r.article, r.start, r.end, r.reason, r.text FROM removals r
             JOIN articles a ON a.idx = r.article
             WHERE a.story = (SELECT idx FROM stories WHERE id = ?1) ORDER BY r.article, r.start",
        )?;
        let mut q = st.query([id])?;
        while let Some(r) = q.next()? {
            removals.entry(r.get(0)?).or_default().push(StoredRemoval {
                start: r.get::<_, i64>(1)? as usize,
                end: r.get::<_, i64>(2)? as usize,
                reason: r.get(3)?,
                text: r.get(4)?,
            });
        }
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            // Within one read transaction the article is there; outside one it may have been
            // written between the queries, and is then left for the next read.
            let Some((idx, text, meta)) = texts.remove(&row.id) else {
                continue;
            };
            let removals = removals.remove(&idx).unwrap_or_default();
            let clean_text = cut(&text, &removals);
            let meta = meta
                .and_then(|m| serde_json::from_str(&m).ok())
                .unwrap_or(serde_json::Value::Null);
            out.push(ArticleFull {
                row,
                text,
                clean_text,
                removals,
                meta,
            });
        }
        Ok((summary, out))
    }

    /// One article with its texts.
    pub fn article(&self, id: &str) -> Result<ArticleFull> {
        let row = self
            .article_rows("a.id = ?1", &id)?
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::NotFound(format!("article {id}")))?;
        let (idx, text, meta): (i64, String, Option<String>) = self.conn.query_row(
            "SELECT idx, text, meta FROM articles WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let removals = self.removals(idx)?;
        let clean_text = cut(&text, &removals);
        let meta = meta
            .and_then(|m| serde_json::from_str(&m).ok())
            .unwrap_or(serde_json::Value::Null);
        Ok(ArticleFull {
            row,
            text,
            clean_text,
            removals,
            meta,
        })
    }

    fn removals(&self, idx: i64) -> Result<Vec<StoredRemoval>> {
        let mut st = self.conn.prepare_cached(
            "SELECT start, end, reason, text FROM removals WHERE article = ?1 ORDER BY start",
        )?;
        let removals = st
            .query_map([idx], |r| {
                Ok(StoredRemoval {
                    start: r.get::<_, i64>(0)? as usize,
                    end: r.get::<_, i64>(1)? as usize,
                    reason: r.get(2)?,
                    text: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(removals)
    }

    /// The clean text of a stored article: its text with the removals cut out (the clean text is
    /// not stored twice).
    pub fn clean_text(&self, id: &str) -> Result<String> {
        let (idx, text): (i64, String) = self
            .conn
            .query_row("SELECT idx, text FROM articles WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("article {id}")))?;
        Ok(cut(&text, &self.removals(idx)?))
    }

    /// Every copy with its original, most similar first.
    pub fn copies(&self, limit: usize) -> Result<Vec<CopyRow>> {
        let mut st = self.conn.prepare(
            "SELECT a.id, o.id, a.copy_jaccard, a.copy_exact, s.id FROM articles a
             JOIN articles o ON o.idx = a.original JOIN stories s ON s.idx = a.story
             WHERE a.original != a.idx ORDER BY o.idx, a.idx LIMIT ?1",
        )?;
        let rows = st.query_map([limit as i64], |r| {
            Ok(CopyRow {
                id: r.get(0)?,
                original: r.get(1)?,
                jaccard: r.get::<_, Option<f32>>(2)?.unwrap_or(1.0),
                exact: r.get::<_, Option<bool>>(3)?.unwrap_or(false),
                story: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The story id and document index of every article, in ingest order.
    pub fn assignments(&self) -> Result<Vec<(String, String)>> {
        let mut st = self.conn.prepare(
            "SELECT a.id, s.id FROM articles a JOIN stories s ON s.idx = a.story ORDER BY a.idx",
        )?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// `text` without the removed ranges (sorted, not overlapping), as cleaning made it.
fn cut(text: &str, removals: &[StoredRemoval]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for r in removals {
        if r.start > pos && r.start <= text.len() {
            out.push_str(&text[pos..r.start]);
        }
        pos = pos.max(r.end.min(text.len()));
    }
    out.push_str(&text[pos..]);
    out
}
