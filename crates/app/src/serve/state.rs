//! The server's shared state: one writer thread owning the [`Ingester`], a pool of read
//! connections, the metrics and the analysis cache.

use super::error::{ApiError, ErrorKind};
use super::metrics::Metrics;
use super::stories::AnalysisCache;
use super::ServeOptions;
use crate::ingest::{Ingester, Outcome, WriterLock};
use samestory_engine::pipeline::Config;
use samestory_engine::Article;
use samestory_store::Store;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{oneshot, OwnedSemaphorePermit};

/// Most articles written in one transaction when jobs queue up.
const GROUP_COMMIT_ARTICLES: usize = 2000;
/// Reads running at once, each on its own connection (kept open between reads). More would only
/// queue for the CPU inside SQLite and the analysis, and open connections past the pool; waiting
/// for a permit instead is first come, first served.
fn concurrent_reads() -> usize {
    std::env::var("SAMESTORY_SERVE_READERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(4, |n| n.get() * 2))
}

/// Health checks running at once ([`AppState::read_unqueued`]), beside the reads' permits. Each
/// runs on a read connection, and the pool keeps every connection it is given back: without a
/// bound, a burst of concurrent health checks left one more connection (and its page cache,
/// filled by the counts' scans) open for good per check that overlapped another.
const CONCURRENT_HEALTH_READS: usize = 2;

type Reply = oneshot::Sender<Result<Vec<Outcome>, String>>;

struct Job {
    articles: Vec<Article>,
    reply: Reply,
}

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    db: PathBuf,
    config: Config,
    token: Option<String>,
    private: bool,
    max_body_bytes: usize,
    max_articles_per_request: usize,
    read_timeout: Duration,
    body_timeout: Duration,
    allowed_hosts: Vec<String>,
    session: String,
    writer: Mutex<Option<mpsc::Sender<Job>>>,
    writer_thread: Mutex<Option<std::thread::JoinHandle<()>>>,
    readers: Mutex<Vec<Store>>,
    read_permits: Arc<tokio::sync::Semaphore>,
    health_permits: Arc<tokio::sync::Semaphore>,
    /// Read connections kept between reads: one per read and health permit.
    max_readers: usize,
    metrics: Metrics,
    analyses: AnalysisCache,
}

impl AppState {
    /// Opens the database (creating it if needed) and starts the writer thread.
    pub fn open(opts: ServeOptions) -> anyhow::Result<AppState> {
        let lock = WriterLock::acquire(&opts.db)?;
        let ingester = Ingester::open(&opts.db, opts.config)?;
        let config = ingester.config();
        let (tx, rx) = mpsc::channel::<Job>();
        let db = opts.db.clone();
        let metrics = Metrics::default();
        let reads = concurrent_reads();
        let handle = std::thread::Builder::new()
            .name("samestory-writer".into())
            .spawn(move || {
                let _lock = lock;
                write_loop(ingester, rx, &db, config)
            })?;
        Ok(AppState(Arc::new(Inner {
            db: opts.db,
            config,
            token: opts.token,
            private: opts.private,
            max_body_bytes: opts.max_body_bytes,
            max_articles_per_request: opts.max_articles_per_request,
            read_timeout: opts.read_timeout,
            body_timeout: opts.body_timeout,
            allowed_hosts: opts.allowed_hosts,
            session: new_session()?,
            writer: Mutex::new(Some(tx)),
            writer_thread: Mutex::new(Some(handle)),
            readers: Mutex::new(Vec::new()),
            read_permits: Arc::new(tokio::sync::Semaphore::new(reads)),
            health_permits: Arc::new(tokio::sync::Semaphore::new(CONCURRENT_HEALTH_READS)),
            max_readers: reads + CONCURRENT_HEALTH_READS,
            metrics,
            analyses: AnalysisCache::default(),
        })))
    }

