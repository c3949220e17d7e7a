//! Which warm stories keep their vectors in memory: at most a budget of bytes, those joined most
//! recently; the others are written to a [`Spill`] as exact bytes and read back for a look-up or
//! a join, so decisions are the same with or without it.

use super::sparse::SparseSum;
use super::{Clusterer, LiveStory};
use crate::article::{StoryIdx, Timestamp};
use crate::memory::spill::Spill;
use std::collections::VecDeque;

/// A story's centroid and names written out to the [`Spill`].
#[derive(Clone, Copy, Debug)]
pub(super) struct Spilled {
    pub(super) handle: u64,
    pub(super) centroid_len: u32,
    pub(super) names_len: u32,
}

impl Spilled {
    pub(super) fn bytes(&self) -> usize {
        (self.centroid_len + self.names_len) as usize * SparseSum::ENTRY_BYTES
    }

    /// Reads the centroid and names back into `centroid` and `names`, through `bytes`.
    pub(super) fn read(
        &self,
        spill: &dyn Spill,
        bytes: &mut Vec<u8>,
        centroid: &mut SparseSum,
        names: &mut SparseSum,
    ) {
        bytes.resize(self.bytes(), 0);
        if let Err(e) = spill.read(self.handle, bytes) {
            panic!("a spilled story could not be read back: {e}");
        }
        let split = self.centroid_len as usize * SparseSum::ENTRY_BYTES;
        centroid.decode_from(&bytes[..split]);
        names.decode_from(&bytes[split..]);
    }
}

/// Which stories keep their vectors in memory: at most `budget` bytes of them, the most recently
/// joined (see the `memory::spill` module).
pub(super) struct Residency {
    pub(super) spill: Box<dyn Spill>,
    pub(super) budget: usize,
    pub(super) resident_bytes: usize,
    /// Stories by the stamp of their last join, oldest first; an entry whose stamp is no longer
    /// its story's is stale and skipped.
    pub(super) queue: VecDeque<(StoryIdx, u32)>,
    pub(super) next_stamp: u32,
    /// A spilled story read back for a look-up, and its bytes.
    pub(super) loaded: std::cell::RefCell<(SparseSum, SparseSum, Vec<u8>)>,
    /// Why spilling stopped, when a write failed (the rest stays in memory).
    pub(super) error: Option<std::io::Error>,
}

impl LiveStory {
    /// Bytes of its centroid and names, in memory or spilled.
    pub(super) fn vector_bytes(&self) -> usize {
        match &self.spilled {
            Some(s) => s.bytes(),
            None => (self.centroid.len() + self.names.len()) * SparseSum::ENTRY_BYTES,
        }
    }

    pub(super) fn names_len(&self) -> usize {
        self.spilled
            .as_ref()
            .map_or(self.names.len(), |s| s.names_len as usize)
    }
}

impl Clusterer {
    /// Keeps at most `budget` bytes of live stories' centroids and names in memory, those of the
    /// stories joined most recently, and writes the others to `spill` until a join needs them.
    /// Decisions are the same with or without it (see the `memory::spill` module).
    pub fn set_spill(&mut self, spill: Box<dyn Spill>, budget: usize) {
        let residency = Residency {
            spill,
            budget,
            resident_bytes: 0,
            queue: VecDeque::new(),
            next_stamp: 0,
            loaded: Default::default(),
            error: None,
        };
        let mut live: Vec<(Option<Timestamp>, StoryIdx)> = self
            .stories
            .indexes()
            .into_iter()
            .map(|s| (self.live(s).and_then(|l| l.last), s))
            .collect();
        live.sort_unstable();
        self.residency = Some(residency);
        for (_, s) in live {
            self.track_new(s);
        }
        self.keep_budget();
    }

    /// The error that stopped spilling, once: stories then stay in memory.
    pub fn take_spill_error(&mut self) -> Option<std::io::Error> {
        self.residency.as_mut().and_then(|r| r.error.take())
    }

