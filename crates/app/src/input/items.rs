//! JSON holding articles (one object, or an array of them), parsed without building a tree for
//! what is not an article: a value that is not an object is read past and only its kind is kept, and
//! a run of such values in an array is kept as one [`Piece::NotObjects`]. So memory stays a small
//! multiple of the input whatever its shape (`[1,1,1,…]` with millions of items costs a counter,
//! not a value each), and an optional cap on the items stops the reading as soon as it is passed.
//!
//! Inside an object, every JSON value built (a field, an element of an array, a member of an
//! object) is counted against a [`Budget`]: at most one value per [`BYTES_A_VALUE`] bytes of the
//! text read (plus [`VALUES_FREE`]). A value tree costs 32 to ~100 bytes a value, so
//! `{"meta": [1,1,1,…]}` or `{"meta": [{"a":1},…]}` of millions of values, which would take tens of
//! times its size, is refused instead (an object inside an article counts as [`AN_OBJECT`] values); real articles (a few fields around kilobytes of text) hold
//! a value per hundreds of bytes.

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::cell::Cell;
use std::fmt;

/// A part of a JSON text of articles, in order.
#[derive(Debug)]
pub enum Piece {
    /// An object.
    Object(Map<String, Value>),
    /// `count` items in a row from `first` that are not objects; `kind` is the first one's kind
    /// ("a number", "an array", …).
    NotObjects {
        first: usize,
        count: usize,
        kind: &'static str,
    },
}

/// What a JSON text of articles holds.
#[derive(Debug)]
pub struct Items {
    pub pieces: Vec<Piece>,
    /// Items read: 1 for a lone value, the array's length for an array.
    pub count: usize,
    /// Whether the text is an array.
    pub array: bool,
}

/// Why a JSON text of articles could not be read.
#[derive(Debug)]
pub enum ItemsError {
    /// Not JSON (the parser's message, with line and column).
    Malformed(serde_json::Error),
    /// An array of more than this many items.
    TooMany(usize),
    /// Objects holding more JSON values than the text's [`Budget`] (this many).
    TooManyValues(usize),
}

/// Bytes of JSON text a value built may take at least, on average (see [`Budget`]).
pub const BYTES_A_VALUE: usize = 8;
/// Values any text may hold whatever its length.
pub const VALUES_FREE: usize = 64;
/// What an object inside an article counts as, in values: a map's first node takes hundreds of
/// bytes (`{"a":1}` in 8 bytes of text would take ~80 times that).
pub const AN_OBJECT: usize = 8;

/// How many JSON values the objects of a text may hold: [`VALUES_FREE`] plus one per
/// [`BYTES_A_VALUE`] bytes of the text, so that the values built stay a small multiple of the
/// text whatever its shape. For a text read as a stream, the bytes read so far.
pub struct Budget {
    spent: Cell<usize>,
    bytes: Bytes,
    exceeded: Cell<bool>,
}

enum Bytes {
    Fixed(usize),
    /// The bytes read so far (a counter the reader keeps), from `start`.
    Read(std::rc::Rc<Cell<u64>>, Cell<u64>),
}

impl Budget {
    /// The budget of a whole text.
    pub fn of(text: &str) -> Budget {
        Budget::new(Bytes::Fixed(text.len()))
    }

    /// The budget of a stream whose bytes read so far `read` counts.
    pub fn of_stream(read: std::rc::Rc<Cell<u64>>) -> Budget {
        let start = read.get();
        Budget::new(Bytes::Read(read, Cell::new(start)))
    }

    fn new(bytes: Bytes) -> Budget {
        Budget {
            spent: Cell::new(0),
            bytes,
            exceeded: Cell::new(false),
        }
    }

    /// Starts again from here (a stream's next item: its values against its own bytes).
    pub fn restart(&self) {
        self.spent.set(0);
        if let Bytes::Read(read, start) = &self.bytes {
            start.set(read.get());
        }
    }

    /// The values allowed now.
    pub fn limit(&self) -> usize {
        let bytes = match &self.bytes {
            Bytes::Fixed(n) => *n,
            Bytes::Read(read, start) => read.get().saturating_sub(start.get()) as usize,
        };
        VALUES_FREE + bytes / BYTES_A_VALUE
    }

    /// Whether a value was refused since the budget was made.
    pub fn exceeded(&self) -> bool {
        self.exceeded.get()
    }

