//! Stories in two languages about one event, linked (not merged) as they are made: "also reported
//! in" (issue 22).
//!
//! The engine decides stories within a language (their terms are words, which languages do not
//! share); this layer links a story to the stories of other languages whose reports share enough
//! names and numbers with it ([`samestory_engine::across`]: names compared through
//! transliteration, numbers whatever their separators). In the batch's transaction, for each story
//! the batch makes, from the article that made it:
//! 1. its **keys** ([`Markers::keys`]: the first letters of its names, its numbers, and in a text
//!    without spaces the letters from each character on) are looked up in `across_keys` under
//!    each other language that has a story within [`WINDOW_SECS`] of its article's time
//!    (`across_languages` holds each language's newest; a key is stored hashed with its story's
//!    language, so a look-up reads no posting of the story's own language, and a database of one
//!    language makes none), the newest [`KEY_POSTINGS_SCANNED`] stories of each;
//! 2. its **candidates** are those (`across_stories`: the language and the article of each
//!    indexed story) whose span comes within [`WINDOW_SECS`] of its article's time and that share
//!    at least [`MIN_SHARED_KEYS`] keys, the [`CANDIDATES_COMPARED`] sharing the most;
//! 3. a candidate is **linked** when the two articles share a name and
//!    [`MIN_SHARED`](samestory_engine::across::MIN_SHARED) names and
//!    numbers together ([`shared`], on the whole of both clean texts and titles): one row each way
//!    in `across_links`, with what they share, so that reading a story's links is one look-up;
//! 4. its keys are then written, so that later stories find it.
//!
//! While the window holds one language only (an English stream), nothing of this is done: a new
//! story is recorded (`across_stories`, without keys) and no text is read. The first story of
//! another language within the window writes the keys of the recorded stories of the window
//! first, once, then goes on as above.
//!
//! A story is indexed by its first article only (the report that made it), and only when that
//! article has a language and a time: what later articles add is not looked at. Databases made
//! before this (schema 12) get links for the stories made after.

use crate::queries::StorySummary;
use crate::{Result, Store};
use rusqlite::{params, Connection, OptionalExtension};
use rustc_hash::FxHashMap;
use samestory_engine::across::{shared, Markers};
use samestory_engine::article::stable_hash;
use serde::Serialize;

/// How far apart in time two reports of one event may be: three days from the new story's first
/// article to the other story's span.
pub const WINDOW_SECS: i64 = 3 * 86_400;
/// How many stories holding a key (the newest) a look-up reads.
pub const KEY_POSTINGS_SCANNED: i64 = 64;
/// Keys a candidate shares with the new story at least.
pub const MIN_SHARED_KEYS: u32 = 2;
/// How many candidates (those sharing the most keys, then the newest) are compared.
pub const CANDIDATES_COMPARED: usize = 16;

/// A key as stored: hashed with the language of the story it indexes.
fn in_language(key: u64, language: &str) -> i64 {
    let mut bytes = key.to_le_bytes().to_vec();
    bytes.extend_from_slice(language.as_bytes());
    stable_hash(&bytes) as i64
}

/// A story a batch made, with what its first article can share with other languages.
pub(crate) struct NewStory<'a> {
    pub story: u32,
    pub doc: u32,
    pub language: String,
    pub time: i64,
    pub title: Option<&'a str>,
    pub text: &'a str,
}

