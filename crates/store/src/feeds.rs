//! Watched feeds (`samestory watch`): what a restart needs to neither fetch again nor miss.
//!
//! - `feeds`: one row a feed url: its title, the validators of its last answer (`ETag`,
//!   `Last-Modified`) for a conditional GET, when it was fetched and is due next, its failures in a
//!   row (the backoff), its last error, and counts (fetches, `304 Not Modified` answers, errors)
//!   with the lag of its last stored item, for `samestory feeds` and `/metrics`.
//! - `feed_items`: one row an item handled by a feed, keyed on the feed and the item's canonical
//!   link (else its guid), and looked up by the link alone, so that one article reached by two
//!   feeds is fetched once (the second feed records it as done too). `done` is set once the item
//!   is stored (or given up, with its error); a row without `done` is an item whose page failed
//!   and is tried again at the next poll (`attempts` counts the tries).
//!
//! The watcher records an item only after the article is committed: a watcher killed between
//! the two finds the article's id stored when it starts again ([`Store::contains`]) and records
//! the item without fetching it.

use crate::{Result, Store};
use rusqlite::{params, OptionalExtension};

/// What is kept of one watched feed. Times are Unix seconds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeedState {
    /// The feed's url as listed (the key).
    pub url: String,
    /// The feed's own title, from its last successful parse.
    pub title: Option<String>,
    /// The `ETag` of the last full answer, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// The `Last-Modified` of the last full answer, sent back as `If-Modified-Since`.
    pub last_modified: Option<String>,
    /// When it was last asked for, successfully or not.
    pub last_fetch: Option<i64>,
    /// When it last answered (a feed or `304 Not Modified`).
    pub last_success: Option<i64>,
    /// When it is due again (its interval, or its backoff after an error).
    pub next_fetch: Option<i64>,
    /// Failed fetches in a row since the last success.
    pub failures: u32,
    /// The last failure's message (kept after a success, for `samestory feeds`).
    pub last_error: Option<String>,
    /// Requests made for the feed (every answer and failure).
    pub fetches: u64,
    /// Of which answered `304 Not Modified`.
    pub not_modified: u64,
    /// Of which failed (network error, timeout, an error status, not a feed).
    pub errors: u64,
    /// Seconds from its last stored item's publication to its storing.
    pub lag_secs: Option<i64>,
}

/// A feed's state with the count of its items, as `samestory feeds` lists them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedSummary {
    /// The feed's state.
    pub state: FeedState,
    /// Items stored (or given up) from this feed.
    pub items: u64,
    /// Items whose page failed and will be tried again.
    pub pending: u64,
}

/// What is known of one item before its page is fetched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemStatus {
    /// Never seen.
    New,
    /// Seen, its page failed this many times: to be tried again.
    Retry(u32),
    /// Stored or given up by this feed: nothing to do.
    Done,
    /// Stored or given up by another feed (as this article, if stored): to be recorded for this
    /// feed too, without a fetch.
    DoneByAnotherFeed(Option<String>),
}

const FEED_COLUMNS: &str = "url, title, etag, last_modified, last_fetch, last_success, next_fetch,
    failures, last_error, fetches, not_modified, errors, lag_secs";

fn feed_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FeedState> {
    Ok(FeedState {
        url: r.get(0)?,
        title: r.get(1)?,
        etag: r.get(2)?,
        last_modified: r.get(3)?,
        last_fetch: r.get(4)?,
        last_success: r.get(5)?,
        next_fetch: r.get(6)?,
        failures: r.get(7)?,
        last_error: r.get(8)?,
        fetches: r.get::<_, i64>(9)? as u64,
        not_modified: r.get::<_, i64>(10)? as u64,
        errors: r.get::<_, i64>(11)? as u64,
        lag_secs: r.get(12)?,
    })
}

impl Store {
    /// The kept state of the feed at `url`, if it was ever fetched.
    pub fn feed_state(&self, url: &str) -> Result<Option<FeedState>> {
        let sql = format!("SELECT {FEED_COLUMNS} FROM feeds WHERE url = ?1");
        Ok(self.conn.query_row(&sql, [url], feed_row).optional()?)
    }

    /// Keeps `state` as the feed's state (replacing the one kept).
    pub fn save_feed_state(&self, state: &FeedState) -> Result<()> {
        self.conn.execute(
            &format!(
                "INSERT OR REPLACE INTO feeds ({FEED_COLUMNS})
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
            ),
            params![
                state.url,
                state.title,
                state.etag,
                state.last_modified,
                state.last_fetch,
                state.last_success,
                state.next_fetch,
                state.failures,
                state.last_error,
                state.fetches as i64,
                state.not_modified as i64,
                state.errors as i64,
                state.lag_secs,
            ],
        )?;
        Ok(())
    }

