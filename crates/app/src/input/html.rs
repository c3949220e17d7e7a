//! Saved web pages: the article's main text and its metadata (title, canonical url, published and
//! modified dates, outlet, author, language), for `samestory extract` and for every command that
//! reads `.html` files, WARC responses or fetched pages.
//!
//! The main text is the block dom_smoothie (a port of Mozilla's Readability) chooses, with the
//! furniture left inside it taken out ([`super::boilerplate`]) and the lead above it put first
//! ([`super::lead`]). dom_smoothie was taken after measuring it on trafilatura's 990-page
//! evaluation set beside rs-trafilatura: the same F (0.885 against 0.890) at five times the speed
//! and a third of the memory (BENCHMARKS.md §8). The page is decoded here first (byte-order mark,
//! then the `<meta>` charset, else UTF-8, else Windows-1252, as browsers do), and the canonical
//! url is read from `<link rel=canonical>` before Readability, which takes only `og:url`, changes
//! the document.
//!
//! [`canonical_url`] drops tracking parameters (`utm_*`, `fbclid`, …) and the fragment, so that one
//! article reached by two links gets one id.

use samestory_engine::Article;
use serde::Serialize;
use std::borrow::Cow;
use std::fmt;

/// Pages over this size are refused (`extract` and every reading command): no article page is,
/// and one would stall a batch.
pub const MAX_PAGE_BYTES: usize = 20 * 1024 * 1024;

/// What was read from one page.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Page {
    pub title: Option<String>,
    /// `<link rel=canonical>`, else the page's `og:url` or JSON-LD url, else the url given; with
    /// tracking parameters dropped.
    pub url: Option<String>,
    /// As the page writes it (ISO 8601 as a rule).
    pub published: Option<String>,
    pub modified: Option<String>,
    /// The site's name (`og:site_name`, JSON-LD publisher).
    pub outlet: Option<String>,
    pub author: Option<String>,
    pub language: Option<String>,
    /// The main text, paragraphs separated by blank lines.
    pub text: String,
}

/// Why a page gave no article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageError {
    Empty,
    NotHtml,
    NoText(String),
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageError::Empty => f.write_str("page is empty"),
            PageError::NotHtml => f.write_str("not an HTML page (no <html>, <body> or <p> tag)"),
            PageError::NoText(why) => write!(f, "no article text found in the page ({why})"),
        }
    }
}

/// Whether the bytes look like an HTML page: a tag that only HTML has, near the start.
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<p>",
        "<p ",
        "<div",
        "<article",
    ]
    .iter()
    .any(|tag| head.contains(tag))
}

/// The page's text: by its byte-order mark, its `<meta charset>` (or `http-equiv` content type),
/// else UTF-8 when it is valid, else Windows-1252.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom..]).0;
    }
    let declared = declared_charset(&bytes[..bytes.len().min(4096)])
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()));
    match declared {
        // A page declaring a UTF-16 charset in ASCII is not UTF-16 (the HTML standard's rule).
        Some(e)
            if e != encoding_rs::UTF_8
                && e != encoding_rs::UTF_16LE
                && e != encoding_rs::UTF_16BE =>
        {
            e.decode_without_bom_handling(bytes).0
        }
        _ => match std::str::from_utf8(bytes) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) if declared == Some(encoding_rs::UTF_8) => String::from_utf8_lossy(bytes),
            Err(_) => {
                encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(bytes)
                    .0
            }
        },
    }
}

/// The charset a page's head declares: `<meta charset=X>` or `content="…; charset=X"`, the first
/// `meta` tag that has one (the HTML standard's prescan reads only `meta` tags: a
/// `<script charset="utf-8">` before it, as web archives' banners put, is not the page's).
fn declared_charset(head: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    head.match_indices("<meta").find_map(|(start, _)| {
        let tag = &head[start..];
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        let at = tag.find("charset=")? + "charset=".len();
        let label: String = tag[at..]
            .trim_start_matches(['"', '\'', ' '])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
            .collect();
        (!label.is_empty()).then_some(label)
    })
}

