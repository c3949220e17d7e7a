//! Reading articles: JSONL (also gzipped), CSV with a header row, plain text files, saved web pages
//! (`html`), RSS/Atom/JSON feeds (`feeds`), WARC files (`web_archive`), Parquet (`parquet`),
//! directories of them, and standard input. Every bad record becomes an [`InputError`] that names the file and line
//! (and field), and reading goes on with the next record.
//!
//! Every command reads through here: [`sources`] turns paths into files (and standard input),
//! [`read_units`] reads one in chunks (JSONL lines left unparsed, so that a chunk is parsed in
//! parallel by [`parse_line`]), and [`read_paths`] does both and hands out records in order.
//! `fields` is the one table of field names; `lines` the chunked line reader.

mod boilerplate;
mod document;
pub mod feeds;
mod fields;
pub mod html;
pub mod items;
mod lead;
mod lines;
mod parquet;
mod web_archive;

pub use fields::Fields;
use items::{ItemsError, Piece};
pub use lines::Line;

use anyhow::Context;
use flate2::read::MultiGzDecoder;
use samestory_engine::{Article, Origin, Timestamp};
use serde_json::{Map, Value};
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Articles larger than this are refused: no news article is, and one would stall a batch.
pub const DEFAULT_MAX_ARTICLE_BYTES: usize = 5 * 1024 * 1024;

/// Why an article without a word is refused: it could only match the other texts without one.
pub const NO_WORDS: &str = "the text has no words (only spaces, punctuation, symbols or invisible characters), so it cannot be compared; skipped";

/// One bad record or file.
#[derive(Debug, Clone)]
pub struct InputError {
    pub file: String,
    pub line: Option<u64>,
    pub message: String,
}

impl InputError {
    /// An error about the record read at `origin`.
    pub fn at(origin: &Origin, message: impl Into<String>) -> InputError {
        match origin {
            Origin::File { name, line } => InputError {
                file: name.clone(),
                line: *line,
                message: message.into(),
            },
            Origin::Item { of, item } => InputError {
                file: of.clone(),
                line: None,
                message: format!("item {item}: {}", message.into()),
            },
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.file, l, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// A warning about a record that was still read (an unparseable date, say).
pub type Warning = InputError;

/// What reading yields: an article (with warnings about it) or an error for one record.
pub enum Record {
    Article(Box<Article>, Vec<Warning>),
    Error(InputError),
}

/// Options of reading.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// Take the text from this field instead of `text`/`body`/`content`.
    pub text_field: Option<String>,
    pub max_article_bytes: usize,
    /// The format of standard input (`--format`); detected when `None`.
    pub stdin_format: Option<Format>,
    /// A chrono `strftime` pattern tried first on dates (`--date-format`).
    pub date_format: Option<String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            text_field: None,
            max_article_bytes: DEFAULT_MAX_ARTICLE_BYTES,
            stdin_format: None,
            date_format: None,
        }
    }
}

/// Dates before the first newspapers (1605) or after 2200 are misreadings (`1e300`, an
/// i64's extreme, a product code), refused with a warning.
const EARLIEST_DATE: Timestamp = -11_676_096_000; // 1600-01-01T00:00:00Z
const LATEST_DATE: Timestamp = 7_258_118_400; // 2200-01-01T00:00:00Z

/// A date read, with a note when part of it was not understood (stored anyway, with a warning).
pub type TimeRead = (Timestamp, Option<String>);

/// Parses a date: epoch seconds or milliseconds (number or digits), RFC 3339, RFC 2822,
/// `YYYY-MM-DD`, `YYYY-MM-DD[T ]HH:MM[:SS[.fraction]][offset]`, or first `format` (a chrono
/// `strftime` pattern, `--date-format`) when given. Impossible offsets and dates outside 1600 to
/// 2200 are errors; a `YYYY-MM-DD` followed by something that is no time is read as that day,
/// with a note.
pub fn read_time(v: &Value, format: Option<&str>) -> Result<TimeRead, String> {
    let read = match v {
        Value::Number(n) => match n.as_i64() {
            Some(i) => (epoch_seconds(i), None),
            None => {
                let f = n.as_f64().unwrap_or(f64::NAN);
                if !f.is_finite() || f.abs() >= 9.2e18 {
                    return Err(format!("{v} is out of range"));
                }
                (epoch_seconds(f as i64), None)
            }
        },
        Value::String(s) => read_time_text(s.trim(), format)?,
        _ => return Err(format!("{v} is not a date")),
    };
    if !(EARLIEST_DATE..LATEST_DATE).contains(&read.0) {
        return Err(format!("{v} is outside the years 1600 to 2200"));
    }
    Ok(read)
}

