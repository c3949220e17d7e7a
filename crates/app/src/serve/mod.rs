//! `samestory serve`: the HTTP API (JSON) and the web pages (server-rendered HTML) over one
//! database.
//!
//! - [`state`]: the one writer and the pool of readers. The [`Ingester`](crate::ingest::Ingester)
//!   is not `Sync` and SQLite takes one writer at a time anyway, so a dedicated thread owns it and
//!   takes ingest jobs from a channel, answering each on a oneshot channel; jobs that queue up while
//!   a batch is written go into the next transaction together (group commit). Reads run on tokio's
//!   blocking threads, each with its own read-only SQLite connection from a pool and in one read
//!   transaction (one snapshot): WAL lets them read while the writer writes. At most twice as many
//!   reads as CPUs run at once (`SAMESTORY_SERVE_READERS` overrides it); the rest wait their turn
//!   for a permit, which keeps both the tail latency and the writer's share of CPU steady.
//! - [`error`]: the API's error type, and the one table from error kinds to HTTP statuses.
//! - [`api`]: the JSON routes; [`pages`]: the HTML pages; [`front_page`]: top stories of a window,
//!   developing stories and search; [`story_page`]: the story page, built to
//!   stay readable at 200 articles; [`syndication`]: the copies page and outlet pages;
//!   [`feeds`]: Atom feeds of the top stories and of a search; [`html`]: escaping and
//!   highlighting.
//! - [`openapi`]: the OpenAPI document, checked against the router by a test.
//! - [`metrics`]: Prometheus counters and the request latency histogram.
//! - [`listen`]: the accept loop: header and idle timeouts, the connection limit, graceful stop.
//! - [`stories`]: the story list query (filters, full-text search, keyset pagination) and the
//!   cached story analysis.
//!
//! Writes need `Authorization: Bearer TOKEN` when a token is configured; reads are open unless
//! `--private`, except `/api/health`, which stays open for probes. With `--private` a browser signs
//! in once at `/login` (the form every page shows instead, with 401) and gets a session cookie.
//!
//! Against other web pages the user has open (the server is on their machine, often with no
//! token): every request's `Host` must be an IP address, `localhost` or a name given with
//! `--allowed-host` (a page of `evil.example` that rebinds its name to 127.0.0.1 sends
//! `Host: evil.example`); a write must be `Content-Type: application/json` or
//! `application/x-ndjson` (which a page cannot send to another site without a CORS preflight,
//! never granted here), and its `Origin`, if any, must be this server; every answer carries
//! `X-Content-Type-Options: nosniff` and a Content-Security-Policy that forbids scripts and framing.

pub mod api;
pub mod error;
pub mod feeds;
pub mod front_page;
pub mod html;
pub mod listen;
pub mod metrics;
pub mod openapi;
pub mod pages;
pub mod state;
pub mod stories;
pub mod story_page;
pub mod syndication;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::handler::Handler;
use axum::http::header;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use error::{ApiError, ErrorKind};
use samestory_engine::pipeline::Config;
use state::AppState;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// What `samestory serve` is started with.
pub struct ServeOptions {
    pub db: PathBuf,
    pub addr: SocketAddr,
    pub token: Option<String>,
    pub private: bool,
    pub max_body_bytes: usize,
    pub max_articles_per_request: usize,
    pub read_timeout: std::time::Duration,
    pub body_timeout: std::time::Duration,
    pub connections: listen::ConnectionLimits,
    /// Host names accepted besides IP addresses and `localhost` (`--allowed-host`).
    pub allowed_hosts: Vec<String>,
    pub config: Config,
    /// `--watch FEEDS`: the feed list, and how it is watched.
    pub watch: Option<(PathBuf, crate::watch::WatchOptions)>,
}

/// The API routes as (method, path) pairs, in the order they are registered; the OpenAPI document
/// must list exactly these (a test checks).
pub struct Routes {
    pub router: Router<AppState>,
    pub api: Vec<(&'static str, &'static str)>,
}

impl Routes {
    fn get<H, T>(mut self, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, get(handler));
        self.api.push(("get", path));
        self
    }
}

/// The JSON API: reads, then the one write route (behind the token check).
pub fn api_routes() -> Routes {
    let routes = Routes {
        router: Router::new(),
        api: Vec::new(),
    }
    .get("/api/health", api::health)
    .get("/api/stories", api::list_stories)
    .get("/api/stories/{id}", api::story)
    .get("/api/storylines", api::storylines)
    .get("/api/storylines/{id}", api::storyline)
    .get("/api/articles/{id}", api::article)
    .get("/api/compare", api::compare)
    .get("/api/copies", api::copies)
    .get("/api/outlets", api::outlets)
    .get("/api/outlets/{name}", api::outlet)
    .get("/api/openapi.json", api::openapi)
    .get("/metrics", api::metrics);
    let mut api = routes.api;
    api.push(("post", "/api/articles"));
    Routes {
        router: routes.router,
        api,
    }
}

