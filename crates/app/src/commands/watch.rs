//! `samestory watch FEEDS` (the watcher, [`crate::watch`], storing through the
//! [`Ingester`](crate::ingest::Ingester) as `ingest` does, under the same writer lock) and
//! `samestory feeds` (each watched feed's state, read from the store).
//!
//! Ctrl-C or SIGTERM stops the watcher cleanly: the item being fetched is finished and stored,
//! the store committed, the summary printed, and the exit code is what it would have been (0
//! when nothing failed); a second signal stops at once (exit 130), leaving what is not committed
//! to the next run.

use crate::exit;
use crate::ingest::{Ingester, WriterLock};
use crate::watch::{self, WatchOptions};
use samestory_engine::pipeline::Config;
use samestory_store::Store;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// Reads the feed list at `feeds` (reporting each entry refused) and watches the feeds into `db`.
pub fn run(
    db: &Path,
    feeds: &Path,
    config: Config,
    opts: &WatchOptions,
    json: bool,
) -> anyhow::Result<u8> {
    let (urls, refused) = watch::feed_list::read(feeds)?;
    for message in &refused {
        eprintln!("error: {message}");
    }
    if urls.is_empty() {
        return Ok(exit::FAILURE);
    }
    let _lock = WriterLock::acquire(db)?;
    let ingester = Mutex::new(Ingester::open(db, config)?);
    let sink = |articles| ingester.lock().expect("ingester lock").ingest(articles);
    let report = |line: &str| eprintln!("{line}");
    eprintln!(
        "samestory: watching {} feeds{}",
        urls.len(),
        if opts.once {
            " once"
        } else {
            " (Ctrl-C to stop)"
        }
    );
    let stop = stop_on_signal()?;
    let summary = watch::watch(db, &urls, opts, &sink, stop, &report)?;
    ingester.into_inner().expect("ingester lock").finish()?;
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::json!({ "summary": summary }))?;
    } else {
        writeln!(
            out,
            "{} feed requests ({} not modified, {} failed); {} pages fetched; stored {} articles ({} from the feed's text); {} already stored; {} given up; {} to try again",
            summary.polls,
            summary.not_modified,
            summary.feed_errors,
            summary.pages,
            summary.stored,
            summary.from_feed_text,
            summary.already_stored,
            summary.given_up,
            summary.retry,
        )?;
    }
    let partial = !refused.is_empty() || summary.feed_errors > 0 || summary.given_up > 0;
    Ok(if partial { exit::PARTIAL } else { exit::OK })
}

/// A flag set at the first Ctrl-C or SIGTERM (the watcher then finishes its current item and
/// returns); the second exits at once.
fn stop_on_signal() -> anyhow::Result<&'static AtomicBool> {
    static STOP: AtomicBool = AtomicBool::new(false);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    // Registered before the watcher starts, so that no signal can end the process uncleanly.
    let signals = runtime.block_on(async { crate::serve::Signals::new() })?;
    std::thread::Builder::new()
        .name("samestory-signals".into())
        .spawn(move || {
            runtime.block_on(async move {
                let mut signals = signals;
                signals.next().await;
                eprintln!("samestory: stopping after the current item (again to stop at once)");
                STOP.store(true, Ordering::Relaxed);
                signals.next().await;
                eprintln!(
                    "samestory: stopped at once; what was not committed is fetched again next time"
                );
                std::process::exit(130);
            })
        })?;
    Ok(&STOP)
}

/// `samestory feeds`: one line (or JSON object) per feed.
pub fn list(store: &Store, json: bool) -> anyhow::Result<u8> {
    let time = |t: Option<i64>| {
        t.and_then(|t| chrono::DateTime::from_timestamp(t, 0))
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    };
    let mut out = std::io::stdout().lock();
    for feed in store.feeds()? {
        let s = &feed.state;
        if json {
            let row = serde_json::json!({
                "url": s.url,
                "title": s.title,
                "last_fetch": time(s.last_fetch),
                "last_success": time(s.last_success),
                "next_fetch": time(s.next_fetch),
                "failures_in_a_row": s.failures,
                "last_error": s.last_error,
                "fetches": s.fetches,
                "not_modified": s.not_modified,
                "errors": s.errors,
                "items": feed.items,
                "pending_items": feed.pending,
                "lag_secs": s.lag_secs,
                "etag": s.etag,
                "last_modified": s.last_modified,
            });
            writeln!(out, "{row}")?;
        } else {
            writeln!(
                out,
                "{}\t{}\titems {} (pending {})\tlast fetch {}\tnext {}\tfetches {} ({} not modified, {} errors){}",
                s.url,
                s.title.as_deref().unwrap_or("-"),
                feed.items,
                feed.pending,
                time(s.last_fetch).as_deref().unwrap_or("never"),
                time(s.next_fetch).as_deref().unwrap_or("-"),
                s.fetches,
                s.not_modified,
                s.errors,
                s.last_error
                    .as_deref()
                    .map(|e| format!("\tlast error: {e}"))
                    .unwrap_or_default(),
            )?;
        }
    }
    Ok(exit::OK)
}
