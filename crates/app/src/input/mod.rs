//! Reading articles: JSONL (also gzipped), CSV with a header row, plain text files, directories of
//! them, and standard input. Every bad record becomes an [`InputError`] that names the file and line
//! (and field), and reading goes on with the next record.

use anyhow::Context;
use flate2::read::MultiGzDecoder;
use samestory_engine::{Article, Timestamp};
use serde_json::{Map, Value};
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Articles larger than this are refused: no news article is, and one would stall a batch.
pub const DEFAULT_MAX_ARTICLE_BYTES: usize = 5 * 1024 * 1024;

/// One bad record or file.
#[derive(Debug, Clone)]
pub struct InputError {
    pub file: String,
    pub line: Option<u64>,
    pub message: String,
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
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            text_field: None,
            max_article_bytes: DEFAULT_MAX_ARTICLE_BYTES,
        }
    }
}

const TEXT: &[&str] = &["text", "body", "content", "article", "maintext"];
const ID: &[&str] = &["id", "doc_id", "article_id", "guid"];
const URL: &[&str] = &["url", "link"];
const TITLE: &[&str] = &["title", "headline"];
const SOURCE: &[&str] = &["source", "outlet", "publisher", "source_name"];
const PUBLISHED: &[&str] = &[
    "published",
    "date",
    "published_at",
    "publishedat",
    "pubdate",
    "timestamp",
    "datetime",
];

/// Parses a date: epoch seconds or milliseconds (number or digits), RFC 3339, RFC 2822,
/// `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]`.
pub fn parse_time(v: &Value) -> Option<Timestamp> {
    let epoch = |n: i64| {
        if n.abs() >= 100_000_000_000 {
            n / 1000
        } else {
            n
        }
    };
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .map(epoch),
        Value::String(s) => {
            let s = s.trim();
            if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && s.len() >= 9 {
                return s.parse().ok().map(epoch);
            }
            if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
                return Some(t.timestamp());
            }
            if let Ok(t) = chrono::DateTime::parse_from_rfc2822(s) {
                return Some(t.timestamp());
            }
            for fmt in [
                "%Y-%m-%d %H:%M:%S",
                "%Y-%m-%dT%H:%M:%S",
                "%Y-%m-%d %H:%M",
                "%Y-%m-%dT%H:%M:%S%.f",
            ] {
                if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, fmt) {
                    return Some(t.and_utc().timestamp());
                }
            }
            let day = s.get(..10).unwrap_or(s);
            chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc().timestamp())
        }
        _ => None,
    }
}

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        // {"id": .., "name": ".."} as in NewsAPI's `source`.
        Value::Object(o) => o.get("name").and_then(as_text),
        _ => None,
    }
    .filter(|s| !s.trim().is_empty())
}

/// Builds an article from a JSON object or CSV row, mapping field aliases.
pub fn article_from_fields(
    fields: Map<String, Value>,
    opts: &ReadOptions,
    file: &str,
    line: Option<u64>,
) -> Record {
    let err = |message: String| {
        Record::Error(InputError {
            file: file.to_owned(),
            line,
            message,
        })
    };
    let mut text = None;
    let (mut id, mut url, mut title, mut source, mut published) = (None, None, None, None, None);
    let mut meta = Map::new();
    let mut warnings = Vec::new();
    for (key, value) in fields {
        let k = key.to_ascii_lowercase();
        let is = |list: &[&str]| list.contains(&k.as_str());
        let slot = match &opts.text_field {
            Some(f) if f.eq_ignore_ascii_case(&key) => &mut text,
            None if is(TEXT) => &mut text,
            _ if is(ID) => &mut id,
            _ if is(URL) => &mut url,
            _ if is(TITLE) => &mut title,
            _ if is(SOURCE) => &mut source,
            _ if is(PUBLISHED) => &mut published,
            _ => {
                meta.insert(key, value);
                continue;
            }
        };
        if slot.is_none() {
            *slot = Some((key, value));
        } else {
            meta.insert(key, value);
        }
    }
    let field_name = opts.text_field.as_deref().unwrap_or("text");
    let Some((_, text_value)) = text else {
        return err(format!(
            "missing field `{field_name}` (also looked for body, content)"
        ));
    };
    let Some(text) = as_text(&text_value) else {
        return err(format!("field `{field_name}` is empty or not a string"));
    };
    if text.len() > opts.max_article_bytes {
        return err(format!(
            "article text is {} bytes, over the limit of {} bytes (--max-article-bytes); skipped",
            text.len(),
            opts.max_article_bytes
        ));
    }
    let take = |f: Option<(String, Value)>| f.and_then(|(_, v)| as_text(&v));
    let published_ts = match published {
        Some((key, v)) if !v.is_null() => match parse_time(&v) {
            Some(t) => Some(t),
            None => {
                warnings.push(InputError {
                    file: file.to_owned(),
                    line,
                    message: format!(
                        "field `{key}`: cannot read {v} as a date; stored without one"
                    ),
                });
                meta.insert(key, v);
                None
            }
        },
        _ => None,
    };
    let (url, title) = (take(url), take(title));
    let id =
        take(id).unwrap_or_else(|| Article::derive_id(url.as_deref(), title.as_deref(), &text));
    let article = Article {
        id,
        url,
        title,
        source: take(source),
        published: published_ts,
        text,
        meta,
    };
    Record::Article(Box::new(article), warnings)
}

