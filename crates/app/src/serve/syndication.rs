//! Who ran whose text: `/copies` (copy families, the most copied first: "ran by 12 outlets",
//! each copy with its outlet, time, Jaccard similarity and a compare link showing what changed)
//! and `/outlets/{name}` (an outlet's articles, who copies it, whom it copies, its originals that
//! others ran, what it reprints, and its stories).

use super::error::{ApiError, ErrorKind};
use super::html::{esc, page, url_part};
use super::pages::{time_span, PageError};
use super::state::AppState;
use super::stories::{self, StoryFilter};
use crate::format::{count, fmt_time};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use samestory_store::{CopyFamily, FamilyFilter, FamilyMember, OutletCount};
use serde::Deserialize;
use std::fmt::Write;

/// Copy families a page of `/copies`.
pub const FAMILIES_PER_PAGE: usize = 30;
/// Families and outlets listed in each section of an outlet's page.
const OUTLET_ROWS: usize = 10;

#[derive(Deserialize, Default)]
pub struct CopiesQuery {
    /// The page (from 1).
    pub page: Option<usize>,
}

/// An outlet's name as a link to its page.
pub fn outlet_link(source: Option<&str>) -> String {
    let name = source.unwrap_or("unknown");
    format!(
        "<a class=\"outlet\" href=\"/outlets/{}\">{}</a>",
        url_part(name),
        esc(name)
    )
}

fn member_line(m: &FamilyMember) -> String {
    format!(
        "{} · {} · <a href=\"/articles/{}\">{}</a>",
        outlet_link(m.source.as_deref()),
        esc(&fmt_time(m.published)),
        url_part(&m.id),
        esc(&m.heading)
    )
}

/// A family: the original, how widely it ran, and its copies (folded past the first few).
fn family(out: &mut String, f: &CopyFamily) {
    let _ = write!(
        out,
        "<li class=\"family\" data-original=\"{}\"><div>{}</div>\
         <div class=\"meta\">ran by <b>{}</b> · {} · story <a href=\"/stories/{}\">{}</a></div>\
         <details class=\"copies\"><summary>the copies</summary><ul>",
        esc(&f.original.id),
        member_line(&f.original),
        count(f.outlets, "outlet", "outlets"),
        count(f.copies.len() as u64, "copy", "copies"),
        url_part(&f.story),
        esc(&f.story),
    );
    for c in &f.copies {
        let changed = if c.exact {
            "word for word".to_owned()
        } else {
            format!("Jaccard {:.2}", c.jaccard.unwrap_or(1.0))
        };
        let _ = write!(
            out,
            "<li class=\"copy\">{} · {changed} · <a href=\"/compare?a={}&amp;b={}\">what changed</a></li>",
            member_line(c),
            url_part(&f.original.id),
            url_part(&c.id),
        );
    }
    out.push_str("</ul></details></li>");
}

fn families(out: &mut String, list: &[CopyFamily]) {
    out.push_str("<ol class=\"families\">");
    for f in list {
        family(out, f);
    }
    out.push_str("</ol>");
}

/// `/copies`: every copy family, the most copied first.
pub async fn copies(
    State(state): State<AppState>,
    q: Result<Query<CopiesQuery>, QueryRejection>,
) -> Result<Html<String>, PageError> {
    let CopiesQuery { page: number } = q
        .map(|Query(q)| q)
        .map_err(|e| ApiError::new(ErrorKind::InvalidQuery, e.body_text()))?;
    let number = number.unwrap_or(1).max(1);
    let body = state
        .read(move |s, _| {
            let total = s.copy_family_count(FamilyFilter::All)?;
            let list = s.copy_families(
                FamilyFilter::All,
                (number - 1) * FAMILIES_PER_PAGE,
                FAMILIES_PER_PAGE,
            )?;
            let mut out = format!(
                "<h1>Copies</h1><p class=\"muted\" id=\"families\">{} reprinted by other articles, \
                 the most copied first. Jaccard: the share of five-word runs a copy has in \
                 common with its original.</p>",
                count(total, "text", "texts")
            );
            families(&mut out, &list);
            let pages = (total as usize).div_ceil(FAMILIES_PER_PAGE).max(1);
            if pages > 1 {
                out.push_str("<nav class=\"pages\">");
                if number > 1 {
                    let _ = write!(
                        out,
                        "<a href=\"/copies?page={}\">← previous</a>",
                        number - 1
                    );
                }
                let _ = write!(out, " <span>page {number} of {pages}</span> ");
                if number < pages {
                    let _ = write!(
                        out,
                        "<a id=\"next-page\" href=\"/copies?page={}\">next →</a>",
                        number + 1
                    );
                }
                out.push_str("</nav>");
            }
            Ok(out)
        })
        .await?;
    Ok(Html(page("Copies", "", &body)))
}

