//! `samestory ingest`: articles read, prepared on every core and decided in order into the
//! store ([`crate::ingest::Ingester`]), with a preparer thread beside the decisions and the
//! ingester's writer thread behind them; progress and a summary on the terminal.

use super::messages::{Kind, Messages};
use crate::exit;
use crate::format::count;
use crate::ingest::{Claimed, Ingester, Outcome, PreparedBatch, Summary, WriterLock};
use crate::input::{read_paths, ReadOptions, Record};
use crate::order::PublicationOrder;
use samestory_engine::clean::Cleaner;
use samestory_engine::pipeline::Config;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Ingests `paths` into the database at `db` and prints the summary (`--json`: one JSON line
/// per article, then the summary).
pub fn run(
    db: &Path,
    paths: &[PathBuf],
    config: Config,
    opts: &ReadOptions,
    batch: usize,
    json: bool,
    outlet_map: Option<&Path>,
) -> anyhow::Result<u8> {
    let _lock = WriterLock::acquire(db)?;
    if let Some(path) = outlet_map {
        let map = crate::outlets::OutletMap::read(path)?;
        samestory_store::Store::open(db)?.set_outlet_map_json(&map.to_json())?;
    }
    let mut ing = Ingester::open(db, config)?;
    let mut summary = run_ingest(
        &mut ing,
        paths,
        opts,
        batch,
        json,
        std::io::stderr().is_terminal(),
    )?;
    let started = Instant::now();
    ing.finish()?;
    summary.seconds += started.elapsed().as_secs_f64();
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::json!({ "summary": summary }))?;
    } else {
        writeln!(out, "{}", summary_line(&summary))?;
    }
    Ok(if summary.rejected > 0 || summary.conflicts > 0 {
        exit::PARTIAL
    } else {
        exit::OK
    })
}

/// The summary as a person reads it: `stored 1 article (1 copy, 0 new stories); …`.
fn summary_line(s: &Summary) -> String {
    format!(
        "stored {} ({}, {}); {} already stored; {} rejected; {}; {}; {:.1}s ({:.0} articles/s)",
        count(s.stored, "article", "articles"),
        count(s.copies, "copy", "copies"),
        count(s.new_stories, "new story", "new stories"),
        s.already_stored,
        s.rejected,
        count(s.conflicts, "conflict", "conflicts"),
        count(s.warnings, "warning", "warnings"),
        s.seconds,
        s.stored as f64 / s.seconds.max(1e-9)
    )
}

