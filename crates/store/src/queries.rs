//! Reads: story lists, one story with its articles, articles and their clean texts, copies.

use crate::{Result, Store, StoreError};
use rusqlite::types::Value as Sql;
use rusqlite::OptionalExtension;
use samestory_engine::{DocIdx, Timestamp};
use serde::Serialize;

/// A story, one line of `samestory stories`.
#[derive(Clone, Debug, Serialize)]
pub struct StorySummary {
    /// The story's id.
    pub id: String,
    /// How many articles it has.
    pub size: u64,
    /// How many outlets its articles come from: names differing only in case are one outlet, and
    /// the articles without a source are one (`unknown`).
    pub outlets: u64,
    /// How many of its articles are copies.
    pub copies: u64,
    /// When its first article was published.
    pub first: Option<Timestamp>,
    /// When its newest article was published.
    pub last: Option<Timestamp>,
    /// Its representative headline (the title the most outlets ran, then the most central; see
    /// `headlines.rs`) when read by [`Store::story_list`], [`Store::window_stories`],
    /// [`Store::stories`] or [`Store::story`]; else the title of the article that started it (or
    /// that article's first words), as stored.
    pub headline: String,
}

impl StorySummary {
    /// Reads a summary from a row whose first columns are `id, size, first, last, headline,
    /// outlets, copies` of `stories`.
    fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StorySummary> {
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

/// What a stored article was sent as, beside its document index: enough to tell a true re-ingest
/// of a record from a different record under the same id.
#[derive(Clone, Debug)]
pub struct StoredIdentity {
    /// Its document index.
    pub doc: DocIdx,
    /// Its text as sent.
    pub text: String,
    /// Its outlet.
    pub source: Option<String>,
    /// Its date as stored: the record's, else one found in its text.
    pub published: Option<Timestamp>,
}

/// A stored article without its texts.
#[derive(Clone, Debug, Serialize)]
pub struct ArticleRow {
    /// The article's id.
    pub id: String,
    /// Its URL, when the input gave one.
    pub url: Option<String>,
    /// Its title, when the input gave one.
    pub title: Option<String>,
    /// Its outlet, when the input gave one.
    pub source: Option<String>,
    /// Its publication time.
    pub published: Option<Timestamp>,
    /// The id of its story.
    pub story: String,
    /// The id of its original when the article is a copy.
    pub copy_of: Option<String>,
    /// The estimated Jaccard similarity to its original, when it is a near copy.
    pub copy_jaccard: Option<f32>,
    /// Whether it is an exact copy of its original.
    pub copy_exact: bool,
    /// How many words its clean text has.
    pub words: u64,
    /// The similarity to its story with which the article joined it (the story's first article:
    /// the engine's own figure for a story it started).
    pub story_similarity: Option<f32>,
    /// Its language (ISO 639 code): the one its input named, else the one its text reads as;
    /// `None` when neither says.
    pub language: Option<String>,
}

/// A stored article with its texts and removals.
#[derive(Clone, Debug, Serialize)]
pub struct ArticleFull {
    /// What the article's row says.
    #[serde(flatten)]
    pub row: ArticleRow,
    /// The text as read.
    pub text: String,
    /// The text with the removals cut out.
    pub clean_text: String,
    /// What cleaning removed, in text order.
    pub removals: Vec<StoredRemoval>,
    /// The input's fields samestory does not interpret (JSON null when there were none).
    pub meta: serde_json::Value,
}

/// A range cleaning removed from an article's text.
#[derive(Clone, Debug, Serialize)]
pub struct StoredRemoval {
    /// Where it starts: a byte offset into the text as read.
    pub start: usize,
    /// Where it ends (exclusive).
    pub end: usize,
    /// Why it was removed (a cleaning stage's reason, e.g. `dateline`).
    pub reason: String,
    /// The removed text, trimmed.
    pub text: String,
}

/// A copy and its original, one line of `samestory copies`.
#[derive(Clone, Debug, Serialize)]
pub struct CopyRow {
    /// The copy's id.
    pub id: String,
    /// The id of its family's original.
    pub original: String,
    /// The estimated Jaccard similarity to the original (1 for an exact copy).
    pub jaccard: f32,
    /// Whether it is an exact copy.
    pub exact: bool,
    /// The id of the copy's story.
    pub story: String,
    /// The copy's outlet, when the input gave one.
    pub source: Option<String>,
    /// When the copy was published.
    pub published: Option<Timestamp>,
    /// The copy's title, when the input gave one.
    pub title: Option<String>,
    /// The original's outlet, when the input gave one.
    pub original_source: Option<String>,
    /// When the original was published.
    pub original_published: Option<Timestamp>,
}

/// The order of a story list ([`Store::story_list`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StoryOrder {
    /// Most recently updated first (by the newest article; an undated story last), then the
    /// newest story first.
    #[default]
    Newest,
    /// Most articles first, then as [`StoryOrder::Newest`].
    Largest,
}

/// A story's place in the order of a story list: a page starts after the key of the last story
/// of the page before it (keyset pagination: a page stays right while new articles arrive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoryListKey {
    /// The story's size (compared only in [`StoryOrder::Largest`]).
    pub size: i64,
    /// The time of its newest article, -1 when it has none.
    pub last: i64,
    /// The story's index (the order in which stories were made).
    pub idx: i64,
}