/// Query parameters that only say how a reader arrived.
const TRACKING_PARAMS: &[&str] = &[
    "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_ga", "ocid",
    "cmpid", "ref_src", "smid", "sr_share",
];

/// The url without its fragment and tracking parameters (`utm_*` and [`TRACKING_PARAMS`]);
/// `None` when it is not an absolute http(s) url.
pub fn canonical_url(raw: &str) -> Option<String> {
    let mut url = url::Url::parse(raw.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_fragment(None);
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            !k.starts_with("utm_") && !TRACKING_PARAMS.contains(&k.as_str())
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    Some(url.into())
}

/// Reads a page's article. `url` is where the page was fetched from (resolves a relative
/// canonical link; the page's url when it names none).
pub fn extract(bytes: &[u8], url: Option<&str>) -> Result<Page, PageError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(PageError::Empty);
    }
    if !looks_like_html(bytes) {
        return Err(PageError::NotHtml);
    }
    let html = decode(bytes);
    let doc = dom_query::Document::from(html.as_ref());
    let base = url.and_then(|u| url::Url::parse(u).ok());
    let (canonical, lang_attr, marked_published, shown_date, marked_modified) = {
        let marked = Marked::scan(&doc);
        let canonical = marked
            .first_attr(r#"link[rel="canonical"]"#, "href")
            .and_then(|href| match &base {
                Some(b) => b.join(href.trim()).ok().map(String::from),
                None => Some(href.trim().to_owned()),
            });
        let lang_attr = marked
            .first_attr("html", "lang")
            .map(|l| l.trim().to_owned());
        let marked_published = first_date(&marked, PUBLISHED_MARKS)
            .or_else(|| json_ld_date(&marked, "datePublished"))
            .or_else(|| json_ld_date(&marked, "dateCreated"));
        let shown_date = date_shown(&marked);
        let marked_modified = first_date(&marked, MODIFIED_MARKS);
        (
            canonical,
            lang_attr,
            marked_published,
            shown_date,
            marked_modified,
        )
    };
    // Consent notices, sign-up forms and dialogs out first: Readability would choose one on a
    // page whose article is short.
    super::boilerplate::remove_page_furniture(&doc);
    let leads = super::lead::Leads::scan(&doc);
    let base_url = base.as_ref().map(|b| b.as_str().to_owned());
    // Classes are kept so that the furniture inside the chosen block can be told by them.
    let config = dom_smoothie::Config {
        keep_classes: true,
        ..Default::default()
    };
    let mut readability =
        dom_smoothie::Readability::with_document(doc, base_url.as_deref(), Some(config))
            .map_err(|e| PageError::NoText(e.to_string()))?;
    let article = readability
        .parse()
        .map_err(|e| PageError::NoText(e.to_string()))?;
    let chosen = readability.doc.select("#readability-page-1");
    let text = match chosen.nodes().first() {
        Some(block) => paragraphs(&super::boilerplate::text_without_furniture(block)),
        None => paragraphs(&article.text_content),
    };
    if text.is_empty() {
        return Err(PageError::NoText("the main block is empty".into()));
    }
    let text = leads.put_first(text);
    let clean = |s: Option<String>| {
        s.map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|s| !s.is_empty())
    };
    let url = [canonical, article.url.clone(), url.map(str::to_owned)]
        .into_iter()
        .flatten()
        .find_map(|u| canonical_url(&u));
    // Readability's date (JSON-LD, then a few meta tags) when it reads as a date, else the marks
    // of the page (meta tags, elements, any JSON-LD), else a date in the url's path, else one
    // shown in an element named for dates.
    let published = [article.published_time.clone(), marked_published]
        .into_iter()
        .flatten()
        .find_map(|d| normal_date(&d))
        .or_else(|| url.as_deref().and_then(date_in_path))
        .or(shown_date)
        .or(article.published_time);
    let modified = [article.modified_time.clone(), marked_modified]
        .into_iter()
        .flatten()
        .find_map(|d| normal_date(&d))
        .or(article.modified_time);
    Ok(Page {
        title: clean(Some(article.title)),
        url,
        published: clean(published),
        modified: clean(modified),
        outlet: clean(article.site_name),
        author: clean(article.byline),
        language: clean(article.lang.or(lang_attr)),
        text,
    })
}