/// Reads `paths` and ingests them in batches; errors and warnings go to stderr as they come.
pub fn run_ingest(
    ing: &mut Ingester,
    paths: &[PathBuf],
    opts: &ReadOptions,
    batch: usize,
    json_lines: bool,
    progress: bool,
) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let mut summary = Summary::default();
    let bar = progress.then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {pos} articles ({per_sec}) {elapsed} {msg}",
            )
            .expect("valid template"),
        );
        bar
    });
    let mut pending = Vec::with_capacity(batch);
    // Decided in publication order within what fits in a bounded buffer (see `crate::order`).
    let mut order = PublicationOrder::new(ing.config().ignore_dates);
    let mut failure: Option<anyhow::Error> = None;
    let cleaner = Cleaner::default();
    let config = ing.config();
    let mut messages = Messages::default();
    let report = |outcomes: Vec<Outcome>, summary: &mut Summary| -> anyhow::Result<()> {
        let mut out = std::io::stdout().lock();
        for o in &outcomes {
            match o {
                Outcome::Stored {
                    new_story, copy_of, ..
                } => {
                    summary.stored += 1;
                    summary.new_stories += u64::from(*new_story);
                    summary.copies += u64::from(copy_of.is_some());
                }
                Outcome::AlreadyStored { .. } => summary.already_stored += 1,
                Outcome::Conflict { message, .. } => {
                    summary.conflicts += 1;
                    let line = format!("error: {message}");
                    match &bar {
                        Some(bar) => bar.suspend(|| eprintln!("{line}")),
                        None => eprintln!("{line}"),
                    }
                }
            }
            if json_lines {
                writeln!(out, "{}", serde_json::to_string(o)?)?;
            }
        }
        if let Some(bar) = &bar {
            bar.inc(outcomes.len() as u64);
        }
        Ok(())
    };
    // Each batch is claimed, then prepared on every core by a preparer thread while the batch
    // before it is decided in order here; the writer thread commits each decided batch while the
    // next ones are read, prepared and decided. (Overlapping prepare and decide was once measured
    // no faster on two cores, when the writer was the bottleneck; since the writer got cheaper it
    // is faster: 10,000 articles, best of 8, 1.78 s -> 1.59 s.) One more batch is in memory.
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let (to_prepare, claimed_rx) = std::sync::mpsc::sync_channel::<Claimed>(1);
        let (prepared_tx, from_prepare) = std::sync::mpsc::sync_channel::<PreparedBatch>(1);
        let cleaner = &cleaner;
        scope.spawn(move || {
            for claimed in claimed_rx {
                if prepared_tx.send(claimed.prepare(cleaner, config)).is_err() {
                    break;
                }
            }
        });
        // Whether a batch is with the preparer and not decided yet.
        let mut in_flight = false;
        // Hands `articles` to the preparer, then decides the batch handed before it. An empty
        // `articles` only decides the batch in flight: the end of the input.
        let mut step = |articles: Vec<samestory_engine::Article>,
                        summary: &mut Summary|
         -> anyhow::Result<()> {
            let fresh = !articles.is_empty();
            if fresh {
                // Claimed before the batch in flight is decided: a repeat of one of that batch's
                // articles counts as already stored once it is (see `Ingester::claim`).
                to_prepare
                    .send(ing.claim(articles)?)
                    .map_err(|_| anyhow::anyhow!("the preparer thread stopped"))?;
            }
            if std::mem::replace(&mut in_flight, fresh) {
                let prepared = from_prepare
                    .recv()
                    .map_err(|_| anyhow::anyhow!("the preparer thread stopped"))?;
                report(ing.decide(prepared, None)?, summary)?;
            }
            Ok(())
        };
        read_paths(paths, opts, &mut |record| {
            if failure.is_some() {
                return;
            }
            match record {
                Record::Article(a, warnings) => {
                    for w in warnings {
                        summary.warnings += 1;
                        if let Some(line) = messages.line(Kind::Warning, &w) {
                            match &bar {
                                Some(bar) => bar.suspend(|| eprintln!("{line}")),
                                None => eprintln!("{line}"),
                            }
                        }
                    }
                    let Some(a) = order.push(*a) else {
                        return;
                    };
                    pending.push(a);
                    if pending.len() >= batch {
                        if let Err(e) = step(std::mem::take(&mut pending), &mut summary) {
                            failure = Some(e);
                        }
                    }
                }
                Record::Error(e) => {
                    summary.rejected += 1;
                    if let Some(line) = messages.line(Kind::Error, &e) {
                        match &bar {
                            Some(bar) => bar.suspend(|| eprintln!("{line}")),
                            None => eprintln!("{line}"),
                        }
                    }
                }
            }
        })?;
        if let Some(e) = failure.take() {
            return Err(e);
        }
        while let Some(a) = order.pop() {
            pending.push(a);
            if pending.len() >= batch {
                step(std::mem::take(&mut pending), &mut summary)?;
            }
        }
        step(std::mem::take(&mut pending), &mut summary)?;
        step(Vec::new(), &mut summary)
    })?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    messages.print_hidden();
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_says_one_copy_not_one_copies() {
        let one = Summary {
            stored: 1,
            copies: 1,
            new_stories: 1,
            conflicts: 1,
            warnings: 1,
            seconds: 1.0,
            ..Summary::default()
        };
        assert_eq!(
            summary_line(&one),
            "stored 1 article (1 copy, 1 new story); 0 already stored; 0 rejected; 1 conflict; 1 warning; 1.0s (1 articles/s)"
        );
        let many = Summary {
            stored: 3,
            copies: 2,
            seconds: 1.0,
            ..Summary::default()
        };
        assert!(
            summary_line(&many).starts_with("stored 3 articles (2 copies, 0 new stories); "),
            "{}",
            summary_line(&many)
        );
    }
}
