//! Storylines: stories that continue one another over days and weeks (a trial and its verdict, a
//! storm and its aftermath), linked online as the stories are made and grow.
//!
//! The engine decides stories (one event, reported by many outlets); a storyline is a layer above
//! them that never changes which articles form a story. As Europe Media Monitor links a day's
//! clusters to related clusters of the previous days, each time a batch changes a story:
//! 1. its **content vector** is its saved centroid without the pseudo-terms that carry counts
//!    (`StoryState::content_terms`: terms and names, weighted as the clusterer weighs them), made
//!    unit length; its **keys** are its [`KEY_TERMS`] heaviest terms, kept in `story_keys`. Both
//!    are made when the story reaches [`MIN_STORY_SIZE`] articles and again each time its size
//!    reaches a power of two (4, 8, 16, ...), not for every article it gains ([`relink_due`]): an
//!    article alone is one outlet's report, most stories of a stream stay alone, and a story's
//!    terms settle as it grows; looking at each story at every article it gained was a quarter of
//!    ingest's writing for links that almost never changed. A story whose keys did not change
//!    then keeps the link it has (steps 2 and 3 run when they change);
//! 2. its **candidates** are the stories that started before it, whose newest article is at most
//!    [`WINDOW_SECS`] (7 days) before its first, and that share at least [`MIN_SHARED_KEYS`] keys
//!    with it (an index look-up, not a scan of the window's stories: the newest
//!    [`KEY_POSTINGS_SCANNED`] stories of each key, and of those in the window the
//!    [`CANDIDATES_COMPARED`] sharing the most keys);
//! 3. it is **linked** to the candidate most similar to it (cosine of the content vectors) when
//!    that similarity is at least [`LINK_SIMILARITY`] (`storyline_links`: the story, the earlier
//!    one, the similarity; a better link found later replaces it);
//! 4. linked stories are one storyline: `stories.storyline` holds the index of the storyline's
//!    first-made story for every story of it (NULL for a story alone), and a link that joins two
//!    storylines relabels the later-made one (union by relabelling, one indexed update; most
//!    links bring a story alone into a storyline, so most relabel one row).
//!
//! Links are only added: a story whose early centroid linked it stays linked as it grows. A
//! story's storyline is thus decided with what was known when it changed, like its story.
//! Databases made before storylines (schema 9) get links for the stories that change after.

use crate::engine_state::{story_state_at, term_to_sql};
use crate::queries::StorySummary;
use crate::{Result, Store, StoreError};
use rusqlite::{params, Connection, OptionalExtension};
use rustc_hash::FxHashMap;
use samestory_engine::stories::StoryState;
use samestory_engine::{StoryIdx, Term};
use serde::Serialize;

/// How far back a story looks for the story it continues: 7 days from its first article to the
/// other's newest (Europe Media Monitor's window).
pub const WINDOW_SECS: i64 = 7 * 86_400;
/// The least cosine similarity of two stories' content vectors for a link (measured on
/// uci-headlines, BENCHMARKS.md §12).
pub const LINK_SIMILARITY: f32 = 0.3;
/// The articles a story holds before it is linked: one outlet's report alone is not yet a story
/// that others continue.
pub const MIN_STORY_SIZE: u32 = 2;
/// Terms of a story kept as its keys.
pub const KEY_TERMS: usize = 10;
/// Keys a candidate shares with the story at least.
pub const MIN_SHARED_KEYS: i64 = 2;
/// How many stories holding a key (the newest) a look-up reads: a common key of a long stream is
/// held by thousands of stories, most of them long cold.
pub const KEY_POSTINGS_SCANNED: i64 = 256;
/// How many candidates in the window (those sharing the most keys, then the newest) are compared.
pub const CANDIDATES_COMPARED: usize = 64;

/// A story's content vector: sorted by term, unit length.
fn content_vector(state: &StoryState) -> Vec<(Term, f32)> {
    let mut v: Vec<(Term, f32)> = state.content_terms().filter(|&(_, w)| w > 0.0).collect();
    v.sort_unstable_by_key(|&(t, _)| t);
    let norm = v.iter().map(|&(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for x in &mut v {
            x.1 /= norm;
        }
    }
    v
}

/// The cosine of two unit vectors sorted by term.
fn cosine(a: &[(Term, f32)], b: &[(Term, f32)]) -> f32 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0f32);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    dot
}

