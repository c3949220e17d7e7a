//! The JSON routes. Each handler parses its input, runs a read on a pooled connection (or sends
//! articles to the writer) and answers; errors are [`ApiError`]s, mapped to statuses in one place.

use super::error::{ApiError, ErrorKind};
use super::state::AppState;
use super::stories::{self, StoryFilter};
use crate::ingest::Outcome;
use crate::input::items::{self, ItemsError, Piece};
use crate::input::{article_from_fields, ReadOptions, Record};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use samestory_engine::{Article, Origin};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::sync::atomic::Ordering;

type ApiResult = Result<Response, ApiError>;

fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(t)| t)
        .map_err(|e| ApiError::new(ErrorKind::InvalidQuery, e.body_text()))
}

pub async fn health(State(state): State<AppState>) -> ApiResult {
    let (articles, stories) = state
        .read_unqueued(|s, _| Ok((s.article_count()?, s.story_count()?)))
        .await?;
    Ok(Json(json!({"status": "ok", "articles": articles, "stories": stories})).into_response())
}

pub async fn metrics(State(state): State<AppState>) -> ApiResult {
    let (articles, stories, feeds) = state
        .read(|s, _| Ok((s.article_count()?, s.story_count()?, s.feeds()?)))
        .await?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics().render(articles, stories, &feeds),
    )
        .into_response())
}

pub async fn openapi() -> Response {
    Json(super::openapi::document()).into_response()
}

pub async fn list_stories(
    State(state): State<AppState>,
    q: Result<Query<StoryFilter>, QueryRejection>,
) -> ApiResult {
    let filter = query(q)?;
    let format = filter.format;
    let page = state.read(move |s, _| stories::list(s, &filter)).await?;
    let (content_type, body) = match format {
        stories::ListFormat::Json => return Ok(Json(page).into_response()),
        stories::ListFormat::Csv => ("text/csv; charset=utf-8", stories_csv(&page.stories)?),
        stories::ListFormat::Jsonl => {
            let mut body = Vec::new();
            for s in &page.stories {
                serde_json::to_writer(&mut body, s).map_err(internal)?;
                body.push(b'\n');
            }
            ("application/x-ndjson", body)
        }
    };
    let mut response = ([(header::CONTENT_TYPE, content_type)], body).into_response();
    if let Some(c) = page
        .next_cursor
        .and_then(|c| HeaderValue::from_str(&c).ok())
    {
        response.headers_mut().insert("x-next-cursor", c);
    }
    Ok(response)
}

/// A story list as CSV, a header row first (the columns of `samestory export stories`).
fn stories_csv(list: &[samestory_store::StorySummary]) -> Result<Vec<u8>, ApiError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(crate::format::STORY_COLUMNS)
        .map_err(internal)?;
    for s in list {
        let row = crate::format::story_row(s);
        w.write_record(row.iter().map(|v| v.as_deref().unwrap_or("")))
            .map_err(internal)?;
    }
    w.into_inner().map_err(internal)
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorKind::Internal, e.to_string())
}

#[derive(Deserialize, Default)]
pub struct StorylinesQuery {
    pub limit: Option<usize>,
}

/// `GET /api/storylines`.
pub async fn storylines(
    State(state): State<AppState>,
    q: Result<Query<StorylinesQuery>, QueryRejection>,
) -> ApiResult {
    let limit = query(q)?.limit.unwrap_or(50).clamp(1, stories::MAX_LIMIT);
    let lines = state.read(move |s, _| Ok(s.storylines(limit)?)).await?;
    Ok(Json(json!({ "storylines": lines })).into_response())
}

/// `GET /api/storylines/{id}`.
pub async fn storyline(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let (line, stories) = state.read(move |s, _| Ok(s.storyline(&id)?)).await?;
    Ok(Json(json!({ "storyline": line, "stories": stories })).into_response())
}

#[derive(Deserialize, Default)]
pub struct CopiesQuery {
    pub limit: Option<usize>,
    pub page: Option<usize>,
}

/// `GET /api/copies`: copy families, the most copied first, a page at a time.
pub async fn copies(
    State(state): State<AppState>,
    q: Result<Query<CopiesQuery>, QueryRejection>,
) -> ApiResult {
    let q = query(q)?;
    let limit = q
        .limit
        .unwrap_or(super::syndication::FAMILIES_PER_PAGE)
        .clamp(1, stories::MAX_LIMIT);
    let page = q.page.unwrap_or(1).clamp(1, MAX_PAGE);
    let (total, families) = state
        .read(move |s, _| {
            use samestory_store::FamilyFilter;
            Ok((
                s.copy_family_count(FamilyFilter::All)?,
                s.copy_families(FamilyFilter::All, (page - 1) * limit, limit)?,
            ))
        })
        .await?;
    Ok(Json(json!({ "total": total, "page": page, "families": families })).into_response())
}

