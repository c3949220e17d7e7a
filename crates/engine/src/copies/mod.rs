//! Copies: exact and near-duplicate articles, found online with MinHash LSH.
//!
//! Exact copies share the hash of their normalized word sequence. Near copies are found by
//! **banding** the [`Signature`]: `b` bands of `r` rows each; two documents become candidates when
//! all `r` values of at least one band agree, which happens with probability `1 - (1 - J^r)^b` for
//! Jaccard similarity `J` (the S-curve of MMDS ch. 3). Candidates are then checked against the
//! threshold with the estimate from all the signature's bins, each cut to 16 bits in the window
//! ([`Signature16`]).
//!
//! [`Banding::for_threshold`] chooses the S-curve for recall: the largest `r` (fewest false
//! candidates) whose curve still gives a pair *at* the threshold a ≥ 99.5 % chance of being a
//! candidate, with `b = 128 / r`. For `J = 0.8` that is `r = 6, b = 21`: a pair at 0.8 is a
//! candidate with probability 0.998, at 0.7 with 0.93, at 0.5 with 0.28, at 0.3 with 0.015.
//! Checking a candidate costs 128 comparisons, so the loose bottom of the curve is cheap.
//!
//! Every copy points to its family's **original**: the earliest published member, then the first
//! seen.
//!
//! With a [`Spill`] ([`CopyIndex::set_signature_spill`]), only the newest documents of the window
//! keep their signature in memory (256 bytes each, the window's largest part after its buckets);
//! the older ones are written out and read back when a band brings them up as a candidate, or
//! when they leave the window and their bucket entries go. The bytes are the same, so the answers
//! are, and a burst of articles no longer enlarges memory by a signature each.
//! With another ([`CopyIndex::set_bucket_spill`]), the bucket entries of all but the newest
//! documents of the window are written out too (the window's largest part: ~230 bytes a
//! document), and a look-up reads them back when a Bloom filter lets its band key through (see
//! `bucket_run`).

mod bucket_run;
mod buckets;
mod exact;
pub mod fingerprint;

use crate::article::{mix64, DocIdx, StoryIdx, Timestamp};
use crate::memory::archive::HashArchive;
use crate::memory::slots::Slots;
use crate::memory::spill::Spill;
use buckets::Buckets;
use exact::ExactHashes;
use fingerprint::{Signature, Signature16, SIG_LEN};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// LSH banding parameters: `bands × rows ≤ SIG_LEN`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Banding {
    /// `b`: how many bands.
    pub bands: usize,
    /// `r`: signature bins (rows) a band.
    pub rows: usize,
}

impl Banding {
    /// Probability that a pair of similarity `j` becomes a candidate.
    pub fn candidate_probability(self, j: f64) -> f64 {
        1.0 - (1.0 - j.powi(self.rows as i32)).powi(self.bands as i32)
    }

    /// The bucket key of one band of a signature's bins (of [`Signature`] or [`Signature16`]):
    /// equal keys, equal rows (but for hash collisions, which the similarity check after
    /// bucketing absorbs).
    pub fn key<V: Copy + Into<u64>>(self, bins: &[V; SIG_LEN], band: usize) -> u64 {
        let mut h = band as u64;
        for &v in &bins[band * self.rows..(band + 1) * self.rows] {
            h = (h.rotate_left(29) ^ v.into()).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
        mix64(h)
    }

    /// The banding for a Jaccard threshold: the largest `r` whose S-curve still makes a pair at
    /// the threshold a candidate with probability ≥ 99.5 %, and `b = 128 / r` (see the module doc).
    pub fn for_threshold(threshold: f64) -> Banding {
        let mut best = Banding {
            bands: SIG_LEN,
            rows: 1,
        };
        for rows in 1..=SIG_LEN {
            let b = Banding {
                bands: SIG_LEN / rows,
                rows,
            };
            if b.candidate_probability(threshold) >= 0.995 {
                best = b;
            } else {
                break;
            }
        }
        best
    }
}

/// What the index knows of a copy.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CopyOf {
    /// The family's original: its earliest published member, then the first seen.
    pub original: DocIdx,
    /// Estimated Jaccard similarity to the original (1.0 for an exact copy).
    pub jaccard: f32,
    /// Whether the texts are equal word for word (the exact hash matched).
    pub exact: bool,
}

