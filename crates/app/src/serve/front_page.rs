//! `/`: the front page. Top stories of a window of time, the stories developing in it, and search.
//!
//! - **The window**: `?window=24h|7d|30d` (default 24 h) ending at `?end=` (a time; default the
//!   newest article, so that a database of past news opens on its news and a live one on now),
//!   or one UTC day (`?day=YYYY-MM-DD`), or a range of days (`?from=YYYY-MM-DD&to=YYYY-MM-DD`,
//!   both included). Links step it back and forth by its own length.
//! - **Top stories**: ranked by the outlets that reported the story inside the window, then its
//!   articles there, then the newest; [`PAGE_STORIES`] a page (`?page=`).
//! - **Developing**: the stories with the most articles in the window's last quarter (its last 6
//!   hours for 24 h), each with how many — fast growth now, whatever the story's size.
//! - **Filters**: `?outlet=` (stories with an article of that outlet in the window),
//!   `?min_outlets=` (at least that many outlets in the window). No language filter yet (the
//!   story list has one: `GET /api/stories?language=`, `samestory stories --language`).
//! - **Search** (`?q=`): the stories whose articles hold every word, each with a snippet of its
//!   first matching article, the words marked ([`super::html::snippet`]). The full-text index is
//!   contentless (it keeps no text, see the store's schema), so FTS5's `snippet()` cannot make
//!   them; the snippet is cut from the stored article instead.

use super::error::{ApiError, ErrorKind};
use super::html::{esc, page, snippet, url_part};
use super::pages::{time_span, PageError};
use super::state::AppState;
use super::stories::{self, StoryFilter};
use crate::format::{count, fmt_time};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Html;
use samestory_engine::Timestamp;
use samestory_store::{Store, StorySummary, WindowOrder, WindowQuery, WindowStory};
use serde::Deserialize;
use std::fmt::Write;

/// Stories a page of the front page.
pub const PAGE_STORIES: usize = 30;
/// Developing stories shown.
const DEVELOPING: usize = 5;
const DAY: i64 = 86_400;

#[derive(Deserialize, Default, Clone)]
pub struct FrontQuery {
    pub q: Option<String>,
    pub day: Option<String>,
    pub window: Option<String>,
    pub end: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub outlet: Option<String>,
    pub min_outlets: Option<String>,
    pub page: Option<usize>,
    pub cursor: Option<String>,
}

/// The window asked for: its bounds, what to call it, and how to link to its neighbours.
struct Window {
    from: Timestamp,
    until: Timestamp,
    title: String,
    /// The query (without filters) of the window before and after this one.
    earlier: String,
    later: Option<String>,
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorKind::InvalidQuery, message)
}

fn parse_day(name: &str, v: &str) -> Result<Timestamp, ApiError> {
    chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map(|d| {
            d.and_hms_opt(0, 0, 0)
                .expect("midnight")
                .and_utc()
                .timestamp()
        })
        .map_err(|_| bad(format!("`{name}` must be YYYY-MM-DD, not {v:?}")))
}

fn fmt_day(t: Timestamp) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string())
}

/// The window of `q` over a database whose newest article is at `newest`.
fn window(q: &FrontQuery, newest: Option<Timestamp>) -> Result<Window, ApiError> {
    let some = |v: &Option<String>| v.as_deref().filter(|s| !s.is_empty()).map(str::to_owned);
    if let (Some(from), Some(to)) = (some(&q.from), some(&q.to)) {
        let (from, to) = (parse_day("from", &from)?, parse_day("to", &to)?);
        if to < from {
            return Err(bad("`to` is before `from`"));
        }
        let len = to - from + DAY;
        return Ok(Window {
            from,
            until: to + DAY,
            title: format!("Top stories of {} to {}", fmt_day(from), fmt_day(to)),
            earlier: format!("from={}&to={}", fmt_day(from - len), fmt_day(from - DAY)),
            later: Some(format!(
                "from={}&to={}",
                fmt_day(to + DAY),
                fmt_day(to + len)
            )),
        });
    }
    if let Some(day) = some(&q.day) {
        let from = parse_day("day", &day)?;
        return Ok(Window {
            from,
            until: from + DAY,
            title: format!("Top stories of {}", fmt_day(from)),
            earlier: format!("day={}", fmt_day(from - DAY)),
            later: Some(format!("day={}", fmt_day(from + DAY))),
        });
    }
    let (name, len) = match some(&q.window).as_deref() {
        None | Some("24h") => ("24h", DAY),
        Some("7d") => ("7d", 7 * DAY),
        Some("30d") => ("30d", 30 * DAY),
        Some(other) => return Err(bad(format!("`window` is 24h, 7d or 30d, not {other:?}"))),
    };
    let end = match some(&q.end) {
        Some(e) => crate::input::parse_time(&serde_json::Value::String(e.clone()))
            .ok_or_else(|| bad(format!("`end`: cannot read {e:?} as a time")))?,
        None => newest.map_or_else(|| chrono::Utc::now().timestamp(), |t| t + 1),
    };
    let label = match name {
        "24h" => "24 hours",
        "7d" => "7 days",
        _ => "30 days",
    };
    Ok(Window {
        from: end - len,
        until: end,
        title: format!("Top stories of the {label} to {}", fmt_time(Some(end))),
        earlier: format!("window={name}&end={}", end - len),
        later: Some(format!("window={name}&end={}", end + len)),
    })
}