/// Where pages mark their publication date, most specific first: `meta` names and properties,
/// then elements (`content`, `datetime` or `title` attribute).
const PUBLISHED_MARKS: &[&str] = &[
    r#"meta[property="article:published_time"]"#,
    r#"meta[property="og:published_time"]"#,
    r#"meta[itemprop="datePublished"]"#,
    r#"meta[name="pubdate"]"#,
    r#"meta[name="publishdate"]"#,
    r#"meta[name="publish-date"]"#,
    r#"meta[name="publication_date"]"#,
    r#"meta[name="sailthru.date"]"#,
    r#"meta[name="parsely-pub-date"]"#,
    r#"meta[name="dc.date.issued"]"#,
    r#"meta[name="DC.date.issued"]"#,
    r#"meta[name="DC.Date"]"#,
    r#"meta[name="dc.date"]"#,
    r#"meta[name="DC.date"]"#,
    r#"meta[property="dcterms:created"]"#,
    r#"meta[name="dcterms.created"]"#,
    r#"meta[name="date"]"#,
    r#"meta[name="Date"]"#,
    "[itemprop=\"datePublished\"]",
    "time[pubdate]",
    "time.published",
    "time.entry-date",
    "abbr.published",
    "time[datetime]",
];

const MODIFIED_MARKS: &[&str] = &[
    r#"meta[property="article:modified_time"]"#,
    r#"meta[property="og:updated_time"]"#,
    r#"meta[itemprop="dateModified"]"#,
    r#"meta[name="last-modified"]"#,
    r#"meta[name="dcterms.modified"]"#,
    "[itemprop=\"dateModified\"]",
    "time.updated",
];

/// The elements the reads of a page's metadata look at (its canonical link, language, date marks,
/// JSON-LD blocks and elements whose class names a date), found in one walk of the page: a
/// `select` is a walk of the whole page matching a selector at every element, and the ten or so
/// of them were a fifth of `extract`'s time. Each read then matches its selector against these
/// few elements only, which every element its selector can match is among, so the answers are
/// those of `select` on the page.
struct Marked<'a> {
    nodes: Vec<dom_query::NodeRef<'a>>,
}

impl<'a> Marked<'a> {
    fn scan(doc: &'a dom_query::Document) -> Self {
        const NAMES: &[&str] = &["link", "html", "meta", "time", "abbr", "script"];
        let nodes = doc
            .root()
            .descendants_it()
            .filter(|n| {
                n.is_element()
                    && (NAMES.iter().any(|name| n.has_name(name))
                        || n.has_attr("itemprop")
                        || n.attr("class").is_some_and(|class| {
                            let class = class.to_ascii_lowercase();
                            ["date", "datum", "published"]
                                .iter()
                                .any(|word| class.contains(word))
                        }))
            })
            .collect();
        Marked { nodes }
    }

    /// The elements matching `selector`, in the page's order.
    fn select(&self, selector: &str) -> impl Iterator<Item = &dom_query::NodeRef<'a>> {
        let matcher = dom_query::Matcher::new(selector).ok();
        self.nodes
            .iter()
            .filter(move |n| matcher.as_ref().is_some_and(|m| n.is_match(m)))
    }

    /// `attr` of the first element matching `selector`, as `Selection::attr` gives it.
    fn first_attr(&self, selector: &str, attr: &str) -> Option<String> {
        self.select(selector)
            .next()
            .and_then(|n| n.attr(attr))
            .map(|v| v.to_string())
    }
}

/// The first of `marks` that the page has, with a value that reads as a date.
fn first_date(marked: &Marked, marks: &[&str]) -> Option<String> {
    marks.iter().find_map(|mark| {
        marked.select(mark).find_map(|node| {
            ["content", "datetime", "title"]
                .iter()
                .find_map(|a| node.attr(a))
                .and_then(|v| normal_date(&v))
        })
    })
}

