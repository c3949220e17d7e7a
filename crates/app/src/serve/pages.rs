//! The web pages, rendered on the server: no JavaScript, no build step, one small style sheet.
//! Every text from the database is escaped ([`esc`], [`highlight`]).

use super::error::{ApiError, ErrorKind};
use super::html::{esc, highlight, page, url_part, STYLE};
use super::state::AppState;
use super::stories::{self, StoryFilter, StoryFull};
use crate::format::fmt_time;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use samestory_engine::analysis::compare_pair;
use samestory_engine::analysis::DocText;
use samestory_engine::{Span, Timestamp};
use samestory_store::StorySummary;
use serde::Deserialize;
use std::fmt::Write;

/// An error shown as a page, with the status the API would give.
pub struct PageError(ApiError);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, code) = self.0.kind.status();
        let body = format!(
            "<h1>{}</h1><p>{}</p><p class=\"muted\">{}</p>",
            esc(status.canonical_reason().unwrap_or("Error")),
            esc(&self.0.message),
            esc(code)
        );
        (status, Html(page("Error", "", &body))).into_response()
    }
}

type PageResult = Result<Html<String>, PageError>;

pub async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
}

/// The sign-in page of a `--private` server: a form that sends the token to `POST /login`.
pub fn sign_in_page(status: axum::http::StatusCode, message: Option<&str>) -> Response {
    let note = message.map_or(String::new(), |m| {
        format!("<p class=\"error\">{}</p>", esc(m))
    });
    let body = format!(
        "<h1>Sign in</h1><p>This server is private: its pages need the server's token.</p>{note}\
         <form action=\"/login\" method=\"post\"><label>Token <input type=\"password\" \
         name=\"token\" autocomplete=\"current-password\" required></label> \
         <button type=\"submit\">Sign in</button></form>"
    );
    (status, Html(page("Sign in", "", &body))).into_response()
}

pub async fn login_form() -> Response {
    sign_in_page(axum::http::StatusCode::OK, None)
}

#[derive(Deserialize)]
pub struct LoginForm {
    pub token: String,
}

/// `POST /login`: the right token sets the session cookie (HttpOnly: no script reads it;
/// SameSite=Strict: no other site's page sends it) and goes to the front page.
pub async fn login(
    State(state): State<AppState>,
    form: Result<axum::Form<LoginForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let token = form.ok().map(|f| f.0.token);
    if state.check_token(token.as_deref()).is_err() {
        return sign_in_page(
            axum::http::StatusCode::UNAUTHORIZED,
            Some("That is not the server's token."),
        );
    }
    (
        axum::http::StatusCode::SEE_OTHER,
        [
            (header::LOCATION, "/".to_owned()),
            (
                header::SET_COOKIE,
                format!(
                    "{}={}; HttpOnly; SameSite=Strict; Path=/",
                    super::SESSION_COOKIE,
                    state.session()
                ),
            ),
        ],
    )
        .into_response()
}

#[derive(Deserialize, Default)]
pub struct FrontQuery {
    pub day: Option<String>,
    pub q: Option<String>,
}

fn time_span(first: Option<Timestamp>, last: Option<Timestamp>) -> String {
    match (first, last) {
        (Some(f), Some(l)) if l - f >= 60 => {
            let hours = (l - f) as f64 / 3600.0;
            let took = if hours < 48.0 {
                format!("{hours:.1} h")
            } else {
                format!("{:.1} days", hours / 24.0)
            };
            format!("{} – {} ({took})", fmt_time(Some(f)), fmt_time(Some(l)))
        }
        (f, _) => fmt_time(f),
    }
}

