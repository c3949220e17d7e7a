//! # samestory-store
//!
//! Where everything samestory decided lives, and how a restart continues: one SQLite file (WAL
//! mode) behind one [`Store`] type. No other crate writes SQL; the app asks the store.
//!
//! It keeps every article (raw text and removals — the clean text is the one cut from the other —
//! signature, story, original), the stories (with the clusterer's saved centroids) and the
//! clusterer's document frequencies, so that an ingest can stop at any point and a later one
//! continues exactly where the last committed batch ended.
//!
//! ## Map
//! - Opening ([`Store::open`], [`Store::open_read_only`], [`Store::open_in_memory`]) and the
//!   schema: versioned ([`SCHEMA_VERSION`]), migrated in order on open; a file written by a newer
//!   samestory is refused ([`StoreError::SchemaTooNew`]). (`schema.rs`)
//! - Writing ([`Store::write_batch`]): a batch of [`NewArticle`]s, what the engine decided for
//!   each, and the engine state the batch changed ([`EngineDelta`]) in one transaction: a killed
//!   process loses at most the batch it was writing, never half of it. (`write.rs`)
//! - The engine's state ([`Store::load_engine`] rebuilds an
//!   [`Engine`](samestory_engine::pipeline::Engine) exactly as it was after the last committed
//!   batch; [`Store::story_state`] and [`Store::stories_in_revival_span`] give back the cold
//!   stories a late article could join). (`engine_state.rs`)
//! - Reading ([`Store::story_list`], [`Store::story`], [`Store::article`], [`Store::copies`], …):
//!   typed rows ([`StorySummary`], [`ArticleRow`], [`ArticleFull`], [`CopyRow`]);
//!   [`Store::in_snapshot`] runs several reads on one snapshot. (`queries.rs`) Listed stories
//!   carry their representative headline, chosen at read time from their titles. (`headlines.rs`)
//! - Storylines ([`Store::storylines`], [`Store::storyline`], [`Store::storyline_place`]):
//!   stories that continue one another, linked in the write transaction as stories change.
//!   (`storylines.rs`)
//! - Across languages ([`Store::also_reported_in`]): stories in two languages about one event,
//!   linked by the names and numbers their reports share, in the write transaction as stories are
//!   made. (`across.rs`)
//! - Syndication ([`Store::copy_families`], [`Store::outlet`], [`Store::copies_between`]): who
//!   ran whose text, by copy family and by outlet. (`syndication.rs`)
//! - Checking ([`Store::check`], [`Soundness`]): SQLite's integrity check and the invariants
//!   kept between the tables, for tests and for a file that went through a crash. (`check.rs`)
//! - Watched feeds ([`Store::feed_state`], [`Store::feeds`], [`Store::feed_item_status`]): each
//!   feed's conditional-GET validators, schedule and counts, and each item handled, so that a
//!   restarted `samestory watch` neither fetches again nor misses. (`feeds.rs`)
//! - A story's analysis ([`Store::story_analysis`], [`StoryAnalysisView`]), computed on demand
//!   and cached on the story's member set. (`analysis.rs`)
//!
//! ## Example
//! Write one article that starts a story, then read it back:
//! ```
//! use samestory_engine::stories::StoryState;
//! use samestory_engine::copies::fingerprint::{Signature, SIG_LEN};
//! use samestory_engine::{Article, DocIdx, StoryIdx};
//! use samestory_store::{EngineDelta, NewArticle, Store, StoryListQuery};
//!
//! let dir = tempfile::tempdir()?;
//! let mut store = Store::open(dir.path().join("news.db"))?;
//! let article = Article {
//!     id: "a1".into(),
//!     url: None,
//!     title: Some("Bridge opens".into()),
//!     source: Some("Wire".into()),
//!     published: Some(1_700_000_000),
//!     text: "The new bridge over the river opened on Monday.".into(),
//!     meta: Default::default(),
//!     origin: None,
//! };
//! let new = NewArticle {
//!     article: &article,
//!     doc: DocIdx::from_raw(0),
//!     published: article.published,
//!     clean_text: &article.text,
//!     search_words: "the new bridge over river opened on monday",
//!     removals: &[],
//!     words: 9,
//!     exact_hash: 42,
//!     signature: &Signature([0; SIG_LEN]),
//!     story: StoryIdx::from_raw(0),
//!     new_story_id: Some("s-bridge".into()),
//!     story_similarity: 1.0,
//!     original: DocIdx::from_raw(0),
//!     copy_jaccard: None,
//!     copy_exact: false,
//!     repointed: &[],
//!     language: samestory_engine::text::language::Language::parse("en"),
//! };
//! // What the clusterer saves of the story the article started.
//! let story = StoryState {
//!     centroid: Vec::new(),
//!     size: 1,
//!     first: article.published,
//!     last: article.published,
//! };
//! let delta = EngineDelta { stories: vec![(StoryIdx::from_raw(0), story)], ..EngineDelta::default() };
//! store.write_batch(&[new], &delta)?;
//!
//! let search = StoryListQuery { words: Some("bridge"), limit: 10, ..Default::default() };
//! let page = store.story_list(&search)?;
//! assert_eq!((page[0].summary.id.as_str(), page[0].summary.size), ("s-bridge", 1));
//! let (story, articles) = store.story("s-bridge")?;
//! assert_eq!((story.headline.as_str(), articles[0].id.as_str()), ("Bridge opens", "a1"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

