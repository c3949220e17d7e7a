//! # samestory-store
//!
//! Embedded storage for samestory: one SQLite file (WAL mode) behind one [`Store`] type.
//!
//! It keeps every article (raw and clean text, removals, signature), the copy families and stories,
//! and the clusterer's state (document frequencies, live story centroids), so that an ingest can
//! stop at any point and a later one continues exactly where the last committed batch ended.
//! Writes go in batches ([`Store::write_batch`]), each one transaction: a killed process loses at
//! most the batch it was writing, never half of it.
//!
//! The schema is versioned ([`SCHEMA_VERSION`]); [`Store::open`] applies the migrations a file
//! needs, in order, and refuses files written by a newer samestory.

mod schema;

use rusqlite::{params, Connection, OptionalExtension};
use samestory_engine::analysis::{analyze_story, DocText, StoryAnalysis};
use samestory_engine::clean::Removal;
use samestory_engine::cluster::{RevivalSpan, StoryState, Term};
use samestory_engine::dedup::DocIdx;
use samestory_engine::fingerprint::Signature;
use samestory_engine::pipeline::{Config, Engine, KnownDoc};
use samestory_engine::{Article, Timestamp};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub use schema::SCHEMA_VERSION;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error(
        "the database was written by a newer samestory (schema {found}, this one knows {known})"
    )]
    SchemaTooNew { found: u32, known: u32 },
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    #[error("not found: {0}")]
    NotFound(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// One new article with what the engine made of it, ready to be written.
pub struct NewArticle<'a> {
    pub article: &'a Article,
    pub doc: DocIdx,
    pub published: Option<Timestamp>,
    pub clean_text: &'a str,
    /// What the full-text index takes for the text: its distinct normalized words (the index
    /// keeps no positions, so nothing is lost).
    pub search_words: &'a str,
    pub removals: &'a [Removal],
    pub words: usize,
    pub exact_hash: u64,
    pub signature: &'a Signature,
    pub story: u32,
    /// The story's external id when this article created it.
    pub new_story_id: Option<String>,
    pub story_similarity: f32,
    pub original: DocIdx,
    pub copy_jaccard: Option<f32>,
    pub copy_exact: bool,
    /// Earlier documents whose original is now this one.
    pub repointed: &'a [DocIdx],
}

/// The engine state a batch changed: story centroids and document frequencies.
#[derive(Default)]
pub struct EngineDelta {
    pub stories: Vec<(u32, StoryState)>,
    pub df: Vec<(Term, u32)>,
    pub df_docs: u32,
}

impl EngineDelta {
    /// Takes what changed in the engine since the last call.
    pub fn take(engine: &mut Engine) -> EngineDelta {
        let stories = engine.clusterer_mut().take_dirty();
        let (df, df_docs) = engine.clusterer_mut().take_dirty_df();
        EngineDelta {
            stories,
            df,
            df_docs,
        }
    }
}

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

/// One article of an analysed story; its position is the `doc` number the analysis uses.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AnalysisDoc {
    pub id: String,
    pub outlet: String,
    pub title: Option<String>,
    pub published: Option<Timestamp>,
    pub copy_of: Option<String>,
}

/// A story's analysis (shared passages, quotes, unique sentences, brief). Spans are byte spans
/// into each article's `clean_text`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoryAnalysisView {
    pub story: String,
    pub docs: Vec<AnalysisDoc>,
    /// True when the story has more articles than [`MAX_ANALYSED`] and only the first were analysed.
    pub truncated: bool,
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

pub struct Store {
    conn: Connection,
    /// Opened with [`Store::open_read_only`]: never writes (not even the analysis cache).
    read_only: bool,
    /// Document frequencies in `df_log`, not yet folded into `df`.
    df_logged: usize,
}

/// How many document frequencies `df_log` holds before [`Store::write_batch`] folds it into `df`
/// (24 MiB of log). Folding rewrites each term once however many batches changed it; the log
/// costs a restart one sequential read.
const DF_FOLD_ENTRIES: usize = 1 << 21;

/// (term, count) pairs as a `df_log` blob, in the order of `df` (terms as SQL integers).
fn df_blob(terms: impl Iterator<Item = (Term, u32)>) -> Vec<u8> {
    let mut pairs: Vec<(Term, u32)> = terms.collect();
    pairs.sort_unstable_by_key(|&(t, _)| term_to_sql(t));
    pairs_blob(pairs.into_iter().map(|(t, n)| (t, n.to_le_bytes())))
}

/// The counts in `df_log`, later entries winning, in the order of `df`.
fn read_df_log(conn: &Connection) -> Result<Vec<(Term, u32)>> {
    read_df_log_where(conn, |_| true)
}

