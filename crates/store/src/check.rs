//! Whether a database is sound: SQLite's own integrity check, and the invariants samestory keeps
//! between its tables (every article in a stored story, every story's kept counts right).

use crate::{Result, Store};

/// What [`Store::check`] found. A database written only by samestory, even one whose writer was
/// killed, is always [`Soundness::is_sound`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Soundness {
    /// What SQLite's `PRAGMA integrity_check` reported besides "ok" (damaged pages, indexes).
    pub integrity: Vec<String>,
    /// Articles whose story is not stored.
    pub orphan_articles: u64,
    /// Stories whose kept outlet or copy count differs from a count of their articles.
    pub miscounted_stories: u64,
}

impl Soundness {
    /// Whether nothing was found.
    pub fn is_sound(&self) -> bool {
        self.integrity.is_empty() && self.orphan_articles == 0 && self.miscounted_stories == 0
    }
}

impl Store {
    /// Checks the whole database (see [`Soundness`]): reads every page, so it takes about as
    /// long as reading the file.
    pub fn check(&self) -> Result<Soundness> {
        let mut integrity = Vec::new();
        let mut st = self.conn.prepare("PRAGMA integrity_check")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let line: String = r.get(0)?;
            if line != "ok" {
                integrity.push(line);
            }
        }
        let orphan_articles = self.conn.query_row(
            "SELECT COUNT(*) FROM articles a LEFT JOIN stories s ON s.idx = a.story
             WHERE s.idx IS NULL",
            [],
            |r| r.get::<_, i64>(0),
        )? as u64;
        let miscounted_stories = self.conn.query_row(
            "SELECT COUNT(*) FROM stories s
             WHERE s.outlets != (SELECT COUNT(DISTINCT a.source COLLATE NOCASE)
                                        + IFNULL(MAX(a.source IS NULL), 0)
                                 FROM articles a WHERE a.story = s.idx)
                OR s.copies != (SELECT COUNT(*) FROM articles a
                                WHERE a.story = s.idx AND a.original != a.idx)",
            [],
            |r| r.get::<_, i64>(0),
        )? as u64;
        Ok(Soundness {
            integrity,
            orphan_articles,
            miscounted_stories,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{write_docs, Doc};
    use crate::Store;

    fn doc(id: &'static str, source: &'static str, story: u32, original: u32) -> Doc {
        Doc {
            id,
            source: Some(source),
            title: Some("Quake hits the coast"),
            published: Some(1_000),
            text: "A quake hit the coast on Monday.",
            story: (story, if story == 0 { "quake" } else { "bridge" }),
            original,
        }
    }

    /// A store written through the store is sound; each kind of damage is found and counted.
    #[test]
    fn finds_orphans_and_miscounted_stories() {
        let mut store = Store::open_in_memory().unwrap();
        write_docs(
            &mut store,
            &[
                doc("q1", "Wire", 0, 0),
                doc("q2", "Post", 0, 0),
                doc("b1", "Wire", 1, 2),
            ],
        );
        assert_eq!(store.check().unwrap(), Default::default());
        assert!(store.check().unwrap().is_sound());

        store
            .conn
            .execute(
                "UPDATE stories SET copies = copies + 1 WHERE id = 'quake'",
                [],
            )
            .unwrap();
        // What another writer could leave, with SQLite's foreign-key check off.
        store
            .conn
            .execute_batch(
                "PRAGMA foreign_keys = OFF; UPDATE articles SET story = 99 WHERE id = 'b1';",
            )
            .unwrap();
        let found = store.check().unwrap();
        assert_eq!((found.orphan_articles, found.miscounted_stories), (1, 2));
        assert!(found.integrity.is_empty() && !found.is_sound());
    }
}
