//! RSS 2.0, RSS 1.0/RDF, Atom and JSON Feed files (feed-rs): one article per item, its content or
//! else its summary as text (markup taken out; the title when the item has neither, with a
//! warning: a headline is an article too), its link (canonical, see [`super::html`]) as url and
//! id, the feed's title as the outlet. An item with no text and no title is an error naming the
//! item; a file that is not a feed is one error.
//!
//! feed-rs parses; what it refuses, drops or misreads and feedparser reads is mended first, each
//! fix measured on feedparser's conformance suite (BENCHMARKS.md §9):
//! - here: the RSS root (a default namespace, no channel, no version or one feed-rs does not
//!   know), Atom 0.3 and its drafts' namespaces, RSS 0.90's namespace; an RSS guid taken as the
//!   link when it is a permalink; Atom `text/plain` kept with its brackets;
//! - [`atom_text`]: Atom text constructs of any type and mode (base64, escaped, inline XML);
//! - [`rss`]: Dublin Core and DC Terms elements, `fullitem` and `xhtml:body`, naked markup;
//! - [`rdf`]: RSS 1.0 items by their `rdf:about` (id; link when they have none).

mod atom_text;
mod rdf;
mod rss;

use super::html::{canonical_url, fragment_text};
use super::{InputError, Record};
use samestory_engine::{Article, Origin};
use std::borrow::Cow;

/// The events inside an element whose start `reader` has just read, up to its end (read, not
/// returned); `None` when the document ends first or is not well formed.
fn inner_events(
    reader: &mut quick_xml::Reader<&[u8]>,
) -> Option<Vec<quick_xml::events::Event<'static>>> {
    use quick_xml::events::Event;
    let mut inner = Vec::new();
    let mut depth = 0usize;
    loop {
        let event = reader.read_event().ok()?.into_owned();
        match &event {
            Event::Eof => return None,
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return Some(inner),
            Event::End(_) => depth -= 1,
            _ => {}
        }
        inner.push(event);
    }
}

/// One item of a feed as samestory reads it, before it becomes an article.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// 1-based, in the feed's order.
    pub number: usize,
    pub title: Option<String>,
    /// The item's link (its `alternate` link, else its first), canonical.
    pub url: Option<String>,
    /// The item's own id (`guid`, Atom `id`), when it has one.
    pub guid: Option<String>,
    /// The item's content, markup taken out.
    pub content: Option<String>,
    /// The content's media type as the feed declares it (`text/plain`, `text/html`,
    /// `application/xhtml+xml`, …), and where the content is when it is not inline (Atom `src`).
    pub content_type: Option<String>,
    pub content_src: Option<String>,
    /// Its summary (RSS `description`), markup taken out.
    pub summary: Option<String>,
    /// Unix seconds: published, else updated (the date samestory keeps).
    pub published: Option<i64>,
    /// Unix seconds: updated, as the item gives it.
    pub updated: Option<i64>,
    pub authors: Vec<String>,
}

/// A feed parsed: its title, link, id, description and dates, its time to live (RSS `<ttl>`,
/// minutes) and its items in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    pub title: Option<String>,
    /// The feed's own page (its `alternate` link, else its first), as the feed gives it.
    pub link: Option<String>,
    /// Atom's feed `id` (RSS has none).
    pub id: Option<String>,
    /// RSS `description`, Atom `subtitle`, markup taken out.
    pub description: Option<String>,
    /// Unix seconds, as the feed gives them.
    pub published: Option<i64>,
    pub updated: Option<i64>,
    pub ttl_minutes: Option<u32>,
    pub items: Vec<Item>,
}