mod across;
mod analysis;
mod check;
mod engine_state;
mod feeds;
mod headlines;
mod queries;
mod schema;
mod storylines;
mod syndication;
#[cfg(test)]
mod testing;
mod write;

use rusqlite::{Connection, OptionalExtension};
use samestory_engine::pipeline::Config;
use std::path::Path;

pub use across::AlsoReported;
pub use analysis::{AnalysisDoc, StoryAnalysisView, MAX_ANALYSED};
pub use check::Soundness;
pub use engine_state::EngineDelta;
pub use feeds::{FeedState, FeedSummary, ItemStatus};
pub use queries::{
    count_outlets, fts_query, search_words, ArticleFull, ArticleRow, CopyRow, ListedStory,
    StoredIdentity, StoredRemoval, StoryListKey, StoryListQuery, StoryOrder, StorySummary,
    WindowOrder, WindowQuery, WindowStory,
};
pub use schema::SCHEMA_VERSION;
pub use storylines::{StorylinePlace, StorylineStory, StorylineSummary};
pub use syndication::{CopyFamily, FamilyFilter, FamilyMember, OutletCount, OutletSummary};
pub use write::NewArticle;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused or failed (I/O, a locked or damaged file, a constraint).
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file's schema is newer than this build knows: it was written by a newer samestory.
    #[error(
        "the database was written by a newer samestory (schema {found}, this one knows {known})"
    )]
    SchemaTooNew {
        /// The file's schema version.
        found: u32,
        /// The newest version this build knows ([`SCHEMA_VERSION`]).
        known: u32,
    },
    /// Stored data that cannot be read back (says what), or a schema a read-only store cannot use.
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    /// No stored story or article with that id (says which).
    #[error("not found: {0}")]
    NotFound(String),
}

impl StoreError {
    /// Whether SQLite stopped the statement because the check given to [`Store::stop_when`] said
    /// so.
    pub fn is_interrupted(&self) -> bool {
        matches!(
            self,
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::OperationInterrupted
        )
    }
}

