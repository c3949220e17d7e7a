//! The representative headline of the stories of a list.
//!
//! A story's stored `headline` is its first article's title (written when the story is made, and
//! never again: the write path stays one insert). The lists show the story's representative
//! headline instead ([`samestory_engine::analysis::headline`]: the wording the most outlets ran,
//! then the most central), as the story page does, so that a story does not change its name
//! between the front page and its own page.
//!
//! It is chosen at read time from the listed stories' titles (two queries for the whole list): an
//! article without a title offers its clean text's first line, read from the first
//! [`LEAD_CHARS`] characters of its text with the removals that fall in them cut out.
//!
//! Choosing compares every wording of a story with every other, which for the front page's 35
//! stories of uci-headlines (380 and 206 articles among them) took most of a request. Each
//! connection keeps what it chose in a [`HeadlineCache`], keyed on the story and its size: a story
//! only ever gains articles, and the articles it has never change, so the same size is the same
//! titles.

use crate::queries::cut_ranges;
use crate::{Result, Store, StorySummary};
use rusqlite::types::Value as Sql;
use samestory_engine::analysis::headline::{heading, representative, Title};
use std::cell::RefCell;
use std::collections::HashMap;

/// Characters of an untitled article's text read for its first line.
const LEAD_CHARS: usize = 1_000;
/// Stories whose titles one query reads (SQLite's limit on parameters is far above).
const CHUNK: usize = 500;

/// Stories whose chosen headline a connection keeps; past it the cache starts over.
const CACHED_HEADLINES: usize = 100_000;

/// The representative headline chosen for each story (by id) at a size (`None`: no article had
/// one, the stored headline stays).
#[derive(Default)]
pub(crate) struct HeadlineCache(RefCell<HashMap<String, (u64, Option<String>)>>);

/// One article's heading: its index, story, outlet (else its id) and heading.
pub(crate) struct Heading {
    pub idx: i64,
    pub story: String,
    pub outlet: String,
    pub heading: String,
}

