//! Fetching feeds and pages politely: one request at a time per host and a pause between two
//! (`--host-delay-ms`, or the host's `Crawl-delay` when longer, at most a minute), a timeout for
//! the whole request, a size cap, redirects followed one hop at a time up to a bound (each hop
//! waits its host's turn and is checked against that host's `robots.txt`), and a User-Agent naming
//! samestory. `robots.txt` is read once per host and kept for a day (RFC 9309: a 4xx answer
//! allows everything; a 5xx or an unreachable host allows nothing until it is asked again).
//!
//! The client is ureq (blocking, pure Rust, rustls for https): a watcher makes a few requests a
//! second at most, so threads that block are simpler than async here and cost no runtime.

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The `robots.txt` user-agent token samestory answers to.
pub const ROBOTS_AGENT: &str = "samestory";

/// How requests are made (`samestory watch`'s flags).
#[derive(Clone, Debug)]
pub struct FetchOptions {
    pub user_agent: String,
    /// For the whole request: connecting, sending, reading the body.
    pub timeout: Duration,
    /// Bodies larger than this are refused.
    pub max_bytes: usize,
    /// Redirects followed at most, per request.
    pub max_redirects: u32,
    /// The pause between two requests to one host.
    pub host_delay: Duration,
}

impl FetchOptions {
    /// The User-Agent samestory sends: its name and version.
    pub fn default_user_agent() -> String {
        format!(
            "samestory/{} (news watcher; honours robots.txt)",
            env!("CARGO_PKG_VERSION")
        )
    }
}

/// An answer with a body (2xx), or `304 Not Modified` to a conditional request.
#[derive(Debug)]
pub enum Fetched {
    NotModified { cache_control: Option<String> },
    Body(Body),
}

#[derive(Debug)]
pub struct Body {
    pub bytes: Vec<u8>,
    /// Where the body came from, after redirects.
    pub url: String,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub cache_control: Option<String>,
}

/// Why a request gave nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// An error status (after redirects).
    Status(u16),
    /// `robots.txt` disallows the url for samestory.
    Disallowed,
    /// The body is over the size cap.
    TooLarge(usize),
    TooManyRedirects(u32),
    /// A redirect without a usable `Location`, or a url that is not http(s).
    BadUrl(String),
    /// Connecting, a timeout, a broken connection.
    Network(String),
}

impl FetchError {
    /// Whether asking again later cannot help: a client error (but 408 and 429), robots.txt, a
    /// body too large, a redirect loop, a bad url. Server errors and the network may recover.
    pub fn is_permanent(&self) -> bool {
        match self {
            FetchError::Status(code) => (400..500).contains(code) && !matches!(code, 408 | 429),
            FetchError::Network(_) => false,
            _ => true,
        }
    }
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Status(code) => write!(f, "HTTP status {code}"),
            FetchError::Disallowed => f.write_str("disallowed by the host's robots.txt"),
            FetchError::TooLarge(max) => write!(f, "body over the limit of {max} bytes"),
            FetchError::TooManyRedirects(n) => write!(f, "more than {n} redirects"),
            FetchError::BadUrl(why) => write!(f, "bad url: {why}"),
            FetchError::Network(why) => write!(f, "network: {why}"),
        }
    }
}

/// One host's turn: held for the whole of a request, with the time the last one ended.
type Turn = Arc<Mutex<Option<Instant>>>;

/// What a host's `robots.txt` allows, and until when it is kept.
struct Robots {
    rules: Option<texting_robots::Robot>,
    allow_all: bool,
    until: Instant,
}

/// The HTTP client of the watcher, shared by its threads.
pub struct Fetcher {
    agent: ureq::Agent,
    opts: FetchOptions,
    turns: Mutex<HashMap<String, Turn>>,
    /// Each host's robots.txt, read by the first thread that needs it (the others wait for it).
    robots: Mutex<HashMap<String, Arc<Mutex<Option<Robots>>>>>,
    /// Each host's `Crawl-delay`, from its robots.txt.
    crawl_delays: Mutex<HashMap<String, Duration>>,
}