/// The highest page number `/api/copies` and `/api/outlets` take (past the last page a page is
/// empty).
pub const MAX_PAGE: usize = 1_000_000;

/// `GET /api/outlets`: every outlet's figures, the most articles first, a page at a time.
pub async fn outlets(
    State(state): State<AppState>,
    q: Result<Query<CopiesQuery>, QueryRejection>,
) -> ApiResult {
    let q = query(q)?;
    let limit = q.limit.unwrap_or(50).clamp(1, stories::MAX_LIMIT);
    let page = q.page.unwrap_or(1).clamp(1, MAX_PAGE);
    let outlets = state
        .read(move |s, _| Ok(s.outlets((page - 1) * limit, limit)?))
        .await?;
    Ok(Json(json!({ "page": page, "outlets": outlets })).into_response())
}

#[derive(Deserialize, Default)]
pub struct OutletQuery {
    pub limit: Option<usize>,
}

/// `GET /api/outlets/{name}`: an outlet's figures, who copies it and whom it copies.
pub async fn outlet(
    State(state): State<AppState>,
    Path(name): Path<String>,
    q: Result<Query<OutletQuery>, QueryRejection>,
) -> ApiResult {
    let limit = query(q)?.limit.unwrap_or(20).clamp(1, stories::MAX_LIMIT);
    let (outlet, copied_by, copies_from) = state
        .read(move |s, _| {
            Ok((
                s.outlet(&name)?,
                s.copies_between(&name, true, limit)?,
                s.copies_between(&name, false, limit)?,
            ))
        })
        .await?;
    Ok(
        Json(json!({ "outlet": outlet, "copied_by": copied_by, "copies_from": copies_from }))
            .into_response(),
    )
}

/// One copy in `GET /api/stories/{id}`.
#[derive(Serialize)]
struct CopyOut<'a> {
    id: &'a str,
    original: &'a str,
    jaccard: Option<f32>,
    exact: bool,
}