/// A date as RFC 3339, when it reads as one of the forms [`super::parse_time`] reads or as
/// `YYYY-MM-DD HH:MM:SS±ZZZZ`. A date given with its offset keeps it (the same instant, and the
/// day the page was published where it was published); any other is in UTC.
fn normal_date(raw: &str) -> Option<String> {
    let raw = raw.trim();
    // Offsets without a colon first: `parse_time` would read such a date to the day only.
    let with_offset = chrono::DateTime::parse_from_rfc3339(raw).ok().or_else(|| {
        [
            "%Y-%m-%dT%H:%M:%S%z",
            "%Y-%m-%d %H:%M:%S%z",
            "%Y-%m-%dT%H:%M%z",
            "%Y-%m-%dT%H:%M:%S%.f%z",
        ]
        .iter()
        .find_map(|f| chrono::DateTime::parse_from_str(raw, f).ok())
    });
    let when = match with_offset {
        Some(t) => t,
        None => {
            let t = super::parse_time(&serde_json::Value::String(raw.to_owned()))?;
            chrono::DateTime::from_timestamp(t, 0)?.fixed_offset()
        }
    };
    // Dates before the web or far ahead are misreadings (a version number, a product code).
    (1990..=2100)
        .contains(&chrono::Datelike::year(&when.date_naive()))
        .then(|| {
            if raw.len() == 10 {
                raw.to_owned()
            } else {
                when.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            }
        })
}

/// The first `key` (`datePublished`, …) of the page's JSON-LD blocks, at any depth (Readability
/// reads only an article object at the top).
fn json_ld_date(marked: &Marked, key: &str) -> Option<String> {
    fn find(value: &serde_json::Value, key: &str) -> Option<String> {
        match value {
            serde_json::Value::Object(map) => map
                .get(key)
                .and_then(|v| v.as_str())
                .and_then(normal_date)
                .or_else(|| map.values().find_map(|v| find(v, key))),
            serde_json::Value::Array(items) => items.iter().find_map(|v| find(v, key)),
            _ => None,
        }
    }
    marked
        .select(r#"script[type="application/ld+json"]"#)
        .filter_map(|node| serde_json::from_str(node.text().trim()).ok())
        .find_map(|json: serde_json::Value| find(&json, key))
}

/// A day-month-year date (`25.08.2015`, `26/10/2018`, `2015-08-25`) shown in a short element
/// whose class names a date (`post-date`, `itemPostDate`, `datum`), the first the page has.
/// Slashes are read day first unless the page is in English and the first number can be a
/// month (American pages put the month first).
fn date_shown(marked: &Marked) -> Option<String> {
    let english = marked
        .first_attr("html", "lang")
        .is_some_and(|l| l.trim().to_ascii_lowercase().starts_with("en"));
    let selector = r#"[class*="date" i], [class*="datum" i], [class*="published" i]"#;
    marked.select(selector).find_map(|node| {
        let text = node.text();
        (text.len() <= 80)
            .then(|| day_month_year(&text, english))
            .flatten()
    })
}

/// The first date written `D.M.YYYY`, `D/M/YYYY` or `YYYY-MM-DD` in `text`, as `YYYY-MM-DD`.
fn day_month_year(text: &str, english: bool) -> Option<String> {
    static DATES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"\b(?:(\d{4})-(\d{2})-(\d{2})|(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})|(\d{1,2})/(\d{1,2})/(\d{4}))\b",
        )
        .expect("a valid pattern")
    });
    DATES.captures_iter(text).find_map(|c| {
        let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let (y, m, d) = if let Some(y) = n(1) {
            (y, n(2)?, n(3)?)
        } else if let Some(y) = n(6) {
            (y, n(5)?, n(4)?)
        } else {
            let (first, second, y) = (n(7)?, n(8)?, n(9)?);
            match english && first <= 12 {
                true => (y, first, second),
                false => (y, second, first),
            }
        };
        let date = chrono::NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)?;
        normal_date(&date.format("%Y-%m-%d").to_string())
    })
}

