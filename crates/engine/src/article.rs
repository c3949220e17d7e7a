//! The article as the engine sees it, and the small `Copy` types that name things inside it.
//!
//! Offsets are always **byte offsets into a UTF-8 string, half-open** (`start..end`), and they always
//! say which text they point into: the original text of an article, or its clean text.

pub use crate::memory::mix64;
use serde::{Deserialize, Serialize};

/// A half-open byte range `start..end` into one text.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Span {
    /// The first byte.
    pub start: usize,
    /// The byte after the last one.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    /// Its length in bytes.
    pub const fn len(self) -> usize {
        self.end - self.start
    }
    /// Whether it holds no byte.
    pub const fn is_empty(self) -> bool {
        self.end <= self.start
    }
    /// The part of `text` it covers (`text` must be the text it points into).
    pub fn slice(self, text: &str) -> &str {
        &text[self.start..self.end]
    }
}

/// Seconds since the Unix epoch (UTC). Time always comes into the engine as data, never from a clock.
pub type Timestamp = i64;

/// A document's place in the stream: dense, 0-based, in the order the copy index
/// ([`CopyIndex`](crate::copies::CopyIndex)) was given documents. Stored, so it never changes once
/// given; the store keeps it as an article's `doc` column.
pub type DocIdx = u32;

/// A story's place among the stories: dense, 0-based, in the order the clusterer
/// ([`Clusterer`](crate::stories::Clusterer)) created them. Stored, like [`DocIdx`].
pub type StoryIdx = u32;

/// A term: the hash ([`hash_word`](crate::text::hash_word)) of a normalized word after the plural
/// stemmer; the clusterer's unit of evidence, and the key of its document frequencies. Stored.
pub type Term = u64;

/// One news article as read from any source, before cleaning.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable identifier: the source's own id, else derived from the url, else from the content.
    pub id: String,
    /// Where it was published, when the source says.
    pub url: Option<String>,
    /// The headline, when the source gives one apart from the text.
    pub title: Option<String>,
    /// The outlet.
    pub source: Option<String>,
    /// When it was published; `None` when the source does not say (cleaning may find a date).
    pub published: Option<Timestamp>,
    /// The original text, exactly as read.
    pub text: String,
    /// Fields of the input we do not interpret, kept as they came.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub meta: serde_json::Map<String, serde_json::Value>,
}

/// A 64-bit hash of a string, stable across runs and platforms (FNV-1a, then a murmur finaliser).
pub fn stable_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    mix64(h)
}

impl Article {
    /// The id an article gets when its source gave none: from the url when there is one, else from
    /// the title and text. Prefixed so that derived ids never collide with each other's kind.
    pub fn derive_id(url: Option<&str>, title: Option<&str>, text: &str) -> String {
        match url {
            Some(u) if !u.trim().is_empty() => {
                format!("u{:016x}", stable_hash(u.trim().as_bytes()))
            }
            _ => {
                let mut bytes = Vec::with_capacity(text.len() + 64);
                bytes.extend_from_slice(title.unwrap_or("").as_bytes());
                bytes.push(0);
                bytes.extend_from_slice(text.as_bytes());
                format!("c{:016x}", stable_hash(&bytes))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_prefer_url_and_are_stable() {
        let a = Article::derive_id(Some("http://x/1"), Some("t"), "body");
        let b = Article::derive_id(Some("http://x/1"), Some("other"), "other body");
        assert_eq!(a, b);
        assert!(a.starts_with('u'));
        let c = Article::derive_id(None, Some("t"), "body");
        let d = Article::derive_id(None, Some("t"), "body!");
        assert_ne!(c, d);
        assert!(c.starts_with('c'));
    }

    #[test]
    fn span_slices_half_open() {
        assert_eq!(Span::new(1, 3).slice("abcd"), "bc");
        assert!(Span::new(2, 2).is_empty());
    }
}