pub async fn story(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult {
    // Written straight to bytes (no `Value` tree), with the analysis's JSON made once per analysis.
    let body = state
        .read(move |s, st| {
            let (summary, articles, analysis) = stories::load_story_rows(s, st.analyses(), &id)?;
            let also = s.also_reported_in(&summary.id)?;
            let copies: Vec<CopyOut<'_>> = articles
                .iter()
                .filter_map(|a| {
                    a.copy_of.as_deref().map(|o| CopyOut {
                        id: &a.id,
                        original: o,
                        jaccard: a.copy_jaccard,
                        exact: a.copy_exact,
                    })
                })
                .collect();
            let mut out = Vec::with_capacity(analysis.json.len() + articles.len() * 400 + 1024);
            let ser = "story serializes";
            out.extend_from_slice(b"{\"story\":");
            serde_json::to_writer(&mut out, &summary).expect(ser);
            out.extend_from_slice(b",\"articles\":");
            serde_json::to_writer(&mut out, &articles).expect(ser);
            out.extend_from_slice(b",\"copies\":");
            serde_json::to_writer(&mut out, &copies).expect(ser);
            out.extend_from_slice(b",\"also_reported_in\":");
            serde_json::to_writer(&mut out, &also).expect(ser);
            out.extend_from_slice(b",\"analysis\":");
            out.extend_from_slice(analysis.json.as_bytes());
            out.push(b'}');
            Ok(out)
        })
        .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

pub async fn article(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let a = state.read(move |s, _| Ok(s.article(&id)?)).await?;
    Ok(Json(a).into_response())
}

#[derive(Deserialize)]
pub struct CompareQuery {
    pub a: String,
    pub b: String,
}

/// Two stored articles compared as the CLI's `samestory compare` does.
pub fn compare_stored(
    store: &samestory_store::Store,
    state: &AppState,
    a: &str,
    b: &str,
) -> Result<crate::compare::Comparison, ApiError> {
    let art_a = crate::compare::stored_article(store, a)?;
    let art_b = crate::compare::stored_article(store, b)?;
    Ok(crate::compare::compare(
        &art_a,
        &art_b,
        &state.config(),
        Some(store),
    )?)
}

pub async fn compare(
    State(state): State<AppState>,
    q: Result<Query<CompareQuery>, QueryRejection>,
) -> ApiResult {
    let CompareQuery { a, b } = query(q)?;
    let result = state
        .read(move |s, st| compare_stored(s, st, &a, &b))
        .await?;
    Ok(Json(result).into_response())
}

/// One article object of a body, or why that item is not one.
pub type BodyItem = Result<serde_json::Map<String, Value>, String>;

/// The JSON objects of a body: one object, an array of them, or NDJSON (one a line). Items that are
/// not objects, and NDJSON lines that are not JSON, come back as errors in their place. A body of
/// more than `max_items` items (array items or NDJSON lines) is refused before any is kept, so that
/// neither the items nor their answers can make memory grow past a small multiple of the body.
pub fn body_items(body: &[u8], max_items: usize) -> Result<Vec<BodyItem>, ApiError> {
    // A byte-order mark: UTF-8's is dropped, UTF-16's decoded.
    let decoded;
    let body = match encoding_rs::Encoding::for_bom(body) {
        Some((encoding, len)) if encoding == encoding_rs::UTF_8 => &body[len..],
        Some((encoding, _)) => {
            decoded = encoding.decode_with_bom_removal(body).0.into_owned();
            decoded.as_bytes()
        }
        None => body,
    };
    let text = std::str::from_utf8(body)
        .map_err(|e| ApiError::new(ErrorKind::InvalidBody, format!("body is not UTF-8: {e}")))?;
    if text.trim().is_empty() {
        return Err(ApiError::new(
            ErrorKind::EmptyBody,
            "the body holds no article",
        ));
    }
    let too_many = || {
        ApiError::new(
            ErrorKind::TooManyArticles,
            format!(
                "the body holds more than {max_items} articles (--max-articles-per-request); send them in several requests"
            ),
        )
    };
    let not_object = |kind: &str| format!("expected a JSON object, found {kind}");
    let too_many_values = |n: usize| {
        ApiError::new(
            ErrorKind::TooManyValues,
            format!(
                "the body's articles hold more than {n} JSON values (at most one per {} bytes of body, so that memory follows the body's size)",
                items::BYTES_A_VALUE
            ),
        )
    };
    match items::parse(text, max_items) {
        Ok(parsed) => {
            if parsed.array && parsed.count == 0 {
                return Err(ApiError::new(
                    ErrorKind::EmptyBody,
                    "the array holds no article",
                ));
            }
            if let (false, Some(Piece::NotObjects { kind, .. })) =
                (parsed.array, parsed.pieces.first())
            {
                return Err(ApiError::new(
                    ErrorKind::InvalidBody,
                    format!("the body is {kind}: send an article (a JSON object), an array of them, or NDJSON"),
                ));
            }
            let mut out = Vec::with_capacity(parsed.count);
            for piece in parsed.pieces {
                match piece {
                    Piece::Object(m) => out.push(Ok(m)),
                    Piece::NotObjects { count, kind, .. } => {
                        out.extend((0..count).map(|_| Err(not_object(kind))))
                    }
                }
            }
            Ok(out)
        }
        Err(ItemsError::TooMany(_)) => Err(too_many()),
        Err(ItemsError::TooManyValues(n)) => Err(too_many_values(n)),
        Err(ItemsError::Malformed(whole)) => {
            let lines = text.lines().filter(|l| !l.trim().is_empty());
            if lines.clone().nth(1).is_none() {
                return Err(ApiError::new(
                    ErrorKind::InvalidBody,
                    format!("body is not JSON: {whole}"),
                ));
            }
            let mut out = Vec::new();
            // The lines' values together against the whole body's bytes.
            let budget = items::Budget::of(text);
            for line in lines {
                if out.len() == max_items {
                    return Err(too_many());
                }
                out.push(match items::parse_one(line, &budget) {
                    Ok(Ok(m)) => Ok(m),
                    Ok(Err(kind)) => Err(not_object(kind)),
                    Err(_) if budget.exceeded() => return Err(too_many_values(budget.limit())),
                    Err(e) => Err(format!("malformed JSON: {e}")),
                });
            }
            Ok(out)
        }
    }
}

/// `POST /api/articles`: answers once every article is stored and given its story.
pub async fn post_articles(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large(state.max_body_bytes())
        } else {
            ApiError::new(ErrorKind::InvalidBody, e.body_text())
        }
    })?;
    let items = body_items(&body, state.max_articles_per_request())?;
    let request = state
        .metrics()
        .write_requests
        .fetch_add(1, Ordering::Relaxed)
        + 1;
    let opts = ReadOptions::default();
    let mut results: Vec<Option<Value>> = Vec::with_capacity(items.len());
    let mut articles: Vec<Article> = Vec::new();
    let mut slots = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let record =
            item.map(|fields| article_from_fields(fields, &opts, "body", Some(i as u64 + 1)));
        match record {
            Ok(Record::Article(mut a, warnings)) => {
                a.origin = Some(Origin::Item {
                    of: format!("request {request}"),
                    item: i as u64 + 1,
                });
                slots.push(i);
                articles.push(*a);
                results.push(
                    (!warnings.is_empty()).then(|| {
                        json!({"warnings": warnings.iter().map(|w| w.message.clone()).collect::<Vec<_>>()})
                    }),
                );
            }
            Ok(Record::Error(e)) => results.push(Some(rejected(i, e.message))),
            Err(message) => results.push(Some(rejected(i, message))),
        }
    }
    let metrics = state.metrics();
    metrics
        .received
        .fetch_add(results.len() as u64, Ordering::Relaxed);
    let n_rejected = results.len() - articles.len();
    metrics
        .rejected
        .fetch_add(n_rejected as u64, Ordering::Relaxed);
    let outcomes = if articles.is_empty() {
        Vec::new()
    } else {
        state.ingest(articles).await?
    };
    let (mut stored, mut already, mut conflicts) = (0u64, 0u64, 0u64);
    for (i, outcome) in slots.into_iter().zip(outcomes) {
        let warnings = results[i].take();
        let mut v = serde_json::to_value(&outcome).expect("outcome serializes");
        match outcome {
            Outcome::Stored { .. } => stored += 1,
            Outcome::AlreadyStored { .. } => already += 1,
            Outcome::Conflict { id, message } => {
                conflicts += 1;
                v = json!({
                    "status": "conflict",
                    "id": id,
                    "error": {"code": "conflict", "message": message},
                });
            }
        }
        if let (Value::Object(m), Some(Value::Object(w))) = (&mut v, warnings) {
            m.extend(w);
        }
        if let Value::Object(m) = &mut v {
            m.insert("index".into(), json!(i));
        }
        results[i] = Some(v);
    }
    metrics.stored.fetch_add(stored, Ordering::Relaxed);
    // 200 even when every article was rejected: the body was read, and each article has its own
    // answer (an error only for a body that could not be read at all).
    Ok((
        StatusCode::OK,
        Json(json!({
            "stored": stored,
            "already_stored": already,
            "rejected": n_rejected,
            "conflicts": conflicts,
            "results": results,
        })),
    )
        .into_response())
}

