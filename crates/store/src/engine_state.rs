//! Saving and loading the engine: document frequencies (a table plus a log folded into it), story
//! states (centroids as blobs), and rebuilding an [`Engine`] from everything stored.

use crate::{Result, Store, StoreError};
use rusqlite::{params, Connection, OptionalExtension};
use samestory_engine::copies::fingerprint::Signature;
use samestory_engine::pipeline::{Config, Engine, KnownDoc};
use samestory_engine::stories::{RevivalSpan, StoryState};
use samestory_engine::{DocIdx, StoryIdx, Term};

/// The engine state a batch changed: story centroids and document frequencies.
#[derive(Default)]
pub struct EngineDelta {
    /// The stories whose saved state changed, by index, with their new state.
    pub stories: Vec<(StoryIdx, StoryState)>,
    /// The document frequencies that changed, with their new count (0: the term was forgotten).
    pub df: Vec<(Term, u32)>,
    /// The number of documents the document frequencies count.
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

/// How many document frequencies `df_log` holds before [`Store::write_batch`] folds it into `df`
/// (24 MiB of log). Folding rewrites each term once however many batches changed it; the log
/// costs a restart one sequential read.
pub(crate) const DF_FOLD_ENTRIES: usize = 1 << 21;

/// (term, count) pairs as a `df_log` blob, in the order of `df` (terms as SQL integers).
pub(crate) fn df_blob(terms: impl Iterator<Item = (Term, u32)>) -> Vec<u8> {
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
pub(crate) fn fold_df_log(conn: &Connection) -> Result<()> {
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

pub(crate) fn term_to_sql(t: Term) -> i64 {
    t.raw() as i64
}

/// Terms with a 4-byte value as 12-byte little-endian records: the format of story centroids and
/// of the document-frequency log.
fn pairs_blob(pairs: impl ExactSizeIterator<Item = (Term, [u8; 4])>) -> Vec<u8> {
    let mut out = Vec::with_capacity(pairs.len() * 12);
    for (t, v) in pairs {
        out.extend_from_slice(&t.raw().to_le_bytes());
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
        let t = Term::from_raw(u64::from_le_bytes(c[..8].try_into().expect("8 bytes")));
        (t, c[8..].try_into().expect("4 bytes"))
    }))
}

pub(crate) fn state_blob(state: &StoryState) -> Vec<u8> {
    pairs_blob(state.centroid.iter().map(|&(t, w)| (t, w.to_le_bytes())))
}

/// The saved state of a story from the columns `size, first, last, state` of a row, from column
/// `at` on; `None` when it has no state.
pub(crate) fn story_state_at(r: &rusqlite::Row<'_>, at: usize) -> Result<Option<StoryState>> {
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
    /// The stored document frequencies (in the order of `df`: terms as SQL integers) and the number of documents they count.
    pub fn document_frequencies(&self) -> Result<(Vec<(Term, u32)>, u32)> {
        let mut st = self.conn.prepare("SELECT term, n FROM df")?;
        let mut df = st
            .query_map([], |r| {
                let term = Term::from_raw(r.get::<_, i64>(0)? as u64);
                Ok((term, r.get::<_, i64>(1)? as u32))
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
                original: DocIdx::from_raw(r.get::<_, i64>(4)? as u32),
                story: StoryIdx::from_raw(r.get::<_, i64>(5)? as u32),
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
    /// [`samestory_engine::stories::Clusterer::revival_span`]), by index: the ones whose newest
    /// article is in the span's range and whose first is not after its end.
    pub fn stories_in_revival_span(&self, span: RevivalSpan) -> Result<Vec<StoryIdx>> {
        let mut st = self.conn.prepare_cached(
            "SELECT idx FROM stories INDEXED BY stories_last_first
             WHERE last >= ?1 AND last < ?2 AND first <= ?3",
        )?;
        let rows = st.query_map(
            (span.newest_from, span.newest_before, span.first_until),
            |r| r.get::<_, i64>(0),
        )?;
        rows.map(|r| Ok(StoryIdx::from_raw(r? as u32))).collect()
    }

    /// A story's saved state, if it has one.
    pub fn story_state(&self, idx: StoryIdx) -> Result<Option<StoryState>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT size, first, last, state FROM stories WHERE idx = ?1")?;
        let mut rows = st.query([idx.raw()])?;
        match rows.next()? {
            Some(r) => story_state_at(r, 0),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{raw_terms, terms};

    fn delta(df: &[(u64, u32)], docs: u32) -> EngineDelta {
        EngineDelta {
            df: terms(df),
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
        let (df, docs) = store.document_frequencies().unwrap();
        assert_eq!((raw_terms(df), docs), (expected.clone(), 3));
        fold_df_log(&store.conn).unwrap();
        let logged: i64 = store
            .conn
            .query_row("SELECT COUNT(*) FROM df_log", [], |r| r.get(0))
            .unwrap();
        assert_eq!(logged, 0);
        let (df, docs) = store.document_frequencies().unwrap();
        assert_eq!((raw_terms(df), docs), (expected, 3));
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
            raw_terms(merge_counts(terms(&older), terms(&newer))),
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