/// Epoch seconds from seconds or milliseconds (told apart by size: 10^11 seconds is year 5138).
fn epoch_seconds(n: i64) -> i64 {
    if n.unsigned_abs() >= 100_000_000_000 {
        n / 1000
    } else {
        n
    }
}

fn read_time_text(s: &str, format: Option<&str>) -> Result<TimeRead, String> {
    let cannot = || format!("cannot read {s:?} as a date");
    if let Some(format) = format {
        if let Ok(t) = chrono::DateTime::parse_from_str(s, format) {
            return Ok((t.timestamp(), None));
        }
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, format) {
            return Ok((t.and_utc().timestamp(), None));
        }
        if let Ok(d) = chrono::NaiveDate::parse_from_str(s, format) {
            return Ok((
                d.and_time(chrono::NaiveTime::MIN).and_utc().timestamp(),
                None,
            ));
        }
    }
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && s.len() >= 9 {
        return s
            .parse::<i64>()
            .map(|n| (epoch_seconds(n), None))
            .map_err(|_| format!("{s:?} is out of range"));
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok((t.timestamp(), None));
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc2822(s) {
        return Ok((t.timestamp(), None));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
    ] {
        if let Ok(t) = chrono::DateTime::parse_from_str(s, fmt) {
            return Ok((t.timestamp(), None));
        }
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, fmt) {
            return Ok((t.and_utc().timestamp(), None));
        }
    }
    let cut = s.len().min(10);
    if !s.is_char_boundary(cut) {
        return Err(cannot());
    }
    let (day, rest) = s.split_at(cut);
    let day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map_err(|_| cannot())?
        .and_time(chrono::NaiveTime::MIN)
        .and_utc()
        .timestamp();
    if rest.is_empty() {
        return Ok((day, None));
    }
    // A time that did not read (`+25:00`, `10:61`) is an error, not midnight.
    if rest.starts_with(['T', 't', ' ']) && rest[1..].starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!(
            "{}: the time or its offset is impossible",
            cannot()
        ));
    }
    Ok((
        day,
        Some(format!(
            "{rest:?} after the day was not understood; stored as the day at midnight"
        )),
    ))
}

/// [`read_time`] without a custom format, the date only.
pub fn parse_time(v: &Value) -> Option<Timestamp> {
    read_time(v, None).ok().map(|(t, _)| t)
}

/// Builds an article from a JSON object or CSV row, mapping field aliases ([`fields::ALIASES`]).
pub fn article_from_fields(
    fields: Map<String, Value>,
    opts: &ReadOptions,
    file: &str,
    line: Option<u64>,
) -> Record {
    Fields::from_map(fields, opts).into_record(opts, file, line)
}

fn open_maybe_gz(path: &Path) -> anyhow::Result<Box<dyn Read + Send>> {
    let file = File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    if path.extension().is_some_and(|e| e == "gz") {
        Ok(Box::new(MultiGzDecoder::new(file)))
    } else {
        Ok(Box::new(file))
    }
}

/// An input format: told by a file's name, detected on standard input, or given with `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// JSON Lines, or one JSON document (an object or an array of them, pretty-printed or not).
    #[value(aliases = ["json", "ndjson"])]
    Jsonl,
    Csv,
    #[value(name = "txt", alias = "text")]
    Text,
    Html,
    Feed,
    Warc,
    Parquet,
}

fn format_of(path: &Path) -> Option<Format> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    if name.ends_with(".jsonl") || name.ends_with(".ndjson") || name.ends_with(".json") {
        Some(Format::Jsonl)
    } else if name.ends_with(".csv") {
        Some(Format::Csv)
    } else if name.ends_with(".txt") {
        Some(Format::Text)
    } else if name.ends_with(".html") || name.ends_with(".htm") {
        Some(Format::Html)
    } else if [".rss", ".atom", ".rdf", ".xml"]
        .iter()
        .any(|e| name.ends_with(e))
    {
        Some(Format::Feed)
    } else if name.ends_with(".warc") {
        Some(Format::Warc)
    } else if name.ends_with(".parquet") {
        Some(Format::Parquet)
    } else {
        None
    }
}

