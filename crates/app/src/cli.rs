//! The command line: clap's definitions of every command and flag, and what turns flags into
//! settings (`EngineArgs::config`, validated once; `EngineArgs::check_database`, which refuses
//! flags that differ from a database's). `main.rs` runs the commands.

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use samestory_engine::pipeline::{Config, ConfigError};
use samestory_engine::stories::ClusterConfig;
use samestory_engine::text::language::Language;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "samestory",
    version,
    about = "Which news articles are copies, and which report the same story"
)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Clone)]
pub struct DbArg {
    /// The database file.
    #[arg(long, default_value = "samestory.db", env = "SAMESTORY_DB")]
    pub db: PathBuf,
}

/// The engine's settings. Those left out take the engine's defaults on a new database, and the
/// database's own settings on an existing one ([`EngineArgs::check_database`]).
#[derive(Args, Clone)]
pub struct EngineArgs {
    /// Jaccard similarity of 5-word shingles from which an article is a near copy: more than 0,
    /// at most 1. [default: 0.8]
    #[arg(long)]
    copy_threshold: Option<f32>,
    /// Cosine similarity from which an article joins a story: 0 to 1. [default: 0.25]
    #[arg(long)]
    story_threshold: Option<f32>,
    /// Days after its newest article that a story goes cold (0: never).
    #[arg(long, value_parser = parse_days)]
    window_days: Option<f64>,
    /// Days back that near copies are looked for: older documents leave memory and only their
    /// exact hash stays, so exact copies are still found at any distance (0: keep every
    /// document). Memory follows this window's content. [default: 30]
    #[arg(long, value_parser = parse_days)]
    copy_window_days: Option<f64>,
    /// Words per shingle: 1 or more. [default: 5]
    #[arg(long)]
    shingle: Option<usize>,
    /// MiB of warm stories' term vectors kept in memory, those joined most recently; the others
    /// wait in a temporary file until an article needs them. Answers are the same at any size.
    #[arg(long, default_value_t = 16)]
    story_memory_mib: usize,
    /// Cluster on the text alone, as if no article had a date.
    #[arg(long)]
    ignore_dates: bool,
    /// Story clusterer settings as a JSON object, e.g. '{"title_boost": 3}'; fields left out keep
    /// their defaults (see `ClusterConfig` in crates/engine/src/stories/config.rs). For tuning.
    #[arg(long, value_parser = parse_cluster_config)]
    cluster_config: Option<ClusterSettings>,
}

/// The settings of a `--cluster-config` object, each known to [`ClusterConfig`].
#[derive(Clone, Debug)]
struct ClusterSettings(serde_json::Map<String, serde_json::Value>);

impl ClusterSettings {
    /// `base` with these settings put in.
    fn apply(&self, base: ClusterConfig) -> ClusterConfig {
        let serde_json::Value::Object(mut all) =
            serde_json::to_value(base).expect("a ClusterConfig is a JSON object")
        else {
            unreachable!("a ClusterConfig is a JSON object")
        };
        all.extend(self.0.clone());
        serde_json::from_value(serde_json::Value::Object(all)).expect("checked when parsed")
    }
}

/// A number of days: finite and not negative (0 has its own meaning for each window).
fn parse_days(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(d) if d.is_finite() && d >= 0.0 => Ok(d),
        Ok(_) => Err("a number of days must be finite and at least 0".into()),
        Err(e) => Err(e.to_string()),
    }
}

fn parse_cluster_config(json: &str) -> Result<ClusterSettings, String> {
    let given: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(json).map_err(|e| format!("not a JSON object: {e}"))?;
    let known = serde_json::to_value(ClusterConfig::default()).map_err(|e| e.to_string())?;
    if let Some(unknown) = given.keys().find(|k| known.get(k.as_str()).is_none()) {
        return Err(format!("unknown setting `{unknown}`"));
    }
    serde_json::from_value::<ClusterConfig>(serde_json::Value::Object(given.clone()))
        .map_err(|e| e.to_string())?;
    Ok(ClusterSettings(given))
}

/// A command line that parsed but asks for what cannot be: exit code 2, as clap's own errors.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// The shortest token `serve` takes: a guessable token is no lock (meilisearch refuses a master
/// key under 16 bytes for the same reason).
pub const MIN_TOKEN_BYTES: usize = 16;

