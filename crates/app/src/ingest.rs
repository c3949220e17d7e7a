//! Ingest: articles through the engine into the store, in batches.
//!
//! A batch is prepared in parallel (cleaning, signatures, term counts: pure per-article work), then
//! decided in order by the engine, then handed to a writer thread that owns the store and writes it
//! in one transaction while the next batch is being prepared. Articles whose id is already stored are
//! skipped, so re-running an ingest stores nothing new, and an ingest killed mid-batch loses only
//! uncommitted batches: the next run reloads the engine from the store and takes them again.
//!
//! An id already stored is a re-ingest only when the record is the same one ([`Claim`]): another
//! text under an id the record gave is a [`Outcome::Conflict`], reported and not stored (under an
//! id derived from a url it is the same article reached another way, a page and a feed item that
//! links to it, and counts as stored); and a record whose id was
//! derived from its title and text (it came without one) that differs in source or date is
//! another publication of the same text, stored under an id that also covers them (the later
//! one a copy). Ids derived before this rule are the ones derived now for a first publication, so
//! an existing database's re-ingest stays a no-op.

use crate::outlets::OutletMap;
use crate::spill::StoryIds;
use anyhow::Context;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use samestory_engine::article::stable_hash;
use samestory_engine::clean::Cleaner;
use samestory_engine::pipeline::{prepare, Config, Engine, Prepared, StoryId};
use samestory_engine::stories::RevivalSpan;
use samestory_engine::text::distinct_words;
use samestory_engine::{Article, DocIdx, Origin, StoryIdx};
use samestory_store::{EngineDelta, NewArticle, Store};
use serde::Serialize;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread::JoinHandle;

/// The one writer of a database: an exclusive lock on `DB.lock` beside it, held while the value
/// lives (the operating system lets it go when the process ends, however it ends). SQLite would let
/// two writers take turns, but each holds the engine's decisions in memory and would write them
/// over the other's (a second writer beside the server once made a POST fail with `UNIQUE
/// constraint failed: stories.idx`). `samestory ingest` and `samestory serve` take it before
/// opening the [`Ingester`]; readers need none.
#[derive(Debug)]
pub struct WriterLock {
    _file: std::fs::File,
}

impl WriterLock {
    /// Takes the lock of the database at `db`, or says who holds it. The lock is beside the file
    /// `db` resolves to, so a symbolic link to a database (or to its folder) finds the same lock.
    pub fn acquire(db: &Path) -> anyhow::Result<WriterLock> {
        let resolved = std::fs::canonicalize(db).ok().or_else(|| {
            // A database not made yet: its folder resolved.
            let folder = match db.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            Some(std::fs::canonicalize(folder).ok()?.join(db.file_name()?))
        });
        let mut name = resolved.as_deref().unwrap_or(db).as_os_str().to_owned();
        name.push(".lock");
        let path = PathBuf::from(name);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("{}: cannot create the writer lock", path.display()))?;
        match file.try_lock() {
            Ok(()) => Ok(WriterLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
                "another writer holds {} (a `samestory ingest` or `samestory serve` on the same database; lock {}): wait for it to end, or send the articles to the server with POST /api/articles",
                db.display(),
                path.display()
            ),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(e).with_context(|| format!("{}: cannot lock", path.display()))
            }
        }
    }
}

/// What happened to one article.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    Stored {
        id: String,
        story: String,
        new_story: bool,
        copy_of: Option<String>,
        jaccard: Option<f32>,
    },
    AlreadyStored {
        id: String,
        story: String,
    },
    /// A different text is stored (or was sent earlier in this run) under this id: the record
    /// is not stored.
    Conflict {
        id: String,
        message: String,
    },
}

/// Counts for the end-of-ingest summary.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    pub stored: u64,
    pub already_stored: u64,
    pub rejected: u64,
    pub conflicts: u64,
    pub warnings: u64,
    pub new_stories: u64,
    pub copies: u64,
    pub seconds: f64,
}

/// One decided article, owned, on its way to the writer.
struct Decided {
    article: Article,
    prepared: Prepared,
    /// The distinct words of the clean text, for the search index.
    search_words: String,
    doc: DocIdx,
    story: StoryIdx,
    new_story_id: Option<String>,
    story_similarity: f32,
    original: DocIdx,
    copy_jaccard: Option<f32>,
    copy_exact: bool,
    repointed: Vec<DocIdx>,
}