fn open_maybe_gz(path: &Path) -> anyhow::Result<Box<dyn Read + Send>> {
    let file = File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    if path.extension().is_some_and(|e| e == "gz") {
        Ok(Box::new(MultiGzDecoder::new(file)))
    } else {
        Ok(Box::new(file))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Jsonl,
    Csv,
    Text,
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
    } else {
        None
    }
}

/// Reads every path (files, directories, `-`) and calls `sink` with each record, in order.
pub fn read_paths(
    paths: &[PathBuf],
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Record),
) -> anyhow::Result<()> {
    for path in paths {
        if path.as_os_str() == "-" {
            read_stdin(opts, sink);
            continue;
        }
        if path.is_dir() {
            let mut files: Vec<PathBuf> = walkdir::WalkDir::new(path)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file() && format_of(e.path()).is_some())
                .map(|e| e.into_path())
                .collect();
            files.sort();
            if files.is_empty() {
                sink(Record::Error(InputError {
                    file: path.display().to_string(),
                    line: None,
                    message: "directory holds no .jsonl, .csv or .txt files".into(),
                }));
            }
            for f in files {
                read_file(&f, opts, sink);
            }
        } else if !path.exists() {
            sink(Record::Error(InputError {
                file: path.display().to_string(),
                line: None,
                message: "no such file".into(),
            }));
        } else {
            read_file(path, opts, sink);
        }
    }
    Ok(())
}

fn read_stdin(opts: &ReadOptions, sink: &mut dyn FnMut(Record)) {
    let mut buf = Vec::new();
    if let Err(e) = std::io::stdin().lock().read_to_end(&mut buf) {
        sink(Record::Error(InputError {
            file: "<stdin>".into(),
            line: None,
            message: e.to_string(),
        }));
        return;
    }
    let first = buf.iter().find(|b| !b.is_ascii_whitespace()).copied();
    let format = if first == Some(b'{') {
        Format::Jsonl
    } else {
        Format::Text
    };
    read_bytes(
        "<stdin>",
        None,
        format,
        Box::new(std::io::Cursor::new(buf)),
        opts,
        sink,
    );
}

/// Reads one file; a file that cannot be read at all is one error.
pub fn read_file(path: &Path, opts: &ReadOptions, sink: &mut dyn FnMut(Record)) {
    let name = path.display().to_string();
    let format = format_of(path).unwrap_or(Format::Text);
    match open_maybe_gz(path) {
        Ok(reader) => read_bytes(&name, Some(path), format, reader, opts, sink),
        Err(e) => sink(Record::Error(InputError {
            file: name,
            line: None,
            message: format!("{e:#}"),
        })),
    }
}

fn looks_binary(head: &[u8]) -> bool {
    head.iter().take(8192).any(|&b| b == 0)
}

fn read_bytes(
    name: &str,
    path: Option<&Path>,
    format: Format,
    reader: Box<dyn Read + Send>,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Record),
) {
    let error = |line: Option<u64>, message: String| {
        Record::Error(InputError {
            file: name.to_owned(),
            line,
            message,
        })
    };
    let mut reader = BufReader::with_capacity(1 << 20, reader);
    let head = match reader.fill_buf() {
        Ok(h) => h,
        Err(e) => return sink(error(None, format!("cannot read: {e}"))),
    };
    if head.is_empty() {
        return sink(error(None, "file is empty".into()));
    }
    if looks_binary(head) {
        return sink(error(
            None,
            "binary file (NUL bytes), not text; skipped".into(),
        ));
    }
    match format {
        Format::Jsonl => read_jsonl(name, reader, opts, sink),
        Format::Csv => read_csv(name, reader, opts, sink),
        Format::Text => {
            let mut bytes = Vec::new();
            if let Err(e) = reader
                .take(opts.max_article_bytes as u64 + 1)
                .read_to_end(&mut bytes)
            {
                return sink(error(None, format!("cannot read: {e}")));
            }
            if bytes.len() > opts.max_article_bytes {
                return sink(error(
                    None,
                    format!(
                        "article is over the limit of {} bytes; skipped",
                        opts.max_article_bytes
                    ),
                ));
            }
            let text = match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => {
                    let at = e.utf8_error().valid_up_to();
                    return sink(error(None, format!("invalid UTF-8 at byte {at}; skipped")));
                }
            };
            if text.trim().is_empty() {
                return sink(error(None, "file holds no text".into()));
            }
            let id = path
                .and_then(|p| p.file_stem())
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| Article::derive_id(None, None, &text));
            let article = Article {
                id,
                text,
                ..Article::default()
            };
            sink(Record::Article(Box::new(article), Vec::new()));
        }
    }
}

