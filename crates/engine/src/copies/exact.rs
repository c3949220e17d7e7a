//! The copy window's exact hashes: each text's hash, to the first document inside the window that
//! has it.
//!
//! A [`Table`] rather than a general hash map. Documents enter and leave the window all the time,
//! and a hash map that marks removed entries with tombstones doubles when they fill it even if
//! the window did not grow (on the 1M corpus, at 700k articles: 68k hashes in 229k buckets, 3.9
//! MiB), then keeps the room. This table holds exactly the window's hashes, grows by quarters and
//! shrinks with the window.

use crate::article::DocIdx;
use crate::memory::table::{Slot, Table};

/// Marks an empty slot: no document has this index.
const EMPTY: DocIdx = DocIdx::MAX;

#[derive(Clone, Copy)]
struct Entry {
    hash: u64,
    doc: DocIdx,
}

impl Slot for Entry {
    const EMPTY: Entry = Entry {
        hash: 0,
        doc: EMPTY,
    };

    fn is_empty(&self) -> bool {
        self.doc == EMPTY
    }

    fn hash(&self) -> u64 {
        self.hash
    }
}

pub(crate) struct ExactHashes {
    table: Table<Entry>,
}

impl Default for ExactHashes {
    fn default() -> Self {
        ExactHashes {
            table: Table::with_slots(0),
        }
    }
}

impl ExactHashes {
    /// The document kept for `hash`.
    pub(crate) fn get(&self, hash: u64) -> Option<DocIdx> {
        let i = self.table.seek(hash, |e| e.hash == hash).ok()?;
        Some(self.table.at(i).doc)
    }

    /// Keeps `doc` for `hash`, unless a document is kept for it already.
    pub(crate) fn insert_first(&mut self, hash: u64, doc: DocIdx) {
        debug_assert_ne!(doc, EMPTY);
        // One look-up and one insertion an article: a load of three quarters costs nothing
        // measurable.
        self.table.reserve(1, 6);
        if let Err(empty) = self.table.seek(hash, |e| e.hash == hash) {
            self.table.fill(empty, Entry { hash, doc });
        }
    }

    /// Forgets `hash` if `doc` is the document kept for it.
    pub(crate) fn remove(&mut self, hash: u64, doc: DocIdx) {
        if let Ok(i) = self.table.seek(hash, |e| e.hash == hash && e.doc == doc) {
            self.table.remove_at(i);
            // Below a quarter: a table of one segment grows to two at three quarters, and
            // shrinking below three eighths of two would undo it at once.
            self.table.shrink_below(2, 6);
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.table.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::mix64;
    use crate::memory::table::SEGMENT;
    use std::collections::HashMap;

    #[test]
    fn keeps_the_first_document_of_each_hash_through_a_window_that_grows_and_shrinks() {
        let mut exact = ExactHashes::default();
        let mut model: HashMap<u64, DocIdx> = HashMap::new();
        // Each text comes twice in a row and again 150,000 documents later, so hashes have
        // several documents, some of them after the first left; the window swells to three
        // segments' worth and falls back to a few thousand.
        let hash_of = |doc: u32| mix64(u64::from(doc % 150_000 / 2));
        let mut oldest = 0u32;
        for doc in 0..400_000u32 {
            let h = hash_of(doc);
            exact.insert_first(h, DocIdx::from_raw(doc));
            model.entry(h).or_insert(DocIdx::from_raw(doc));
            let window = if doc < 250_000 { 200_000 } else { 3_000 };
            while doc - oldest >= window {
                let h = hash_of(oldest);
                exact.remove(h, DocIdx::from_raw(oldest));
                if model.get(&h) == Some(&DocIdx::from_raw(oldest)) {
                    model.remove(&h);
                }
                oldest += 1;
            }
            if doc % 9_973 == 0 {
                assert_eq!(exact.len(), model.len(), "at {doc}");
                for d in (oldest..=doc).step_by(97) {
                    assert_eq!(
                        exact.get(hash_of(d)),
                        model.get(&hash_of(d)).copied(),
                        "{d}"
                    );
                }
            }
        }
        assert_eq!(exact.get(mix64(u64::MAX)), None);
        assert!(
            exact.table.slot_count() <= SEGMENT,
            "the table shrank with the window: {} slots",
            exact.table.slot_count()
        );
    }
}