/// Parses a feed, or says why it is not one that can be read.
pub fn parse(bytes: &[u8]) -> Result<Parsed, String> {
    // Ids of items without one are left empty (feed-rs would hash them): the url then makes it.
    let parser = feed_rs::parser::Builder::new()
        .id_generator(|_links, _title, _uri| String::new())
        .build();
    let decoded = as_utf8(bytes);
    let bytes: &[u8] = &decoded;
    // feed-rs reads an RSS root in a default namespace, Atom 0.3 and RSS 0.90 as an empty feed,
    // without an error.
    let bytes = &mend_rss_root(bytes, false)
        .or_else(|| atom_03_as_10(bytes))
        .or_else(|| rss_090_as_10(bytes))
        .map_or(Cow::Borrowed(bytes), Cow::Owned);
    let root = root_name(bytes);
    let bytes = &match std::str::from_utf8(bytes) {
        Ok(text) if matches!(root.as_deref(), Some("feed" | "entry")) => {
            atom_text::rewrite(text, was_atom_03(bytes))
                .map_or(Cow::Borrowed(&bytes[..]), |t| Cow::Owned(t.into_bytes()))
        }
        _ => Cow::Borrowed(&bytes[..]),
    };
    let bytes = &match std::str::from_utf8(bytes) {
        Ok(text) if root.as_deref() == Some("rss") => {
            rss::rewrite(text).map_or(Cow::Borrowed(&bytes[..]), |t| Cow::Owned(t.into_bytes()))
        }
        _ => Cow::Borrowed(&bytes[..]),
    };
    let (rdf_rewritten, abouts) = match std::str::from_utf8(bytes) {
        Ok(text) if root.as_deref().is_some_and(|r| r.ends_with("RDF")) => {
            rdf::items_by_about(text).unwrap_or_default()
        }
        _ => (None, Vec::new()),
    };
    let bytes = &rdf_rewritten.map_or(Cow::Borrowed(&bytes[..]), |t| Cow::Owned(t.into_bytes()));
    let feed = match parse_guarded(&parser, bytes) {
        Ok(Ok(feed)) => feed,
        Ok(Err(e)) => {
            let mended =
                mend(bytes, &e).ok_or_else(|| format!("not a feed that can be read: {e}"))?;
            parse_guarded(&parser, &mended)?
                .map_err(|_| format!("not a feed that can be read: {e}"))?
        }
        Err(panic) => return Err(panic),
    };
    let atom = feed.feed_type == feed_rs::model::FeedType::Atom;
    // Atom says which text is markup; plain text keeps its angle brackets.
    let text_of = |t: feed_rs::model::Text| match atom && t.content_type.subty() == "plain" {
        true => collapse_spaces(&t.content),
        false => fragment_text(&t.content),
    };
    let title = feed.title.map(text_of).filter(|t| !t.is_empty());
    let abouts_fit =
        feed.feed_type == feed_rs::model::FeedType::RSS1 && abouts.len() == feed.entries.len();
    let mut abouts = abouts.into_iter();
    let permalink_guids = !bytes
        .windows(19)
        .any(|w| w.eq_ignore_ascii_case(b"isPermaLink=\"false\""));
    let items = feed
        .entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let content_type = entry.content.as_ref().map(|c| c.content_type.to_string());
            let content_src = entry
                .content
                .as_ref()
                .and_then(|c| c.src.as_ref())
                .map(|l| l.href.clone());
            let content = entry
                .content
                .and_then(|c| {
                    let plain = atom && c.content_type.subty() == "plain";
                    c.body.map(|b| match plain {
                        true => collapse_spaces(&b),
                        false => fragment_text(&b),
                    })
                })
                .filter(|t| !t.is_empty());
            let summary = entry.summary.map(text_of).filter(|t| !t.is_empty());
            let about = abouts.next().flatten().filter(|_| abouts_fit);
            let guid = Some(entry.id.trim().to_owned())
                .filter(|g| !g.is_empty())
                .or(about);
            // An RSS guid is the item's permalink unless it says otherwise (as feedparser reads
            // it), and a link is what a watched feed's item is fetched from.
            let link = alternate_link(&entry.links).or_else(|| {
                guid.clone()
                    .filter(|g| permalink_guids && !atom && is_web_url(g))
            });
            Item {
                number: i + 1,
                title: entry.title.map(text_of).filter(|t| !t.is_empty()),
                url: link.as_deref().and_then(canonical_url),
                guid,
                content,
                content_type,
                content_src,
                summary,
                published: entry.published.or(entry.updated).map(|t| t.timestamp()),
                updated: entry.updated.map(|t| t.timestamp()),
                authors: entry.authors.into_iter().filter_map(|p| p.name).collect(),
            }
        })
        .collect();
    Ok(Parsed {
        title,
        link: alternate_link(&feed.links),
        id: Some(feed.id.trim().to_owned()).filter(|id| !id.is_empty()),
        description: feed.description.map(text_of).filter(|t| !t.is_empty()),
        published: feed.published.map(|t| t.timestamp()),
        updated: feed.updated.map(|t| t.timestamp()),
        ttl_minutes: feed.ttl,
        items,
    })
}

