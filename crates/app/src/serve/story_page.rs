//! `/stories/{id}`: one story, readable at any size.
//!
//! The page is built for the story of 3 articles and for the one of 200 alike:
//! - the headline is the story's representative title
//!   ([`samestory_engine::analysis::headline`]), not the first article's, with the other top
//!   wordings and how many outlets ran each;
//! - the timeline is a chart (articles per time slot, copies stacked on originals), the same
//!   height whatever the number of articles;
//! - copies are folded under their original ("ran by 12 outlets");
//! - its storyline, when it has one: the stories just before and after it;
//! - "also reported in": the stories of other languages linked to it, with what they share;
//! - a story of at most [`GRID_ORIGINALS`] originals shows them side by side with their texts and
//!   marked quotes; a larger one lists its originals in a table, [`PAGE_ROWS`] a page (`?page=`),
//!   each with its outlet, time, the similarity with which it joined the story and a compare link
//!   ("why is this here?").

use super::html::{esc, highlight, url_part};
use super::stories::StoryFull;
use crate::format::{count, fmt_time};
use samestory_engine::analysis::headline::{heading, wordings, Title};
use samestory_engine::{Span, Timestamp};
use samestory_store::{AlsoReported, ArticleFull, StorylinePlace};
use std::fmt::Write;

/// The most originals shown side by side with their texts; a larger story gets the table.
pub const GRID_ORIGINALS: usize = 8;
/// Originals a page of the table.
pub const PAGE_ROWS: usize = 30;
/// Other wordings of the headline listed under it.
const TOP_WORDINGS: usize = 5;
/// Shared quotes shown before the rest are folded.
const SHOWN_QUOTES: usize = 4;
/// Time slots of the timeline chart.
const SLOTS: usize = 48;

/// An article's language as shown after its time (` · de`), and as the `lang` attribute of its
/// text (` lang="de"`, which picks the script's fonts); both empty when it has none.
fn language_marks(a: &ArticleFull) -> (String, String) {
    a.row
        .language
        .as_deref()
        .map_or_else(Default::default, |l| {
            (
                format!(" · <span class=\"language\">{}</span>", esc(l)),
                format!(" lang=\"{}\"", esc(l)),
            )
        })
}

/// An article's outlet as shown: its source, else `unknown`.
fn outlet(a: &ArticleFull) -> &str {
    a.row.source.as_deref().unwrap_or("unknown")
}

/// The articles as originals, each with the copies of it in this story (indexes into `articles`,
/// in publication order). A copy whose original is in another story stands as an original here.
pub fn originals_with_copies(articles: &[ArticleFull]) -> Vec<(usize, Vec<usize>)> {
    let index: std::collections::HashMap<&str, usize> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.row.id.as_str(), i))
        .collect();
    let mut slot_of = vec![usize::MAX; articles.len()];
    let mut out: Vec<(usize, Vec<usize>)> = Vec::new();
    for (i, a) in articles.iter().enumerate() {
        let original = a.row.copy_of.as_deref().and_then(|o| index.get(o).copied());
        match original {
            Some(o) if slot_of[o] != usize::MAX => out[slot_of[o]].1.push(i),
            _ => {
                slot_of[i] = out.len();
                out.push((i, Vec::new()));
            }
        }
    }
    out
}

/// How many distinct outlets ran the original `i` and its copies.
fn ran_by(articles: &[ArticleFull], i: usize, copies: &[usize]) -> usize {
    let mut names: Vec<String> = std::iter::once(i)
        .chain(copies.iter().copied())
        .map(|k| outlet(&articles[k]).to_ascii_lowercase())
        .collect();
    names.sort_unstable();
    names.dedup();
    names.len()
}

/// Outlets listed in the story's pickup table before the rest are folded.
const SHOWN_OUTLETS: usize = 10;

/// One outlet's part in a story: its articles, those that copy another, and the copies other
/// outlets made of its articles.
#[derive(Debug, Default, PartialEq)]
pub struct Pickup {
    pub outlet: String,
    pub articles: u64,
    pub copies: u64,
    pub picked_up: u64,
}

