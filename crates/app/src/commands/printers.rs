//! The commands that read the store or one file, and how they print: text for people, `--json`
//! for programs.

use crate::cli::{ListSort, StoryFilterArgs};
use crate::exit;
use crate::format::{count, fmt_time};
use crate::input::{ReadOptions, Record};
use samestory_engine::clean::{Cleaned, Cleaner};
use samestory_engine::Timestamp;
use samestory_store::{Store, StoreError, StoryListQuery, StoryOrder};
use std::io::Write;
use std::path::Path;

fn span(first: Option<Timestamp>, last: Option<Timestamp>) -> String {
    match (first, last) {
        (Some(f), Some(l)) if f != l => format!("{} .. {}", fmt_time(Some(f)), fmt_time(Some(l))),
        _ => fmt_time(first),
    }
}

/// An outlet as printed: its name, or `unknown` when the input named none.
fn outlet(source: Option<&str>) -> &str {
    source.unwrap_or("unknown")
}

pub fn stories(
    store: &Store,
    filter: &StoryFilterArgs,
    limit: usize,
    json: bool,
    file: Option<&Path>,
) -> anyhow::Result<u8> {
    let query = StoryListQuery {
        since: filter.since,
        until: filter.until,
        words: filter.q.as_deref(),
        outlet: filter.outlet.as_deref().filter(|o| !o.is_empty()),
        min_outlets: filter.min_outlets.filter(|&n| n > 1),
        language: filter.language.as_ref().map(|l| l.as_str()),
        order: match filter.sort {
            ListSort::Largest => StoryOrder::Largest,
            ListSort::Newest => StoryOrder::Newest,
        },
        after: None,
        limit,
    };
    let stories: Vec<_> = store
        .story_list(&query)?
        .into_iter()
        .map(|s| s.summary)
        .collect();
    if let Some(path) = file {
        let mut out = crate::writers::TableWriter::create(path, crate::format::STORY_COLUMNS)?;
        let rows = super::export::write_stories(&mut out, &stories)?;
        out.finish()?;
        eprintln!(
            "{} written to {}",
            count(rows, "story", "stories"),
            path.display()
        );
        return Ok(exit::OK);
    }
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string(&stories)?)?;
    } else {
        writeln!(out, "id\tarticles\toutlets\tcopies\tpublished\theadline")?;
        for s in &stories {
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}",
                s.id,
                s.size,
                s.outlets,
                s.copies,
                span(s.first, s.last),
                s.headline
            )?;
        }
    }
    Ok(exit::OK)
}

pub fn story(store: &Store, id: &str, json: bool) -> anyhow::Result<u8> {
    // `id` names a story, else an article whose story is shown.
    let (summary, articles) = match store.story(id) {
        Err(StoreError::NotFound(_)) => {
            let story = match store.article_doc(id)? {
                Some(doc) => store.story_id_of_doc(doc)?,
                None => None,
            };
            let story =
                story.ok_or_else(|| StoreError::NotFound(format!("story or article {id}")))?;
            store.story(&story)?
        }
        found => found?,
    };
    let id = summary.id.as_str();
    let view = store.story_analysis(id)?;
    let also = store.also_reported_in(id)?;
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(
            out,
            "{}",
            serde_json::json!({ "story": summary, "articles": articles, "analysis": view,
                "also_reported_in": also })
        )?;
        return Ok(exit::OK);
    }
    writeln!(out, "{}  {}", summary.id, summary.headline)?;
    writeln!(
        out,
        "{}, {}, {}, {}",
        count(summary.size, "article", "articles"),
        count(summary.outlets, "outlet", "outlets"),
        count(summary.copies, "copy", "copies"),
        span(summary.first, summary.last)
    )?;
    for a in &also {
        writeln!(
            out,
            "also reported in {}: {}  {} ({}; shares {})",
            a.language,
            a.story.id,
            a.story.headline,
            count(a.story.size, "article", "articles"),
            a.names
                .iter()
                .chain(&a.numbers)
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        )?;
    }
    for a in &articles {
        let copy = match &a.copy_of {
            Some(o) => format!(
                "  copy of {o} (J={:.2}{})",
                a.copy_jaccard.unwrap_or(1.0),
                if a.copy_exact { ", exact" } else { "" }
            ),
            None => String::new(),
        };
        writeln!(
            out,
            "  {}\t{}\t{}\t{}\t{}{}",
            a.id,
            outlet(a.source.as_deref()),
            fmt_time(a.published),
            a.language.as_deref().unwrap_or("-"),
            a.title.as_deref().unwrap_or("(no title)"),
            copy
        )?;
    }
    let texts = view
        .docs
        .iter()
        .map(|d| store.article(&d.id).map(|a| a.clean_text))
        .collect::<Result<Vec<_>, _>>()?;
    let outlets: Vec<&str> = view.docs.iter().map(|d| d.outlet.as_str()).collect();
    print_analysis(&mut out, &view.analysis, &texts, &outlets)?;
    Ok(exit::OK)
}