struct WriteJob {
    batch: Vec<Decided>,
    delta: EngineDelta,
    /// Answered once the batch is committed.
    done: Option<mpsc::Sender<Result<(), String>>>,
    /// Nothing to write: only answered, once the jobs before it are committed.
    barrier: bool,
}

/// Decided batches whose ids stay in memory: the writer holds at most two batches (one being
/// written, one waiting), so the ones before the last three are committed.
const RECENT_BATCHES: usize = 3;

/// The most ids kept for the documents the engine holds (those without a date never leave it).
const MAX_RECENT_IDS: usize = 1 << 18;

fn write(store: &mut Store, job: &WriteJob) -> samestory_store::Result<()> {
    let rows: Vec<NewArticle<'_>> = job
        .batch
        .iter()
        .map(|d| NewArticle {
            article: &d.article,
            doc: d.doc,
            published: d.prepared.published,
            clean_text: &d.prepared.cleaned.text,
            search_words: &d.search_words,
            removals: &d.prepared.cleaned.removals,
            words: d.prepared.words,
            exact_hash: d.prepared.exact_hash,
            signature: &d.prepared.signature,
            story: d.story,
            new_story_id: d.new_story_id.clone(),
            story_similarity: d.story_similarity,
            original: d.original,
            copy_jaccard: d.copy_jaccard,
            copy_exact: d.copy_exact,
            repointed: &d.repointed,
            language: d.prepared.language,
        })
        .collect();
    store.write_batch(&rows, &job.delta)
}

/// What an id was claimed with: its document (`DocIdx::MAX` until decided), a hash of its text,
/// its source's hash and its date, which tell a re-ingest from a conflict or a re-send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Claim {
    doc: DocIdx,
    text: u64,
    source: u64,
    published: Option<i64>,
}

impl Claim {
    fn of(doc: DocIdx, text: &str, source: Option<&str>, published: Option<i64>) -> Claim {
        Claim {
            doc,
            text: stable_hash(text.as_bytes()),
            source: stable_hash(source.map(str::trim).unwrap_or("").as_bytes()),
            published,
        }
    }

    fn of_article(doc: DocIdx, a: &Article) -> Claim {
        Claim::of(doc, &a.text, a.source.as_deref(), a.published)
    }

    /// Whether `other`, with the same text, came from another source or date. A record without
    /// a date matches any: the store keeps the date found in the text for such a record.
    fn other_origin(&self, other: &Claim) -> bool {
        self.source != other.source || other.published.is_some_and(|t| self.published != Some(t))
    }
}

/// What a conflict says: where both records were read, when the first is still known (it was
/// read in this run, at most [`RECENT_BATCHES`] batches before; a stored article does not keep
/// where it came from).
fn conflict_message(article: &Article, first: Option<&Origin>) -> String {
    let here = article
        .origin
        .as_ref()
        .map(|at| format!("{at}: "))
        .unwrap_or_default();
    let first = match first {
        Some(at) => format!("the first read at {at}"),
        None => "stored by an earlier ingest, or too far back in this one to say where".to_owned(),
    };
    format!(
        "{here}id `{}`: a different text is already stored under this id ({first}); conflict, record not stored",
        article.id
    )
}

/// Whether the article's id is the one derived from its title and text (it came without an id
/// or url): then another source or date under the same id is a re-send, not the same record.
fn id_from_content(a: &Article) -> bool {
    a.url.is_none() && a.id == Article::derive_id(None, a.title.as_deref(), &a.text)
}

/// Whether the article's id is the one derived from its url: a page and the feed items that
/// link to it are one article whatever text each gives, stored once.
fn id_from_url(a: &Article) -> bool {
    a.url
        .as_deref()
        .is_some_and(|u| a.id == Article::derive_id(Some(u), None, ""))
}

