//! RSS 2.0, RSS 1.0/RDF, Atom and JSON Feed files (feed-rs): one article per item, its content or
//! else its summary as text (markup taken out; the title when the item has neither, with a
//! warning: a headline is an article too), its link (canonical, see [`super::html`]) as url and
//! id, the feed's title as the outlet. An item with no text and no title is an error naming the
//! item; a file that is not a feed is one error.

use super::html::{canonical_url, fragment_text};
use super::{InputError, Record};
use samestory_engine::Article;
use std::borrow::Cow;

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
    /// Its summary (RSS `description`), markup taken out.
    pub summary: Option<String>,
    /// Unix seconds: published, else updated (the date samestory keeps).
    pub published: Option<i64>,
    /// Unix seconds: updated, as the item gives it.
    pub updated: Option<i64>,
    pub authors: Vec<String>,
}

/// A feed parsed: its title, its time to live (RSS `<ttl>`, minutes) and its items in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    pub title: Option<String>,
    pub ttl_minutes: Option<u32>,
    pub items: Vec<Item>,
}

/// Parses a feed, or says why it is not one that can be read.
pub fn parse(bytes: &[u8]) -> Result<Parsed, String> {
    // Ids of items without one are left empty (feed-rs would hash them): the url then makes it.
    let parser = feed_rs::parser::Builder::new()
        .id_generator(|_links, _title, _uri| String::new())
        .build();
    // feed-rs reads an RSS root in a default namespace, and Atom 0.3, as an empty feed, without
    // an error.
    let bytes = &mend_rss_root(bytes, false)
        .or_else(|| atom_03_as_10(bytes))
        .map_or(Cow::Borrowed(bytes), Cow::Owned);
    let feed = match parse_guarded(&parser, bytes)? {
        Ok(feed) => feed,
        Err(e) => {
            let mended =
                mend(bytes, &e).ok_or_else(|| format!("not a feed that can be read: {e}"))?;
            parse_guarded(&parser, &mended)?
                .map_err(|_| format!("not a feed that can be read: {e}"))?
        }
    };
    let title = feed
        .title
        .map(|t| fragment_text(&t.content))
        .filter(|t| !t.is_empty());
    let items = feed
        .entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let content = entry
                .content
                .and_then(|c| c.body)
                .map(|b| fragment_text(&b))
                .filter(|t| !t.is_empty());
            let summary = entry
                .summary
                .map(|s| fragment_text(&s.content))
                .filter(|t| !t.is_empty());
            let link = entry
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or(entry.links.first())
                .map(|l| l.href.clone());
            Item {
                number: i + 1,
                title: entry
                    .title
                    .map(|t| fragment_text(&t.content))
                    .filter(|t| !t.is_empty()),
                url: link.as_deref().and_then(canonical_url),
                guid: Some(entry.id.trim().to_owned()).filter(|g| !g.is_empty()),
                content,
                summary,
                published: entry.published.or(entry.updated).map(|t| t.timestamp()),
                updated: entry.updated.map(|t| t.timestamp()),
                authors: entry.authors.into_iter().filter_map(|p| p.name).collect(),
            }
        })
        .collect();
    Ok(Parsed {
        title,
        ttl_minutes: feed.ttl,
        items,
    })
}

/// The RSS root without a default namespace (`<rss xmlns="…">` puts every element in it, and
/// feed-rs then finds nothing) and, with `wrap`, its items put in a `<channel>` when it has none
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

/// An Atom 0.3 feed (namespace `http://purl.org/atom/ns#`, which feed-rs does not know) in Atom
/// 1.0's namespace, its `issued` and `modified` dates as `published` and `updated` (what
/// feedparser maps them to); `None` for any other document.
fn atom_03_as_10(bytes: &[u8]) -> Option<Vec<u8>> {
    const ATOM_03: &str = "http://purl.org/atom/ns#";
    let head = &bytes[..bytes.len().min(4096)];
    head.windows(ATOM_03.len())
        .position(|w| w == ATOM_03.as_bytes())?;
    let text = std::str::from_utf8(bytes).ok()?;
    let mut mended = text.replace(ATOM_03, "http://www.w3.org/2005/Atom");
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
        .map(
            |item| match item.into_article(outlet.as_deref(), max_article_bytes) {
                Ok((article, warnings)) => Record::Article(
                    Box::new(article),
                    warnings
                        .into_iter()
                        .map(|message| InputError {
                            file: name.to_owned(),
                            line: None,
                            message,
                        })
                        .collect(),
                ),
                Err(message) => error(message),
            },
        )
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

    /// feed-rs 3.0 panics on this one (a Media RSS assertion): an error, not a crash.
    #[test]
    fn a_panic_in_the_feed_parser_is_an_error() {
        let xml = r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><summary type="text/plain">Example Atom</summary></entry></feed>"#;
        let e = parse(xml.as_bytes()).unwrap_err();
        assert!(e.contains("the feed parser failed"), "{e}");
    }

    #[test]
    fn what_is_not_a_feed_stays_refused() {
        assert!(parse(b"<html><body>no feed</body></html>").is_err());
        assert!(parse(b"plain text").is_err());
    }
}