fn story_list(out: &mut String, list: &[StorySummary]) {
    out.push_str("<ul class=\"stories\">");
    for s in list {
        let _ = write!(
            out,
            "<li><a class=\"headline\" href=\"/stories/{}\">{}</a><div class=\"meta\">\
             {} article{} · {} outlet{} · {} cop{} · {}</div></li>",
            url_part(&s.id),
            esc(&s.headline),
            s.size,
            if s.size == 1 { "" } else { "s" },
            s.outlets,
            if s.outlets == 1 { "" } else { "s" },
            s.copies,
            if s.copies == 1 { "y" } else { "ies" },
            esc(&time_span(s.first, s.last)),
        );
    }
    out.push_str("</ul>");
}

/// `/`: today's stories (or `?day=`), falling back to the latest day with stories; `?q=` searches.
pub async fn front(
    State(state): State<AppState>,
    q: Result<Query<FrontQuery>, QueryRejection>,
) -> PageResult {
    let FrontQuery { day, q } = q
        .map(|Query(q)| q)
        .map_err(|e| ApiError::new(ErrorKind::InvalidQuery, e.body_text()))?;
    let q = q.unwrap_or_default();
    let today = stories::day_of(chrono::Utc::now().timestamp());
    let asked = match day.as_deref().filter(|d| !d.is_empty()) {
        Some(d) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| ApiError::new(ErrorKind::InvalidQuery, "`day` must be YYYY-MM-DD"))?
            .and_hms_opt(0, 0, 0)
            .expect("midnight")
            .and_utc()
            .timestamp(),
        None => today,
    };
    let search = q.trim().to_owned();
    let body = state
        .read(move |s, _| {
            let mut out = String::new();
            if !search.is_empty() {
                let page = stories::list(
                    s,
                    &StoryFilter {
                        q: Some(search.clone()),
                        limit: Some(stories::MAX_LIMIT),
                        ..Default::default()
                    },
                )?;
                let _ = write!(
                    out,
                    "<h1>Stories matching “{}”</h1><p class=\"muted\">{} found</p>",
                    esc(&search),
                    page.stories.len()
                );
                story_list(&mut out, &page.stories);
                return Ok(out);
            }
            let mut list = stories::of_day(s, asked)?;
            let mut shown = asked;
            let mut note = String::new();
            if list.is_empty() {
                if let Some(d) = stories::latest_day_with_stories(s, asked)? {
                    shown = d;
                    list = stories::of_day(s, d)?;
                    note = format!(
                        "Nothing on {}; showing the latest day with stories.",
                        fmt_day(asked)
                    );
                }
            }
            if list.is_empty() {
                // No dated story at all: the largest stories.
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
                story_list(&mut out, &page.stories);
                return Ok(out);
            }
            let _ = write!(
                out,
                "<h1>Stories of {}</h1><p class=\"muted\">{} · <a href=\"/?day={}\">previous day</a></p>",
                fmt_day(shown),
                esc(&note),
                fmt_day(shown - 86_400)
            );
            story_list(&mut out, &list);
            Ok(out)
        })
        .await?;
    Ok(Html(page("Stories", &q, &body)))
}

fn fmt_day(t: Timestamp) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string())
}

/// `/stories/{id}`.
pub async fn story(State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    let full = state
        .read(move |s, st| stories::load_story(s, st.analyses(), &id))
        .await?;
    Ok(Html(page(&full.summary.headline, "", &story_body(&full))))
}

