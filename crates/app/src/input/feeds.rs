//! RSS 2.0, RSS 1.0/RDF, Atom and JSON Feed files (feed-rs): one article per item, its content or
//! else its summary as text (markup taken out; the title when the item has neither, with a
//! warning: a headline is an article too), its link (canonical, see [`super::html`]) as url and
//! id, the feed's title as the outlet. An item with no text and no title is an error naming the
//! item; a file that is not a feed is one error.

use super::html::{canonical_url, fragment_text};
use super::{InputError, Record};
use samestory_engine::Article;

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
    /// Content, else summary, markup taken out.
    pub body: Option<String>,
    /// Unix seconds: published, else updated.
    pub published: Option<i64>,
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
    let feed = parser
        .parse(bytes)
        .map_err(|e| format!("not a feed that can be read: {e}"))?;
    let title = feed
        .title
        .map(|t| fragment_text(&t.content))
        .filter(|t| !t.is_empty());
    let items = feed
        .entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
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
                body,
                published: entry.published.or(entry.updated).map(|t| t.timestamp()),
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
        let text = match (self.body, &self.title) {
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