/// The `alternate` link of a feed or item, else its first.
fn alternate_link(links: &[feed_rs::model::Link]) -> Option<String> {
    links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or(links.first())
        .map(|l| l.href.clone())
}

fn is_web_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The name of the document's root element (comments, declarations and processing
/// instructions before it skipped), as written (`rss`, `rdf:RDF`, `feed`).
fn root_name(bytes: &[u8]) -> Option<String> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buffer = Vec::new();
    loop {
        match reader.read_event_into(&mut buffer).ok()? {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                return Some(e.name().as_ref().to_owned());
            }
            quick_xml::events::Event::Eof => return None,
            _ => buffer.clear(),
        }
    }
}

/// The feed as UTF-8: a byte-order mark (UTF-32, UTF-16 or UTF-8), `<?` in UTF-16 or UTF-32, or an
/// `encoding` named in the XML prolog decides how it is read, and the prolog then says UTF-8.
/// feed-rs reads UTF-8 only (a UTF-16 feed made it panic), and the rewriters of this module work
/// on UTF-8 text.
fn as_utf8(bytes: &[u8]) -> Cow<'_, [u8]> {
    if let Some(text) = utf32(bytes) {
        return Cow::Owned(prolog_as_utf8(&text).into_bytes());
    }
    let (encoding, start) = match encoding_rs::Encoding::for_bom(bytes) {
        Some((encoding, bom)) => (encoding, bom),
        // No mark, but `<?` in UTF-16 (the XML standard's autodetection, appendix F).
        None if bytes.starts_with(&[0, b'<', 0, b'?']) => (encoding_rs::UTF_16BE, 0),
        None if bytes.starts_with(&[b'<', 0, b'?', 0]) => (encoding_rs::UTF_16LE, 0),
        None => match declared_encoding(bytes) {
            Some(e) if e != encoding_rs::UTF_8 => (e, 0),
            _ => return Cow::Borrowed(bytes),
        },
    };
    let text = encoding.decode_without_bom_handling(&bytes[start..]).0;
    Cow::Owned(prolog_as_utf8(&text).into_bytes())
}

/// A UTF-32 feed (a byte-order mark, or `<` as its first four bytes), decoded (encoding_rs has no
/// UTF-32); a code point that is not a character becomes U+FFFD.
fn utf32(bytes: &[u8]) -> Option<String> {
    let (big_endian, start) = if bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        (true, 4)
    } else if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
        (false, 4)
    } else if bytes.starts_with(&[0, 0, 0, b'<']) {
        (true, 0)
    } else if bytes.starts_with(&[b'<', 0, 0, 0]) {
        (false, 0)
    } else {
        return None;
    };
    let text = bytes[start..]
        .chunks(4)
        .map(|unit| {
            let mut word = [0u8; 4];
            word[..unit.len()].copy_from_slice(unit);
            let code = if big_endian {
                u32::from_be_bytes(word)
            } else {
                u32::from_le_bytes(word)
            };
            char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
        })
        .collect();
    Some(text)
}