/// The whole application: API, pages, and the layers around them.
pub fn app(state: AppState) -> Router {
    let routes = api_routes();
    let writes = Router::new()
        .route("/api/articles", post(api::post_articles))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            read_body_in_time,
        ))
        .route_layer(middleware::from_fn(require_json))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_write));
    let pages = Router::new()
        .route("/", get(front_page::front))
        .route("/stories/{id}", get(pages::story))
        .route("/storylines/{id}", get(pages::storyline))
        .route("/articles/{id}", get(pages::article))
        .route("/compare", get(pages::compare))
        .route("/copies", get(syndication::copies))
        .route("/outlets/{name}", get(syndication::outlet))
        .route("/feeds/top.atom", get(feeds::top))
        .route("/feeds/search.atom", get(feeds::search))
        .route("/style.css", get(pages::style));
    routes
        .router
        .merge(pages)
        .route_layer(middleware::from_fn_with_state(state.clone(), require_read))
        .route("/login", get(pages::login_form).post(pages::login))
        .merge(writes)
        .fallback(|| async { ApiError::new(ErrorKind::NotFound, "no such route") })
        // The limit is enforced by the body extractors (as a typed error, see `api`); axum's own
        // default of 2 MB is replaced by the configured one.
        .layer(DefaultBodyLimit::max(state.max_body_bytes()))
        .layer(middleware::from_fn_with_state(state.clone(), check_host))
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

/// Binds, prints `listening on http://ADDR` (the tests read it to learn the port), and serves until
/// Ctrl-C or SIGTERM.
pub fn run(opts: ServeOptions) -> anyhow::Result<u8> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let addr = opts.addr;
        let connections = opts.connections;
        let db = opts.db.clone();
        let watch = opts.watch.clone();
        let state = AppState::open(opts)?;
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        let stop_watching = Arc::new(AtomicBool::new(false));
        if let Some((feeds, options)) = watch {
            start_watching(&db, &feeds, options, &state, stop_watching.clone())?;
        }
        println!("listening on http://{local}");
        eprintln!("samestory: serving on http://{local}/ (Ctrl-C to stop)");
        listen::serve(listener, app(state.clone()), connections, shutdown()).await;
        // The watcher ends its current request; what it sends from now on is refused.
        stop_watching.store(true, Ordering::Relaxed);
        state.shutdown();
        Ok(crate::exit::OK)
    })
}

/// `serve --watch`: the watcher on a thread of its own, storing through the server's writer as
/// `POST /api/articles` does, until `stop` is set.
fn start_watching(
    db: &std::path::Path,
    feeds: &std::path::Path,
    options: crate::watch::WatchOptions,
    state: &AppState,
    stop: Arc<AtomicBool>,
) -> anyhow::Result<()> {
    let (urls, refused) = crate::watch::feed_list::read(feeds)?;
    for message in &refused {
        eprintln!("error: {message}");
    }
    let runtime = tokio::runtime::Handle::current();
    let state = state.clone();
    let db = db.to_owned();
    eprintln!("samestory: watching {} feeds", urls.len());
    std::thread::Builder::new()
        .name("samestory-watch".into())
        .spawn(move || {
            let sink = |articles| {
                runtime
                    .block_on(state.ingest(articles))
                    .map_err(|e| anyhow::anyhow!("{}", e.message))
            };
            let report = |line: &str| eprintln!("samestory watch: {line}");
            if let Err(e) = crate::watch::watch(&db, &urls, &options, &sink, &stop, &report) {
                eprintln!("samestory watch: stopped: {e:#}");
            }
        })?;
    Ok(())
}