/// What a story list takes ([`Store::story_list`]): filters (each `None` takes every story),
/// an order, where the page starts and how many stories it holds.
#[derive(Clone, Debug, Default)]
pub struct StoryListQuery<'a> {
    /// Stories whose newest article is at or after this time.
    pub since: Option<Timestamp>,
    /// Stories whose first article is at or before this time.
    pub until: Option<Timestamp>,
    /// Words every one of which an article of the story has in its title or clean text (see
    /// [`fts_query`]); with no word in it, no filter.
    pub words: Option<&'a str>,
    /// Stories with an article from this outlet (its source, compared case-insensitively;
    /// `unknown`: an article without a source).
    pub outlet: Option<&'a str>,
    /// Stories with articles from at least this many outlets.
    pub min_outlets: Option<u64>,
    /// Stories with an article in this language (an ISO 639 code, as stored).
    pub language: Option<&'a str>,
    /// The order of the list.
    pub order: StoryOrder,
    /// Only the stories after this one in the order (the key of the last story of the page before).
    pub after: Option<StoryListKey>,
    /// The most stories returned.
    pub limit: usize,
}

/// One story of a story list, with its place in the list's order.
#[derive(Clone, Debug)]
pub struct ListedStory {
    /// The story.
    pub summary: StorySummary,
    /// Where the next page starts when this story ends a page.
    pub key: StoryListKey,
}

/// What a window of the front page asks for ([`Store::window_stories`]).
#[derive(Clone, Debug, Default)]
pub struct WindowQuery<'a> {
    /// The window's first second.
    pub from: Timestamp,
    /// The second after the window.
    pub until: Timestamp,
    /// From this time on, an article counts as recent (growth).
    pub recent_from: Timestamp,
    /// Stories with an article in the window from this outlet (case-insensitive; `unknown`: an
    /// article without a source).
    pub outlet: Option<&'a str>,
    /// Stories with articles from at least this many outlets in the window.
    pub min_outlets: Option<u64>,
    /// The order of the list.
    pub order: WindowOrder,
    /// Stories skipped (the pages before).
    pub offset: usize,
    /// The most stories returned.
    pub limit: usize,
}

/// The order of a window's stories.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WindowOrder {
    /// Most outlets in the window first, then most articles in it, then the newest.
    #[default]
    Outlets,
    /// Most recent articles first (then as `Outlets`): the stories developing now.
    Growth,
}

/// A story of a window, with what it had in the window.
#[derive(Clone, Debug, Serialize)]
pub struct WindowStory {
    /// The story (all of it, not only the window).
    pub story: StorySummary,
    /// Its articles in the window.
    pub articles: u64,
    /// The outlets of those articles (counted as the story's own `outlets`).
    pub outlets: u64,
    /// Its articles at or after the window's `recent_from`.
    pub recent: u64,
}

/// A user's search words as an FTS5 query: every word must occur. Words are cut as
/// [`search_words`] cuts them and each is quoted, so FTS5 syntax in the input is taken literally
/// and no phrase (which the index, built without positions, cannot answer) is ever asked for.
/// `None` when there is no word.
pub fn fts_query(q: &str) -> Option<String> {
    let words = search_words(q);
    (!words.is_empty()).then(|| {
        let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
        quoted.join(" ")
    })
}