/// One input to read: a file, or standard input (read into memory, so that it can be read
/// again, as `dedup` does in three passes).
pub struct Source {
    /// The name in messages: the path, or `<stdin>`.
    pub name: String,
    path: Option<PathBuf>,
    stdin: Option<Arc<Vec<u8>>>,
    format: Format,
}

impl Source {
    /// A file, its format told by its name (`.jsonl`, `.csv`, `.txt`, `.html`/`.htm`,
    /// `.rss`/`.atom`/`.rdf`/`.xml`, `.warc`, any of them `.gz`; `.parquet`).
    pub fn file(path: &Path) -> Source {
        Source {
            name: path.display().to_string(),
            path: Some(path.to_owned()),
            stdin: None,
            format: format_of(path).unwrap_or(Format::Text),
        }
    }

    /// Bytes in memory read as `format`, named `name` in messages (the fuzz targets' way in).
    pub fn bytes(name: &str, bytes: Vec<u8>, format: Format) -> Source {
        Source {
            name: name.into(),
            path: None,
            stdin: Some(Arc::new(bytes)),
            format,
        }
    }

    fn open(&self) -> anyhow::Result<Box<dyn Read + Send>> {
        match (&self.stdin, &self.path) {
            (Some(bytes), _) => Ok(Box::new(std::io::Cursor::new(SharedBytes(bytes.clone())))),
            (None, Some(path)) => open_maybe_gz(path),
            (None, None) => unreachable!("a source is a file or stdin"),
        }
    }
}

struct SharedBytes(Arc<Vec<u8>>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// The sources that `paths` name (files, directories read recursively in name order, `-` for
/// standard input), in order; a path that yields none is an error in its place.
pub fn sources(paths: &[PathBuf], opts: &ReadOptions) -> Vec<Result<Source, InputError>> {
    let error = |path: &Path, message: &str| InputError {
        file: path.display().to_string(),
        line: None,
        message: message.into(),
    };
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(read_stdin(opts.stdin_format));
        } else if path.is_dir() {
            let (files, unreadable) = files_in(path);
            if files.is_empty() && unreadable.is_empty() {
                out.push(Err(error(
                    path,
                    "directory holds no .jsonl, .csv, .txt, .html, feed, .warc or .parquet files",
                )));
            }
            out.extend(unreadable.into_iter().map(Err));
            out.extend(files.iter().map(|f| Ok(Source::file(f))));
        } else if path.is_symlink() && !path.exists() {
            out.push(Err(error(path, "a symbolic link to nothing (dangling)")));
        } else if !path.exists() {
            out.push(Err(error(path, "no such file")));
        } else {
            out.push(Ok(Source::file(path)));
        }
    }
    out
}

/// The files of a directory that samestory reads, in name order, and an error for every entry
/// that could not be read. Symbolic links are followed (to files and directories alike), and a
/// link back to a directory above it is reported as a loop instead of being walked again.
fn files_in(dir: &Path) -> (Vec<PathBuf>, Vec<InputError>) {
    let mut files = Vec::new();
    let mut unreadable = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        match entry {
            Ok(e) if e.file_type().is_file() && format_of(e.path()).is_some() => {
                files.push(e.into_path())
            }
            Ok(_) => {}
            Err(e) => {
                let path = e.path().unwrap_or(dir).display().to_string();
                let message = if let Some(ancestor) = e.loop_ancestor() {
                    format!(
                        "a symbolic link loop (back to {}); not followed",
                        ancestor.display()
                    )
                } else if let Some(io) = e.io_error() {
                    if io.kind() == std::io::ErrorKind::NotFound {
                        "a symbolic link to nothing (dangling); skipped".to_owned()
                    } else {
                        format!("cannot read: {io}; skipped")
                    }
                } else {
                    format!("cannot read: {e}; skipped")
                };
                unreadable.push(InputError {
                    file: path,
                    line: None,
                    message,
                });
            }
        }
    }
    files.sort();
    (files, unreadable)
}

