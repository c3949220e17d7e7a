//! One JSON document over many lines: an array of articles (or one article) pretty-printed, as a
//! `.json` file often is. Read as a stream, item by item, so that memory holds one article at a
//! time whatever the file's size, and each article's line is the line its object starts on.
//!
//! [`is_document`] tells such a file from JSON Lines by its first line: a JSON Lines file's first
//! line is a whole value (or a malformed record), a document's first line ends inside a value.

use super::items::{Budget, ItemVisitor};
use super::{article_from_fields, InputError, ReadOptions, Record};
use serde::de::{self, DeserializeSeed, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::cell::Cell;
use std::fmt;
use std::io::Read;
use std::rc::Rc;

/// Whether `head` (the start of a JSON file) begins a document over several lines: its first
/// non-blank line is complete in `head` and ends before its value does.
pub fn is_document(head: &[u8]) -> bool {
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let rest = &head[start..];
    let Some(end) = rest.iter().position(|&b| b == b'\n') else {
        return false;
    };
    match serde_json::from_slice::<de::IgnoredAny>(&rest[..end]) {
        Ok(_) => false,
        Err(e) => e.classify() == serde_json::error::Category::Eof,
    }
}

/// Reads the document from `reader` and calls `sink` with each record, in order: an article or
/// an error for each object, one error for each run of items that are not objects, and one for
/// malformed JSON (which ends the reading: what follows cannot be placed).
pub fn read(name: &str, reader: impl Read, opts: &ReadOptions, sink: &mut dyn FnMut(Record)) {
    let line = Rc::new(Cell::new(1u64));
    let bytes = Rc::new(Cell::new(0u64));
    let counting = LineCounter {
        inner: reader,
        line: line.clone(),
        bytes: bytes.clone(),
    };
    // Each item's values against its own bytes (see `items::Budget`).
    let budget = Budget::of_stream(bytes);
    let mut de = serde_json::Deserializer::from_reader(counting);
    let mut reader = Reader {
        name,
        opts,
        sink,
        line: &line,
        run: None,
        budget: &budget,
    };
    let read = (&mut reader).deserialize(&mut de).and_then(|()| de.end());
    reader.flush_run();
    if let Err(e) = read {
        let at = if e.line() > 0 {
            e.line() as u64
        } else {
            line.get()
        };
        let what = if budget.exceeded() {
            "an object of too many values"
        } else {
            "malformed JSON"
        };
        (reader.sink)(Record::Error(InputError {
            file: name.into(),
            line: Some(at),
            message: format!("{what}: {e}; the rest of the file is not read"),
        }));
    }
}

/// Counts the newlines and bytes read: serde_json reads a reader one byte at a time, so the count
/// is the line the parser is on.
struct LineCounter<R> {
    inner: R,
    line: Rc<Cell<u64>>,
    bytes: Rc<Cell<u64>>,
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let newlines = buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
        self.line.set(self.line.get() + newlines);
        self.bytes.set(self.bytes.get() + n as u64);
        Ok(n)
    }
}

/// A run of array items that are not objects: (first item, count, kind, line of the first).
type Run = (usize, usize, &'static str, u64);

struct Reader<'a> {
    name: &'a str,
    opts: &'a ReadOptions,
    sink: &'a mut dyn FnMut(Record),
    line: &'a Cell<u64>,
    run: Option<Run>,
    budget: &'a Budget,
}

impl Reader<'_> {
    fn item(&mut self, index: usize, line: u64, item: Result<Map<String, Value>, &'static str>) {
        match item {
            Ok(map) => {
                self.flush_run();
                (self.sink)(article_from_fields(map, self.opts, self.name, Some(line)));
            }
            Err(kind) => match &mut self.run {
                Some((_, count, _, _)) => *count += 1,
                None => self.run = Some((index, 1, kind, line)),
            },
        }
    }

    fn flush_run(&mut self) {
        let Some((first, count, kind, line)) = self.run.take() else {
            return;
        };
        let message = if count == 1 {
            format!("array item {} is not a JSON object but {kind}", first + 1)
        } else {
            format!(
                "array items {} to {} ({count} items) are not JSON objects (the first is {kind})",
                first + 1,
                first + count
            )
        };
        (self.sink)(Record::Error(InputError {
            file: self.name.into(),
            line: Some(line),
            message,
        }));
    }
}

