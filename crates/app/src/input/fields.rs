//! The one table of field names, for every command and every format: which JSON key or CSV column
//! is an article's text, id, url, title, source or date. Keys are matched case-insensitively; a
//! key in no list is kept as metadata.

use super::{read_time, InputError, ReadOptions, Record, Warning, NO_WORDS};
use samestory_engine::text::language::Language;
use samestory_engine::{Article, Origin};
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// The fields samestory reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Text,
    Id,
    Url,
    Title,
    Source,
    Published,
}

/// Every field's names, lower case. `--text-field NAME` replaces the text's names with NAME.
pub const ALIASES: &[(Field, &[&str])] = &[
    (
        Field::Text,
        &["text", "body", "content", "article", "maintext"],
    ),
    (Field::Id, &["id", "doc_id", "article_id", "guid"]),
    (Field::Url, &["url", "link"]),
    (Field::Title, &["title", "headline"]),
    (
        Field::Source,
        &["source", "outlet", "publisher", "source_name"],
    ),
    (
        Field::Published,
        &[
            "published",
            "date",
            "published_at",
            "publishedat",
            "pubdate",
            "timestamp",
            "datetime",
        ],
    ),
];

/// Which field a key names, if any.
pub fn field_of(key: &str, opts: &ReadOptions) -> Option<Field> {
    if let Some(f) = &opts.text_field {
        if f.eq_ignore_ascii_case(key) {
            return Some(Field::Text);
        }
    }
    let k = key.to_ascii_lowercase();
    ALIASES
        .iter()
        .filter(|(field, _)| !(opts.text_field.is_some() && *field == Field::Text))
        .find(|(_, names)| names.contains(&k.as_str()))
        .map(|(field, _)| *field)
}

/// The names looked for as the text, for error messages.
fn text_names(opts: &ReadOptions) -> String {
    match &opts.text_field {
        Some(f) => format!("`{f}`"),
        None => "`text` (also looked for body, content)".into(),
    }
}

/// One record's fields, found through [`ALIASES`]: (key as written, value) of each field, and the
/// rest as metadata. When a field appears under two names, the name that sorts first is taken and
/// the other kept as metadata, whatever the order in the record.
#[derive(Default)]
pub struct Fields {
    slots: [Option<(String, Value)>; 6],
    meta: Map<String, Value>,
    /// Whether to keep the metadata (not needed by `dedup`).
    keep_meta: bool,
}

impl Fields {
    fn new(keep_meta: bool) -> Fields {
        Fields {
            keep_meta,
            ..Fields::default()
        }
    }

    /// Sorts the fields of a JSON object or a CSV row.
    pub fn from_map(map: Map<String, Value>, opts: &ReadOptions) -> Fields {
        let mut fields = Fields::new(true);
        for (key, value) in map {
            let field = field_of(&key, opts);
            fields.put(field, key, value);
        }
        fields
    }

    /// Parses one JSON object, building values only for the fields samestory reads (the others
    /// are skipped, not kept as metadata): the fast path of `dedup`.
    pub fn from_json_object(line: &str, opts: &ReadOptions) -> serde_json::Result<Fields> {
        let mut de = serde_json::Deserializer::from_str(line);
        let fields = FieldsSeed { opts }.deserialize(&mut de)?;
        de.end()?;
        Ok(fields)
    }

    fn put(&mut self, field: Option<Field>, key: String, value: Value) {
        let Some(field) = field else {
            if self.keep_meta {
                self.meta.insert(key, value);
            }
            return;
        };
        // The same key twice (JSON allows it) keeps the last, as a parse into a map does.
        let slot = &mut self.slots[field as usize];
        let displaced = match slot {
            Some((k, _)) if key > *k => Some((key, value)),
            Some((k, _)) if key == *k => {
                *slot = Some((key, value));
                None
            }
            _ => slot.replace((key, value)),
        };
        if let (Some((k, v)), true) = (displaced, self.keep_meta) {
            self.meta.insert(k, v);
        }
    }

    /// The id as it was written (a string or a number), if the record has one.
    pub fn raw_id(&self) -> Option<&Value> {
        self.slots[Field::Id as usize]
            .as_ref()
            .map(|(_, v)| v)
            .filter(|v| as_text(v).is_some())
    }

