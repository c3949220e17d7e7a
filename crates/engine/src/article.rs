//! The article as the engine sees it, and the small `Copy` types that name things inside it.
//!
//! Offsets are always **byte offsets into a UTF-8 string, half-open** (`start..end`), and they always
//! say which text they point into: the original text of an article, or its clean text.

pub use crate::memory::mix64;
use crate::memory::slots::DenseIndex;
use crate::memory::sorted_run::Fixed;
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

/// Defines a dense 0-based index newtype over `u32`: `Copy`, ordered and hashed exactly as the
/// integer is (so maps and sorts give the same answers as the integer did), with the integer
/// reachable only through `from_raw`/`raw` (storage, encodings) and `index` (a vector's place).
macro_rules! dense_index {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[repr(transparent)]
        #[serde(transparent)]
        pub struct $name(u32);

        impl $name {
            /// The largest value; the engine's tables use it to mark an empty place.
            pub const MAX: Self = $name(u32::MAX);

            /// The index whose stored number is `raw`.
            pub const fn from_raw(raw: u32) -> Self {
                $name(raw)
            }
            /// Its stored number.
            pub const fn raw(self) -> u32 {
                self.0
            }
            /// Its place in a vector indexed by it.
            pub const fn index(self) -> usize {
                self.0 as usize
            }
            /// The index after it.
            pub const fn next(self) -> Self {
                $name(self.0 + 1)
            }
            /// The index at place `i` of a vector (`i` fits in `u32`: the engine counts at most
            /// `u32::MAX` of them).
            pub fn at(i: usize) -> Self {
                $name(u32::try_from(i).expect(concat!(stringify!($name), " beyond u32")))
            }
        }

        impl Fixed for $name {
            const BYTES: usize = 4;
            fn put(&self, out: &mut Vec<u8>) {
                self.0.put(out);
            }
            fn get(bytes: &[u8]) -> Self {
                $name(<u32 as Fixed>::get(bytes))
            }
        }

        impl DenseIndex for $name {
            fn from_raw(raw: u32) -> Self {
                $name(raw)
            }
            fn raw(self) -> u32 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

dense_index! {
    /// A document's place in the stream: dense, 0-based, in the order the copy index
    /// ([`CopyIndex`](crate::copies::CopyIndex)) was given documents. Stored, so it never changes
    /// once given; the store keeps it as an article's `doc` column.
    DocIdx
}

dense_index! {
    /// A story's place among the stories: dense, 0-based, in the order the clusterer
    /// ([`Clusterer`](crate::stories::Clusterer)) created them. Stored, like [`DocIdx`].
    StoryIdx
}

/// A term: the hash ([`hash_word`](crate::text::hash_word)) of a normalized word after the plural
/// stemmer; the clusterer's unit of evidence, and the key of its document frequencies. Stored.
/// Ordered and hashed exactly as its `u64` is.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[repr(transparent)]
#[serde(transparent)]
pub struct Term(u64);

impl Term {
    /// The term whose hash is `raw` (as stored, or as a salted key of the saved state).
    pub const fn from_raw(raw: u64) -> Self {
        Term(raw)
    }
    /// Its hash, for storage and for tables keyed by mixed hashes.
    pub const fn raw(self) -> u64 {
        self.0
    }
}

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
    /// Where it was read, for messages about it (a conflict names both records); never stored.
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// Where a record was read: named in every message about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A line of a file, or a whole file.
    File {
        /// The file as the user named it (or `<stdin>`).
        name: String,
        /// The record's line (a CSV row's or a JSON object's first), or its row in a Parquet
        /// file; `None` when the file is one record.
        line: Option<u64>,
    },
    /// A numbered record of something without lines: a feed, a web archive, a request.
    Item {
        /// What holds it: `wire.xml`, `feed URL`, `request 12`.
        of: String,
        /// Its number there, from 1.
        item: u64,
    },
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::File {
                name,
                line: Some(l),
            } => write!(f, "{name}:{l}"),
            Origin::File { name, line: None } => f.write_str(name),
            Origin::Item { of, item } => write!(f, "{of}, item {item}"),
        }
    }
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

    /// The ids stand for their integers everywhere answers could see it: the same hash (so hash
    /// maps iterate in the same order), the same order, the same size, encoding and JSON.
    #[test]
    fn ids_hash_order_and_encode_as_their_integers() {
        use crate::memory::sorted_run::Fixed;
        use std::hash::BuildHasher;
        let fx = rustc_hash::FxBuildHasher;
        for raw in [0u32, 1, 7, 1 << 20, u32::MAX - 1] {
            let (d, s) = (DocIdx::from_raw(raw), StoryIdx::from_raw(raw));
            assert_eq!(fx.hash_one(d), fx.hash_one(raw));
            assert_eq!(fx.hash_one((d, s)), fx.hash_one((raw, raw)));
            assert_eq!(
                (d.raw(), d.index(), d.next().raw()),
                (raw, raw as usize, raw + 1)
            );
            assert_eq!(DocIdx::at(raw as usize), d);
            assert_eq!(serde_json::to_string(&s).unwrap(), raw.to_string());
            let t = Term::from_raw(u64::from(raw) << 32 | 5);
            assert_eq!(fx.hash_one(t), fx.hash_one(t.raw()));
        }
        assert!(DocIdx::from_raw(2) < DocIdx::from_raw(10) && DocIdx::from_raw(10) < DocIdx::MAX);
        assert!(Term::from_raw(3) < Term::from_raw(u64::MAX));
        assert_eq!(std::mem::size_of::<(DocIdx, StoryIdx)>(), 8);
        assert_eq!(std::mem::size_of::<(Term, f32)>(), 16);
        let mut bytes = Vec::new();
        (DocIdx::from_raw(3), StoryIdx::from_raw(9)).put(&mut bytes);
        assert_eq!(bytes, [3, 0, 0, 0, 9, 0, 0, 0]);
        let back = <(DocIdx, StoryIdx)>::get(&bytes);
        assert_eq!(back, (DocIdx::from_raw(3), StoryIdx::from_raw(9)));
    }

    #[test]
    fn span_slices_half_open() {
        assert_eq!(Span::new(1, 3).slice("abcd"), "bc");
        assert!(Span::new(2, 2).is_empty());
    }
}