impl<'de> DeserializeSeed<'de> for &mut Reader<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

/// One item, with the line it starts on (taken when the parser enters it).
struct Item<'a> {
    line: &'a Cell<u64>,
    budget: &'a Budget,
}

impl<'de> DeserializeSeed<'de> for Item<'_> {
    type Value = (u64, Result<Map<String, Value>, &'static str>);
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let (line, budget) = (self.line, self.budget);
        budget.restart();
        d.deserialize_any(AtLine { line, budget })
    }
}

struct AtLine<'a> {
    line: &'a Cell<u64>,
    budget: &'a Budget,
}

macro_rules! scalar_at_line {
    ($($name:ident: $t:ty),*) => {$(
        fn $name<E: de::Error>(self, v: $t) -> Result<Self::Value, E> {
            Ok((self.line.get(), ItemVisitor(self.budget).$name(v)?))
        }
    )*};
}

impl<'de> Visitor<'de> for AtLine<'_> {
    type Value = (u64, Result<Map<String, Value>, &'static str>);
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    scalar_at_line!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str);
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok((self.line.get(), ItemVisitor(self.budget).visit_unit()?))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let line = self.line.get();
        Ok((line, ItemVisitor(self.budget).visit_map(map)?))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let line = self.line.get();
        Ok((line, ItemVisitor(self.budget).visit_seq(seq)?))
    }
}

impl<'de> Visitor<'de> for &mut Reader<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object or an array of them")
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let line = self.line.get();
        let item = ItemVisitor(self.budget).visit_map(map)?;
        self.item(0, line, item);
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while let Some((line, item)) = seq.next_element_seed(Item {
            line: self.line,
            budget: self.budget,
        })? {
            self.item(index, line, item);
            index += 1;
        }
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom(
            "the document is a boolean, not an article or an array of them",
        ))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom(
            "the document is a number, not an article or an array of them",
        ))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom(
            "the document is a number, not an article or an array of them",
        ))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom(
            "the document is a number, not an article or an array of them",
        ))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom(
            "the document is a string, not an article or an array of them",
        ))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(
            "the document is null, not an article or an array of them",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        read(
            "f.json",
            text.as_bytes(),
            &ReadOptions::default(),
            &mut |r| {
                out.push(match r {
                    Record::Article(a, _) => format!("article {}", a.id),
                    Record::Error(e) => e.to_string(),
                })
            },
        );
        out
    }

    #[test]
    fn a_pretty_array_gives_each_article_its_line() {
        let text = "[\n  {\n    \"id\": \"a\",\n    \"text\": \"one\"\n  },\n  1,\n  2,\n  {\"id\": \"b\", \"text\": \"two\"},\n  {\"id\": \"c\"}\n]\n";
        assert!(is_document(text.as_bytes()));
        assert_eq!(
            read_all(text),
            [
                "article a",
                "f.json:6: array items 2 to 3 (2 items) are not JSON objects (the first is a number)",
                "article b",
                "f.json:9: missing field `text` (also looked for body, content)",
            ]
        );
    }

    #[test]
    fn json_lines_are_not_a_document_and_malformed_json_is_named_by_line() {
        assert!(!is_document(b"{\"text\": \"a\"}\n{\"text\": \"b\"}\n"));
        assert!(!is_document(b"{oops\n"));
        assert!(!is_document(b"[{\"text\": \"a\"}]"));
        let out = read_all("[\n {\"id\": \"a\", \"text\": \"x\"},\n {oops\n]");
        assert_eq!(out[0], "article a");
        assert!(out[1].starts_with("f.json:3: malformed JSON"), "{}", out[1]);
    }
}