/// The distinct words of a search, in order of first use: a word repeated adds nothing to an
/// all-words query but its cost, so it is asked for once. An ASCII search is cut at anything not a
/// letter or digit; any other is cut as the index's words were
/// ([`samestory_engine::text::for_each_word`]: a Chinese or Thai word as its character bigrams,
/// Arabic letter variants folded), then where the index's tokenizer cuts: at `_` and at any
/// character that is not a letter, number, mark or private-use character (a folded word may hold
/// one: `½` folds to `1⁄2`), so that no quoted word is two tokens, a phrase, which an index without
/// positions refuses. English stop words are left out, as the index leaves them out
/// ([`samestory_engine::text::distinct_words`]): "the bridge" searches for "bridge".
pub fn search_words(q: &str) -> Vec<String> {
    let mut seen = rustc_hash::FxHashSet::default();
    let mut out = Vec::new();
    let mut add = |w: &str| {
        if !w.is_empty()
            && !samestory_engine::text::stopwords::is_stopword(&w.to_ascii_lowercase())
            && seen.insert(w.to_owned())
        {
            out.push(w.to_owned());
        }
    };
    if q.is_ascii() {
        q.split(|c: char| !c.is_alphanumeric()).for_each(&mut add);
    } else {
        let token_char = |c: char| {
            c != '_'
                && (c.is_alphanumeric()
                    || unicode_normalization::char::is_combining_mark(c)
                    || matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{10FFFD}'))
        };
        samestory_engine::text::for_each_word(q, |_, w| {
            w.split(|c: char| !token_char(c)).for_each(&mut add)
        });
    }
    out
}

/// How many outlets these sources are, counted as the stories' `outlets` column is (schema 8):
/// names differing only in case are one, and every missing source together is one.
pub fn count_outlets<'a>(sources: impl Iterator<Item = Option<&'a str>>) -> u64 {
    let mut names: Vec<Option<String>> = sources.map(|s| s.map(str::to_ascii_lowercase)).collect();
    names.sort_unstable();
    names.dedup();
    names.len() as u64
}

/// The story's own columns only: the outlet and copy counts are kept on the story (schema 3), so
/// a page costs an index range scan and no per-story count.
const SUMMARY_COLUMNS: &str =
    "s.id, s.size, s.first, s.last, s.headline, s.outlets, s.copies, s.idx";

/// A story of a list from a row of [`SUMMARY_COLUMNS`].
fn listed_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ListedStory> {
    let summary = StorySummary::from_row(r)?;
    let key = StoryListKey {
        size: summary.size as i64,
        last: summary.last.unwrap_or(-1),
        idx: r.get(7)?,
    };
    Ok(ListedStory { summary, key })
}