/// [`read_df_log`] for the terms `wanted` takes (as SQL integers).
fn read_df_log_where(conn: &Connection, wanted: impl Fn(i64) -> bool) -> Result<Vec<(Term, u32)>> {
    let mut latest: rustc_hash::FxHashMap<Term, u32> = rustc_hash::FxHashMap::default();
    let mut st = conn.prepare_cached("SELECT terms FROM df_log ORDER BY seq")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let blob = r.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?;
        for (t, n) in blob_pairs(blob, "document frequency log")? {
            if wanted(term_to_sql(t)) {
                latest.insert(t, u32::from_le_bytes(n));
            }
        }
    }
    let mut out: Vec<(Term, u32)> = latest.into_iter().collect();
    out.sort_unstable_by_key(|&(t, _)| term_to_sql(t));
    Ok(out)
}

/// Two lists of counts in the order of `df` merged into one, `newer`'s count winning.
fn merge_counts(older: Vec<(Term, u32)>, newer: Vec<(Term, u32)>) -> Vec<(Term, u32)> {
    let mut out = Vec::with_capacity(older.len() + newer.len());
    let mut newer = newer.into_iter().peekable();
    for (t, n) in older {
        while let Some(&(nt, nn)) = newer.peek() {
            if term_to_sql(nt) >= term_to_sql(t) {
                break;
            }
            out.push((nt, nn));
            newer.next();
        }
        match newer.peek() {
            Some(&(nt, nn)) if nt == t => {
                out.push((nt, nn));
                newer.next();
            }
            _ => out.push((t, n)),
        }
    }
    out.extend(newer);
    out
}

/// [`fold_df_log`] makes a pass over the log for each value of a term's top bits, this many: eight
/// passes, each for an eighth of the terms.
const FOLD_PASS_BITS: u32 = 3;

/// Moves the counts of `df_log` into `df` (in term order; a count of 0, a term the clusterer
/// forgot, deletes its row) and empties the log. A pass for each
/// range of terms: the latest count of every logged term at once took a map of up to 2M terms, a
/// spike of tens of MiB at every fold that was most of `ingest`'s peak.
fn fold_df_log(conn: &Connection) -> Result<()> {
    let mut up = conn.prepare_cached("INSERT OR REPLACE INTO df (term, n) VALUES (?1, ?2)")?;
    let mut forget = conn.prepare_cached("DELETE FROM df WHERE term = ?1")?;
    // The top bits of a term as an SQL integer (signed, from -4 to 3 for three bits): ranges in
    // the order of `df`.
    let half = 1i64 << (FOLD_PASS_BITS - 1);
    for part in -half..half {
        for (t, n) in read_df_log_where(conn, |t| t >> (64 - FOLD_PASS_BITS) == part)? {
            if n == 0 {
                forget.execute(params![term_to_sql(t)])?;
            } else {
                up.execute(params![term_to_sql(t), n])?;
            }
        }
    }
    conn.execute("DELETE FROM df_log", [])?;
    Ok(())
}

fn term_to_sql(t: Term) -> i64 {
    t as i64
}

/// Terms with a 4-byte value as 12-byte little-endian records: the format of story centroids and
/// of the document-frequency log.
fn pairs_blob(pairs: impl ExactSizeIterator<Item = (Term, [u8; 4])>) -> Vec<u8> {
    let mut out = Vec::with_capacity(pairs.len() * 12);
    for (t, v) in pairs {
        out.extend_from_slice(&t.to_le_bytes());
        out.extend_from_slice(&v);
    }
    out
}

/// The records of [`pairs_blob`]; `what` names the blob in the error when it is cut short.
fn blob_pairs<'a>(
    blob: &'a [u8],
    what: &str,
) -> Result<impl Iterator<Item = (Term, [u8; 4])> + 'a> {
    if !blob.len().is_multiple_of(12) {
        return Err(StoreError::Corrupt(what.into()));
    }
    Ok(blob.chunks_exact(12).map(|c| {
        let t = u64::from_le_bytes(c[..8].try_into().expect("8 bytes"));
        (t, c[8..].try_into().expect("4 bytes"))
    }))
}

fn state_blob(state: &StoryState) -> Vec<u8> {
    pairs_blob(state.centroid.iter().map(|&(t, w)| (t, w.to_le_bytes())))
}

