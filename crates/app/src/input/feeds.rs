//! RSS 2.0, RSS 1.0/RDF, Atom and JSON Feed files (feed-rs): one article per item, its content or
//! else its summary as text (markup taken out; the title when the item has neither, with a
//! warning: a headline is an article too), its link (canonical, see [`super::html`]) as url and
//! id, the feed's title as the outlet. An item with no text and no title is an error naming the
//! item; a file that is not a feed is one error.

use super::html::{canonical_url, fragment_text};
use super::{InputError, Record};
use samestory_engine::Article;

/// One error or article for each item of the feed in `bytes`, in order.
pub fn read(name: &str, bytes: &[u8], max_article_bytes: usize) -> Vec<Record> {
    let error = |message: String| {
        Record::Error(InputError {
            file: name.to_owned(),
            line: None,
            message,
        })
    };
    // Ids of items without one are left empty (feed-rs would hash them): the url then makes it.
    let parser = feed_rs::parser::Builder::new()
        .id_generator(|_links, _title, _uri| String::new())
        .build();
    let feed = match parser.parse(bytes) {
        Ok(f) => f,
        Err(e) => return vec![error(format!("not a feed that can be read: {e}"))],
    };
    if feed.entries.is_empty() {
        return vec![error("feed has no items".into())];
    }
    let outlet = feed
        .title
        .map(|t| fragment_text(&t.content))
        .filter(|t| !t.is_empty());
    feed.entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let title = entry.title.map(|t| fragment_text(&t.content)).filter(|t| !t.is_empty());
            let item = match &title {
                Some(t) => format!("item {} ({:?})", i + 1, t.chars().take(60).collect::<String>()),
                None => format!("item {}", i + 1),
            };
            let body = entry
                .content
                .and_then(|c| c.body)
                .map(|b| fragment_text(&b))
                .filter(|t| !t.is_empty())
                .or_else(|| {
                    entry
                        .summary
                        .map(|s| fragment_text(&s.content))
                        .filter(|t| !t.is_empty())
                });
            let mut warnings = Vec::new();
            let text = match (body, &title) {
                (Some(text), _) => text,
                (None, Some(title)) => {
                    warnings.push(InputError {
                        file: name.to_owned(),
                        line: None,
                        message: format!("{item}: no content or summary; the title is the text"),
                    });
                    title.clone()
                }
                (None, None) => {
                    return error(format!("{item}: no content, summary or title; skipped"))
                }
            };
            if text.len() > max_article_bytes {
                return error(format!(
                    "{item}: text is {} bytes, over the limit of {max_article_bytes} bytes; skipped",
                    text.len()
                ));
            }
            let link = entry
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or(entry.links.first())
                .map(|l| l.href.clone());
            let url = link.as_deref().and_then(canonical_url);
            let guid = Some(entry.id.trim().to_owned()).filter(|g| !g.is_empty());
            let id = match (&url, guid) {
                (None, Some(g)) => g,
                (url, _) => Article::derive_id(url.as_deref(), title.as_deref(), &text),
            };
            let mut meta = serde_json::Map::new();
            let authors: Vec<String> = entry.authors.into_iter().filter_map(|p| p.name).collect();
            if !authors.is_empty() {
                meta.insert("author".into(), authors.join("; ").into());
            }
            Record::Article(
                Box::new(Article {
                    id,
                    url,
                    title,
                    source: outlet.clone(),
                    published: entry.published.or(entry.updated).map(|t| t.timestamp()),
                    text,
                    meta,
                }),
                warnings,
            )
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