/// The markers of a stored article (its title and clean text).
fn stored_markers(conn: &Connection, doc: i64) -> Result<Markers> {
    let (title, text): (Option<String>, String) = conn
        .prepare_cached("SELECT title, text FROM articles WHERE idx = ?1")?
        .query_row([doc], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let mut removals =
        conn.prepare_cached("SELECT start, end FROM removals WHERE article = ?1 ORDER BY start")?;
    let clean = crate::write::clean_text_of(&mut removals, doc, &text)?;
    Ok(Markers::of(title.as_deref(), &clean))
}

/// Writes the keys of the stories recorded without them (while the window held one language)
/// whose span reaches `since`; the others are marked done without keys.
fn key_recorded(conn: &Connection, since: i64) -> Result<()> {
    let unkeyed: Vec<(u32, i64, String, Option<i64>)> = conn
        .prepare_cached(
            "SELECT x.story, x.article, x.language, s.last FROM across_stories x
             JOIN stories s ON s.idx = x.story WHERE x.keyed = 0",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if unkeyed.is_empty() {
        return Ok(());
    }
    let mut index = conn.prepare_cached("INSERT INTO across_keys (key, story) VALUES (?1, ?2)")?;
    for (story, doc, language, last) in unkeyed {
        if last.is_some_and(|l| l >= since) {
            for k in stored_markers(conn, doc)?.keys() {
                index.execute(params![in_language(k, &language), story])?;
            }
        }
    }
    conn.execute("UPDATE across_stories SET keyed = 1 WHERE keyed = 0", [])?;
    Ok(())
}

/// Links the stories a batch made to the stories of other languages that report their event, and
/// indexes them, inside the batch's transaction ([`crate::Store::write_batch`]).
pub(crate) fn link_new(conn: &Connection, new: &[NewStory]) -> Result<()> {
    let mut posting = conn.prepare_cached(
        "SELECT story FROM across_keys WHERE key = ?1 ORDER BY story DESC LIMIT ?2",
    )?;
    let mut story_of = conn.prepare_cached(
        "SELECT x.language, x.article, s.first, s.last FROM across_stories x
         JOIN stories s ON s.idx = x.story WHERE x.story = ?1",
    )?;
    let mut link = conn.prepare_cached(
        "INSERT OR REPLACE INTO across_links (story, other, names, numbers) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut index = conn.prepare_cached("INSERT INTO across_keys (key, story) VALUES (?1, ?2)")?;
    let mut indexed = conn.prepare_cached(
        "INSERT INTO across_stories (story, language, article, keyed) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut languages = conn.prepare_cached(
        "SELECT language FROM across_languages WHERE language != ?1 AND last >= ?2",
    )?;
    let mut newest = conn.prepare_cached(
        "INSERT INTO across_languages (language, last) VALUES (?1, ?2)
         ON CONFLICT (language) DO UPDATE SET last = MAX(last, ?2)",
    )?;
    let mut common: FxHashMap<u32, u32> = FxHashMap::default();
    for n in new {
        let others: Vec<String> = languages
            .query_map(params![n.language, n.time - WINDOW_SECS], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        newest.execute(params![n.language, n.time])?;
        if others.is_empty() {
            indexed.execute(params![n.story, n.language, n.doc, 0])?;
            continue;
        }
        key_recorded(conn, n.time - WINDOW_SECS)?;
        let markers = Markers::of(n.title, n.text);
        let keys = markers.keys();
        common.clear();
        for other in &others {
            for &k in &keys {
                let mut rows =
                    posting.query(params![in_language(k, other), KEY_POSTINGS_SCANNED])?;
                while let Some(r) = rows.next()? {
                    *common.entry(r.get(0)?).or_default() += 1;
                }
            }
        }
        let mut candidates: Vec<(u32, u32)> = common
            .iter()
            .filter(|&(_, &c)| c >= MIN_SHARED_KEYS)
            .map(|(&s, &c)| (c, s))
            .collect();
        // Those sharing the most keys first, then the newest.
        candidates.sort_unstable_by(|a, b| b.cmp(a));
        let mut compared = 0;
        for (_, other) in candidates {
            if compared == CANDIDATES_COMPARED {
                break;
            }
            let Some((language, doc, first, last)) = story_of
                .query_row([other], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, Option<i64>>(2)?,
                        r.get::<_, Option<i64>>(3)?,
                    ))
                })
                .optional()?
            else {
                continue;
            };
            let near = first.is_some_and(|f| f <= n.time + WINDOW_SECS)
                && last.is_some_and(|l| l >= n.time - WINDOW_SECS);
            if language == n.language || !near {
                continue;
            }
            compared += 1;
            let s = shared(&markers, &stored_markers(conn, doc)?);
            if !s.linked {
                continue;
            }
            let names = serde_json::to_string(&s.names).expect("strings serialize");
            let numbers = serde_json::to_string(&s.numbers).expect("strings serialize");
            link.execute(params![n.story, other, names, numbers])?;
            link.execute(params![other, n.story, names, numbers])?;
        }
        for &k in &keys {
            index.execute(params![in_language(k, &n.language), n.story])?;
        }
        indexed.execute(params![n.story, n.language, n.doc, 1])?;
    }
    Ok(())
}

/// A story of another language that reports the same event.
#[derive(Clone, Debug, Serialize)]
pub struct AlsoReported {
    /// Its language (the language of the article that made it).
    pub language: String,
    /// The story.
    pub story: StorySummary,
    /// The names the two stories' first articles share, transliterated to ASCII letters.
    pub names: Vec<String>,
    /// The numbers they share.
    pub numbers: Vec<String>,
}

impl Store {
    /// The stories of other languages linked to the story `id` ("also reported in"), by language,
    /// then the largest first.
    pub fn also_reported_in(&self, id: &str) -> Result<Vec<AlsoReported>> {
        let mut st = self.conn.prepare_cached(
            "SELECT x.language, o.id, o.size, o.outlets, o.copies, o.first, o.last, o.headline,
                    l.names, l.numbers
             FROM stories s JOIN across_links l ON l.story = s.idx
             JOIN stories o ON o.idx = l.other JOIN across_stories x ON x.story = l.other
             WHERE s.id = ?1 ORDER BY x.language, o.size DESC, o.idx",
        )?;
        let rows = st.query_map([id], |r| {
            let list = |i: usize| -> rusqlite::Result<Vec<String>> {
                let text: String = r.get(i)?;
                Ok(serde_json::from_str(&text).unwrap_or_default())
            };
            Ok(AlsoReported {
                language: r.get(0)?,
                story: StorySummary {
                    id: r.get(1)?,
                    size: r.get::<_, i64>(2)? as u64,
                    outlets: r.get::<_, i64>(3)? as u64,
                    copies: r.get::<_, i64>(4)? as u64,
                    first: r.get(5)?,
                    last: r.get(6)?,
                    headline: r.get(7)?,
                },
                names: list(8)?,
                numbers: list(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
