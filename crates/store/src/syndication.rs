//! Syndication: who ran whose text. Copy families (an original and the articles that copy it,
//! most copied first) and outlets (what an outlet ran, what of it others copied, what it copied).
//!
//! An outlet is named as the lists count it: case does not matter, and the articles without a
//! source are the outlet `unknown` ([`OUTLET_IS`]). No index is kept on the source (it would
//! cost every write), so an outlet's figures read the articles table once; the families of one
//! page read the copies through the index on `original`.

use crate::headlines::Heading;
use crate::{Result, Store, StoreError};
use rusqlite::types::Value as Sql;
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
            FamilyFilter::All => (String::new(), Vec::new()),
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
            FamilyFilter::All => (
                "SELECT COUNT(DISTINCT original) FROM articles WHERE original != idx".to_owned(),
                None,
            ),
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
        let (articles, copies, first, last, stored): (i64, Option<i64>, _, _, Option<String>) =
            self.conn.query_row(
                &format!(
                    "SELECT COUNT(*), SUM(a.original != a.idx), MIN(a.published), MAX(a.published),
                            MIN(COALESCE(a.source, 'unknown'))
                     FROM articles a WHERE {}",
                    outlet_is("a")
                ),
                [name],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )?;
        if articles == 0 {
            return Err(StoreError::NotFound(format!("outlet {name}")));
        }
        let picked_up = self.copies_between(name, true, usize::MAX)?;
        Ok(OutletSummary {
            name: stored.unwrap_or_else(|| name.to_owned()),
            articles: articles as u64,
            copies: copies.unwrap_or(0) as u64,
            picked_up: picked_up.iter().map(|c| c.copies).sum(),
            first,
            last,
        })
    }

    /// Every outlet's figures, the most articles first (then by name), `limit` after `offset`.
    /// Reads the articles table twice, whatever the page.
    pub fn outlets(&self, offset: usize, limit: usize) -> Result<Vec<OutletSummary>> {
        let mut picked_up: HashMap<String, u64> = HashMap::new();
        let mut st = self.conn.prepare(
            "SELECT lower(MIN(COALESCE(o.source, 'unknown'))), COUNT(*)
             FROM articles a JOIN articles o ON o.idx = a.original
             WHERE a.original != a.idx
               AND NOT (COALESCE(a.source, 'unknown') = COALESCE(o.source, 'unknown') COLLATE NOCASE)
             GROUP BY COALESCE(o.source, 'unknown') COLLATE NOCASE",
        )?;
        for row in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (name, n) = row?;
            picked_up.insert(name, n as u64);
        }
        let sql = format!(
            "SELECT MIN(COALESCE(source, 'unknown')), COUNT(*), SUM(original != idx),
                    MIN(published), MAX(published)
             FROM articles GROUP BY COALESCE(source, 'unknown') COLLATE NOCASE
             ORDER BY 2 DESC, 1 LIMIT {} OFFSET {}",
            limit.min(i64::MAX as usize),
            offset.min(i64::MAX as usize)
        );
        let rows = self
            .conn
            .prepare(&sql)?
            .query_map([], |r| {
                let name: String = r.get(0)?;
                Ok(OutletSummary {
                    picked_up: picked_up.get(&name.to_lowercase()).copied().unwrap_or(0),
                    name,
                    articles: r.get::<_, i64>(1)? as u64,
                    copies: r.get::<_, Option<i64>>(2)?.unwrap_or(0) as u64,
                    first: r.get(3)?,
                    last: r.get(4)?,
                })
            })?
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
        let (this, other) = if copied_by { ("o", "a") } else { ("a", "o") };
        let sql = format!(
            "SELECT MIN(COALESCE({other}.source, 'unknown')), COUNT(*)
             FROM articles a JOIN articles o ON o.idx = a.original
             WHERE a.original != a.idx AND {} AND NOT ({})
             GROUP BY COALESCE({other}.source, 'unknown') COLLATE NOCASE
             ORDER BY 2 DESC, 1 LIMIT {}",
            outlet_is(this),
            outlet_is(other),
            limit.min(i64::MAX as usize)
        );
        let rows = self
            .conn
            .prepare(&sql)?
            .query_map([outlet], |r| {
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
}