/// The encoding an ASCII XML prolog names (`<?xml version="1.0" encoding="X"?>`) when encoding_rs
/// knows it and it is not UTF-16 (bytes without a byte-order mark that read as ASCII are not
/// UTF-16, whatever they say).
fn declared_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(512)];
    let end = head.windows(2).position(|w| w == b"?>")?;
    let prolog = std::str::from_utf8(head.strip_prefix(b"<?xml")?.get(..end - 5)?).ok()?;
    let label = prolog_encoding(prolog)?.1;
    let encoding = encoding_rs::Encoding::for_label(label.trim().as_bytes())?;
    (encoding != encoding_rs::UTF_16LE && encoding != encoding_rs::UTF_16BE).then_some(encoding)
}

/// Where the `encoding="…"` attribute of a prolog starts and ends, and its value.
fn prolog_encoding(prolog: &str) -> Option<(usize, &str, usize)> {
    let at = prolog.find("encoding")?;
    let rest = &prolog[at + "encoding".len()..];
    let value = rest.trim_start().strip_prefix('=')?.trim_start();
    let quote = value.chars().next().filter(|q| matches!(q, '"' | '\''))?;
    let len = value[1..].find(quote)?;
    let value_at = prolog.len() - value.len();
    Some((at, &value[1..1 + len], value_at + len + 2))
}

/// `text` with the `encoding` of its XML prolog, if any, made `utf-8`.
fn prolog_as_utf8(text: &str) -> String {
    let prolog = text
        .strip_prefix("<?xml")
        .and_then(|_| text.find("?>"))
        .map(|end| &text[..end]);
    match prolog.and_then(prolog_encoding) {
        Some((start, _, end)) => format!("{}encoding=\"utf-8\"{}", &text[..start], &text[end..]),
        None => text.to_owned(),
    }
}

/// The RSS root without a default namespace (`<rss xmlns="…">` puts every element in it, and
/// feed-rs then finds nothing) and with a version feed-rs knows (it finds no root otherwise) and, with `wrap`, its items put in a `<channel>` when it has none
/// (feed-rs finds no root then); `None` when there is nothing to mend.
fn mend_rss_root(bytes: &[u8], wrap: bool) -> Option<Vec<u8>> {
    let head = &bytes[..bytes.len().min(4096)];
    let root = head.windows(4).position(|w| w == b"<rss")?;
    let text = std::str::from_utf8(bytes).ok()?;
    let end = root + text[root..].find('>')?;
    let mut tag = text[root..end].to_owned();
    if let Some(at) = tag.find(" xmlns=") {
        let quote = tag[at + 7..].chars().next()?;
        let close = at + 8 + tag[at + 8..].find(quote)?;
        tag.replace_range(at..=close, "");
    }
    // feed-rs reads no RSS root without a version or of a version it does not know (0.93,
    // 0.94, 2.01…); feedparser reads them as RSS.
    let version = tag.find("version=").and_then(|at| {
        let quote = tag[at + 8..].chars().next()?;
        let len = tag[at + 9..].find(quote)?;
        Some((at, at + 9 + len, tag[at + 9..at + 9 + len].to_owned()))
    });
    match version {
        None => tag.push_str(" version=\"2.0\""),
        Some((_, _, v)) if ["2.0", "0.91", "0.92", ""].contains(&v.as_str()) => {}
        Some((at, close, _)) => tag.replace_range(at..=close, "version=\"2.0\""),
    }
    let body = &text[end + 1..];
    let wrap = wrap && !body.contains("<channel");
    if tag.len() == end - root && !wrap {
        return None;
    }
    let mut mended = String::with_capacity(text.len() + 32);
    mended.push_str(&text[..root]);
    mended.push_str(&tag);
    mended.push('>');
    match (wrap, body.rfind("</rss")) {
        (true, Some(close)) => {
            mended.push_str("<channel>");
            mended.push_str(&body[..close]);
            mended.push_str("</channel>");
            mended.push_str(&body[close..]);
        }
        _ => mended.push_str(body),
    }
    Some(mended.into_bytes())
}

