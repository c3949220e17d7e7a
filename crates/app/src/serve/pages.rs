//! The web pages, rendered on the server: no JavaScript, no build step, one small style sheet.
//! Every text from the database is escaped ([`esc`], [`highlight`]).

use super::error::{ApiError, ErrorKind};
use super::html::{esc, highlight, page, url_part, STYLE};
use super::state::AppState;
use super::stories;
use crate::format::{count, fmt_time};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use samestory_engine::analysis::compare_pair;
use samestory_engine::analysis::DocText;
use samestory_engine::{Span, Timestamp};
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

/// A story's time span as shown: first – last (and how long), or the one time.
pub fn time_span(first: Option<Timestamp>, last: Option<Timestamp>) -> String {
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

#[derive(Deserialize, Default)]
pub struct StoryQuery {
    /// The page of the originals' table (from 1).
    pub page: Option<usize>,
}

/// `/stories/{id}` ([`super::story_page`]).
pub async fn story(
    State(state): State<AppState>,
    Path(id): Path<String>,
    q: Result<Query<StoryQuery>, QueryRejection>,
) -> PageResult {
    let StoryQuery { page: number } = q
        .map(|Query(q)| q)
        .map_err(|e| ApiError::new(ErrorKind::InvalidQuery, e.body_text()))?;
    let (full, place, also) = state
        .read(move |s, st| {
            let full = stories::load_story(s, st.analyses(), &id)?;
            let place = s.storyline_place(&full.summary.id)?;
            let also = s.also_reported_in(&full.summary.id)?;
            Ok((full, place, also))
        })
        .await?;
    let span = time_span(full.summary.first, full.summary.last);
    let (title, body) =
        super::story_page::story_body(&full, place.as_ref(), &also, number.unwrap_or(1), &span);
    Ok(Html(page(&title, "", &body)))
}

/// `/storylines/{id}`: a storyline's stories in the order they started, each with the link that
/// put it there.
pub async fn storyline(State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    let (line, stories) = state.read(move |s, _| Ok(s.storyline(&id)?)).await?;
    let mut out = String::new();
    let _ = write!(
        out,
        "<h1 id=\"storyline\">{}</h1><p class=\"meta\">A storyline: {} that continue one another · {} · {}</p>\
         <ol class=\"storyline\">",
        esc(&line.headline),
        count(line.stories, "story", "stories"),
        count(line.articles, "article", "articles"),
        esc(&time_span(line.first, line.last)),
    );
    let headline_of = |id: &str| -> String {
        stories
            .iter()
            .find(|s| s.story.id == id)
            .map_or(id, |s| s.story.headline.as_str())
            .to_owned()
    };
    for s in &stories {
        let link = s
            .continues
            .as_ref()
            .map_or_else(String::new, |(earlier, sim)| {
                format!(
                    "<div class=\"meta\">continues “{}” (similarity {sim:.2})</div>",
                    esc(&headline_of(earlier))
                )
            });
        let _ = write!(
            out,
            "<li><a class=\"headline\" href=\"/stories/{}\">{}</a><div class=\"meta\">{} · {} · {}</div>{link}</li>",
            url_part(&s.story.id),
            esc(&s.story.headline),
            count(s.story.size, "article", "articles"),
            count(s.story.outlets, "outlet", "outlets"),
            esc(&time_span(s.story.first, s.story.last)),
        );
    }
    out.push_str("</ol>");
    Ok(Html(page(&line.headline, "", &out)))
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
                "<h1>{}</h1><p class=\"meta\">{} · {} · {} words · language \
                 <span class=\"language\">{}</span> · story <a href=\"/stories/{}\">{}</a></p>",
                esc(&title),
                esc(art.row.source.as_deref().unwrap_or("unknown outlet")),
                esc(&fmt_time(art.row.published)),
                art.row.words,
                esc(art.row.language.as_deref().unwrap_or("unknown")),
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
                // Only web addresses become links: a `javascript:` url from the input must not.
                if u.starts_with("https://") || u.starts_with("http://") {
                    let _ = write!(
                        out,
                        "<p class=\"meta\"><a id=\"url\" href=\"{0}\" rel=\"noreferrer noopener\">{0}</a></p>",
                        esc(u)
                    );
                } else {
                    let _ = write!(out, "<p class=\"meta\">{}</p>", esc(u));
                }
            }
            out.push_str(
                "<p class=\"muted\">Marked: passages other articles of the story share.</p>",
            );
            let _ = write!(
                out,
                "<div class=\"col\"><div class=\"text full\" id=\"text\">{}</div></div>",
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
                "<h2>Shared quotes</h2><p class=\"muted\" id=\"shared-quotes\">{}</p>",
                count(pair.quotes.len() as u64, "quote both carry", "quotes both carry")
            );
            for g in &pair.quotes {
                let _ = write!(
                    out,
                    "<div class=\"quote\"><blockquote>“{}”</blockquote><p class=\"meta\">{}</p><ul>",
                    esc(&g.canonical),
                    g.speaker.as_deref().map_or_else(
                        || "speaker unknown".to_owned(),
                        |s| format!("said by {}", esc(s))
                    ),
                );
                for v in &g.variants {
                    let by: Vec<&str> = v
                        .occurrences
                        .iter()
                        .map(|(d, _)| docs[*d].outlet.as_str())
                        .collect();
                    let _ = write!(
                        out,
                        "<li>“{}” <span class=\"muted\">— {}</span></li>",
                        esc(&v.text),
                        esc(&by.join(", "))
                    );
                }
                out.push_str("</ul></div>");
            }
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
                    "<section class=\"col\"><h3>{}</h3><div class=\"meta\"><a href=\"/articles/{}\">{}</a> · {} · \
                     <span class=\"language\">{}</span></div><div class=\"text\">{}</div></section>",
                    esc(&d.outlet),
                    url_part(&full.row.id),
                    esc(full.row.title.as_deref().unwrap_or(&full.row.id)),
                    esc(&fmt_time(full.row.published)),
                    esc(full.row.language.as_deref().unwrap_or("language unknown")),
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
