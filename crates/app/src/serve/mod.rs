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
//! - [`api`]: the JSON routes; [`pages`]: the HTML pages; [`html`]: escaping and highlighting.
//! - [`openapi`]: the OpenAPI document, checked against the router by a test.
//! - [`metrics`]: Prometheus counters and the request latency histogram.
//! - [`listen`]: the accept loop: header and idle timeouts, the connection limit, graceful stop.
//! - [`stories`]: the story list query (filters, full-text search, keyset pagination) and the
//!   cached story analysis.
//!
//! Writes need `Authorization: Bearer TOKEN` when a token is configured; reads are open unless
//! `--private`, except `/api/health`, which stays open for probes.

pub mod api;
pub mod error;
pub mod html;
pub mod listen;
pub mod metrics;
pub mod openapi;
pub mod pages;
pub mod state;
pub mod stories;

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
    pub config: Config,
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
    .get("/api/articles/{id}", api::article)
    .get("/api/compare", api::compare)
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
        .route_layer(middleware::from_fn_with_state(state.clone(), require_write));
    let pages = Router::new()
        .route("/", get(pages::front))
        .route("/stories/{id}", get(pages::story))
        .route("/articles/{id}", get(pages::article))
        .route("/compare", get(pages::compare))
        .route("/style.css", get(pages::style));
    routes
        .router
        .merge(pages)
        .route_layer(middleware::from_fn_with_state(state.clone(), require_read))
        .merge(writes)
        .fallback(|| async { ApiError::new(ErrorKind::NotFound, "no such route") })
        // The limit is enforced by the body extractors (as a typed error, see `api`); axum's own
        // default of 2 MB is replaced by the configured one.
        .layer(DefaultBodyLimit::max(state.max_body_bytes()))
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
        let state = AppState::open(opts)?;
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        println!("listening on http://{local}");
        eprintln!("samestory: serving on http://{local}/ (Ctrl-C to stop)");
        listen::serve(listener, app(state.clone()), connections, shutdown()).await;
        state.shutdown();
        Ok(crate::exit::OK)
    })
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
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

async fn require_read(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    if state.private() && req.uri().path() != "/api/health" {
        state.check_token(bearer(&req))?;
    }
    Ok(next.run(req).await)
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