fn story_body(full: &StoryFull) -> String {
    let StoryFull {
        summary,
        articles,
        analysis,
        ..
    } = full;
    let a = &analysis.analysis;
    // Articles and analysis documents are matched by id: a recent analysis may not cover the
    // newest articles (see `stories::AnalysisCache`).
    let doc_of = full.docs_of_articles();
    let outlet = |i: usize| {
        articles[i]
            .row
            .source
            .as_deref()
            .unwrap_or(&articles[i].row.id)
    };
    let doc_outlet = |d: usize| analysis.docs.get(d).map_or("", |d| d.outlet.as_str());
    let quote_spans = |i: usize| -> Vec<Span> {
        let Some(doc) = doc_of[i] else {
            return Vec::new();
        };
        a.quotes
            .iter()
            .flat_map(|g| &g.variants)
            .flat_map(|v| &v.occurrences)
            .filter(|(d, _)| *d == doc)
            .map(|(_, s)| *s)
            .collect()
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "<h1 id=\"headline\">{}</h1><p class=\"meta\">{} articles · {} outlets · {} copies · {}</p>",
        esc(&summary.headline),
        summary.size,
        summary.outlets,
        summary.copies,
        esc(&time_span(summary.first, summary.last)),
    );

    out.push_str("<h2>Brief</h2>");
    if a.brief.is_empty() {
        out.push_str("<p class=\"muted\">Too little shared text for a brief.</p>");
    } else {
        out.push_str("<ol class=\"brief\">");
        for b in &a.brief {
            let _ = write!(
                out,
                "<li>{} <span class=\"muted\">({})</span></li>",
                esc(&b.text),
                esc(&b.outlets.join(", "))
            );
        }
        out.push_str("</ol>");
    }

    out.push_str("<h2>Timeline</h2><ul class=\"timeline\">");
    let first = summary.first.unwrap_or(0);
    let width = (summary.last.unwrap_or(first) - first).max(1) as f64;
    for (i, art) in articles.iter().enumerate() {
        let pct = art
            .row
            .published
            .map_or(0.0, |t| (t - first) as f64 / width * 100.0);
        let _ = write!(
            out,
            "<li><span>{}</span><span><a href=\"/articles/{}\">{}</a>{} \
             <div class=\"bar\" style=\"margin-left:{pct:.1}%;width:.6rem\"></div></span></li>",
            esc(&fmt_time(art.row.published)),
            url_part(&art.row.id),
            esc(outlet(i)),
            if art.row.copy_of.is_some() {
                " <span class=\"muted\">(copy)</span>"
            } else {
                ""
            },
        );
    }
    out.push_str("</ul>");

    out.push_str("<h2>Shared quotes</h2>");
    if a.quotes.is_empty() {
        out.push_str("<p class=\"muted\">No quote is carried by two articles.</p>");
    }
    for g in &a.quotes {
        let _ = write!(
            out,
            "<div class=\"quote\"><blockquote>“{}”</blockquote><p class=\"meta\">{} · carried by {}</p><ul>",
            esc(&g.canonical),
            g.speaker
                .as_deref()
                .map_or_else(|| "speaker unknown".to_owned(), |s| format!("said by {}", esc(s))),
            esc(&g.outlets.join(", ")),
        );
        for v in &g.variants {
            let mut docs: Vec<&str> = v.occurrences.iter().map(|(d, _)| doc_outlet(*d)).collect();
            docs.dedup();
            let _ = write!(
                out,
                "<li>“{}” <span class=\"muted\">— {}</span></li>",
                esc(&v.text),
                esc(&docs.join(", "))
            );
        }
        out.push_str("</ul></div>");
    }

    // Outlets side by side: originals, each with its copies folded under it.
    out.push_str("<h2>The articles side by side</h2><div class=\"grid\">");
    for (i, art) in articles.iter().enumerate() {
        if art.row.copy_of.is_some() {
            continue;
        }
        let marks = quote_spans(i);
        let _ = write!(
            out,
            "<section class=\"col article\" data-article=\"{}\"><h3>{}</h3>\
             <div class=\"meta\">{} · <a href=\"/articles/{}\">{}</a></div>\
             <div class=\"text\">{}</div>",
            esc(&art.row.id),
            esc(outlet(i)),
            esc(&fmt_time(art.row.published)),
            url_part(&art.row.id),
            esc(art.row.title.as_deref().unwrap_or(&art.row.id)),
            highlight(&art.clean_text, &marks, "quote"),
        );
        let unique = doc_of[i]
            .and_then(|d| a.unique.get(d))
            .map_or(&[][..], Vec::as_slice);
        if !unique.is_empty() {
            let _ = write!(
                out,
                "<h4>Only in {}</h4><ul class=\"unique\">",
                esc(outlet(i))
            );
            for s in unique {
                let _ = write!(out, "<li>{}</li>", esc(s.slice(&art.clean_text)));
            }
            out.push_str("</ul>");
        }
        let copies: Vec<(usize, &samestory_store::ArticleFull)> = articles
            .iter()
            .enumerate()
            .filter(|(_, c)| c.row.copy_of.as_deref() == Some(art.row.id.as_str()))
            .collect();
        if !copies.is_empty() {
            let _ = write!(
                out,
                "<details class=\"copies\"><summary>{} cop{} of this article</summary><ul>",
                copies.len(),
                if copies.len() == 1 { "y" } else { "ies" }
            );
            for (j, c) in copies {
                let _ = write!(
                    out,
                    "<li class=\"article copy\" data-article=\"{}\"><a href=\"/articles/{}\">{}</a> · {} · Jaccard {}\
                     <div class=\"text\">{}</div></li>",
                    esc(&c.row.id),
                    url_part(&c.row.id),
                    esc(outlet(j)),
                    esc(&fmt_time(c.row.published)),
                    c.row
                        .copy_jaccard
                        .map_or_else(|| "exact".to_owned(), |j| format!("{j:.2}")),
                    highlight(&c.clean_text, &quote_spans(j), "quote"),
                );
            }
            out.push_str("</ul></details>");
        }
        out.push_str("</section>");
    }
    out.push_str("</div>");
    out
}

