//! Reading stories for the server: the filtered, paginated list, and a story's analysis with its
//! cache.
//!
//! Pagination is by key, not by offset: the cursor carries the sort key of the last story served,
//! so a page stays right while new articles arrive (an offset would skip or repeat stories). The
//! cursor is opaque to clients (hex of `sort.key.idx`) and checked when read back.
//!
//! The query itself is the store's ([`Store::story_list`]): it reads the outlet and copy counts
//! kept on each story and walks the index of the sort order, so a page costs the same however
//! many stories there are.
//!
//! A story's analysis is computed from the texts the story read has just loaded and kept in
//! [`AnalysisCache`], which serves it for up to [`STALE_FOR`] after the story changed rather than
//! recompute it on every read of a growing story (why, and what that means for clients, there).

use super::error::{ApiError, ErrorKind};
use samestory_engine::Timestamp;
use samestory_store::{
    ArticleFull, ArticleRow, Store, StoryAnalysisView, StoryListKey, StoryListQuery, StoryOrder,
    StorySummary,
};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 200;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Most recently updated first.
    #[default]
    Newest,
    /// Most articles first.
    Largest,
}

/// The filters of `GET /api/stories` (and of the front page's search).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct StoryFilter {
    /// Stories whose last article is at or after this time.
    pub since: Option<String>,
    /// Stories whose first article is at or before this time.
    pub until: Option<String>,
    /// Full-text search over titles and clean texts.
    pub q: Option<String>,
    /// Stories with an article from this outlet (case-insensitive).
    pub outlet: Option<String>,
    pub min_outlets: Option<u64>,
    /// Stories with an article in this language (ISO 639 code).
    pub language: Option<String>,
    pub limit: Option<usize>,
    pub cursor: Option<String>,
    #[serde(default)]
    pub sort: Sort,
    /// How `GET /api/stories` writes the page.
    #[serde(default)]
    pub format: ListFormat,
}

/// How a story list is written: a JSON page, or the stories alone as CSV or JSON Lines (for
/// spreadsheets and pipelines; the next page's cursor then goes in the `X-Next-Cursor` header).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListFormat {
    #[default]
    Json,
    Csv,
    Jsonl,
}

#[derive(Debug, Serialize)]
pub struct StoryPage {
    pub stories: Vec<StorySummary>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

fn time_param(name: &str, v: &Option<String>) -> Result<Option<Timestamp>, ApiError> {
    let Some(s) = v.as_deref().filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    crate::input::parse_time(&serde_json::Value::String(s.to_owned()))
        .map(Some)
        .ok_or_else(|| {
            ApiError::new(
                ErrorKind::InvalidQuery,
                format!(
                    "`{name}`: cannot read {s:?} as a time (RFC 3339, YYYY-MM-DD or epoch seconds)"
                ),
            )
        })
}

fn encode_cursor(sort: Sort, key: &[i64]) -> String {
    let tag = match sort {
        Sort::Newest => "n",
        Sort::Largest => "l",
    };
    let mut s = tag.to_owned();
    for k in key {
        s.push('.');
        s.push_str(&k.to_string());
    }
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

fn decode_cursor(sort: Sort, cursor: &str) -> Result<Vec<i64>, ApiError> {
    let bad = || {
        ApiError::new(
            ErrorKind::InvalidQuery,
            "`cursor` is not one this server gave",
        )
    };
    if !cursor.len().is_multiple_of(2) || !cursor.is_ascii() {
        return Err(bad());
    }
    let bytes: Vec<u8> = (0..cursor.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&cursor[i..i + 2], 16))
        .collect::<Result<_, _>>()
        .map_err(|_| bad())?;
    let s = String::from_utf8(bytes).map_err(|_| bad())?;
    let mut parts = s.split('.');
    let want = match (parts.next(), sort) {
        (Some("n"), Sort::Newest) => 2,
        (Some("l"), Sort::Largest) => 3,
        _ => return Err(bad()),
    };
    let key: Vec<i64> = parts
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| bad())?;
    if key.len() != want {
        return Err(bad());
    }
    Ok(key)
}

/// The most distinct words a search may have: each is one more FTS5 term to intersect, and no
/// reader needs more (repeated words count once, see [`samestory_store::search_words`]).
pub const MAX_SEARCH_WORDS: usize = 32;