    /// The article, or the error that refuses the record.
    pub fn into_record(self, opts: &ReadOptions, file: &str, line: Option<u64>) -> Record {
        let err = |message: String| {
            Record::Error(InputError {
                file: file.to_owned(),
                line,
                message,
            })
        };
        let Fields {
            slots: [text, id, url, title, source, published],
            mut meta,
            ..
        } = self;
        let Some((_, text_value)) = text else {
            return err(format!("missing field {}", text_names(opts)));
        };
        let field_name = opts.text_field.as_deref().unwrap_or("text");
        let Some(text) = into_text(text_value) else {
            return err(format!("field `{field_name}` is empty or not a string"));
        };
        if !samestory_engine::text::has_words(&text) {
            return err(format!("field `{field_name}`: {NO_WORDS}"));
        }
        if text.len() > opts.max_article_bytes {
            return err(format!(
                "article text is {} bytes, over the limit of {} bytes (--max-article-bytes); skipped",
                text.len(),
                opts.max_article_bytes
            ));
        }
        let mut warnings: Vec<Warning> = Vec::new();
        let take = |f: Option<(String, Value)>| f.and_then(|(_, v)| into_text(v));
        let warn = |message: String| InputError {
            file: file.to_owned(),
            line,
            message,
        };
        let published_ts = match published {
            Some((key, v)) if !v.is_null() => match read_time(&v, opts.date_format.as_deref()) {
                Ok((t, note)) => {
                    if let Some(note) = note {
                        warnings.push(warn(format!("field `{key}`: {note}")));
                    }
                    Some(t)
                }
                Err(why) => {
                    warnings.push(warn(format!("field `{key}`: {why}; stored without a date")));
                    meta.insert(key, v);
                    None
                }
            },
            _ => None,
        };
        for (key, v) in &meta {
            let named = samestory_engine::text::language::INPUT_KEYS
                .iter()
                .any(|n| n.eq_ignore_ascii_case(key));
            if named && v.as_str().and_then(Language::parse).is_none() {
                warnings.push(warn(format!(
                    "field `{key}`: {v} is no language tag (an ISO 639 code: en, de-AT, zh); the language is told from the text"
                )));
            }
        }
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
            origin: Some(Origin::File {
                name: file.to_owned(),
                line,
            }),
        };
        Record::Article(Box::new(article), warnings)
    }
}

/// A field's value as text: a string or a number, or the `name` of an object (NewsAPI's
/// `source`); `None` if empty.
pub fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) => o.get("name").and_then(as_text),
        _ => None,
    }
    .filter(|s| !s.trim().is_empty())
}

/// [`as_text`] without copying a string.
fn into_text(v: Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s).filter(|s| !s.trim().is_empty()),
        v => as_text(&v),
    }
}

struct FieldsSeed<'o> {
    opts: &'o ReadOptions,
}

impl<'de> DeserializeSeed<'de> for FieldsSeed<'_> {
    type Value = Fields;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Fields, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FieldsSeed<'_> {
    type Value = Fields;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
        let mut fields = Fields::new(false);
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match field_of(&key, self.opts) {
                Some(field) => {
                    let value: Value = map.next_value()?;
                    fields.put(Some(field), key.into_owned(), value);
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_alias_names_one_field() {
        let opts = ReadOptions::default();
        for (field, names) in ALIASES {
            for name in *names {
                assert_eq!(field_of(name, &opts), Some(*field), "{name}");
                assert_eq!(field_of(&name.to_uppercase(), &opts), Some(*field));
            }
        }
        assert_eq!(field_of("lang", &opts), None);
    }

    #[test]
    fn a_text_field_replaces_the_text_aliases() {
        let opts = ReadOptions {
            text_field: Some("TITLE".into()),
            ..ReadOptions::default()
        };
        assert_eq!(field_of("title", &opts), Some(Field::Text));
        assert_eq!(field_of("text", &opts), None);
    }

    #[test]
    fn the_fast_parse_finds_what_the_full_one_does() {
        let opts = ReadOptions::default();
        let line = r#"{"lang":"en","maintext":"Body","doc_id":7,"body":"B","date":"2022-02-13"}"#;
        let Value::Object(map) = serde_json::from_str(line).unwrap() else {
            panic!()
        };
        let full = Fields::from_map(map, &opts);
        let fast = Fields::from_json_object(line, &opts).unwrap();
        assert_eq!(fast.raw_id(), Some(&json!(7)));
        let (Record::Article(a, _), Record::Article(b, _)) = (
            full.into_record(&opts, "f", Some(1)),
            fast.into_record(&opts, "f", Some(1)),
        ) else {
            panic!("not articles")
        };
        assert_eq!(a.text, "B", "`body` sorts before `maintext`");
        assert_eq!((&a.id, &a.text, a.published), (&b.id, &b.text, b.published));
        assert!(b.meta.is_empty() && a.meta.contains_key("maintext"));
    }

    #[test]
    fn a_key_written_twice_keeps_its_last_value_in_both_parses() {
        let opts = ReadOptions::default();
        let line = r#"{"text":"first","id":"a","text":"last"}"#;
        let Value::Object(map) = serde_json::from_str(line).unwrap() else {
            panic!()
        };
        for fields in [
            Fields::from_map(map, &opts),
            Fields::from_json_object(line, &opts).unwrap(),
        ] {
            let Record::Article(a, _) = fields.into_record(&opts, "f", Some(1)) else {
                panic!("not an article")
            };
            assert_eq!(a.text, "last");
        }
    }
}