/// The result of adding one document.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Added {
    /// The family's original after this addition, when the document belongs to a family.
    pub copy_of: Option<CopyOf>,
    /// Earlier members whose original changed because the new document is older than it.
    pub repointed: Vec<DocIdx>,
    /// The story of the family, when the document joined one (every member is in its story).
    pub family_story: Option<StoryIdx>,
}

/// A document inside the window.
struct Doc {
    published: Option<Timestamp>,
    original: DocIdx,
    story: StoryIdx,
    exact_hash: u64,
    /// `None` for a text too short to have shingles.
    signature: Option<Held>,
}

/// Where a window document's signature is.
enum Held {
    Memory(Box<Signature16>),
    /// Written out, at this place of the spill.
    Spilled(u64),
}

/// The bytes of a written-out signature.
const SIGNATURE_BYTES: usize = 2 * SIG_LEN;

/// Window signatures written out beyond a number kept in memory (see the module doc).
struct SignatureSpill {
    spill: Box<dyn Spill>,
    /// The most documents that keep their signature in memory: the newest.
    in_memory: usize,
    /// Documents whose signature is in memory, and written out.
    resident: usize,
    spilled: usize,
    /// Every document before it had its signature written out, or left.
    next: DocIdx,
    /// Why writing out stopped, when a write failed (the rest stays in memory).
    error: Option<std::io::Error>,
}

/// A document's best match.
enum Match {
    /// A document inside the window: its index, the estimated Jaccard, whether exact.
    Doc(DocIdx, f32, bool),
    /// An exact copy of a document that left the window: its family's original and story.
    Archived(DocIdx, StoryIdx),
}

/// The online copy index.
///
/// Documents are kept while they are inside the copy window ([`CopyIndex::forget_before`]); then
/// only their exact hash stays, with their family's original and story, in a [`HashArchive`]
/// (16 bytes a distinct text): exact copies are found at any distance, near copies inside the
/// window. Undated documents never leave.
pub struct CopyIndex {
    threshold: f32,
    banding: Banding,
    /// Exact hashes of documents inside the window.
    exact: ExactHashes,
    /// Exact hashes of documents that left: their family's original and story.
    archive: HashArchive<(DocIdx, StoryIdx)>,
    buckets: Buckets,
    docs: Slots<DocIdx, Doc>,
    /// Members of every family with more than one document, keyed by original, while the
    /// original is inside the window.
    families: FxHashMap<DocIdx, Vec<DocIdx>>,
    /// Dated documents, oldest first, for [`CopyIndex::forget_before`].
    by_time: BinaryHeap<Reverse<(Timestamp, DocIdx)>>,
    signature_spill: Option<SignatureSpill>,
}

/// The story of a document whose story is not decided yet.
const NO_STORY: StoryIdx = StoryIdx::MAX;

impl CopyIndex {
    /// An empty index that finds near copies from this estimated Jaccard similarity.
    pub fn new(threshold: f32) -> Self {
        CopyIndex {
            threshold,
            banding: Banding::for_threshold(f64::from(threshold)),
            exact: ExactHashes::default(),
            archive: HashArchive::default(),
            buckets: Buckets::default(),
            docs: Slots::default(),
            families: FxHashMap::default(),
            by_time: BinaryHeap::new(),
            signature_spill: None,
        }
    }

    /// Writes the archive of exact hashes out to `spill` beyond `min_in_memory` entries (see
    /// [`HashArchive::set_spill`]). Answers do not change.
    pub fn set_spill(&mut self, spill: Box<dyn crate::memory::spill::Spill>, min_in_memory: usize) {
        self.archive.set_spill(spill, min_in_memory);
    }

