//! The API's errors: `{"error": {"code": "stable_code", "message": "..."}}`.
//!
//! [`ErrorKind::status`] is the one table from error kinds to HTTP statuses and codes; handlers
//! only ever pick a kind. The codes are stable (clients may match on them); messages are for people.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use samestory_store::StoreError;
use serde_json::json;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// A query parameter is missing or malformed.
    InvalidQuery,
    /// The body is not JSON, a JSON array or NDJSON.
    InvalidBody,
    /// The body holds no article.
    EmptyBody,
    /// No token, or the wrong one.
    Unauthorized,
    /// A `Host` not this server's, or a write from another site's page.
    Forbidden,
    /// A write that is not JSON or NDJSON.
    UnsupportedMediaType,
    /// No such story, article or route.
    NotFound,
    /// The body is over `--max-body-bytes`.
    PayloadTooLarge,
    /// The body holds more articles than `--max-articles-per-request`.
    TooManyArticles,
    /// The body's articles hold more JSON values than one per 8 bytes of it.
    TooManyValues,
    /// The body did not arrive within `--body-timeout-secs`.
    BodyTimeout,
    /// The ingest queue is gone (the server is stopping).
    Unavailable,
    /// A read was stopped at `--read-timeout-ms`.
    ReadTimeout,
    /// Anything else: a database error, a bug.
    Internal,
}

impl ErrorKind {
    /// The one mapping from error kinds to HTTP statuses and stable codes.
    pub fn status(self) -> (StatusCode, &'static str) {
        match self {
            ErrorKind::InvalidQuery => (StatusCode::BAD_REQUEST, "invalid_query"),
            ErrorKind::InvalidBody => (StatusCode::BAD_REQUEST, "invalid_body"),
            ErrorKind::EmptyBody => (StatusCode::BAD_REQUEST, "empty_body"),
            ErrorKind::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ErrorKind::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            ErrorKind::UnsupportedMediaType => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            ErrorKind::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            ErrorKind::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ErrorKind::TooManyArticles => (StatusCode::PAYLOAD_TOO_LARGE, "too_many_articles"),
            ErrorKind::TooManyValues => (StatusCode::PAYLOAD_TOO_LARGE, "too_many_values"),
            ErrorKind::BodyTimeout => (StatusCode::REQUEST_TIMEOUT, "body_timeout"),
            ErrorKind::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            ErrorKind::ReadTimeout => (StatusCode::SERVICE_UNAVAILABLE, "read_timeout"),
            ErrorKind::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

#[derive(Debug)]
pub struct ApiError {
    pub kind: ErrorKind,
    pub message: String,
}

impl ApiError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        ApiError {
            kind,
            message: message.into(),
        }
    }

    pub fn body(&self) -> serde_json::Value {
        json!({"error": {"code": self.kind.status().1, "message": self.message}})
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => ApiError::new(ErrorKind::NotFound, format!("no {what}")),
            e => ApiError::new(ErrorKind::Internal, e.to_string()),
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        match e.downcast::<StoreError>() {
            Ok(s) => s.into(),
            Err(e) => ApiError::new(ErrorKind::Internal, format!("{e:#}")),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, _) = self.kind.status();
        if status.is_server_error() {
            eprintln!("samestory serve: {}", self.message);
        }
        (status, Json(self.body())).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_statuses_are_errors() {
        let kinds = [
            ErrorKind::InvalidQuery,
            ErrorKind::InvalidBody,
            ErrorKind::EmptyBody,
            ErrorKind::Unauthorized,
            ErrorKind::Forbidden,
            ErrorKind::UnsupportedMediaType,
            ErrorKind::NotFound,
            ErrorKind::PayloadTooLarge,
            ErrorKind::TooManyArticles,
            ErrorKind::TooManyValues,
            ErrorKind::BodyTimeout,
            ErrorKind::Unavailable,
            ErrorKind::ReadTimeout,
            ErrorKind::Internal,
        ];
        let mut codes: Vec<_> = kinds.iter().map(|k| k.status().1).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), kinds.len());
        assert!(kinds.iter().all(|k| k.status().0.as_u16() >= 400));
    }
}