/// The id of a re-send: derived from title, text, source and date.
fn resend_id(a: &Article) -> String {
    let mut bytes = Vec::with_capacity(a.text.len() + 96);
    bytes.extend_from_slice(a.title.as_deref().unwrap_or("").as_bytes());
    bytes.push(0);
    bytes.extend_from_slice(a.text.as_bytes());
    bytes.push(0);
    bytes.extend_from_slice(a.source.as_deref().unwrap_or("").trim().as_bytes());
    bytes.push(0);
    if let Some(t) = a.published {
        bytes.extend_from_slice(t.to_string().as_bytes());
    }
    format!("c{:016x}", stable_hash(&bytes))
}

/// The channel to the writer thread, and the thread.
type Writer = (mpsc::SyncSender<WriteJob>, JoinHandle<Result<(), String>>);

/// A batch sorted by [`Ingester::claim`].
pub struct Claimed {
    outcomes: Vec<Option<Outcome>>,
    fresh: Vec<(usize, Article)>,
    repeats: Vec<(usize, String)>,
}

/// A claimed batch with its fresh articles prepared (the pure, parallel part of the pipeline).
pub struct PreparedBatch {
    outcomes: Vec<Option<Outcome>>,
    prepared: Vec<(usize, Article, Prepared, String)>,
    repeats: Vec<(usize, String)>,
}

impl Claimed {
    /// Prepares the fresh articles on every core. Needs no access to the engine.
    pub fn prepare(self, cleaner: &Cleaner, config: Config) -> PreparedBatch {
        let prepared = self
            .fresh
            .into_par_iter()
            .map(|(i, mut a)| {
                let p = prepare(&a, cleaner, &config);
                // A URL line at the top of the text is the page's address when the record has none.
                if a.url.is_none() {
                    a.url.clone_from(&p.cleaned.url);
                }
                let words = distinct_words(&p.cleaned.text);
                (i, a, p, words)
            })
            .collect();
        PreparedBatch {
            outcomes: self.outcomes,
            prepared,
            repeats: self.repeats,
        }
    }
}

pub struct Ingester {
    engine: Engine,
    cleaner: Cleaner,
    db: PathBuf,
    /// Ids claimed by the batches not decided yet (`DocIdx::MAX`) and those of the documents
    /// decided in the last [`RECENT_BATCHES`] batches, which may not be committed yet; with where
    /// each was read, which a conflict names.
    claims: FxHashMap<String, (Claim, Option<Origin>)>,
    /// The ids of the documents from `recent_base` on: those the engine still holds (the
    /// originals of near copies are among them) and those not surely committed.
    recent_ids: VecDeque<String>,
    recent_base: DocIdx,
    /// The documents before it are committed; how many each later batch decided.
    committed_base: DocIdx,
    recent_batches: VecDeque<usize>,
    /// Story ids by story index.
    story_ids: StoryIds,
    writer: Option<Writer>,
    /// A read-only connection, for what the engine no longer keeps in memory.
    reader: Store,
    /// Whether stories left memory whose last state may still be in a batch being written.
    evicted_unsynced: bool,
    /// The names outlets are stored under ([`crate::outlets`]).
    outlets: OutletMap,
}

impl Ingester {
    /// Opens the pipeline over the database at `db`. A database remembers the configuration it was
    /// created with; `config` applies only to a new one.
    pub fn open(db: &Path, config: Config) -> anyhow::Result<Ingester> {
        let store = Store::open(db).with_context(|| format!("opening {}", db.display()))?;
        let config = match store.config()? {
            Some(c) => Config {
                ignore_dates: config.ignore_dates,
                story_memory_bytes: config.story_memory_bytes,
                ..c
            },
            None => {
                store.set_config(&config)?;
                config
            }
        };
        let outlets = match store.outlet_map_json()? {
            Some(json) => {
                OutletMap::from_json(&json).with_context(|| format!("reading {}", db.display()))?
            }
            None => OutletMap::default(),
        };
        let mut engine = store.load_engine(config)?;
        crate::spill::attach(&mut engine)?;
        let engine_docs = DocIdx::at(engine.doc_count());
        let mut story_ids = StoryIds::new().context("creating the temporary file for story ids")?;
        store.each_story_id(|id| -> anyhow::Result<()> {
            let parsed = StoryId::parse(&id)
                .with_context(|| format!("story id {id:?} in {}", db.display()))?;
            story_ids.push(parsed)?;
            Ok(())
        })?;
        // Two batches in flight at most: one being written, one waiting.
        let (tx, rx) = mpsc::sync_channel::<WriteJob>(1);
        let mut store = store;
        let handle = std::thread::Builder::new()
            .name("samestory-writer".into())
            .spawn(move || {
                for job in rx {
                    let result = if job.barrier {
                        Ok(())
                    } else {
                        write(&mut store, &job).map_err(|e| e.to_string())
                    };
                    if let Some(done) = &job.done {
                        let _ = done.send(result.clone());
                    }
                    result?;
                }
                Ok(())
            })?;
        Ok(Ingester {
            engine,
            cleaner: Cleaner::default(),
            db: db.to_owned(),
            claims: FxHashMap::default(),
            recent_ids: VecDeque::new(),
            recent_base: engine_docs,
            committed_base: engine_docs,
            recent_batches: VecDeque::new(),
            story_ids,
            writer: Some((tx, handle)),
            reader: Store::open_read_only(db)?,
            evicted_unsynced: false,
            outlets,
        })
    }

