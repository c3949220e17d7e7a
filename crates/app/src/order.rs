//! Publication order: the order in which `ingest` and `eval` hand articles to the engine.
//!
//! Stories are decided online, one article at a time, so the order matters: a file in any other
//! order than its dates (a crawl, a data set sorted by outlet) would be decided as if the news had
//! arrived that way. Both commands therefore decide articles by their date: the record's, else a
//! date line the cleaner reads at the top of the text; an article without a date takes the date
//! of the dated article before it in the input (it arrived with them: a crawl, a feed, a file of
//! one outlet's pages), and the articles before the first dated one come first; ties keep input
//! order. `eval` sorts the whole file (it holds it anyway); `ingest` reads a stream
//! that may not fit in memory, so it holds a bounded buffer ([`PublicationOrder`]) and releases
//! the earliest article whenever the buffer is full. An input that fits in the buffer is decided in
//! exactly the order `eval` decides it; a longer one in order within any stretch that fits, which
//! is what a stream that is roughly in time order needs. Articles released after a later one (a
//! backfill) are late articles, which the engine handles as such (stories brought back). A
//! buffer rather than an external sort: ingest keeps streaming into the store, memory stays
//! bounded, and no temporary copy of the input is written.

use samestory_engine::clean::{Cleaner, LeadingMetadata, PageHeader};
use samestory_engine::Article;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Reads the date an article will be decided at without cleaning the whole text: the record's
/// date, else the leading metadata or page header the cleaner would read.
pub struct Dater {
    cleaner: Cleaner,
    ignore_dates: bool,
}

impl Dater {
    /// With `ignore_dates` every article has the same key: input order.
    pub fn new(ignore_dates: bool) -> Self {
        Dater {
            cleaner: Cleaner::builder()
                .stage(LeadingMetadata)
                .stage(PageHeader)
                .build(),
            ignore_dates,
        }
    }

    /// The article's own sort key: the publication time, `i64::MIN` for an article without a
    /// date.
    pub fn key(&self, a: &Article) -> i64 {
        if self.ignore_dates {
            return i64::MIN;
        }
        a.published
            .or_else(|| self.cleaner.clean(&a.text).published)
            .unwrap_or(i64::MIN)
    }
}

/// Articles held until they can be released in publication order (see the module doc).
pub struct PublicationOrder {
    dater: Dater,
    carried: CarriedDate,
    heap: BinaryHeap<Reverse<Held>>,
    bytes: usize,
    read: u64,
}

/// At most this many articles are held.
pub const MAX_HELD_ARTICLES: usize = 50_000;
/// At most this many bytes of article text are held.
pub const MAX_HELD_BYTES: usize = 64 << 20;

/// Carries the last date seen in input order to the undated articles after it.
#[derive(Default)]
struct CarriedDate(Option<i64>);

impl CarriedDate {
    fn key(&mut self, own: i64) -> i64 {
        if own == i64::MIN {
            self.0.unwrap_or(i64::MIN)
        } else {
            self.0 = Some(own);
            own
        }
    }
}

struct Held {
    key: i64,
    read: u64,
    article: Article,
}

impl PartialEq for Held {
    fn eq(&self, other: &Self) -> bool {
        (self.key, self.read) == (other.key, other.read)
    }
}
impl Eq for Held {}
impl PartialOrd for Held {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Held {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.key, self.read).cmp(&(other.key, other.read))
    }
}

impl PublicationOrder {
    /// An empty buffer.
    pub fn new(ignore_dates: bool) -> Self {
        PublicationOrder {
            dater: Dater::new(ignore_dates),
            carried: CarriedDate::default(),
            heap: BinaryHeap::new(),
            bytes: 0,
            read: 0,
        }
    }

    /// Holds `article`; returns the earliest article held when the buffer is over its bounds.
    pub fn push(&mut self, article: Article) -> Option<Article> {
        let key = self.carried.key(self.dater.key(&article));
        self.bytes += article.text.len();
        self.heap.push(Reverse(Held {
            key,
            read: self.read,
            article,
        }));
        self.read += 1;
        if self.heap.len() > MAX_HELD_ARTICLES || self.bytes > MAX_HELD_BYTES {
            self.pop()
        } else {
            None
        }
    }

    /// The earliest article held.
    pub fn pop(&mut self) -> Option<Article> {
        let Reverse(held) = self.heap.pop()?;
        self.bytes -= held.article.text.len();
        Some(held.article)
    }
}

/// Sorts `articles` into the order [`PublicationOrder`] releases them when they all fit.
pub fn sort(articles: &mut Vec<Article>, ignore_dates: bool) {
    use rayon::prelude::*;
    let dater = Dater::new(ignore_dates);
    let mut keyed: Vec<(i64, Article)> = std::mem::take(articles)
        .into_par_iter()
        .map(|a| (dater.key(&a), a))
        .collect();
    let mut carried = CarriedDate::default();
    for (key, _) in &mut keyed {
        *key = carried.key(*key);
    }
    keyed.sort_by_key(|(t, _)| *t);
    *articles = keyed.into_iter().map(|(_, a)| a).collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str, published: Option<i64>, text: &str) -> Article {
        Article {
            id: id.into(),
            published,
            text: text.into(),
            ..Article::default()
        }
    }

    #[test]
    fn released_by_date_with_undated_after_the_dated_before_them_and_ties_in_input_order() {
        // 1 January 1990, 00:00 UTC.
        const T: i64 = 631_152_000;
        let input = vec![
            article("u0", None, "before any date"),
            article("c", Some(T + 3_600), "third"),
            article("u1", None, "no date"),
            article("a", Some(T), "first"),
            article(
                "b",
                None,
                "http://example.com/b\nHeadline\nFirst Published: January 1, 1990 12:03 AM GMT\nBody.",
            ),
            article("u2", None, "no date either"),
            article("a2", Some(T), "first, a tie"),
        ];
        let mut order = PublicationOrder::new(false);
        let mut out: Vec<String> = Vec::new();
        for a in input.clone() {
            out.extend(order.push(a).map(|a| a.id));
        }
        assert!(out.is_empty(), "everything fits");
        while let Some(a) = order.pop() {
            out.push(a.id);
        }
        assert_eq!(out, ["u0", "a", "a2", "b", "u2", "c", "u1"]);
        let mut sorted = input.clone();
        sort(&mut sorted, false);
        let ids: Vec<&str> = sorted.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, out, "eval's order is ingest's");
        let mut unsorted = input;
        sort(&mut unsorted, true);
        let ids: Vec<&str> = unsorted.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(
            ids,
            ["u0", "c", "u1", "a", "b", "u2", "a2"],
            "--ignore-dates"
        );
    }

    #[test]
    fn a_full_buffer_releases_its_earliest() {
        let mut order = PublicationOrder::new(false);
        let mut released = Vec::new();
        for i in 0..MAX_HELD_ARTICLES as i64 + 10 {
            // Newest first: each push past the bound releases the earliest held so far.
            let t = 1_000_000 - i;
            released.extend(order.push(article(&i.to_string(), Some(t), "x")));
        }
        assert_eq!(released.len(), 10);
        let times: Vec<i64> = released.iter().map(|a| a.published.unwrap()).collect();
        let mut sorted = times.clone();
        sorted.sort();
        assert_eq!(times, sorted.into_iter().rev().collect::<Vec<_>>());
        assert_eq!(order.heap.len(), MAX_HELD_ARTICLES);
    }
}
