//! Atom text constructs (`title`, `summary`, `content`, …) rewritten into the three types feed-rs
//! reads (`text`, `html`, `xhtml`), as feedparser reads them: base64 (Atom 0.3 `mode="base64"`,
//! Atom 1.0 a non-text, non-XML media type such as `application/octet-stream`) decoded and kept
//! as html; Atom 0.3 `mode="escaped"` as html; inline XML (`application/xhtml+xml`, any `+xml`,
//! and Atom 0.3 markup left naked in an element of no type) as xhtml; other text types
//! (`text/plain`, `TEXT`, an empty type) as text. feed-rs refuses the media types, keeps base64
//! undecoded, keeps only the text before naked markup, and panics on `text/plain` in some places.

use base64::Engine as _;
use quick_xml::events::{BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

const TEXT_CONSTRUCTS: [&str; 8] = [
    "title",
    "subtitle",
    "tagline",
    "summary",
    "content",
    "rights",
    "copyright",
    "info",
];

/// The Atom document with its text constructs rewritten, or `None` when it needs nothing (or is
/// not well-formed enough to rewrite: feed-rs then says what is wrong with it).
pub fn rewrite(text: &str, atom_03: bool) -> Option<String> {
    if !text.contains("type=") && !text.contains("mode=") && !atom_03 {
        return None;
    }
    let mut reader = Reader::from_str(text);
    let mut writer = Writer::new(Vec::with_capacity(text.len() + 64));
    let mut changed = false;
    loop {
        match reader.read_event().ok()? {
            Event::Eof => break,
            Event::Start(start) if TEXT_CONSTRUCTS.contains(&start.local_name().as_ref()) => {
                let start = start.into_owned();
                let inner = super::inner_events(&mut reader)?;
                changed |= write_text_construct(&mut writer, start, inner, atom_03)?;
            }
            event => writer.write_event(event).ok()?,
        }
    }
    changed.then(|| String::from_utf8(writer.into_inner()).ok())?
}

/// How feedparser reads a text construct of this `type` and `mode`.
#[derive(Debug, PartialEq)]
enum Reading {
    AsIs,
    Base64,
    Type(&'static str),
}

fn reading(kind: Option<&str>, mode: Option<&str>, has_children: bool, atom_03: bool) -> Reading {
    let lower = kind.map(str::to_ascii_lowercase);
    let xml_type = |t: &str| t.ends_with("+xml") || t.ends_with("/xml");
    let known = |t: &'static str| match kind == Some(t) {
        true => Reading::AsIs,
        false => Reading::Type(t),
    };
    match (lower.as_deref(), mode) {
        (_, Some("base64")) => Reading::Base64,
        (_, Some("escaped")) => Reading::Type("html"),
        (_, _) if atom_03 && has_children => Reading::Type("xhtml"),
        (Some("text/html"), _) if atom_03 => Reading::Type("html"),
        (Some("text/html"), _) => Reading::AsIs,
        (Some("text"), _) => known("text"),
        (Some("html"), _) => known("html"),
        (Some("xhtml"), _) => known("xhtml"),
        (Some(t), _) if xml_type(t) => Reading::Type("xhtml"),
        (Some(t), _) if t.starts_with("text/") || !t.contains('/') => Reading::Type("text"),
        (Some(_), _) => Reading::Base64,
        (None, _) => Reading::AsIs,
    }
}

/// Writes one text construct, rewritten as [`reading`] says; whether it changed anything.
fn write_text_construct(
    writer: &mut Writer<Vec<u8>>,
    start: BytesStart<'static>,
    inner: Vec<Event<'static>>,
    atom_03: bool,
) -> Option<bool> {
    let attribute = |name: &str| {
        start.try_get_attribute(name).ok().flatten().and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
    };
    let kind = attribute("type");
    let mode = attribute("mode");
    let has_src = attribute("src").is_some();
    let has_children = inner
        .iter()
        .any(|e| matches!(e, Event::Start(_) | Event::Empty(_)));
    let reading = match has_src {
        true => Reading::AsIs,
        false => reading(kind.as_deref(), mode.as_deref(), has_children, atom_03),
    };
    let end = start.to_end().into_owned();
    let retyped = |new_type: &str| {
        let mut element = BytesStart::new(start.name().as_ref().to_owned());
        for a in start.attributes().flatten() {
            if a.key.as_ref() != "type" && a.key.as_ref() != "mode" {
                element.push_attribute(a);
            }
        }
        element.push_attribute(("type", new_type));
        element
    };
    let (head, body) = match reading {
        Reading::AsIs => (start.clone(), inner),
        Reading::Type(t) => (retyped(t), inner),
        Reading::Base64 => {
            let mut encoded = String::new();
            for event in &inner {
                match event {
                    Event::Text(t) => encoded.push_str(&t.xml10_content()),
                    Event::CData(c) => encoded.push_str(&c.xml10_content()),
                    _ => {}
                }
            }
            encoded.retain(|c| !c.is_ascii_whitespace());
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(encoded.as_bytes())
                .ok()?;
            let decoded = String::from_utf8_lossy(&decoded).into_owned();
            (
                retyped("html"),
                vec![Event::Text(BytesText::new(&decoded).into_owned())],
            )
        }
    };
    let changed = head.attributes_raw() != start.attributes_raw() || head.name() != start.name();
    let changed = changed || matches!(reading, Reading::Base64);
    writer.write_event(Event::Start(head)).ok()?;
    for event in body {
        writer.write_event(event).ok()?;
    }
    writer.write_event(Event::End(end)).ok()?;
    Some(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_type_is_read_as_feedparser_reads_it() {
        assert_eq!(
            reading(Some("text/plain"), None, false, false),
            Reading::Type("text")
        );
        assert_eq!(reading(Some(""), None, false, false), Reading::Type("text"));
        assert_eq!(
            reading(Some("TEXT"), None, false, false),
            Reading::Type("text")
        );
        assert_eq!(reading(Some("html"), None, false, false), Reading::AsIs);
        assert_eq!(
            reading(Some("application/xhtml+xml"), None, true, false),
            Reading::Type("xhtml")
        );
        assert_eq!(
            reading(Some("application/octet-stream"), None, false, false),
            Reading::Base64
        );
        assert_eq!(reading(None, Some("base64"), false, true), Reading::Base64);
        assert_eq!(
            reading(None, Some("escaped"), false, true),
            Reading::Type("html")
        );
        assert_eq!(reading(None, None, true, true), Reading::Type("xhtml"));
        assert_eq!(reading(None, None, false, true), Reading::AsIs);
    }

    #[test]
    fn base64_text_is_decoded_as_html() {
        let xml = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title type="application/octet-stream">RXhhbXBsZSA8Yj5BdG9tPC9iPg==</title></feed>"#;
        let rewritten = rewrite(xml, false).unwrap();
        assert!(
            rewritten.contains(r#"<title type="html">Example &lt;b&gt;Atom&lt;/b&gt;</title>"#),
            "{rewritten}"
        );
    }

    #[test]
    fn a_document_without_types_is_left_alone() {
        let xml = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title></feed>"#;
        assert_eq!(rewrite(xml, false), None);
        assert_eq!(rewrite("<feed><title type='html'>unclosed", false), None);
    }
}