impl Store {
    /// The stories matching `q`, in its order, at most `q.limit` of them, after `q.after`. The
    /// list reads the outlet and copy counts kept on each story and walks the index of its order,
    /// so a page costs the same however many stories there are.
    pub fn story_list(&self, q: &StoryListQuery<'_>) -> Result<Vec<ListedStory>> {
        // An outlet no article is from: no story, without walking every story to find none
        // (`outlets` is kept at write time, schema 14).
        if let Some(o) = q.outlet {
            if !self.outlet_known(o)? {
                return Ok(Vec::new());
            }
        }
        let mut wh: Vec<&str> = Vec::new();
        let mut args: Vec<Sql> = Vec::new();
        let mut arg = |wh: &mut Vec<&str>, clause: &'static str, v: Sql| {
            wh.push(clause);
            args.push(v);
        };
        if let Some(t) = q.since {
            arg(&mut wh, "s.last >= ?", Sql::Integer(t));
        }
        if let Some(t) = q.until {
            arg(&mut wh, "s.first <= ?", Sql::Integer(t));
        }
        if let Some(words) = q.words.and_then(fts_query) {
            arg(
                &mut wh,
                "s.idx IN (SELECT a.story FROM articles_fts JOIN articles a ON a.idx = articles_fts.rowid
                           WHERE articles_fts MATCH ?)",
                Sql::Text(words),
            );
        }
        if let Some(o) = q.outlet {
            arg(
                &mut wh,
                "EXISTS (SELECT 1 FROM articles a WHERE a.story = s.idx AND COALESCE(a.source, 'unknown') = ? COLLATE NOCASE)",
                Sql::Text(o.to_owned()),
            );
        }
        if let Some(n) = q.min_outlets {
            arg(&mut wh, "s.outlets >= ?", Sql::Integer(n as i64));
        }
        if let Some(l) = q.language {
            arg(
                &mut wh,
                "EXISTS (SELECT 1 FROM articles a WHERE a.story = s.idx AND a.language = ?)",
                Sql::Text(l.to_owned()),
            );
        }
        let order = match q.order {
            StoryOrder::Newest => "COALESCE(s.last, -1) DESC, s.idx DESC",
            StoryOrder::Largest => "s.size DESC, COALESCE(s.last, -1) DESC, s.idx DESC",
        };
        if let Some(key) = q.after {
            match q.order {
                StoryOrder::Newest => {
                    wh.push(
                        "(COALESCE(s.last, -1) < ? OR (COALESCE(s.last, -1) = ? AND s.idx < ?))",
                    );
                    args.extend([key.last, key.last, key.idx].map(Sql::Integer));
                }
                StoryOrder::Largest => {
                    wh.push(
                        "(s.size < ? OR (s.size = ? AND (COALESCE(s.last, -1) < ?
                          OR (COALESCE(s.last, -1) = ? AND s.idx < ?))))",
                    );
                    args.extend(
                        [key.size, key.size, key.last, key.last, key.idx].map(Sql::Integer),
                    );
                }
            }
        }
        let where_sql = if wh.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", wh.join(" AND "))
        };
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM stories s {where_sql} ORDER BY {order} LIMIT {}",
            q.limit
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut rows: Vec<ListedStory> = st
            .query_map(rusqlite::params_from_iter(args), listed_row)?
            .collect::<rusqlite::Result<_>>()?;
        self.set_representative_headlines(rows.iter_mut().map(|r| &mut r.summary))?;
        Ok(rows)
    }

    /// Whether an article is from outlet `name` (in any case; `unknown`: no source).
    fn outlet_known(&self, name: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM outlets WHERE name = ?1")?
            .exists([name])?)
    }

    /// The stories with an article in the window `q.from..q.until`, with their articles, outlets
    /// and recent articles in it, in `q.order`. Reads the articles of the window through the index
    /// on publication time, so the cost follows the window's articles, not the database's.
    pub fn window_stories(&self, q: &WindowQuery<'_>) -> Result<Vec<WindowStory>> {
        let mut having = vec!["1"];
        let mut args: Vec<Sql> = vec![
            Sql::Integer(q.recent_from),
            Sql::Integer(q.from),
            Sql::Integer(q.until),
        ];
        if let Some(o) = q.outlet {
            having.push("SUM(COALESCE(a.source, 'unknown') = ? COLLATE NOCASE) > 0");
            args.push(Sql::Text(o.to_owned()));
        }
        if let Some(n) = q.min_outlets {
            having.push("win_outlets >= ?");
            args.push(Sql::Integer(n as i64));
        }
        let order = match q.order {
            WindowOrder::Outlets => "win_outlets DESC, win_articles DESC, s.last DESC, s.idx DESC",
            WindowOrder::Growth => {
                "recent DESC, win_outlets DESC, win_articles DESC, s.last DESC, s.idx DESC"
            }
        };
        let growth_only = if q.order == WindowOrder::Growth {
            " AND recent > 0"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, COUNT(*) AS win_articles,
                    COUNT(DISTINCT a.source COLLATE NOCASE) + MAX(a.source IS NULL) AS win_outlets,
                    SUM(a.published >= ?) AS recent
             FROM articles a JOIN stories s ON s.idx = a.story
             WHERE a.published >= ? AND a.published < ?
             GROUP BY a.story HAVING {}{growth_only}
             ORDER BY {order} LIMIT {} OFFSET {}",
            having.join(" AND "),
            q.limit,
            q.offset
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(args), |r| {
            Ok(WindowStory {
                story: StorySummary::from_row(r)?,
                articles: r.get::<_, i64>(8)? as u64,
                outlets: r.get::<_, i64>(9)? as u64,
                recent: r.get::<_, i64>(10)? as u64,
            })
        })?;
        let mut rows: Vec<WindowStory> = rows.collect::<rusqlite::Result<_>>()?;
        self.set_representative_headlines(rows.iter_mut().map(|r| &mut r.story))?;
        Ok(rows)
    }

    /// For each of `stories` (ids) with an article matching the search `words` ([`fts_query`]),
    /// the id of its first such article (by ingest order): where a search result's snippet comes
    /// from. Stories without a match are left out.
    pub fn search_hits(&self, words: &str, stories: &[&str]) -> Result<Vec<(String, String)>> {
        let Some(fts) = fts_query(words) else {
            return Ok(Vec::new());
        };
        if stories.is_empty() {
            return Ok(Vec::new());
        }
        let marks = vec!["?"; stories.len()].join(", ");
        let sql = format!(
            "SELECT s.id, MIN(a.idx)
             FROM articles_fts JOIN articles a ON a.idx = articles_fts.rowid
             JOIN stories s ON s.idx = a.story
             WHERE articles_fts MATCH ? AND s.id IN ({marks}) GROUP BY s.id"
        );
        let mut args = vec![Sql::Text(fts)];
        args.extend(stories.iter().map(|s| Sql::Text((*s).to_owned())));
        let mut st = self.conn.prepare(&sql)?;
        let rows = st
            .query_map(rusqlite::params_from_iter(args), |r| {
                Ok((r.get::<_, String>(0)?, DocIdx::from_raw(r.get(1)?)))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (story, doc) in rows {
            if let Some(id) = self.article_id(doc)? {
                out.push((story, id));
            }
        }
        Ok(out)
    }

    /// The first and the newest publication time of any article; `None` when none is dated.
    pub fn article_time_range(&self) -> Result<Option<(Timestamp, Timestamp)>> {
        let (first, last): (Option<Timestamp>, Option<Timestamp>) = self.conn.query_row(
            "SELECT MIN(published), MAX(published) FROM articles",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(first.zip(last))
    }

    /// The stories with an article in `[from, until)` (their first article before `until`, their
    /// newest at or after `from`), largest first (then newest), at most `limit`.
    pub fn stories_between(
        &self,
        from: Timestamp,
        until: Timestamp,
        limit: usize,
    ) -> Result<Vec<StorySummary>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM stories s WHERE s.first < ?1 AND s.last >= ?2
             ORDER BY s.size DESC, s.last DESC LIMIT {limit}"
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map([until, from], |r| Ok(listed_row(r)?.summary))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The time of the newest article of any story, only among those before `before` when given;
    /// `None` when there is no such (dated) article.
    pub fn latest_story_time(&self, before: Option<Timestamp>) -> Result<Option<Timestamp>> {
        Ok(match before {
            Some(t) => {
                self.conn
                    .query_row("SELECT MAX(last) FROM stories WHERE last < ?1", [t], |r| {
                        r.get(0)
                    })?
            }
            None => self
                .conn
                .query_row("SELECT MAX(last) FROM stories", [], |r| r.get(0))?,
        })
    }

    /// Calls `f` with the id of every story, in the order the stories were made (by index).
    /// Streams: the ids are not all held at once.
    pub fn each_story_id<E: From<StoreError>>(
        &self,
        mut f: impl FnMut(String) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut st = self
            .conn
            .prepare("SELECT id FROM stories ORDER BY idx")
            .map_err(StoreError::from)?;
        let ids = st
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(StoreError::from)?;
        for id in ids {
            f(id.map_err(StoreError::from)?)?;
        }
        Ok(())
    }

    /// The id of the story of the stored document `doc`; `None` when no such document is stored.
    pub fn story_id_of_doc(&self, doc: DocIdx) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT s.id FROM articles a JOIN stories s ON s.idx = a.story WHERE a.idx = ?1",
            )?
            .query_row([doc.raw()], |r| r.get(0))
            .optional()?)
    }

    /// The id of the stored document `doc`; `None` when no such document is stored.
    pub fn article_id(&self, doc: DocIdx) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM articles WHERE idx = ?1")?
            .query_row([doc.raw()], |r| r.get(0))
            .optional()?)
    }

    /// The document index of the stored article `id`; `None` when no such article is stored.
    pub fn article_doc(&self, id: &str) -> Result<Option<DocIdx>> {
        Ok(self
            .conn
            .prepare_cached("SELECT idx FROM articles WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?
            .map(DocIdx::from_raw))
    }

    /// The document index of the stored article `id` with what tells a re-send from a conflict:
    /// its text, source and date. `None` when no such article is stored.
    pub fn article_identity(&self, id: &str) -> Result<Option<StoredIdentity>> {
        Ok(self
            .conn
            .prepare_cached("SELECT idx, text, source, published FROM articles WHERE id = ?1")?
            .query_row([id], |r| {
                Ok(StoredIdentity {
                    doc: DocIdx::from_raw(r.get(0)?),
                    text: r.get(1)?,
                    source: r.get(2)?,
                    published: r.get(3)?,
                })
            })
            .optional()?)
    }

    /// Stories, largest first (then newest), at most `limit`.
    pub fn stories(&self, limit: usize) -> Result<Vec<StorySummary>> {
        let mut st = self.conn.prepare(
            "SELECT s.id, s.size, s.first, s.last, s.headline, s.outlets, s.copies
             FROM stories s ORDER BY s.size DESC, s.last DESC, s.idx LIMIT ?1",
        )?;
        let mut rows: Vec<StorySummary> = st
            .query_map([limit as i64], StorySummary::from_row)?
            .collect::<rusqlite::Result<_>>()?;
        self.set_representative_headlines(rows.iter_mut())?;
        Ok(rows)
    }

    fn article_rows(&self, where_sql: &str, arg: &dyn rusqlite::ToSql) -> Result<Vec<ArticleRow>> {
        let sql = format!(
            "SELECT a.id, a.url, a.title, a.source, a.published, s.id, o.id, a.copy_jaccard, a.copy_exact, a.words,
                    a.story_similarity, a.language
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
                story_similarity: r.get(10)?,
                language: r.get(11)?,
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
        summary.outlets = count_outlets(articles.iter().map(|a| a.source.as_deref()));
        summary.copies = articles.iter().filter(|a| a.copy_of.is_some()).count() as u64;
        self.set_representative_headlines([&mut summary])?;
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
            "SELECT a.id, o.id, a.copy_jaccard, a.copy_exact, s.id, a.source, a.published, a.title,
                    o.source, o.published
             FROM articles a
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
                source: r.get(5)?,
                published: r.get(6)?,
                title: r.get(7)?,
                original_source: r.get(8)?,
                original_published: r.get(9)?,
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
    cut_ranges(text, removals.iter().map(|r| (r.start, r.end)))
}

/// `text` without the ranges `(start, end)` (sorted, not overlapping).
pub(crate) fn cut_ranges(text: &str, ranges: impl Iterator<Item = (usize, usize)>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (start, end) in ranges {
        if start > pos && start <= text.len() {
            out.push_str(&text[pos..start]);
        }
        pos = pos.max(end.min(text.len()));
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{write_docs, Doc};

    /// Three stories: "quake" (two outlets, a copy, 1,000 to 2,000), "bridge" (one article at
    /// 5,000) and "undated" (one article without a date).
    fn three_stories() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        let doc = |id, source, published, text, story, original| Doc {
            id,
            source,
            title: None,
            published,
            text,
            story,
            original,
        };
        write_docs(
            &mut store,
            &[
                doc(
                    "q1",
                    Some("Wire"),
                    Some(1_000),
                    "quake hits the coast",
                    (0, "quake"),
                    0,
                ),
                doc(
                    "b1",
                    Some("Wire"),
                    Some(5_000),
                    "bridge opens over the river",
                    (1, "bridge"),
                    1,
                ),
            ],
        );
        write_docs(
            &mut store,
            &[
                doc(
                    "q2",
                    Some("Daily"),
                    Some(2_000),
                    "quake hits the coast",
                    (0, "quake"),
                    0,
                ),
                doc("u1", None, None, "no date at all", (2, "undated"), 3),
            ],
        );
        store
    }

    fn ids(list: &[ListedStory]) -> Vec<&str> {
        list.iter().map(|s| s.summary.id.as_str()).collect()
    }

    fn query(order: StoryOrder) -> StoryListQuery<'static> {
        StoryListQuery {
            order,
            limit: 10,
            ..StoryListQuery::default()
        }
    }

    #[test]
    fn outlets_differing_in_case_are_one_and_missing_sources_are_one_unknown() {
        let mut store = Store::open_in_memory().unwrap();
        let doc = |id, source| Doc {
            id,
            source,
            title: None,
            published: Some(1_000),
            text: "quake hits the coast",
            story: (0, "quake"),
            original: 0,
        };
        write_docs(
            &mut store,
            &[
                doc("r1", Some("Reuters")),
                doc("r2", Some("REUTERS")),
                doc("n1", None),
                doc("n2", None),
                doc("d1", Some("Daily")),
            ],
        );
        // Reuters, unknown, Daily: kept on the story as written, and counted again when read.
        let listed = store.story_list(&query(StoryOrder::Newest)).unwrap();
        assert_eq!(listed[0].summary.outlets, 3);
        assert_eq!(store.story("quake").unwrap().0.outlets, 3);
        let sources = [Some("a"), Some("A"), None, None, Some("b")];
        assert_eq!(count_outlets(sources.into_iter()), 3);
        assert_eq!(count_outlets([Some("a")].into_iter()), 1);
    }

    /// Issue 24: the outlet `unknown` of the lists and pages could not be filtered on.
    #[test]
    fn the_outlet_unknown_filters_the_stories_without_a_source() {
        let mut store = Store::open_in_memory().unwrap();
        let doc = |id, source, story| Doc {
            id,
            source,
            title: None,
            published: Some(1_000),
            text: "quake hits the coast",
            story,
            original: if story.0 == 0 { 0 } else { 1 },
        };
        write_docs(
            &mut store,
            &[
                doc("n1", None, (0, "sourceless")),
                doc("d1", Some("Daily"), (1, "daily")),
            ],
        );
        for (outlet, expected) in [
            ("unknown", &["sourceless"][..]),
            ("Unknown", &["sourceless"]),
            ("DAILY", &["daily"]),
            ("Nobody", &[]),
        ] {
            let listed = store
                .story_list(&StoryListQuery {
                    outlet: Some(outlet),
                    ..query(StoryOrder::Newest)
                })
                .unwrap();
            assert_eq!(ids(&listed), expected, "{outlet}");
        }
        let window = store
            .window_stories(&WindowQuery {
                from: 0,
                until: 2_000,
                outlet: Some("unknown"),
                limit: 10,
                ..WindowQuery::default()
            })
            .unwrap();
        let found: Vec<&str> = window.iter().map(|w| w.story.id.as_str()).collect();
        assert_eq!(found, ["sourceless"]);
    }

    #[test]
    fn the_story_list_is_in_its_order_with_keys_and_counts() {
        let store = three_stories();
        let newest = store.story_list(&query(StoryOrder::Newest)).unwrap();
        assert_eq!(ids(&newest), ["bridge", "quake", "undated"]);
        let quake = &newest[1];
        assert_eq!(
            (
                quake.summary.size,
                quake.summary.outlets,
                quake.summary.copies
            ),
            (2, 2, 1)
        );
        assert_eq!(
            (quake.summary.first, quake.summary.last),
            (Some(1_000), Some(2_000))
        );
        assert_eq!(
            quake.key,
            StoryListKey {
                size: 2,
                last: 2_000,
                idx: 0
            }
        );
        assert_eq!(newest[2].key.last, -1, "an undated story sorts as -1");
        let largest = store.story_list(&query(StoryOrder::Largest)).unwrap();
        assert_eq!(ids(&largest), ["quake", "bridge", "undated"]);
    }

    #[test]
    fn a_story_list_pages_by_key() {
        let store = three_stories();
        for order in [StoryOrder::Newest, StoryOrder::Largest] {
            let whole = store.story_list(&query(order)).unwrap();
            let mut paged = Vec::new();
            let mut after = None;
            loop {
                let page = store
                    .story_list(&StoryListQuery {
                        limit: 1,
                        after,
                        ..query(order)
                    })
                    .unwrap();
                let Some(last) = page.last() else { break };
                after = Some(last.key);
                paged.extend(page);
            }
            assert_eq!(ids(&paged), ids(&whole), "{order:?}");
        }
    }

    #[test]
    fn a_story_list_filters() {
        let store = three_stories();
        let list = |q: StoryListQuery<'_>| ids(&store.story_list(&q).unwrap()).join(",");
        let all = query(StoryOrder::Newest);
        assert_eq!(
            list(StoryListQuery {
                since: Some(2_000),
                ..all.clone()
            }),
            "bridge,quake"
        );
        assert_eq!(
            list(StoryListQuery {
                until: Some(1_000),
                ..all.clone()
            }),
            "quake"
        );
        assert_eq!(
            list(StoryListQuery {
                words: Some("RIVER bridge"),
                ..all.clone()
            }),
            "bridge"
        );
        assert_eq!(
            list(StoryListQuery {
                words: Some("river quake"),
                ..all.clone()
            }),
            "",
            "every word must occur"
        );
        assert_eq!(
            list(StoryListQuery {
                words: Some(" -- "),
                ..all.clone()
            }),
            "bridge,quake,undated",
            "no word, no filter"
        );
        assert_eq!(
            list(StoryListQuery {
                outlet: Some("daily"),
                ..all.clone()
            }),
            "quake"
        );
        assert_eq!(
            list(StoryListQuery {
                min_outlets: Some(2),
                ..all.clone()
            }),
            "quake"
        );
        assert_eq!(list(StoryListQuery { limit: 2, ..all }), "bridge,quake");
    }

    #[test]
    fn stories_by_time() {
        let store = three_stories();
        let between = |from, until| -> Vec<String> {
            let list = store.stories_between(from, until, 10).unwrap();
            list.into_iter().map(|s| s.id).collect()
        };
        assert_eq!(between(1_500, 2_500), ["quake"]);
        assert_eq!(between(0, 10_000), ["quake", "bridge"]);
        assert_eq!(store.stories_between(0, 10_000, 1).unwrap().len(), 1);
        assert!(
            between(2_001, 5_000).is_empty(),
            "ends before, starts at the end"
        );
        assert_eq!(store.latest_story_time(None).unwrap(), Some(5_000));
        assert_eq!(store.latest_story_time(Some(5_000)).unwrap(), Some(2_000));
        assert_eq!(store.latest_story_time(Some(2_000)).unwrap(), None);
    }

    #[test]
    fn articles_and_stories_by_index_and_id() {
        let store = three_stories();
        let mut stories = Vec::new();
        store
            .each_story_id(|id| -> Result<()> {
                stories.push(id);
                Ok(())
            })
            .unwrap();
        assert_eq!(stories, ["quake", "bridge", "undated"]);
        let stop = store.each_story_id(|_| Err(StoreError::NotFound("stop".into())));
        assert!(matches!(stop, Err(StoreError::NotFound(_))), "{stop:?}");
        // Document indexes follow the batches: q1, b1, then q2, u1.
        assert_eq!(
            store.article_id(DocIdx::from_raw(2)).unwrap().as_deref(),
            Some("q2")
        );
        assert_eq!(store.article_id(DocIdx::from_raw(4)).unwrap(), None);
        assert_eq!(store.article_doc("u1").unwrap(), Some(DocIdx::from_raw(3)));
        assert_eq!(store.article_doc("nope").unwrap(), None);
        assert_eq!(
            store
                .story_id_of_doc(DocIdx::from_raw(1))
                .unwrap()
                .as_deref(),
            Some("bridge")
        );
        assert_eq!(
            store
                .story_id_of_doc(DocIdx::from_raw(2))
                .unwrap()
                .as_deref(),
            Some("quake")
        );
        assert_eq!(store.story_id_of_doc(DocIdx::from_raw(9)).unwrap(), None);
    }

    #[test]
    fn search_words_are_quoted_for_fts5() {
        assert_eq!(
            fts_query("bank \"rate-cut"),
            Some("\"bank\" \"rate\" \"cut\"".into())
        );
        assert_eq!(fts_query("  "), None);
        assert_eq!(
            fts_query(&"bank ".repeat(3000)).as_deref(),
            Some("\"bank\""),
            "a repeated word is asked for once"
        );
        assert_eq!(search_words("rate, bank rate cut"), ["rate", "bank", "cut"]);
        assert_eq!(
            search_words("The rate of the BANK"),
            ["rate", "BANK"],
            "stop words are not indexed, so not searched for"
        );
        assert_eq!(fts_query("who was there"), None);
        assert_eq!(search_words("国家统计局"), ["国家", "家统", "统计", "计局"]);
        assert_eq!(
            search_words("东京 東京電力"),
            ["东京", "東京", "京電", "電力"]
        );
        assert_eq!(search_words("ธนาคาร"), ["ธน", "นา", "าค", "คา", "าร"]);
        assert_eq!(search_words("Банк России, банк"), ["банк", "россии"]);
        assert_eq!(search_words("الْبَنْك x_b"), ["البنك", "x", "b"]);
        assert_eq!(
            search_words("a_b"),
            ["b"],
            "a stop word cut out of a word too"
        );
        assert_eq!(
            fts_query("国家统计局").as_deref(),
            Some("\"国家\" \"家统\" \"统计\" \"计局\"")
        );
    }
}