/// The saved state of a story from the columns `size, first, last, state` of a row, from column
/// `at` on; `None` when it has no state.
fn story_state_at(r: &rusqlite::Row<'_>, at: usize) -> Result<Option<StoryState>> {
    let Some(blob) = r
        .get_ref(at + 3)?
        .as_blob_or_null()
        .map_err(rusqlite::Error::from)?
    else {
        return Ok(None);
    };
    Ok(Some(StoryState {
        centroid: blob_state(blob)?,
        size: r.get::<_, i64>(at)? as u32,
        first: r.get(at + 1)?,
        last: r.get(at + 2)?,
    }))
}

fn blob_state(blob: &[u8]) -> Result<Vec<(Term, f32)>> {
    Ok(blob_pairs(blob, "story centroid blob")?
        .map(|(t, w)| (t, f32::from_le_bytes(w)))
        .collect())
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let conn = Connection::open(path)?;
        Self::init(conn)
    }

    /// Opens an existing database for reading only (`SQLITE_OPEN_READ_ONLY`, `query_only`), without
    /// migrating it: for readers beside a writer that opened it with [`Store::open`] (WAL lets them
    /// read while it writes). Refuses a schema other than this build's.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Store> {
        use rusqlite::OpenFlags;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )?;
        conn.pragma_update(None, "query_only", "ON")?;
        conn.pragma_update(None, "cache_size", -16_384)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::SchemaTooNew {
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        if version < SCHEMA_VERSION {
            return Err(StoreError::Corrupt(format!(
                "schema {version} needs migrating to {SCHEMA_VERSION}: open it for writing first"
            )));
        }
        Ok(Store {
            conn,
            read_only: true,
            df_logged: 0,
        })
    }

    pub fn open_in_memory() -> Result<Store> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Store> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "cache_size", -65_536)?;
        // Checkpoint every ~40 MB of WAL instead of 4 MB: story and index pages rewritten by
        // consecutive batches then reach the database file once.
        conn.pragma_update(None, "wal_autocheckpoint", 10_000)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let mut store = Store {
            conn,
            read_only: false,
            df_logged: 0,
        };
        schema::migrate(&mut store.conn)?;
        store.df_logged = store.conn.query_row(
            "SELECT COALESCE(SUM(length(terms)), 0) / 12 FROM df_log",
            [],
            |r| r.get::<_, i64>(0),
        )? as usize;
        Ok(store)
    }

    /// The raw connection, for read-only queries the store does not offer yet.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The engine configuration this database was created with, if any.
    pub fn config(&self) -> Result<Option<Config>> {
        let v: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'config'", [], |r| {
                r.get(0)
            })
            .optional()?;
        v.map(|s| serde_json::from_str(&s).map_err(|e| StoreError::Corrupt(format!("config: {e}"))))
            .transpose()
    }

    pub fn set_config(&self, config: &Config) -> Result<()> {
        let json = serde_json::to_string(config).expect("config serializes");
        self.conn.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('config', ?1)",
            [json],
        )?;
        Ok(())
    }

    pub fn article_count(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get::<_, i64>(0))?
            as u64)
    }

    pub fn story_count(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM stories", [], |r| r.get::<_, i64>(0))?
            as u64)
    }

    pub fn contains(&self, id: &str) -> Result<bool> {
        let mut st = self
            .conn
            .prepare_cached("SELECT 1 FROM articles WHERE id = ?1")?;
        Ok(st.exists([id])?)
    }

    /// The stored document frequencies (in the order of `df`: terms as SQL integers) and the number of documents they count.
    pub fn document_frequencies(&self) -> Result<(Vec<(Term, u32)>, u32)> {
        let mut st = self.conn.prepare("SELECT term, n FROM df")?;
        let mut df = st
            .query_map([], |r| {
                Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u32))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let logged = read_df_log(&self.conn)?;
        if !logged.is_empty() {
            df = merge_counts(df, logged);
            // Terms forgotten since the last fold (see `fold_df_log`).
            df.retain(|&(_, n)| n > 0);
        }
        let docs: u32 = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'df_docs'", [], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
            .map_or(Ok(0), |s| {
                s.parse().map_err(|_| StoreError::Corrupt("df_docs".into()))
            })?;
        Ok((df, docs))
    }

    /// Rebuilds an engine from everything stored.
    pub fn load_engine(&self, config: Config) -> Result<Engine> {
        let mut engine = Engine::new(config);
        let mut st = self.conn.prepare(
            "SELECT idx, exact_hash, signature, published, original, story FROM articles ORDER BY idx",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let idx: i64 = r.get(0)?;
            if idx as usize != engine.doc_count() {
                return Err(StoreError::Corrupt(format!(
                    "article index {idx} out of sequence"
                )));
            }
            let blob: Vec<u8> = r.get(2)?;
            let signature = Signature::from_bytes(&blob)
                .ok_or_else(|| StoreError::Corrupt("signature".into()))?;
            engine.restore_doc(KnownDoc {
                exact_hash: r.get::<_, i64>(1)? as u64,
                signature,
                published: r.get(3)?,
                original: r.get::<_, i64>(4)? as DocIdx,
                story: r.get::<_, i64>(5)? as u32,
            });
        }
        let (df, doc_count) = self.document_frequencies()?;
        // Stories that went cold before the newest one's last article are evicted right after
        // restoring (`evict_cold`): their state is not read at all.
        let latest: Option<i64> = self.conn.query_row(
            "SELECT MAX(last) FROM stories WHERE state IS NOT NULL",
            [],
            |r| r.get(0),
        )?;
        let warm_from = match (config.cluster.window_secs, latest) {
            (Some(w), Some(l)) => l.saturating_sub(w),
            _ => i64::MIN,
        };
        let mut st = self.conn.prepare(
            "SELECT idx, size, first, last, CASE WHEN last IS NULL OR last >= ?1 THEN state END
             FROM stories ORDER BY idx",
        )?;
        let mut stories: Vec<Option<StoryState>> = Vec::new();
        let mut rows = st.query([warm_from])?;
        while let Some(r) = rows.next()? {
            let idx = r.get::<_, i64>(0)? as usize;
            stories.resize(idx, None);
            stories.push(story_state_at(r, 1)?);
        }
        engine.restore_clusterer(df, doc_count, stories);
        engine.clusterer_mut().evict_cold();
        Ok(engine)
    }

    /// The stories a late article could join (see
    /// [`samestory_engine::cluster::Clusterer::revival_span`]), by index: the ones whose newest
    /// article is in the span's range and whose first is not after its end.
    pub fn stories_in_revival_span(&self, span: RevivalSpan) -> Result<Vec<u32>> {
        let mut st = self.conn.prepare_cached(
            "SELECT idx FROM stories INDEXED BY stories_last_first
             WHERE last >= ?1 AND last < ?2 AND first <= ?3",
        )?;
        let rows = st.query_map(
            (span.newest_from, span.newest_before, span.first_until),
            |r| r.get::<_, i64>(0),
        )?;
        rows.map(|r| Ok(r? as u32)).collect()
    }

    /// A story's saved state, if it has one.
    pub fn story_state(&self, idx: u32) -> Result<Option<StoryState>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT size, first, last, state FROM stories WHERE idx = ?1")?;
        let mut rows = st.query([idx])?;
        match rows.next()? {
            Some(r) => story_state_at(r, 0),
            None => Ok(None),
        }
    }

    /// Writes a batch of new articles and the engine state they changed, in one transaction.
    pub fn write_batch(&mut self, batch: &[NewArticle<'_>], state: &EngineDelta) -> Result<()> {
        let mut logged = self.df_logged;
        let tx = self.conn.transaction()?;
        {
            let mut ins = tx.prepare_cached(
                "INSERT INTO articles (idx, id, url, title, source, published, text, meta, words,
                    exact_hash, signature, story, story_similarity, original, copy_jaccard, copy_exact)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            )?;
            let mut rem = tx.prepare_cached(
                "INSERT INTO removals (article, start, end, reason, text) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            let mut new_story = tx.prepare_cached(
                "INSERT INTO stories (idx, id, size, first, last, headline) VALUES (?1, ?2, 0, NULL, NULL, ?3)",
            )?;
            let mut repoint =
                tx.prepare_cached("UPDATE articles SET original = ?1 WHERE idx = ?2")?;
            let mut fts = tx.prepare_cached(
                "INSERT INTO articles_fts (rowid, title, text) VALUES (?1, ?2, ?3)",
            )?;
            let mut story_of = tx.prepare_cached("SELECT story FROM articles WHERE idx = ?1")?;
            let mut touched: Vec<i64> = Vec::with_capacity(batch.len());
            for a in batch {
                let art = a.article;
                if let Some(id) = &a.new_story_id {
                    let headline = art
                        .title
                        .clone()
                        .unwrap_or_else(|| first_words(a.clean_text, 14));
                    new_story.execute(params![a.story, id, headline])?;
                }
                let meta = if art.meta.is_empty() {
                    None
                } else {
                    Some(serde_json::Value::Object(art.meta.clone()).to_string())
                };
                ins.execute(params![
                    a.doc,
                    art.id,
                    art.url,
                    art.title,
                    art.source,
                    a.published,
                    art.text,
                    meta,
                    a.words as i64,
                    a.exact_hash as i64,
                    a.signature.to_bytes(),
                    a.story,
                    a.story_similarity,
                    a.original,
                    a.copy_jaccard,
                    a.copy_exact,
                ])?;
                fts.execute(params![
                    a.doc,
                    art.title.as_deref().unwrap_or(""),
                    a.search_words
                ])?;
                for r in a.removals {
                    rem.execute(params![
                        a.doc,
                        r.span.start as i64,
                        r.span.end as i64,
                        r.reason.as_str(),
                        r.text
                    ])?;
                }
                touched.push(i64::from(a.story));
                for &m in a.repointed {
                    repoint.execute(params![a.doc, m])?;
                    // A repointed article may sit in another story, and may just have become a copy.
                    touched.push(story_of.query_row([m], |r| r.get(0))?);
                }
            }
            // The stories' outlet and copy counts, recounted for every story the batch touched.
            touched.sort_unstable();
            touched.dedup();
            let mut counts = tx.prepare_cached(
                "UPDATE stories SET
                    outlets = (SELECT COUNT(DISTINCT COALESCE(a.source, a.id)) FROM articles a WHERE a.story = ?1),
                    copies = (SELECT COUNT(*) FROM articles a WHERE a.story = ?1 AND a.original != a.idx)
                 WHERE idx = ?1",
            )?;
            for s in &touched {
                counts.execute([s])?;
            }
            let mut upd = tx.prepare_cached(
                "UPDATE stories SET size = ?2, first = ?3, last = ?4, state = ?5 WHERE idx = ?1",
            )?;
            for (idx, story) in &state.stories {
                upd.execute(params![
                    idx,
                    story.size,
                    story.first,
                    story.last,
                    state_blob(story)
                ])?;
            }
            let (terms, docs) = (&state.df, state.df_docs);
            if !terms.is_empty() {
                tx.prepare_cached("INSERT INTO df_log (terms) VALUES (?1)")?
                    .execute([df_blob(terms.iter().copied())])?;
                logged += terms.len();
                if logged >= DF_FOLD_ENTRIES {
                    fold_df_log(&tx)?;
                    logged = 0;
                }
            }
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('df_docs', ?1)",
                [docs.to_string()],
            )?;
        }
        tx.commit()?;
        self.df_logged = logged;
        Ok(())
    }

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

