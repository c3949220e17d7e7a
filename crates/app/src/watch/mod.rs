//! `samestory watch FEEDS` (and `samestory serve --watch FEEDS`): feeds polled on their own
//! schedules, each new item's page fetched, extracted as `extract` does, and ingested as it comes.
//!
//! - [`feed_list`]: the feeds, from an OPML file or a text file of urls.
//! - [`schedule`]: when a feed is due again (its `Cache-Control` or `<ttl>`, a default, bounded;
//!   exponential backoff after errors).
//! - [`fetch`]: the polite HTTP client (one request at a time per host, a pause, a timeout, a
//!   size cap, bounded redirects, robots.txt, a User-Agent naming samestory).
//! - here: [`watch`], the loop. A few fetcher threads take the feed due soonest, ask for it
//!   conditionally (`If-None-Match`, `If-Modified-Since`), and handle its items oldest first: an
//!   item whose canonical link (else guid) the store lists as done is skipped; one whose article
//!   id (from the canonical link) is already stored is recorded without a fetch; any other has
//!   its page fetched and extracted, the feed item's own date, title and text filling what the
//!   page lacks (its text alone when the page cannot be had for good: robots.txt, a 4xx, not
//!   HTML, or failing `--item-attempts` times), and is handed to the sink, which stores it.
//!
//! Nothing is fetched twice across a restart and nothing is missed: an item is recorded as done
//! only after its article is committed, and a feed's new validators (`ETag`, `Last-Modified`) are
//! kept only once every item of that answer is done, so a watcher stopped mid-feed is answered in
//! full (not `304`) when it asks again, and finds the items it had stored already recorded (or
//! their articles stored). State lives in the store ([`samestory_store::FeedState`]).

pub mod feed_list;
pub mod fetch;
pub mod schedule;

use crate::ingest::Outcome;
use crate::input::feeds::{self, Item};
use crate::input::html;
use fetch::{Body, FetchError, FetchOptions, Fetched, Fetcher};
use samestory_engine::{Article, Origin};
use samestory_store::{FeedState, ItemStatus, Store};
use schedule::Schedule;
use serde::Serialize;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// How the watcher runs.
#[derive(Clone, Debug)]
pub struct WatchOptions {
    pub fetch: FetchOptions,
    pub schedule: Schedule,
    /// Threads fetching at once (each one request at a time; hosts are taken in turn anyway).
    pub fetchers: usize,
    /// Poll every feed once, whatever its schedule, handle its items, and return.
    pub once: bool,
    /// Tries of an item's page (timeouts, 5xx) before its feed text is stored instead.
    pub item_attempts: u32,
    /// Articles with more text than this are refused (`--max-article-bytes`).
    pub max_article_bytes: usize,
}

/// Stores articles and says what became of each (the ingester, or the server's writer).
pub type Sink<'a> = dyn Fn(Vec<Article>) -> anyhow::Result<Vec<Outcome>> + Sync + 'a;

/// What one run did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct WatchSummary {
    /// Feed requests made.
    pub polls: u64,
    /// Of which answered `304 Not Modified`.
    pub not_modified: u64,
    /// Of which failed.
    pub feed_errors: u64,
    /// Item pages fetched.
    pub pages: u64,
    pub stored: u64,
    /// Items whose article was stored already (another feed, an earlier run).
    pub already_stored: u64,
    /// Items stored from the feed's own text, their page not to be had.
    pub from_feed_text: u64,
    /// Items given up (no text at all, a conflict): each reported.
    pub given_up: u64,
    /// Items whose page failed this time and will be tried again.
    pub retry: u64,
}

