//! `samestory extract`: a saved web page's article text and metadata ([`crate::input::html`]),
//! then the samestory cleaner on the text, its removals listed with their reasons as `clean`
//! prints them. A page that gives no article is reported with its file, and the next is read.
//! Files of the other formats (feeds, WARC, JSONL, …) are read as `ingest` reads them and each
//! article is printed the same way: what samestory reads from them, before any decision.
//! `--items` prints each feed as parsed instead, its items before they become articles (what the
//! feed conformance measure judges, BENCHMARKS.md §9).

use crate::exit;
use crate::input::html::{self, Page, MAX_PAGE_BYTES};
use crate::input::{ReadOptions, Record};
use samestory_engine::clean::{Cleaned, Cleaner};
use samestory_engine::Article;
use serde::Serialize;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// One page as `--json` prints it.
#[derive(Serialize)]
struct Extracted<'a> {
    file: String,
    /// The id samestory gives the article (feeds, WARC and other formats).
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(flatten)]
    page: &'a Page,
    /// The main text before cleaning.
    extracted: &'a str,
    removals: &'a [samestory_engine::clean::Removal],
}

/// Reads a page file (gzipped when its name ends in `.gz`), at most [`MAX_PAGE_BYTES`].
pub fn read_page(path: &Path) -> anyhow::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut bytes = Vec::new();
    reader
        .take(MAX_PAGE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() > MAX_PAGE_BYTES {
        anyhow::bail!("page is over the limit of {MAX_PAGE_BYTES} bytes; skipped");
    }
    Ok(bytes)
}

/// Pages read at once: extracted in parallel, printed in the order given.
const WINDOW: usize = 64;

/// A saved page extracted and cleaned ([`extract_page`]), or why it gave no article.
type Done = Result<(Page, Cleaned, String), String>;

pub fn run(pages: &[PathBuf], url: Option<&str>, json: bool) -> anyhow::Result<u8> {
    use rayon::prelude::*;
    let cleaner = Cleaner::default();
    let mut out = std::io::stdout().lock();
    let mut failed = 0;
    for window in pages.chunks(WINDOW) {
        // The saved pages of the window are read, extracted and cleaned on every core; what is
        // printed, and in which order, is as if they were read one after the other.
        let done: Vec<Option<Done>> = window
            .par_iter()
            .map(|path| is_page(path).then(|| extract_page(path, url, &cleaner)))
            .collect();
        for (path, done) in window.iter().zip(done) {
            let name = path.display().to_string();
            let Some(done) = done else {
                let opts = ReadOptions::default();
                crate::input::read_paths(std::slice::from_ref(path), &opts, &mut |record| {
                    match record {
                        Record::Article(a, warnings) => {
                            for w in warnings {
                                eprintln!("warning: {w}");
                            }
                            let printed = print_article(&mut out, &name, &a, &cleaner, json);
                            if let Err(e) = printed {
                                eprintln!("{name}: {e:#}");
                                failed += 1;
                            }
                        }
                        Record::Error(e) => {
                            eprintln!("{e}");
                            failed += 1;
                        }
                    }
                })?;
                continue;
            };
            let (page, cleaned, extracted) = match done {
                Ok(done) => done,
                Err(e) => {
                    eprintln!("{name}: {e}");
                    failed += 1;
                    continue;
                }
            };
            if json {
                let record = Extracted {
                    file: name,
                    id: None,
                    page: &page,
                    extracted: &extracted,
                    removals: &cleaned.removals,
                };
                writeln!(out, "{}", serde_json::to_string(&record)?)?;
            } else {
                print_page(&mut out, &name, &page, &cleaned)?;
            }
        }
    }
    Ok(if failed > 0 { exit::PARTIAL } else { exit::OK })
}