    /// The error that stopped writing the archive out, once.
    pub fn take_spill_error(&mut self) -> Option<std::io::Error> {
        self.archive.take_spill_error()
    }

    /// Keeps the signatures of the newest `in_memory` documents of the window in memory and
    /// writes the older ones to `spill` (see the module doc). Answers do not change.
    pub fn set_signature_spill(&mut self, spill: Box<dyn Spill>, in_memory: usize) {
        let resident = self
            .docs
            .values()
            .filter(|d| matches!(d.signature, Some(Held::Memory(_))))
            .count();
        self.signature_spill = Some(SignatureSpill {
            spill,
            in_memory,
            resident,
            spilled: 0,
            next: DocIdx::from_raw(0),
            error: None,
        });
        self.spill_signatures();
    }

    /// Keeps the bucket entries of the newest `in_memory` documents of the window in memory (up
    /// to twice as many between write-outs) and writes the older ones to `spill` (see the module
    /// doc). Answers do not change. Set once.
    pub fn set_bucket_spill(&mut self, spill: Box<dyn Spill>, in_memory: usize) {
        self.buckets.set_spill(spill, in_memory);
        self.write_buckets_out_when_due();
    }

    /// The error that stopped writing bucket entries out, once.
    pub fn take_bucket_spill_error(&mut self) -> Option<std::io::Error> {
        self.buckets.take_spill_error()
    }

    /// The window's bucket entries in memory and written out (these including entries of
    /// documents that left since the last write-out).
    pub fn bucket_split(&self) -> (usize, usize) {
        self.buckets.split()
    }

    fn write_buckets_out_when_due(&mut self) {
        let docs = &self.docs;
        self.buckets
            .write_out_when_due(docs.next_index(), |d| docs.get(d).is_some());
    }

    /// The error that stopped writing signatures out, once.
    pub fn take_signature_spill_error(&mut self) -> Option<std::io::Error> {
        self.signature_spill.as_mut().and_then(|s| s.error.take())
    }

    /// Window signatures in memory and written out.
    pub fn signature_split(&self) -> (usize, usize) {
        self.signature_spill
            .as_ref()
            .map_or((self.docs.live(), 0), |s| (s.resident, s.spilled))
    }

    /// Writes out the oldest signatures kept in memory while there are more than allowed.
    fn spill_signatures(&mut self) {
        let Some(s) = self.signature_spill.as_mut() else {
            return;
        };
        let end = self.docs.next_index();
        while s.resident > s.in_memory && s.next < end && s.error.is_none() {
            let doc = s.next;
            s.next = doc.next();
            let Some(d) = self.docs.get_mut(doc) else {
                continue;
            };
            let Some(Held::Memory(sig)) = &d.signature else {
                continue;
            };
            match s.spill.write(&sig.to_le_bytes()) {
                Ok(at) => {
                    d.signature = Some(Held::Spilled(at));
                    s.resident -= 1;
                    s.spilled += 1;
                }
                Err(e) => {
                    // The rest stays in memory from now on, as the warning says.
                    s.error = Some(e);
                    s.in_memory = usize::MAX;
                }
            }
        }
    }

    /// Calls `f` with a held signature, read back into `loaded` if it was written out.
    fn with_signature<R>(
        &self,
        held: &Held,
        loaded: &mut Signature16,
        f: impl FnOnce(&Signature16) -> R,
    ) -> R {
        match held {
            Held::Memory(sig) => f(sig),
            Held::Spilled(at) => {
                let spill = &self.signature_spill.as_ref().expect("spilled").spill;
                let mut bytes = [0u8; SIGNATURE_BYTES];
                if let Err(e) = spill.read(*at, &mut bytes) {
                    panic!("a window signature could not be read back: {e}");
                }
                *loaded = Signature16::from_le_bytes(&bytes);
                f(loaded)
            }
        }
    }

    /// Archived exact hashes in memory and written out.
    pub fn archive_split(&self) -> (usize, usize) {
        self.archive.split()
    }

