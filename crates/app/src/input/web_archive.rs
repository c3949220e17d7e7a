//! WARC files (`.warc`, `.warc.gz`, read with the `warc` crate): every `response` record whose
//! HTTP body is HTML becomes an article through [`super::html`], its `WARC-Target-URI` as the url
//! (a canonical link in the page wins) and its `WARC-Date` as the date when the page gives none.
//! Requests, metadata and other records are read past; a response that is not HTML, or whose page
//! gives no article, is an error naming the record. A truncated or malformed record ends the file
//! with an error naming it (what follows cannot be found again).
//!
//! Records are extracted a chunk at a time in parallel (extraction is the cost).

use super::html;
use super::{InputError, Record};
use rayon::prelude::*;
use samestory_engine::Origin;
use std::io::BufRead;
use warc::{RecordType, WarcHeader, WarcReader};

/// A response record waiting for extraction: its number (from 1), url, date, HTTP payload.
struct Response {
    no: u64,
    url: Option<String>,
    date: i64,
    payload: Vec<u8>,
}

/// Reads the records of `reader`, calling `sink` with the records of up to `chunk` responses.
pub fn read(
    name: &str,
    reader: impl BufRead,
    max_article_bytes: usize,
    chunk: usize,
    sink: &mut dyn FnMut(Vec<Record>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let error = |no: Option<u64>, message: String| {
        Record::Error(InputError {
            file: name.to_owned(),
            line: None,
            message: match no {
                Some(n) => format!("record {n}: {message}"),
                None => message,
            },
        })
    };
    let mut pending: Vec<Response> = Vec::new();
    let mut early: Vec<Record> = Vec::new();
    let flush = |pending: &mut Vec<Response>,
                 early: &mut Vec<Record>,
                 sink: &mut dyn FnMut(Vec<Record>) -> anyhow::Result<()>| {
        let mut records = std::mem::take(early);
        records.extend(
            std::mem::take(pending)
                .into_par_iter()
                .map(|r| article(name, r, max_article_bytes))
                .collect::<Vec<_>>(),
        );
        if records.is_empty() {
            Ok(())
        } else {
            sink(records)
        }
    };
    let mut no = 0u64;
    for record in WarcReader::new(reader).iter_records() {
        no += 1;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                early.push(error(
                    Some(no),
                    format!(
                        "truncated or malformed record ({e}); the rest of the file is not read"
                    ),
                ));
                break;
            }
        };
        if *record.warc_type() != RecordType::Response {
            continue;
        }
        let url = record
            .header(WarcHeader::TargetURI)
            .map(|u| u.trim().to_owned());
        let date = record.date().timestamp();
        pending.push(Response {
            no,
            url,
            date,
            payload: record.body().to_vec(),
        });
        if pending.len() == chunk {
            flush(&mut pending, &mut early, sink)?;
        }
    }
    if no == 0 {
        early.push(error(None, "no WARC record in the file".into()));
    }
    flush(&mut pending, &mut early, sink)
}

/// The article of one response, or the error saying why there is none.
fn article(name: &str, r: Response, max_article_bytes: usize) -> Record {
    let error = |message: String| {
        Record::Error(InputError {
            file: name.to_owned(),
            line: None,
            message: format!(
                "record {} ({}): {message}",
                r.no,
                r.url.as_deref().unwrap_or("no target URI")
            ),
        })
    };
    let (content_type, body) = match http_body(&r.payload) {
        Some(parts) => parts,
        None => return error("not an HTTP response; skipped".into()),
    };
    let html_type = content_type.as_deref().is_none_or(|t| {
        let t = t.to_ascii_lowercase();
        t.contains("html")
    });
    if !html_type {
        return error(format!(
            "response is {}, not HTML; skipped",
            content_type.as_deref().unwrap_or("")
        ));
    }
    let page = match html::extract(body, r.url.as_deref()) {
        Ok(p) => p,
        Err(e) => return error(format!("{e}; skipped")),
    };
    if page.text.len() > max_article_bytes {
        return error(format!(
            "article text is {} bytes, over the limit of {max_article_bytes} bytes; skipped",
            page.text.len()
        ));
    }
    let mut article = page.into_article(None);
    article.origin = Some(Origin::Item {
        of: name.to_owned(),
        item: r.no,
    });
    if article.published.is_none() {
        article.published = Some(r.date);
        article
            .meta
            .insert("published_from".into(), "WARC-Date".into());
    }
    Record::Article(Box::new(article), Vec::new())
}

/// An HTTP response's `Content-Type` and body (after the blank line).
fn http_body(payload: &[u8]) -> Option<(Option<String>, &[u8])> {
    if !payload.starts_with(b"HTTP/") {
        return None;
    }
    let end = payload
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| p + 4)
        .or_else(|| payload.windows(2).position(|w| w == b"\n\n").map(|p| p + 2))?;
    let head = String::from_utf8_lossy(&payload[..end]);
    let content_type = head.lines().skip(1).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case("content-type")
            .then(|| v.trim().to_owned())
    });
    Some((content_type, &payload[end..]))
}