/// `serve`'s token as given: an empty one (`--token ""`, `SAMESTORY_TOKEN=`, `--token "$T"` with
/// `T` unset) would otherwise turn authentication off in silence, so it is refused, and so is one
/// shorter than [`MIN_TOKEN_BYTES`].
pub fn check_token(token: Option<String>) -> Result<Option<String>, UsageError> {
    match token {
        Some(t) if t.trim().is_empty() => Err(UsageError(
            "--token (or SAMESTORY_TOKEN) is set but empty, which would leave the server open to \
             anyone: give a token (at least 16 bytes, e.g. `openssl rand -hex 16`) or unset it"
                .into(),
        )),
        Some(t) if t.len() < MIN_TOKEN_BYTES => Err(UsageError(format!(
            "--token (or SAMESTORY_TOKEN) is {} bytes; at least {MIN_TOKEN_BYTES} are needed \
             (e.g. `openssl rand -hex 16`)",
            t.len()
        ))),
        t => Ok(t),
    }
}

/// The flag that sets an engine setting (`copy_threshold` is `--threshold` for `dedup`).
fn flag_of(setting: &str, copy_threshold_flag: &str) -> String {
    match setting {
        "copy_threshold" => copy_threshold_flag.to_owned(),
        "shingle" => "--shingle".to_owned(),
        "copy_window_secs" => "--copy-window-days".to_owned(),
        "cluster.threshold" => "--story-threshold".to_owned(),
        "cluster.window_secs" => "--window-days".to_owned(),
        other => format!(
            "--cluster-config `{}`",
            other.strip_prefix("cluster.").unwrap_or(other)
        ),
    }
}

/// The configuration error as the command line's: the flag, the value, the range allowed.
pub fn usage_error(e: &ConfigError, copy_threshold_flag: &str) -> UsageError {
    UsageError(format!(
        "{} is {}; allowed: {}",
        flag_of(e.setting, copy_threshold_flag),
        e.value,
        e.allowed
    ))
}

impl EngineArgs {
    /// `base` with the settings given on the command line put in.
    fn apply(&self, base: Config) -> Config {
        let mut c = base;
        if let Some(s) = &self.cluster_config {
            c.cluster = s.apply(c.cluster);
        }
        if let Some(t) = self.copy_threshold {
            c.copy_threshold = t;
        }
        if let Some(k) = self.shingle {
            c.shingle = k;
        }
        if let Some(t) = self.story_threshold {
            c.cluster.threshold = t;
        }
        if let Some(d) = self.window_days {
            c.cluster.window_secs = (d > 0.0).then_some((d * 86_400.0) as i64);
        }
        if let Some(d) = self.copy_window_days {
            c.copy_window_secs = (d > 0.0).then_some((d * 86_400.0) as i64);
        }
        c.ignore_dates = self.ignore_dates;
        c.story_memory_bytes = self.story_memory_mib << 20;
        c
    }

    /// The configuration: the engine's defaults with the flags given put in, validated once
    /// ([`Config::validate`]); a value out of range is a usage error naming its flag.
    pub fn config(&self) -> Result<Config, UsageError> {
        let c = self.apply(Config::default());
        c.validate()
            .map_err(|e| usage_error(&e, "--copy-threshold"))?;
        Ok(c)
    }

    /// The configuration to read the database at `db` with: its own settings with the flags
    /// given put in, validated (a command that only reads, such as `compare`, may try other
    /// settings on stored articles); for a missing database or one without settings,
    /// [`EngineArgs::config`].
    pub fn config_over(&self, db: &std::path::Path) -> anyhow::Result<Config> {
        let saved = if db.exists() {
            samestory_store::Store::open(db)
                .with_context(|| format!("opening {}", db.display()))?
                .config()?
        } else {
            None
        };
        let Some(saved) = saved else {
            return Ok(self.config()?);
        };
        let c = self.apply(saved);
        c.validate()
            .map_err(|e| usage_error(&e, "--copy-threshold"))?;
        Ok(c)
    }

