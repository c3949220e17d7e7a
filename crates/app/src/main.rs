//! `samestory`: the command line. Glue only: reading input, calling the engine and the store,
//! printing results. [`run`] runs the command that `cli` parsed; exit codes are decided in one
//! place, [`main`]. The allocator is set up in `alloc`.

mod alloc;
mod cli;
mod commands;
mod format;
mod ingest;
mod input;
mod order;
mod outlets;
mod serve;
mod spill;
mod watch;
mod writers;

use commands::printers as output;
use commands::{cluster, compare, dedup, eval, extract, train};

use anyhow::Context;
use clap::Parser;
use cli::{Cli, Command, DbArg, UsageError};
use format::count;
use std::process::ExitCode;

/// Exit codes, documented in the README.
pub mod exit {
    /// Everything went through.
    pub const OK: u8 = 0;
    /// A fatal error: nothing (more) could be done.
    pub const FAILURE: u8 = 1;
    /// The command line is wrong (clap's own code).
    pub const USAGE: u8 = 2;
    /// The command finished, but some input records were rejected (each was reported).
    pub const PARTIAL: u8 = 3;
    /// A requested item (story, article) does not exist.
    pub const NOT_FOUND: u8 = 4;
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Ingest {
            paths,
            db,
            engine,
            input,
            batch,
            json,
            outlet_map,
        } => {
            let config = engine.config()?;
            engine.check_database(&db.db)?;
            commands::ingest::run(
                &db.db,
                &paths,
                config,
                &input.options(),
                batch.max(1),
                json,
                outlet_map.as_deref(),
            )
        }
        Command::Stories {
            db,
            filter,
            limit,
            json,
            output: file,
        } => output::stories(&open_existing(&db)?, &filter, limit, json, file.as_deref()),
        Command::Story { id, db, json } => output::story(&open_existing(&db)?, &id, json),
        Command::Copies { db, limit, json } => output::copies(&open_existing(&db)?, limit, json),
        Command::Storylines { db, limit, json } => {
            output::storylines(&open_existing(&db)?, limit, json)
        }
        Command::Storyline { id, db, json } => output::storyline(&open_existing(&db)?, &id, json),
        Command::Compare {
            a,
            b,
            db,
            engine,
            json,
        } => compare::run(&a, &b, &db.db, engine.config_over(&db.db)?, json),
        Command::Clean { file, json } => output::clean(&file, json),
        Command::Export { what, output, db } => {
            commands::export::run(&open_existing(&db)?, what, &output)
        }
        Command::Extract {
            pages, items: true, ..
        } => extract::run_items(&pages),
        Command::Extract {
            pages, url, json, ..
        } => extract::run(&pages, url.as_deref(), json),
        Command::Serve {
            db,
            addr,
            token,
            private,
            max_body_bytes,
            max_articles_per_request,
            read_timeout_ms,
            header_timeout_secs,
            body_timeout_secs,
            max_connections,
            allowed_hosts,
            engine,
            watch,
            watch_args,
        } => {
            let token = cli::check_token(token)?;
            let config = engine.config()?;
            engine.check_database(&db.db)?;
            let watch = match watch {
                Some(feeds) => Some((feeds, watch_args.options(false)?)),
                None => None,
            };
            serve::run(serve::ServeOptions {
                db: db.db,
                addr,
                token,
                private,
                max_body_bytes,
                max_articles_per_request: max_articles_per_request as usize,
                read_timeout: std::time::Duration::from_millis(read_timeout_ms),
                body_timeout: std::time::Duration::from_secs(body_timeout_secs),
                allowed_hosts,
                connections: serve::listen::ConnectionLimits {
                    max_connections: max_connections as usize,
                    header_timeout: std::time::Duration::from_secs(header_timeout_secs),
                },
                config,
                watch,
            })
        }
        Command::Watch {
            feeds,
            db,
            engine,
            watch,
            once,
            json,
        } => {
            let config = engine.config()?;
            engine.check_database(&db.db)?;
            commands::watch::run(&db.db, &feeds, config, &watch.options(once)?, json)
        }
        Command::Feeds { db, json } => commands::watch::list(&open_existing(&db)?, json),
        Command::Dedup {
            inputs,
            threshold,
            shingle,
            output,
            clusters,
            pairs,
            input,
        } => {
            cli::check_dedup(threshold, shingle)?;
            let opts = dedup::DedupOptions {
                threshold,
                shingle,
                output,
                clusters,
                pairs,
                read: input.options(),
            };
            let s = dedup::run(&inputs, &opts)?;
            eprintln!(
                "{}: {} in {} ({} verified of {}), {} kept, {} rejected; {:.2}s ({:.0} articles/s)",
                count(s.articles, "article", "articles"),
                count(s.copies, "copy", "copies"),
                count(s.families, "family", "families"),
                count(s.pairs, "pair", "pairs"),
                count(s.candidates, "candidate", "candidates"),
                s.kept,
                s.rejected,
                s.seconds,
                s.articles as f64 / s.seconds.max(1e-9)
            );
            Ok(if s.rejected > 0 {
                exit::PARTIAL
            } else {
                exit::OK
            })
        }
        Command::Cluster {
            paths,
            output,
            engine,
            input,
        } => cluster::run(
            &paths,
            output.as_deref(),
            engine.config()?,
            &input.options(),
        ),
        Command::TrainStories {
            spec,
            out,
            leave_out,
            engine,
        } => train::run(&spec, &out, &leave_out, engine.config()?),
        Command::Eval {
            paths,
            label,
            storylines,
            engine,
            input,
            json,
            assignments,
        } => eval::run(
            &paths,
            &label,
            engine.config()?,
            &input.options(),
            storylines,
            json,
            assignments.as_deref(),
        ),
    }
}

fn open_existing(db: &DbArg) -> anyhow::Result<samestory_store::Store> {
    if !db.db.exists() {
        anyhow::bail!(
            "{}: no such database (run `samestory ingest` first, or pass --db)",
            db.db.display()
        );
    }
    samestory_store::Store::open(&db.db).with_context(|| format!("opening {}", db.db.display()))
}

fn main() -> ExitCode {
    alloc::tune();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::from(exit::OK);
            }
            eprintln!("samestory: {e:#}");
            if e.downcast_ref::<UsageError>().is_some() {
                return ExitCode::from(exit::USAGE);
            }
            let not_found = e.chain().any(|c| {
                matches!(
                    c.downcast_ref(),
                    Some(samestory_store::StoreError::NotFound(_))
                )
            });
            ExitCode::from(if not_found {
                exit::NOT_FOUND
            } else {
                exit::FAILURE
            })
        }
    }
}
