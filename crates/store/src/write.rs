//! Writing a batch: new articles, their removals and search words, new stories, repointed copies,
//! the stories' counts, and the engine state the batch changed, in one transaction.

use crate::engine_state::{df_blob, fold_df_log, state_blob, DF_FOLD_ENTRIES};
use crate::{EngineDelta, Result, Store};
use rusqlite::{params, OptionalExtension};
use rustc_hash::FxHashMap;
use samestory_engine::clean::Removal;
use samestory_engine::copies::fingerprint::Signature;
use samestory_engine::text::language::{self, Language};
use samestory_engine::text::{distinct_words, word_hashes};
use samestory_engine::{Article, DocIdx, StoryIdx, Timestamp};

/// One new article with what the engine made of it, ready to be written.
pub struct NewArticle<'a> {
    /// The article as read.
    pub article: &'a Article,
    /// Its document index: the next after the last one stored (dense, in ingest order).
    pub doc: DocIdx,
    /// Its publication time: the article's own, else the one cleaning found in its text.
    pub published: Option<Timestamp>,
    /// Its clean text (for the headline of a story it starts; not stored: `removals` cut from
    /// the text give it back).
    pub clean_text: &'a str,
    /// What the full-text index takes for the text: its distinct normalized words (the index
    /// keeps no positions, so nothing is lost).
    pub search_words: &'a str,
    /// What cleaning removed from the text.
    pub removals: &'a [Removal],
    /// How many words its clean text has.
    pub words: usize,
    /// The hash of its words, for exact copies.
    pub exact_hash: u64,
    /// Its MinHash signature, for near copies.
    pub signature: &'a Signature,
    /// The index of its story.
    pub story: StoryIdx,
    /// The story's external id when this article created it.
    pub new_story_id: Option<String>,
    /// How similar it was to its story when it joined (1 when it started the story or is a copy).
    pub story_similarity: f32,
    /// The document of its family's original (its own when it is not a copy).
    pub original: DocIdx,
    /// The estimated Jaccard similarity to its original, when it is a near copy.
    pub copy_jaccard: Option<f32>,
    /// Whether it is an exact copy (the same words as its original).
    pub copy_exact: bool,
    /// Earlier documents whose original is now this one.
    pub repointed: &'a [DocIdx],
    /// Its language, when its input named one or its text tells it.
    pub language: Option<Language>,
}

/// Adds the articles `docs` (first and last index, every row between them written by this batch)
/// to the syndication figures of schema 14: each outlet's articles, copies and dates, the copies
/// between two outlets with what they add to the original outlet's `picked_up`, and each
/// original's family. One grouped statement each for the batch, where a trigger ran four for
/// every article; the same sums, as `syndication.rs`'s test checks against grouping every article.
pub(crate) fn count_syndication(tx: &rusqlite::Connection, docs: (u32, u32)) -> Result<()> {
    let range = params![docs.0, docs.1];
    tx.prepare_cached(
        "INSERT INTO outlets (name, articles, copies, picked_up, first, last)
            SELECT MIN(COALESCE(source, 'unknown')), COUNT(*), SUM(original != idx), 0,
                   MIN(published), MAX(published)
            FROM articles WHERE idx BETWEEN ?1 AND ?2
            GROUP BY COALESCE(source, 'unknown') COLLATE NOCASE
         ON CONFLICT (name) DO UPDATE SET
            name = MIN(name COLLATE BINARY, excluded.name),
            articles = articles + excluded.articles,
            copies = copies + excluded.copies,
            first = COALESCE(MIN(first, excluded.first), first, excluded.first),
            last = COALESCE(MAX(last, excluded.last), last, excluded.last)",
    )?
    .execute(range)?;
    let across = "FROM articles a JOIN articles o ON o.idx = a.original
        WHERE a.idx BETWEEN ?1 AND ?2 AND a.original != a.idx
          AND NOT (COALESCE(a.source, 'unknown') = COALESCE(o.source, 'unknown') COLLATE NOCASE)";
    tx.prepare_cached(&format!(
        "INSERT INTO outlet_copies (original, copier, copies)
            SELECT COALESCE(o.source, 'unknown'), COALESCE(a.source, 'unknown'), COUNT(*) {across}
            GROUP BY 1, 2
         ON CONFLICT (original, copier) DO UPDATE SET copies = copies + excluded.copies"
    ))?
    .execute(range)?;
    tx.prepare_cached(&format!(
        "UPDATE outlets SET picked_up = picked_up + picked.copies
         FROM (SELECT COALESCE(o.source, 'unknown') AS name, COUNT(*) AS copies {across}
               GROUP BY COALESCE(o.source, 'unknown') COLLATE NOCASE) AS picked
         WHERE outlets.name = picked.name"
    ))?
    .execute(range)?;
    tx.prepare_cached(
        "INSERT INTO copy_families (original, copies)
            SELECT original, COUNT(*) FROM articles
            WHERE idx BETWEEN ?1 AND ?2 AND original != idx GROUP BY original
         ON CONFLICT (original) DO UPDATE SET copies = copies + excluded.copies",
    )?
    .execute(range)?;
    Ok(())
}