    /// The flags given that would change the settings of a database built with `saved`, each as
    /// `--flag given (database: saved)`. `--ignore-dates` and `--story-memory-mib` apply to a
    /// run, not to a database, and are never among them.
    fn differing(&self, saved: &Config) -> Vec<String> {
        let wanted = self.apply(*saved);
        let mut out = Vec::new();
        let mut differs = |flag: &str, given: String, had: String| {
            if given != had {
                out.push(format!("{flag} {given} (database: {had})"));
            }
        };
        let days = |s: Option<i64>| match s {
            Some(s) => format!("{}", s as f64 / 86_400.0),
            None => "0".to_owned(),
        };
        differs(
            "--copy-threshold",
            wanted.copy_threshold.to_string(),
            saved.copy_threshold.to_string(),
        );
        differs(
            "--shingle",
            wanted.shingle.to_string(),
            saved.shingle.to_string(),
        );
        differs(
            "--copy-window-days",
            days(wanted.copy_window_secs),
            days(saved.copy_window_secs),
        );
        let (w, s) = (&wanted.cluster, &saved.cluster);
        differs(
            "--story-threshold",
            w.threshold.to_string(),
            s.threshold.to_string(),
        );
        differs("--window-days", days(w.window_secs), days(s.window_secs));
        let rest = |c: &ClusterConfig| {
            serde_json::to_string(&ClusterConfig {
                threshold: 0.0,
                window_secs: None,
                ..*c
            })
            .expect("a ClusterConfig is JSON")
        };
        differs("--cluster-config", rest(w), rest(s));
        out
    }

    /// Refuses flags that would change the settings of the existing database at `db`: its
    /// stored articles were decided with its own settings, and the engine state saved with them
    /// holds only for those. Flags equal to the database's, and a new database, pass.
    pub fn check_database(&self, db: &std::path::Path) -> anyhow::Result<()> {
        if !db.exists() {
            return Ok(());
        }
        let store = samestory_store::Store::open(db)
            .with_context(|| format!("opening {}", db.display()))?;
        let Some(saved) = store.config()? else {
            return Ok(());
        };
        let differing = self.differing(&saved);
        if differing.is_empty() {
            return Ok(());
        }
        Err(UsageError(format!(
            "{}: the database was built with other engine settings: {}. Its stored articles and \
             saved engine state hold only for its own; leave these flags out, or use a new \
             database (--db)",
            db.display(),
            differing.join(", ")
        ))
        .into())
    }
}

#[derive(Args, Clone)]
pub struct InputArgs {
    /// Take the article text from this field (e.g. TITLE for a headline data set).
    #[arg(long)]
    text_field: Option<String>,
    /// Refuse articles larger than this many bytes.
    #[arg(long, default_value_t = crate::input::DEFAULT_MAX_ARTICLE_BYTES)]
    max_article_bytes: usize,
    /// The format of standard input (`-`); detected from its start when not given. Files are
    /// told by their names.
    #[arg(long, value_enum)]
    format: Option<crate::input::Format>,
    /// Read dates with this chrono `strftime` pattern first, e.g. '%d-%b-%Y %H:%M:%S%.f' for
    /// Reuters' `26-FEB-1987 15:01:01.79`; the usual forms are still tried after it.
    #[arg(long)]
    date_format: Option<String>,
}

impl InputArgs {
    pub fn options(&self) -> crate::input::ReadOptions {
        crate::input::ReadOptions {
            text_field: self.text_field.clone(),
            max_article_bytes: self.max_article_bytes,
            stdin_format: self.format,
            date_format: self.date_format.clone(),
        }
    }
}

/// How feeds are watched (`samestory watch`, `samestory serve --watch`).
#[derive(Args, Clone)]
pub struct WatchArgs {
    /// Seconds between two polls of a feed that asks for no interval (no `Cache-Control:
    /// max-age`, no RSS `<ttl>`).
    #[arg(long, default_value_t = 900, value_parser = clap::value_parser!(u64).range(1..))]
    interval_secs: u64,
    /// The shortest wait between two polls of a feed, whatever it asks, and the first wait after
    /// an error (doubled at each error in a row).
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    min_interval_secs: u64,
    /// The longest wait between two polls of a feed, whatever it asks, and the longest backoff.
    #[arg(long, default_value_t = 86_400, value_parser = clap::value_parser!(u64).range(1..))]
    max_interval_secs: u64,
    /// Milliseconds between the end of one request to a host and the start of the next (a host's
    /// robots.txt `Crawl-delay` applies when longer, up to a minute).
    #[arg(long, default_value_t = 1000)]
    host_delay_ms: u64,
    /// Seconds a request may take in all (connecting, redirects, the body).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    fetch_timeout_secs: u64,
    /// Refuse feeds and pages larger than this many bytes.
    #[arg(long, default_value_t = crate::input::html::MAX_PAGE_BYTES)]
    max_fetch_bytes: usize,
    /// Redirects followed at most per request.
    #[arg(long, default_value_t = 5)]
    max_redirects: u32,
    /// Requests in flight at once, over all hosts (one at a time per host in any case).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=64))]
    fetchers: u64,
    /// Tries of an item's page that fails for a reason that may pass (timeout, 5xx) before the
    /// feed's own text of the item is stored instead.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    item_attempts: u32,
    /// Refuse articles larger than this many bytes of text.
    #[arg(long, default_value_t = crate::input::DEFAULT_MAX_ARTICLE_BYTES)]
    max_article_bytes: usize,
}

