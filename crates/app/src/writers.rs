//! Writing articles and tables in the format a file's name asks for: `.csv` (a header row),
//! `.parquet` (Arrow columns, written a batch of 8,192 rows at a time), else JSONL. Used by
//! `dedup --output` and `--clusters`, and by `export`.

use anyhow::Context;
use arrow_array::{ArrayRef, RecordBatch, StringArray, TimestampSecondArray};
use samestory_engine::Article;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Jsonl,
    Csv,
    Parquet,
}

impl Kind {
    pub fn of(path: &Path) -> Kind {
        let name = path.to_string_lossy().to_ascii_lowercase();
        if name.ends_with(".csv") {
            Kind::Csv
        } else if name.ends_with(".parquet") {
            Kind::Parquet
        } else {
            Kind::Jsonl
        }
    }
}

/// The columns of an article in CSV and Parquet (JSONL writes the article as it was read).
const ARTICLE_COLUMNS: &[&str] = &["id", "url", "title", "source", "published", "text"];

const PARQUET_BATCH: usize = 8192;

enum Sink {
    Jsonl(BufWriter<File>),
    Csv(csv::Writer<BufWriter<File>>),
    Parquet {
        writer: parquet::arrow::ArrowWriter<File>,
        rows: Vec<Vec<Option<String>>>,
        published: Vec<Option<i64>>,
        columns: &'static [&'static str],
    },
}

/// Rows of string columns (and for articles a `published` timestamp) to one file.
pub struct TableWriter {
    sink: Sink,
    path: String,
}

impl TableWriter {
    /// A writer of articles to `path`, in the format its name asks for.
    pub fn articles(path: &Path) -> anyhow::Result<TableWriter> {
        Self::create(path, ARTICLE_COLUMNS)
    }

    /// A writer of rows of `columns` (strings) to `path`.
    pub fn create(path: &Path, columns: &'static [&'static str]) -> anyhow::Result<TableWriter> {
        let file =
            File::create(path).with_context(|| format!("{}: cannot create", path.display()))?;
        let sink = match Kind::of(path) {
            Kind::Jsonl => Sink::Jsonl(BufWriter::with_capacity(1 << 20, file)),
            Kind::Csv => {
                let mut w = csv::Writer::from_writer(BufWriter::with_capacity(1 << 20, file));
                w.write_record(columns)?;
                Sink::Csv(w)
            }
            Kind::Parquet => {
                let schema = schema(columns);
                Sink::Parquet {
                    writer: parquet::arrow::ArrowWriter::try_new(file, schema, None)?,
                    rows: Vec::new(),
                    published: Vec::new(),
                    columns,
                }
            }
        };
        Ok(TableWriter {
            sink,
            path: path.display().to_string(),
        })
    }

    /// Whether a JSONL line may be copied as it is ([`TableWriter::raw_line`]).
    pub fn is_jsonl(&self) -> bool {
        matches!(self.sink, Sink::Jsonl(_))
    }

    /// A JSONL line written as it was read.
    pub fn raw_line(&mut self, line: &[u8]) -> anyhow::Result<()> {
        let Sink::Jsonl(out) = &mut self.sink else {
            anyhow::bail!("{}: not a JSONL output", self.path)
        };
        out.write_all(line)?;
        if !line.ends_with(b"\n") {
            out.write_all(b"\n")?;
        }
        Ok(())
    }

    /// Any value as one JSONL line (JSONL outputs only).
    pub fn value(&mut self, v: &impl serde::Serialize) -> anyhow::Result<()> {
        let Sink::Jsonl(out) = &mut self.sink else {
            anyhow::bail!("{}: not a JSONL output", self.path)
        };
        serde_json::to_writer(&mut *out, v)?;
        out.write_all(b"\n")?;
        Ok(())
    }

    pub fn article(&mut self, a: &Article) -> anyhow::Result<()> {
        if let Sink::Jsonl(out) = &mut self.sink {
            serde_json::to_writer(&mut *out, a)?;
            out.write_all(b"\n")?;
            return Ok(());
        }
        let published = a.published.map(|t| {
            chrono::DateTime::from_timestamp(t, 0)
                .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default()
        });
        let row = vec![
            Some(a.id.clone()),
            a.url.clone(),
            a.title.clone(),
            a.source.clone(),
            published,
            Some(a.text.clone()),
        ];
        self.row_with_time(row, a.published)
    }

    /// One row of string columns (`None` is empty in CSV, null in Parquet); in JSONL an object.
    pub fn row(&mut self, row: Vec<Option<String>>) -> anyhow::Result<()> {
        self.row_with_time(row, None)
    }

    fn row_with_time(&mut self, row: Vec<Option<String>>, time: Option<i64>) -> anyhow::Result<()> {
        match &mut self.sink {
            Sink::Jsonl(_) => anyhow::bail!("{}: rows are written to CSV or Parquet", self.path),
            Sink::Csv(w) => {
                w.write_record(row.iter().map(|c| c.as_deref().unwrap_or("")))?;
                Ok(())
            }
            Sink::Parquet {
                writer,
                rows,
                published,
                columns,
            } => {
                rows.push(row);
                published.push(time);
                if rows.len() == PARQUET_BATCH {
                    write_batch(writer, rows, published, columns)?;
                }
                Ok(())
            }
        }
    }

    pub fn finish(self) -> anyhow::Result<()> {
        match self.sink {
            Sink::Jsonl(mut out) => out.flush()?,
            Sink::Csv(mut w) => w.flush()?,
            Sink::Parquet {
                mut writer,
                mut rows,
                mut published,
                columns,
            } => {
                write_batch(&mut writer, &mut rows, &mut published, columns)?;
                writer.close()?;
            }
        }
        Ok(())
    }
}

/// Strings, but an article's `published` is a timestamp in seconds, UTC.
fn schema(columns: &[&str]) -> arrow_schema::SchemaRef {
    use arrow_schema::{DataType, Field, Schema, TimeUnit};
    let articles = columns == ARTICLE_COLUMNS;
    Arc::new(Schema::new(
        columns
            .iter()
            .map(|&c| {
                let t = if articles && c == "published" {
                    DataType::Timestamp(TimeUnit::Second, Some("UTC".into()))
                } else {
                    DataType::Utf8
                };
                Field::new(c, t, true)
            })
            .collect::<Vec<_>>(),
    ))
}

fn write_batch(
    writer: &mut parquet::arrow::ArrowWriter<File>,
    rows: &mut Vec<Vec<Option<String>>>,
    published: &mut Vec<Option<i64>>,
    columns: &[&str],
) -> anyhow::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let articles = columns == ARTICLE_COLUMNS;
    let arrays: Vec<ArrayRef> = (0..columns.len())
        .map(|i| -> ArrayRef {
            if articles && columns[i] == "published" {
                Arc::new(TimestampSecondArray::from(published.clone()).with_timezone("UTC"))
            } else {
                Arc::new(
                    rows.iter()
                        .map(|r| r[i].as_deref())
                        .collect::<StringArray>(),
                )
            }
        })
        .collect();
    writer.write(&RecordBatch::try_new(schema(columns), arrays)?)?;
    rows.clear();
    published.clear();
    Ok(())
}