/// The story's outlets with their pickups, the most picked up first (then the most articles,
/// then by name). Outlets differing only in case are one, named as first seen.
pub fn pickups(articles: &[ArticleFull]) -> Vec<Pickup> {
    let key = |a: &ArticleFull| outlet(a).to_lowercase();
    let by_id: std::collections::HashMap<&str, &ArticleFull> =
        articles.iter().map(|a| (a.row.id.as_str(), a)).collect();
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut out: Vec<Pickup> = Vec::new();
    let mut slot = |a: &ArticleFull, out: &mut Vec<Pickup>| -> usize {
        *at.entry(key(a)).or_insert_with(|| {
            out.push(Pickup {
                outlet: outlet(a).to_owned(),
                ..Pickup::default()
            });
            out.len() - 1
        })
    };
    for a in articles {
        let i = slot(a, &mut out);
        out[i].articles += 1;
        if let Some(original) = a.row.copy_of.as_deref() {
            out[i].copies += 1;
            if let Some(o) = by_id.get(original).filter(|o| key(o) != key(a)) {
                let j = slot(o, &mut out);
                out[j].picked_up += 1;
            }
        }
    }
    out.sort_by(|a, b| {
        b.picked_up
            .cmp(&a.picked_up)
            .then(b.articles.cmp(&a.articles))
            .then(a.outlet.cmp(&b.outlet))
    });
    out
}

/// The pickup table: for each outlet, its articles, its copies of others, and its articles'
/// copies by others (an outlet links to its page).
fn pickup_table(out: &mut String, articles: &[ArticleFull]) {
    let list = pickups(articles);
    out.push_str(
        "<h2>Outlets</h2><table class=\"pickups\" id=\"pickups\"><thead><tr><th>outlet</th>\
         <th>articles</th><th>copies of others</th><th>picked up by others</th></tr></thead><tbody>",
    );
    let row = |out: &mut String, p: &Pickup| {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            super::syndication::outlet_link(Some(&p.outlet)),
            p.articles,
            p.copies,
            p.picked_up
        );
    };
    for p in list.iter().take(SHOWN_OUTLETS) {
        row(out, p);
    }
    out.push_str("</tbody></table>");
    if list.len() > SHOWN_OUTLETS {
        let _ = write!(
            out,
            "<details class=\"more-outlets\"><summary>{} more</summary><table class=\"pickups\"><tbody>",
            count((list.len() - SHOWN_OUTLETS) as u64, "outlet", "outlets")
        );
        for p in &list[SHOWN_OUTLETS..] {
            row(out, p);
        }
        out.push_str("</tbody></table></details>");
    }
}

/// An article's headline ([`heading`]: its title, else its clean text's first words).
fn headline_of(a: &ArticleFull) -> Option<String> {
    heading(a.row.title.as_deref(), &a.clean_text)
}

/// The story's wordings, best first: (the article of its first headline, that headline, outlets).
fn headlines(articles: &[ArticleFull]) -> Vec<(usize, String, usize)> {
    let titled: Vec<(usize, String, &str)> = articles
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            headline_of(a).map(|h| (i, h, a.row.source.as_deref().unwrap_or(&a.row.id)))
        })
        .collect();
    let titles: Vec<Title<'_>> = titled
        .iter()
        .map(|(_, text, outlet)| Title { outlet, text })
        .collect();
    wordings(&titles)
        .into_iter()
        .map(|w| (titled[w.first].0, titled[w.first].1.clone(), w.outlets))
        .collect()
}