    /// The banding chosen for the threshold.
    pub fn banding(&self) -> Banding {
        self.banding
    }

    /// How many documents were ever added.
    pub fn len(&self) -> usize {
        self.docs.next_index().index()
    }

    /// Whether no document was ever added.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A document's signature, as the window keeps it, while it is in the window.
    pub fn signature(&self, doc: DocIdx) -> Option<Signature16> {
        let held = self.docs.get(doc)?.signature.as_ref()?;
        let mut loaded = Signature16([0; SIG_LEN]);
        Some(self.with_signature(held, &mut loaded, Signature16::clone))
    }

    /// A document's original, while it is in the window.
    pub fn original_of(&self, doc: DocIdx) -> Option<DocIdx> {
        self.docs.get(doc).map(|d| d.original)
    }

    /// A document's story, while it is in the window.
    pub fn story_of(&self, doc: DocIdx) -> Option<StoryIdx> {
        self.docs.get(doc).map(|d| d.story)
    }

    /// Records the story a document was put in.
    pub fn set_story(&mut self, doc: DocIdx, story: StoryIdx) {
        if let Some(d) = self.docs.get_mut(doc) {
            d.story = story;
        }
    }

    /// Forgets the documents published before `cutoff`, so that memory stays flat on an endless
    /// stream: they can no longer be found as near copies, nor become copies of a newer document;
    /// exact copies of them still are found, through the archive. Returns how many were
    /// forgotten.
    pub fn forget_before(&mut self, cutoff: Timestamp) -> usize {
        let mut forgotten = 0;
        while let Some(&Reverse((published, doc))) = self.by_time.peek() {
            if published >= cutoff {
                break;
            }
            self.by_time.pop();
            let Some(d) = self.docs.remove(doc) else {
                continue;
            };
            forgotten += 1;
            if let Some(held) = &d.signature {
                // Entries written out go at the next write-out, without their keys.
                if self.buckets.holds(doc) {
                    let mut loaded = Signature16([0; SIG_LEN]);
                    let keys = self
                        .with_signature(held, &mut loaded, |sig| self.prefetched_band_keys(sig));
                    for key in keys {
                        self.buckets.remove(key, doc);
                    }
                }
                if let Some(s) = self.signature_spill.as_mut() {
                    match held {
                        Held::Memory(_) => s.resident -= 1,
                        Held::Spilled(at) => {
                            s.spill.free(*at, SIGNATURE_BYTES);
                            s.spilled -= 1;
                        }
                    }
                }
            }
            self.exact.remove(d.exact_hash, doc);
            self.archive.insert_new(d.exact_hash, (d.original, d.story));
            self.families.remove(&doc);
        }
        self.docs.compact();
        forgotten
    }