/// Prints shared quotes, shared passages, what each outlet alone reports, and the brief.
pub fn print_analysis(
    out: &mut impl Write,
    analysis: &samestory_engine::analysis::StoryAnalysis,
    texts: &[String],
    outlets: &[&str],
) -> std::io::Result<()> {
    let clip = |s: &str, n: usize| -> String {
        let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if s.chars().count() > n {
            format!("{}…", s.chars().take(n).collect::<String>())
        } else {
            s
        }
    };
    writeln!(out, "\nshared quotes ({}):", analysis.quotes.len())?;
    for q in &analysis.quotes {
        writeln!(
            out,
            "  “{}” — {}  [{}]",
            clip(&q.canonical, 160),
            q.speaker.as_deref().unwrap_or("(speaker unknown)"),
            q.outlets.join(", ")
        )?;
        if q.variants.len() > 1 {
            for v in &q.variants {
                let by: Vec<&str> = v.occurrences.iter().map(|(d, _)| outlets[*d]).collect();
                writeln!(
                    out,
                    "      wording: “{}” ({})",
                    clip(&v.text, 140),
                    by.join(", ")
                )?;
            }
        }
    }
    let mut passages: Vec<_> = analysis.passages.iter().map(|p| (p.docs(), p)).collect();
    passages.sort_by(|a, b| {
        (b.0.len(), b.1.words)
            .cmp(&(a.0.len(), a.1.words))
            .then(a.0.cmp(&b.0))
    });
    writeln!(
        out,
        "\nshared passages ({}, most widely carried first):",
        passages.len()
    )?;
    for (docs, p) in passages.iter().take(10) {
        let by: Vec<&str> = docs.iter().map(|&d| outlets[d]).collect();
        let (d, span) = p.occurrences[0];
        writeln!(
            out,
            "  {} ({} words): {}",
            by.join(" ↔ "),
            p.words,
            clip(span.slice(&texts[d]), 140)
        )?;
    }
    writeln!(out, "\nwhat each outlet alone reports:")?;
    for (doc, spans) in analysis.unique.iter().enumerate() {
        if spans.is_empty() {
            continue;
        }
        writeln!(out, "  {} ({} sentences):", outlets[doc], spans.len())?;
        for s in spans.iter().take(5) {
            writeln!(out, "    - {}", clip(s.slice(&texts[doc]), 160))?;
        }
    }
    writeln!(out, "\nbrief:")?;
    for b in &analysis.brief {
        writeln!(out, "  - {} [{}]", clip(&b.text, 200), b.outlets.join(", "))?;
    }
    Ok(())
}