/// The filters of `q` as query parameters (to carry them over in links), leading `&`.
fn filter_params(q: &FrontQuery) -> String {
    let mut out = String::new();
    if let Some(o) = q.outlet.as_deref().filter(|s| !s.is_empty()) {
        let _ = write!(out, "&amp;outlet={}", url_part(o));
    }
    if let Some(n) = q.min_outlets.as_deref().filter(|s| !s.is_empty()) {
        let _ = write!(out, "&amp;min_outlets={}", url_part(n));
    }
    out
}

fn min_outlets(q: &FrontQuery) -> Result<Option<u64>, ApiError> {
    match q
        .min_outlets
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Ok(None),
        Some(n) => n
            .parse::<u64>()
            .map(Some)
            .map_err(|_| bad(format!("`min_outlets` must be a whole number, not {n:?}"))),
    }
}

/// One story of a list: headline, counts, time span, and the extra line (a snippet, growth).
pub fn story_item(out: &mut String, s: &StorySummary, extra: &str) {
    let _ = write!(
        out,
        "<li><a class=\"headline\" href=\"/stories/{}\">{}</a><div class=\"meta\">{} · {} · {} · {}</div>{extra}</li>",
        url_part(&s.id),
        esc(&s.headline),
        count(s.size, "article", "articles"),
        count(s.outlets, "outlet", "outlets"),
        count(s.copies, "copy", "copies"),
        esc(&time_span(s.first, s.last)),
    );
}

/// The filter form: window, outlet, minimum outlets (the window's bounds kept as hidden fields).
fn filter_form(out: &mut String, q: &FrontQuery) {
    out.push_str("<form class=\"filters\" action=\"/\" method=\"get\">");
    for (name, v) in [
        ("day", &q.day),
        ("from", &q.from),
        ("to", &q.to),
        ("end", &q.end),
    ] {
        if let Some(v) = v.as_deref().filter(|s| !s.is_empty()) {
            let _ = write!(
                out,
                "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
                esc(v)
            );
        }
    }
    let current = q.window.as_deref().unwrap_or("24h");
    out.push_str("<label>Window <select name=\"window\" id=\"window\">");
    for (v, label) in [("24h", "24 hours"), ("7d", "7 days"), ("30d", "30 days")] {
        let _ = write!(
            out,
            "<option value=\"{v}\"{}>{label}</option>",
            if v == current { " selected" } else { "" }
        );
    }
    let _ = write!(
        out,
        "</select></label> <label>Outlet <input type=\"text\" name=\"outlet\" id=\"outlet\" value=\"{}\" size=\"14\"></label> \
         <label>At least <input type=\"text\" name=\"min_outlets\" id=\"min_outlets\" value=\"{}\" size=\"3\"> outlets</label> \
         <button type=\"submit\" id=\"apply\">Apply</button></form>",
        esc(q.outlet.as_deref().unwrap_or("")),
        esc(q.min_outlets.as_deref().unwrap_or("")),
    );
}

