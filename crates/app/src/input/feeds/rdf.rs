//! RSS 1.0 (RDF) items by their `rdf:about`, the item's URI, which feedparser takes as its id
//! and feed-rs ignores; feed-rs also drops an item without a `<link>`, so such an item is given
//! its `rdf:about` as link (RSS 1.0 says the two should be the same).

use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

/// The RDF document with a `<link>` added to each item that has an `rdf:about` and no link,
/// and the `rdf:about` of each item feed-rs will keep (one with a link), in order; `None` when
/// nothing is to be added or the document cannot be rewritten.
pub fn items_by_about(text: &str) -> Option<(Option<String>, Vec<Option<String>>)> {
    let mut reader = Reader::from_str(text);
    let mut writer = Writer::new(Vec::with_capacity(text.len() + 64));
    let mut abouts = Vec::new();
    let mut added = false;
    loop {
        match reader.read_event().ok()? {
            Event::Eof => break,
            Event::Start(start) if start.local_name().as_ref() == "item" => {
                let start = start.into_owned();
                let about = start
                    .attributes()
                    .flatten()
                    .find(|a| {
                        a.key.as_ref() == "rdf:about" || a.key.local_name().as_ref() == "about"
                    })
                    .and_then(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .ok()
                            .map(|v| v.trim().to_owned())
                    })
                    .filter(|v| !v.is_empty());
                let mut inner = Vec::new();
                let mut depth = 0usize;
                let mut has_link = false;
                loop {
                    let event = reader.read_event().ok()?.into_owned();
                    match &event {
                        Event::Eof => return None,
                        Event::Start(e) | Event::Empty(e) if depth == 0 => {
                            has_link |= e.local_name().as_ref() == "link";
                            depth += matches!(event, Event::Start(_)) as usize;
                        }
                        Event::Start(_) => depth += 1,
                        Event::End(_) if depth == 0 => break,
                        Event::End(_) => depth -= 1,
                        _ => {}
                    }
                    inner.push(event);
                }
                writer.write_event(Event::Start(start.borrow())).ok()?;
                if let (false, Some(about)) = (has_link, &about) {
                    writer
                        .write_event(Event::Start(BytesStart::new("link")))
                        .ok()?;
                    writer
                        .write_event(Event::Text(BytesText::new(about)))
                        .ok()?;
                    writer.write_event(Event::End(BytesEnd::new("link"))).ok()?;
                    added = true;
                }
                for event in inner {
                    writer.write_event(event).ok()?;
                }
                writer.write_event(Event::End(start.to_end())).ok()?;
                if has_link || about.is_some() {
                    abouts.push(about);
                }
            }
            event => writer.write_event(event).ok()?,
        }
    }
    if !added && abouts.iter().all(Option::is_none) {
        return None;
    }
    let rewritten = match added {
        true => Some(String::from_utf8(writer.into_inner()).ok()?),
        false => None,
    };
    Some((rewritten, abouts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_without_a_link_takes_its_about() {
        let xml = r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><item rdf:about="http://127.0.0.1/1"><title>One</title></item><item rdf:about="http://127.0.0.1/2"><link>http://127.0.0.1/2b</link></item></rdf:RDF>"#;
        let (rewritten, abouts) = items_by_about(xml).unwrap();
        let rewritten = rewritten.unwrap();
        assert!(
            rewritten.contains(
                r#"<item rdf:about="http://127.0.0.1/1"><link>http://127.0.0.1/1</link><title>"#
            ),
            "{rewritten}"
        );
        assert_eq!(
            abouts,
            vec![
                Some("http://127.0.0.1/1".into()),
                Some("http://127.0.0.1/2".into())
            ]
        );
    }
}