/// One saved page read and extracted, its text cleaned: the page with the clean text, the
/// cleaner's answer and the text before cleaning; or why it gave no article.
fn extract_page(path: &Path, url: Option<&str>, cleaner: &Cleaner) -> Done {
    let bytes = read_page(path).map_err(|e| format!("{e:#}"))?;
    let mut page = html::extract(&bytes, url).map_err(|e| e.to_string())?;
    let cleaned = cleaner.clean(&page.text);
    let extracted = std::mem::replace(&mut page.text, cleaned.text.trim().to_owned());
    Ok((page, cleaned, extracted))
}

/// Whether `path` is a saved page (`.html`, `.htm`, either gzipped), which `extract` reads here.
fn is_page(path: &Path) -> bool {
    let name = path.to_string_lossy().to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    name.ends_with(".html") || name.ends_with(".htm")
}

/// An article read from another format, printed as a page is.
fn print_article(
    out: &mut impl Write,
    name: &str,
    a: &Article,
    cleaner: &Cleaner,
    json: bool,
) -> anyhow::Result<()> {
    let text_of = |key: &str| a.meta.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    let mut page = Page {
        title: a.title.clone(),
        url: a.url.clone(),
        published: a.published.map(|t| {
            chrono::DateTime::from_timestamp(t, 0)
                .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default()
        }),
        modified: text_of("modified"),
        outlet: a.source.clone(),
        author: text_of("author"),
        language: text_of("language"),
        text: String::new(),
    };
    let cleaned = cleaner.clean(&a.text);
    page.text = cleaned.text.trim().to_owned();
    if json {
        let record = Extracted {
            file: name.to_owned(),
            id: Some(&a.id),
            page: &page,
            extracted: &a.text,
            removals: &cleaned.removals,
        };
        writeln!(out, "{}", serde_json::to_string(&record)?)?;
        Ok(())
    } else {
        print_page(out, name, &page, &cleaned)
    }
}

fn print_page(
    out: &mut impl Write,
    name: &str,
    page: &Page,
    cleaned: &Cleaned,
) -> anyhow::Result<()> {
    writeln!(out, "=== {name}")?;
    for (label, value) in [
        ("title", &page.title),
        ("url", &page.url),
        ("published", &page.published),
        ("modified", &page.modified),
        ("outlet", &page.outlet),
        ("author", &page.author),
        ("language", &page.language),
    ] {
        if let Some(v) = value {
            writeln!(out, "{label}: {v}")?;
        }
    }
    writeln!(out, "\n{}", page.text)?;
    crate::commands::printers::print_removals(out, cleaned)?;
    Ok(())
}

/// `extract --items`: each feed file as parsed, one JSON object a file: the feed's title, link,
/// id, description and dates, and its items (title, link, guid, published, updated, content and
/// its type, summary) before they become articles.
pub fn run_items(files: &[PathBuf]) -> anyhow::Result<u8> {
    let time = |t: Option<i64>| {
        t.and_then(|t| chrono::DateTime::from_timestamp(t, 0))
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    };
    let mut out = std::io::stdout().lock();
    let mut failed = 0;
    for path in files {
        let name = path.display().to_string();
        let parsed = read_page(path)
            .map_err(|e| format!("{e:#}"))
            .and_then(|bytes| crate::input::feeds::parse(&bytes));
        let feed = match parsed {
            Ok(feed) => feed,
            Err(e) => {
                eprintln!("{name}: {e}");
                failed += 1;
                continue;
            }
        };
        let items: Vec<serde_json::Value> = feed
            .items
            .iter()
            .map(|i| {
                serde_json::json!({
                    "title": i.title,
                    "link": i.url,
                    "id": i.guid,
                    "published": time(i.published),
                    "updated": time(i.updated),
                    "content": i.content,
                    "content_type": i.content_type,
                    "content_src": i.content_src,
                    "summary": i.summary,
                })
            })
            .collect();
        let row = serde_json::json!({
            "file": name,
            "title": feed.title,
            "link": feed.link,
            "id": feed.id,
            "description": feed.description,
            "published": time(feed.published),
            "updated": time(feed.updated),
            "items": items,
        });
        writeln!(out, "{row}")?;
    }
    Ok(if failed > 0 { exit::PARTIAL } else { exit::OK })
}
