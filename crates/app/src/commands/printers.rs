//! The commands that read the store or one file, and how they print: text for people, `--json`
//! for programs.

use crate::exit;
use crate::format::fmt_time;
use crate::input::{ReadOptions, Record};
use samestory_engine::clean::{Cleaned, Cleaner};
use samestory_engine::Timestamp;
use samestory_store::Store;
use std::io::Write;
use std::path::Path;

fn span(first: Option<Timestamp>, last: Option<Timestamp>) -> String {
    match (first, last) {
        (Some(f), Some(l)) if f != l => format!("{} .. {}", fmt_time(Some(f)), fmt_time(Some(l))),
        _ => fmt_time(first),
    }
}

pub fn stories(store: &Store, limit: usize, json: bool) -> anyhow::Result<u8> {
    let stories = store.stories(limit)?;
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string(&stories)?)?;
    } else {
        for s in &stories {
            writeln!(
                out,
                "{}\t{} articles\t{} outlets\t{} copies\t{}\t{}",
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
    let (summary, articles) = store.story(id)?;
    let view = store.story_analysis(id)?;
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(
            out,
            "{}",
            serde_json::json!({ "story": summary, "articles": articles, "analysis": view })
        )?;
        return Ok(exit::OK);
    }
    writeln!(out, "{}  {}", summary.id, summary.headline)?;
    writeln!(
        out,
        "{} articles, {} outlets, {} copies, {}",
        summary.size,
        summary.outlets,
        summary.copies,
        span(summary.first, summary.last)
    )?;
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
            "  {}\t{}\t{}\t{}{}",
            a.id,
            a.source.as_deref().unwrap_or("-"),
            fmt_time(a.published),
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
        for c in &copies {
            writeln!(
                out,
                "{}\tcopy of {}\tJ={:.2}{}\tstory {}",
                c.id,
                c.original,
                c.jaccard,
                if c.exact { " exact" } else { "" },
                c.story
            )?;
        }
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