fn outlet_counts(out: &mut String, id: &str, title: &str, none: &str, list: &[OutletCount]) {
    let _ = write!(out, "<h2>{}</h2>", esc(title));
    if list.is_empty() {
        let _ = write!(out, "<p class=\"muted\">{}</p>", esc(none));
        return;
    }
    let _ = write!(out, "<ul class=\"pickups\" id=\"{id}\">");
    for c in list {
        let _ = write!(
            out,
            "<li>{} <span class=\"muted\">{}</span></li>",
            outlet_link(Some(&c.outlet)),
            count(c.copies, "copy", "copies")
        );
    }
    out.push_str("</ul>");
}

/// `/outlets/{name}`: what an outlet ran, what of it others copied, what it copied.
pub async fn outlet(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Html<String>, PageError> {
    let (title, body) = state
        .read(move |s, _| {
            let o = s.outlet(&name)?;
            let mut out = String::new();
            let _ = write!(
                out,
                "<h1 id=\"outlet\">{}</h1><p class=\"meta\" id=\"outlet-figures\">{} · {} of other articles · \
                 picked up {} by other outlets · {}</p>",
                esc(&o.name),
                count(o.articles, "article", "articles"),
                count(o.copies, "copy", "copies"),
                count(o.picked_up, "time", "times"),
                esc(&time_span(o.first, o.last)),
            );
            let copied_by = s.copies_between(&name, true, OUTLET_ROWS)?;
            outlet_counts(
                &mut out,
                "copied-by",
                "Who copies it",
                "No other outlet copied its articles.",
                &copied_by,
            );
            let copies_from = s.copies_between(&name, false, OUTLET_ROWS)?;
            outlet_counts(
                &mut out,
                "copies-from",
                "Whom it copies",
                "It copied no other outlet's article.",
                &copies_from,
            );
            for (title, filter, none) in [
                (
                    "Its articles others ran",
                    FamilyFilter::OriginalBy(&name),
                    "No article of it was copied.",
                ),
                (
                    "What it reprints",
                    FamilyFilter::CopiedBy(&name),
                    "It reprinted no article.",
                ),
            ] {
                let total = s.copy_family_count(filter)?;
                let _ = write!(out, "<h2>{}</h2>", esc(title));
                if total == 0 {
                    let _ = write!(out, "<p class=\"muted\">{}</p>", esc(none));
                    continue;
                }
                let _ = write!(
                    out,
                    "<p class=\"muted\">{}, the most copied first{}.</p>",
                    count(total, "text", "texts"),
                    if total as usize > OUTLET_ROWS {
                        format!(" (the first {OUTLET_ROWS})")
                    } else {
                        String::new()
                    }
                );
                families(&mut out, &s.copy_families(filter, 0, OUTLET_ROWS)?);
            }
            let listed = stories::list(
                s,
                &StoryFilter {
                    outlet: Some(o.name.clone()),
                    limit: Some(20),
                    ..Default::default()
                },
            )?;
            out.push_str("<h2>Its stories</h2><ul class=\"stories\" id=\"outlet-stories\">");
            for story in &listed.stories {
                super::front_page::story_item(&mut out, story, "");
            }
            out.push_str("</ul>");
            if listed.next_cursor.is_some() {
                let _ = write!(
                    out,
                    "<p><a href=\"/?window=30d&amp;outlet={}\">more of its stories (the last 30 days)</a></p>",
                    url_part(&o.name)
                );
            }
            Ok((o.name, out))
        })
        .await?;
    Ok(Html(page(&title, "", &body)))
}