fn read_stdin(format: Option<Format>) -> Result<Source, InputError> {
    let mut buf = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut buf)
        .map_err(|e| InputError {
            file: "<stdin>".into(),
            line: None,
            message: e.to_string(),
        })?;
    let format = format.unwrap_or_else(|| detect_format(&buf));
    Ok(Source::bytes("<stdin>", buf, format))
}

/// The format of bytes without a name (standard input), from their start: JSON (`{` or `[`), a
/// feed, a web page, CSV (a first line of comma-separated names, one of them a text field's), or
/// else plain text.
fn detect_format(bytes: &[u8]) -> Format {
    // Judged on the start, decoded when a byte-order mark says how.
    let start = &bytes[..bytes.len().min(64 * 1024)];
    let decoded = match encoding_rs::Encoding::for_bom(start) {
        Some((encoding, _)) => encoding.decode_with_bom_removal(start).0,
        None => String::from_utf8_lossy(start),
    };
    let bytes = decoded.as_bytes();
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if feeds::looks_like_feed(bytes) {
        Format::Feed
    } else if matches!(first, Some(b'{' | b'[')) {
        Format::Jsonl
    } else if first == Some(b'<') && html::looks_like_html(bytes) {
        Format::Html
    } else if looks_like_csv_header(bytes) {
        Format::Csv
    } else {
        Format::Text
    }
}

/// Whether the first line is a CSV header: two or more comma-separated names, one of which is
/// a text field's (see [`fields::ALIASES`]).
fn looks_like_csv_header(bytes: &[u8]) -> bool {
    let end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len());
    let Ok(line) = std::str::from_utf8(&bytes[..end]) else {
        return false;
    };
    let names: Vec<&str> = line
        .trim_end()
        .split(',')
        .map(|n| n.trim().trim_matches('"'))
        .collect();
    let opts = ReadOptions::default();
    names.len() >= 2
        && names
            .iter()
            .all(|n| !n.is_empty() && n.len() <= 64 && !n.contains(' '))
        && names
            .iter()
            .any(|n| fields::field_of(n, &opts) == Some(fields::Field::Text))
}

/// What the chunked reader hands out: a JSONL line not parsed yet (see [`parse_line`]), or a
/// record of another format, or an error about the file.
pub enum Unit {
    Line(Line),
    Record(Record),
}