async fn shutdown() {
    match Signals::new() {
        Ok(mut signals) => signals.next().await,
        Err(e) => {
            eprintln!("samestory: cannot listen for SIGTERM ({e}); Ctrl-C only");
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// Ctrl-C (SIGINT) and SIGTERM, the two ways a server or watcher is asked to stop, as one stream.
pub(crate) struct Signals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl Signals {
    /// Listens for both from now on; inside a tokio runtime with I/O enabled.
    pub(crate) fn new() -> std::io::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Ok(Signals {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    /// Waits for the next one.
    pub(crate) async fn next(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.interrupt.recv() => {},
            _ = self.terminate.recv() => {},
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn bearer(req: &Request) -> Option<&str> {
    req.headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
}

async fn require_write(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    state.check_token(bearer(&req))?;
    Ok(next.run(req).await)
}

/// The name of the cookie `POST /login` sets (see [`pages::login`]).
pub const SESSION_COOKIE: &str = "samestory_session";

fn session_cookie(req: &Request) -> Option<&str> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v)
}

/// With `--private`, reads need the token: as a Bearer header (programs), or as the session
/// cookie a browser gets from the sign-in page (pages cannot send a header). A page asked for
/// without either answers 401 with the sign-in form; the API answers 401 in JSON.
async fn require_read(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let open = !state.private() || path == "/api/health" || path == "/style.css";
    if open
        || state.check_token(bearer(&req)).is_ok()
        || session_cookie(&req).is_some_and(|c| state.check_session(c))
    {
        return next.run(req).await;
    }
    if path.starts_with("/api/") || path == "/metrics" {
        return ApiError::new(
            ErrorKind::Unauthorized,
            "this needs `Authorization: Bearer TOKEN` with the server's token",
        )
        .into_response();
    }
    pages::sign_in_page(axum::http::StatusCode::UNAUTHORIZED, None)
}

/// The media types a write may have: a page of another site cannot send them without a CORS
/// preflight, which this server never grants.
const WRITE_TYPES: [&str; 2] = ["application/json", "application/x-ndjson"];

/// Writes must say they are JSON (415 otherwise), and come from this server's origin when a
/// browser says where they come from (403 otherwise).
async fn require_json(req: Request, next: Next) -> Result<Response, ApiError> {
    let media = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    if !media.as_deref().is_some_and(|m| WRITE_TYPES.contains(&m)) {
        return Err(ApiError::new(
            ErrorKind::UnsupportedMediaType,
            format!(
                "a write needs `Content-Type: application/json` or `application/x-ndjson` (got {})",
                media.as_deref().unwrap_or("none")
            ),
        ));
    }
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok());
        let origin_host = origin
            .to_str()
            .ok()
            .and_then(|o| o.split_once("://"))
            .map(|(_, rest)| rest.trim_end_matches('/'));
        if host.is_none() || origin_host != host {
            return Err(ApiError::new(
                ErrorKind::Forbidden,
                format!(
                    "a write from another site (Origin: {}) is refused",
                    origin.to_str().unwrap_or("?")
                ),
            ));
        }
    }
    Ok(next.run(req).await)
}

/// The host name of a `Host` header: without the port, and without the brackets of an IPv6
/// address.
fn host_name(host: &str) -> &str {
    if let Some(v6) = host.strip_prefix('[') {
        return v6.split(']').next().unwrap_or(v6);
    }
    host.rsplit_once(':').map_or(host, |(name, _)| name)
}

/// Whether a request's `Host` may be answered: an IP address (a page reached by address is not a
/// rebound name), `localhost`, or a name given with `--allowed-host`; no `Host` (not a browser).
pub fn host_allowed(host: Option<&str>, allowed: &[String]) -> bool {
    let Some(host) = host else {
        return true;
    };
    let name = host_name(host);
    name.parse::<std::net::IpAddr>().is_ok()
        || name.eq_ignore_ascii_case("localhost")
        || allowed.iter().any(|a| a.eq_ignore_ascii_case(name))
}

async fn check_host(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let host = req
        .headers()
        .get(header::HOST)
        .map(|h| h.to_str().unwrap_or("\u{fffd}"));
    if !host_allowed(host, state.allowed_hosts()) {
        return Err(ApiError::new(
            ErrorKind::Forbidden,
            format!(
                "Host {} is not this server's: use its address or localhost, or start it with --allowed-host NAME",
                host.unwrap_or("")
            ),
        ));
    }
    Ok(next.run(req).await)
}

/// Headers on every answer: no type sniffing, no scripts, no framing (clickjacking), no referrer
/// to other sites. The pages have no script; the one inline style is a timeline bar's position.
async fn security_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static(
            "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(
        header::X_FRAME_OPTIONS,
        header::HeaderValue::from_static("DENY"),
    );
    h.insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("same-origin"),
    );
    resp
}

/// Reads a write's body within `--body-timeout-secs` (408 `body_timeout`: a client sending a byte a
/// second must not hold a connection for ever) and at most `--max-body-bytes` of it (413), before
/// the handler sees it.
async fn read_body_in_time(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let (parts, body) = req.into_parts();
    let limit = state.max_body_bytes();
    let read = tokio::time::timeout(state.body_timeout(), axum::body::to_bytes(body, limit));
    let bytes = match read.await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(e)) => {
            let e = e.into_inner();
            return Err(if e.is::<http_body_util::LengthLimitError>() {
                api::too_large(limit)
            } else {
                ApiError::new(
                    ErrorKind::InvalidBody,
                    format!("the body could not be read: {e}"),
                )
            });
        }
        Err(_) => {
            return Err(ApiError::new(
                ErrorKind::BodyTimeout,
                format!(
                    "the body did not arrive within {} s (--body-timeout-secs)",
                    state.body_timeout().as_secs()
                ),
            ))
        }
    };
    Ok(next
        .run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await)
}

/// Times every request into the latency histogram, by route.
async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |m| m.as_str().to_owned());
    let start = Instant::now();
    let resp = next.run(req).await;
    state
        .metrics()
        .observe(&route, resp.status().as_u16(), start.elapsed());
    resp.into_response()
}
