//! Syndication: who ran whose text. Copy families (an original and the articles that copy it,
//! most copied first) and outlets (what an outlet ran, what of it others copied, what it copied).
//!
//! An outlet is named as the lists count it: case does not matter, and the articles without a
//! source are the outlet `unknown` ([`OUTLET_IS`]). The outlets' figures, the copies between
//! outlets and each family's size are kept up to date as articles are written (the tables and
//! triggers of schema 14), so the lists, an outlet's figures and the families of one page cost
//! their page, not a scan of the articles; the families of one page read the copies through the
//! index on `original`. Only the families of one outlet (an outlet's page) still read every
//! family.

use crate::headlines::Heading;
use crate::{Result, Store, StoreError};
use rusqlite::types::Value as Sql;
use rusqlite::OptionalExtension;
use samestory_engine::Timestamp;
use serde::Serialize;
use std::collections::HashMap;

/// `X` is the outlet `?1`: its source in any case, `unknown` for none.
const OUTLET_IS: &str = "COALESCE(X.source, 'unknown') = ?1 COLLATE NOCASE";

fn outlet_is(table: &str) -> String {
    OUTLET_IS.replace("X.", &format!("{table}."))
}

/// One article of a copy family.
#[derive(Clone, Debug, Serialize)]
pub struct FamilyMember {
    /// The article's id.
    pub id: String,
    /// Its outlet (`None`: no source).
    pub source: Option<String>,
    /// When it was published.
    pub published: Option<Timestamp>,
    /// Its title, else its first words.
    pub heading: String,
    /// Its Jaccard similarity with the original (`None` for the original).
    pub jaccard: Option<f32>,
    /// Whether its text is the original's, character for character.
    pub exact: bool,
}

/// An original and the articles that copy it.
#[derive(Clone, Debug, Serialize)]
pub struct CopyFamily {
    /// The original.
    pub original: FamilyMember,
    /// The copies, in publication order.
    pub copies: Vec<FamilyMember>,
    /// The story of the original.
    pub story: String,
    /// The distinct outlets that ran the text (the original's included).
    pub outlets: u64,
}

/// Which copy families to read ([`Store::copy_families`]).
#[derive(Clone, Copy, Debug, Default)]
pub enum FamilyFilter<'a> {
    /// Every family.
    #[default]
    All,
    /// Those whose original is this outlet's: what it originates that others ran.
    OriginalBy(&'a str),
    /// Those with a copy by this outlet: what it reprints.
    CopiedBy(&'a str),
}

/// An outlet's figures ([`Store::outlet`]).
#[derive(Clone, Debug, Serialize)]
pub struct OutletSummary {
    /// Its name as first stored (`unknown` for articles without a source).
    pub name: String,
    /// Its articles.
    pub articles: u64,
    /// Those of them that copy another article.
    pub copies: u64,
    /// Copies of its articles by other outlets (how often it was picked up).
    pub picked_up: u64,
    /// Its first and newest publication.
    pub first: Option<Timestamp>,
    /// See `first`.
    pub last: Option<Timestamp>,
}

/// Another outlet and how many copies go between the two.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct OutletCount {
    /// The other outlet (`unknown` for articles without a source).
    pub outlet: String,
    /// Copies.
    pub copies: u64,
}

/// The columns [`outlet_summary`] reads, from `outlets`.
const OUTLET_COLUMNS: &str = "name, articles, copies, picked_up, first, last";