/// Reads one source in chunks of up to `chunk` units, in order: the chunked mode under every
/// command, so that the caller can parse a chunk's JSONL lines in parallel.
pub fn read_units(
    src: &Source,
    opts: &ReadOptions,
    chunk: usize,
    f: &mut dyn FnMut(Vec<Unit>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    // Every format's articles, refused when they have no word (JSONL lines are judged when
    // parsed, in `Fields::into_record`).
    let f = &mut |mut units: Vec<Unit>| {
        for unit in &mut units {
            if let Unit::Record(Record::Article(a, _)) = unit {
                if !samestory_engine::text::has_words(&a.text) {
                    let error = match &a.origin {
                        Some(at) => InputError::at(at, NO_WORDS),
                        None => InputError {
                            file: src.name.clone(),
                            line: None,
                            message: NO_WORDS.into(),
                        },
                    };
                    *unit = Unit::Record(Record::Error(error));
                }
            }
        }
        f(units)
    };
    let error = |line: Option<u64>, message: String| {
        vec![Unit::Record(Record::Error(InputError {
            file: src.name.clone(),
            line,
            message,
        }))]
    };
    if let (Format::Parquet, Some(path)) = (src.format, &src.path) {
        return parquet::read(&src.name, path, opts, &mut |records| {
            f(records.into_iter().map(Unit::Record).collect())
        });
    }
    let reader = match src.open() {
        Ok(r) => r,
        Err(e) => return f(error(None, format!("{e:#}"))),
    };
    let mut reader: BufReader<Box<dyn Read + Send>> = BufReader::with_capacity(1 << 20, reader);
    let head = match reader.fill_buf() {
        Ok(h) => h,
        Err(e) => return f(error(None, format!("cannot read: {e}"))),
    };
    if head.is_empty() {
        return f(error(None, "file is empty".into()));
    }
    if src.format == Format::Warc {
        return web_archive::read(
            &src.name,
            reader,
            opts.max_article_bytes,
            chunk,
            &mut |records| f(records.into_iter().map(Unit::Record).collect()),
        );
    }
    // A byte-order mark: UTF-8's is dropped, UTF-16's decoded into UTF-8 as the file is read.
    match encoding_rs::Encoding::for_bom(head) {
        Some((encoding, len)) if encoding == encoding_rs::UTF_8 => reader.consume(len),
        Some(_) => {
            let decoded = encoding_rs_io::DecodeReaderBytesBuilder::new()
                .bom_sniffing(true)
                .build(reader);
            reader = BufReader::with_capacity(1 << 20, Box::new(decoded));
        }
        None => {}
    }
    let head = match reader.fill_buf() {
        Ok(h) => h,
        Err(e) => return f(error(None, format!("cannot read: {e}"))),
    };
    // A JSON Feed under a `.json` name.
    let format = if src.format == Format::Jsonl && feeds::looks_like_feed(head) {
        Format::Feed
    } else {
        src.format
    };
    // A file that is one article is binary as a whole; JSONL and CSV are judged per record.
    if matches!(format, Format::Text | Format::Html | Format::Feed) && looks_binary(head) {
        return f(error(
            None,
            "binary file (NUL bytes), not text; skipped".into(),
        ));
    }
    match format {
        Format::Jsonl if document::is_document(head) => in_chunks(chunk, f, |sink| {
            document::read(&src.name, reader, opts, sink)
        }),
        Format::Jsonl => {
            let read = lines::for_each_chunk(reader, chunk, |lines| {
                f(lines.into_iter().map(Unit::Line).collect())
            })?;
            if let Err((line, e)) = read {
                f(error(Some(line), format!("cannot read: {e}")))?;
            }
            Ok(())
        }
        Format::Csv => in_chunks(chunk, f, |sink| read_csv(&src.name, reader, opts, sink)),
        Format::Text => f(vec![Unit::Record(read_text(src, reader, opts))]),
        Format::Html => f(vec![Unit::Record(read_page(src, reader, opts))]),
        Format::Feed => match read_whole(reader, html::MAX_PAGE_BYTES) {
            Ok(bytes) => f(feeds::read(&src.name, &bytes, opts.max_article_bytes)
                .into_iter()
                .map(Unit::Record)
                .collect()),
            Err(message) => f(error(None, message)),
        },
        Format::Warc => unreachable!("read above"),
        Format::Parquet => f(error(
            None,
            "a Parquet file cannot be read from standard input or gzipped".into(),
        )),
    }
}

/// Hands the records that `read` gives to `f` in chunks of up to `chunk`; after an error of
/// `f`, the rest are dropped and the error returned.
fn in_chunks(
    chunk: usize,
    f: &mut dyn FnMut(Vec<Unit>) -> anyhow::Result<()>,
    read: impl FnOnce(&mut dyn FnMut(Record)),
) -> anyhow::Result<()> {
    let mut units = Vec::with_capacity(chunk);
    let mut result = Ok(());
    read(&mut |r| {
        if result.is_err() {
            return;
        }
        units.push(Unit::Record(r));
        if units.len() == chunk {
            result = f(std::mem::take(&mut units));
        }
    });
    result?;
    if units.is_empty() {
        Ok(())
    } else {
        f(units)
    }
}

/// Reads every path (files, directories, `-`) and calls `sink` with each record, in order.
pub fn read_paths(
    paths: &[PathBuf],
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Record),
) -> anyhow::Result<()> {
    for src in sources(paths, opts) {
        match src {
            Ok(src) => read_source(&src, opts, sink)?,
            Err(e) => sink(Record::Error(e)),
        }
    }
    Ok(())
}

/// Reads one file; a file that cannot be read at all is one error.
pub fn read_file(path: &Path, opts: &ReadOptions, sink: &mut dyn FnMut(Record)) {
    read_source(&Source::file(path), opts, sink).expect("the sink does not fail");
}

/// Lines parsed together, in parallel: JSON parsing is a third of the reading cost.
const JSONL_CHUNK: usize = 1024;

pub fn read_source(
    src: &Source,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Record),
) -> anyhow::Result<()> {
    use rayon::prelude::*;
    read_units(src, opts, JSONL_CHUNK, &mut |units| {
        let parsed: Vec<Vec<Record>> = units
            .into_par_iter()
            .map(|unit| match unit {
                Unit::Line(line) => parse_line(&src.name, &line, opts, false)
                    .into_iter()
                    .map(|(r, _)| r)
                    .collect(),
                Unit::Record(r) => vec![r],
            })
            .collect();
        for record in parsed.into_iter().flatten() {
            sink(record);
        }
        Ok(())
    })
}