/// Seconds since the Unix epoch.
fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Watches `feeds` into the database at `db` until `stop` is set (or, with `once`, until every
/// feed was polled once); each stored article goes through `sink`. `report` gets one line per
/// event worth telling (errors, stored items).
pub fn watch(
    db: &Path,
    feeds: &[String],
    opts: &WatchOptions,
    sink: &Sink<'_>,
    stop: &AtomicBool,
    report: &(dyn Fn(&str) + Sync),
) -> anyhow::Result<WatchSummary> {
    let store = Store::open(db)?;
    let now = now_secs();
    // (due, feed): the feed due soonest is taken first; a feed never fetched is due now.
    let mut due = Vec::with_capacity(feeds.len());
    for url in feeds {
        let next = match (opts.once, store.feed_state(url)?) {
            (false, Some(state)) => state.next_fetch.unwrap_or(now),
            _ => now,
        };
        due.push((next, url.clone()));
    }
    let queue = Mutex::new(due);
    let watcher = Watcher {
        store: Mutex::new(store),
        fetcher: Fetcher::new(opts.fetch.clone()),
        opts,
        sink,
        report,
        summary: Mutex::new(WatchSummary::default()),
        taken: Mutex::new(std::collections::HashSet::new()),
    };
    let failure: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..opts.fetchers.clamp(1, feeds.len().max(1)) {
            scope.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    let next = {
                        let mut q = queue.lock().expect("queue lock");
                        match (0..q.len()).min_by_key(|&i| q[i].0) {
                            Some(at) if q[at].0 <= now_secs() => Some(q.swap_remove(at)),
                            Some(_) => None,
                            // Every feed taken: with `once` the work is done, else the others
                            // are being polled and come back.
                            None if opts.once => break,
                            None => None,
                        }
                    };
                    let Some((_, url)) = next else {
                        std::thread::sleep(Duration::from_millis(200));
                        continue;
                    };
                    match watcher.poll(&url, stop) {
                        Ok(next_fetch) => {
                            if !opts.once {
                                queue.lock().expect("queue lock").push((next_fetch, url));
                            }
                        }
                        Err(e) => {
                            *failure.lock().expect("failure lock") = Some(e);
                            stop.store(true, Ordering::Relaxed);
                        }
                    }
                }
            });
        }
    });
    if let Some(e) = failure.into_inner().expect("failure lock") {
        return Err(e);
    }
    Ok(watcher.summary.into_inner().expect("summary lock"))
}

struct Watcher<'a> {
    store: Mutex<Store>,
    fetcher: Fetcher,
    opts: &'a WatchOptions,
    sink: &'a Sink<'a>,
    report: &'a (dyn Fn(&str) + Sync),
    summary: Mutex<WatchSummary>,
    /// Items being handled by a fetcher thread (one item in two feeds polled at once).
    taken: Mutex<std::collections::HashSet<String>>,
}

/// What became of one item.
enum Handled {
    Done,
    Retry,
}

