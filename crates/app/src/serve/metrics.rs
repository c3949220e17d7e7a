//! Prometheus metrics in the text exposition format: article and story counts and each watched
//! feed's counts (read from the database at scrape time), ingest counters, and a request latency
//! histogram by route.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

#[derive(Default, Clone)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

pub struct Metrics {
    started: Instant,
    /// Articles received by `POST /api/articles` (stored, already stored or rejected).
    pub received: AtomicU64,
    pub stored: AtomicU64,
    pub rejected: AtomicU64,
    /// `POST /api/articles` requests whose body was read: the number of each names its articles
    /// in messages (`request 12, item 3`).
    pub write_requests: AtomicU64,
    latency: Mutex<BTreeMap<(String, u16), Histogram>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            started: Instant::now(),
            received: AtomicU64::new(0),
            stored: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
            write_requests: AtomicU64::new(0),
            latency: Mutex::new(BTreeMap::new()),
        }
    }
}

impl Metrics {
    pub fn observe(&self, route: &str, status: u16, took: Duration) {
        let secs = took.as_secs_f64();
        let class = status / 100 * 100;
        let mut map = self.latency.lock().expect("metrics lock");
        let h = map.entry((route.to_owned(), class)).or_default();
        for (c, &b) in h.counts.iter_mut().zip(&BUCKETS) {
            if secs <= b {
                *c += 1;
            }
        }
        h.count += 1;
        h.sum += secs;
    }

    /// The exposition text, with the database's counts.
    pub fn render(
        &self,
        articles: u64,
        stories: u64,
        feeds: &[samestory_store::FeedSummary],
    ) -> String {
        let mut out = String::new();
        let uptime = self.started.elapsed().as_secs_f64();
        let stored = self.stored.load(Ordering::Relaxed);
        let gauge = |out: &mut String, name: &str, help: &str, v: f64| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
        };
        let counter = |out: &mut String, name: &str, help: &str, v: u64| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {v}"
            );
        };
        gauge(
            &mut out,
            "samestory_articles",
            "Articles in the database.",
            articles as f64,
        );
        gauge(
            &mut out,
            "samestory_stories",
            "Stories in the database.",
            stories as f64,
        );
        counter(
            &mut out,
            "samestory_ingest_received_total",
            "Articles received by POST /api/articles.",
            self.received.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "samestory_ingest_stored_total",
            "Articles stored by this server process.",
            stored,
        );
        counter(
            &mut out,
            "samestory_ingest_rejected_total",
            "Articles rejected as invalid.",
            self.rejected.load(Ordering::Relaxed),
        );
        gauge(
            &mut out,
            "samestory_ingest_rate",
            "Articles stored per second, averaged since the server started (use rate() of samestory_ingest_stored_total for a window).",
            if uptime > 0.0 { stored as f64 / uptime } else { 0.0 },
        );
        gauge(
            &mut out,
            "samestory_uptime_seconds",
            "Seconds since the server started.",
            uptime,
        );
        render_feeds(&mut out, feeds);
        let name = "samestory_request_duration_seconds";
        let _ = writeln!(
            out,
            "# HELP {name} Time to answer a request, by route and status class.\n# TYPE {name} histogram"
        );
        for ((route, class), h) in self.latency.lock().expect("metrics lock").iter() {
            let labels = format!("route=\"{}\",status=\"{class}\"", route.replace('"', "'"));
            for (c, b) in h.counts.iter().zip(&BUCKETS) {
                let _ = writeln!(out, "{name}_bucket{{{labels},le=\"{b}\"}} {c}");
            }
            let _ = writeln!(out, "{name}_bucket{{{labels},le=\"+Inf\"}} {}", h.count);
            let _ = writeln!(out, "{name}_sum{{{labels}}} {}", h.sum);
            let _ = writeln!(out, "{name}_count{{{labels}}} {}", h.count);
        }
        out
    }
}

/// Each watched feed's counts (`samestory watch`, `serve --watch`), labelled by its url: kept in
/// the database, so they count every run's requests, not only this server's.
fn render_feeds(out: &mut String, feeds: &[samestory_store::FeedSummary]) {
    if feeds.is_empty() {
        return;
    }
    type Value = fn(&samestory_store::FeedSummary) -> Option<f64>;
    let families: [(&str, &str, &str, Value); 6] = [
        (
            "samestory_feed_fetches_total",
            "counter",
            "Requests made for the feed.",
            |f| Some(f.state.fetches as f64),
        ),
        (
            "samestory_feed_not_modified_total",
            "counter",
            "Feed requests answered 304 Not Modified.",
            |f| Some(f.state.not_modified as f64),
        ),
        (
            "samestory_feed_errors_total",
            "counter",
            "Feed requests that failed (network, timeout, error status, not a feed).",
            |f| Some(f.state.errors as f64),
        ),
        (
            "samestory_feed_items",
            "gauge",
            "Items of the feed stored (or given up).",
            |f| Some(f.items as f64),
        ),
        (
            "samestory_feed_failures_in_a_row",
            "gauge",
            "Failed requests for the feed since its last success (its backoff).",
            |f| Some(f64::from(f.state.failures)),
        ),
        (
            "samestory_feed_lag_seconds",
            "gauge",
            "Seconds from the publication of the feed's last stored item to its storing.",
            |f| f.state.lag_secs.map(|s| s as f64),
        ),
    ];
    for (name, kind, help, value) in families {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        for feed in feeds {
            if let Some(v) = value(feed) {
                let label = feed.state.url.replace('\\', "\\\\").replace('"', "\\\"");
                let _ = writeln!(out, "{name}{{feed=\"{label}\"}} {v}");
            }
        }
    }
}