/// `/articles/{id}`: the article, with the passages it shares with the rest of its story marked.
pub async fn article(State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    let (title, body) = state
        .read(move |s, st| {
            let art = s.article(&id)?;
            let full = stories::load_story(s, st.analyses(), &art.row.story)?;
            let me = full.analysis.docs.iter().position(|d| d.id == art.row.id);
            let spans: Vec<Span> = full
                .analysis
                .analysis
                .passages
                .iter()
                .flat_map(|p| &p.occurrences)
                .filter(|&&(d, _)| Some(d) == me)
                .map(|&(_, span)| span)
                .collect();
            let mut out = String::new();
            let title = art.row.title.clone().unwrap_or_else(|| art.row.id.clone());
            let _ = write!(
                out,
                "<h1>{}</h1><p class=\"meta\">{} · {} · {} words · story \
                 <a href=\"/stories/{}\">{}</a></p>",
                esc(&title),
                esc(art.row.source.as_deref().unwrap_or("unknown outlet")),
                esc(&fmt_time(art.row.published)),
                art.row.words,
                url_part(&full.summary.id),
                esc(&full.summary.headline),
            );
            if let Some(o) = &art.row.copy_of {
                let _ = write!(
                    out,
                    "<p>A copy of <a href=\"/articles/{}\">{}</a>{} · \
                     <a href=\"/compare?a={}&amp;b={}\">compare</a></p>",
                    url_part(o),
                    esc(o),
                    art.row
                        .copy_jaccard
                        .map_or_else(String::new, |j| format!(" (Jaccard {j:.2})")),
                    url_part(o),
                    url_part(&art.row.id),
                );
            }
            if let Some(u) = &art.row.url {
                let _ = write!(out, "<p class=\"meta\">{}</p>", esc(u));
            }
            out.push_str(
                "<p class=\"muted\">Marked: passages other articles of the story share.</p>",
            );
            let _ = write!(
                out,
                "<div class=\"col\"><div class=\"text\" id=\"text\">{}</div></div>",
                highlight(&art.clean_text, &spans, "passage")
            );
            if !art.removals.is_empty() {
                out.push_str("<h2>Removed by cleaning</h2><ul>");
                for r in &art.removals {
                    let _ = write!(out, "<li><b>{}</b>: {}</li>", esc(&r.reason), esc(&r.text));
                }
                out.push_str("</ul>");
            }
            Ok((title, out))
        })
        .await?;
    Ok(Html(page(&title, "", &body)))
}

#[derive(Deserialize, Default)]
pub struct CompareForm {
    pub a: Option<String>,
    pub b: Option<String>,
}