/// A `/YYYY/MM/DD/` (or `/YYYY-MM-DD`) date in a url's path.
fn date_in_path(url: &str) -> Option<String> {
    let path = url::Url::parse(url).ok()?.path().to_owned();
    let parts: Vec<&str> = path.split(['/', '-', '_']).collect();
    parts.windows(3).find_map(|w| {
        let (y, m, d) = (w[0], w[1], w[2]);
        if y.len() == 4 && m.len() == 2 && d.len() == 2 {
            normal_date(&format!("{y}-{m}-{d}"))
        } else {
            None
        }
    })
}

/// Readability's text with each line trimmed and runs of blank lines made one: paragraphs apart.
fn paragraphs(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for block in raw.split("\n\n") {
        let joined = block
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        if !joined.is_empty() {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&joined);
        }
    }
    out
}

impl Page {
    /// The article as samestory stores it: the id from the canonical url (else `fallback_id`),
    /// the published date when it reads as one, the author, language and modified date as
    /// metadata.
    pub fn into_article(self, fallback_id: Option<String>) -> Article {
        let published = self
            .published
            .as_deref()
            .and_then(|p| super::parse_time(&serde_json::Value::String(p.to_owned())));
        let id = match (&self.url, fallback_id) {
            (None, Some(f)) => f,
            (url, _) => Article::derive_id(url.as_deref(), self.title.as_deref(), &self.text),
        };
        let mut meta = serde_json::Map::new();
        for (key, value) in [
            ("author", self.author),
            ("language", self.language),
            ("modified", self.modified),
        ] {
            if let Some(v) = value {
                meta.insert(key.into(), v.into());
            }
        }
        if published.is_none() {
            if let Some(p) = self.published {
                meta.insert("published_as_written".into(), p.into());
            }
        }
        Article {
            id,
            url: self.url,
            title: self.title,
            source: self.outlet,
            published,
            text: self.text,
            meta,
            origin: None,
        }
    }
}

