//! `samestory cluster`: the whole pipeline (cleaning, copies, stories) in memory, no database;
//! writes `id<TAB>story` lines. For measuring and for corpus work where no store is wanted.

use super::messages::{Kind, Messages};
use crate::exit;
use crate::format::count;
use crate::input::{read_paths, ReadOptions, Record};
use anyhow::Context;
use rayon::prelude::*;
use samestory_engine::clean::Cleaner;
use samestory_engine::pipeline::{prepare, Config, Engine, Prepared, StoryId};
use samestory_engine::Article;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Articles prepared together, then handed to the decider. Up to 2 × [`QUEUED`] + 4 batches are
/// in memory (one being read, up to `QUEUED` read, one being prepared, one prepared and waiting
/// to be sent, up to `QUEUED` prepared, one decided), each article with its text, cleaned text and
/// term counts (some 20 KiB): 1,024 a batch held 45 MiB more than 256 on 100k articles, and 256
/// 10 MiB more than 64 on 100k and 1M, each at the same speed.
const BATCH: usize = 64;

/// Batches waiting between two threads (read and not yet prepared; prepared and not yet
/// decided): a few, so that a slow batch on one side does not leave the other side's core idle.
const QUEUED: usize = 4;

pub fn run(
    paths: &[PathBuf],
    output: Option<&Path>,
    config: Config,
    opts: &ReadOptions,
) -> anyhow::Result<u8> {
    let started = Instant::now();
    let mut out: Box<dyn Write + Send> = match output {
        Some(p) => Box::new(BufWriter::new(std::fs::File::create(p)?)),
        None => Box::new(BufWriter::new(std::io::stdout())),
    };
    writeln!(out, "id\tcluster")?;
    let cleaner = Cleaner::default();
    // Batches are prepared (in parallel) while the previous one is decided (in order) on a
    // thread of its own, so the sequential decisions overlap the parallel work.
    let (to_decider, batches) =
        std::sync::mpsc::sync_channel::<(Vec<Article>, Vec<Prepared>)>(QUEUED);
    let decider = std::thread::Builder::new().name("decider".into()).spawn(
        move || -> anyhow::Result<(u64, u64, usize)> {
            let mut engine = Engine::new(config);
            crate::spill::attach(&mut engine)?;
            let mut story_ids = crate::spill::StoryIds::new()
                .context("creating the temporary file for story ids")?;
            let (mut articles, mut copies) = (0u64, 0u64);
            for (batch, prepared) in batches {
                for (a, p) in batch.iter().zip(&prepared) {
                    let o = engine.add(p);
                    if o.story_created {
                        story_ids
                            .push(StoryId::of(&a.id))
                            .context("writing story ids to their temporary file")?;
                    }
                    copies += u64::from(o.copy_of.is_some());
                    let story = story_ids
                        .get(o.story)
                        .context("reading a story id back from its temporary file")?;
                    writeln!(out, "{}\t{story}", a.id)?;
                }
                // As ingest does: cold stories leave memory. No store here: the change lists
                // the store would have taken are dropped.
                if engine.maintain(batch.len(), true).is_some() {
                    crate::spill::report_error(&mut engine);
                }
                articles += batch.len() as u64;
            }
            out.flush()?;
            Ok((articles, copies, story_ids.len()))
        },
    )?;
    // Batches are read and parsed here while the one before is prepared on a thread of its own
    // (with rayon), so that reading, which is sequential, overlaps the preparing too.
    let (to_preparer, read_batches) = std::sync::mpsc::sync_channel::<Vec<Article>>(QUEUED);
    let preparer = std::thread::Builder::new()
        .name("preparer".into())
        .spawn(move || {
            for batch in read_batches {
                let prepared: Vec<Prepared> = batch
                    .par_iter()
                    .map(|a| prepare(a, &cleaner, &config))
                    .collect();
                // A send fails only when the decider stopped on an error, which join reports.
                if to_decider.send((batch, prepared)).is_err() {
                    break;
                }
            }
        })?;
    let mut rejected = 0u64;
    let mut batch: Vec<Article> = Vec::with_capacity(BATCH);
    let mut decider_gone = false;
    let mut messages = Messages::default();
    read_paths(paths, opts, &mut |r| match r {
        Record::Article(a, _) => {
            batch.push(*a);
            if batch.len() == BATCH && !decider_gone {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                decider_gone = to_preparer.send(full).is_err();
            }
        }
        Record::Error(e) => {
            rejected += 1;
            messages.print(Kind::Error, &e);
        }
    })?;
    messages.print_hidden();
    if !decider_gone {
        let _ = to_preparer.send(batch);
    }
    drop(to_preparer);
    preparer
        .join()
        .map_err(|_| anyhow::anyhow!("the preparer thread panicked"))?;
    let (articles, copies, stories) = decider
        .join()
        .map_err(|_| anyhow::anyhow!("the decider thread panicked"))??;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "{}: {}, {}, {rejected} rejected; {seconds:.2}s ({:.0} articles/s)",
        count(articles, "article", "articles"),
        count(stories as u64, "story", "stories"),
        count(copies, "copy", "copies"),
        articles as f64 / seconds.max(1e-9)
    );
    Ok(if rejected > 0 {
        exit::PARTIAL
    } else {
        exit::OK
    })
}
