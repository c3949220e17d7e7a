//! `samestory cluster`: the whole pipeline (cleaning, copies, stories) in memory, no database;
//! writes `id<TAB>story` lines. For measuring and for corpus work where no store is wanted.

use crate::exit;
use crate::input::{read_paths, ReadOptions, Record};
use rayon::prelude::*;
use samestory_engine::clean::Cleaner;
use samestory_engine::pipeline::{prepare, story_id, Config, Engine};
use samestory_engine::Article;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

pub fn run(
    paths: &[PathBuf],
    output: Option<&Path>,
    config: Config,
    opts: &ReadOptions,
) -> anyhow::Result<u8> {
    let started = Instant::now();
    let mut out: Box<dyn Write> = match output {
        Some(p) => Box::new(BufWriter::new(std::fs::File::create(p)?)),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    writeln!(out, "id\tcluster")?;
    let cleaner = Cleaner::default();
    let mut engine = Engine::new(config);
    let mut story_ids: Vec<String> = Vec::new();
    let (mut rejected, mut articles, mut copies) = (0u64, 0u64, 0u64);
    let mut batch: Vec<Article> = Vec::with_capacity(4096);
    let mut failure = None;
    let mut flush = |batch: &mut Vec<Article>, out: &mut Box<dyn Write>| -> anyhow::Result<()> {
        let prepared: Vec<_> = batch
            .par_iter()
            .map(|a| prepare(a, &cleaner, &config))
            .collect();
        for (a, p) in batch.iter().zip(&prepared) {
            let o = engine.add(p);
            if o.story_created {
                story_ids.push(story_id(&a.id));
            }
            copies += u64::from(o.copy_of.is_some());
            writeln!(out, "{}\t{}", a.id, story_ids[o.story as usize])?;
        }
        if engine.doc_count() % 16_384 < batch.len() {
            // No store here: drop the change lists the store would have taken.
            engine.clusterer_mut().take_dirty();
            engine.clusterer_mut().take_dirty_df();
            engine.clusterer_mut().evict_cold();
        }
        articles += batch.len() as u64;
        batch.clear();
        Ok(())
    };
    read_paths(paths, opts, &mut |r| match r {
        Record::Article(a, _) => {
            batch.push(*a);
            if batch.len() == 4096 && failure.is_none() {
                if let Err(e) = flush(&mut batch, &mut out) {
                    failure = Some(e);
                }
            }
        }
        Record::Error(e) => {
            rejected += 1;
            eprintln!("error: {e}");
        }
    })?;
    if let Some(e) = failure {
        return Err(e);
    }
    flush(&mut batch, &mut out)?;
    out.flush()?;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "{articles} articles: {} stories, {copies} copies, {rejected} rejected; {seconds:.2}s ({:.0} articles/s)",
        story_ids.len(),
        articles as f64 / seconds.max(1e-9)
    );
    Ok(if rejected > 0 {
        exit::PARTIAL
    } else {
        exit::OK
    })
}