/// The answer to a body over `--max-body-bytes`.
pub fn too_large(limit: usize) -> ApiError {
    ApiError::new(
        ErrorKind::PayloadTooLarge,
        format!("the body is over the limit of {limit} bytes (--max-body-bytes)"),
    )
}

fn rejected(index: usize, message: String) -> Value {
    json!({
        "index": index,
        "status": "rejected",
        "error": {"code": "invalid_article", "message": message},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_of_every_shape() {
        let max = 100;
        assert_eq!(body_items(br#"{"text": "a"}"#, max).unwrap().len(), 1);
        assert!(body_items(br#"[{"text": "a"}, 3]"#, max).unwrap()[1].is_err());
        let nd = body_items(b"{\"text\": \"a\"}\n{oops\n{\"text\": \"b\"}\n", max).unwrap();
        assert_eq!(nd.len(), 3);
        assert!(nd[0].is_ok() && nd[1].is_err() && nd[2].is_ok());
        assert_eq!(
            body_items(b"  ", max).unwrap_err().kind,
            ErrorKind::EmptyBody
        );
        assert_eq!(
            body_items(b"{oops", max).unwrap_err().kind,
            ErrorKind::InvalidBody
        );
        assert_eq!(
            body_items(b"[1, 2, 3]", 2).unwrap_err().kind,
            ErrorKind::TooManyArticles
        );
        assert_eq!(
            body_items(b"1\n2\n3\n", 2).unwrap_err().kind,
            ErrorKind::TooManyArticles
        );
        assert_eq!(body_items(b"[1, 2, 3]", 3).unwrap().len(), 3);
        assert_eq!(
            body_items(br#""AAA""#, max).unwrap_err().kind,
            ErrorKind::InvalidBody
        );
    }

    /// Issue 20, item 13: a body with a UTF-8 byte-order mark was answered 400.
    #[test]
    fn byte_order_marks_are_read_past() {
        let utf8 = [b"\xEF\xBB\xBF".as_slice(), br#"{"text": "a"}"#].concat();
        assert!(body_items(&utf8, 10).unwrap()[0].is_ok());
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(
            r#"[{"text": "a"}, {"text": "b"}]"#
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        let items = body_items(&utf16, 10).unwrap();
        assert!(items.len() == 2 && items.iter().all(Result::is_ok));
    }
}