    /// How many bytes of story vectors are in memory and how many are spilled.
    pub fn vector_bytes(&self) -> (usize, usize) {
        let (mut resident, mut spilled) = (0, 0);
        for s in self.stories.indexes() {
            let story = self.live(s).expect("live");
            if story.spilled.is_some() {
                spilled += story.vector_bytes();
            } else {
                resident += story.vector_bytes();
            }
        }
        (resident, spilled)
    }

    /// Calls `f` with a story's centroid and names, read back from the spill when they wait there.
    pub(super) fn with_vectors<R>(
        &self,
        story: &LiveStory,
        f: impl FnOnce(&SparseSum, &SparseSum) -> R,
    ) -> R {
        let Some(s) = story.spilled else {
            return f(&story.centroid, &story.names);
        };
        let r = self
            .residency
            .as_ref()
            .expect("spilled stories have a spill");
        let mut loaded = r.loaded.borrow_mut();
        let (centroid, names, bytes) = &mut *loaded;
        s.read(&*r.spill, bytes, centroid, names);
        f(centroid, names)
    }

    /// Brings a story's vectors back into memory, and marks it the most recently joined.
    pub(super) fn make_resident(&mut self, story: StoryIdx) {
        let Some(r) = self.residency.as_mut() else {
            return;
        };
        let live = &mut *self.stories.get_mut(story).expect("live").live;
        if let Some(s) = live.spilled.take() {
            let bytes = &mut r.loaded.get_mut().2;
            s.read(&*r.spill, bytes, &mut live.centroid, &mut live.names);
            r.spill.free(s.handle, s.bytes());
            live.centroid.shrink_to_fit();
            live.names.shrink_to_fit();
            r.resident_bytes += s.bytes();
        }
        live.stamp = r.next_stamp;
        r.next_stamp = r.next_stamp.wrapping_add(1);
        r.queue.push_back((story, live.stamp));
    }

    /// Spills the least recently joined stories until the resident vectors fit the budget.
    pub(super) fn keep_budget(&mut self) {
        let Some(r) = self.residency.as_mut() else {
            return;
        };
        let mut bytes = Vec::new();
        while r.resident_bytes > r.budget && r.queue.len() > 1 {
            let (s, stamp) = r.queue.pop_front().expect("not empty");
            let Some(slot) = self.stories.get_mut(s) else {
                continue;
            };
            let live = &mut *slot.live;
            if live.stamp != stamp || live.spilled.is_some() {
                continue;
            }
            bytes.clear();
            live.centroid.encode(&mut bytes);
            live.names.encode(&mut bytes);
            match r.spill.write(&bytes) {
                Ok(handle) => {
                    live.spilled = Some(Spilled {
                        handle,
                        centroid_len: live.centroid.len() as u32,
                        names_len: live.names.len() as u32,
                    });
                    live.centroid = SparseSum::default();
                    live.names = SparseSum::default();
                    r.resident_bytes -= bytes.len();
                }
                Err(e) => {
                    // What is spilled already stays readable; nothing more is spilled.
                    r.error = Some(e);
                    r.budget = usize::MAX;
                    r.queue.push_front((s, stamp));
                    return;
                }
            }
        }
        // Stale entries pile up when the budget is rarely reached: drop them now and then.
        if r.queue.len() > 2 * self.stories.live() + 1024 {
            let stories = &self.stories;
            r.queue.retain(|&(s, stamp)| {
                stories
                    .get(s)
                    .is_some_and(|slot| slot.live.stamp == stamp && slot.live.spilled.is_none())
            });
        }
    }

    /// Accounts for a story that left memory.
    pub(super) fn forget_vectors(&mut self, story: &LiveStory) {
        if let Some(r) = self.residency.as_mut() {
            match story.spilled {
                Some(s) => r.spill.free(s.handle, story.vector_bytes()),
                None => r.resident_bytes -= story.vector_bytes(),
            }
        }
    }

    /// Accounts for a story that came into memory (new, revived or restored).
    pub(super) fn track_new(&mut self, story: StoryIdx) {
        if let Some(r) = self.residency.as_mut() {
            r.resident_bytes += self.stories.get(story).expect("live").live.vector_bytes();
        }
        self.make_resident(story);
    }
}