    /// Every feed ever fetched, by url, with its item counts.
    pub fn feeds(&self) -> Result<Vec<FeedSummary>> {
        let sql = format!(
            "SELECT {FEED_COLUMNS},
                (SELECT COUNT(*) FROM feed_items i WHERE i.feed = feeds.url AND i.done IS NOT NULL),
                (SELECT COUNT(*) FROM feed_items i WHERE i.feed = feeds.url AND i.done IS NULL)
             FROM feeds ORDER BY url"
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map([], |r| {
            Ok(FeedSummary {
                state: feed_row(r)?,
                items: r.get::<_, i64>(13)? as u64,
                pending: r.get::<_, i64>(14)? as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether the item keyed `key` is new to `feed`, to be tried again, or done (by this feed or
    /// another).
    pub fn feed_item_status(&self, feed: &str, key: &str) -> Result<ItemStatus> {
        let rows: Vec<(String, u32, Option<String>, Option<i64>)> = self
            .conn
            .prepare_cached("SELECT feed, attempts, article, done FROM feed_items WHERE key = ?1")?
            .query_map([key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let own = rows.iter().find(|r| r.0 == feed);
        if own.is_some_and(|r| r.3.is_some()) {
            return Ok(ItemStatus::Done);
        }
        if let Some(other) = rows.iter().find(|r| r.3.is_some()) {
            return Ok(ItemStatus::DoneByAnotherFeed(other.2.clone()));
        }
        Ok(match own {
            Some(r) => ItemStatus::Retry(r.1),
            None => ItemStatus::New,
        })
    }

    /// Records the item keyed `key` of the feed at `feed` as done at `now`: stored as `article`,
    /// or given up with `error`.
    pub fn feed_item_done(
        &self,
        feed: &str,
        key: &str,
        article: Option<&str>,
        error: Option<&str>,
        now: i64,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO feed_items (feed, key, article, attempts, last_error, first_seen, done)
             VALUES (?1, ?2, ?3, 1, ?4, ?5, ?5)
             ON CONFLICT (feed, key) DO UPDATE SET article = ?3, attempts = attempts + 1,
                last_error = COALESCE(?4, last_error), done = ?5",
            params![feed, key, article, error, now],
        )?;
        Ok(())
    }

    /// Records a failed try of the item keyed `key` of the feed at `feed`, to be tried again; the
    /// tries so far.
    pub fn feed_item_failed(&self, feed: &str, key: &str, error: &str, now: i64) -> Result<u32> {
        Ok(self.conn.query_row(
            "INSERT INTO feed_items (feed, key, attempts, last_error, first_seen)
             VALUES (?1, ?2, 1, ?3, ?4)
             ON CONFLICT (feed, key) DO UPDATE SET attempts = attempts + 1, last_error = ?3
             RETURNING attempts",
            params![feed, key, error, now],
            |r| r.get(0),
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_state_and_items_survive_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.db");
        let feed = "http://127.0.0.1/feed.xml";
        let other = "http://localhost/other.xml";
        let state = FeedState {
            url: feed.into(),
            title: Some("Wire".into()),
            etag: Some("\"v1\"".into()),
            last_modified: Some("Mon, 07 Dec 2026 04:00:00 GMT".into()),
            last_fetch: Some(100),
            last_success: Some(100),
            next_fetch: Some(1_000),
            failures: 0,
            last_error: None,
            fetches: 3,
            not_modified: 1,
            errors: 1,
            lag_secs: Some(42),
        };
        let (one, two, three) = (
            "http://127.0.0.1/1",
            "http://127.0.0.1/2",
            "http://127.0.0.1/3",
        );
        {
            let store = Store::open(&path).unwrap();
            assert_eq!(store.feed_state(feed).unwrap(), None);
            store.save_feed_state(&state).unwrap();
            store
                .feed_item_done(feed, one, Some("u1"), None, 100)
                .unwrap();
            assert_eq!(
                store.feed_item_failed(feed, two, "HTTP 500", 100).unwrap(),
                1
            );
            assert_eq!(
                store.feed_item_failed(feed, two, "timeout", 160).unwrap(),
                2
            );
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.feed_state(feed).unwrap(), Some(state.clone()));
        assert_eq!(store.feed_item_status(feed, one).unwrap(), ItemStatus::Done);
        assert_eq!(
            store.feed_item_status(feed, two).unwrap(),
            ItemStatus::Retry(2)
        );
        assert_eq!(
            store.feed_item_status(feed, three).unwrap(),
            ItemStatus::New
        );
        // Another feed linking to the same article finds it done, and records it for itself.
        assert_eq!(
            store.feed_item_status(other, one).unwrap(),
            ItemStatus::DoneByAnotherFeed(Some("u1".into()))
        );
        assert_eq!(store.feed_item_status(other, two).unwrap(), ItemStatus::New);
        let listed = store.feeds().unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!((listed[0].items, listed[0].pending), (1, 1));
        assert_eq!(listed[0].state, state);
        // The failed item stored at last: done, and no longer pending.
        store
            .feed_item_done(feed, two, Some("u2"), None, 200)
            .unwrap();
        assert_eq!(store.feed_item_status(feed, two).unwrap(), ItemStatus::Done);
        let listed = store.feeds().unwrap();
        assert_eq!((listed[0].items, listed[0].pending), (2, 0));
    }
}
