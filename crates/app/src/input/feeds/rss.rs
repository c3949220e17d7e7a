//! RSS elements feedparser reads and feed-rs does not, renamed to the ones feed-rs reads, and
//! markup left naked inside a text element kept as that element's text:
//!
//! - Dublin Core and DC Terms in a channel or item: `dc:title`, `dc:description`, `dcterms:issued`
//!   and `dcterms:created` (published), `dcterms:modified` (updated), a channel's `dc:date`
//!   (updated), when the element they stand in for is absent;
//! - an item's full text as `fullitem` or as an XHTML `body`: its `content:encoded`;
//! - `<description><p>…</p></description>`: the markup is the description's text (feed-rs reads
//!   only the text around it).

use quick_xml::events::{BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};
use std::collections::HashSet;

const CONTENT_NAMESPACE: &str = "http://purl.org/rss/1.0/modules/content/";

/// What `name` stands for in an element called `parent`, and the element feed-rs reads for it.
fn stand_in(parent: &str, name: &str) -> Option<&'static str> {
    let in_item = parent == "item";
    let in_channel = parent == "channel";
    if !in_item && !in_channel {
        return None;
    }
    Some(match name {
        "dc:title" => "title",
        "dc:description" => "description",
        "dcterms:issued" | "dcterms:created" => "pubDate",
        "dcterms:modified" => "updated",
        "dc:date" if in_channel => "updated",
        "fullitem" | "body" | "xhtml:body" if in_item => "content:encoded",
        _ => return None,
    })
}

/// Elements whose content is text, where markup left naked is kept as text.
const TEXT_ELEMENTS: [&str; 3] = ["title", "description", "content:encoded"];

/// The RSS document rewritten, or `None` when it needs nothing (or cannot be rewritten).
pub fn rewrite(text: &str) -> Option<String> {
    let children = children_by_element(text)?;
    let mut reader = Reader::from_str(text);
    let mut writer = Writer::new(Vec::with_capacity(text.len() + 64));
    // (element number, name as written) of each open element.
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut number = 0usize;
    let mut changed = false;
    loop {
        let event = reader.read_event().ok()?;
        let (start, empty) = match event {
            Event::Eof => break,
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                let (_, name) = stack.pop()?;
                writer
                    .write_event(Event::End(quick_xml::events::BytesEnd::new(name)))
                    .ok()?;
                continue;
            }
            other => {
                writer.write_event(other).ok()?;
                continue;
            }
        };
        let this = number;
        number += 1;
        let parent = stack.last();
        let target = parent.and_then(|(n, parent_name)| {
            stand_in(parent_name, start.name().as_ref()).filter(|t| !children[*n].contains(*t))
        });
        let in_text_parent = parent.is_some_and(|(_, p)| p == "item" || p == "channel");
        let mut head = start.into_owned();
        if let Some(target) = target {
            let mut renamed = BytesStart::new(target);
            if target == "content:encoded" {
                renamed.push_attribute(("xmlns:content", CONTENT_NAMESPACE));
            }
            head = renamed;
            changed = true;
        }
        let name = head.name().as_ref().to_owned();
        if empty {
            writer.write_event(Event::Empty(head)).ok()?;
            continue;
        }
        let is_text = in_text_parent && TEXT_ELEMENTS.contains(&name.as_str());
        if !is_text {
            writer.write_event(Event::Start(head)).ok()?;
            stack.push((this, name));
            continue;
        }
        // A text element: its inner events, and whether any is an element.
        let inner = super::inner_events(&mut reader)?;
        let elements = inner
            .iter()
            .filter(|e| matches!(e, Event::Start(_) | Event::Empty(_)))
            .count();
        // Elements are numbered in document order, those inside a text element too.
        number += elements;
        let end = quick_xml::events::BytesEnd::new(name);
        writer.write_event(Event::Start(head)).ok()?;
        if elements > 0 {
            let mut markup = Writer::new(Vec::new());
            for event in inner {
                markup.write_event(event).ok()?;
            }
            let markup = String::from_utf8(markup.into_inner()).ok()?;
            writer
                .write_event(Event::Text(BytesText::new(markup.trim())))
                .ok()?;
            changed = true;
        } else {
            for event in inner {
                writer.write_event(event).ok()?;
            }
        }
        writer.write_event(Event::End(end)).ok()?;
    }
    changed.then(|| String::from_utf8(writer.into_inner()).ok())?
}

/// The names of each element's children, by the element's number in document order.
fn children_by_element(text: &str) -> Option<Vec<HashSet<String>>> {
    let mut children: Vec<HashSet<String>> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut reader = Reader::from_str(text);
    loop {
        let (element, empty) = match reader.read_event().ok()? {
            Event::Eof => break,
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                stack.pop();
                continue;
            }
            _ => continue,
        };
        if let Some(&parent) = stack.last() {
            children[parent].insert(element.name().as_ref().to_owned());
        }
        children.push(HashSet::new());
        if !empty {
            stack.push(children.len() - 1);
        }
    }
    Some(children)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dublin_core_stands_in_for_what_is_absent() {
        let xml = r#"<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Wire</title><dc:title>Other</dc:title><item><dc:title>Bridge opens</dc:title></item></channel></rss>"#;
        let rewritten = rewrite(xml).unwrap();
        assert!(
            rewritten.contains("<title>Wire</title><dc:title>Other</dc:title>"),
            "{rewritten}"
        );
        assert!(
            rewritten.contains("<item><title>Bridge opens</title></item>"),
            "{rewritten}"
        );
    }

    #[test]
    fn naked_markup_is_the_text() {
        let xml = r#"<rss version="2.0"><channel><item><description><p>Example <b>description</b></p></description></item></channel></rss>"#;
        let rewritten = rewrite(xml).unwrap();
        assert!(
            rewritten.contains("<description>&lt;p&gt;Example &lt;b&gt;description&lt;/b&gt;&lt;/p&gt;</description>"),
            "{rewritten}"
        );
        assert_eq!(
            rewrite(r#"<rss version="2.0"><channel><item><title>A</title></item></channel></rss>"#),
            None
        );
    }
}