    /// Ingests one batch and waits until it is committed; an outcome per input article, in order.
    pub fn ingest(&mut self, articles: Vec<Article>) -> anyhow::Result<Vec<Outcome>> {
        let (done, wait) = mpsc::channel();
        let outcomes = self.submit(articles, Some(done))?;
        self.committed(wait)?;
        Ok(outcomes)
    }

    /// The configuration the engine runs with.
    pub fn config(&self) -> Config {
        *self.engine.config()
    }

    /// Waits for every batch to be committed.
    pub fn finish(mut self) -> anyhow::Result<()> {
        let Some((tx, handle)) = self.writer.take() else {
            return Ok(());
        };
        drop(tx);
        match handle.join() {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => anyhow::bail!("writing to {}: {e}", self.db.display()),
            Err(_) => anyhow::bail!("the writer thread panicked"),
        }
    }

    /// Hands a job to the writer thread.
    fn send(&mut self, job: WriteJob) -> anyhow::Result<()> {
        match &self.writer {
            Some((tx, _)) if tx.send(job).is_ok() => Ok(()),
            _ => Err(self.writer_failure()),
        }
    }

    /// Waits for the answer of a job handed to the writer: its batch committed, or why not.
    fn committed(&mut self, wait: mpsc::Receiver<Result<(), String>>) -> anyhow::Result<()> {
        match wait.recv() {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => anyhow::bail!("writing to {}: {e}", self.db.display()),
            Err(_) => Err(self.writer_failure()),
        }
    }

    fn writer_failure(&mut self) -> anyhow::Error {
        match self.writer.take().map(|(_, h)| h.join()) {
            Some(Ok(Err(e))) => anyhow::anyhow!("writing to {}: {e}", self.db.display()),
            _ => anyhow::anyhow!("the writer thread stopped"),
        }
    }

    fn submit(
        &mut self,
        articles: Vec<Article>,
        done: Option<mpsc::Sender<Result<(), String>>>,
    ) -> anyhow::Result<Vec<Outcome>> {
        let claimed = self.claim(articles)?;
        let prepared = claimed.prepare(&self.cleaner, *self.engine.config());
        self.decide(prepared, done)
    }

    /// The id of a decided document's story: from the engine while the document is in its copy
    /// window, else from the store (after waiting for the batches in flight to be committed, if
    /// the document is not there yet).
    fn story_of(&mut self, doc: DocIdx) -> anyhow::Result<String> {
        if let Some(s) = self.engine.story_of(doc) {
            return Ok(self.story_ids.get(s)?.to_string());
        }
        if let Some(id) = self.reader.story_id_of_doc(doc)? {
            return Ok(id);
        }
        self.sync()?;
        self.reader
            .story_id_of_doc(doc)?
            .with_context(|| format!("article {doc} is not in the store"))
    }

    /// The id of a decided document: kept while the engine holds the document or its batch may
    /// not be committed, else read from the store.
    fn id_of(&mut self, doc: DocIdx) -> anyhow::Result<String> {
        if let Some(p) = doc.raw().checked_sub(self.recent_base.raw()) {
            return Ok(self.recent_ids[p as usize].clone());
        }
        self.reader
            .article_id(doc)?
            .with_context(|| format!("article {doc} is not in the store"))
    }

