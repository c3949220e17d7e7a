//! The saved-state format: a story's [`StoryState`] (its centroid carrying, under pseudo-terms,
//! its member count, squared norms and name channel), the salted pseudo-terms under which the
//! document-frequency table keeps story frequencies and seen lines, and the flag bits of saved
//! counts (including those of older databases); restoring a clusterer from them, and bringing
//! cold stories back for a late article ([`Clusterer::revive`]).

use super::docfreqs::DocFreqs;
use super::sparse::SparseSum;
use super::{weighed_docs, Clusterer, LiveStory, StorySlot};
use crate::article::{StoryIdx, Term, Timestamp};
use crate::memory::slots::Slots;
use crate::text::language::Language;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// The pseudo-term under which a saved centroid carries its member count.
pub(super) const MEMBERS_TERM: Term = Term::from_raw(0x6d65_6d62_6572_735f);

/// The pseudo-terms under which a saved centroid carries its squared norms as the live clusterer
/// summed them, so that a restored one decides exactly as it would have.
pub(super) const NORM2_TERM: Term = Term::from_raw(0x6e6f_726d_325f_6365);

pub(super) const NAMES_NORM2_TERM: Term = Term::from_raw(0x6e6f_726d_325f_6e61);

/// The pseudo-term under which a saved centroid carries its story's language
/// ([`Language::to_number`]), when it has one. Stories saved before it have none: any article
/// may join them, as before.
pub(super) const LANGUAGE_TERM: Term = Term::from_raw(0x6c61_6e67_5f73_746f);

/// Salt of the pseudo-terms under which a saved centroid carries its name channel.
pub(super) const NAME_SALT: u64 = 0x6e61_6d65_5f63_686e;

/// The pseudo-term of a term's weight in a saved story's name channel.
pub(super) fn name_key(t: Term) -> Term {
    Term::from_raw(crate::article::mix64(t.raw() ^ NAME_SALT))
}

/// Salt of the pseudo-terms under which the document frequency table counts stories per term.
pub(super) const STORY_SALT: u64 = 0x7374_6f72_795f_6672;

/// The pseudo-term under which the document frequency table counts the stories that hold `t`.
pub(super) fn story_key(t: Term) -> Term {
    Term::from_raw(t.raw() ^ STORY_SALT)
}

/// The pseudo-term under which the document frequency table counts stories.
pub(super) const STORIES_TERM: Term = Term::from_raw(0x7374_6f72_6965_735f);

/// Salt of the pseudo-term under which the document frequency table keeps a line's hash.
pub(super) const LINE_SALT: u64 = 0x6c69_6e65_5f73_6565;

/// The pseudo-term under which the document frequency table counts a line (by its hash).
pub(super) fn line_key(line_hash: u64) -> Term {
    Term::from_raw(line_hash ^ LINE_SALT)
}

/// Marks a line's value in the document frequency table (a generation number), which a count
/// never reaches and which does not decay.
pub(super) const LINE_FLAG: u32 = super::docfreqs::MARK;

/// Marks a count saved by stores written before counts decayed, below 16,384: the count in bits
/// 16–29, the generation it was last counted in below.
pub(super) const FEW_FLAG: u32 = 1 << 30;

/// Marks a saved count: the count (at most 65,535) in bits 14–29, the generation it was last
/// counted in, modulo 2^14, below. A count is forgotten long before its generation could be
/// mistaken for another (it halves every generation).
pub(super) const COUNT_FLAG: u32 = LINE_FLAG | FEW_FLAG;

/// The bits of a saved count's generation.
pub(super) const COUNT_GENERATION_BITS: u16 = (1 << 14) - 1;

/// A story as the clusterer keeps it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoryState {
    /// The centroid (sum of the members' unit vectors), with the saved pseudo-terms that carry
    /// its member count, squared norms and name channel.
    pub centroid: Vec<(Term, f32)>,
    /// How many articles it holds, copies counted.
    pub size: u32,
    /// Its oldest article's date.
    pub first: Option<Timestamp>,
    /// Its newest article's date.
    pub last: Option<Timestamp>,
}

impl StoryState {
    /// The centroid's terms without the pseudo-terms that carry its member count and norms (its
    /// name channel stays: a name two stories share is evidence): what a layer above stories,
    /// such as storylines, compares stories by.
    pub fn content_terms(&self) -> impl Iterator<Item = (Term, f32)> + '_ {
        self.centroid.iter().copied().filter(|&(t, _)| {
            t != MEMBERS_TERM && t != NORM2_TERM && t != NAMES_NORM2_TERM && t != LANGUAGE_TERM
        })
    }
}