impl WatchArgs {
    /// The settings, checked (the shortest wait not above the longest).
    pub fn options(&self, once: bool) -> Result<crate::watch::WatchOptions, UsageError> {
        use std::time::Duration;
        if self.min_interval_secs > self.max_interval_secs {
            return Err(UsageError(format!(
                "--min-interval-secs {} is above --max-interval-secs {}",
                self.min_interval_secs, self.max_interval_secs
            )));
        }
        Ok(crate::watch::WatchOptions {
            fetch: crate::watch::fetch::FetchOptions {
                user_agent: crate::watch::fetch::FetchOptions::default_user_agent(),
                timeout: Duration::from_secs(self.fetch_timeout_secs),
                max_bytes: self.max_fetch_bytes,
                max_redirects: self.max_redirects,
                host_delay: Duration::from_millis(self.host_delay_ms),
            },
            schedule: crate::watch::schedule::Schedule {
                default: Duration::from_secs(self.interval_secs),
                min: Duration::from_secs(self.min_interval_secs),
                max: Duration::from_secs(self.max_interval_secs),
            },
            fetchers: self.fetchers as usize,
            once,
            item_attempts: self.item_attempts,
            max_article_bytes: self.max_article_bytes,
        })
    }
}

/// The order of `samestory stories`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ListSort {
    /// Most articles first, then the most recently updated.
    Largest,
    /// Most recently updated first (an undated story last).
    Newest,
}

/// The filters of `samestory stories`, the same as those of `GET /api/stories`.
#[derive(Args, Clone)]
pub struct StoryFilterArgs {
    /// Stories whose newest article is at or after this time (RFC 3339, YYYY-MM-DD or epoch
    /// seconds; UTC unless the time names its zone).
    #[arg(long, value_parser = parse_time_arg)]
    pub since: Option<samestory_engine::Timestamp>,
    /// Stories whose first article is at or before this time (as `--since`).
    #[arg(long, value_parser = parse_time_arg)]
    pub until: Option<samestory_engine::Timestamp>,
    /// Words every one of which an article of the story has in its title or text.
    #[arg(long)]
    pub q: Option<String>,
    /// Stories with an article from this outlet (case-insensitive; `unknown`: an article without
    /// a source).
    #[arg(long)]
    pub outlet: Option<String>,
    /// Stories with articles from at least this many outlets.
    #[arg(long)]
    pub min_outlets: Option<u64>,
    /// Stories with an article in this language (ISO 639: `de`, `zh`, `en-GB` reads as `en`):
    /// the one each article's input named, else the one its text reads as.
    #[arg(long, value_parser = parse_language_arg)]
    pub language: Option<Language>,
    /// The order of the list.
    #[arg(long, value_enum, default_value_t = ListSort::Largest)]
    pub sort: ListSort,
}

/// A language tag as the filters take it (see [`Language::parse`]).
pub fn parse_language_arg(text: &str) -> Result<Language, String> {
    Language::parse(text).ok_or_else(|| {
        format!("cannot read {text:?} as a language: an ISO 639 code (de, zh, en-GB) is wanted")
    })
}

/// A time as the API's filters take it: RFC 3339, `YYYY-MM-DD` or epoch seconds.
fn parse_time_arg(text: &str) -> Result<samestory_engine::Timestamp, String> {
    crate::input::parse_time(&serde_json::Value::String(text.to_owned())).ok_or_else(|| {
        format!("cannot read {text:?} as a time (RFC 3339, YYYY-MM-DD or epoch seconds)")
    })
}