/// The search results: stories with every word, each with its snippet.
fn search(s: &Store, q: &FrontQuery, words: &str) -> Result<String, ApiError> {
    let page = stories::list(
        s,
        &StoryFilter {
            q: Some(words.to_owned()),
            outlet: q.outlet.clone(),
            min_outlets: min_outlets(q)?,
            limit: Some(PAGE_STORIES),
            cursor: q.cursor.clone(),
            ..Default::default()
        },
    )?;
    let ids: Vec<&str> = page.stories.iter().map(|s| s.id.as_str()).collect();
    let hits: std::collections::HashMap<String, String> =
        s.search_hits(words, &ids)?.into_iter().collect();
    let owned_words = samestory_store::search_words(words);
    let search_words: Vec<&str> = owned_words.iter().map(String::as_str).collect();
    let mut out = String::new();
    let _ = write!(
        out,
        "<h1>Stories matching “{}”</h1><p class=\"muted\" id=\"found\">{}{}</p><ul class=\"stories\">",
        esc(words),
        count(page.stories.len() as u64, "story", "stories"),
        if page.next_cursor.is_some() { " on this page" } else { "" }
    );
    for story in &page.stories {
        let mut extra = String::new();
        if let Some(article) = hits.get(&story.id) {
            let a = s.article(article)?;
            let title = a.row.title.as_deref().unwrap_or("");
            let text = snippet(title, &search_words)
                .filter(|_| a.clean_text.trim() == title.trim())
                .or_else(|| snippet(&a.clean_text, &search_words))
                .or_else(|| snippet(title, &search_words));
            if let Some(html) = text {
                let _ = write!(
                    extra,
                    "<p class=\"snippet\">{html} <span class=\"muted\">— {}</span></p>",
                    esc(a.row.source.as_deref().unwrap_or("unknown"))
                );
            }
        }
        story_item(&mut out, story, &extra);
    }
    out.push_str("</ul>");
    if let Some(c) = page.next_cursor {
        let _ = write!(
            out,
            "<nav class=\"pages\"><a href=\"/?q={}{}&amp;cursor={}\">more results →</a></nav>",
            url_part(words),
            filter_params(q),
            url_part(&c)
        );
    }
    Ok(out)
}

/// `/`.
pub async fn front(
    State(state): State<AppState>,
    query: Result<Query<FrontQuery>, QueryRejection>,
) -> Result<Html<String>, PageError> {
    let q = query
        .map(|Query(q)| q)
        .map_err(|e| ApiError::new(ErrorKind::InvalidQuery, e.body_text()))?;
    let words = q.q.as_deref().unwrap_or_default().trim().to_owned();
    let shown_q = words.clone();
    let body = state
        .read(move |s, _| {
            if !words.is_empty() {
                return search(s, &q, &words);
            }
            front_body(s, &q)
        })
        .await?;
    Ok(Html(page("Stories", &shown_q, &body)))
}

/// The top stories of `q`'s window (and filters), `limit` of them after `offset`.
fn top_query<'q>(
    q: &'q FrontQuery,
    w: &Window,
    offset: usize,
    limit: usize,
) -> Result<WindowQuery<'q>, ApiError> {
    let len = w.until - w.from;
    Ok(WindowQuery {
        from: w.from,
        until: w.until,
        recent_from: w.until - (len / 4).max(3_600),
        outlet: q.outlet.as_deref().map(str::trim).filter(|o| !o.is_empty()),
        min_outlets: min_outlets(q)?,
        order: WindowOrder::Outlets,
        offset,
        limit,
    })
}

/// The window's title and its first `limit` top stories, as the front page ranks them (for the
/// feed of top stories); an empty list when no article is dated.
pub fn top_stories(
    s: &Store,
    q: &FrontQuery,
    limit: usize,
) -> Result<(String, Vec<WindowStory>), ApiError> {
    let Some((_, newest)) = s.article_time_range()? else {
        return Ok(("Top stories".to_owned(), Vec::new()));
    };
    let w = window(q, Some(newest))?;
    let top = s.window_stories(&top_query(q, &w, 0, limit)?)?;
    Ok((w.title, top))
}