fn first_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().take(n + 1).collect();
    let mut s = words[..words.len().min(n)].join(" ");
    if words.len() > n {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delta(df: &[(Term, u32)], docs: u32) -> EngineDelta {
        EngineDelta {
            df: df.to_vec(),
            df_docs: docs,
            ..EngineDelta::default()
        }
    }

    /// The counts read back are `df` with the log applied in order, whether or not the log has
    /// been folded, and folding empties the log; a count of 0 (a forgotten term) leaves no row.
    #[test]
    fn document_frequencies_read_through_the_log_and_after_folding() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .write_batch(&[], &delta(&[(5, 1), (2, 1)], 1))
            .unwrap();
        fold_df_log(&store.conn).unwrap();
        store
            .write_batch(&[], &delta(&[(9, 1), (2, 2), (u64::MAX, 1)], 2))
            .unwrap();
        store
            .write_batch(&[], &delta(&[(1, 1), (2, 3), (5, 0), (7, 1)], 3))
            .unwrap();
        store.write_batch(&[], &delta(&[(7, 0)], 3)).unwrap();
        // Terms are ordered as SQL integers: u64::MAX is -1.
        let expected = vec![(u64::MAX, 1), (1, 1), (2, 3), (9, 1)];
        assert_eq!(store.document_frequencies().unwrap(), (expected.clone(), 3));
        fold_df_log(&store.conn).unwrap();
        let logged: i64 = store
            .conn
            .query_row("SELECT COUNT(*) FROM df_log", [], |r| r.get(0))
            .unwrap();
        assert_eq!(logged, 0);
        assert_eq!(store.document_frequencies().unwrap(), (expected, 3));
        let rows: i64 = store
            .conn
            .query_row("SELECT COUNT(*) FROM df", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 4, "forgotten terms leave no row");
    }

    #[test]
    fn merging_counts_keeps_term_order_and_the_newer_count() {
        let older = vec![(u64::MAX - 1, 1), (1, 1), (3, 1), (5, 1)];
        let newer = vec![(u64::MAX, 7), (0, 7), (3, 7), (6, 7)];
        assert_eq!(
            merge_counts(older, newer),
            vec![
                (u64::MAX - 1, 1),
                (u64::MAX, 7),
                (0, 7),
                (1, 1),
                (3, 7),
                (5, 1),
                (6, 7)
            ]
        );
    }
}
