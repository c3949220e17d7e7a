//! Helpers shared by the engine's tests, benches and examples, and the app's load example (each
//! includes this file with `#[path]`; what one of them does not use is allowed to stay unused).

/// A xorshift64 generator: fixed seed, same sequence on every machine, no dependency.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The path of a file of the shared data sets (`/work/shared/data`, beside the repository),
/// unless `arg` names another.
pub fn shared_data_path(relative: &str, arg: Option<String>) -> String {
    arg.unwrap_or_else(|| {
        format!(
            "{}/../../../shared/data/{relative}",
            env!("CARGO_MANIFEST_DIR")
        )
    })
}

/// The path of `relative` under `shared/` beside the repository (`../shared` from its root), or
/// `None` after saying on stderr that the caller is skipped because it is absent.
pub fn shared_or_skip(relative: &str) -> Option<std::path::PathBuf> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(relative);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: ../shared/{relative} is absent");
        None
    }
}

/// The text of `path`, or `None` after saying on stderr that the caller is skipped: the shared
/// data sets are third-party and not in the repository, so what needs them skips without them.
pub fn read_or_skip(path: &str) -> Option<String> {
    match std::fs::read_to_string(path) {
        Ok(raw) => Some(raw),
        Err(e) => {
            eprintln!("skipped: cannot read {path}: {e}");
            None
        }
    }
}

/// The pairs of the MSRP file (`label, id1, id2, sentence1, sentence2` a line after a header):
/// whether they are paraphrases, and the two sentences.
pub fn msrp_pairs(raw: &str) -> Vec<(bool, String, String)> {
    let mut pairs = Vec::new();
    for line in raw.trim_start_matches('\u{FEFF}').lines().skip(1) {
        let f: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
        if f.len() == 5 {
            pairs.push((f[0] == "1", f[3].to_owned(), f[4].to_owned()));
        }
    }
    pairs
}