    /// Closes the ingest queue and waits for the writer to finish what it has.
    pub fn shutdown(&self) {
        self.0.writer.lock().expect("writer lock").take();
        if let Some(h) = self.0.writer_thread.lock().expect("writer lock").take() {
            let _ = h.join();
        }
    }

    pub fn config(&self) -> Config {
        self.0.config
    }

    pub fn private(&self) -> bool {
        self.0.private
    }

    pub fn max_body_bytes(&self) -> usize {
        self.0.max_body_bytes
    }

    pub fn max_articles_per_request(&self) -> usize {
        self.0.max_articles_per_request
    }

    pub fn body_timeout(&self) -> Duration {
        self.0.body_timeout
    }

    pub fn allowed_hosts(&self) -> &[String] {
        &self.0.allowed_hosts
    }

    pub fn metrics(&self) -> &Metrics {
        &self.0.metrics
    }

    pub fn analyses(&self) -> &AnalysisCache {
        &self.0.analyses
    }

    /// Checks a bearer token against the configured one (if any), in time independent of where
    /// they differ.
    pub fn check_token(&self, given: Option<&str>) -> Result<(), ApiError> {
        let Some(want) = &self.0.token else {
            return Ok(());
        };
        if given.is_some_and(|g| same_secret(g, want)) {
            Ok(())
        } else {
            Err(ApiError::new(
                ErrorKind::Unauthorized,
                "this needs `Authorization: Bearer TOKEN` with the server's token",
            ))
        }
    }

    /// Whether `cookie` is this run's session, given by `POST /login` to a browser that sent the
    /// token (in time independent of where they differ).
    pub fn check_session(&self, cookie: &str) -> bool {
        same_secret(cookie, &self.0.session)
    }

    /// This run's session value, for the cookie `POST /login` sets.
    pub fn session(&self) -> &str {
        &self.0.session
    }

    /// Runs `f` on a read connection, on a blocking thread, once a read permit is free (see
    /// [`concurrent_reads`]). SQLite work stops at `--read-timeout-ms` (503 `read_timeout`), or as
    /// soon as the client has gone (hyper drops this future, and the read sees it within 1,000
    /// SQLite steps), so that no request holds a permit and a core for long.
    pub async fn read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Store, &AppState) -> Result<T, ApiError> + Send + 'static,
    {
        // Held by the blocking task itself, so a read whose client went away still counts until
        // it ends.
        let permit = self
            .0
            .read_permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| ApiError::new(ErrorKind::Internal, format!("read queue closed: {e}")))?;
        self.read_with(permit, f).await
    }

    /// [`AppState::read`] without waiting for a read permit: for `/api/health`, which must answer
    /// while slow reads hold every permit. Only for reads that cost next to nothing; at most
    /// [`CONCURRENT_HEALTH_READS`] at once, on permits of their own.
    pub async fn read_unqueued<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Store, &AppState) -> Result<T, ApiError> + Send + 'static,
    {
        let permit = self
            .0
            .health_permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| ApiError::new(ErrorKind::Internal, format!("health queue closed: {e}")))?;
        self.read_with(permit, f).await
    }

    async fn read_with<T, F>(&self, permit: OwnedSemaphorePermit, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Store, &AppState) -> Result<T, ApiError> + Send + 'static,
    {
        let state = self.clone();
        let gone = Arc::new(AtomicBool::new(false));
        let _gone_when_dropped = SetOnDrop(gone.clone());
        let limit = self.0.read_timeout;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let mut store = match state.0.readers.lock().expect("pool lock").pop() {
                Some(s) => s,
                None => Store::open_read_only(&state.0.db)?,
            };
            let deadline = Instant::now() + limit;
            let stop = gone.clone();
            store.stop_when(Some(move || {
                stop.load(Ordering::Relaxed) || Instant::now() >= deadline
            }))?;
            // One read transaction for the whole request: one consistent snapshot, and one WAL
            // read lock (and page-cache check) instead of one per statement.
            let out = store.in_snapshot(|store| f(store, &state));
            // At most one connection per permit (read or health) is out at once, so the pool never
            // holds more than `max_readers`; the check keeps it so should that change. The next
            // read sets its own stop check before its first statement.
            {
                let mut pool = state.0.readers.lock().expect("pool lock");
                if pool.len() < state.0.max_readers {
                    pool.push(store);
                }
            }
            out.map_err(|e| {
                if Instant::now() >= deadline && !gone.load(Ordering::Relaxed) {
                    ApiError::new(
                        ErrorKind::ReadTimeout,
                        format!(
                            "the read was stopped at the limit of {} ms (--read-timeout-ms); ask for less (fewer or rarer search words, a date range)",
                            limit.as_millis()
                        ),
                    )
                } else {
                    e
                }
            })
        })
        .await
        .map_err(|e| ApiError::new(ErrorKind::Internal, format!("read task failed: {e}")))?
    }

    /// Sends articles to the writer and waits until they are stored (and given a story).
    pub async fn ingest(&self, articles: Vec<Article>) -> Result<Vec<Outcome>, ApiError> {
        let (reply, rx) = oneshot::channel();
        let sent = self
            .0
            .writer
            .lock()
            .expect("writer lock")
            .as_ref()
            .map(|tx| tx.send(Job { articles, reply }).is_ok());
        if sent != Some(true) {
            return Err(ApiError::new(
                ErrorKind::Unavailable,
                "the server is stopping",
            ));
        }
        match rx.await {
            Ok(Ok(outcomes)) => Ok(outcomes),
            Ok(Err(message)) => Err(ApiError::new(ErrorKind::Internal, message)),
            Err(_) => Err(ApiError::new(
                ErrorKind::Unavailable,
                "the writer stopped before answering",
            )),
        }
    }
}