/// The stories matching `f`, one page of them.
pub fn list(store: &Store, f: &StoryFilter) -> Result<StoryPage, ApiError> {
    if let Some(q) = &f.q {
        let words = samestory_store::search_words(q).len();
        if words > MAX_SEARCH_WORDS {
            return Err(ApiError::new(
                ErrorKind::InvalidQuery,
                format!(
                    "q has {words} distinct words; at most {MAX_SEARCH_WORDS} are searched for"
                ),
            ));
        }
    }
    let limit = f.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let since = time_param("since", &f.since)?;
    let until = time_param("until", &f.until)?;
    let language =
        match f.language.as_deref().filter(|l| !l.is_empty()) {
            Some(l) => Some(crate::cli::parse_language_arg(l).map_err(|why| {
                ApiError::new(ErrorKind::InvalidQuery, format!("`language`: {why}"))
            })?),
            None => None,
        };
    let after = match f.cursor.as_deref().filter(|c| !c.is_empty()) {
        Some(c) => {
            let key = decode_cursor(f.sort, c)?;
            Some(match f.sort {
                Sort::Newest => StoryListKey {
                    size: 0,
                    last: key[0],
                    idx: key[1],
                },
                Sort::Largest => StoryListKey {
                    size: key[0],
                    last: key[1],
                    idx: key[2],
                },
            })
        }
        None => None,
    };
    let query = StoryListQuery {
        since,
        until,
        words: f.q.as_deref(),
        outlet: f.outlet.as_deref().filter(|o| !o.is_empty()),
        min_outlets: f.min_outlets.filter(|&n| n > 1),
        language: language.as_ref().map(|l| l.as_str()),
        order: match f.sort {
            Sort::Newest => StoryOrder::Newest,
            Sort::Largest => StoryOrder::Largest,
        },
        after,
        // One more than a page: whether there is a next page.
        limit: limit + 1,
    };
    let mut rows = store.story_list(&query)?;
    let next_cursor = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|s| {
            let k = s.key;
            match f.sort {
                Sort::Newest => encode_cursor(f.sort, &[k.last, k.idx]),
                Sort::Largest => encode_cursor(f.sort, &[k.size, k.last, k.idx]),
            }
        })
    } else {
        None
    };
    Ok(StoryPage {
        stories: rows.into_iter().map(|s| s.summary).collect(),
        next_cursor,
    })
}

/// A story's articles without their texts, and its analysis: what `GET /api/stories/{id}` shows.
/// The texts are read only when the analysis has to be made again.
pub fn load_story_rows(
    store: &Store,
    cache: &AnalysisCache,
    id: &str,
) -> Result<(StorySummary, Vec<ArticleRow>, Analysis), ApiError> {
    let (summary, rows) = store.story(id)?;
    let refs: Vec<&ArticleRow> = rows.iter().collect();
    // In the request's read transaction, so the same articles as `rows`.
    let analysis = cache.get(&summary.id, &refs, || {
        Ok(Cow::Owned(store.story_full(&summary.id)?.1))
    })?;
    Ok((summary, rows, analysis))
}

/// Story analyses in memory, keyed on the story id, each with the member set (article ids and
/// originals) it was computed on and when.
///
/// Under steady ingest a story that is read is usually one that is growing, so a cache that had to
/// match the member set exactly would recompute on nearly every read. Instead an analysis is served
/// while it is at most [`STALE_FOR`] old even when articles joined since; past that, the next read
/// recomputes it (from the texts it has just read, with no further query). A story is thus
/// analysed at most about once per [`STALE_FOR`] however often it is read, and an answer lags the
/// story by at most that much. A stale analysis is still self-consistent: `docs` names the
/// articles it covers, and spans point into those articles' clean texts, which never change.
/// The cache is per server process (the database's own cache, keyed on the exact member set, is
/// the CLI's; readers here are read-only and do not fill it).
#[derive(Default)]
pub struct AnalysisCache {
    map: Mutex<HashMap<String, CachedAnalysis>>,
}

/// How long an analysis is served after the story changed (see [`AnalysisCache`]).
pub const STALE_FOR: Duration = Duration::from_secs(2);

struct CachedAnalysis {
    members: Vec<(String, Option<String>)>,
    computed: Instant,
    /// A reader is recomputing it: the others keep serving this one meanwhile.
    refreshing: bool,
    analysis: Analysis,
}

/// An analysis, and its JSON (made once, for every API answer that carries it).
#[derive(Clone)]
pub struct Analysis {
    pub view: Arc<StoryAnalysisView>,
    pub json: Arc<str>,
}

/// Analyses kept at most; past it the cache starts over (stories read often are back quickly).
const CACHE_STORIES: usize = 1024;

/// An outlet's display name: its source, else its article id.
pub fn outlet_of(source: Option<&str>, id: &str) -> String {
    source.unwrap_or(id).to_owned()
}