/// feed-rs's parse, with a panic inside it (an assertion in its Media RSS reader fails on some
/// Atom text types) turned into an error naming it, so that one feed cannot stop a whole run.
fn parse_guarded(
    parser: &feed_rs::parser::Parser,
    bytes: &[u8],
) -> Result<Result<feed_rs::model::Feed, feed_rs::parser::ParseFeedError>, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser.parse(bytes))).map_err(
        |panic| {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            format!("not a feed that can be read: the feed parser failed ({why})")
        },
    )
}

/// The namespaces of Atom 0.3 and of its drafts (Echo, Necho, Pie), which feed-rs does not know.
const ATOM_03_NAMESPACES: [&str; 5] = [
    "http://purl.org/atom/ns#",
    "http://example.com/newformat#",
    "http://example.com/necho",
    "http://purl.org/echo/",
    "http://purl.org/pie/",
];

fn atom_03_namespace(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(4096)];
    ATOM_03_NAMESPACES.into_iter().find(|ns| {
        let attribute = format!("=\"{ns}\"");
        head.windows(attribute.len())
            .any(|w| w == attribute.as_bytes())
    })
}

/// Whether the document was Atom 0.3 before [`atom_03_as_10`] (which keeps `version="0.3"`).
fn was_atom_03(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    head.windows(13).any(|w| w == b"version=\"0.3\"")
}

/// An Atom 0.3 feed in Atom 1.0's namespace, its `issued` and `modified` dates as `published`
/// and `updated` (what feedparser maps them to); `None` for any other document.
fn atom_03_as_10(bytes: &[u8]) -> Option<Vec<u8>> {
    let namespace = atom_03_namespace(bytes)?;
    let text = std::str::from_utf8(bytes).ok()?;
    let mut mended = text.replace(namespace, "http://www.w3.org/2005/Atom");
    for (old, new) in [("issued", "published"), ("modified", "updated")] {
        for (open, close) in [("<", ">"), ("</", ">"), ("<", " ")] {
            mended = mended.replace(
                &format!("{open}{old}{close}"),
                &format!("{open}{new}{close}"),
            );
        }
    }
    Some(mended.into_bytes())
}

/// An RSS 0.90 feed (an RDF document in Netscape's namespace, which feed-rs does not know) in
/// RSS 1.0's namespace, which has the same elements.
fn rss_090_as_10(bytes: &[u8]) -> Option<Vec<u8>> {
    const RSS_090: &str = "http://my.netscape.com/rdf/simple/0.9/";
    let head = &bytes[..bytes.len().min(4096)];
    head.windows(RSS_090.len())
        .position(|w| w == RSS_090.as_bytes())?;
    let text = std::str::from_utf8(bytes).ok()?;
    Some(
        text.replace(RSS_090, "http://purl.org/rss/1.0/")
            .into_bytes(),
    )
}

/// The feed with what feed-rs refuses and feedparser reads mended, when that is the reason of
/// `error`: RSS items without a `<channel>` (feed-rs finds no root), and Atom text constructs
/// whose `type` is not one Atom defines (`type=""`, `type="TEXT"`): read as text, as feedparser
/// reads them.
fn mend(bytes: &[u8], error: &feed_rs::parser::ParseFeedError) -> Option<Vec<u8>> {
    use feed_rs::parser::{ParseErrorKind, ParseFeedError};
    let text = std::str::from_utf8(bytes).ok()?;
    match error {
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => mend_rss_root(bytes, true),
        ParseFeedError::ParseError(ParseErrorKind::UnknownMimeType { .. }) => {
            let mut mended = String::with_capacity(text.len());
            let mut rest = text;
            let mut changed = false;
            while let Some(at) = rest.find("type=") {
                let (before, after) = rest.split_at(at + 5);
                mended.push_str(before);
                let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'');
                let Some(quote) = quote else {
                    rest = after;
                    continue;
                };
                let Some(len) = after[1..].find(quote) else {
                    rest = after;
                    continue;
                };
                let value = &after[1..1 + len];
                // What Atom text constructs take (feed-rs refuses the rest): an empty or
                // unknown text type is read as text.
                let known = ["text", "html", "xhtml", "text/html"];
                let text_like = !value.contains('/') || value.starts_with("text/");
                if text_like && !known.contains(&value) {
                    mended.push_str(&format!("{quote}text{quote}"));
                    changed = true;
                } else {
                    mended.push_str(&after[..len + 2]);
                }
                rest = &after[len + 2..];
            }
            mended.push_str(rest);
            changed.then(|| mended.into_bytes())
        }
        _ => None,
    }
}