/// Whether two secrets are equal, in time independent of where they differ.
fn same_secret(given: &str, want: &str) -> bool {
    given.len() == want.len()
        && given
            .bytes()
            .zip(want.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A new random session value (128 bits from the operating system, as hex): the cookie a browser
/// gets for the token, so the token itself never sits in a cookie; valid until the server stops.
fn new_session() -> std::io::Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Sets its flag when dropped: a request future dropped before its read ended (the client left).
struct SetOnDrop(Arc<AtomicBool>);

impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// The writer: takes a job, adds whatever else is already queued (up to
/// [`GROUP_COMMIT_ARTICLES`]), ingests them as one batch, and answers each job with its share.
fn write_loop(
    mut ingester: Ingester,
    rx: mpsc::Receiver<Job>,
    db: &std::path::Path,
    config: Config,
) {
    while let Ok(first) = rx.recv() {
        let mut jobs = vec![first];
        let mut n = jobs[0].articles.len();
        while n < GROUP_COMMIT_ARTICLES {
            match rx.try_recv() {
                Ok(job) => {
                    n += job.articles.len();
                    jobs.push(job);
                }
                Err(_) => break,
            }
        }
        let mut all = Vec::with_capacity(n);
        let mut lens = Vec::with_capacity(jobs.len());
        let mut replies = Vec::with_capacity(jobs.len());
        for job in jobs {
            lens.push(job.articles.len());
            all.extend(job.articles);
            replies.push(job.reply);
        }
        match ingester.ingest(all) {
            Ok(outcomes) => {
                let mut it = outcomes.into_iter();
                for (len, reply) in lens.into_iter().zip(replies) {
                    let _ = reply.send(Ok(it.by_ref().take(len).collect()));
                }
            }
            Err(e) => {
                let message = format!("ingest failed: {e:#}");
                eprintln!("samestory serve: {message}");
                for reply in replies {
                    let _ = reply.send(Err(message.clone()));
                }
                // The engine may hold decisions the failed transaction did not write: start again
                // from what the database has.
                match Ingester::open(db, config) {
                    Ok(i) => ingester = i,
                    Err(e) => {
                        eprintln!(
                            "samestory serve: cannot reopen the database, writes stop: {e:#}"
                        );
                        return;
                    }
                }
            }
        }
    }
}