/// The heaviest [`KEY_TERMS`] terms of a content vector.
fn keys(v: &[(Term, f32)]) -> Vec<Term> {
    let heavier_first = |a: &(Term, f32), b: &(Term, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    let mut by_weight: Vec<(Term, f32)> = v.to_vec();
    if by_weight.len() > KEY_TERMS {
        by_weight.select_nth_unstable_by(KEY_TERMS - 1, heavier_first);
        by_weight.truncate(KEY_TERMS);
    }
    by_weight.sort_unstable_by(heavier_first);
    by_weight.into_iter().map(|(t, _)| t).collect()
}

/// Whether a story that grew from `before` articles (0: it is new) to `now` is looked at (again):
/// when it reaches [`MIN_STORY_SIZE`] and each time its size reaches a power of two after.
pub(crate) fn relink_due(before: u32, now: u32) -> bool {
    now >= MIN_STORY_SIZE && (before < MIN_STORY_SIZE || now.ilog2() > before.ilog2())
}

/// Links the stories a batch changed (their new states) to the stories they continue, inside the
/// batch's transaction ([`crate::Store::write_batch`]). `size_before` holds the sizes the stories
/// had before the batch (a story missing from it is new).
pub(crate) fn link_changed(
    conn: &Connection,
    changed: &[(StoryIdx, StoryState)],
    size_before: &FxHashMap<u32, u32>,
) -> Result<()> {
    let changed: Vec<(u32, &StoryState)> = changed.iter().map(|(i, s)| (i.raw(), s)).collect();
    let states: FxHashMap<u32, &StoryState> = changed.iter().copied().collect();
    // Earlier stories first, so that their keys are current when later ones look for them.
    let mut order: Vec<&(u32, &StoryState)> = changed.iter().collect();
    order.sort_by_key(|(idx, s)| (s.first.unwrap_or(i64::MAX), *idx));
    let mut shared_keys: FxHashMap<u32, i64> = FxHashMap::default();
    for &&(idx, state) in &order {
        if !relink_due(size_before.get(&idx).copied().unwrap_or(0), state.size) {
            continue;
        }
        let v = content_vector(state);
        let keys: Vec<i64> = keys(&v).into_iter().map(term_to_sql).collect();
        // A story whose keys did not move keeps its link: relinking on every article it gains
        // would cost a look-up per article for a link that almost never changes.
        if !rewrite_keys(conn, idx, &keys)? {
            continue;
        }
        let Some(first) = state.first else {
            continue;
        };
        if keys.len() < MIN_SHARED_KEYS as usize {
            continue;
        }
        shared_keys.clear();
        let mut posting = conn.prepare_cached(
            "SELECT story FROM story_keys WHERE term = ?1 ORDER BY story DESC LIMIT ?2",
        )?;
        for &t in &keys {
            let mut rows = posting.query([t, KEY_POSTINGS_SCANNED])?;
            while let Some(r) = rows.next()? {
                let story: u32 = r.get(0)?;
                if story != idx {
                    *shared_keys.entry(story).or_default() += 1;
                }
            }
        }
        let mut candidates: Vec<(i64, u32)> = shared_keys
            .iter()
            .filter(|&(_, &n)| n >= MIN_SHARED_KEYS)
            .map(|(&c, &n)| (n, c))
            .collect();
        // Those sharing the most keys first, then the newest.
        candidates.sort_unstable_by(|a, b| b.cmp(a));
        let mut span = conn.prepare_cached("SELECT first, last FROM stories WHERE idx = ?1")?;
        let mut read =
            conn.prepare_cached("SELECT size, first, last, state FROM stories WHERE idx = ?1")?;
        let mut best: Option<(u32, f32)> = None;
        let mut compared = 0;
        for (_, c) in candidates {
            if compared == CANDIDATES_COMPARED {
                break;
            }
            // The span first: it is read without the state, which a large story keeps on
            // overflow pages.
            let Some((c_first, c_last)) = span
                .query_row([c], |r| {
                    Ok((r.get::<_, Option<i64>>(0)?, r.get::<_, Option<i64>>(1)?))
                })
                .optional()?
            else {
                continue;
            };
            let started_before = c_first.is_some_and(|f| f < first || (f == first && c < idx));
            if !started_before || c_last.is_none_or(|l| l < first - WINDOW_SECS) {
                continue;
            }
            compared += 1;
            let other = match states.get(&c) {
                Some(s) => content_vector(s),
                None => {
                    let mut rows = read.query([c])?;
                    match rows.next()? {
                        Some(r) => match story_state_at(r, 0)? {
                            Some(s) => content_vector(&s),
                            None => continue,
                        },
                        None => continue,
                    }
                }
            };
            let sim = cosine(&v, &other);
            // A tie goes to the earlier-made story.
            if sim >= LINK_SIMILARITY && best.is_none_or(|(b, s)| sim > s || (sim == s && c < b)) {
                best = Some((c, sim));
            }
        }
        let Some((earlier, sim)) = best else {
            continue;
        };
        let had: Option<f32> = conn
            .prepare_cached("SELECT similarity FROM storyline_links WHERE story = ?1")?
            .query_row([idx], |r| r.get(0))
            .optional()?;
        if had.is_some_and(|h| h >= sim) {
            continue;
        }
        conn.prepare_cached(
            "INSERT OR REPLACE INTO storyline_links (story, earlier, similarity) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![idx, earlier, sim])?;
        join(conn, idx, earlier)?;
    }
    Ok(())
}

/// Makes `keys` the story's keys in `story_keys`, touching only the rows that change; false when
/// they were its keys already.
fn rewrite_keys(conn: &Connection, story: u32, keys: &[i64]) -> Result<bool> {
    let mut old: Vec<i64> = conn
        .prepare_cached("SELECT term FROM story_keys WHERE story = ?1")?
        .query_map([story], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut new = keys.to_vec();
    old.sort_unstable();
    new.sort_unstable();
    if old == new {
        return Ok(false);
    }
    let mut del = conn.prepare_cached("DELETE FROM story_keys WHERE term = ?1 AND story = ?2")?;
    for t in old.iter().filter(|t| new.binary_search(t).is_err()) {
        del.execute(params![t, story])?;
    }
    let mut ins = conn.prepare_cached("INSERT INTO story_keys (term, story) VALUES (?1, ?2)")?;
    for t in new.iter().filter(|t| old.binary_search(t).is_err()) {
        ins.execute(params![t, story])?;
    }
    Ok(true)
}

/// Puts stories `a` and `b` (indexes) in one storyline: the one of the first-made story.
fn join(conn: &Connection, a: u32, b: u32) -> Result<()> {
    let line = |s: u32| -> Result<i64> {
        Ok(conn
            .prepare_cached("SELECT COALESCE(storyline, idx) FROM stories WHERE idx = ?1")?
            .query_row([s], |r| r.get(0))?)
    };
    let (la, lb) = (line(a)?, line(b)?);
    if la == lb {
        return Ok(());
    }
    // Only the later-made storyline is relabelled: the other keeps its label, which a storyline
    // of hundreds of stories would otherwise have rewritten at every story it gains.
    let (root, other) = (la.min(lb), la.max(lb));
    conn.prepare_cached(
        "UPDATE stories SET storyline = ?1 WHERE storyline = ?2 OR idx = ?2 OR (idx = ?1 AND storyline IS NULL)",
    )?
    .execute(params![root, other])?;
    Ok(())
}

/// A storyline: its stories' span and size, named by its largest story.
#[derive(Clone, Debug, Serialize)]
pub struct StorylineSummary {
    /// The storyline's id: the id of its first-made story.
    pub id: String,
    /// How many stories it links.
    pub stories: u64,
    /// How many articles those stories hold.
    pub articles: u64,
    /// Its first article's time.
    pub first: Option<i64>,
    /// Its newest article's time.
    pub last: Option<i64>,
    /// The headline of its largest story.
    pub headline: String,
}

/// A story of a storyline, with the link that put it there.
#[derive(Clone, Debug, Serialize)]
pub struct StorylineStory {
    /// The story.
    pub story: StorySummary,
    /// The earlier story it continues (its id) and how similar they are; `None` for the story
    /// the storyline starts from, and for a story that another one linked to.
    pub continues: Option<(String, f32)>,
}

/// Where a story stands in its storyline: the storyline and the stories just before and after it.
#[derive(Clone, Debug, Serialize)]
pub struct StorylinePlace {
    /// The storyline.
    pub storyline: StorylineSummary,
    /// The story of the storyline that started just before this one.
    pub earlier: Option<StorySummary>,
    /// The story of the storyline that started just after this one.
    pub later: Option<StorySummary>,
}

const LINE_COLUMNS: &str = "r.id, COUNT(*), SUM(s.size), MIN(s.first), MAX(s.last),
    (SELECT h.headline FROM stories h WHERE h.storyline = s.storyline ORDER BY h.size DESC, h.idx LIMIT 1)";

fn line_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StorylineSummary> {
    Ok(StorylineSummary {
        id: r.get(0)?,
        stories: r.get::<_, i64>(1)? as u64,
        articles: r.get::<_, i64>(2)? as u64,
        first: r.get(3)?,
        last: r.get(4)?,
        headline: r.get(5)?,
    })
}

const STORY_COLUMNS: &str = "s.id, s.size, s.first, s.last, s.headline, s.outlets, s.copies";

impl Store {
    /// Storylines of at least two stories, the most recently updated first, at most `limit`.
    pub fn storylines(&self, limit: usize) -> Result<Vec<StorylineSummary>> {
        let sql = format!(
            "SELECT {LINE_COLUMNS} FROM stories s JOIN stories r ON r.idx = s.storyline
             WHERE s.storyline IS NOT NULL GROUP BY s.storyline
             ORDER BY MAX(COALESCE(s.last, -1)) DESC, s.storyline DESC LIMIT {limit}"
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map([], line_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn storyline_idx(&self, id: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT storyline FROM stories WHERE id = ?1")?
            .query_row([id], |r| r.get::<_, Option<i64>>(0))
            .optional()?
            .flatten())
    }

    fn storyline_summary(&self, line: i64) -> Result<StorylineSummary> {
        let sql = format!(
            "SELECT {LINE_COLUMNS} FROM stories s JOIN stories r ON r.idx = s.storyline
             WHERE s.storyline = ?1 GROUP BY s.storyline"
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([line], line_row)?)
    }

    /// A storyline (by its id, or the id of any of its stories) and its stories in the order
    /// they started, each with the link that put it there.
    pub fn storyline(&self, id: &str) -> Result<(StorylineSummary, Vec<StorylineStory>)> {
        let line = self
            .storyline_idx(id)?
            .ok_or_else(|| StoreError::NotFound(format!("storyline {id}")))?;
        let summary = self.storyline_summary(line)?;
        let sql = format!(
            "SELECT {STORY_COLUMNS}, e.id, l.similarity FROM stories s
             LEFT JOIN storyline_links l ON l.story = s.idx LEFT JOIN stories e ON e.idx = l.earlier
             WHERE s.storyline = ?1 ORDER BY COALESCE(s.first, -1), s.idx"
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map([line], |r| {
            let earlier: Option<String> = r.get(7)?;
            let sim: Option<f32> = r.get(8)?;
            Ok(StorylineStory {
                story: StorySummary {
                    id: r.get(0)?,
                    size: r.get::<_, i64>(1)? as u64,
                    first: r.get(2)?,
                    last: r.get(3)?,
                    headline: r.get(4)?,
                    outlets: r.get::<_, i64>(5)? as u64,
                    copies: r.get::<_, i64>(6)? as u64,
                },
                continues: earlier.zip(sim),
            })
        })?;
        Ok((summary, rows.collect::<rusqlite::Result<_>>()?))
    }

    /// The storyline of the story `id` and the stories just before and after it in it; `None`
    /// for a story in no storyline.
    pub fn storyline_place(&self, id: &str) -> Result<Option<StorylinePlace>> {
        let Some(line) = self.storyline_idx(id)? else {
            return Ok(None);
        };
        let storyline = self.storyline_summary(line)?;
        let (_, stories) = self.storyline(id)?;
        let at = stories.iter().position(|s| s.story.id == id);
        let pick = |k: Option<usize>| k.and_then(|k| stories.get(k)).map(|s| s.story.clone());
        Ok(Some(StorylinePlace {
            storyline,
            earlier: pick(at.and_then(|k| k.checked_sub(1))),
            later: pick(at.map(|k| k + 1)),
        }))
    }

    /// The storyline of every article (the id of its storyline, else of its story), in ingest
    /// order: what `eval --storylines` scores.
    pub fn storyline_assignments(&self) -> Result<Vec<(String, String)>> {
        let mut st = self.conn.prepare(
            "SELECT a.id, COALESCE(r.id, s.id) FROM articles a JOIN stories s ON s.idx = a.story
             LEFT JOIN stories r ON r.idx = s.storyline ORDER BY a.idx",
        )?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A story's state whose centroid holds the terms with these raw hashes.
    fn state(terms: &[(u64, f32)], first: i64) -> StoryState {
        StoryState {
            centroid: terms.iter().map(|&(t, w)| (Term::from_raw(t), w)).collect(),
            size: 1,
            first: Some(first),
            last: Some(first),
        }
    }

    #[test]
    fn vectors_are_unit_and_keys_are_the_heaviest_terms() {
        let v = content_vector(&state(&[(5, 3.0), (1, 4.0)], 0));
        assert_eq!(v.iter().map(|t| t.0.raw()).collect::<Vec<_>>(), [1, 5]);
        assert!((cosine(&v, &v) - 1.0).abs() < 1e-6);
        let many: Vec<(u64, f32)> = (1..=20).map(|t| (t, t as f32)).collect();
        let k = keys(&content_vector(&state(&many, 0)));
        assert_eq!(k.len(), KEY_TERMS);
        assert_eq!(k[0], Term::from_raw(20));
        assert!(!k.contains(&Term::from_raw(1)));
        let w = content_vector(&state(&[(1, 1.0), (9, 1.0)], 0));
        assert!((cosine(&v, &w) - 0.8 / 2f32.sqrt()).abs() < 1e-6);
    }

    /// Saves `state` as story `idx`, as a batch does, and links it.
    fn change(store: &Store, idx: u32, state: &StoryState) -> Vec<i64> {
        let before: FxHashMap<u32, u32> = store
            .conn
            .query_row("SELECT size FROM stories WHERE idx = ?1", [idx], |r| {
                r.get(0)
            })
            .optional()
            .unwrap()
            .map(|size| (idx, size))
            .into_iter()
            .collect();
        store
            .conn
            .execute(
                "INSERT INTO stories (idx, id, size, first, last, headline, state)
                 VALUES (?1, ?1, ?2, ?3, ?4, '', ?5) ON CONFLICT (idx) DO UPDATE SET
                 size = ?2, first = ?3, last = ?4, state = ?5",
                params![
                    idx,
                    state.size,
                    state.first,
                    state.last,
                    crate::engine_state::state_blob(state)
                ],
            )
            .unwrap();
        link_changed(
            &store.conn,
            &[(StoryIdx::from_raw(idx), state.clone())],
            &before,
        )
        .unwrap();
        let mut keys: Vec<i64> = store
            .conn
            .prepare("SELECT term FROM story_keys WHERE story = ?1 ORDER BY term")
            .unwrap()
            .query_map([idx], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        keys.dedup();
        keys
    }

    fn link_of(store: &Store, idx: u32) -> Option<u32> {
        store
            .conn
            .query_row(
                "SELECT earlier FROM storyline_links WHERE story = ?1",
                [idx],
                |r| r.get(0),
            )
            .optional()
            .unwrap()
    }

    /// `state` with `size` articles.
    fn sized(mut s: StoryState, size: u32) -> StoryState {
        s.size = size;
        s
    }

    #[test]
    fn a_story_is_looked_at_from_two_articles_and_at_each_power_of_two() {
        let due: Vec<u32> = (1..=40).filter(|&n| relink_due(n - 1, n)).collect();
        assert_eq!(due, [2, 4, 8, 16, 32]);
        // A batch that brings several articles at once crosses a power of two between them.
        assert!(relink_due(5, 9));
        assert!(!relink_due(9, 12));
        assert!(relink_due(0, 7), "a story born with seven articles");
        assert!(!relink_due(0, 1), "an article alone");
        assert!(
            !relink_due(8, 8),
            "a story whose counts changed but not its size"
        );
    }

    #[test]
    fn a_story_is_linked_again_when_its_keys_move_at_a_power_of_two() {
        let store = Store::open_in_memory().unwrap();
        let day = 86_400;
        let trial: Vec<(u64, f32)> = (1..=12).map(|t| (t, 1.0)).collect();
        assert!(
            change(&store, 0, &state(&trial, 0)).is_empty(),
            "alone: no keys"
        );
        change(&store, 0, &sized(state(&trial, 0), 2));
        // Another subject: no key shared, no link.
        let storm: Vec<(u64, f32)> = (101..=112).map(|t| (t, 1.0 + t as f32 / 1000.0)).collect();
        let storm_keys = change(&store, 1, &sized(state(&storm, day), 2));
        assert_eq!(storm_keys, (103..=112).collect::<Vec<i64>>());
        assert_eq!(link_of(&store, 1), None);
        // Its news turns to the trial's at its third article: not looked at yet.
        let turned: Vec<(u64, f32)> = (1..=8)
            .map(|t| (t, 3.0))
            .chain(storm.iter().copied())
            .collect();
        assert_eq!(
            change(&store, 1, &sized(state(&turned, day), 3)),
            storm_keys
        );
        assert_eq!(link_of(&store, 1), None);
        // At its fourth: new keys, and the link they bring.
        let turned_keys = change(&store, 1, &sized(state(&turned, day), 4));
        assert_eq!(turned_keys.len(), KEY_TERMS);
        assert!((1..=8).all(|t| turned_keys.contains(&t)), "{turned_keys:?}");
        assert!(!turned_keys.contains(&103));
        assert_eq!(link_of(&store, 1), Some(0));
        // It grows and its keys stay: its rows are kept as they were.
        let grown: Vec<(u64, f32)> = turned.iter().map(|&(t, w)| (t, 2.0 * w)).collect();
        assert_eq!(
            change(&store, 1, &sized(state(&grown, day), 8)),
            turned_keys
        );
        assert_eq!(link_of(&store, 1), Some(0));
    }
}
