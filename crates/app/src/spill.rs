//! The engine's spills on disk: temporary files, gone when the process ends, where warm stories'
//! centroids wait beyond the memory budget (`--story-memory-mib`), and where the archive of exact
//! hashes of articles that left the copy window is written out.

use anyhow::Context;
use samestory_engine::pipeline::Engine;
use samestory_engine::spill::{Spill, SpillPlaces};
use std::fs::File;
use std::os::unix::fs::FileExt;

/// Exact hashes of articles that left the copy window kept in memory at least before the archive
/// is written out (2 MiB of them; see `samestory_engine::archive`).
const ARCHIVE_IN_MEMORY: usize = 1 << 17;

/// Gives the engine's clusterer a [`FileSpill`] and its configured memory budget, and the copy
/// index's archive of exact hashes another.
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
    Ok(())
}

/// Warns, once for each, when writing to a spill failed (a full disk): the clusterer then keeps
/// every warm story in memory, or the copy index its archive, and the answers stay the same.
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

#[cfg(test)]
mod tests {
    use super::*;

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