pub fn copies(store: &Store, limit: usize, json: bool) -> anyhow::Result<u8> {
    let copies = store.copies(limit)?;
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string(&copies)?)?;
    } else {
        writeln!(
            out,
            "copy\toutlet\tpublished\toriginal\toriginal's outlet\toriginal published\tsimilarity\tstory\ttitle"
        )?;
        for c in &copies {
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}\tJ={:.2}{}\t{}\t{}",
                c.id,
                outlet(c.source.as_deref()),
                fmt_time(c.published),
                c.original,
                outlet(c.original_source.as_deref()),
                fmt_time(c.original_published),
                c.jaccard,
                if c.exact { " exact" } else { "" },
                c.story,
                c.title.as_deref().unwrap_or("(no title)"),
            )?;
        }
    }
    Ok(exit::OK)
}

pub fn storylines(store: &Store, limit: usize, json: bool) -> anyhow::Result<u8> {
    let lines = store.storylines(limit)?;
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string(&lines)?)?;
        return Ok(exit::OK);
    }
    writeln!(out, "id\tstories\tarticles\tpublished\theadline")?;
    for l in &lines {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}",
            l.id,
            l.stories,
            l.articles,
            span(l.first, l.last),
            l.headline
        )?;
    }
    Ok(exit::OK)
}

pub fn storyline(store: &Store, id: &str, json: bool) -> anyhow::Result<u8> {
    let (line, stories) = store.storyline(id)?;
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(
            out,
            "{}",
            serde_json::json!({ "storyline": line, "stories": stories })
        )?;
        return Ok(exit::OK);
    }
    writeln!(out, "{}  {}", line.id, line.headline)?;
    writeln!(
        out,
        "{}, {}, {}",
        count(line.stories, "story", "stories"),
        count(line.articles, "article", "articles"),
        span(line.first, line.last)
    )?;
    for s in &stories {
        let continues = s.continues.as_ref().map_or_else(String::new, |(e, sim)| {
            format!("\tcontinues {e} (similarity {sim:.2})")
        });
        writeln!(
            out,
            "  {}\t{}\t{}\t{}{continues}",
            s.story.id,
            count(s.story.size, "article", "articles"),
            span(s.story.first, s.story.last),
            s.story.headline
        )?;
    }
    Ok(exit::OK)
}

/// Reads one article from a file for `clean` and `compare`: a text file, or the first record of a
/// JSONL or CSV file.
pub fn read_one(path: &Path) -> anyhow::Result<samestory_engine::Article> {
    let mut found = None;
    let mut error = None;
    crate::input::read_file(path, &ReadOptions::default(), &mut |r| match r {
        Record::Article(a, _) if found.is_none() => found = Some(*a),
        Record::Error(e) if error.is_none() && found.is_none() => error = Some(e),
        _ => {}
    });
    match (found, error) {
        (Some(a), _) => Ok(a),
        (None, Some(e)) => anyhow::bail!("{e}"),
        (None, None) => anyhow::bail!("{}: no article in it", path.display()),
    }
}

pub fn clean(path: &Path, json: bool) -> anyhow::Result<u8> {
    let article = read_one(path)?;
    let cleaned = Cleaner::default().clean(&article.text);
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string(&cleaned)?)?;
        return Ok(exit::OK);
    }
    writeln!(out, "{}", cleaned.text.trim())?;
    print_removals(&mut out, &cleaned)
}

/// What cleaning removed, one line each (`start..end`, reason, text), after a count.
pub fn print_removals(out: &mut impl Write, cleaned: &Cleaned) -> anyhow::Result<u8> {
    writeln!(out, "\n--- removed ({}) ---", cleaned.removals.len())?;
    if let Some(t) = cleaned.published {
        writeln!(out, "published: {}", fmt_time(Some(t)))?;
    }
    for r in &cleaned.removals {
        writeln!(
            out,
            "{}..{}\t{}\t{:?}",
            r.span.start,
            r.span.end,
            r.reason.as_str(),
            r.text
        )?;
    }
    Ok(exit::OK)
}
