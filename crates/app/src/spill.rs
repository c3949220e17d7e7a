//! The clusterer's spill on disk: a temporary file, gone when the process ends, where warm
//! stories' centroids wait beyond the memory budget (`--story-memory-mib`).

use anyhow::Context;
use samestory_engine::pipeline::Engine;
use samestory_engine::spill::{Spill, SpillPlaces};
use std::fs::File;
use std::os::unix::fs::FileExt;

/// Gives the engine's clusterer a [`FileSpill`] and its configured memory budget.
pub fn attach(engine: &mut Engine) -> anyhow::Result<()> {
    let budget = engine.config().story_memory_bytes;
    let spill = FileSpill::new()
        .context("creating the temporary file for stories beyond --story-memory-mib")?;
    engine.clusterer_mut().set_spill(Box::new(spill), budget);
    Ok(())
}

/// Warns, once, when writing to the spill failed (a full disk): the clusterer then keeps every
/// warm story in memory, and the answers stay the same.
pub fn report_error(engine: &mut Engine) {
    if let Some(e) = engine.clusterer_mut().take_spill_error() {
        eprintln!(
            "warning: the temporary file for stories beyond --story-memory-mib could not be \
             written ({e}); warm stories stay in memory from now on"
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
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<u64> {
        let at = self.places.take(bytes.len());
        if let Err(e) = self.file.write_all_at(bytes, at) {
            self.places.give_back(at, bytes.len());
            return Err(e);
        }
        Ok(at)
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