fn looks_binary(head: &[u8]) -> bool {
    head.iter().take(8192).any(|&b| b == 0)
}

/// All of a file, at most `limit` bytes (else an error saying so).
fn read_whole(reader: impl Read, limit: usize) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    reader
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() > limit {
        return Err(format!("file is over the limit of {limit} bytes; skipped"));
    }
    Ok(bytes)
}

/// A saved web page: one article ([`html`]), its id from its canonical url, else the file name.
fn read_page(src: &Source, reader: impl Read, opts: &ReadOptions) -> Record {
    let error = |message: String| {
        Record::Error(InputError {
            file: src.name.clone(),
            line: None,
            message,
        })
    };
    let bytes = match read_whole(reader, html::MAX_PAGE_BYTES) {
        Ok(b) => b,
        Err(message) => return error(message),
    };
    let page = match html::extract(&bytes, None) {
        Ok(p) => p,
        Err(e) => return error(format!("{e}; skipped")),
    };
    if page.text.len() > opts.max_article_bytes {
        return error(format!(
            "article text is {} bytes, over the limit of {} bytes (--max-article-bytes); skipped",
            page.text.len(),
            opts.max_article_bytes
        ));
    }
    let stem = src.path.as_deref().and_then(|p| p.file_name()).map(|s| {
        let s = s.to_string_lossy();
        let s = s.strip_suffix(".gz").unwrap_or(&s);
        s.rsplit_once('.').map_or(s, |(stem, _)| stem).to_owned()
    });
    let mut article = page.into_article(stem);
    article.origin = Some(Origin::File {
        name: src.name.clone(),
        line: None,
    });
    Record::Article(Box::new(article), Vec::new())
}

/// A `.txt` file (or standard input that is not JSONL): one article.
fn read_text(src: &Source, reader: impl Read, opts: &ReadOptions) -> Record {
    let error = |message: String| {
        Record::Error(InputError {
            file: src.name.clone(),
            line: None,
            message,
        })
    };
    let mut bytes = Vec::new();
    if let Err(e) = reader
        .take(opts.max_article_bytes as u64 + 1)
        .read_to_end(&mut bytes)
    {
        return error(format!("cannot read: {e}"));
    }
    if bytes.len() > opts.max_article_bytes {
        return error(format!(
            "article is over the limit of {} bytes; skipped",
            opts.max_article_bytes
        ));
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            return error(format!("invalid UTF-8 at byte {at}; skipped"));
        }
    };
    if text.trim().is_empty() {
        return error("file holds no text".into());
    }
    let id = src
        .path
        .as_deref()
        .and_then(|p| p.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| Article::derive_id(None, None, &text));
    let article = Article {
        id,
        text,
        origin: Some(Origin::File {
            name: src.name.clone(),
            line: None,
        }),
        ..Article::default()
    };
    Record::Article(Box::new(article), Vec::new())
}