impl Store {
    /// Writes a batch of new articles and the engine state they changed, in one transaction.
    pub fn write_batch(&mut self, batch: &[NewArticle<'_>], state: &EngineDelta) -> Result<()> {
        let mut logged = self.df_logged;
        // Immediate: the write lock is taken first, waiting as long as the busy timeout for
        // another connection's write (`watch` writes feed states on its own connection). A
        // deferred transaction that reads before it writes (a batch with story changes and no new
        // article reads their sizes first) is refused at once, without waiting, when the other
        // connection holds the lock: "database is locked", and the writer thread stopped.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut ins = tx.prepare_cached(
                "INSERT INTO articles (idx, id, url, title, source, published, text, meta, words,
                    exact_hash, signature, story, story_similarity, original, copy_jaccard, copy_exact,
                    language)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            )?;
            let mut rem = tx.prepare_cached(
                "INSERT INTO removals (article, start, end, reason, text) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            let mut new_story = tx.prepare_cached(
                "INSERT INTO stories (idx, id, size, first, last, headline) VALUES (?1, ?2, 0, NULL, NULL, ?3)",
            )?;
            let mut repoint =
                tx.prepare_cached("UPDATE articles SET original = ?1 WHERE idx = ?2")?;
            let mut fts = tx.prepare_cached(
                "INSERT INTO articles_fts (rowid, title, text) VALUES (?1, ?2, ?3)",
            )?;
            let mut story_of = tx.prepare_cached("SELECT story FROM articles WHERE idx = ?1")?;
            let mut touched: Vec<i64> = Vec::with_capacity(batch.len());
            let mut docs = (u32::MAX, 0u32);
            let mut new_stories: Vec<crate::across::NewStory> = Vec::new();
            for a in batch {
                let art = a.article;
                let (doc, story) = (a.doc.raw(), a.story.raw());
                if let Some(id) = &a.new_story_id {
                    // What the story can share with reports in other languages: from its first
                    // article, when that has a language and a time (`across.rs`).
                    if let (Some(language), Some(time)) = (&a.language, a.published) {
                        new_stories.push(crate::across::NewStory {
                            story,
                            doc,
                            language: language.as_str().to_owned(),
                            time,
                            title: art.title.as_deref(),
                            text: a.clean_text,
                        });
                    }
                    let headline = art
                        .title
                        .clone()
                        .unwrap_or_else(|| first_words(a.clean_text, 14));
                    new_story.execute(params![story, id, headline])?;
                }
                let meta = if art.meta.is_empty() {
                    None
                } else {
                    Some(serde_json::Value::Object(art.meta.clone()).to_string())
                };
                ins.execute(params![
                    doc,
                    art.id,
                    art.url,
                    art.title,
                    art.source,
                    a.published,
                    art.text,
                    meta,
                    a.words as i64,
                    a.exact_hash as i64,
                    a.signature.to_bytes(),
                    story,
                    a.story_similarity,
                    a.original.raw(),
                    a.copy_jaccard,
                    a.copy_exact,
                    a.language.as_ref().map(Language::as_str),
                ])?;
                for r in a.removals {
                    rem.execute(params![
                        doc,
                        r.span.start as i64,
                        r.span.end as i64,
                        r.reason.as_str(),
                        r.text
                    ])?;
                }
                touched.push(i64::from(story));
                docs.0 = docs.0.min(doc);
                docs.1 = docs.1.max(doc);
            }
            // The syndication figures of the batch's articles as written, then the repoints,
            // whose trigger moves the counts of each repointed copy (schema 15).
            if !batch.is_empty() {
                count_syndication(&tx, docs)?;
            }
            for a in batch {
                for &m in a.repointed {
                    repoint.execute(params![a.doc.raw(), m.raw()])?;
                    // A repointed article may sit in another story, and may just have become a copy.
                    touched.push(story_of.query_row([m.raw()], |r| r.get(0))?);
                }
            }
            // The stories' outlet and copy counts, recounted for every story the batch touched.
            touched.sort_unstable();
            touched.dedup();
            let mut counts = tx.prepare_cached(
                "UPDATE stories SET
                    outlets = (SELECT COUNT(DISTINCT a.source COLLATE NOCASE) + MAX(a.source IS NULL) FROM articles a WHERE a.story = ?1),
                    copies = (SELECT COUNT(*) FROM articles a WHERE a.story = ?1 AND a.original != a.idx)
                 WHERE idx = ?1",
            )?;
            for s in &touched {
                counts.execute([s])?;
            }
            // The sizes before this batch, which tell storylines whether a story is looked at again.
            let mut size_of = tx.prepare_cached("SELECT size FROM stories WHERE idx = ?1")?;
            let mut size_before: FxHashMap<u32, u32> = FxHashMap::default();
            for (idx, _) in &state.stories {
                if let Some(size) = size_of.query_row([idx.raw()], |r| r.get(0)).optional()? {
                    size_before.insert(idx.raw(), size);
                }
            }
            let mut upd = tx.prepare_cached(
                "UPDATE stories SET size = ?2, first = ?3, last = ?4, state = ?5 WHERE idx = ?1",
            )?;
            for (idx, story) in &state.stories {
                upd.execute(params![
                    idx.raw(),
                    story.size,
                    story.first,
                    story.last,
                    state_blob(story)
                ])?;
            }
            crate::storylines::link_changed(&tx, &state.stories, &size_before)?;
            crate::across::link_new(&tx, &new_stories)?;
            let (terms, docs) = (&state.df, state.df_docs);
            if !terms.is_empty() {
                tx.prepare_cached("INSERT INTO df_log (terms) VALUES (?1)")?
                    .execute([df_blob(terms.iter().copied())])?;
                logged += terms.len();
                if logged >= DF_FOLD_ENTRIES {
                    fold_df_log(&tx)?;
                    logged = 0;
                }
            }
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('df_docs', ?1)",
                [docs.to_string()],
            )?;
            // The search index last: FTS5 writes its pending entries out as a segment at every
            // statement savepoint after its first insert of the transaction (xSavepoint), and an
            // insert into `articles` fires triggers (schema 14), so interleaved with them it wrote
            // a segment an article, then merged them. Last, it writes one segment a batch.
            for a in batch {
                fts.execute(params![
                    a.doc.raw(),
                    a.article
                        .title
                        .as_deref()
                        .map(distinct_words)
                        .unwrap_or_default(),
                    a.search_words
                ])?;
            }
        }
        tx.commit()?;
        self.df_logged = logged;
        Ok(())
    }
}

