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

mod analysis;
mod engine_state;
mod queries;
mod schema;
#[cfg(test)]
mod testing;
mod write;

use rusqlite::{Connection, OptionalExtension};
use samestory_engine::pipeline::Config;
use std::path::Path;

pub use analysis::{AnalysisDoc, StoryAnalysisView, MAX_ANALYSED};
pub use engine_state::EngineDelta;
pub use queries::{
    fts_query, ArticleFull, ArticleRow, CopyRow, ListedStory, StoredRemoval, StoryListKey,
    StoryListQuery, StoryOrder, StorySummary,
};
pub use schema::SCHEMA_VERSION;
pub use write::NewArticle;

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

pub struct Store {
    pub(crate) conn: Connection,
    /// Opened with [`Store::open_read_only`]: never writes (not even the analysis cache).
    pub(crate) read_only: bool,
    /// Document frequencies in `df_log`, not yet folded into `df`.
    pub(crate) df_logged: usize,
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