/// The records of one JSONL line (an object is one article, an array several), each with its id
/// as written (`None` for an error or a record without one). With `fast`, an object's fields
/// other than the ones samestory reads are skipped, not kept as metadata.
pub fn parse_line(
    name: &str,
    line: &Line,
    opts: &ReadOptions,
    fast: bool,
) -> Vec<(Record, Option<Value>)> {
    let line_no = line.no;
    let buf = &line.bytes;
    let error = |message: String| {
        (
            Record::Error(InputError {
                file: name.into(),
                line: Some(line_no),
                message,
            }),
            None,
        )
    };
    // Judge size before parsing: a 50 MB line should not be parsed to be refused.
    if buf.len() > opts.max_article_bytes + 64 * 1024 {
        return vec![error(format!(
            "record is {} bytes, over the limit of {} bytes; skipped",
            buf.len(),
            opts.max_article_bytes
        ))];
    }
    if let Some(at) = buf.iter().position(|&b| b == 0) {
        return vec![error(format!(
            "binary data (a NUL byte at byte {at} of the line), not text; skipped"
        ))];
    }
    let text = match std::str::from_utf8(buf) {
        Ok(l) => l,
        Err(e) => {
            return vec![error(format!(
                "invalid UTF-8 at byte {} of the line; skipped",
                e.valid_up_to()
            ))]
        }
    };
    let record = |fields: Fields| {
        let id = fields.raw_id().cloned();
        (fields.into_record(opts, name, Some(line_no)), id)
    };
    if fast && text.trim_start().starts_with('{') {
        if let Ok(fields) = Fields::from_json_object(text, opts) {
            return vec![record(fields)];
        }
        // Malformed: the full parse below gives the error message.
    }
    // A run of array items that are not objects is one error: `[1,1,…]` with millions of items
    // costs one message, not one each (see `items`).
    match items::parse(text, usize::MAX) {
        Ok(parsed) => parsed
            .pieces
            .into_iter()
            .map(|piece| match piece {
                Piece::Object(map) => record(Fields::from_map(map, opts)),
                Piece::NotObjects { kind, .. } if !parsed.array => {
                    error(format!("not a JSON object: {kind}"))
                }
                Piece::NotObjects {
                    first,
                    count: 1,
                    kind,
                } => error(format!(
                    "array item {} is not a JSON object but {kind}",
                    first + 1
                )),
                Piece::NotObjects { first, count, kind } => error(format!(
                    "array items {} to {} ({count} items) are not JSON objects (the first is {kind})",
                    first + 1,
                    first + count
                )),
            })
            .collect(),
        Err(ItemsError::Malformed(e)) => vec![error(format!("malformed JSON: {e}"))],
        Err(ItemsError::TooMany(n)) => vec![error(format!("more than {n} items in one line"))],
        Err(ItemsError::TooManyValues(n)) => vec![error(format!(
            "more than {n} JSON values in one line (at most one per {} bytes, so that memory follows the input's size)",
            items::BYTES_A_VALUE
        ))],
    }
}

fn read_csv(name: &str, reader: impl Read, opts: &ReadOptions, sink: &mut dyn FnMut(Record)) {
    let newlines = NewlineCounter::default();
    let lines = newlines.clone();
    let counting = CountingReader {
        inner: reader,
        offset: 0,
        newlines,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(counting);
    let headers = match rdr.byte_headers() {
        Ok(h) => h
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_owned())
            .collect::<Vec<_>>(),
        Err(e) => {
            sink(Record::Error(InputError {
                file: name.into(),
                line: Some(1),
                message: format!("bad CSV header: {e}"),
            }));
            return;
        }
    };
    let error = |line, message| {
        Record::Error(InputError {
            file: name.into(),
            line,
            message,
        })
    };
    for result in rdr.byte_records() {
        let (line, record) = match result {
            Ok(r) => (r.position().map(|p| lines.line_at(p.byte())), r),
            Err(e) => {
                let line = e.position().map(|p| lines.line_at(p.byte()));
                sink(error(line, format!("bad CSV row: {e}")));
                continue;
            }
        };
        // A comma in an unquoted text makes more fields than the header names: the text would
        // lose its tail in silence.
        if record.len() > headers.len() {
            sink(error(
                line,
                format!(
                    "the row has {} fields but the header names {}: a comma in an unquoted field? row skipped",
                    record.len(),
                    headers.len()
                ),
            ));
            continue;
        }
        let mut map = Map::new();
        let mut bad = None;
        for (h, v) in headers.iter().zip(record.iter()) {
            match std::str::from_utf8(v) {
                Ok(s) if s.contains('\0') => bad = Some((h.clone(), "binary data (NUL bytes)")),
                Ok(s) => {
                    map.insert(h.clone(), Value::String(s.to_owned()));
                }
                Err(_) => bad = Some((h.clone(), "invalid UTF-8")),
            }
        }
        if let Some((field, why)) = bad {
            sink(error(line, format!("field `{field}`: {why}; row skipped")));
            continue;
        }
        sink(article_from_fields(map, opts, name, line));
    }
}

/// The byte offsets of the newlines read so far, for CSV line numbers: the `csv` crate counts a
/// line when it consumes a `\n`, and it leaves a CRLF's `\n` to the next record, so its line
/// numbers are one too low in CRLF files (rust-csv issue 395). A record's line is found from its
/// byte offset instead.
#[derive(Clone, Default)]
struct NewlineCounter(std::rc::Rc<std::cell::RefCell<NewlinesSeen>>);