fn outlet_summary(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutletSummary> {
    Ok(OutletSummary {
        name: r.get(0)?,
        articles: r.get::<_, i64>(1)? as u64,
        copies: r.get::<_, i64>(2)? as u64,
        picked_up: r.get::<_, i64>(3)? as u64,
        first: r.get(4)?,
        last: r.get(5)?,
    })
}

/// A count or offset as SQLite takes it.
fn sql_count(n: usize) -> i64 {
    n.min(i64::MAX as usize) as i64
}

impl Store {
    /// The copy families matching `filter`, the most copied first (then the earliest made),
    /// `limit` of them after `offset`.
    pub fn copy_families(
        &self,
        filter: FamilyFilter<'_>,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<CopyFamily>> {
        let (cond, args) = match filter {
            FamilyFilter::All => {
                let originals: Vec<i64> = self
                    .conn
                    .prepare_cached(
                        "SELECT original FROM copy_families ORDER BY copies DESC, original
                         LIMIT ?1 OFFSET ?2",
                    )?
                    .query_map([sql_count(limit), sql_count(offset)], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                return self.families_of(&originals);
            }
            FamilyFilter::OriginalBy(o) => (
                format!("AND {}", outlet_is("o")),
                vec![Sql::Text(o.to_owned())],
            ),
            FamilyFilter::CopiedBy(o) => (
                format!(
                    "AND a.original IN (SELECT c.original FROM articles c WHERE c.original != c.idx AND {})",
                    outlet_is("c")
                ),
                vec![Sql::Text(o.to_owned())],
            ),
        };
        let sql = format!(
            "SELECT a.original FROM articles a JOIN articles o ON o.idx = a.original
             WHERE a.original != a.idx {cond}
             GROUP BY a.original ORDER BY COUNT(*) DESC, a.original LIMIT {limit} OFFSET {offset}"
        );
        let originals: Vec<i64> = self
            .conn
            .prepare(&sql)?
            .query_map(rusqlite::params_from_iter(args), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        self.families_of(&originals)
    }

    /// How many copy families match `filter`.
    pub fn copy_family_count(&self, filter: FamilyFilter<'_>) -> Result<u64> {
        let (sql, arg) = match filter {
            FamilyFilter::All => ("SELECT COUNT(*) FROM copy_families".to_owned(), None),
            FamilyFilter::OriginalBy(o) => (
                format!(
                    "SELECT COUNT(DISTINCT a.original) FROM articles a JOIN articles o ON o.idx = a.original
                     WHERE a.original != a.idx AND {}",
                    outlet_is("o")
                ),
                Some(o),
            ),
            FamilyFilter::CopiedBy(o) => (
                format!(
                    "SELECT COUNT(DISTINCT a.original) FROM articles a WHERE a.original != a.idx AND {}",
                    outlet_is("a")
                ),
                Some(o),
            ),
        };
        let n: i64 = match arg {
            Some(o) => self.conn.query_row(&sql, [o], |r| r.get(0))?,
            None => self.conn.query_row(&sql, [], |r| r.get(0))?,
        };
        Ok(n as u64)
    }

    /// The families of the originals `originals` (document indexes), in that order.
    fn families_of(&self, originals: &[i64]) -> Result<Vec<CopyFamily>> {
        if originals.is_empty() {
            return Ok(Vec::new());
        }
        let marks = vec!["?"; originals.len()].join(", ");
        let args = || {
            originals
                .iter()
                .map(|&i| Sql::Integer(i))
                .collect::<Vec<_>>()
        };
        let headings: HashMap<i64, String> = self
            .headings(&format!("a.original IN ({marks})"), args())?
            .into_iter()
            .map(|Heading { idx, heading, .. }| (idx, heading))
            .collect();
        let sql = format!(
            "SELECT a.idx, a.original, a.id, a.source, a.published, a.copy_jaccard, a.copy_exact, s.id
             FROM articles a JOIN stories s ON s.idx = a.story
             WHERE a.original IN ({marks}) ORDER BY a.original, COALESCE(a.published, 0), a.idx"
        );
        let mut st = self.conn.prepare(&sql)?;
        let mut q = st.query(rusqlite::params_from_iter(args()))?;
        let mut by_original: HashMap<i64, (Option<FamilyMember>, Vec<FamilyMember>, String)> =
            HashMap::new();
        while let Some(r) = q.next()? {
            let (idx, original): (i64, i64) = (r.get(0)?, r.get(1)?);
            let id: String = r.get(2)?;
            let member = FamilyMember {
                heading: headings.get(&idx).cloned().unwrap_or_else(|| id.clone()),
                id,
                source: r.get(3)?,
                published: r.get(4)?,
                jaccard: if idx == original {
                    None
                } else {
                    Some(r.get::<_, Option<f32>>(5)?.unwrap_or(1.0))
                },
                exact: r.get::<_, Option<bool>>(6)?.unwrap_or(false),
            };
            let entry = by_original.entry(original).or_default();
            if idx == original {
                entry.0 = Some(member);
                entry.2 = r.get(7)?;
            } else {
                entry.1.push(member);
            }
        }
        originals
            .iter()
            .map(|o| {
                let (original, copies, story) = by_original.remove(o).unwrap_or_default();
                let original = original.ok_or_else(|| {
                    StoreError::Corrupt(format!("the original of a copy family ({o}) is missing"))
                })?;
                let mut outlets: Vec<String> = std::iter::once(&original)
                    .chain(&copies)
                    .map(|m| m.source.as_deref().unwrap_or("unknown").to_lowercase())
                    .collect();
                outlets.sort_unstable();
                outlets.dedup();
                Ok(CopyFamily {
                    original,
                    copies,
                    story,
                    outlets: outlets.len() as u64,
                })
            })
            .collect()
    }

    /// An outlet's figures; [`StoreError::NotFound`] when no article is from it.
    pub fn outlet(&self, name: &str) -> Result<OutletSummary> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {OUTLET_COLUMNS} FROM outlets WHERE name = ?1"
            ))?
            .query_row([name], outlet_summary)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("outlet {name}")))
    }

    /// Every outlet's figures, the most articles first (then by name), `limit` after `offset`:
    /// a range of the index `outlets_most`.
    pub fn outlets(&self, offset: usize, limit: usize) -> Result<Vec<OutletSummary>> {
        let rows = self
            .conn
            .prepare_cached(&format!(
                "SELECT {OUTLET_COLUMNS} FROM outlets ORDER BY articles DESC, name COLLATE BINARY
                 LIMIT ?1 OFFSET ?2"
            ))?
            .query_map([sql_count(limit), sql_count(offset)], outlet_summary)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The other outlets that copied this one's articles (`copied_by`), or whose articles this
    /// one copied (else), with how many copies, the most first, at most `limit`.
    pub fn copies_between(
        &self,
        outlet: &str,
        copied_by: bool,
        limit: usize,
    ) -> Result<Vec<OutletCount>> {
        // `outlet_copies` holds only pairs of two outlets, each side by its spelling.
        let (this, other) = if copied_by {
            ("original", "copier")
        } else {
            ("copier", "original")
        };
        let sql = format!(
            "SELECT MIN({other}), SUM(copies) FROM outlet_copies
             WHERE {this} = ?1 COLLATE NOCASE
             GROUP BY {other} COLLATE NOCASE
             ORDER BY 2 DESC, 1 LIMIT ?2"
        );
        let rows = self
            .conn
            .prepare_cached(&sql)?
            .query_map(rusqlite::params![outlet, sql_count(limit)], |r| {
                Ok(OutletCount {
                    outlet: r.get(0)?,
                    copies: r.get::<_, i64>(1)? as u64,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{write_docs, Doc};

    const WIRE: &str = "The central bank held its main rate at four percent on Thursday";

    /// Wire's story copied by Herald, HERALD (one outlet) and an article without a source;
    /// Herald's own story copied by Wire.
    fn store() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        let doc = |id, source, published, original, story| Doc {
            id,
            source,
            title: None,
            published: Some(published),
            text: WIRE,
            story,
            original,
        };
        let rates = (0, "rates");
        let local = (1, "local");
        write_docs(
            &mut store,
            &[
                doc("w1", Some("Wire"), 100, 0, rates),
                doc("h1", Some("Herald"), 200, 0, rates),
                doc("h2", Some("HERALD"), 300, 0, rates),
                doc("n1", None, 400, 0, rates),
                doc("h3", Some("Herald"), 500, 4, local),
                doc("w2", Some("wire"), 600, 4, local),
            ],
        );
        store
    }

    #[test]
    fn families_are_the_most_copied_first_with_their_outlets() {
        let store = store();
        let all = store.copy_families(FamilyFilter::All, 0, 10).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(store.copy_family_count(FamilyFilter::All).unwrap(), 2);
        let f = &all[0];
        assert_eq!(f.original.id, "w1");
        assert_eq!(f.original.jaccard, None);
        let copies: Vec<&str> = f.copies.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(copies, ["h1", "h2", "n1"]);
        // Wire, Herald (in either case), unknown.
        assert_eq!(f.outlets, 3);
        assert_eq!(f.story, "rates");
        assert_eq!(f.original.heading, WIRE);
        assert_eq!(all[1].original.id, "h3");
        // Paged.
        let second = store.copy_families(FamilyFilter::All, 1, 10).unwrap();
        assert_eq!(second[0].original.id, "h3");
        let by = |f: FamilyFilter<'_>| -> Vec<String> {
            store
                .copy_families(f, 0, 10)
                .unwrap()
                .into_iter()
                .map(|f| f.original.id)
                .collect()
        };
        assert_eq!(by(FamilyFilter::OriginalBy("herald")), ["h3"]);
        assert_eq!(by(FamilyFilter::CopiedBy("WIRE")), ["h3"]);
        assert_eq!(by(FamilyFilter::CopiedBy("unknown")), ["w1"]);
        assert_eq!(
            store
                .copy_family_count(FamilyFilter::CopiedBy("herald"))
                .unwrap(),
            1
        );
    }

    #[test]
    fn an_outlet_knows_who_copies_it_and_whom_it_copies() {
        let store = store();
        let wire = store.outlet("WIRE").unwrap();
        assert_eq!(
            (
                wire.name.as_str(),
                wire.articles,
                wire.copies,
                wire.picked_up
            ),
            ("Wire", 2, 1, 3)
        );
        assert_eq!((wire.first, wire.last), (Some(100), Some(600)));
        assert_eq!(
            store.copies_between("wire", true, 10).unwrap(),
            [
                OutletCount {
                    outlet: "HERALD".into(),
                    copies: 2
                },
                OutletCount {
                    outlet: "unknown".into(),
                    copies: 1
                }
            ]
        );
        assert_eq!(
            store.copies_between("wire", false, 10).unwrap(),
            [OutletCount {
                outlet: "Herald".into(),
                copies: 1
            }]
        );
        let unknown = store.outlet("unknown").unwrap();
        assert_eq!((unknown.articles, unknown.copies), (1, 1));
        assert!(matches!(
            store.outlet("Nobody"),
            Err(StoreError::NotFound(_))
        ));
    }

    /// The figures the grouping queries over every article gave (before schema 14), as the
    /// reference: each outlet's row, the copies between two outlets, the families in order.
    mod grouped {
        use super::*;

        /// An outlet's name, articles, copies, picked up, first and last.
        pub type Row = (String, u64, u64, u64, Option<i64>, Option<i64>);
        type Grouped = (String, i64, i64, Option<i64>, Option<i64>);

        pub fn outlets(store: &Store) -> Vec<Row> {
            let mut st = store
                .conn
                .prepare(
                    "SELECT MIN(COALESCE(source, 'unknown')), COUNT(*), SUM(original != idx),
                            MIN(published), MAX(published)
                     FROM articles GROUP BY COALESCE(source, 'unknown') COLLATE NOCASE
                     ORDER BY 2 DESC, 1",
                )
                .unwrap();
            let rows: Vec<Grouped> = st
                .query_map([], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            rows.into_iter()
                .map(|(name, articles, copies, first, last)| {
                    let picked_up: i64 = store
                        .conn
                        .query_row(
                            &format!(
                                "SELECT COUNT(*) FROM articles a JOIN articles o ON o.idx = a.original
                                 WHERE a.original != a.idx AND {} AND NOT ({})",
                                outlet_is("o"),
                                outlet_is("a")
                            ),
                            [&name],
                            |r| r.get(0),
                        )
                        .unwrap();
                    (name, articles as u64, copies as u64, picked_up as u64, first, last)
                })
                .collect()
        }

        pub fn copies_between(store: &Store, outlet: &str, copied_by: bool) -> Vec<OutletCount> {
            let (this, other) = if copied_by { ("o", "a") } else { ("a", "o") };
            let sql = format!(
                "SELECT MIN(COALESCE({other}.source, 'unknown')), COUNT(*)
                 FROM articles a JOIN articles o ON o.idx = a.original
                 WHERE a.original != a.idx AND {} AND NOT ({})
                 GROUP BY COALESCE({other}.source, 'unknown') COLLATE NOCASE
                 ORDER BY 2 DESC, 1",
                outlet_is(this),
                outlet_is(other),
            );
            let mut st = store.conn.prepare(&sql).unwrap();
            let rows = st
                .query_map([outlet], |r| {
                    Ok(OutletCount {
                        outlet: r.get(0)?,
                        copies: r.get::<_, i64>(1)? as u64,
                    })
                })
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            rows
        }

        pub fn families(store: &Store) -> Vec<i64> {
            let mut st = store
                .conn
                .prepare(
                    "SELECT a.original FROM articles a JOIN articles o ON o.idx = a.original
                     WHERE a.original != a.idx
                     GROUP BY a.original ORDER BY COUNT(*) DESC, a.original",
                )
                .unwrap();
            let rows = st
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            rows
        }
    }

    /// Checks every figure the maintained tables give against the grouping queries.
    fn same_as_grouped(store: &Store, at: &str) {
        let kept: Vec<_> = store
            .outlets(0, usize::MAX)
            .unwrap()
            .into_iter()
            .map(|o| (o.name, o.articles, o.copies, o.picked_up, o.first, o.last))
            .collect();
        let grouped = grouped::outlets(store);
        assert_eq!(kept, grouped, "{at}: the outlets");
        // Pages are ranges of the same order.
        let page: Vec<String> = store
            .outlets(2, 3)
            .unwrap()
            .into_iter()
            .map(|o| o.name)
            .collect();
        let expected: Vec<String> = grouped
            .iter()
            .skip(2)
            .take(3)
            .map(|o| o.0.clone())
            .collect();
        assert_eq!(page, expected, "{at}: a page of outlets");
        for (name, ..) in &grouped {
            // Each outlet asked by another spelling of its name.
            let asked = name.to_ascii_uppercase();
            let one = store.outlet(&asked).unwrap();
            let row = (
                one.name,
                one.articles,
                one.copies,
                one.picked_up,
                one.first,
                one.last,
            );
            assert_eq!(
                &row,
                grouped.iter().find(|g| &g.0 == name).unwrap(),
                "{at}: {asked}"
            );
            for copied_by in [true, false] {
                assert_eq!(
                    store.copies_between(&asked, copied_by, usize::MAX).unwrap(),
                    grouped::copies_between(store, &asked, copied_by),
                    "{at}: {asked}, copied_by {copied_by}"
                );
            }
            assert_eq!(
                store.copies_between(name, true, 2).unwrap(),
                grouped::copies_between(store, name, true)
                    .into_iter()
                    .take(2)
                    .collect::<Vec<_>>(),
                "{at}: {name}, the first two"
            );
        }
        let families = grouped::families(store);
        let kept: Vec<i64> = store
            .copy_families(FamilyFilter::All, 0, usize::MAX)
            .unwrap()
            .iter()
            .map(|f| {
                store
                    .conn
                    .query_row(
                        "SELECT idx FROM articles WHERE id = ?1",
                        [&f.original.id],
                        |r| r.get(0),
                    )
                    .unwrap()
            })
            .collect();
        assert_eq!(kept, families, "{at}: the families");
        assert_eq!(
            store.copy_family_count(FamilyFilter::All).unwrap(),
            families.len() as u64,
            "{at}: the families' count"
        );
    }

    /// The original of the family of article `idx`.
    fn root(store: &Store, idx: i64) -> i64 {
        store
            .conn
            .query_row("SELECT original FROM articles WHERE idx = ?1", [idx], |r| {
                r.get(0)
            })
            .unwrap()
    }

    /// The outlets' figures, the copies between outlets and the families, kept as articles are
    /// written and copies repointed, are what grouping every article gives, after every batch:
    /// sources in several spellings and none, copies within and across outlets, copies repointed
    /// to another original and back to none.
    #[test]
    fn kept_figures_are_those_of_grouping_every_article() {
        const SOURCES: &[Option<&str>] = &[
            Some("Wire"),
            Some("wire"),
            Some("WIRE"),
            Some("Herald"),
            Some("herald"),
            None,
            Some("unknown"),
            Some("Daily"),
            Some("Zeitung"),
            Some("Ärzte"),
            Some("ärzte"),
            Some("b"),
            Some("B"),
        ];
        let mut store = Store::open_in_memory().unwrap();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let mut stored = 0u32;
        for batch in 0..40 {
            let size = 1 + next(12) as u32;
            let docs: Vec<Doc> = (0..size)
                .map(|i| {
                    let doc = stored + i;
                    // A copy's original is an original (a family's first), as the engine's are.
                    let original = if stored > 0 && next(5) < 2 {
                        root(&store, next(stored as u64) as i64) as u32
                    } else {
                        doc
                    };
                    let published = match next(4) {
                        0 => None,
                        _ => Some(next(10_000) as i64 - 5_000),
                    };
                    Doc {
                        id: Box::leak(format!("d{doc}").into_boxed_str()),
                        source: SOURCES[next(SOURCES.len() as u64) as usize],
                        title: None,
                        published,
                        text: WIRE,
                        story: (0, "one"),
                        original,
                    }
                })
                .collect();
            write_docs(&mut store, &docs);
            stored += size;
            same_as_grouped(&store, &format!("after batch {batch}"));
            // Repoint a few families as the engine does (a whole family, its original included,
            // to another original), and make a few copies originals again.
            for _ in 0..next(4) {
                let (from, to) = (
                    root(&store, next(stored as u64) as i64),
                    root(&store, next(stored as u64) as i64),
                );
                store
                    .conn
                    .execute(
                        "UPDATE articles SET original = ?1 WHERE original = ?2",
                        [to, from],
                    )
                    .unwrap();
                let m = next(stored as u64) as i64;
                if next(2) == 0 {
                    store
                        .conn
                        .execute("UPDATE articles SET original = idx WHERE idx = ?1", [m])
                        .unwrap();
                }
            }
            same_as_grouped(&store, &format!("after the repoints of batch {batch}"));
        }
        assert!(store.outlets(0, 100).unwrap().len() >= 8);
        assert!(store.copy_family_count(FamilyFilter::All).unwrap() > 10);
    }

    /// A database written before schema 14 gets its figures from the migration: the same.
    #[test]
    fn the_migration_fills_the_figures_of_the_stored_articles() {
        let store = store();
        store
            .conn
            .execute_batch(
                "DROP TRIGGER syndication_repoint;
                 DELETE FROM outlets; DELETE FROM outlet_copies; DELETE FROM copy_families;",
            )
            .unwrap();
        assert!(store.outlets(0, 10).unwrap().is_empty());
        let migration = crate::schema::migration(14);
        let fill = &migration[migration.find("INSERT INTO outlets").unwrap()
            ..migration.find("CREATE TRIGGER").unwrap()];
        store.conn.execute_batch(fill).unwrap();
        same_as_grouped(&store, "filled");
        assert_eq!(store.outlets(0, 10).unwrap().len(), 3);
    }
}