    /// The claim of a committed article, by id: looked up in the store, which memory would
    /// otherwise have to mirror with something for every article ever stored.
    fn stored_claim(&self, id: &str) -> anyhow::Result<Option<Claim>> {
        Ok(self
            .reader
            .article_identity(id)?
            .map(|s| Claim::of(s.doc, &s.text, s.source.as_deref(), s.published)))
    }

    /// The claim on `id`: by a batch of this run, else by the store.
    fn claim_of(&self, id: &str) -> anyhow::Result<Option<Claim>> {
        match self.claims.get(id) {
            Some(&(claim, _)) => Ok(Some(claim)),
            None => self.stored_claim(id),
        }
    }

    /// Drops from the claims the ids of the batches that are surely committed (all but the last
    /// [`RECENT_BATCHES`] handed to the writer): the store answers for them from then on. Lets
    /// the ids the engine no longer holds leave memory.
    fn forget_committed(&mut self, decided: usize) {
        self.recent_batches.push_back(decided);
        while self.recent_batches.len() > RECENT_BATCHES {
            let n = self.recent_batches.pop_front().unwrap_or(0) as u32;
            let (from, to) = (self.committed_base.raw(), self.committed_base.raw() + n);
            for doc in from..to {
                let id = &self.recent_ids[(doc - self.recent_base.raw()) as usize];
                self.claims.remove(id);
            }
            self.committed_base = DocIdx::from_raw(to);
        }
        while self.recent_base < self.committed_base
            && (self.engine.story_of(self.recent_base).is_none()
                || self.recent_ids.len() > MAX_RECENT_IDS)
        {
            self.recent_ids.pop_front();
            self.recent_base = self.recent_base.next();
        }
    }

    /// Brings back from the store the stories a late article could join that left memory (see
    /// [`Engine::revival_span`]), once every batch handed to the writer is committed (a story
    /// leaves memory only after its last change was handed over).
    fn revive(&mut self, span: RevivalSpan) -> anyhow::Result<()> {
        self.sync_evicted()?;
        let mut states = Vec::new();
        for story in self.reader.stories_in_revival_span(span)? {
            if !self.engine.is_live(story) {
                if let Some(state) = self.reader.story_state(story)? {
                    states.push((story, state));
                }
            }
        }
        self.engine.revive(span, states);
        Ok(())
    }

    /// Counts a copy in its family's story when that story had left memory: brought back from the
    /// store, so that its size and time span include the copy as an uninterrupted run's would.
    fn count_copy(&mut self, story: StoryIdx, prepared: &Prepared) -> anyhow::Result<()> {
        self.sync_evicted()?;
        if let Some(state) = self.reader.story_state(story)? {
            self.engine.count_copy(story, state, prepared);
        }
        Ok(())
    }

    /// Waits for the writer when stories left memory whose last state may not be committed yet.
    fn sync_evicted(&mut self) -> anyhow::Result<()> {
        if self.evicted_unsynced {
            self.sync()?;
            self.evicted_unsynced = false;
        }
        Ok(())
    }

    /// Waits until every batch handed to the writer is committed.
    fn sync(&mut self) -> anyhow::Result<()> {
        let (done, wait) = mpsc::channel();
        let job = WriteJob {
            batch: Vec::new(),
            delta: EngineDelta::default(),
            done: Some(done),
            barrier: true,
        };
        self.send(job)?;
        self.committed(wait)
    }