    fn band_keys<'s>(&self, sig: &'s Signature16) -> impl Iterator<Item = u64> + 's {
        let banding = self.banding;
        (0..banding.bands).map(move |band| banding.key(&sig.0, band))
    }

    /// A signature's band keys, with their buckets prefetched: a document's buckets are visited
    /// together, so their cache misses can overlap.
    fn prefetched_band_keys(&self, sig: &Signature16) -> Vec<u64> {
        let keys: Vec<u64> = self.band_keys(sig).collect();
        keys.iter().for_each(|&k| self.buckets.prefetch(k));
        keys
    }

    /// The best match for a signature among indexed documents, at or above the threshold: a
    /// document of the window, or the family of an archived exact copy.
    fn best_match(&self, exact_hash: u64, sig: Option<&Signature16>) -> Option<Match> {
        if let Some(doc) = self.exact.get(exact_hash) {
            return Some(Match::Doc(doc, 1.0, true));
        }
        if let Some((original, story)) = self.archive.get(exact_hash) {
            return Some(Match::Archived(original, story));
        }
        let sig = sig?;
        let mut best: Option<(DocIdx, f32)> = None;
        let mut loaded = Signature16([0; SIG_LEN]);
        for key in self.prefetched_band_keys(sig) {
            self.buckets.for_each(key, |doc| {
                if best.is_some_and(|(d, _)| d == doc) {
                    return;
                }
                let Some(held) = self.docs.get(doc).and_then(|d| d.signature.as_ref()) else {
                    return;
                };
                let j = self.with_signature(held, &mut loaded, |other| sig.jaccard(other));
                if j >= self.threshold && best.is_none_or(|(d, bj)| j > bj || j == bj && doc < d) {
                    best = Some((doc, j));
                }
            });
        }
        best.map(|(doc, j)| Match::Doc(doc, j, false))
    }

    /// Re-adds a stored document whose family and story are already known (when restoring from
    /// a store).
    pub fn insert_known(
        &mut self,
        exact_hash: u64,
        sig: Signature,
        published: Option<Timestamp>,
        original: DocIdx,
        story: StoryIdx,
    ) {
        let sig = (!sig.is_empty()).then(|| Signature16::of(&sig));
        let idx = self.push(exact_hash, sig, published, original, story);
        if original != idx && self.docs.get(original).is_some() {
            self.families
                .entry(original)
                .or_insert_with(|| vec![original])
                .push(idx);
        }
    }

    /// Indexes the next document (exact hash, bands) and records it; returns its index.
    fn push(
        &mut self,
        exact_hash: u64,
        sig: Option<Signature16>,
        published: Option<Timestamp>,
        original: DocIdx,
        story: StoryIdx,
    ) -> DocIdx {
        let idx = self.docs.next_index();
        self.exact.insert_first(exact_hash, idx);
        if let Some(sig) = &sig {
            let keys: Vec<u64> = self.band_keys(sig).collect();
            for key in keys {
                self.buckets.push(key, idx);
            }
            if let Some(s) = self.signature_spill.as_mut() {
                s.resident += 1;
            }
        }
        if let Some(t) = published {
            self.by_time.push(Reverse((t, idx)));
        }
        self.docs.push(Doc {
            published,
            original,
            story,
            exact_hash,
            signature: sig.map(|s| Held::Memory(Box::new(s))),
        });
        self.spill_signatures();
        self.write_buckets_out_when_due();
        idx
    }

    /// Adds the next document (its index is `self.len()`), linking it to its family if it has one.
    /// Its story is recorded with [`CopyIndex::set_story`] once decided.
    pub fn add(&mut self, exact_hash: u64, sig: Signature, published: Option<Timestamp>) -> Added {
        let sig = (!sig.is_empty()).then(|| Signature16::of(&sig));
        let found = self.best_match(exact_hash, sig.as_ref());
        let idx = self.push(exact_hash, sig, published, self.docs.next_index(), NO_STORY);
        let (matched, jaccard, exact) = match found {
            None => return Added::default(),
            Some(Match::Archived(original, story)) => {
                self.docs.get_mut(idx).expect("just pushed").original = original;
                return Added {
                    copy_of: Some(CopyOf {
                        original,
                        jaccard: 1.0,
                        exact: true,
                    }),
                    repointed: Vec::new(),
                    family_story: Some(story),
                };
            }
            Some(Match::Doc(matched, jaccard, exact)) => (matched, jaccard, exact),
        };
        let m = self.docs.get(matched).expect("matches are in the window");
        let (original, family_story) = (m.original, m.story);
        // An original that left the window stays the original: it is older than anything the
        // window holds.
        let published = |a: DocIdx| self.docs.get(a).map(|d| d.published);
        let new_original = match (published(idx), published(original)) {
            (Some(pi), Some(po)) => {
                let older = match (pi, po) {
                    (Some(x), Some(y)) if x != y => x < y,
                    _ => idx < original,
                };
                if older {
                    idx
                } else {
                    original
                }
            }
            _ => original,
        };
        let mut repointed = Vec::new();
        if self.docs.get(original).is_some() {
            let mut members = self
                .families
                .remove(&original)
                .unwrap_or_else(|| vec![original]);
            members.push(idx);
            if new_original != original {
                for &m in &members {
                    if m != idx {
                        if let Some(d) = self.docs.get_mut(m) {
                            d.original = idx;
                        }
                        repointed.push(m);
                    }
                }
            }
            self.families.insert(new_original, members);
        }
        self.docs.get_mut(idx).expect("just pushed").original = new_original;
        let copy_of = (new_original != idx).then_some(CopyOf {
            original: new_original,
            jaccard,
            exact,
        });
        Added {
            copy_of,
            repointed,
            family_story: Some(family_story),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fingerprint::signature;
    use super::*;
    use crate::text::word_hashes;

    fn doc(i: u32) -> DocIdx {
        DocIdx::from_raw(i)
    }

    #[test]
    fn banding_for_common_thresholds() {
        assert_eq!(Banding::for_threshold(0.8), Banding { bands: 21, rows: 6 });
        let b = Banding::for_threshold(0.5);
        assert!(b.candidate_probability(0.5) >= 0.995);
        assert!(Banding::for_threshold(0.9).rows > 6);
    }

    fn add(ix: &mut CopyIndex, text: &str, published: i64) -> Added {
        let w = word_hashes(text);
        let exact = crate::article::stable_hash(
            &w.iter().flat_map(|h| h.to_le_bytes()).collect::<Vec<_>>(),
        );
        ix.add(exact, signature(&w, 5), Some(published))
    }

    fn long_text(seed: usize) -> String {
        (0..300)
            .map(|i| format!("w{}x{} ", (i * 31 + seed * 7) % 997, seed))
            .collect()
    }

    #[test]
    fn near_copy_points_to_earliest_original() {
        let mut ix = CopyIndex::new(0.8);
        let base = long_text(1);
        let edited = format!(
            "LONDON (Reuters) - {} one changed sentence here today",
            base
        );
        assert_eq!(add(&mut ix, &edited, 200).copy_of, None);
        let added = add(&mut ix, &base, 100);
        // The older article becomes the original; the first one is repointed to it.
        assert_eq!(added.copy_of, None);
        assert_eq!(added.repointed, vec![doc(0)]);
        assert_eq!(ix.original_of(doc(0)), Some(doc(1)));
        let exact = add(&mut ix, &base, 300);
        assert_eq!(
            exact.copy_of.map(|c| (c.original, c.exact)),
            Some((doc(1), true))
        );
        assert!(add(&mut ix, &long_text(2), 400).copy_of.is_none());
    }

    #[test]
    fn forgotten_documents_are_found_only_as_exact_copies() {
        let mut ix = CopyIndex::new(0.8);
        let base = long_text(3);
        add(&mut ix, &base, 100);
        ix.set_story(doc(0), StoryIdx::from_raw(5));
        assert_eq!(ix.forget_before(200), 1);
        assert!(ix.signature(doc(0)).is_none());
        assert_eq!(
            ix.original_of(doc(0)),
            None,
            "a forgotten article leaves memory"
        );
        let near = format!("{base} and one more sentence at the end");
        assert!(
            add(&mut ix, &near, 300).copy_of.is_none(),
            "a forgotten article is no near original"
        );
        let exact = add(&mut ix, &base, 400);
        assert_eq!(
            exact.copy_of.map(|c| (c.original, c.exact)),
            Some((doc(0), true))
        );
        assert_eq!(
            exact.family_story,
            Some(StoryIdx::from_raw(5)),
            "its story is archived with it"
        );
        assert_eq!(ix.original_of(doc(2)), Some(doc(0)));
    }

    /// Adds a stream where every fifth document is a near copy of one 30 to 70 documents back
    /// and every seventh an exact copy of one 40 back, forgetting what is 100 documents old.
    fn copies_stream(ix: &mut CopyIndex) -> Vec<Added> {
        let mut texts: Vec<String> = Vec::new();
        let mut added = Vec::new();
        for i in 0..600usize {
            let text = if i % 5 == 0 && i >= 70 {
                format!("{} with a line added {i}", texts[i - 30 - i % 41])
            } else if i % 7 == 0 && i >= 40 {
                texts[i - 40].clone()
            } else {
                long_text(i)
            };
            added.push(add(ix, &text, i as i64));
            texts.push(text);
            ix.forget_before(i as i64 - 100);
        }
        added
    }

    #[test]
    fn window_signatures_written_out_give_the_same_answers() {
        let mut kept = CopyIndex::new(0.8);
        let answers = copies_stream(&mut kept);
        let near = answers
            .iter()
            .filter(|a| a.copy_of.is_some_and(|c| !c.exact))
            .count();
        assert!(near > 50, "near copies found: {near}");

        let mut spilling = CopyIndex::new(0.8);
        spilling.set_signature_spill(Box::new(crate::memory::spill::MemorySpill::default()), 8);
        assert_eq!(copies_stream(&mut spilling), answers);
        let (resident, spilled) = spilling.signature_split();
        assert!(
            resident <= 8 && spilled > 80,
            "{resident} in memory, {spilled} out"
        );
        assert_eq!(resident + spilled, spilling.docs.live());
        for i in 520..600 {
            let (a, b) = (spilling.signature(doc(i)), kept.signature(doc(i)));
            assert!(a.is_some() && a == b, "document {i}");
        }
        spilling.forget_before(10_000);
        assert_eq!(
            spilling.signature_split(),
            (0, 0),
            "leaving documents free their places"
        );
        assert!(spilling.take_signature_spill_error().is_none());
    }

    #[test]
    fn window_bucket_entries_written_out_give_the_same_answers() {
        let mut kept = CopyIndex::new(0.8);
        let answers = copies_stream(&mut kept);
        let mut spilling = CopyIndex::new(0.8);
        // Near copies are of documents 30 to 70 back: found among the entries written out.
        spilling.set_bucket_spill(Box::new(crate::memory::spill::MemorySpill::default()), 8);
        assert_eq!(copies_stream(&mut spilling), answers);
        let bands = spilling.banding.bands;
        let (memory, written) = spilling.bucket_split();
        assert!(
            memory <= 16 * bands && written >= 80 * bands,
            "{memory} entries in memory, {written} out"
        );
        assert!(
            written <= 200 * bands,
            "write-outs drop the entries of documents that left: {written} out"
        );
        assert!(spilling.take_bucket_spill_error().is_none());
    }

    #[test]
    fn window_bucket_entries_stay_in_memory_when_the_spill_is_full() {
        let mut kept = CopyIndex::new(0.8);
        let answers = copies_stream(&mut kept);
        let mut spilling = CopyIndex::new(0.8);
        spilling.set_bucket_spill(crate::memory::spill::FillsUp::boxed(0), 8);
        assert_eq!(copies_stream(&mut spilling), answers);
        assert!(spilling.take_bucket_spill_error().is_some());
        assert_eq!(spilling.bucket_split(), kept.bucket_split());
        for i in 0..50 {
            add(&mut spilling, &long_text(10_000 + i), 10_000);
        }
        assert!(
            spilling.take_bucket_spill_error().is_none(),
            "reported once"
        );
        assert_eq!(spilling.bucket_split().1, 0);
    }

    #[test]
    fn window_signatures_stay_in_memory_when_the_spill_is_full() {
        let mut kept = CopyIndex::new(0.8);
        let answers = copies_stream(&mut kept);
        let mut spilling = CopyIndex::new(0.8);
        spilling.set_signature_spill(crate::memory::spill::FillsUp::boxed(0), 8);
        assert_eq!(copies_stream(&mut spilling), answers);
        assert!(spilling.take_signature_spill_error().is_some());
        assert_eq!(spilling.signature_split(), (spilling.docs.live(), 0));
        // Nothing is tried again after the error was taken.
        for i in 0..50 {
            add(&mut spilling, &long_text(10_000 + i), 10_000);
        }
        assert!(
            spilling.take_signature_spill_error().is_none(),
            "reported once"
        );
        assert_eq!(spilling.signature_split(), (spilling.docs.live(), 0));
    }
}