/// The stories a late article could join that may have left memory (see
/// [`Clusterer::revival_span`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RevivalSpan {
    /// The stories whose newest article is at least this old…
    pub newest_from: Timestamp,
    /// …and older than this (the eviction horizon)…
    pub newest_before: Timestamp,
    /// …and whose first article is at most this old.
    pub first_until: Timestamp,
}

impl Clusterer {
    /// For a late article (published at `at`, before the eviction horizon plus the window), the
    /// stories it could join that may have left memory and have not been brought back since:
    /// those whose newest article is in `newest_from..newest_before` and whose first is at most
    /// `first_until`. The span reaches one window further ahead than the article needs, so that
    /// the late articles after it, in time order, find their stories already back. `None` when
    /// every story the article could join is live.
    pub fn revival_span(&self, at: Option<Timestamp>) -> Option<RevivalSpan> {
        let (w, t, horizon) = (self.config.window_secs?, at?, self.evicted_before?);
        if t - w >= horizon {
            return None;
        }
        let covered = self.revived.is_some_and(|r| {
            r.newest_from <= t - w && r.newest_before >= horizon && r.first_until >= t + w
        });
        (!covered).then_some(RevivalSpan {
            newest_from: t - w,
            newest_before: horizon,
            first_until: t + 2 * w,
        })
    }

    /// Brings back the stories of `span` (from [`Clusterer::revival_span`]) that left memory, as
    /// they were saved; live ones are left as they are. Returns how many came back. They leave
    /// again at the next [`Clusterer::evict_cold`] unless an article joined them.
    pub fn revive(
        &mut self,
        span: RevivalSpan,
        stories: impl IntoIterator<Item = (StoryIdx, StoryState)>,
    ) -> usize {
        let mut revived = 0;
        for (story, state) in stories {
            revived += usize::from(self.revive_story(story, state));
        }
        self.revived = Some(span);
        revived
    }

    /// Brings back one story that left memory, as it was saved. Returns false, changing nothing,
    /// when it is live or was never created.
    pub fn revive_story(&mut self, story: StoryIdx, state: StoryState) -> bool {
        if story >= self.stories.next_index() || self.stories.get(story).is_some() {
            return false;
        }
        self.stories
            .put_back(story, StorySlot::new(Self::live_from_state(state)));
        self.track_new(story);
        self.reindex(story);
        self.keep_budget();
        true
    }

    /// The states of the stories changed since the last call, for persisting.
    pub fn take_dirty(&mut self) -> Vec<(StoryIdx, StoryState)> {
        let mut dirty: Vec<StoryIdx> = self.dirty.drain().collect();
        dirty.sort_unstable();
        dirty
            .into_iter()
            .filter_map(|s| self.live(s).map(|live| (s, self.state_of(live))))
            .collect()
    }

    /// Forgets which stories and document frequencies changed, when nothing persists them
    /// (cold stories can only leave memory once they are no longer waiting to be saved).
    pub fn discard_changes(&mut self) {
        self.dirty.clear();
        self.df.discard_changed();
    }

    /// The document frequencies changed since the last call, and the document count.
    /// A count is saved with the generation it was last counted in (`COUNT_FLAG`; see
    /// [`Clusterer::restore`]), so that a restored clusterer decays and forgets it as this one
    /// would.
    pub fn take_dirty_df(&mut self) -> (Vec<(Term, u32)>, u32) {
        let encode = |n: u32, touched: u16| {
            if n & LINE_FLAG == 0 {
                COUNT_FLAG | (n.min(0xFFFF) << 14) | u32::from(touched & COUNT_GENERATION_BITS)
            } else {
                n
            }
        };
        (self.df.take_changed_encoded(encode), self.docs)
    }

    pub(super) fn state_of(&self, live: &LiveStory) -> StoryState {
        let mut centroid: Vec<(Term, f32)> = self.with_vectors(live, |centroid, names| {
            centroid
                .iter()
                .chain(names.iter().map(|(t, w)| (name_key(t), w)))
                .collect()
        });
        centroid.push((MEMBERS_TERM, live.members as f32));
        centroid.push((NORM2_TERM, live.norm2));
        centroid.push((NAMES_NORM2_TERM, live.names_norm2));
        if let Some(l) = live.language {
            centroid.push((LANGUAGE_TERM, l.to_number() as f32));
        }
        centroid.sort_unstable_by_key(|&(t, _)| t);
        StoryState {
            centroid,
            size: live.size,
            first: live.first,
            last: live.last,
        }
    }