    fn take<E: de::Error>(&self) -> Result<(), E> {
        self.take_n(1)
    }

    fn take_n<E: de::Error>(&self, n: usize) -> Result<(), E> {
        let spent = self.spent.get() + n;
        if spent > self.limit() {
            self.exceeded.set(true);
            return Err(E::custom(format!(
                "more JSON values than one per {BYTES_A_VALUE} bytes (at most {})",
                self.limit()
            )));
        }
        self.spent.set(spent);
        Ok(())
    }
}

/// Reads `text`: one JSON value, an object or an array of items (anything else is one
/// [`Piece::NotObjects`]). An array of more than `max_items` items is refused without reading on,
/// and so are objects of more values than the text's [`Budget`].
pub fn parse(text: &str, max_items: usize) -> Result<Items, ItemsError> {
    let too_many = Cell::new(false);
    let budget = Budget::of(text);
    let mut de = serde_json::Deserializer::from_str(text);
    let seed = Top {
        max_items,
        too_many: &too_many,
        budget: &budget,
    };
    let parsed = seed.deserialize(&mut de).and_then(|items| {
        de.end()?;
        Ok(items)
    });
    parsed.map_err(|e| {
        if too_many.get() {
            ItemsError::TooMany(max_items)
        } else if budget.exceeded() {
            ItemsError::TooManyValues(budget.limit())
        } else {
            ItemsError::Malformed(e)
        }
    })
}

/// One JSON value read as an article candidate: its object, or the kind of value it is instead.
/// Its values count against `budget` (that of the whole text `text` is part of): see
/// [`Budget::exceeded`] when it fails.
pub fn parse_one(
    text: &str,
    budget: &Budget,
) -> serde_json::Result<Result<Map<String, Value>, &'static str>> {
    let mut de = serde_json::Deserializer::from_str(text);
    let item = Item(budget).deserialize(&mut de)?;
    de.end()?;
    Ok(item)
}

/// A JSON value built, each of its values counted against a [`Budget`].
struct Counted<'b>(&'b Budget);

impl<'de> DeserializeSeed<'de> for Counted<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Counted<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.0.take()?;
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.0.take()?;
        Ok(v.into())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.0.take()?;
        Ok(v.into())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.0.take()?;
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.0.take()?;
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.0.take()?;
        Ok(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.0.take()?;
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.0.take()?;
        let mut v = Vec::new();
        while let Some(x) = seq.next_element_seed(Counted(self.0))? {
            v.push(x);
        }
        Ok(Value::Array(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.0.take_n(AN_OBJECT)?;
        Ok(Value::Object(members(self.0, &mut map)?))
    }
}

/// The members of an object, each value counted against `budget`.
fn members<'de, A: MapAccess<'de>>(
    budget: &Budget,
    map: &mut A,
) -> Result<Map<String, Value>, A::Error> {
    let mut m = Map::new();
    while let Some(k) = map.next_key::<String>()? {
        let v = map.next_value_seed(Counted(budget))?;
        m.insert(k, v);
    }
    Ok(m)
}

/// An item of an array: an object, or the kind of what was found instead (read past, not kept).
struct Item<'b>(&'b Budget);

impl<'de> DeserializeSeed<'de> for Item<'_> {
    type Value = Result<Map<String, Value>, &'static str>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(ItemVisitor(self.0))
    }
}

/// An article candidate: an object (its values counted against the budget), or the kind of
/// value found instead (read past, not kept).
pub(super) struct ItemVisitor<'b>(pub &'b Budget);

impl<'de> Visitor<'de> for ItemVisitor<'_> {
    type Value = Result<Map<String, Value>, &'static str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        Ok(Ok(members(self.0, &mut map)?))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Err("an array"))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Err("a boolean"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Err("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Err("a number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Err("a number"))
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Err("a string"))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Err("null"))
    }
}

struct Top<'a> {
    max_items: usize,
    too_many: &'a Cell<bool>,
    budget: &'a Budget,
}

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = Items;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Items, D::Error> {
        d.deserialize_any(self)
    }
}

impl Top<'_> {
    fn one(kind: Result<Map<String, Value>, &'static str>) -> Items {
        let piece = match kind {
            Ok(m) => Piece::Object(m),
            Err(kind) => Piece::NotObjects {
                first: 0,
                count: 1,
                kind,
            },
        };
        Items {
            pieces: vec![piece],
            count: 1,
            array: false,
        }
    }
}