fn first_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().take(n + 1).collect();
    let mut s = words[..words.len().min(n)].join(" ");
    if words.len() > n {
        s.push('…');
    }
    s
}

/// Writes the full-text index anew from the stored articles: each one's title and clean text as
/// [`Store::write_batch`] writes them (schema migration 7). The index must be empty.
pub(crate) fn reindex_search(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    let mut articles = tx.prepare("SELECT idx, title, text FROM articles ORDER BY idx")?;
    let mut removals =
        tx.prepare("SELECT start, end FROM removals WHERE article = ?1 ORDER BY start")?;
    let mut fts =
        tx.prepare("INSERT INTO articles_fts (rowid, title, text) VALUES (?1, ?2, ?3)")?;
    let mut rows = articles.query([])?;
    while let Some(row) = rows.next()? {
        let idx: i64 = row.get(0)?;
        let title: Option<String> = row.get(1)?;
        let text: String = row.get(2)?;
        let clean = clean_text_of(&mut removals, idx, &text)?;
        fts.execute(params![
            idx,
            title.as_deref().map(distinct_words).unwrap_or_default(),
            distinct_words(&clean)
        ])?;
    }
    Ok(())
}

/// Tells the language of every stored article as ingest does (schema migration 11): the one its
/// input named in its metadata, else the one its clean text reads as.
pub(crate) fn detect_languages(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    let mut articles = tx.prepare("SELECT idx, text, meta FROM articles ORDER BY idx")?;
    let mut removals =
        tx.prepare("SELECT start, end FROM removals WHERE article = ?1 ORDER BY start")?;
    let mut set = tx.prepare("UPDATE articles SET language = ?2 WHERE idx = ?1")?;
    let mut rows = articles.query([])?;
    while let Some(row) = rows.next()? {
        let idx: i64 = row.get(0)?;
        let text: String = row.get(1)?;
        let meta: Option<String> = row.get(2)?;
        let named = meta
            .and_then(|m| {
                serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&m).ok()
            })
            .and_then(|m| language::of_input(&m));
        let language = match named {
            Some(l) => Some(l),
            None => {
                let clean = clean_text_of(&mut removals, idx, &text)?;
                language::detect(&word_hashes(&clean), &clean)
            }
        };
        if let Some(l) = language {
            set.execute(params![idx, l.as_str()])?;
        }
    }
    Ok(())
}

/// A stored article's clean text: `text` with the removals that `removals` (a statement
/// selecting `start, end` of an article's removals in order) finds for `idx` cut out.
pub(crate) fn clean_text_of(
    removals: &mut rusqlite::Statement<'_>,
    idx: i64,
    text: &str,
) -> Result<String> {
    let cut_out = removals
        .query_map([idx], |r| {
            Ok((r.get::<_, i64>(0)? as usize, r.get::<_, i64>(1)? as usize))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(crate::queries::cut_ranges(text, cut_out.into_iter()))
}