impl Item {
    /// How errors and warnings name the item: its number and the start of its title.
    pub fn label(&self) -> String {
        match &self.title {
            Some(t) => format!(
                "item {} ({:?})",
                self.number,
                t.chars().take(60).collect::<String>()
            ),
            None => format!("item {}", self.number),
        }
    }

    /// The item as an article of its own text (content, else summary, else the title with a
    /// warning), its id from its link, else its guid; the outlet is the feed's title. An error
    /// (the message, without the file) when it has no text or too much.
    pub fn into_article(
        self,
        outlet: Option<&str>,
        max_article_bytes: usize,
    ) -> Result<(Article, Vec<String>), String> {
        let item = self.label();
        let mut warnings = Vec::new();
        let text = match (self.content.or(self.summary), &self.title) {
            (Some(text), _) => text,
            (None, Some(title)) => {
                warnings.push(format!(
                    "{item}: no content or summary; the title is the text"
                ));
                title.clone()
            }
            (None, None) => return Err(format!("{item}: no content, summary or title; skipped")),
        };
        if text.len() > max_article_bytes {
            return Err(format!(
                "{item}: text is {} bytes, over the limit of {max_article_bytes} bytes; skipped",
                text.len()
            ));
        }
        let id = match (&self.url, self.guid) {
            (None, Some(g)) => g,
            (url, _) => Article::derive_id(url.as_deref(), self.title.as_deref(), &text),
        };
        let mut meta = serde_json::Map::new();
        if !self.authors.is_empty() {
            meta.insert("author".into(), self.authors.join("; ").into());
        }
        let article = Article {
            id,
            url: self.url,
            title: self.title,
            source: outlet.map(str::to_owned),
            published: self.published,
            text,
            meta,
            origin: None,
        };
        Ok((article, warnings))
    }
}

/// One error or article for each item of the feed in `bytes`, in order.
pub fn read(name: &str, bytes: &[u8], max_article_bytes: usize) -> Vec<Record> {
    let error = |message: String| {
        Record::Error(InputError {
            file: name.to_owned(),
            line: None,
            message,
        })
    };
    let feed = match parse(bytes) {
        Ok(f) => f,
        Err(e) => return vec![error(e)],
    };
    if feed.items.is_empty() {
        return vec![error("feed has no items".into())];
    }
    let outlet = feed.title;
    feed.items
        .into_iter()
        .map(|item| {
            let number = item.number as u64;
            match item.into_article(outlet.as_deref(), max_article_bytes) {
                Ok((mut article, warnings)) => {
                    article.origin = Some(Origin::Item {
                        of: name.to_owned(),
                        item: number,
                    });
                    Record::Article(
                        Box::new(article),
                        warnings
                            .into_iter()
                            .map(|message| InputError {
                                file: name.to_owned(),
                                line: None,
                                message,
                            })
                            .collect(),
                    )
                }
                Err(message) => error(message),
            }
        })
        .collect()
}

