//! The schema and its migrations. A migration is appended, never edited: files in the wild were
//! made by the old ones.

use crate::{Result, StoreError};
use rusqlite::Connection;

/// The version of the newest schema this build writes.
pub const SCHEMA_VERSION: u32 = 15;

const MIGRATIONS: &[&str] = &[
    // 1: articles, removals, stories, document frequencies, full-text index.
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE stories (
        idx INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        size INTEGER NOT NULL,
        first INTEGER,
        last INTEGER,
        headline TEXT NOT NULL,
        state BLOB
     );
     CREATE TABLE articles (
        idx INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        url TEXT,
        title TEXT,
        source TEXT,
        published INTEGER,
        text TEXT NOT NULL,
        meta TEXT,
        words INTEGER NOT NULL,
        exact_hash INTEGER NOT NULL,
        signature BLOB NOT NULL,
        story INTEGER NOT NULL REFERENCES stories(idx),
        story_similarity REAL,
        original INTEGER NOT NULL,
        copy_jaccard REAL,
        copy_exact INTEGER
     );
     CREATE INDEX articles_story ON articles(story);
     CREATE INDEX articles_original ON articles(original);
     CREATE INDEX articles_published ON articles(published);
     CREATE TABLE removals (
        article INTEGER NOT NULL REFERENCES articles(idx),
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        reason TEXT NOT NULL,
        text TEXT NOT NULL
     );
     CREATE INDEX removals_article ON removals(article);
     CREATE TABLE df (term INTEGER PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
     CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='', detail='none', columnsize=0);
     INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 16);",
    // 2: cached story analyses, keyed on the story's member set.
    "CREATE TABLE analysis_cache (
        story INTEGER PRIMARY KEY REFERENCES stories(idx),
        members INTEGER NOT NULL,
        json TEXT NOT NULL
     );",
    // 3: each story's outlet and copy counts kept on the story (maintained by `write_batch`), and
    // indexes for the story lists: `last` for time filters, and the two list orders (newest:
    // last then idx; largest: size, last, idx; an undated story sorts as last = -1), so a page of
    // the list is an index range scan.
    "ALTER TABLE stories ADD COLUMN outlets INTEGER NOT NULL DEFAULT 0;
     ALTER TABLE stories ADD COLUMN copies INTEGER NOT NULL DEFAULT 0;
     UPDATE stories SET
        outlets = (SELECT COUNT(DISTINCT COALESCE(a.source, a.id)) FROM articles a WHERE a.story = stories.idx),
        copies = (SELECT COUNT(*) FROM articles a WHERE a.story = stories.idx AND a.original != a.idx);
     CREATE INDEX stories_last ON stories(last);
     CREATE INDEX stories_newest ON stories(COALESCE(last, -1));
     CREATE INDEX stories_size_last ON stories(size, COALESCE(last, -1));",
    // 4: the full-text index keeps up to 64 MiB of new entries in memory before it writes a
    // segment (FTS5's default is 1 MiB). A batch of 2,000 articles then becomes one segment
    // written at commit instead of several written mid-batch and merged again later (measured on
    // the generated corpus of 100,000 articles: a third of the writer's time in the index). Only
    // the layout of the index changes, not what it holds; memory grows by the batch's entries.
    "INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', 67108864);",
    // 5: document frequencies changed by a batch are appended to `df_log` as one blob (sorted
    // (term u64, n u32) pairs, little-endian) instead of being upserted into `df` row by row; the
    // log is folded into `df` once it holds `DF_FOLD_ENTRIES` pairs. `df` plus the log, read in
    // `seq` order (later counts win), is the state. A batch of 2,000 articles changes ~90,000
    // counts spread over every page of `df`, and common terms change in every batch.
    "CREATE TABLE df_log (seq INTEGER PRIMARY KEY, terms BLOB NOT NULL);",
    // 6: the time index of stories also holds `first`, so that finding the stories a late
    // article could join (newest article in a range, first not after a time) reads the index
    // alone: through `stories_last`, each of tens of thousands of candidates cost a table look-up.
    "DROP INDEX stories_last;
     CREATE INDEX stories_last_first ON stories(last, first);",
    // 7: the full-text index keeps combining marks inside a token (FTS5's default tokenizer cuts a
    // Thai syllable or a Devanagari word at its vowel signs), and the index is written anew from
    // the stored articles by [`after_migration`], with the words of every script as the engine
    // cuts them (`samestory_engine::text::distinct_words`: a Chinese or Thai text as character
    // bigrams) for the title as for the clean text.
    "DROP TABLE articles_fts;
     CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='', detail='none', columnsize=0,
        tokenize = \"unicode61 categories 'L* N* Co M*'\");
     INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 16);
     INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', 67108864);",
    // 8: a story's outlets counted as people count them: names differing only in case are one
    // outlet, and the articles without a source are one outlet (`unknown`), not one each.
    "UPDATE stories SET outlets = (SELECT COUNT(DISTINCT a.source COLLATE NOCASE) + MAX(a.source IS NULL)
        FROM articles a WHERE a.story = stories.idx);",
    // 9: storylines (see `storylines.rs`): each story's key terms, the link from a story to the
    // earlier one it continues, and each story's storyline (the index of its first-made story;
    // NULL for a story alone).
    "CREATE TABLE story_keys (term INTEGER NOT NULL, story INTEGER NOT NULL,
        PRIMARY KEY (term, story)) WITHOUT ROWID;
     CREATE INDEX story_keys_story ON story_keys(story);
     CREATE TABLE storyline_links (
        story INTEGER PRIMARY KEY REFERENCES stories(idx),
        earlier INTEGER NOT NULL REFERENCES stories(idx),
        similarity REAL NOT NULL
     );
     ALTER TABLE stories ADD COLUMN storyline INTEGER;
     CREATE INDEX stories_storyline ON stories(storyline);",
    // 10: watched feeds (see `feeds.rs`): each feed's fetch state (conditional-GET validators,
    // schedule, failures, counts) and each item handled, keyed on its canonical link (else its
    // guid), so that a restarted `watch` neither fetches an item again nor misses one.
    "CREATE TABLE feeds (
        url TEXT PRIMARY KEY,
        title TEXT,
        etag TEXT,
        last_modified TEXT,
        last_fetch INTEGER,
        last_success INTEGER,
        next_fetch INTEGER,
        failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        fetches INTEGER NOT NULL DEFAULT 0,
        not_modified INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0,
        lag_secs INTEGER
     );
     CREATE TABLE feed_items (
        feed TEXT NOT NULL,
        key TEXT NOT NULL,
        article TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        first_seen INTEGER NOT NULL,
        done INTEGER,
        PRIMARY KEY (feed, key)
     ) WITHOUT ROWID;
     CREATE INDEX feed_items_key ON feed_items(key);",
    // 11: each article's language (ISO 639 code: the one its input named, else the one its clean
    // text reads as; NULL when neither says), filled in for the stored articles by
    // [`after_migration`] as the engine tells it (`samestory_engine::text::language`).
    "ALTER TABLE articles ADD COLUMN language TEXT;",
    // 12: stories linked across languages (see `across.rs`): each indexed story's language and
    // the article it is indexed by (and whether its keys are written), the keys it is found by (names' first letters, numbers, each
    // hashed with the story's language), each language's newest indexed story, and the links,
    // one row each way, with the names and numbers (JSON arrays) they share.
    "CREATE TABLE across_languages (language TEXT PRIMARY KEY, last INTEGER NOT NULL);
     CREATE TABLE across_stories (
        story INTEGER PRIMARY KEY REFERENCES stories(idx),
        language TEXT NOT NULL,
        article INTEGER NOT NULL REFERENCES articles(idx),
        keyed INTEGER NOT NULL
     );
     CREATE INDEX across_unkeyed ON across_stories(story) WHERE keyed = 0;
     CREATE TABLE across_keys (key INTEGER NOT NULL, story INTEGER NOT NULL,
        PRIMARY KEY (key, story)) WITHOUT ROWID;
     CREATE TABLE across_links (
        story INTEGER NOT NULL REFERENCES stories(idx),
        other INTEGER NOT NULL REFERENCES stories(idx),
        names TEXT NOT NULL,
        numbers TEXT NOT NULL,
        PRIMARY KEY (story, other)
     ) WITHOUT ROWID;",
    // 13: the full-text index writes a segment once 8 MiB of new entries are pending, not 64 MiB
    // (migrations 4 and 7). FTS5 flushes at every commit anyway, so a batch of 2,000 articles
    // (a few MiB of entries) is still one segment: ingest of the generated 100,000 articles was
    // as fast either way. A larger transaction is now bounded: with 64 MiB, ingest of 1M articles
    // stepped from ~370 MB to ~480 MB once a transaction filled the hash (BENCHMARKS §3); with
    // 8 MiB it stays at ~370 MB to the end.
    "INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', 8388608);",
    // 14: what the syndication lists read (`syndication.rs`), kept up to date by triggers on
    // `articles` in the transaction that writes the articles, so that a page of them costs the
    // page and not a scan of every article (`GET /api/outlets` grouped the whole table on every
    // call: 0.4 s on 100,000 articles, past the 5 s read limit on a busy machine). An outlet is
    // named as the lists count it: its source in any case (`name` compares without case), the
    // articles without a source being `unknown`; `name` is its first spelling in byte order, as
    // `MIN` gave. `outlets`: each outlet's articles, copies among them, copies of them by other
    // outlets (`picked_up`), first and last publication. `outlet_copies`: copies between two
    // outlets by each pair of spellings (the original's outlet, the copy's), so that each side's
    // name is still the first spelling among the copies counted. `copy_families`: each original's
    // copies. A repointed copy (`original` updated) moves its counts; a count that falls to 0
    // loses its row, as a group with no row did.
    "CREATE TABLE outlets (
        name TEXT PRIMARY KEY COLLATE NOCASE,
        articles INTEGER NOT NULL,
        copies INTEGER NOT NULL,
        picked_up INTEGER NOT NULL,
        first INTEGER,
        last INTEGER
     );
     CREATE INDEX outlets_most ON outlets(articles DESC, name COLLATE BINARY);
     CREATE TABLE outlet_copies (
        original TEXT NOT NULL,
        copier TEXT NOT NULL,
        copies INTEGER NOT NULL,
        PRIMARY KEY (original, copier)
     ) WITHOUT ROWID;
     CREATE INDEX outlet_copies_original ON outlet_copies(original COLLATE NOCASE);
     CREATE INDEX outlet_copies_copier ON outlet_copies(copier COLLATE NOCASE);
     CREATE TABLE copy_families (original INTEGER PRIMARY KEY, copies INTEGER NOT NULL);
     CREATE INDEX copy_families_most ON copy_families(copies DESC, original);

     INSERT INTO outlets (name, articles, copies, picked_up, first, last)
        SELECT MIN(COALESCE(source, 'unknown')), COUNT(*), SUM(original != idx), 0,
               MIN(published), MAX(published)
        FROM articles GROUP BY COALESCE(source, 'unknown') COLLATE NOCASE;
     INSERT INTO outlet_copies (original, copier, copies)
        SELECT COALESCE(o.source, 'unknown'), COALESCE(a.source, 'unknown'), COUNT(*)
        FROM articles a JOIN articles o ON o.idx = a.original
        WHERE a.original != a.idx
          AND NOT (COALESCE(a.source, 'unknown') = COALESCE(o.source, 'unknown') COLLATE NOCASE)
        GROUP BY 1, 2;
     UPDATE outlets SET picked_up = COALESCE(
        (SELECT SUM(c.copies) FROM outlet_copies c WHERE c.original = outlets.name COLLATE NOCASE), 0);
     INSERT INTO copy_families (original, copies)
        SELECT original, COUNT(*) FROM articles WHERE original != idx GROUP BY original;

     CREATE TRIGGER syndication_insert AFTER INSERT ON articles BEGIN
        INSERT INTO outlets (name, articles, copies, picked_up, first, last)
           VALUES (COALESCE(NEW.source, 'unknown'), 1, NEW.original != NEW.idx, 0,
                   NEW.published, NEW.published)
           ON CONFLICT (name) DO UPDATE SET
              name = MIN(name COLLATE BINARY, excluded.name),
              articles = articles + 1,
              copies = copies + excluded.copies,
              first = COALESCE(MIN(first, excluded.first), first, excluded.first),
              last = COALESCE(MAX(last, excluded.last), last, excluded.last);
        INSERT INTO outlet_copies (original, copier, copies)
           SELECT COALESCE(o.source, 'unknown'), COALESCE(NEW.source, 'unknown'), 1
           FROM articles o
           WHERE o.idx = NEW.original AND NEW.original != NEW.idx
             AND NOT (COALESCE(NEW.source, 'unknown') = COALESCE(o.source, 'unknown') COLLATE NOCASE)
           ON CONFLICT (original, copier) DO UPDATE SET copies = copies + 1;
        UPDATE outlets SET picked_up = picked_up + 1
           WHERE NEW.original != NEW.idx AND name = (
              SELECT COALESCE(o.source, 'unknown') FROM articles o
              WHERE o.idx = NEW.original
                AND NOT (COALESCE(NEW.source, 'unknown') = COALESCE(o.source, 'unknown') COLLATE NOCASE));
        INSERT INTO copy_families (original, copies)
           SELECT NEW.original, 1 WHERE NEW.original != NEW.idx
           ON CONFLICT (original) DO UPDATE SET copies = copies + 1;
     END;

     CREATE TRIGGER syndication_repoint AFTER UPDATE OF original ON articles
        WHEN OLD.original != NEW.original BEGIN
        UPDATE outlets SET copies = copies + (NEW.original != NEW.idx) - (OLD.original != OLD.idx)
           WHERE name = COALESCE(NEW.source, 'unknown');
        -- The copy leaves its old original's counts...
        UPDATE outlets SET picked_up = picked_up - 1
           WHERE OLD.original != OLD.idx AND name = (
              SELECT COALESCE(o.source, 'unknown') FROM articles o
              WHERE o.idx = OLD.original
                AND NOT (COALESCE(OLD.source, 'unknown') = COALESCE(o.source, 'unknown') COLLATE NOCASE));
        UPDATE outlet_copies SET copies = copies - 1
           WHERE OLD.original != OLD.idx AND copier = COALESCE(OLD.source, 'unknown')
             AND original = (
              SELECT COALESCE(o.source, 'unknown') FROM articles o
              WHERE o.idx = OLD.original
                AND NOT (COALESCE(OLD.source, 'unknown') = COALESCE(o.source, 'unknown') COLLATE NOCASE));
        DELETE FROM outlet_copies WHERE copies = 0 AND copier = COALESCE(OLD.source, 'unknown');
        UPDATE copy_families SET copies = copies - 1
           WHERE OLD.original != OLD.idx AND original = OLD.original;
        DELETE FROM copy_families WHERE original = OLD.original AND copies = 0;
        -- ...and joins its new one's.
        INSERT INTO outlet_copies (original, copier, copies)
           SELECT COALESCE(o.source, 'unknown'), COALESCE(NEW.source, 'unknown'), 1
           FROM articles o
           WHERE o.idx = NEW.original AND NEW.original != NEW.idx
             AND NOT (COALESCE(NEW.source, 'unknown') = COALESCE(o.source, 'unknown') COLLATE NOCASE)
           ON CONFLICT (original, copier) DO UPDATE SET copies = copies + 1;
        UPDATE outlets SET picked_up = picked_up + 1
           WHERE NEW.original != NEW.idx AND name = (
              SELECT COALESCE(o.source, 'unknown') FROM articles o
              WHERE o.idx = NEW.original
                AND NOT (COALESCE(NEW.source, 'unknown') = COALESCE(o.source, 'unknown') COLLATE NOCASE));
        INSERT INTO copy_families (original, copies)
           SELECT NEW.original, 1 WHERE NEW.original != NEW.idx
           ON CONFLICT (original) DO UPDATE SET copies = copies + 1;
     END;",
    // 15: the figures of migration 14 are counted once a batch by the writer
    // (`write::count_syndication`) rather than by a trigger on every inserted article, which cost
    // the 100k ingest 27 % more CPU; repointed copies keep their trigger (a few a batch).
    "DROP TRIGGER syndication_insert;",
];