/// Lines parsed together, in parallel: JSON parsing is a third of the reading cost.
const JSONL_CHUNK: usize = 1024;

fn read_jsonl(
    name: &str,
    mut reader: impl BufRead,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Record),
) {
    use rayon::prelude::*;
    let mut line_no = 0u64;
    let mut chunk: Vec<(u64, Vec<u8>)> = Vec::with_capacity(JSONL_CHUNK);
    let flush = |chunk: &mut Vec<(u64, Vec<u8>)>, sink: &mut dyn FnMut(Record)| {
        let parsed: Vec<Vec<Record>> = chunk
            .par_iter()
            .map(|(line, bytes)| parse_json_line(name, *line, bytes, opts))
            .collect();
        chunk.clear();
        for record in parsed.into_iter().flatten() {
            sink(record);
        }
    };
    loop {
        let mut buf = Vec::new();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                flush(&mut chunk, sink);
                sink(Record::Error(InputError {
                    file: name.into(),
                    line: Some(line_no + 1),
                    message: format!("cannot read: {e}"),
                }));
                return;
            }
        }
        line_no += 1;
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        chunk.push((line_no, buf));
        if chunk.len() == JSONL_CHUNK {
            flush(&mut chunk, sink);
        }
    }
    flush(&mut chunk, sink);
}

/// The records of one JSONL line: an object is one article, an array several.
fn parse_json_line(name: &str, line_no: u64, buf: &[u8], opts: &ReadOptions) -> Vec<Record> {
    let error = |message: String| {
        Record::Error(InputError {
            file: name.into(),
            line: Some(line_no),
            message,
        })
    };
    // Judge size before parsing: a 50 MB line should not be parsed to be refused.
    if buf.len() > opts.max_article_bytes + 64 * 1024 {
        return vec![error(format!(
            "record is {} bytes, over the limit of {} bytes; skipped",
            buf.len(),
            opts.max_article_bytes
        ))];
    }
    let line = match std::str::from_utf8(buf) {
        Ok(l) => l,
        Err(e) => {
            return vec![error(format!(
                "invalid UTF-8 at byte {} of the line; skipped",
                e.valid_up_to()
            ))]
        }
    };
    match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(map)) => vec![article_from_fields(map, opts, name, Some(line_no))],
        Ok(Value::Array(items)) => items
            .into_iter()
            .map(|item| match item {
                Value::Object(map) => article_from_fields(map, opts, name, Some(line_no)),
                _ => error("array item is not a JSON object".into()),
            })
            .collect(),
        Ok(_) => vec![error("not a JSON object".into())],
        Err(e) => vec![error(format!("malformed JSON: {e}"))],
    }
}

fn read_csv(name: &str, reader: impl Read, opts: &ReadOptions, sink: &mut dyn FnMut(Record)) {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
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
    for result in rdr.byte_records() {
        let (line, record) = match result {
            Ok(r) => (r.position().map(|p| p.line()), r),
            Err(e) => {
                let line = e.position().map(|p| p.line());
                sink(Record::Error(InputError {
                    file: name.into(),
                    line,
                    message: format!("bad CSV row: {e}"),
                }));
                continue;
            }
        };
        let mut map = Map::new();
        let mut bad = None;
        for (h, v) in headers.iter().zip(record.iter()) {
            match std::str::from_utf8(v) {
                Ok(s) => {
                    map.insert(h.clone(), Value::String(s.to_owned()));
                }
                Err(_) => bad = Some(h.clone()),
            }
        }
        if let Some(field) = bad {
            sink(Record::Error(InputError {
                file: name.into(),
                line,
                message: format!("field `{field}`: invalid UTF-8; row skipped"),
            }));
            continue;
        }
        sink(article_from_fields(map, opts, name, line));
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
}