/// The commands (each documented in the README's table).
#[derive(Subcommand)]
pub enum Command {
    /// Read articles (JSONL, CSV, .txt, directories, .gz, `-` for stdin) into the database.
    Ingest {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        engine: EngineArgs,
        #[command(flatten)]
        input: InputArgs,
        /// Articles per transaction. A few batches are in memory at once, with their texts:
        /// smaller batches take less memory, larger ones a little less time.
        #[arg(long, default_value_t = 1000)]
        batch: usize,
        /// Print one JSON line per article and a JSON summary.
        #[arg(long)]
        json: bool,
        /// Outlet aliases, one `alias<TAB>outlet name` a line (e.g. `Reuters Canada<TAB>Reuters`):
        /// kept in the database and applied to every article stored from now on, by `ingest`
        /// and `serve` (it replaces a map given before; stored articles keep their names).
        #[arg(long, value_name = "FILE")]
        outlet_map: Option<PathBuf>,
    },
    /// List stories (largest first unless `--sort newest`), with the filters of `GET /api/stories`.
    Stories {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        filter: StoryFilterArgs,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
        /// Write the list to this file instead, in the format its name asks for: `.csv`,
        /// `.parquet`, else JSON Lines (the columns of `export stories`).
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// One story: its articles, outlets, and which are copies of which.
    Story {
        /// A story id, or the id of an article (its story is shown).
        id: String,
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        json: bool,
    },
    /// List storylines (stories that continue one another within 7 days), the most recently
    /// updated first.
    Storylines {
        #[command(flatten)]
        db: DbArg,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// One storyline: its stories in the order they started, each with the story it continues.
    Storyline {
        /// A storyline's id, or the id of any of its stories.
        id: String,
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        json: bool,
    },
    /// List copies and their originals.
    Copies {
        #[command(flatten)]
        db: DbArg,
        #[arg(long, default_value_t = 1000)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Write the database's stories, articles or copies to a file: JSONL, CSV or Parquet by its
    /// name (`.csv`, `.parquet`, else JSONL).
    Export {
        /// What to write.
        #[arg(value_enum)]
        what: crate::commands::export::What,
        /// The file to write.
        #[arg(long, short)]
        output: PathBuf,
        #[command(flatten)]
        db: DbArg,
    },
    /// Compare two articles (files or stored ids): same story? copy? and why.
    Compare {
        a: String,
        b: String,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        engine: EngineArgs,
        #[arg(long)]
        json: bool,
    },
    /// Print an article's clean text and what cleaning removed, and why.
    Clean {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Read saved web pages (`.html`, `.htm`, also gzipped): each page's main text and metadata
    /// (title, canonical url, dates, outlet, author, language), then the cleaner's removals.
    Extract {
        /// The page files.
        #[arg(required = true)]
        pages: Vec<PathBuf>,
        /// The address the pages were fetched from (resolves a relative canonical link, and is the
        /// url of a page that names none).
        #[arg(long)]
        url: Option<String>,
        /// One JSON object per page: the metadata, `text` (clean), `extracted` and `removals`.
        #[arg(long)]
        json: bool,
        /// Read the files as feeds and print each as parsed, in JSON: its title and its items
        /// (title, link, id, published, updated, content, summary) before they become articles.
        #[arg(long, conflicts_with = "url")]
        items: bool,
    },
    /// Watch news feeds (an OPML file, or a text file of feed urls): each feed polled on its
    /// own schedule, each new item's page fetched, extracted and stored, until stopped (Ctrl-C)
    /// or, with `--once`, after one poll of every feed.
    Watch {
        /// The feed list: OPML, or one url a line (`#` comments).
        feeds: PathBuf,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        engine: EngineArgs,
        #[command(flatten)]
        watch: WatchArgs,
        /// Poll every feed once now (conditionally: a feed unchanged answers 304), store its
        /// new items, print the summary and end.
        #[arg(long)]
        once: bool,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Each watched feed's state: last fetch, next, last error, items stored, fetch counts.
    Feeds {
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        json: bool,
    },
    /// Serve the HTTP API and the web pages over the database.
    Serve {
        #[command(flatten)]
        db: DbArg,
        /// Address to listen on (port 0: any free port; the chosen one is printed).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Require `Authorization: Bearer TOKEN` for writes (and for reads with --private); at least
        /// 16 bytes (an empty or shorter token is refused at start).
        #[arg(long, env = "SAMESTORY_TOKEN", hide_env_values = true)]
        token: Option<String>,
        /// Require the token for reads too (all but /api/health).
        #[arg(long, requires = "token")]
        private: bool,
        /// Refuse request bodies larger than this many bytes (413).
        #[arg(long, default_value_t = 16 * 1024 * 1024)]
        max_body_bytes: usize,
        /// Refuse bodies of more articles (array items or NDJSON lines) than this (413): memory
        /// then stays a small multiple of the body whatever its shape.
        #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
        max_articles_per_request: u64,
        /// Stop any read (a search, a story) after this many milliseconds (503 read_timeout); also
        /// stopped as soon as its client has gone.
        #[arg(long, default_value_t = 5_000, value_parser = clap::value_parser!(u64).range(1..))]
        read_timeout_ms: u64,
        /// Close a connection that sends no complete request head within this many seconds: slow
        /// headers, silent connections, keep-alive connections idle between requests.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
        header_timeout_secs: u64,
        /// Answer 408 to a write whose body does not arrive within this many seconds.
        #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
        body_timeout_secs: u64,
        /// The most connections open at once; past it, new connections wait (and stderr says so).
        #[arg(long, default_value_t = 512, value_parser = clap::value_parser!(u64).range(1..=100_000))]
        max_connections: u64,
        /// Also answer requests whose `Host` is this name (repeatable): the names a reverse proxy
        /// or DNS gives the server. IP addresses and `localhost` are always answered; any other
        /// name gets 403, so that a page cannot reach the server by rebinding its own name.
        #[arg(long = "allowed-host", value_name = "NAME")]
        allowed_hosts: Vec<String>,
        #[command(flatten)]
        engine: EngineArgs,
        /// Also watch these feeds (as `samestory watch FEEDS` does) and store their items as
        /// they come; `/metrics` then counts each feed's fetches, errors and lag.
        #[arg(long, value_name = "FEEDS")]
        watch: Option<PathBuf>,
        #[command(flatten)]
        watch_args: WatchArgs,
    },
    /// Batch near-duplicate removal for corpus builders (JSONL, CSV, .txt, directories, .gz, `-`
    /// for stdin; no database).
    Dedup {
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Jaccard similarity of word shingles from which two articles are copies: more than 0, at
        /// most 1.
        #[arg(long, default_value_t = 0.8)]
        threshold: f32,
        /// Words per shingle: 1 or more.
        #[arg(long, default_value_t = 5)]
        shingle: usize,
        /// Write the articles to keep (originals and articles without copies) as JSONL.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Write the copy families as JSONL: {"original", "members", "pairs": [[a, b, jaccard]]}.
        #[arg(long)]
        clusters: Option<PathBuf>,
        /// Write every verified pair as TSV (a, b, jaccard).
        #[arg(long)]
        pairs: Option<PathBuf>,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Group articles into stories in memory (no database) and write `id<TAB>story` lines.
    Cluster {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Where to write the TSV (default: standard output).
        #[arg(long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        engine: EngineArgs,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Fit the learned same-story decision on labeled data sets and write the model file
    /// (the shipped one: crates/engine/data/story-model.json, made by bench/train_stories.sh).
    TrainStories {
        /// A JSON list of sets: `{"name", "path" (relative to this file), "label", "text_field"?}`.
        spec: PathBuf,
        /// Where to write the model.
        #[arg(long)]
        out: PathBuf,
        /// Train without this set (repeatable): to score a model on a set it never saw.
        #[arg(long)]
        leave_out: Vec<String>,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Score story clustering against a label field (ingests into a temporary store).
    Eval {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The field holding the gold story label.
        #[arg(long)]
        label: String,
        /// Also score the storylines (stories linked into storylines) against the label.
        #[arg(long)]
        storylines: bool,
        #[command(flatten)]
        engine: EngineArgs,
        #[command(flatten)]
        input: InputArgs,
        #[arg(long)]
        json: bool,
        /// Also write each article's id, gold label and predicted story to this TSV file, in
        /// the order the articles were decided (for reading the errors).
        #[arg(long, value_name = "FILE")]
        assignments: Option<PathBuf>,
    },
}

/// Validates `dedup`'s settings as the engine's: `--threshold` is the copy threshold.
pub fn check_dedup(threshold: f32, shingle: usize) -> Result<(), UsageError> {
    Config {
        copy_threshold: threshold,
        shingle,
        ..Config::default()
    }
    .validate()
    .map_err(|e| usage_error(&e, "--threshold"))
}
