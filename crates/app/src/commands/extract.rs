//! `samestory extract`: a saved web page's article text and metadata ([`crate::input::html`]),
//! then the samestory cleaner on the text, its removals listed with their reasons as `clean`
//! prints them. A page that gives no article is reported with its file, and the next is read.

use crate::exit;
use crate::input::html::{self, Page};
use samestory_engine::clean::{Cleaned, Cleaner};
use serde::Serialize;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// One page as `--json` prints it.
#[derive(Serialize)]
struct Extracted<'a> {
    file: String,
    #[serde(flatten)]
    page: &'a Page,
    /// The main text before cleaning.
    extracted: &'a str,
    removals: &'a [samestory_engine::clean::Removal],
}

/// Pages over this size are refused, as `ingest` refuses them.
const MAX_PAGE_BYTES: u64 = 20 * 1024 * 1024;

/// Reads a page file (gzipped when its name ends in `.gz`), at most [`MAX_PAGE_BYTES`].
pub fn read_page(path: &Path) -> anyhow::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut bytes = Vec::new();
    reader.take(MAX_PAGE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_PAGE_BYTES {
        anyhow::bail!("page is over the limit of {MAX_PAGE_BYTES} bytes; skipped");
    }
    Ok(bytes)
}

pub fn run(pages: &[PathBuf], url: Option<&str>, json: bool) -> anyhow::Result<u8> {
    let cleaner = Cleaner::default();
    let mut out = std::io::stdout().lock();
    let mut failed = 0;
    for path in pages {
        let name = path.display().to_string();
        let page = read_page(path)
            .map_err(|e| format!("{e:#}"))
            .and_then(|bytes| html::extract(&bytes, url).map_err(|e| e.to_string()));
        let mut page = match page {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{name}: {e}");
                failed += 1;
                continue;
            }
        };
        let cleaned = cleaner.clean(&page.text);
        let extracted = std::mem::replace(&mut page.text, cleaned.text.trim().to_owned());
        if json {
            let record = Extracted {
                file: name,
                page: &page,
                extracted: &extracted,
                removals: &cleaned.removals,
            };
            writeln!(out, "{}", serde_json::to_string(&record)?)?;
        } else {
            print_page(&mut out, &name, &page, &cleaned)?;
        }
    }
    Ok(if failed > 0 { exit::PARTIAL } else { exit::OK })
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
