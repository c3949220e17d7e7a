//! JSON holding articles (one object, or an array of them), parsed without building a tree for
//! what is not an article: a value that is not an object is read past and only its kind is kept, and
//! a run of such values in an array is kept as one [`Piece::NotObjects`]. So memory stays a small
//! multiple of the input whatever its shape (`[1,1,1,…]` with millions of items costs a counter,
//! not a value each), and an optional cap on the items stops the reading as soon as it is passed.

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
}

/// Reads `text`: one JSON value, an object or an array of items (anything else is one
/// [`Piece::NotObjects`]). An array of more than `max_items` items is refused without reading on.
pub fn parse(text: &str, max_items: usize) -> Result<Items, ItemsError> {
    let too_many = Cell::new(false);
    let mut de = serde_json::Deserializer::from_str(text);
    let seed = Top {
        max_items,
        too_many: &too_many,
    };
    let parsed = seed.deserialize(&mut de).and_then(|items| {
        de.end()?;
        Ok(items)
    });
    parsed.map_err(|e| {
        if too_many.get() {
            ItemsError::TooMany(max_items)
        } else {
            ItemsError::Malformed(e)
        }
    })
}

/// One JSON value read as an article candidate: its object, or the kind of value it is instead.
pub fn parse_one(text: &str) -> serde_json::Result<Result<Map<String, Value>, &'static str>> {
    serde_json::from_str::<Item>(text).map(|i| i.0)
}

/// An item of an array: an object, or the kind of what was found instead (read past, not kept).
struct Item(Result<Map<String, Value>, &'static str>);

impl<'de> de::Deserialize<'de> for Item {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Item, D::Error> {
        d.deserialize_any(ItemVisitor).map(Item)
    }
}

pub(super) struct ItemVisitor;

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = Result<Map<String, Value>, &'static str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut m = Map::new();
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            m.insert(k, v);
        }
        Ok(Ok(m))
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
            ItemVisitor.$name(v).map(Top::one)
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
        ItemVisitor.visit_map(map).map(Top::one)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Items, A::Error> {
        let mut pieces = Vec::new();
        let mut count = 0usize;
        while let Some(Item(item)) = seq.next_element::<Item>()? {
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
        assert_eq!(parse_one("[1]").unwrap(), Err("an array"));
    }
}