/// A result whose error is a [`StoreError`].
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A samestory database: one SQLite connection, for writing (and reading) when opened with
/// [`Store::open`], for reading only with [`Store::open_read_only`].
pub struct Store {
    pub(crate) conn: Connection,
    /// Opened with [`Store::open_read_only`]: never writes (not even the analysis cache).
    pub(crate) read_only: bool,
    /// Document frequencies in `df_log`, not yet folded into `df`.
    pub(crate) df_logged: usize,
    /// The representative headlines this connection has chosen (see `headlines.rs`).
    pub(crate) headlines: headlines::HeadlineCache,
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
            headlines: Default::default(),
        })
    }

    /// A new, empty store in memory (gone when dropped): for tests and examples.
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
            headlines: Default::default(),
        };
        schema::migrate(&mut store.conn)?;
        store.df_logged = store.conn.query_row(
            "SELECT COALESCE(SUM(length(terms)), 0) / 12 FROM df_log",
            [],
            |r| r.get::<_, i64>(0),
        )? as usize;
        Ok(store)
    }

    /// Runs `f` in one read transaction: every read `f` makes sees the same snapshot of the
    /// database (a writer's commits in between are not seen), and takes one WAL read lock instead
    /// of one a statement. Nothing `f` does is committed: the transaction is rolled back.
    pub fn in_snapshot<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Store) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let tx = self
            .conn
            .unchecked_transaction()
            .map_err(StoreError::from)?;
        let out = f(self);
        drop(tx); // rolls back: nothing was written
        out
    }

    /// From now on, stops any statement of this connection as soon as `stop` returns true (asked
    /// every 1,000 SQLite virtual-machine steps): the statement fails with an error for which
    /// [`StoreError::is_interrupted`] is true. For readers that must give up on time, or when
    /// nobody waits for the answer any more. `None` removes the check.
    pub fn stop_when<F>(&mut self, stop: Option<F>) -> Result<()>
    where
        F: FnMut() -> bool + Send + 'static,
    {
        Ok(self.conn.progress_handler(1_000, stop)?)
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

    /// Records the engine configuration the database is built with.
    pub fn set_config(&self, config: &Config) -> Result<()> {
        let json = serde_json::to_string(config).expect("config serializes");
        self.conn.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('config', ?1)",
            [json],
        )?;
        Ok(())
    }

    /// The outlet alias map kept in the database (JSON, as the app writes it), if any.
    pub fn outlet_map_json(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'outlet_map'", [], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Keeps the outlet alias map (JSON) for every later write, replacing the one kept before.
    pub fn set_outlet_map_json(&self, json: &str) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('outlet_map', ?1)",
            [json],
        )?;
        Ok(())
    }

    /// How many articles are stored.
    pub fn article_count(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get::<_, i64>(0))?
            as u64)
    }

    /// How many stories are stored.
    pub fn story_count(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM stories", [], |r| r.get::<_, i64>(0))?
            as u64)
    }

    /// Whether an article with this id is stored.
    pub fn contains(&self, id: &str) -> Result<bool> {
        let mut st = self
            .conn
            .prepare_cached("SELECT 1 FROM articles WHERE id = ?1")?;
        Ok(st.exists([id])?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{write_docs, Doc};

    fn doc(id: &'static str, doc: u32) -> Doc {
        Doc {
            id,
            source: None,
            title: None,
            published: Some(1_000),
            text: "a short text",
            story: (doc, id),
            original: doc,
        }
    }

    /// A reader's snapshot does not see a batch the writer commits during it; its next read does.
    #[test]
    fn a_snapshot_is_one_state_of_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let mut writer = Store::open(&path).unwrap();
        write_docs(&mut writer, &[doc("a", 0)]);
        let reader = Store::open_read_only(&path).unwrap();
        let seen = reader
            .in_snapshot(|r| -> Result<_> {
                let before = r.article_count()?;
                write_docs(&mut writer, &[doc("b", 1)]);
                Ok((before, r.article_count()?, r.contains("b")?))
            })
            .unwrap();
        assert_eq!(seen, (1, 1, false));
        assert_eq!(reader.article_count().unwrap(), 2);
        assert!(reader.contains("b").unwrap());
    }
}