/// The timeline as a bar chart: articles per slot between the first and the last, copies stacked
/// on originals, each bar titled with its slot and counts; the times under it in HTML (text in
/// an SVG that stretches would stretch too).
fn timeline(out: &mut String, articles: &[ArticleFull]) {
    let times: Vec<(Timestamp, bool)> = articles
        .iter()
        .filter_map(|a| a.row.published.map(|t| (t, a.row.copy_of.is_some())))
        .collect();
    let undated = articles.len() - times.len();
    out.push_str("<h2>Timeline</h2>");
    let (Some(first), Some(last)) = (
        times.iter().map(|t| t.0).min(),
        times.iter().map(|t| t.0).max(),
    ) else {
        out.push_str("<p class=\"muted\">No article has a date.</p>");
        return;
    };
    if last - first < 60 {
        let _ = write!(
            out,
            "<p class=\"muted\">{} at {}.</p>",
            count(times.len() as u64, "article", "articles"),
            esc(&fmt_time(Some(first)))
        );
    } else {
        let width = (last - first) as f64 / SLOTS as f64;
        let slot = |t: Timestamp| (((t - first) as f64 / width) as usize).min(SLOTS - 1);
        let mut bars = vec![(0usize, 0usize); SLOTS];
        for &(t, copy) in &times {
            let b = &mut bars[slot(t)];
            if copy {
                b.1 += 1;
            } else {
                b.0 += 1;
            }
        }
        let most = bars.iter().map(|b| b.0 + b.1).max().unwrap_or(1).max(1) as f64;
        let _ = write!(
            out,
            "<svg class=\"chart\" id=\"timeline\" viewBox=\"0 0 {w} 100\" preserveAspectRatio=\"none\" \
             role=\"img\" aria-label=\"articles over time\">",
            w = SLOTS * 10
        );
        for (k, &(originals, copies)) in bars.iter().enumerate() {
            if originals + copies == 0 {
                continue;
            }
            let from = first + (k as f64 * width) as i64;
            let to = first + ((k + 1) as f64 * width) as i64;
            let label = format!(
                "{} – {}: {}, {}",
                fmt_time(Some(from)),
                fmt_time(Some(to)),
                count((originals + copies) as u64, "article", "articles"),
                count(copies as u64, "copy", "copies"),
            );
            let h_orig = originals as f64 / most * 96.0;
            let h_copy = copies as f64 / most * 96.0;
            let x = k * 10 + 1;
            let _ = write!(
                out,
                "<g><title>{}</title><rect class=\"orig\" x=\"{x}\" y=\"{:.1}\" width=\"8\" height=\"{h_orig:.1}\"/>\
                 <rect class=\"copy\" x=\"{x}\" y=\"{:.1}\" width=\"8\" height=\"{h_copy:.1}\"/></g>",
                esc(&label),
                100.0 - h_orig,
                100.0 - h_orig - h_copy,
            );
        }
        let _ = write!(
            out,
            "</svg><div class=\"axis\"><span>{}</span><span>{} a bar · most {} in one · \
             <span class=\"key-orig\">■</span> originals <span class=\"key-copy\">■</span> copies</span><span>{}</span></div>",
            esc(&fmt_time(Some(first))),
            esc(&duration(width as i64)),
            most as usize,
            esc(&fmt_time(Some(last))),
        );
    }
    if undated > 0 {
        let _ = write!(
            out,
            "<p class=\"muted\">{} without a date.</p>",
            count(undated as u64, "article", "articles")
        );
    }
}

/// "Earlier in this storyline", "later": the stories just before and after this one.
fn storyline_nav(out: &mut String, place: &StorylinePlace) {
    let line = &place.storyline;
    let _ = write!(
        out,
        "<nav class=\"storyline\" id=\"storyline\"><a href=\"/storylines/{}\">Storyline: {}</a> \
         <span class=\"muted\">({})</span>",
        url_part(&line.id),
        esc(&line.headline),
        count(line.stories, "story", "stories"),
    );
    for (label, id, story) in [
        ("earlier", "earlier-in-storyline", &place.earlier),
        ("later", "later-in-storyline", &place.later),
    ] {
        if let Some(s) = story {
            let _ = write!(
                out,
                "<div id=\"{id}\">{label} in this storyline: <a href=\"/stories/{}\">{}</a> \
                 <span class=\"muted\">{}</span></div>",
                url_part(&s.id),
                esc(&s.headline),
                esc(&fmt_time(s.first)),
            );
        }
    }
    out.push_str("</nav>");
}

/// "Also reported in": the stories of other languages linked to this one (by the names and
/// numbers their reports share), each with its language and what they share.
fn also_reported_nav(out: &mut String, also: &[AlsoReported]) {
    out.push_str("<nav class=\"storyline\" id=\"also-reported-in\">Also reported in:<ul>");
    for a in also {
        let shared: Vec<&str> = a
            .names
            .iter()
            .chain(&a.numbers)
            .map(String::as_str)
            .collect();
        let _ = write!(
            out,
            "<li lang=\"{lang}\"><b>{lang}</b> <a href=\"/stories/{}\">{}</a> \
             <span class=\"muted\">{} · {} · shares {}</span></li>",
            url_part(&a.story.id),
            esc(&a.story.headline),
            count(a.story.size, "article", "articles"),
            esc(&fmt_time(a.story.first)),
            esc(&shared.join(", ")),
            lang = esc(&a.language),
        );
    }
    out.push_str("</ul></nav>");
}

/// A length of time in its largest unit: `40 min`, `3.5 h`, `2.0 days`.
fn duration(secs: i64) -> String {
    if secs < 3_600 {
        format!("{} min", (secs / 60).max(1))
    } else if secs < 2 * 86_400 {
        format!("{:.1} h", secs as f64 / 3_600.0)
    } else {
        format!("{:.1} days", secs as f64 / 86_400.0)
    }
}