    /// Sorts a batch into articles already stored (or repeated in it), conflicts and fresh ones,
    /// and claims the fresh ids, so that a repeat in this or the next batch counts as stored.
    /// Outlet names are first made the names they are stored under ([`crate::outlets`]).
    pub fn claim(&mut self, mut articles: Vec<Article>) -> anyhow::Result<Claimed> {
        for a in &mut articles {
            a.source = self.outlets.name(a.source.as_deref());
        }
        let mut outcomes: Vec<Option<Outcome>> = vec![None; articles.len()];
        let mut fresh = Vec::with_capacity(articles.len());
        let mut repeats = Vec::new();
        for (i, mut a) in articles.into_iter().enumerate() {
            let mut known = self.claim_of(&a.id)?;
            let mine = Claim::of_article(DocIdx::MAX, &a);
            if let Some(k) = known {
                if k.text == mine.text && k.other_origin(&mine) && id_from_content(&a) {
                    a.id = resend_id(&a);
                    known = self.claim_of(&a.id)?;
                }
            }
            match known {
                Some(k) if k.text != mine.text && !id_from_url(&a) => {
                    let first = self.claims.get(&a.id).and_then(|(_, at)| at.as_ref());
                    let message = conflict_message(&a, first);
                    outcomes[i] = Some(Outcome::Conflict { id: a.id, message });
                }
                Some(Claim {
                    doc: DocIdx::MAX, ..
                }) => repeats.push((i, a.id)),
                Some(k) => {
                    let story = self.story_of(k.doc)?;
                    outcomes[i] = Some(Outcome::AlreadyStored { id: a.id, story });
                }
                None => {
                    self.claims.insert(a.id.clone(), (mine, a.origin.take()));
                    fresh.push((i, a));
                }
            }
        }
        Ok(Claimed {
            outcomes,
            fresh,
            repeats,
        })
    }

    /// Decides a prepared batch in order and hands it to the writer. Returns an outcome per
    /// article of the batch, in input order.
    pub fn decide(
        &mut self,
        batch_in: PreparedBatch,
        done: Option<mpsc::Sender<Result<(), String>>>,
    ) -> anyhow::Result<Vec<Outcome>> {
        let PreparedBatch {
            mut outcomes,
            prepared,
            repeats,
        } = batch_in;
        let mut batch = Vec::with_capacity(prepared.len());
        for (i, article, mut prepared, search_words) in prepared {
            if let Some(span) = self.engine.revival_span(&prepared) {
                self.revive(span)?;
            }
            let o = self.engine.add(&prepared);
            if o.story_evicted {
                self.count_copy(o.story, &prepared)?;
            }
            // Decided: the writer stores no term counts, and the batches on their way to it would
            // hold them (some 10 KiB an article).
            prepared.terms = Default::default();
            let new_story_id = o.story_created.then(|| StoryId::of(&article.id));
            if let Some(id) = new_story_id {
                debug_assert_eq!(self.story_ids.len(), o.story.index());
                self.story_ids.push(id)?;
            }
            debug_assert_eq!(
                self.recent_base.index() + self.recent_ids.len(),
                o.doc.index()
            );
            self.recent_ids.push_back(article.id.clone());
            // With the date the store keeps, as a later run reads it back.
            let claim = Claim::of(
                o.doc,
                &article.text,
                article.source.as_deref(),
                prepared.published,
            );
            match self.claims.get_mut(&article.id) {
                Some((claimed, _)) => *claimed = claim,
                None => {
                    self.claims.insert(article.id.clone(), (claim, None));
                }
            }
            let copy_of = match o.copy_of {
                Some(c) => Some(self.id_of(c.original)?),
                None => None,
            };
            outcomes[i] = Some(Outcome::Stored {
                id: article.id.clone(),
                story: self.story_ids.get(o.story)?.to_string(),
                new_story: o.story_created,
                copy_of,
                jaccard: o.copy_of.map(|c| c.jaccard),
            });
            batch.push(Decided {
                doc: o.doc,
                story: o.story,
                new_story_id: new_story_id.map(|id| id.to_string()),
                story_similarity: o.story_similarity,
                original: o.copy_of.map_or(o.doc, |c| c.original),
                copy_jaccard: o.copy_of.map(|c| c.jaccard),
                copy_exact: o.copy_of.is_some_and(|c| c.exact),
                repointed: o.repointed,
                article,
                prepared,
                search_words,
            });
        }
        for (i, id) in repeats {
            let story = self.story_of(self.claims[&id].0.doc)?;
            outcomes[i] = Some(Outcome::AlreadyStored { id, story });
        }
        let delta = EngineDelta::take(&mut self.engine);
        if let Some(evicted) = self.engine.maintain(batch.len(), false) {
            self.evicted_unsynced |= evicted > 0;
            crate::spill::report_error(&mut self.engine);
        }
        let decided = batch.len();
        let job = WriteJob {
            batch,
            delta,
            done,
            barrier: false,
        };
        self.send(job)?;
        self.forget_committed(decided);
        Ok(outcomes
            .into_iter()
            .map(|o| o.expect("every article has an outcome"))
            .collect())
    }
}