/// Whether a file's start says it is a feed: an `<rss`, `<feed` or `<rdf:RDF` root, or JSON
/// Feed's version url.
pub fn looks_like_feed(head: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&head[..head.len().min(4096)]).to_ascii_lowercase();
    head.contains("<rss")
        || head.contains("<feed")
        || head.contains("<rdf:rdf")
        || head.contains("jsonfeed.org/version")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(xml: &str) -> (Option<String>, Vec<Option<String>>) {
        let feed = parse(xml.as_bytes()).unwrap();
        (
            feed.title,
            feed.items.into_iter().map(|i| i.title).collect(),
        )
    }

    #[test]
    fn rss_with_a_default_namespace_is_read() {
        let xml = r#"<?xml version="1.0"?><rss xmlns="http://backend.userland.com/rss2" version="2.0"><channel><title>Wire</title><item><title>Bridge opens</title><link>http://127.0.0.1/1</link></item></channel></rss>"#;
        assert_eq!(
            titles(xml),
            (Some("Wire".into()), vec![Some("Bridge opens".into())])
        );
    }

    #[test]
    fn rss_items_without_a_channel_are_read() {
        let xml = "<rss version=\"2.0\"><item><title>Bridge opens</title><description>A &lt;b&gt;new&lt;/b&gt; bridge</description></item></rss>";
        let feed = parse(xml.as_bytes()).unwrap();
        assert_eq!(feed.items.len(), 1);
        assert_eq!(feed.items[0].summary.as_deref(), Some("A new bridge"));
    }

    #[test]
    fn atom_text_of_an_unknown_type_is_text() {
        let xml = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title type="">Wire</title><id>urn:w</id><updated>2026-12-01T00:00:00Z</updated><entry><title type="TEXT">Bridge opens</title><id>urn:1</id><updated>2026-12-01T00:00:00Z</updated><link href="http://127.0.0.1/1?utm_source=x"/></entry></feed>"#;
        let feed = parse(xml.as_bytes()).unwrap();
        assert_eq!(feed.title.as_deref(), Some("Wire"));
        assert_eq!(feed.items[0].title.as_deref(), Some("Bridge opens"));
        assert_eq!(feed.items[0].url.as_deref(), Some("http://127.0.0.1/1"));
        assert_eq!(feed.items[0].guid.as_deref(), Some("urn:1"));
    }

    #[test]
    fn atom_03_is_read_as_atom_10() {
        let xml = r#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Wire</title><entry><title>Bridge opens</title><id>urn:1</id><issued>2004-01-01T19:48:21Z</issued><modified>2004-01-02T19:48:21Z</modified><summary>A new bridge</summary></entry></feed>"#;
        let feed = parse(xml.as_bytes()).unwrap();
        assert_eq!(feed.title.as_deref(), Some("Wire"));
        let item = &feed.items[0];
        assert_eq!(item.title.as_deref(), Some("Bridge opens"));
        assert_eq!(item.summary.as_deref(), Some("A new bridge"));
        assert_eq!(item.published, Some(1_072_986_501));
        assert_eq!(item.updated, Some(1_072_986_501 + 86_400));
    }

    /// feed-rs 3.0 panics on this one (a Media RSS assertion) when given it as it is; read as
    /// text, it is read, and its brackets are text.
    #[test]
    fn atom_text_plain_is_text_with_its_brackets() {
        let xml = r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><title type="text/plain">History of the &lt;blink&gt; tag</title><summary type="text/plain">Example Atom</summary></entry></feed>"#;
        let feed = parse(xml.as_bytes()).unwrap();
        let item = &feed.items[0];
        assert_eq!(item.summary.as_deref(), Some("Example Atom"));
        assert_eq!(item.title.as_deref(), Some("History of the <blink> tag"));
    }

    /// feed-rs 3.0 panicked on a UTF-16 feed with its byte-order mark (its XML reader's encoding
    /// is set too late); such feeds, UTF-32 ones and those whose prolog names another encoding
    /// are read as UTF-8 first.
    #[test]
    fn feeds_in_utf16_utf32_and_declared_encodings_are_read() {
        let xml = "<?xml version=\"1.0\" encoding=\"utf-16\"?><rss version=\"2.0\"><channel><title>Wire</title><item><title>Caf\u{e9} opens</title><link>http://127.0.0.1/1</link></item></channel></rss>";
        let utf16_be: Vec<u8> = [0xfe, 0xff]
            .into_iter()
            .chain(xml.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        let utf16_le: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain(xml.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let utf32_le: Vec<u8> = [0xff, 0xfe, 0, 0]
            .into_iter()
            .chain(xml.chars().flat_map(|c| u32::from(c).to_le_bytes()))
            .collect();
        let utf16_be_unmarked: Vec<u8> = xml.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let latin1 = encoding_rs::WINDOWS_1252
            .encode(&xml.replace("utf-16", "iso-8859-1"))
            .0
            .into_owned();
        assert_ne!(latin1, xml.as_bytes(), "the latin-1 feed is not UTF-8");
        for (name, bytes) in [
            ("utf-16be", utf16_be),
            ("utf-16le", utf16_le),
            ("utf-16be without a mark", utf16_be_unmarked),
            ("utf-32le", utf32_le),
            ("iso-8859-1", latin1),
        ] {
            let feed = parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(feed.title.as_deref(), Some("Wire"), "{name}");
            assert_eq!(
                feed.items[0].title.as_deref(),
                Some("Caf\u{e9} opens"),
                "{name}"
            );
        }
    }

    #[test]
    fn atom_base64_and_inline_xhtml_are_read() {
        let xml = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title type="application/xhtml+xml"><div xmlns="http://www.w3.org/1999/xhtml">Example <b>Atom</b></div></title><entry><content type="application/octet-stream">PHA+SGlzdG9yeSBvZiB0aGUgJmx0O2JsaW5rJmd0OyB0YWc8L3A+</content></entry></feed>"#;
        let feed = parse(xml.as_bytes()).unwrap();
        assert_eq!(feed.title.as_deref(), Some("Example Atom"));
        let item = &feed.items[0];
        assert_eq!(item.content.as_deref(), Some("History of the <blink> tag"));
        assert_eq!(item.content_type.as_deref(), Some("text/html"));
    }

    #[test]
    fn atom_03_base64_and_naked_markup_are_read() {
        let xml = r#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Example <b>Atom</b></title><entry><summary mode="base64">RXhhbXBsZSA8Yj5BdG9tPC9iPg==</summary></entry></feed>"#;
        let feed = parse(xml.as_bytes()).unwrap();
        assert_eq!(feed.title.as_deref(), Some("Example Atom"));
        assert_eq!(feed.items[0].summary.as_deref(), Some("Example Atom"));
    }

    #[test]
    fn rss_090_and_rdf_items_without_a_link_are_read() {
        let xml = r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel><title>Wire</title><link>http://127.0.0.1/</link><description>All the news</description></channel><item rdf:about="http://127.0.0.1/1"><title>Bridge opens</title></item></rdf:RDF>"#;
        let feed = parse(xml.as_bytes()).unwrap();
        assert_eq!(feed.title.as_deref(), Some("Wire"));
        assert_eq!(feed.link.as_deref(), Some("http://127.0.0.1/"));
        assert_eq!(feed.description.as_deref(), Some("All the news"));
        let item = &feed.items[0];
        assert_eq!(item.title.as_deref(), Some("Bridge opens"));
        assert_eq!(item.guid.as_deref(), Some("http://127.0.0.1/1"));
        assert_eq!(item.url.as_deref(), Some("http://127.0.0.1/1"));
    }

    #[test]
    fn an_rss_guid_is_the_link_unless_it_is_no_permalink() {
        let item = |guid: &str| {
            let xml = format!(r#"<rss version="2.0"><channel><item>{guid}</item></channel></rss>"#);
            parse(xml.as_bytes()).unwrap().items.remove(0)
        };
        let permalink = item("<guid>http://127.0.0.1/1</guid>");
        assert_eq!(permalink.url.as_deref(), Some("http://127.0.0.1/1"));
        let not = item(r#"<guid isPermaLink="false">http://127.0.0.1/1</guid>"#);
        assert_eq!(
            (not.url, not.guid.as_deref()),
            (None, Some("http://127.0.0.1/1"))
        );
    }

    #[test]
    fn what_is_not_a_feed_stays_refused() {
        assert!(parse(b"<html><body>no feed</body></html>").is_err());
        assert!(parse(b"plain text").is_err());
    }
}
