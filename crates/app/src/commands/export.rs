//! `samestory export stories|articles|copies --output FILE`: a database's stories, articles (with
//! their story, original and clean text) or copies, written as JSONL, CSV or Parquet by the
//! file's name ([`crate::writers`]). Articles are read one at a time, in ingest order.

use crate::exit;
use crate::writers::TableWriter;
use samestory_store::Store;
use std::path::Path;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum What {
    Stories,
    Articles,
    Copies,
}

fn time(t: Option<i64>) -> Option<String> {
    t.and_then(|t| chrono::DateTime::from_timestamp(t, 0))
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

pub fn run(store: &Store, what: What, output: &Path) -> anyhow::Result<u8> {
    let mut rows = 0u64;
    match what {
        What::Stories => {
            let columns = &[
                "id", "size", "outlets", "copies", "first", "last", "headline",
            ];
            let mut out = TableWriter::create(output, columns)?;
            for s in store.stories(usize::MAX)? {
                if out.is_jsonl() {
                    out.value(&s)?;
                } else {
                    out.row(vec![
                        Some(s.id),
                        Some(s.size.to_string()),
                        Some(s.outlets.to_string()),
                        Some(s.copies.to_string()),
                        time(s.first),
                        time(s.last),
                        Some(s.headline),
                    ])?;
                }
                rows += 1;
            }
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
                        time(r.published),
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