macro_rules! scalar_as_one {
    ($($name:ident: $t:ty),*) => {$(
        fn $name<E: de::Error>(self, v: $t) -> Result<Items, E> {
            ItemVisitor(self.budget).$name(v).map(Top::one)
        }
    )*};
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = Items;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object or an array of them")
    }
    scalar_as_one!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str);
    fn visit_unit<E: de::Error>(self) -> Result<Items, E> {
        Ok(Top::one(Err("null")))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Items, A::Error> {
        ItemVisitor(self.budget).visit_map(map).map(Top::one)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Items, A::Error> {
        let mut pieces = Vec::new();
        let mut count = 0usize;
        while let Some(item) = seq.next_element_seed(Item(self.budget))? {
            if count == self.max_items {
                self.too_many.set(true);
                return Err(de::Error::custom("too many items"));
            }
            match (item, pieces.last_mut()) {
                (Ok(m), _) => pieces.push(Piece::Object(m)),
                (Err(_), Some(Piece::NotObjects { count: run, .. })) => *run += 1,
                (Err(kind), _) => pieces.push(Piece::NotObjects {
                    first: count,
                    count: 1,
                    kind,
                }),
            }
            count += 1;
        }
        Ok(Items {
            pieces,
            count,
            array: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_non_objects_are_one_piece_each() {
        let items = parse(r#"[1, 2, "x", {"text": "a"}, null, [1, [2]], {}]"#, 100).unwrap();
        assert!(items.array);
        assert_eq!(items.count, 7);
        let shape: Vec<String> = items
            .pieces
            .iter()
            .map(|p| match p {
                Piece::Object(m) => format!("object ({} keys)", m.len()),
                Piece::NotObjects { first, count, kind } => format!("{count} from {first}: {kind}"),
            })
            .collect();
        assert_eq!(
            shape,
            [
                "3 from 0: a number",
                "object (1 keys)",
                "2 from 4: null",
                "object (0 keys)"
            ]
        );
    }

    #[test]
    fn lone_values_and_the_cap() {
        let one = parse(r#"{"text": "a"}"#, 1).unwrap();
        assert!(!one.array && one.count == 1);
        assert!(matches!(one.pieces[0], Piece::Object(_)));
        let num = parse("42", 1).unwrap();
        assert!(matches!(
            num.pieces[0],
            Piece::NotObjects {
                kind: "a number",
                ..
            }
        ));
        assert!(matches!(parse("[1, 2, 3]", 2), Err(ItemsError::TooMany(2))));
        assert_eq!(parse("[1, 2, 3]", 3).unwrap().count, 3);
        assert!(matches!(parse("[1, 2", 3), Err(ItemsError::Malformed(_))));
        assert!(matches!(parse("{} {}", 3), Err(ItemsError::Malformed(_))));
        assert_eq!(
            parse_one("[1]", &Budget::of("[1]")).unwrap(),
            Err("an array")
        );
    }

    #[test]
    fn an_articles_values_are_bounded_by_the_texts_bytes() {
        // 64 values free, then one per 8 bytes; an object inside an article counts as 8.
        let ones = |n: usize| format!(r#"[{{"text": "x", "a": [{}]}}]"#, vec!["1"; n].join(","));
        assert!(parse(&ones(30), 10).is_ok());
        assert!(matches!(
            parse(&ones(100_000), 10),
            Err(ItemsError::TooManyValues(_))
        ));
        let objects = format!(r#"{{"a": [{}]}}"#, vec![r#"{"b":1}"#; 10_000].join(","));
        assert!(matches!(
            parse(&objects, 10),
            Err(ItemsError::TooManyValues(_))
        ));
        // Outside articles nothing is built, so nothing is counted.
        assert!(parse(&format!("[{}]", vec!["1"; 100_000].join(",")), usize::MAX).is_ok());
        // NDJSON lines share the whole body's budget.
        let line = format!(r#"{{"a": [{}]}}"#, vec!["1"; 100].join(","));
        let body = format!("{line}\n{line}\n{line}\n");
        let budget = Budget::of(&body);
        let read: Vec<_> = body.lines().map(|l| parse_one(l, &budget)).collect();
        assert!(read[0].is_ok() && read[1].is_err() && budget.exceeded());
    }
}