impl AnalysisCache {
    /// The analysis of a story whose articles (in publication order) are `rows`: the cached one
    /// when it is current or recent (or already being recomputed by another reader), else a new
    /// one made from the articles `texts` gives (the same ones, with their texts), which is only
    /// called then.
    pub fn get<'a>(
        &self,
        story: &str,
        rows: &[&ArticleRow],
        texts: impl FnOnce() -> Result<Cow<'a, [ArticleFull]>, ApiError>,
    ) -> Result<Analysis, ApiError> {
        let members: Vec<(String, Option<String>)> = rows
            .iter()
            .map(|a| (a.id.clone(), a.copy_of.clone()))
            .collect();
        if let Some(c) = self.map.lock().expect("cache lock").get_mut(story) {
            if c.members == members || c.computed.elapsed() < STALE_FOR || c.refreshing {
                return Ok(c.analysis.clone());
            }
            c.refreshing = true;
        }
        let articles = match texts() {
            Ok(a) => a,
            Err(e) => {
                if let Some(c) = self.map.lock().expect("cache lock").get_mut(story) {
                    c.refreshing = false;
                }
                return Err(e);
            }
        };
        let computed = Instant::now();
        let view = StoryAnalysisView::compute(
            story,
            articles.iter().map(|a| (&a.row, a.clean_text.as_str())),
        );
        let json: Arc<str> = serde_json::to_string(&view)
            .expect("analysis serializes")
            .into();
        let analysis = Analysis {
            view: Arc::new(view),
            json,
        };
        let mut map = self.map.lock().expect("cache lock");
        if map.len() >= CACHE_STORIES {
            map.clear();
        }
        map.insert(
            story.to_owned(),
            CachedAnalysis {
                members,
                computed,
                refreshing: false,
                analysis: analysis.clone(),
            },
        );
        Ok(analysis)
    }
}

/// A story with everything the story page and `GET /api/stories/{id}` show.
pub struct StoryFull {
    pub summary: StorySummary,
    pub articles: Vec<ArticleFull>,
    /// Covers the articles its `docs` name: the first [`samestory_store::MAX_ANALYSED`] of
    /// `articles`, or, at most [`STALE_FOR`] after the story changed, the ones it had then.
    pub analysis: Arc<StoryAnalysisView>,
}

impl StoryFull {
    /// The analysis document of each article (`None` for one it does not cover).
    pub fn docs_of_articles(&self) -> Vec<Option<usize>> {
        let docs = &self.analysis.docs;
        let aligned = docs
            .iter()
            .zip(&self.articles)
            .all(|(d, a)| d.id == a.row.id);
        if aligned {
            return (0..self.articles.len())
                .map(|i| (i < docs.len()).then_some(i))
                .collect();
        }
        let by_id: HashMap<&str, usize> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.as_str(), i))
            .collect();
        self.articles
            .iter()
            .map(|a| by_id.get(a.row.id.as_str()).copied())
            .collect()
    }
}

pub fn load_story(store: &Store, cache: &AnalysisCache, id: &str) -> Result<StoryFull, ApiError> {
    let (summary, articles) = store.story_full(id)?;
    let rows: Vec<&ArticleRow> = articles.iter().map(|a| &a.row).collect();
    let analysis = cache.get(&summary.id, &rows, || Ok(Cow::Borrowed(&articles[..])))?;
    Ok(StoryFull {
        summary,
        articles,
        analysis: analysis.view,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_the_other_sort() {
        let c = encode_cursor(Sort::Largest, &[5, -1, 42]);
        assert_eq!(decode_cursor(Sort::Largest, &c).unwrap(), vec![5, -1, 42]);
        assert!(decode_cursor(Sort::Newest, &c).is_err());
        assert!(decode_cursor(Sort::Newest, "zz").is_err());
    }

    fn article(id: &str, text: &str) -> ArticleFull {
        ArticleFull {
            row: samestory_store::ArticleRow {
                id: id.into(),
                url: None,
                title: None,
                source: Some(format!("outlet-{id}")),
                published: None,
                story: "s1".into(),
                copy_of: None,
                copy_jaccard: None,
                copy_exact: false,
                words: 0,
                story_similarity: None,
                language: None,
            },
            text: text.into(),
            clean_text: text.into(),
            removals: Vec::new(),
            meta: serde_json::Value::Null,
        }
    }

    #[test]
    fn a_recent_analysis_is_served_after_its_story_grew_and_matched_by_id() {
        let text = "The council approved the new bridge on Monday. Work starts in May.";
        let cache = AnalysisCache::default();
        let two = vec![article("a", text), article("b", text)];
        let get = |arts: &Vec<ArticleFull>| {
            let rows: Vec<&ArticleRow> = arts.iter().map(|a| &a.row).collect();
            cache
                .get("s1", &rows, || Ok(Cow::Borrowed(&arts[..])))
                .unwrap()
        };
        let first = get(&two);
        assert_eq!(first.view.docs.len(), 2);
        // A third article arrives before the first in publication order: within STALE_FOR the
        // cached analysis answers, and articles are matched to its docs by id.
        let three = vec![article("c", text), article("a", text), article("b", text)];
        let again = get(&three);
        assert!(Arc::ptr_eq(&first.view, &again.view));
        let full = StoryFull {
            summary: StorySummary {
                id: "s1".into(),
                size: 3,
                outlets: 3,
                copies: 0,
                first: None,
                last: None,
                headline: String::new(),
            },
            articles: three.clone(),
            analysis: again.view,
        };
        assert_eq!(full.docs_of_articles(), vec![None, Some(0), Some(1)]);
        // Past STALE_FOR a changed story is analysed again, whole.
        cache.map.lock().unwrap().get_mut("s1").unwrap().computed -= STALE_FOR;
        let fresh = get(&three);
        assert_eq!(fresh.view.docs.len(), 3);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&fresh.json).unwrap()["docs"][0]["id"],
            "c"
        );
    }
}