/// The text of an HTML fragment (a feed item's content): markup out, block elements on lines of
/// their own, entities decoded; text without markup is returned with its whitespace tidied.
pub fn fragment_text(fragment: &str) -> String {
    let text = if fragment.contains('<') || fragment.contains('&') {
        let mut marked = String::with_capacity(fragment.len() + 64);
        // Block ends become line breaks before the tags go.
        let lower = fragment.to_ascii_lowercase();
        let mut last = 0;
        for (at, _) in lower.match_indices('<') {
            let tag = &lower[at..];
            let breaks = [
                "</p",
                "<br",
                "</div",
                "</li",
                "</h1",
                "</h2",
                "</h3",
                "</h4",
                "</blockquote",
                "<p>",
                "<p ",
            ]
            .iter()
            .any(|t| tag.starts_with(t));
            if breaks {
                marked.push_str(&fragment[last..at]);
                marked.push('\n');
                last = at;
            }
        }
        marked.push_str(&fragment[last..]);
        dom_query::Document::fragment(marked).text().to_string()
    } else {
        fragment.to_owned()
    };
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_lose_their_markup_and_keep_their_paragraphs() {
        assert_eq!(
            fragment_text("<p>One &amp; two.</p><p>Three <b>four</b>.</p>"),
            "One & two.\nThree four."
        );
        assert_eq!(fragment_text("  plain   text "), "plain text");
    }

    #[test]
    fn canonical_url_drops_tracking_and_fragment() {
        assert_eq!(
            canonical_url("https://ex.org/a/b?id=3&utm_source=x&fbclid=Y#top").as_deref(),
            Some("https://ex.org/a/b?id=3")
        );
        assert_eq!(
            canonical_url("https://ex.org/a?utm_medium=rss").as_deref(),
            Some("https://ex.org/a")
        );
        assert_eq!(canonical_url("/relative"), None);
        assert_eq!(canonical_url("mailto:x@ex.org"), None);
    }

    #[test]
    fn a_date_keeps_the_offset_the_page_gives() {
        assert_eq!(
            normal_date("2020-04-03T00:30:00+02:00").as_deref(),
            Some("2020-04-03T00:30:00+02:00")
        );
        assert_eq!(
            normal_date("2020-04-03T00:30:00.123+0200").as_deref(),
            Some("2020-04-03T00:30:00+02:00")
        );
    }

    #[test]
    fn dates_shown_day_first_are_read() {
        assert_eq!(
            day_month_year("am 25.08.2015 22:30", false).as_deref(),
            Some("2015-08-25")
        );
        assert_eq!(
            day_month_year("Di., 25. 1. 2022 - 14:45", false).as_deref(),
            Some("2022-01-25")
        );
        assert_eq!(
            day_month_year("26/10/2018", true).as_deref(),
            Some("2018-10-26")
        );
        assert_eq!(
            day_month_year("10/05/2022 05:22 pm", true).as_deref(),
            Some("2022-10-05")
        );
        assert_eq!(
            day_month_year("10/05/2022", false).as_deref(),
            Some("2022-05-10")
        );
        assert_eq!(
            day_month_year("posted 2019-12-29", true).as_deref(),
            Some("2019-12-29")
        );
        assert_eq!(day_month_year("version 1.2.3 of 31.02.2020", false), None);
    }

    #[test]
    fn a_date_is_found_in_json_ld_at_any_depth_and_in_a_date_element() {
        let doc = dom_query::Document::from(
            r#"<html><head><script type="application/ld+json">{"@graph":[{"@type":"WebPage","datePublished":"2014-03-17T01:44:37+00:00"}]}</script></head><body><span class="post-date">26/10/2018</span></body></html>"#,
        );
        let marked = Marked::scan(&doc);
        assert_eq!(
            json_ld_date(&marked, "datePublished").as_deref(),
            Some("2014-03-17T01:44:37Z")
        );
        assert_eq!(date_shown(&marked).as_deref(), Some("2018-10-26"));
    }

    #[test]
    fn dates_are_read_from_the_forms_pages_write() {
        assert_eq!(
            normal_date("2019-08-02T15:57:41+00:00").as_deref(),
            Some("2019-08-02T15:57:41Z")
        );
        assert_eq!(
            normal_date("2018-06-22 10:20:00").as_deref(),
            Some("2018-06-22T10:20:00Z")
        );
        assert_eq!(
            normal_date("2017-07-23T17:06:45+0000").as_deref(),
            Some("2017-07-23T17:06:45Z")
        );
        assert_eq!(normal_date("2020-02-11").as_deref(), Some("2020-02-11"));
        assert_eq!(normal_date("1.2.3"), None);
        assert_eq!(
            date_in_path("https://ex.org/news/2015/08/03/a-story").as_deref(),
            Some("2015-08-03")
        );
        assert_eq!(date_in_path("https://ex.org/news/a-story-1234"), None);
    }

    #[test]
    fn decode_follows_the_declared_charset() {
        let latin1 =
            b"<html><head><meta charset=\"iso-8859-1\"></head><body>Stra\xdfe</body></html>";
        assert!(decode(latin1).contains("Straße"));
        let utf8 = "<html><body>Straße</body></html>".as_bytes();
        assert!(decode(utf8).contains("Straße"));
        // A script's charset is not the page's.
        let archived =
            b"<html><head><script charset=\"utf-8\" src=\"banner.js\"></script><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>\xd6\xd0\xb9\xfa</body></html>";
        assert!(decode(archived).contains("中国"));
        // Undeclared and not UTF-8: Windows-1252, as browsers read it.
        assert!(decode(b"<p>caf\xe9</p>").contains("café"));
    }

    #[test]
    fn non_html_and_empty_pages_are_refused() {
        assert_eq!(extract(b"  \n", None), Err(PageError::Empty));
        assert_eq!(extract(b"just some words", None), Err(PageError::NotHtml));
        assert_eq!(extract(b"{\"a\": 1}", None), Err(PageError::NotHtml));
    }
}
