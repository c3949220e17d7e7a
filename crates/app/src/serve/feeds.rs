//! Atom feeds (RFC 4287), so that a monitor can subscribe: `/feeds/top.atom`, the front page's top
//! stories (the same window and filters as `/`: `window`, `end`, `day`, `from`, `to`, `outlet`,
//! `min_outlets`), and `/feeds/search.atom?q=`, the stories matching a search, newest first, each
//! with the snippet of its first matching article (the words marked).
//!
//! The documents are written by `atom_syndication`. An entry is a story: its id a URL of this
//! server (`http://HOST/stories/ID`, the `Host` the request came with, already checked against
//! the allowed hosts), updated when its newest article was published, titled by its
//! representative headline; a story's id is stable, so a reader sees a growing story as the same
//! entry, updated.

use super::error::{ApiError, ErrorKind};
use super::front_page::{top_stories, FrontQuery};
use super::html::{esc, snippet, url_part};
use super::pages::time_span;
use super::state::AppState;
use super::stories::{self, Sort, StoryFilter};
use crate::format::count;
use atom_syndication::{Entry, Feed, FixedDateTime, Link, Person, Text};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use samestory_engine::Timestamp;
use samestory_store::StorySummary;
use serde::Deserialize;

/// Entries of a feed.
pub const FEED_ENTRIES: usize = 50;

fn when(t: Option<Timestamp>) -> FixedDateTime {
    let t = t.unwrap_or(0);
    chrono::DateTime::from_timestamp(t, 0)
        .unwrap_or_default()
        .fixed_offset()
}

/// This server's address as the request named it.
fn base(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}")
}

fn link(href: String, rel: &str, mime: Option<&str>) -> Link {
    Link {
        href,
        rel: rel.to_owned(),
        mime_type: mime.map(str::to_owned),
        ..Link::default()
    }
}

/// A story as an entry; `summary_html` goes before its counts.
fn entry(base: &str, s: &StorySummary, summary_html: &str) -> Entry {
    let url = format!("{base}/stories/{}", url_part(&s.id));
    let counts = format!(
        "{} · {} · {} · {}",
        count(s.size, "article", "articles"),
        count(s.outlets, "outlet", "outlets"),
        count(s.copies, "copy", "copies"),
        time_span(s.first, s.last)
    );
    Entry {
        title: Text::plain(s.headline.clone()),
        id: url.clone(),
        updated: when(s.last.or(s.first)),
        published: s.first.map(|t| when(Some(t))),
        links: vec![link(url, "alternate", Some("text/html"))],
        summary: Some(Text::html(format!("{summary_html}<p>{}</p>", esc(&counts)))),
        ..Entry::default()
    }
}

/// The feed around `entries`: its id and self link the feed's own URL.
fn feed(base: &str, path_and_query: &str, title: String, entries: Vec<Entry>) -> Response {
    let url = format!("{base}{path_and_query}");
    let updated = entries
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or_else(|| when(None));
    let doc = Feed {
        title: Text::plain(title),
        id: url.clone(),
        updated,
        authors: vec![Person {
            name: "samestory".to_owned(),
            ..Person::default()
        }],
        links: vec![
            link(url, "self", Some("application/atom+xml")),
            link(format!("{base}/"), "alternate", Some("text/html")),
        ],
        entries,
        ..Feed::default()
    };
    (
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        doc.to_string(),
    )
        .into_response()
}

/// `/feeds/top.atom`.
pub async fn top(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    q: Result<Query<FrontQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let q = q
        .map(|Query(q)| q)
        .map_err(|e| ApiError::new(ErrorKind::InvalidQuery, e.body_text()))?;
    let base = base(&headers);
    let at = uri
        .path_and_query()
        .map_or("/feeds/top.atom", |p| p.as_str())
        .to_owned();
    let (title, top) = state
        .read(move |s, _| top_stories(s, &q, FEED_ENTRIES))
        .await?;
    let entries = top
        .iter()
        .map(|t| {
            let here = if t.articles == t.story.size {
                String::new()
            } else {
                format!(
                    "<p>In the window: {} from {}.</p>",
                    count(t.articles, "article", "articles"),
                    count(t.outlets, "outlet", "outlets")
                )
            };
            entry(&base, &t.story, &here)
        })
        .collect();
    Ok(feed(&base, &at, title, entries))
}

#[derive(Deserialize, Default)]
pub struct SearchFeedQuery {
    pub q: Option<String>,
    pub outlet: Option<String>,
    pub min_outlets: Option<u64>,
}

/// `/feeds/search.atom?q=`.
pub async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    q: Result<Query<SearchFeedQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let q = q
        .map(|Query(q)| q)
        .map_err(|e| ApiError::new(ErrorKind::InvalidQuery, e.body_text()))?;
    let words = q.q.as_deref().map(str::trim).unwrap_or_default().to_owned();
    if words.is_empty() {
        return Err(ApiError::new(
            ErrorKind::InvalidQuery,
            "`q` is required: the words to search for",
        ));
    }
    let base = base(&headers);
    let at = uri
        .path_and_query()
        .map_or("/feeds/search.atom", |p| p.as_str())
        .to_owned();
    let title = format!("Stories matching “{words}”");
    let base_for_read = base.clone();
    let entries = state
        .read(move |s, _| {
            let page = stories::list(
                s,
                &StoryFilter {
                    q: Some(words.clone()),
                    outlet: q.outlet.clone(),
                    min_outlets: q.min_outlets,
                    sort: Sort::Newest,
                    limit: Some(FEED_ENTRIES),
                    ..Default::default()
                },
            )?;
            let ids: Vec<&str> = page.stories.iter().map(|s| s.id.as_str()).collect();
            let hits: std::collections::HashMap<String, String> =
                s.search_hits(&words, &ids)?.into_iter().collect();
            let owned = samestory_store::search_words(&words);
            let search_words: Vec<&str> = owned.iter().map(String::as_str).collect();
            let mut entries = Vec::with_capacity(page.stories.len());
            for story in &page.stories {
                let mut html = String::new();
                if let Some(id) = hits.get(&story.id) {
                    let a = s.article(id)?;
                    let title = a.row.title.as_deref().unwrap_or("");
                    if let Some(cut) = snippet(&a.clean_text, &search_words)
                        .or_else(|| snippet(title, &search_words))
                    {
                        html = format!(
                            "<p>{cut} — {}</p>",
                            esc(a.row.source.as_deref().unwrap_or("unknown"))
                        );
                    }
                }
                entries.push(entry(&base_for_read, story, &html));
            }
            Ok(entries)
        })
        .await?;
    Ok(feed(&base, &at, title, entries))
}