impl Store {
    /// Replaces each story's stored headline by its representative one (unchanged for a story
    /// none of whose articles has a title or a line of text).
    pub(crate) fn set_representative_headlines<'a>(
        &self,
        stories: impl IntoIterator<Item = &'a mut StorySummary>,
    ) -> Result<()> {
        let mut stories: Vec<&mut StorySummary> = {
            let cache = self.headlines.0.borrow();
            stories
                .into_iter()
                .filter_map(|s| match cache.get(&s.id) {
                    Some((size, chosen)) if *size == s.size => {
                        if let Some(h) = chosen {
                            s.headline.clone_from(h);
                        }
                        None
                    }
                    _ => Some(s),
                })
                .collect()
        };
        for chunk in stories.chunks_mut(CHUNK) {
            let ids: Vec<&str> = chunk.iter().map(|s| s.id.as_str()).collect();
            let mut by_story: HashMap<String, Vec<Heading>> = HashMap::new();
            let marks = vec!["?"; ids.len()].join(", ");
            let args = ids.iter().map(|id| Sql::Text((*id).to_owned())).collect();
            for c in self.headings(&format!("s.id IN ({marks})"), args)? {
                by_story.entry(c.story.clone()).or_default().push(c);
            }
            let mut cache = self.headlines.0.borrow_mut();
            if cache.len() + chunk.len() > CACHED_HEADLINES {
                cache.clear();
            }
            for s in chunk.iter_mut() {
                let chosen = by_story.get(&s.id).and_then(|found| {
                    let titles: Vec<Title<'_>> = found
                        .iter()
                        .map(|c| Title {
                            outlet: &c.outlet,
                            text: &c.heading,
                        })
                        .collect();
                    representative(&titles).map(|best| found[best].heading.clone())
                });
                if let Some(h) = &chosen {
                    s.headline.clone_from(h);
                }
                cache.insert(s.id.clone(), (s.size, chosen));
            }
        }
        Ok(())
    }

    /// The heading ([`heading`]) of every article matching `where_sql` (over `articles a` and
    /// `stories s`, with `args`), in story then publication order (as the story page reads
    /// them, so that ties go to the same title). Articles with neither a title nor a line of
    /// text are left out.
    pub(crate) fn headings(&self, where_sql: &str, args: Vec<Sql>) -> Result<Vec<Heading>> {
        let sql = format!(
            "SELECT s.id, a.idx, a.id, a.source, a.title,
                    CASE WHEN a.title IS NULL OR trim(a.title) = '' THEN substr(a.text, 1, {LEAD_CHARS}) END
             FROM stories s JOIN articles a ON a.story = s.idx
             WHERE {where_sql}
             ORDER BY s.idx, COALESCE(a.published, 0), a.idx"
        );
        let mut st = self.conn.prepare(&sql)?;
        // (story, article idx, outlet, title, start of the text when untitled)
        type Row = (String, i64, String, Option<String>, Option<String>);
        let rows: Vec<Row> = st
            .query_map(rusqlite::params_from_iter(args), |r| {
                let id: String = r.get(2)?;
                let source: Option<String> = r.get(3)?;
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    source.unwrap_or(id),
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut removals = self.removals_of(rows.iter().filter(|r| r.4.is_some()).map(|r| r.1))?;
        Ok(rows
            .into_iter()
            .filter_map(|(story, idx, outlet, title, lead)| {
                let clean = lead.map(|text| {
                    // Only the removals inside the start read: one past it would cut the rest.
                    let ranges = removals.remove(&idx).unwrap_or_default();
                    let inside = ranges.into_iter().filter(|&(start, _)| start < text.len());
                    cut_ranges(&text, inside)
                });
                let heading = heading(title.as_deref(), clean.as_deref().unwrap_or(""))?;
                Some(Heading {
                    idx,
                    story,
                    outlet,
                    heading,
                })
            })
            .collect())
    }

    /// The removed ranges (sorted) of the articles `idxs`.
    fn removals_of(
        &self,
        idxs: impl Iterator<Item = i64>,
    ) -> Result<HashMap<i64, Vec<(usize, usize)>>> {
        let idxs: Vec<i64> = idxs.collect();
        let mut out: HashMap<i64, Vec<(usize, usize)>> = HashMap::new();
        for chunk in idxs.chunks(CHUNK) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let sql = format!(
                "SELECT article, start, end FROM removals WHERE article IN ({marks}) ORDER BY article, start"
            );
            let mut st = self.conn.prepare(&sql)?;
            let mut q = st.query(rusqlite::params_from_iter(chunk.iter()))?;
            while let Some(r) = q.next()? {
                out.entry(r.get(0)?)
                    .or_default()
                    .push((r.get::<_, i64>(1)? as usize, r.get::<_, i64>(2)? as usize));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{write_docs, Doc};
    use crate::{Store, StoryListQuery, WindowQuery};

    const SNOWDEN: &str = "Snowden tells SXSW the NSA is setting fire to the internet";

    /// An opinion piece first, then one wire headline run by three outlets; and an untitled
    /// story whose articles open on one line.
    fn store() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        let doc = |id, source, title, published, text, story| Doc {
            id,
            source,
            title,
            published: Some(published),
            text,
            story,
            original: 0,
        };
        let snow = (0, "snowden");
        let fed = (1, "fed");
        write_docs(
            &mut store,
            &[
                doc(
                    "op",
                    Some("Opinion Daily"),
                    Some("Edward Snowden Is a Stain Upon the Constitution"),
                    1_000,
                    "snowden spoke",
                    snow,
                ),
                doc(
                    "w1",
                    Some("Wire"),
                    Some(SNOWDEN),
                    1_100,
                    "snowden spoke at sxsw",
                    snow,
                ),
                doc(
                    "w2",
                    Some("Herald"),
                    Some(SNOWDEN),
                    1_200,
                    "snowden spoke at sxsw by video",
                    snow,
                ),
                doc(
                    "w3",
                    Some("Post"),
                    Some(SNOWDEN),
                    1_300,
                    "snowden spoke at sxsw from russia",
                    snow,
                ),
                doc(
                    "f1",
                    Some("A"),
                    None,
                    1_400,
                    "Fed chief hints at slower taper\nThe chair said",
                    fed,
                ),
                doc("f2", None, None, 1_500, "\nFed holds rates\nand more", fed),
                doc(
                    "f3",
                    Some("B"),
                    Some("  "),
                    1_600,
                    "Fed holds rates\nsaid on Wednesday",
                    fed,
                ),
            ],
        );
        store
    }

    #[test]
    fn lists_name_a_story_by_the_title_most_outlets_ran_not_its_first() {
        let store = store();
        // Stored: the first article's title, and the first article's words.
        assert_eq!(store.stories(10).unwrap().len(), 2);
        let listed = store
            .story_list(&StoryListQuery {
                limit: 10,
                ..Default::default()
            })
            .unwrap();
        let headline = |id: &str| {
            listed
                .iter()
                .find(|s| s.summary.id == id)
                .unwrap()
                .summary
                .headline
                .clone()
        };
        assert_eq!(headline("snowden"), SNOWDEN);
        // Untitled (or blank-titled) articles offer their first line: two outlets ran this one.
        assert_eq!(headline("fed"), "Fed holds rates");
        let window = store
            .window_stories(&WindowQuery {
                from: 0,
                until: 2_000,
                recent_from: 1_500,
                limit: 10,
                ..Default::default()
            })
            .unwrap();
        assert!(
            window.iter().any(|w| w.story.headline == SNOWDEN),
            "{window:?}"
        );
        assert_eq!(store.story("snowden").unwrap().0.headline, SNOWDEN);
        assert!(store
            .stories(10)
            .unwrap()
            .iter()
            .any(|s| s.headline == SNOWDEN));
    }

    /// The headline a connection chose is kept for the story's size, and chosen again once the
    /// story has grown.
    #[test]
    fn a_kept_headline_is_chosen_again_when_the_story_grows() {
        let mut store = Store::open_in_memory().unwrap();
        let doc = |id, source, title, published| Doc {
            id,
            source: Some(source),
            title: Some(title),
            published: Some(published),
            text: "the river flooded the town",
            story: (0, "flood"),
            original: 0,
        };
        let headline = |store: &Store| {
            store
                .story_list(&StoryListQuery {
                    limit: 10,
                    ..Default::default()
                })
                .unwrap()[0]
                .summary
                .headline
                .clone()
        };
        write_docs(
            &mut store,
            &[doc("a", "Local", "River bursts its banks", 1_000)],
        );
        assert_eq!(headline(&store), "River bursts its banks");
        assert_eq!(headline(&store), "River bursts its banks", "kept");
        write_docs(
            &mut store,
            &[
                doc("b", "Wire", "Town flooded as river rises", 1_100),
                doc("c", "Herald", "Town flooded as river rises", 1_200),
            ],
        );
        assert_eq!(headline(&store), "Town flooded as river rises");
    }
}