#[derive(Default)]
struct NewlinesSeen {
    /// Offsets of the newlines not yet passed by a record.
    ahead: std::collections::VecDeque<u64>,
    /// Newlines before the first of `ahead`.
    passed: u64,
}

impl NewlineCounter {
    /// The line (from 1) of the record that starts at `byte`: a record that starts on the `\n`
    /// of a CRLF starts after it.
    fn line_at(&self, byte: u64) -> u64 {
        let mut seen = self.0.borrow_mut();
        while seen.ahead.front().is_some_and(|&nl| nl < byte) {
            seen.ahead.pop_front();
            seen.passed += 1;
        }
        let on_newline = seen.ahead.front() == Some(&byte);
        1 + seen.passed + u64::from(on_newline)
    }
}

struct CountingReader<R> {
    inner: R,
    offset: u64,
    newlines: NewlineCounter,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut seen = self.newlines.0.borrow_mut();
        for (i, _) in buf[..n].iter().enumerate().filter(|(_, &b)| b == b'\n') {
            seen.ahead.push_back(self.offset + i as u64);
        }
        self.offset += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn one(v: Value) -> Record {
        let Value::Object(m) = v else { panic!() };
        article_from_fields(m, &ReadOptions::default(), "f.jsonl", Some(3))
    }

    #[test]
    fn aliases_map_to_fields_and_rest_is_meta() {
        let Record::Article(a, w) =
            one(json!({"body": "Hello", "headline": "H", "publisher": "AP",
            "publishedAt": 1_644_710_400_000_i64, "link": "http://x", "lang": "en"}))
        else {
            panic!("not an article")
        };
        assert!(w.is_empty());
        assert_eq!(a.text, "Hello");
        assert_eq!(a.title.as_deref(), Some("H"));
        assert_eq!(a.source.as_deref(), Some("AP"));
        assert_eq!(a.published, Some(1_644_710_400));
        assert_eq!(a.meta.get("lang"), Some(&json!("en")));
        assert!(a.id.starts_with('u'));
    }

    #[test]
    fn missing_text_names_file_line_and_field() {
        let Record::Error(e) = one(json!({"title": "no body"})) else {
            panic!()
        };
        assert_eq!(
            e.to_string(),
            "f.jsonl:3: missing field `text` (also looked for body, content)"
        );
    }

    #[test]
    fn dates_in_many_forms() {
        for (v, t) in [
            (json!("2022-02-13"), 1_644_710_400),
            (json!("2022-02-13T00:00:00Z"), 1_644_710_400),
            (json!("Sun, 13 Feb 2022 00:00:00 +0000"), 1_644_710_400),
            (json!(1_644_710_400), 1_644_710_400),
            (json!("1644710400000"), 1_644_710_400),
        ] {
            assert_eq!(parse_time(&v), Some(t), "{v}");
        }
        assert_eq!(parse_time(&json!("yesterday")), None);
    }

    /// Issue 20, item 14: each of these was stored as midnight or as a date without a word.
    #[test]
    fn times_are_kept_and_impossible_dates_refused() {
        let read = |v: Value| read_time(&v, None);
        assert_eq!(
            read(json!("2022-02-13 10:00:00.123456")),
            Ok((1_644_746_400, None))
        );
        assert_eq!(
            read(json!("2022-02-13T10:00:00.5+0100")),
            Ok((1_644_742_800, None))
        );
        assert_eq!(read(json!("2022-02-13T10:00")), Ok((1_644_746_400, None)));
        for bad in [
            json!("2022-02-13T10:00:00+25:00"),
            json!("2022-02-13 10:61"),
            json!(1e300),
            json!(-1e300),
            json!(i64::MAX),
            json!(i64::MIN),
            json!("99999999999999999999"),
            json!("1200-01-01"),
            json!(true),
        ] {
            assert!(read(bad.clone()).is_err(), "{bad}");
        }
        let (day, note) = read(json!("2022-02-13 (Sunday)")).unwrap();
        assert_eq!(day, 1_644_710_400);
        assert!(note.unwrap().contains("not understood"));
        let reuters = json!("26-FEB-1987 15:01:01.79");
        assert!(read(reuters.clone()).is_err());
        assert_eq!(
            read_time(&reuters, Some("%d-%b-%Y %H:%M:%S%.f")),
            Ok((541_350_061, None))
        );
    }
}