impl Watcher<'_> {
    fn count(&self, f: impl FnOnce(&mut WatchSummary)) {
        f(&mut self.summary.lock().expect("summary lock"));
    }

    fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store.lock().expect("store lock")
    }

    /// Polls one feed and handles its new items; when it is due next. An error only when the
    /// store fails (a feed's own errors are kept in its state).
    fn poll(&self, url: &str, stop: &AtomicBool) -> anyhow::Result<i64> {
        let mut state = self.store().feed_state(url)?.unwrap_or_else(|| FeedState {
            url: url.to_owned(),
            ..FeedState::default()
        });
        let now = now_secs();
        state.last_fetch = Some(now);
        state.fetches += 1;
        self.count(|s| s.polls += 1);
        let answer = self
            .fetcher
            .get(url, (state.etag.as_deref(), state.last_modified.as_deref()));
        let outcome = match answer {
            Ok(Fetched::NotModified { cache_control }) => {
                state.not_modified += 1;
                self.count(|s| s.not_modified += 1);
                Ok(self
                    .opts
                    .schedule
                    .interval(cache_control.as_deref().and_then(schedule::max_age), None))
            }
            Ok(Fetched::Body(body)) => self.read_feed(&mut state, body, stop),
            Err(e) => Err(e.to_string()),
        };
        let wait = match outcome {
            Ok(wait) => {
                state.failures = 0;
                state.last_success = Some(now_secs());
                wait
            }
            Err(message) => {
                state.failures += 1;
                state.errors += 1;
                self.count(|s| s.feed_errors += 1);
                let wait = self.opts.schedule.backoff(state.failures);
                (self.report)(&format!(
                    "error: feed {url}: {message} (failure {} in a row; next try in {} s)",
                    state.failures,
                    wait.as_secs()
                ));
                state.last_error = Some(message);
                wait
            }
        };
        state.next_fetch = Some(now_secs() + wait.as_secs() as i64);
        self.store().save_feed_state(&state)?;
        Ok(state.next_fetch.unwrap_or(now))
    }

    /// A feed's answer: its items handled, its validators kept when none is left to retry; the
    /// wait until the next poll, or why the answer is no feed.
    fn read_feed(
        &self,
        state: &mut FeedState,
        body: Body,
        stop: &AtomicBool,
    ) -> Result<Duration, String> {
        let parsed = feeds::parse(&body.bytes)?;
        if parsed.title.is_some() {
            state.title = parsed.title.clone();
        }
        let mut complete = true;
        // Feeds list the newest first: stored oldest first, as they were published.
        for item in parsed.items.into_iter().rev() {
            if stop.load(Ordering::Relaxed) {
                complete = false;
                break;
            }
            match self.item(state, item) {
                Ok(Handled::Done) => {}
                Ok(Handled::Retry) => complete = false,
                Err(e) => return Err(format!("{e:#}")),
            }
        }
        if complete {
            state.etag = body.etag;
            state.last_modified = body.last_modified;
        }
        Ok(self.opts.schedule.interval(
            body.cache_control.as_deref().and_then(schedule::max_age),
            parsed.ttl_minutes,
        ))
    }

    /// One item, once no other fetcher thread is handling it (one article in two feeds polled
    /// at once): skipped when done, else handled.
    fn item(&self, feed: &mut FeedState, item: Item) -> anyhow::Result<Handled> {
        let key = match (&item.url, &item.guid) {
            (Some(url), _) => url.clone(),
            (None, Some(guid)) => format!("guid {guid}"),
            (None, None) => format!("{} {}", feed.url, item.label()),
        };
        // A thread waits here holding no item, so two cannot wait for each other.
        while !self.taken.lock().expect("taken lock").insert(key.clone()) {
            std::thread::sleep(Duration::from_millis(20));
        }
        let handled = self.new_item(feed, item, &key);
        self.taken.lock().expect("taken lock").remove(&key);
        handled
    }

    /// An item not known to be done: its article fetched (or taken from the feed) and stored.
    fn new_item(&self, feed: &mut FeedState, item: Item, key: &str) -> anyhow::Result<Handled> {
        let label = format!("feed {}: {}", feed.url, item.label());
        let status = self.store().feed_item_status(&feed.url, key)?;
        match status {
            ItemStatus::Done => return Ok(Handled::Done),
            ItemStatus::DoneByAnotherFeed(article) => {
                self.count(|s| s.already_stored += 1);
                self.store().feed_item_done(
                    &feed.url,
                    key,
                    article.as_deref(),
                    None,
                    now_secs(),
                )?;
                return Ok(Handled::Done);
            }
            ItemStatus::New | ItemStatus::Retry(_) => {}
        }
        let mut from_feed_text = item.url.is_none();
        let mut article = None;
        if let Some(url) = &item.url {
            let id = Article::derive_id(Some(url), None, "");
            if self.store().contains(&id)? {
                self.count(|s| s.already_stored += 1);
                self.store()
                    .feed_item_done(&feed.url, key, Some(&id), None, now_secs())?;
                return Ok(Handled::Done);
            }
            match self.page(url, &item, feed.title.as_deref()) {
                Ok(a) => article = Some(a),
                Err(e) if e.is_permanent() => {
                    (self.report)(&format!("warning: {label}: {e}; the feed's text is stored"));
                    from_feed_text = true;
                }
                Err(e) => {
                    let tries = self.store().feed_item_failed(
                        &feed.url,
                        key,
                        &e.to_string(),
                        now_secs(),
                    )?;
                    if tries < self.opts.item_attempts {
                        self.count(|s| s.retry += 1);
                        (self.report)(&format!(
                            "error: {label}: {e} (try {tries} of {}; tried again at the next poll)",
                            self.opts.item_attempts
                        ));
                        return Ok(Handled::Retry);
                    }
                    (self.report)(&format!(
                        "warning: {label}: {e} (try {tries} of {}); the feed's text is stored",
                        self.opts.item_attempts
                    ));
                    from_feed_text = true;
                }
            }
        }
        let published = item.published;
        let number = item.number as u64;
        let mut article = match article {
            Some(a) => a,
            None => match item.into_article(feed.title.as_deref(), self.opts.max_article_bytes) {
                Ok((a, warnings)) => {
                    for w in warnings {
                        (self.report)(&format!("warning: feed {}: {w}", feed.url));
                    }
                    a
                }
                Err(message) => {
                    self.count(|s| s.given_up += 1);
                    (self.report)(&format!("error: feed {}: {message}", feed.url));
                    self.store().feed_item_done(
                        &feed.url,
                        key,
                        None,
                        Some(&message),
                        now_secs(),
                    )?;
                    return Ok(Handled::Done);
                }
            },
        };
        article.origin = Some(Origin::Item {
            of: format!("feed {}", feed.url),
            item: number,
        });
        let outcome = (self.sink)(vec![article])?.pop();
        let now = now_secs();
        match outcome {
            Some(Outcome::Stored { id, .. }) => {
                self.count(|s| {
                    s.stored += 1;
                    s.from_feed_text += u64::from(from_feed_text);
                });
                feed.lag_secs = published.map(|p| now - p);
                self.store()
                    .feed_item_done(&feed.url, key, Some(&id), None, now)?;
            }
            Some(Outcome::AlreadyStored { id, .. }) => {
                self.count(|s| s.already_stored += 1);
                self.store()
                    .feed_item_done(&feed.url, key, Some(&id), None, now)?;
            }
            Some(Outcome::Conflict { message, .. }) => {
                self.count(|s| s.given_up += 1);
                (self.report)(&format!("error: {label}: {message}"));
                self.store()
                    .feed_item_done(&feed.url, key, None, Some(&message), now)?;
            }
            None => anyhow::bail!("{label}: the store gave no outcome"),
        }
        Ok(Handled::Done)
    }

    /// The item's page as an article: fetched, extracted; the feed's title, date and outlet
    /// where the page gives none. A page that is not HTML or has no article is a permanent error.
    fn page(&self, url: &str, item: &Item, outlet: Option<&str>) -> Result<Article, FetchError> {
        let body = match self.fetcher.get(url, (None, None))? {
            Fetched::Body(body) => body,
            Fetched::NotModified { .. } => return Err(FetchError::Status(304)),
        };
        self.count(|s| s.pages += 1);
        let html_type = body
            .content_type
            .as_deref()
            .is_none_or(|t| t.to_ascii_lowercase().contains("html"));
        if !html_type {
            return Err(FetchError::BadUrl(format!(
                "{url} is {}, not an HTML page",
                body.content_type.as_deref().unwrap_or("")
            )));
        }
        let page = html::extract(&body.bytes, Some(&body.url))
            .map_err(|e| FetchError::BadUrl(format!("{url}: {e}")))?;
        if page.text.len() > self.opts.max_article_bytes {
            return Err(FetchError::TooLarge(self.opts.max_article_bytes));
        }
        // The link the feed gave is the id when the page names no canonical url of its own.
        let mut article = page.into_article(Some(Article::derive_id(Some(url), None, "")));
        if article.url.is_none() {
            article.url = Some(url.to_owned());
        }
        if article.title.is_none() {
            article.title = item.title.clone();
        }
        if article.published.is_none() {
            article.published = item.published;
        }
        if article.source.is_none() {
            article.source = outlet.map(str::to_owned);
        }
        Ok(article)
    }
}
