//! The schema and its migrations. A migration is appended, never edited: files in the wild were
//! made by the old ones.

use crate::{Result, StoreError};
use rusqlite::Connection;

/// The version of the newest schema this build writes.
pub const SCHEMA_VERSION: u32 = 6;

const MIGRATIONS: &[&str] = &[
    // 1: articles, removals, stories, document frequencies, full-text index.
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE stories (
        idx INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        size INTEGER NOT NULL,
        first INTEGER,
        last INTEGER,
        headline TEXT NOT NULL,
        state BLOB
     );
     CREATE TABLE articles (
        idx INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        url TEXT,
        title TEXT,
        source TEXT,
        published INTEGER,
        text TEXT NOT NULL,
        meta TEXT,
        words INTEGER NOT NULL,
        exact_hash INTEGER NOT NULL,
        signature BLOB NOT NULL,
        story INTEGER NOT NULL REFERENCES stories(idx),
        story_similarity REAL,
        original INTEGER NOT NULL,
        copy_jaccard REAL,
        copy_exact INTEGER
     );
     CREATE INDEX articles_story ON articles(story);
     CREATE INDEX articles_original ON articles(original);
     CREATE INDEX articles_published ON articles(published);
     CREATE TABLE removals (
        article INTEGER NOT NULL REFERENCES articles(idx),
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        reason TEXT NOT NULL,
        text TEXT NOT NULL
     );
     CREATE INDEX removals_article ON removals(article);
     CREATE TABLE df (term INTEGER PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
     CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='', detail='none', columnsize=0);
     INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 16);",
    // 2: cached story analyses, keyed on the story's member set.
    "CREATE TABLE analysis_cache (
        story INTEGER PRIMARY KEY REFERENCES stories(idx),
        members INTEGER NOT NULL,
        json TEXT NOT NULL
     );",
    // 3: each story's outlet and copy counts kept on the story (maintained by `write_batch`), and
    // indexes for the story lists: `last` for time filters, and the two list orders (newest:
    // last then idx; largest: size, last, idx; an undated story sorts as last = -1), so a page of
    // the list is an index range scan.
    "ALTER TABLE stories ADD COLUMN outlets INTEGER NOT NULL DEFAULT 0;
     ALTER TABLE stories ADD COLUMN copies INTEGER NOT NULL DEFAULT 0;
     UPDATE stories SET
        outlets = (SELECT COUNT(DISTINCT COALESCE(a.source, a.id)) FROM articles a WHERE a.story = stories.idx),
        copies = (SELECT COUNT(*) FROM articles a WHERE a.story = stories.idx AND a.original != a.idx);
     CREATE INDEX stories_last ON stories(last);
     CREATE INDEX stories_newest ON stories(COALESCE(last, -1));
     CREATE INDEX stories_size_last ON stories(size, COALESCE(last, -1));",
    // 4: the full-text index keeps up to 64 MiB of new entries in memory before it writes a
    // segment (FTS5's default is 1 MiB). A batch of 2,000 articles then becomes one segment
    // written at commit instead of several written mid-batch and merged again later (measured on
    // the generated corpus of 100,000 articles: a third of the writer's time in the index). Only
    // the layout of the index changes, not what it holds; memory grows by the batch's entries.
    "INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', 67108864);",
    // 5: document frequencies changed by a batch are appended to `df_log` as one blob (sorted
    // (term u64, n u32) pairs, little-endian) instead of being upserted into `df` row by row; the
    // log is folded into `df` once it holds `DF_FOLD_ENTRIES` pairs. `df` plus the log, read in
    // `seq` order (later counts win), is the state. A batch of 2,000 articles changes ~90,000
    // counts spread over every page of `df`, and common terms change in every batch.
    "CREATE TABLE df_log (seq INTEGER PRIMARY KEY, terms BLOB NOT NULL);",
    // 6: the time index of stories also holds `first`, so that finding the stories a late
    // article could join (newest article in a range, first not after a time) reads the index
    // alone: through `stories_last`, each of tens of thousands of candidates cost a table look-up.
    "DROP INDEX stories_last;
     CREATE INDEX stories_last_first ON stories(last, first);",
];

pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as u32)?;
        tx.commit()?;
    }
    Ok(())
}