    /// Restores state saved by [`Clusterer::take_dirty`] and [`Clusterer::take_dirty_df`].
    /// `stories` holds every story index up to the highest; `None` for stories left cold.
    pub fn restore(
        &mut self,
        df: impl IntoIterator<Item = (Term, u32)>,
        docs: u32,
        stories: Vec<Option<StoryState>>,
    ) {
        // The generation of the last article counted; a line's own is in its value.
        let last = if docs == 0 {
            0
        } else {
            self.generation_of(docs - 1) as u16
        };
        // A line's value is its generation; a count carries its generation modulo 2^14 (stores
        // written before counts decayed: only counts below 16,384, the others taken as counted
        // in the last one).
        self.df = DocFreqs::from_counts(df, last, |v| {
            if v & COUNT_FLAG == COUNT_FLAG {
                let since = last.wrapping_sub(v as u16) & COUNT_GENERATION_BITS;
                ((v >> 14) & 0xFFFF, last.wrapping_sub(since))
            } else if v & LINE_FLAG != 0 {
                (v, (v & !LINE_FLAG) as u16)
            } else if v & FEW_FLAG != 0 {
                (((v & !FEW_FLAG) >> 16).max(1), v as u16)
            } else {
                (v, last)
            }
        });
        self.docs = docs;
        self.weighed_docs = weighed_docs(docs, self.config.line_generation_docs);
        self.index.clear();
        for s in self.stories.indexes() {
            if let Some(slot) = self.stories.remove(s) {
                self.forget_vectors(&slot.live);
            }
        }
        if let Some(r) = self.residency.as_mut() {
            r.queue.clear();
        }
        self.stories = Slots::default();
        for state in stories {
            let live = state.map(Self::live_from_state);
            if let Some(l) = &live {
                if let Some(t) = l.last {
                    self.latest = Some(self.latest.map_or(t, |x| x.max(t)));
                }
            }
            match live {
                Some(live) => {
                    let i = self.stories.push(StorySlot::new(live));
                    self.track_new(i);
                    self.reindex(i);
                }
                None => {
                    self.stories.push_gone();
                }
            }
        }
        self.stories.compact();
        self.keep_budget();
    }

    /// A saved story as the clusterer keeps it live (not yet indexed).
    pub(super) fn live_from_state(st: StoryState) -> Box<LiveStory> {
        let mut centroid: FxHashMap<Term, f32> = st.centroid.into_iter().collect();
        // Stories saved before the member count was kept: every member counted.
        let members = centroid
            .remove(&MEMBERS_TERM)
            .map_or(st.size, |m| m.round() as u32);
        let saved_norm2 = centroid.remove(&NORM2_TERM);
        let saved_names_norm2 = centroid.remove(&NAMES_NORM2_TERM);
        let language = centroid
            .remove(&LANGUAGE_TERM)
            .and_then(|n| Language::from_number(n as u32));
        // The name channel: entries under the name key of another entry's term.
        let keys: FxHashMap<Term, Term> = centroid.keys().map(|&t| (name_key(t), t)).collect();
        let mut names: FxHashMap<Term, f32> = FxHashMap::default();
        for (k, t) in keys {
            if let Some(w) = centroid.get(&k).copied() {
                centroid.remove(&k);
                names.insert(t, w);
            }
        }
        // Stories saved before the norms were kept: summed afresh.
        let names_norm2 = saved_names_norm2.unwrap_or_else(|| names.values().map(|w| w * w).sum());
        let norm2 = saved_norm2.unwrap_or_else(|| centroid.values().map(|w| w * w).sum());
        Box::new(LiveStory {
            members,
            centroid: SparseSum::from_entries(centroid.into_iter().collect()),
            norm2,
            names: SparseSum::from_entries(names.into_iter().collect()),
            names_norm2,
            size: st.size,
            first: st.first,
            last: st.last,
            top: Vec::new(),
            top_floor: 0.0,
            spilled: None,
            stamp: 0,
            language,
        })
    }
}
