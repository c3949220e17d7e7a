//! Every property on every seed input (`seeds/TARGET/`, our own small files, and any input a
//! fuzzing run found failing, kept as a regression), on stable: so CI builds the fuzz crate and
//! checks the properties without a fuzzing run.

use std::path::Path;

#[test]
fn every_property_holds_on_its_seeds() {
    let targets: [(&str, fn(&[u8])); 6] = [
        ("jsonl", samestory_fuzz::jsonl),
        ("csv", samestory_fuzz::csv),
        ("txt", samestory_fuzz::txt),
        ("dates", samestory_fuzz::dates),
        ("cleaner", samestory_fuzz::cleaner),
        ("quotes", samestory_fuzz::quotes),
    ];
    for (name, property) in targets {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("seeds")
            .join(name);
        let mut seeds: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        seeds.sort();
        assert!(!seeds.is_empty(), "{} has no seed", dir.display());
        for seed in seeds {
            let data = std::fs::read(&seed).unwrap();
            eprintln!("{name}: {}", seed.display());
            property(&data);
        }
    }
}
