//! The engine's spills on disk: temporary files, gone when the process ends, where warm stories'
//! centroids wait beyond the memory budget (`--story-memory-mib`), where the archive of exact
//! hashes of articles that left the copy window and the signatures and bucket entries of the
//! window's older articles are written out, and where `cluster` and `ingest` keep the ids of older stories
//! ([`StoryIds`]).

use anyhow::Context;
use samestory_engine::memory::spill::{Spill, SpillPlaces};
use samestory_engine::pipeline::{Engine, StoryId};
use samestory_engine::StoryIdx;
use std::fs::File;
use std::os::unix::fs::FileExt;

/// Exact hashes of articles that left the copy window kept in memory at least before the archive
/// is written out (2 MiB of them; see `samestory_engine::memory::archive`).
const ARCHIVE_IN_MEMORY: usize = 1 << 17;

/// Documents of the copy window that keep their signature in memory: the newest 8,192 (2 MiB;
/// see `samestory_engine::copies`).
const WINDOW_SIGNATURES_IN_MEMORY: usize = 1 << 13;

/// Documents of the copy window that keep their bucket entries in memory: the newest 8,192 to
/// 16,384 (~2-4 MiB; see `samestory_engine::copies`).
const WINDOW_BUCKETS_IN_MEMORY: usize = 1 << 13;

/// Gives the engine's clusterer a [`FileSpill`] and its configured memory budget, and the copy
/// index's archive of exact hashes, window signatures and window bucket entries one each.
pub fn attach(engine: &mut Engine) -> anyhow::Result<()> {
    let budget = engine.config().story_memory_bytes;
    let spill = FileSpill::new()
        .context("creating the temporary file for stories beyond --story-memory-mib")?;
    engine.clusterer_mut().set_spill(Box::new(spill), budget);
    let spill =
        FileSpill::new().context("creating the temporary file for the archive of exact hashes")?;
    engine
        .copies_mut()
        .set_spill(Box::new(spill), ARCHIVE_IN_MEMORY);
    let spill =
        FileSpill::new().context("creating the temporary file for the copy window's signatures")?;
    engine
        .copies_mut()
        .set_signature_spill(Box::new(spill), WINDOW_SIGNATURES_IN_MEMORY);
    let spill = FileSpill::new()
        .context("creating the temporary file for the copy window's bucket entries")?;
    engine
        .copies_mut()
        .set_bucket_spill(Box::new(spill), WINDOW_BUCKETS_IN_MEMORY);
    Ok(())
}

/// Warns, once for each, when writing to a spill failed (a full disk): the clusterer then keeps
/// every warm story in memory, or the copy index its archive or its window's signatures, and the
/// answers stay the same.
pub fn report_error(engine: &mut Engine) {
    if let Some(e) = engine.clusterer_mut().take_spill_error() {
        eprintln!(
            "warning: the temporary file for stories beyond --story-memory-mib could not be \
             written ({e}); warm stories stay in memory from now on"
        );
    }
    if let Some(e) = engine.copies_mut().take_spill_error() {
        eprintln!(
            "warning: the temporary file for the archive of exact hashes could not be written \
             ({e}); it stays in memory from now on"
        );
    }
    if let Some(e) = engine.copies_mut().take_signature_spill_error() {
        eprintln!(
            "warning: the temporary file for the copy window's signatures could not be written \
             ({e}); they stay in memory from now on"
        );
    }
    if let Some(e) = engine.copies_mut().take_bucket_spill_error() {
        eprintln!(
            "warning: the temporary file for the copy window's bucket entries could not be \
             written ({e}); they stay in memory from now on"
        );
    }
}

/// A [`Spill`] in an unnamed temporary file (in `TMPDIR`), read and written at offsets.
pub struct FileSpill {
    file: File,
    places: SpillPlaces,
}

impl FileSpill {
    pub fn new() -> std::io::Result<FileSpill> {
        Ok(FileSpill {
            file: tempfile::tempfile()?,
            places: SpillPlaces::default(),
        })
    }
}

impl Spill for FileSpill {
    fn reserve(&mut self, len: usize) -> u64 {
        self.places.take(len)
    }