/// `scheme://host:port`, the key of a host's turn and robots.txt.
fn origin(url: &url::Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

impl Fetcher {
    pub fn new(opts: FetchOptions) -> Fetcher {
        let agent = ureq::AgentBuilder::new()
            .timeout(opts.timeout)
            .redirects(0)
            .user_agent(&opts.user_agent)
            .build();
        Fetcher {
            agent,
            opts,
            turns: Mutex::new(HashMap::new()),
            robots: Mutex::new(HashMap::new()),
            crawl_delays: Mutex::new(HashMap::new()),
        }
    }

    /// GETs `url`, following redirects; with `validators` (`ETag`, `Last-Modified` of the last
    /// answer) a conditional request, which may answer [`Fetched::NotModified`].
    pub fn get(
        &self,
        url: &str,
        validators: (Option<&str>, Option<&str>),
    ) -> Result<Fetched, FetchError> {
        let mut at = parse_http(url)?;
        for _ in 0..=self.opts.max_redirects {
            if !self.allowed(&at) {
                return Err(FetchError::Disallowed);
            }
            let response = self.request(&at, validators)?;
            let status = response.status();
            if (300..400).contains(&status) && status != 304 {
                let location = response.header("location").ok_or_else(|| {
                    FetchError::BadUrl(format!("redirect {status} without a Location"))
                })?;
                at = at
                    .join(location)
                    .map_err(|e| FetchError::BadUrl(format!("Location {location:?}: {e}")))?;
                parse_http(at.as_str())?;
                continue;
            }
            let header = |name: &str| response.header(name).map(str::to_owned);
            let cache_control = header("cache-control");
            if status == 304 {
                return Ok(Fetched::NotModified { cache_control });
            }
            let (content_type, etag, last_modified) = (
                header("content-type"),
                header("etag"),
                header("last-modified"),
            );
            let final_url = at.to_string();
            let bytes = self.body(response)?;
            return Ok(Fetched::Body(Body {
                bytes,
                url: final_url,
                content_type,
                etag,
                last_modified,
                cache_control,
            }));
        }
        Err(FetchError::TooManyRedirects(self.opts.max_redirects))
    }

    /// One request, in its host's turn: waits for the host's previous request to end and the
    /// pause after it.
    fn request(
        &self,
        url: &url::Url,
        (etag, last_modified): (Option<&str>, Option<&str>),
    ) -> Result<ureq::Response, FetchError> {
        let host = origin(url);
        let turn = self
            .turns
            .lock()
            .expect("turns lock")
            .entry(host.clone())
            .or_default()
            .clone();
        let mut last = turn.lock().expect("host turn");
        let delay = self.delay_of(&host);
        if let Some(ended) = *last {
            let ready = ended + delay;
            let now = Instant::now();
            if ready > now {
                std::thread::sleep(ready - now);
            }
        }
        let mut request = self.agent.request_url("GET", url);
        if let Some(e) = etag {
            request = request.set("If-None-Match", e);
        }
        if let Some(m) = last_modified {
            request = request.set("If-Modified-Since", m);
        }
        let answer = request.call();
        *last = Some(Instant::now());
        match answer {
            Ok(r) => Ok(r),
            Err(ureq::Error::Status(code, _)) => Err(FetchError::Status(code)),
            Err(ureq::Error::Transport(t)) => Err(FetchError::Network(t.to_string())),
        }
    }

    /// The body, at most the size cap (refused early when `Content-Length` says it is over).
    fn body(&self, response: ureq::Response) -> Result<Vec<u8>, FetchError> {
        let max = self.opts.max_bytes;
        let declared = response
            .header("content-length")
            .and_then(|n| n.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > max as u64) {
            return Err(FetchError::TooLarge(max));
        }
        let mut bytes = Vec::new();
        response
            .into_reader()
            .take(max as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| FetchError::Network(format!("reading the body: {e}")))?;
        if bytes.len() > max {
            return Err(FetchError::TooLarge(max));
        }
        Ok(bytes)
    }

    /// The pause between two requests to `host`: ours, or its `Crawl-delay` when longer (at
    /// most a minute).
    fn delay_of(&self, host: &str) -> Duration {
        let crawl_delay = self
            .crawl_delays
            .lock()
            .expect("crawl delays lock")
            .get(host)
            .copied();
        crawl_delay.map_or(self.opts.host_delay, |d| d.max(self.opts.host_delay))
    }

    /// Whether the host's `robots.txt` lets samestory fetch `url` (read first if not kept).
    fn allowed(&self, url: &url::Url) -> bool {
        let host = origin(url);
        let slot = self
            .robots
            .lock()
            .expect("robots lock")
            .entry(host.clone())
            .or_default()
            .clone();
        let mut slot = slot.lock().expect("robots slot");
        if slot.as_ref().is_none_or(|r| r.until <= Instant::now()) {
            let read = self.read_robots(url);
            let crawl_delay = read
                .rules
                .as_ref()
                .and_then(|r| r.delay)
                .filter(|d| d.is_finite() && *d > 0.0)
                .map(|d| Duration::from_secs_f32(d.min(60.0)));
            if let Some(d) = crawl_delay {
                self.crawl_delays
                    .lock()
                    .expect("crawl delays lock")
                    .insert(host, d);
            }
            *slot = Some(read);
        }
        let robots = slot.as_ref().expect("just read");
        robots.allow_all
            || robots
                .rules
                .as_ref()
                .is_some_and(|r| r.allowed(url.as_str()))
    }

    fn read_robots(&self, url: &url::Url) -> Robots {
        let day = Instant::now() + Duration::from_secs(86_400);
        let mut robots_url = url.clone();
        robots_url.set_path("/robots.txt");
        robots_url.set_query(None);
        robots_url.set_fragment(None);
        let answer = self
            .request(&robots_url, (None, None))
            .and_then(|r| match r.status() {
                200..=299 => self.body(r).map(Some),
                // A redirect or another answer without rules: nothing is disallowed.
                _ => Ok(None),
            });
        match answer {
            Ok(Some(bytes)) => match texting_robots::Robot::new(ROBOTS_AGENT, &bytes) {
                Ok(rules) => Robots {
                    rules: Some(rules),
                    allow_all: false,
                    until: day,
                },
                Err(_) => Robots {
                    rules: None,
                    allow_all: true,
                    until: day,
                },
            },
            Ok(None) => Robots {
                rules: None,
                allow_all: true,
                until: day,
            },
            Err(FetchError::Status(code)) if (400..500).contains(&code) => Robots {
                rules: None,
                allow_all: true,
                until: day,
            },
            // Unreachable: nothing allowed for now, asked again in ten minutes.
            Err(_) => Robots {
                rules: None,
                allow_all: false,
                until: Instant::now() + Duration::from_secs(600),
            },
        }
    }
}

fn parse_http(url: &str) -> Result<url::Url, FetchError> {
    let parsed = url::Url::parse(url).map_err(|e| FetchError::BadUrl(format!("{url:?}: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(FetchError::BadUrl(format!("{url:?} is not an http(s) url")));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_errors_are_worth_retrying() {
        assert!(FetchError::Status(404).is_permanent());
        assert!(FetchError::Status(410).is_permanent());
        assert!(!FetchError::Status(429).is_permanent());
        assert!(!FetchError::Status(500).is_permanent());
        assert!(!FetchError::Status(503).is_permanent());
        assert!(!FetchError::Network("timed out".into()).is_permanent());
        assert!(FetchError::Disallowed.is_permanent());
        assert!(FetchError::TooLarge(10).is_permanent());
    }

    #[test]
    fn robots_rules_for_samestory() {
        let txt = b"User-agent: *\nDisallow: /private/\n\nUser-agent: samestory\nDisallow: /drafts/\nCrawl-delay: 2\n";
        let robot = texting_robots::Robot::new(ROBOTS_AGENT, txt).unwrap();
        assert!(!robot.allowed("http://127.0.0.1/drafts/1.html"));
        // The group naming samestory replaces the `*` group.
        assert!(robot.allowed("http://127.0.0.1/private/1.html"));
        assert!(robot.allowed("http://127.0.0.1/news/1.html"));
        assert_eq!(robot.delay, Some(2.0));
    }
}
