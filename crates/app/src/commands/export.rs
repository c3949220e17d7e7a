//! `samestory export stories|articles|copies --output FILE`: a database's stories, articles (with
//! their story, original and clean text) or copies, written as JSONL, CSV or Parquet by the
//! file's name ([`crate::writers`]). Articles are read one at a time, in ingest order.

use crate::exit;
use crate::format::{rfc3339, story_row, STORY_COLUMNS};
use crate::writers::TableWriter;
use samestory_store::{Store, StorySummary};
use std::path::Path;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum What {
    Stories,
    Articles,
    Copies,
}

/// Writes `stories` to `out` (JSONL: each story as the API gives it; else [`STORY_COLUMNS`]);
/// how many.
pub fn write_stories(out: &mut TableWriter, stories: &[StorySummary]) -> anyhow::Result<u64> {
    for s in stories {
        if out.is_jsonl() {
            out.value(s)?;
        } else {
            out.row(story_row(s))?;
        }
    }
    Ok(stories.len() as u64)
}

pub fn run(store: &Store, what: What, output: &Path) -> anyhow::Result<u8> {
    let mut rows = 0u64;
    match what {
        What::Stories => {
            let mut out = TableWriter::create(output, STORY_COLUMNS)?;
            rows += write_stories(&mut out, &store.stories(usize::MAX)?)?;
            out.finish()?;
        }
        What::Copies => {
            let columns = &["id", "original", "jaccard", "exact", "story"];
            let mut out = TableWriter::create(output, columns)?;
            for c in store.copies(usize::MAX)? {
                if out.is_jsonl() {
                    out.value(&c)?;
                } else {
                    out.row(vec![
                        Some(c.id),
                        Some(c.original),
                        Some(format!("{:.4}", c.jaccard)),
                        Some(c.exact.to_string()),
                        Some(c.story),
                    ])?;
                }
                rows += 1;
            }
            out.finish()?;
        }
        What::Articles => {
            let columns = &[
                "id",
                "url",
                "title",
                "source",
                "published",
                "story",
                "copy_of",
                "text",
                "clean_text",
            ];
            let mut out = TableWriter::create(output, columns)?;
            for (id, _) in store.assignments()? {
                let a = store.article(&id)?;
                if out.is_jsonl() {
                    out.value(&a)?;
                } else {
                    let r = a.row;
                    out.row(vec![
                        Some(r.id),
                        r.url,
                        r.title,
                        r.source,
                        rfc3339(r.published),
                        Some(r.story),
                        r.copy_of,
                        Some(a.text),
                        Some(a.clean_text),
                    ])?;
                }
                rows += 1;
            }
            out.finish()?;
        }
    }
    eprintln!(
        "{} written to {}",
        crate::format::count(rows, "row", "rows"),
        output.display()
    );
    Ok(exit::OK)
}