fn front_body(s: &Store, q: &FrontQuery) -> Result<String, ApiError> {
    let range = s.article_time_range()?;
    let mut out = String::new();
    let Some((oldest, newest)) = range else {
        // No dated article: the largest stories.
        let page = stories::list(
            s,
            &StoryFilter {
                sort: stories::Sort::Largest,
                limit: Some(stories::MAX_LIMIT),
                ..Default::default()
            },
        )?;
        out.push_str("<h1>Stories</h1>");
        if page.stories.is_empty() {
            out.push_str(
                "<p>No articles yet. Post some to <code>/api/articles</code> or run \
                 <code>samestory ingest</code>.</p>",
            );
        } else {
            out.push_str("<p class=\"muted\">No story has a date; largest first.</p>");
        }
        out.push_str("<ul class=\"stories\">");
        for story in &page.stories {
            story_item(&mut out, story, "");
        }
        out.push_str("</ul>");
        return Ok(out);
    };
    let w = window(q, Some(newest))?;
    let page_no = q.page.unwrap_or(1).max(1);
    let filters = filter_params(q);
    let base = top_query(q, &w, (page_no - 1) * PAGE_STORIES, PAGE_STORIES + 1)?;
    let recent_from = base.recent_from;
    let mut top = s.window_stories(&base)?;
    let more = top.len() > PAGE_STORIES;
    top.truncate(PAGE_STORIES);
    let _ = write!(out, "<h1 id=\"window-title\">{}</h1>", esc(&w.title));
    out.push_str("<nav class=\"windows\">");
    for (v, label) in [
        ("24h", "last 24 hours"),
        ("7d", "last 7 days"),
        ("30d", "last 30 days"),
    ] {
        let _ = write!(out, "<a href=\"/?window={v}{filters}\">{label}</a>");
    }
    out.push_str("</nav>");
    filter_form(&mut out, q);
    out.push_str("<nav class=\"days\">");
    if w.from > oldest {
        let _ = write!(
            out,
            "<a id=\"earlier\" href=\"/?{}{filters}\">← earlier</a>",
            w.earlier.replace('&', "&amp;")
        );
    }
    if let Some(later) = w.later.as_deref().filter(|_| w.until <= newest) {
        let _ = write!(
            out,
            "<a id=\"later\" href=\"/?{}{filters}\">later →</a>",
            later.replace('&', "&amp;")
        );
    }
    out.push_str("</nav>");

    if page_no == 1 {
        let developing = s.window_stories(&WindowQuery {
            order: WindowOrder::Growth,
            offset: 0,
            limit: DEVELOPING,
            ..base.clone()
        })?;
        if !developing.is_empty() {
            let _ = write!(
                out,
                "<h2>Developing</h2><p class=\"muted\">Most articles since {}.</p><ul class=\"stories developing\">",
                esc(&fmt_time(Some(recent_from)))
            );
            for d in &developing {
                let extra = format!(
                    "<div class=\"meta\"><span class=\"growth\">+{}</span> since {}</div>",
                    count(d.recent, "article", "articles"),
                    esc(&fmt_time(Some(recent_from)))
                );
                story_item(&mut out, &d.story, &extra);
            }
            out.push_str("</ul>");
        }
    }

    out.push_str("<h2>Top stories</h2>");
    if top.is_empty() {
        out.push_str(
            "<p class=\"muted\" id=\"none\">No story in this window with these filters.</p>",
        );
    }
    out.push_str("<ul class=\"stories top\">");
    for t in &top {
        story_item(&mut out, &t.story, &window_line(t));
    }
    out.push_str("</ul>");
    if page_no > 1 || more {
        let here = window_params(q);
        out.push_str("<nav class=\"pages\">");
        if page_no > 1 {
            let _ = write!(
                out,
                "<a href=\"/?{here}{filters}&amp;page={}\">← previous page</a>",
                page_no - 1
            );
        }
        let _ = write!(out, " <span>page {page_no}</span> ");
        if more {
            let _ = write!(
                out,
                "<a id=\"next-page\" href=\"/?{here}{filters}&amp;page={}\">next page →</a>",
                page_no + 1
            );
        }
        out.push_str("</nav>");
    }
    Ok(out)
}

/// What a story had in the window, when that is not all of it.
fn window_line(t: &WindowStory) -> String {
    if t.articles == t.story.size {
        return String::new();
    }
    format!(
        "<div class=\"meta\">in this window: {} from {}</div>",
        count(t.articles, "article", "articles"),
        count(t.outlets, "outlet", "outlets")
    )
}

/// The window's own parameters, for the page links (escaped for an attribute).
fn window_params(q: &FrontQuery) -> String {
    let mut parts = Vec::new();
    for (name, v) in [
        ("window", &q.window),
        ("end", &q.end),
        ("day", &q.day),
        ("from", &q.from),
        ("to", &q.to),
    ] {
        if let Some(v) = v.as_deref().filter(|s| !s.is_empty()) {
            parts.push(format!("{name}={}", url_part(v)));
        }
    }
    parts.join("&amp;")
}