/// The page's representative headline (its most representative title, else the stored one) and
/// its body. `page` (from 1) picks the page of the originals' table.
pub fn story_body(
    full: &StoryFull,
    storyline: Option<&StorylinePlace>,
    also_reported: &[AlsoReported],
    page: usize,
    time_span: &str,
) -> (String, String) {
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
    let heads = headlines(articles);
    let representative = heads.first().map(|h| h.0);
    let headline = heads
        .first()
        .map_or_else(|| summary.headline.clone(), |h| h.1.clone());
    let groups = originals_with_copies(articles);
    let mut out = String::new();
    let _ = write!(
        out,
        "<h1 id=\"headline\">{}</h1><p class=\"meta\">{} · {} · {} · {}</p>",
        esc(&headline),
        count(summary.size, "article", "articles"),
        count(summary.outlets, "outlet", "outlets"),
        count(summary.copies, "copy", "copies"),
        esc(time_span),
    );
    if let Some(place) = storyline {
        storyline_nav(&mut out, place);
    }
    if !also_reported.is_empty() {
        also_reported_nav(&mut out, also_reported);
    }
    if heads.len() > 1 {
        out.push_str("<h2>Headlines</h2><ul class=\"headlines\" id=\"headlines\">");
        for (i, text, outlets) in heads.iter().take(TOP_WORDINGS) {
            let (i, outlets) = (*i, *outlets);
            let _ = write!(
                out,
                "<li>{} <span class=\"muted\">— {}{}</span></li>",
                esc(text),
                esc(outlet(&articles[i])),
                if outlets > 1 {
                    format!(" and {}", count(outlets as u64 - 1, "other", "others"))
                } else {
                    String::new()
                },
            );
        }
        if heads.len() > TOP_WORDINGS {
            let _ = write!(
                out,
                "<li class=\"muted\">{} more</li>",
                count((heads.len() - TOP_WORDINGS) as u64, "wording", "wordings")
            );
        }
        out.push_str("</ul>");
    }

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
                esc(&outlet_list(&b.outlets))
            );
        }
        out.push_str("</ol>");
    }

    timeline(&mut out, articles);
    if summary.copies > 0 {
        pickup_table(&mut out, articles);
    }

    out.push_str("<h2>Shared quotes</h2>");
    if a.quotes.is_empty() {
        out.push_str("<p class=\"muted\">No quote is carried by two articles.</p>");
    }
    for (k, g) in a.quotes.iter().enumerate() {
        if k == SHOWN_QUOTES {
            let _ = write!(
                out,
                "<details class=\"more-quotes\"><summary>{} more</summary>",
                count((a.quotes.len() - k) as u64, "quote", "quotes")
            );
        }
        let _ = write!(
            out,
            "<div class=\"quote\"><blockquote>“{}”</blockquote><p class=\"meta\">{} · carried by {}</p><ul>",
            esc(&g.canonical),
            g.speaker
                .as_deref()
                .map_or_else(|| "speaker unknown".to_owned(), |s| format!("said by {}", esc(s))),
            esc(&outlet_list(&g.outlets)),
        );
        for v in &g.variants {
            let mut docs: Vec<&str> = v.occurrences.iter().map(|(d, _)| doc_outlet(*d)).collect();
            docs.dedup();
            let _ = write!(
                out,
                "<li>“{}” <span class=\"muted\">— {}</span></li>",
                esc(&v.text),
                esc(&outlet_list(&docs))
            );
        }
        out.push_str("</ul></div>");
    }
    if a.quotes.len() > SHOWN_QUOTES {
        out.push_str("</details>");
    }

    // Why is an article here: compared with the representative one (with the story's first
    // article, for the representative itself).
    let compare_with = |i: usize| -> Option<&str> {
        let with = match representative {
            Some(r) if r != i => r,
            _ if i != 0 => 0,
            _ => return None,
        };
        Some(articles[with].row.id.as_str())
    };
    let compare_link = |i: usize| -> String {
        compare_with(i).map_or_else(String::new, |with| {
            format!(
                "<a class=\"why\" href=\"/compare?a={}&amp;b={}\">why is this here?</a>",
                url_part(with),
                url_part(&articles[i].row.id)
            )
        })
    };
    let score = |i: usize| -> String {
        articles[i]
            .row
            .story_similarity
            .map_or_else(|| "–".to_owned(), |s| format!("{s:.2}"))
    };

    if groups.len() <= GRID_ORIGINALS {
        out.push_str("<h2>The articles side by side</h2><div class=\"grid\">");
        for (i, copies) in &groups {
            let (i, art) = (*i, &articles[*i]);
            let marks = quote_spans(i);
            let (language, lang) = language_marks(art);
            let _ = write!(
                out,
                "<section class=\"col article\" data-article=\"{}\"><h3>{}</h3>\
                 <div class=\"meta\">{}{language} · <a href=\"/articles/{}\">{}</a> · score {} {}</div>\
                 <div class=\"text\"{lang}>{}</div>",
                esc(&art.row.id),
                esc(outlet(art)),
                esc(&fmt_time(art.row.published)),
                url_part(&art.row.id),
                esc(&headline_of(art).unwrap_or_else(|| art.row.id.clone())),
                score(i),
                compare_link(i),
                highlight(&art.clean_text, &marks, "quote"),
            );
            let unique = doc_of[i]
                .and_then(|d| a.unique.get(d))
                .map_or(&[][..], Vec::as_slice);
            if !unique.is_empty() {
                let _ = write!(
                    out,
                    "<h4>Only in {}</h4><ul class=\"unique\">",
                    esc(outlet(art))
                );
                for s in unique {
                    let _ = write!(out, "<li>{}</li>", esc(s.slice(&art.clean_text)));
                }
                out.push_str("</ul>");
            }
            if !copies.is_empty() {
                let _ = write!(
                    out,
                    "<details class=\"copies\"><summary>ran by {} · {}</summary><ul>",
                    count(ran_by(articles, i, copies) as u64, "outlet", "outlets"),
                    count(copies.len() as u64, "copy", "copies"),
                );
                for &j in copies {
                    let c = &articles[j];
                    let _ = write!(
                        out,
                        "<li class=\"article copy\" data-article=\"{}\"><a href=\"/articles/{}\">{}</a> · {} · Jaccard {}\
                         <div class=\"text\">{}</div></li>",
                        esc(&c.row.id),
                        url_part(&c.row.id),
                        esc(outlet(c)),
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
        return (headline, out);
    }

    // The table of originals, a page at a time.
    let pages = groups.len().div_ceil(PAGE_ROWS);
    let page = page.clamp(1, pages);
    let _ = write!(
        out,
        "<h2 id=\"articles\">The articles: {} and their copies</h2>\
         <p class=\"muted\">Score: the similarity with which an article joined the story.</p>\
         <table class=\"articles\"><thead><tr><th>published</th><th>outlet</th><th>title</th>\
         <th>ran by</th><th>score</th><th></th></tr></thead><tbody>",
        count(groups.len() as u64, "original", "originals"),
    );
    for (i, copies) in groups.iter().skip((page - 1) * PAGE_ROWS).take(PAGE_ROWS) {
        let (i, art) = (*i, &articles[*i]);
        let ran = if copies.is_empty() {
            "1 outlet".to_owned()
        } else {
            let mut who: Vec<String> = copies
                .iter()
                .map(|&j| {
                    format!(
                        "{} ({})",
                        outlet(&articles[j]),
                        fmt_time(articles[j].row.published)
                    )
                })
                .collect();
            who.dedup();
            format!(
                "<details class=\"copies\"><summary>{}</summary>{}</details>",
                count(ran_by(articles, i, copies) as u64, "outlet", "outlets"),
                esc(&who.join(", "))
            )
        };
        let (language, lang) = language_marks(art);
        let _ = write!(
            out,
            "<tr class=\"article\" data-article=\"{}\"><td>{}</td><td>{}{language}</td>\
             <td><a href=\"/articles/{}\"{lang}>{}</a></td><td>{ran}</td><td>{}</td><td>{}</td></tr>",
            esc(&art.row.id),
            esc(&fmt_time(art.row.published)),
            esc(outlet(art)),
            url_part(&art.row.id),
            esc(&headline_of(art).unwrap_or_else(|| art.row.id.clone())),
            score(i),
            compare_link(i),
        );
    }
    out.push_str("</tbody></table>");
    if pages > 1 {
        out.push_str("<nav class=\"pages\">");
        let link = |p: usize, label: &str| {
            format!(
                "<a href=\"/stories/{}?page={p}#articles\">{label}</a>",
                url_part(&summary.id)
            )
        };
        if page > 1 {
            out.push_str(&link(page - 1, "← previous"));
        }
        let _ = write!(out, " <span>page {page} of {pages}</span> ");
        if page < pages {
            out.push_str(&link(page + 1, "next →"));
        }
        out.push_str("</nav>");
    }
    (headline, out)
}

/// Outlets as a list for a line: all of them up to 8, else the first 6 and how many more.
fn outlet_list<S: AsRef<str>>(outlets: &[S]) -> String {
    if outlets.len() <= 8 {
        return outlets
            .iter()
            .map(AsRef::as_ref)
            .collect::<Vec<_>>()
            .join(", ");
    }
    let shown: Vec<&str> = outlets[..6].iter().map(AsRef::as_ref).collect();
    format!("{} and {} more", shown.join(", "), outlets.len() - 6)
}