/// The SQL of migration `version` (from 1).
#[cfg(test)]
pub(crate) fn migration(version: u32) -> &'static str {
    MIGRATIONS[version as usize - 1]
}

/// What a migration needs beyond its SQL, run in its transaction after it: migration 7 writes the
/// full-text index anew, migration 11 tells the stored articles' languages.
fn after_migration(tx: &rusqlite::Transaction<'_>, version: u32) -> Result<()> {
    match version {
        7 => crate::write::reindex_search(tx)?,
        11 => crate::write::detect_languages(tx)?,
        _ => {}
    }
    Ok(())
}

pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        after_migration(&tx, (i + 1) as u32)?;
        tx.pragma_update(None, "user_version", (i + 1) as u32)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine_state::{df_blob, state_blob};
    use crate::{Store, StoryListQuery};
    use rusqlite::params;
    use samestory_engine::pipeline::Config;
    use samestory_engine::stories::StoryState;
    use samestory_engine::{StoryIdx, Term};
    use std::path::{Path, PathBuf};

    /// The saved state of story "quake" in the databases [`old_database`] makes.
    fn quake_state() -> StoryState {
        StoryState {
            centroid: vec![(Term::from_raw(3), 0.5), (Term::from_raw(u64::MAX), 0.25)],
            size: 2,
            first: Some(1_000),
            last: Some(2_000),
        }
    }

    /// A database of schema `version` as samestory wrote it then: the tables made by the first
    /// `version` migrations, and rows in them. Two stories: "quake" (articles q1 and q2, q2 a copy
    /// of q1 from another outlet, with a dateline removed) and "bridge" (b1); document
    /// frequencies in `df` and, from schema 5, in `df_log`; from schema 2 a cached analysis; from
    /// schema 3 the stories' outlet and copy counts, kept up to date as writers then did.
    fn old_database(dir: &Path, version: u32) -> PathBuf {
        let path = dir.join(format!("schema-{version}.db"));
        let conn = Connection::open(&path).unwrap();
        for sql in &MIGRATIONS[..version as usize] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", version).unwrap();
        conn.execute(
            "INSERT INTO stories (idx, id, size, first, last, headline, state)
             VALUES (0, 'quake', 2, 1000, 2000, 'Quake hits the coast', ?1),
                    (1, 'bridge', 1, 5000, 5000, 'Bridge opens', NULL)",
            [state_blob(&quake_state())],
        )
        .unwrap();
        let mut article = conn
            .prepare(
                "INSERT INTO articles (idx, id, url, title, source, published, text, meta, words,
                    exact_hash, signature, story, story_similarity, original, copy_jaccard, copy_exact)
                 VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, ?7, 4, ?8, zeroblob(512), ?9, 1.0, ?10, ?11, ?12)",
            )
            .unwrap();
        let q1 = "quake hits the coast";
        let q2 = "LONDON -- quake hits the coast";
        let b1 = "bridge opens over the river";
        #[rustfmt::skip]
        let rows = [
            params![0, "q1", "Quake hits the coast", "Wire", 1_000, q1, r#"{"lang":"en"}"#, 11, 0, 0, None::<f64>, None::<bool>],
            params![1, "b1", "Bridge opens", "Wire", 5_000, b1, None::<String>, 12, 1, 1, None::<f64>, None::<bool>],
            params![2, "q2", None::<String>, "Daily", 2_000, q2, None::<String>, 11, 0, 0, 1.0, true],
        ];
        for row in rows {
            article.execute(row).unwrap();
        }
        if version >= 15 {
            // From schema 15 the writer counts a batch's syndication figures, not a trigger.
            crate::write::count_syndication(&conn, (0, 2)).unwrap();
        }
        conn.execute_batch(
            "INSERT INTO removals (article, start, end, reason, text) VALUES (2, 0, 10, 'dateline', 'LONDON --');
             INSERT INTO articles_fts (rowid, title, text) VALUES
                (0, 'Quake hits the coast', 'quake hits the coast'),
                (1, 'Bridge opens', 'bridge opens over the river'),
                (2, '', 'quake hits the coast');
             INSERT INTO df (term, n) VALUES (5, 3), (9, 1), (-1, 2);
             INSERT INTO meta (key, value) VALUES ('df_docs', '3');",
        )
        .unwrap();
        if version >= 2 {
            conn.execute(
                "INSERT INTO analysis_cache (story, members, json) VALUES (0, 77, '{}')",
                [],
            )
            .unwrap();
        }
        if version >= 3 {
            conn.execute_batch(
                "UPDATE stories SET outlets = 2, copies = 1 WHERE idx = 0;
                 UPDATE stories SET outlets = 1, copies = 0 WHERE idx = 1;",
            )
            .unwrap();
        }
        if version >= 5 {
            // A batch after the last fold changed term 9 and added term 11.
            conn.execute(
                "INSERT INTO df_log (terms) VALUES (?1)",
                [df_blob(
                    crate::testing::terms(&[(9, 2), (11, 1)]).into_iter(),
                )],
            )
            .unwrap();
        }
        path
    }

    /// The ids of the first ten stories `q` lists.
    fn story_ids(store: &Store, q: StoryListQuery<'_>) -> Vec<String> {
        let q = StoryListQuery { limit: 10, ..q };
        let listed = store.story_list(&q).unwrap();
        listed.into_iter().map(|s| s.summary.id).collect()
    }

    fn user_version(store: &Store) -> u32 {
        store
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap()
    }

    fn index_names(store: &Store) -> Vec<String> {
        let mut st = store
            .conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'stories' ORDER BY name")
            .unwrap();
        let names = st.query_map([], |r| r.get(0)).unwrap();
        names.collect::<rusqlite::Result<_>>().unwrap()
    }

    /// Every older schema opens as the newest one, with every row it held still read back as
    /// before (and what later migrations derive from them, such as the story counts, right).
    #[test]
    fn every_older_schema_migrates_to_the_newest_with_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        for version in 1..=SCHEMA_VERSION {
            let path = old_database(dir.path(), version);
            let store = Store::open(&path).unwrap();
            let at = format!("from schema {version}");
            assert_eq!(user_version(&store), SCHEMA_VERSION, "{at}");
            assert_eq!(
                index_names(&store),
                [
                    "sqlite_autoindex_stories_1",
                    "stories_last_first",
                    "stories_newest",
                    "stories_size_last",
                    "stories_storyline"
                ],
                "{at}"
            );
            assert_eq!(
                (store.article_count().unwrap(), store.story_count().unwrap()),
                (3, 2),
                "{at}"
            );
            assert!(store.feeds().unwrap().is_empty(), "{at}: the feed tables");
            // The outlets' figures (migration 14): Wire ran q1 and b1, Daily copied q1.
            let outlets: Vec<_> = store
                .outlets(0, 10)
                .unwrap()
                .into_iter()
                .map(|o| (o.name, o.articles, o.copies, o.picked_up, o.first, o.last))
                .collect();
            assert_eq!(
                outlets,
                [
                    ("Wire".to_owned(), 2, 0, 1, Some(1_000), Some(5_000)),
                    ("Daily".to_owned(), 1, 1, 0, Some(2_000), Some(2_000))
                ],
                "{at}"
            );
            assert_eq!(
                store.copy_family_count(crate::FamilyFilter::All).unwrap(),
                1,
                "{at}"
            );

            let (quake, articles) = store.story("quake").unwrap();
            assert_eq!(quake.headline, "Quake hits the coast", "{at}");
            let ids: Vec<(&str, Option<&str>)> = articles
                .iter()
                .map(|a| (a.id.as_str(), a.copy_of.as_deref()))
                .collect();
            assert_eq!(ids, [("q1", None), ("q2", Some("q1"))], "{at}");
            let q2 = store.article("q2").unwrap();
            assert_eq!(q2.clean_text, "quake hits the coast", "{at}");
            assert_eq!(q2.removals[0].reason, "dateline", "{at}");
            assert!(q2.row.copy_exact, "{at}");
            assert_eq!(store.article("q1").unwrap().meta["lang"], "en", "{at}");

            // The counts kept on the stories (filled in by migration 3 below schema 3), and the
            // list's indexes and full-text search.
            let list = store
                .story_list(&StoryListQuery {
                    limit: 10,
                    ..StoryListQuery::default()
                })
                .unwrap();
            let counts: Vec<(&str, u64, u64)> = list
                .iter()
                .map(|s| (s.summary.id.as_str(), s.summary.outlets, s.summary.copies))
                .collect();
            assert_eq!(counts, [("bridge", 1, 0), ("quake", 2, 1)], "{at}");
            let found = store
                .story_list(&StoryListQuery {
                    words: Some("river"),
                    limit: 10,
                    ..StoryListQuery::default()
                })
                .unwrap();
            assert_eq!(found.len(), 1, "{at}");
            assert_eq!(found[0].summary.id, "bridge", "{at}");
            let hashsize: i64 = store
                .conn
                .query_row(
                    "SELECT v FROM articles_fts_config WHERE k = 'hashsize'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(
                hashsize,
                8 << 20,
                "{at}: the index's pending entries are bounded"
            );

            // The engine's state.
            let (df, docs) = store.document_frequencies().unwrap();
            let expected: &[(u64, u32)] = if version >= 5 {
                &[(u64::MAX, 2), (5, 3), (9, 2), (11, 1)]
            } else {
                &[(u64::MAX, 2), (5, 3), (9, 1)]
            };
            let df = crate::testing::raw_terms(df);
            assert_eq!((df.as_slice(), docs), (expected, 3), "{at}");
            let quake = StoryIdx::from_raw(0);
            let state = store.story_state(quake).unwrap().expect("quake's state");
            assert_eq!(state.centroid, quake_state().centroid, "{at}");
            assert_eq!(
                (state.size, state.first, state.last),
                (2, Some(1_000), Some(2_000))
            );
            let bridge = StoryIdx::from_raw(1);
            assert!(store.story_state(bridge).unwrap().is_none(), "{at}");
            let span = samestory_engine::stories::RevivalSpan {
                newest_from: 1_500,
                newest_before: 6_000,
                first_until: 1_000,
            };
            assert_eq!(
                store.stories_in_revival_span(span).unwrap(),
                [quake],
                "{at}"
            );
            let engine = store.load_engine(Config::default()).unwrap();
            assert_eq!(engine.doc_count(), 3, "{at}");

            if version >= 2 {
                let cached: i64 = store
                    .conn
                    .query_row(
                        "SELECT members FROM analysis_cache WHERE story = 0",
                        [],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert_eq!(cached, 77, "{at}");
            }
            drop(store);
            // Migrated once: a read-only store takes it now, and a second open changes nothing.
            let reader = Store::open_read_only(&path).unwrap();
            assert_eq!(reader.article_count().unwrap(), 3, "{at}");
            assert_eq!(user_version(&Store::open(&path).unwrap()), SCHEMA_VERSION);
        }
    }

    /// Migration 7 writes the full-text index anew: a Chinese text indexed whole by schema 6 (one
    /// token per clause) is found by a word inside it, and what cleaning removed stays unfound.
    #[test]
    fn migration_7_indexes_the_words_of_every_script() {
        let dir = tempfile::tempdir().unwrap();
        let path = old_database(dir.path(), 6);
        let title = "统计局发布数据";
        let text = "国家统计局十二日发布数据，居民消费价格上涨。";
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute(
                "INSERT INTO articles (idx, id, title, text, words, exact_hash, signature, story,
                    original) VALUES (3, 'z1', ?1, ?2, 2, 7, zeroblob(512), 1, 3)",
                params![title, text],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO articles_fts (rowid, title, text) VALUES (3, ?1, ?2)",
                params![title, text],
            )
            .unwrap();
            let hits: i64 = conn
                .query_row(
                    "SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH '\"统计\"'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(hits, 0, "schema 6 indexed the clause whole");
        }
        let store = Store::open(&path).unwrap();
        let search = |words: &str| {
            story_ids(
                &store,
                StoryListQuery {
                    words: Some(words),
                    ..StoryListQuery::default()
                },
            )
        };
        assert_eq!(search("国家统计局"), ["bridge"]);
        assert_eq!(search("发布"), ["bridge"]);
        assert_eq!(search("river"), ["bridge"]);
        assert_eq!(search("quake coast"), ["quake"]);
        assert!(search("统计 river").is_empty());
        assert!(search("LONDON").is_empty(), "the removed dateline of q2");
    }

    /// Migration 11 tells each stored article's language: the one its input named (q1's `lang`
    /// field, though its words are English too), else the one its clean text reads as.
    #[test]
    fn migration_11_tells_the_stored_articles_languages() {
        let dir = tempfile::tempdir().unwrap();
        let path = old_database(dir.path(), 10);
        let german =
            "Der Minister sagte am Dienstag, dass die Brücke, die im März gesperrt wurde, \
                      bis zum Ende des Jahres wieder geöffnet werden soll und die Stadt die \
                      Reparaturen bezahlt hat.";
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("UPDATE articles SET meta = '{\"lang\":\"es-MX\"}' WHERE id = 'q1'")
                .unwrap();
            conn.execute(
                "INSERT INTO articles (idx, id, text, words, exact_hash, signature, story, original)
                 VALUES (3, 'd1', ?1, 30, 7, zeroblob(512), 1, 3)",
                [german],
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let language = |id: &str| store.article(id).unwrap().row.language;
        assert_eq!(
            language("q1").as_deref(),
            Some("es"),
            "the input's field wins"
        );
        assert_eq!(language("d1").as_deref(), Some("de"));
        assert_eq!(language("b1"), None, "five words tell no language");
        let stories = |language: &str| {
            story_ids(
                &store,
                StoryListQuery {
                    language: Some(language),
                    ..StoryListQuery::default()
                },
            )
        };
        assert_eq!(stories("de"), ["bridge"]);
        assert_eq!(stories("es"), ["quake"]);
        assert!(stories("ja").is_empty());
    }

    /// A read-only store does not migrate: it refuses an older schema and leaves the file as it
    /// was. Neither kind of store opens a file of a newer schema.
    #[test]
    fn a_read_only_store_refuses_an_older_schema_and_no_store_a_newer_one() {
        let dir = tempfile::tempdir().unwrap();
        let old = old_database(dir.path(), 2);
        let refused = Store::open_read_only(&old);
        assert!(
            matches!(refused, Err(StoreError::Corrupt(ref m)) if m.contains("schema 2 needs migrating")),
            "{:?}",
            refused.err()
        );
        let version: u32 = Connection::open(&old)
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, 2);

        let newer = dir.path().join("newer.db");
        drop(Store::open(&newer).unwrap());
        Connection::open(&newer)
            .unwrap()
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        for opened in [Store::open(&newer), Store::open_read_only(&newer)] {
            match opened {
                Err(StoreError::SchemaTooNew { found, known }) => {
                    assert_eq!((found, known), (SCHEMA_VERSION + 1, SCHEMA_VERSION))
                }
                other => panic!("{:?}", other.err()),
            }
        }
    }
}