/// `/compare?a=&b=`: the figures of `samestory compare` and the two texts, aligned passages marked.
pub async fn compare(
    State(state): State<AppState>,
    q: Result<Query<CompareForm>, QueryRejection>,
) -> PageResult {
    let CompareForm { a, b } = q
        .map(|Query(q)| q)
        .map_err(|e| ApiError::new(ErrorKind::InvalidQuery, e.body_text()))?;
    let (a, b) = (a.unwrap_or_default(), b.unwrap_or_default());
    let mut out = format!(
        "<h1>Compare two articles</h1><form action=\"/compare\" method=\"get\">\
         <input type=\"text\" name=\"a\" value=\"{}\" placeholder=\"article id\"> \
         <input type=\"text\" name=\"b\" value=\"{}\" placeholder=\"article id\"> \
         <button type=\"submit\">Compare</button></form>",
        esc(&a),
        esc(&b)
    );
    if a.is_empty() || b.is_empty() {
        return Ok(Html(page("Compare", "", &out)));
    }
    let body = state
        .read(move |s, st| {
            let c = super::api::compare_stored(s, st, &a, &b)?;
            let (fa, fb) = (s.article(&a)?, s.article(&b)?);
            let docs = [
                DocText {
                    doc: 0,
                    outlet: stories::outlet_of(fa.row.source.as_deref(), &fa.row.id),
                    text: &fa.clean_text,
                },
                DocText {
                    doc: 1,
                    outlet: stories::outlet_of(fb.row.source.as_deref(), &fb.row.id),
                    text: &fb.clean_text,
                },
            ];
            let pair = compare_pair(&docs[0], &docs[1]);
            let yes = |b: bool| if b { "yes" } else { "no" };
            let mut out = String::new();
            let _ = write!(
                out,
                "<table class=\"figures\">\
                 <tr><td>same story</td><td id=\"same-story\">{}</td><td class=\"muted\">similarity {:.3} (threshold {:.2})</td></tr>\
                 <tr><td>copy</td><td id=\"copy\">{}</td><td class=\"muted\">Jaccard {:.3} (estimate {:.3}, threshold {:.2})</td></tr>\
                 <tr><td>shared names</td><td colspan=\"2\">{}</td></tr>\
                 <tr><td>shared numbers</td><td colspan=\"2\">{}</td></tr>\
                 <tr><td>shared terms</td><td colspan=\"2\">{}</td></tr></table>",
                yes(c.same_story),
                c.story_similarity,
                c.story_threshold,
                yes(c.copy),
                c.jaccard,
                c.jaccard_estimate,
                c.copy_threshold,
                esc(&c.evidence.names.join(", ")),
                esc(&c.evidence.numbers.join(", ")),
                esc(&c.evidence.terms.join(", ")),
            );
            let _ = write!(
                out,
                "<p class=\"muted\">{} aligned passage{} marked.</p><div class=\"grid\">",
                pair.passages.len(),
                if pair.passages.len() == 1 { "" } else { "s" }
            );
            for (k, (d, full)) in docs.iter().zip([&fa, &fb]).enumerate() {
                let spans: Vec<Span> = pair
                    .passages
                    .iter()
                    .flat_map(|p| &p.occurrences)
                    .filter(|&&(doc, _)| doc == k)
                    .map(|&(_, span)| span)
                    .collect();
                let _ = write!(
                    out,
                    "<section class=\"col\"><h3>{}</h3><div class=\"meta\"><a href=\"/articles/{}\">{}</a> · {}</div>\
                     <div class=\"text\">{}</div></section>",
                    esc(&d.outlet),
                    url_part(&full.row.id),
                    esc(full.row.title.as_deref().unwrap_or(&full.row.id)),
                    esc(&fmt_time(full.row.published)),
                    highlight(d.text, &spans, "passage"),
                );
            }
            out.push_str("</div>");
            Ok(out)
        })
        .await?;
    out.push_str(&body);
    Ok(Html(page("Compare", "", &out)))
}