    fn write_at(&mut self, at: u64, bytes: &[u8]) -> std::io::Result<()> {
        self.file.write_all_at(bytes, at)
    }

    fn read(&self, handle: u64, into: &mut [u8]) -> std::io::Result<()> {
        self.file.read_exact_at(into, handle)
    }

    fn free(&mut self, handle: u64, len: usize) {
        self.places.give_back(handle, len);
    }
}

/// Story ids written out together, and kept in memory (between one and two such chunks).
const STORY_ID_CHUNK: usize = 1 << 16;

/// The id of every story, by story index, for naming the story of each article: the newest in
/// memory, older ones written in chunks of [`STORY_ID_CHUNK`] to a temporary file. Held in memory,
/// they took 8 bytes a story and grew with the stream (4 MiB at 1M articles); an article rarely
/// joins a story that old (an exact copy of an article long gone), and then one read finds it.
pub struct StoryIds {
    file: File,
    /// How many ids are in the file: those of stories `0..written`.
    written: usize,
    /// The ids of stories `written..`.
    recent: Vec<StoryId>,
}

impl StoryIds {
    pub fn new() -> std::io::Result<StoryIds> {
        Ok(StoryIds {
            file: tempfile::tempfile()?,
            written: 0,
            recent: Vec::with_capacity(2 * STORY_ID_CHUNK),
        })
    }

    pub fn len(&self) -> usize {
        self.written + self.recent.len()
    }

    /// Adds the id of story `self.len()`.
    pub fn push(&mut self, id: StoryId) -> std::io::Result<()> {
        if self.recent.len() == 2 * STORY_ID_CHUNK {
            let bytes: Vec<u8> = self.recent[..STORY_ID_CHUNK]
                .iter()
                .flat_map(|id| id.to_bits().to_le_bytes())
                .collect();
            self.file.write_all_at(&bytes, self.written as u64 * 8)?;
            self.recent.drain(..STORY_ID_CHUNK);
            self.written += STORY_ID_CHUNK;
        }
        self.recent.push(id);
        Ok(())
    }

    /// The id of story `story`, which must have been pushed.
    pub fn get(&self, story: StoryIdx) -> std::io::Result<StoryId> {
        let story = story.index();
        if let Some(p) = story.checked_sub(self.written) {
            return Ok(self.recent[p]);
        }
        let mut bits = [0u8; 8];
        self.file.read_exact_at(&mut bits, story as u64 * 8)?;
        Ok(StoryId::from_bits(u64::from_le_bytes(bits)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn story_ids_read_back_from_memory_and_from_the_file() {
        let mut ids = StoryIds::new().unwrap();
        let id = |i: usize| StoryId::of(&format!("article-{i}"));
        let n = 5 * STORY_ID_CHUNK + 17;
        for i in 0..n {
            ids.push(id(i)).unwrap();
        }
        assert_eq!(ids.len(), n);
        assert!(
            ids.written >= 3 * STORY_ID_CHUNK,
            "the older ids were written out"
        );
        assert!(ids.recent.len() <= 2 * STORY_ID_CHUNK);
        for i in [
            0,
            1,
            STORY_ID_CHUNK - 1,
            STORY_ID_CHUNK,
            3 * STORY_ID_CHUNK + 5,
            n - 1,
        ] {
            assert_eq!(ids.get(StoryIdx::at(i)).unwrap(), id(i), "story {i}");
        }
    }

    #[test]
    fn reads_back_what_was_written_and_reuses_freed_places() {
        let mut s = FileSpill::new().unwrap();
        let a = s.write(&[5; 1500]).unwrap();
        let b = s.write(b"centroid").unwrap();
        let mut buf = vec![0u8; 1500];
        s.read(a, &mut buf).unwrap();
        assert!(buf.iter().all(|&x| x == 5));
        s.free(a, 1500);
        let c = s.write(&[6; 2048]).unwrap();
        assert_eq!(c, a, "a freed place of the same class is reused");
        let mut small = [0u8; 8];
        s.read(b, &mut small).unwrap();
        assert_eq!(&small, b"centroid");
        assert!(
            s.read(1 << 30, &mut small).is_err(),
            "reading past the end fails"
        );
    }
}
