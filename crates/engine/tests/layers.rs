//! The engine's folders depend on each other one way: a lower folder never imports a higher one,
//! and no two modules import each other, directly or through others.
//!
//! Read from the source: every `crate::a::…` path outside a comment is an edge from the top-level
//! module (file or folder under `src/`) that holds it to `a`; inside a folder, every `super::b`
//! and `crate::folder::b` path is an edge between the folder's files. `lib.rs` (which re-exports)
//! and each folder's `mod.rs` (which declares its files) are left out of the file-level graph.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first: a module may use modules of its own layer's predecessors only.
/// A module not named here is only checked for cycles.
const LAYERS: &[&[&str]] = &[
    &["memory"],
    &["article"],
    &["text"],
    &["clean", "copies", "stories", "metrics", "across"],
    &["analysis", "batch"],
    &["pipeline"],
    &["explain"],
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file relative to `src/`: `copies/mod.rs` is `["copies"]`,
/// `copies/exact.rs` is `["copies", "exact"]`.
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// Every identifier that follows `prefix` (`crate::` or `super::`) in the code of `source`,
/// comments left out, with the identifier after it when there is one.
fn paths_after(source: &str, prefix: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for line in source.lines() {
        let code = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        let mut rest = code;
        while let Some(i) = rest.find(prefix) {
            let before = rest[..i].chars().next_back();
            rest = &rest[i + prefix.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let ident = |s: &str| -> String {
                s.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect()
            };
            let first = ident(rest);
            let second = rest
                .get(first.len()..)
                .and_then(|s| s.strip_prefix("::"))
                .map(ident)
                .filter(|s| !s.is_empty());
            if !first.is_empty() {
                out.push((first, second));
            }
        }
    }
    out
}

/// A cycle in `graph`, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_owned(), 1);
        stack.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next.as_str()) {
                Some(1) => {
                    let from = stack.iter().position(|n| n == next).expect("on the stack");
                    let mut cycle = stack[from..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(next, graph, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(node.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if !state.contains_key(node.as_str()) {
            if let Some(c) = visit(node, graph, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn folders_depend_one_way_and_files_have_no_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut tops: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut within: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for file in &files {
        let rel = file.strip_prefix(&src).expect("under src");
        if rel == Path::new("lib.rs") {
            continue;
        }
        let module = module_of(rel);
        let source = std::fs::read_to_string(file).expect("read");
        let top = module[0].clone();
        tops.entry(top.clone()).or_default();
        for (first, second) in paths_after(&source, "crate::") {
            if first != top {
                tops.entry(top.clone()).or_default().insert(first);
            } else if module.len() == 2 {
                if let Some(sibling) = second.filter(|s| *s != module[1]) {
                    within
                        .entry(top.clone())
                        .or_default()
                        .entry(module[1].clone())
                        .or_default()
                        .insert(sibling);
                }
            }
        }
        if module.len() == 2 {
            let edges = within
                .entry(top.clone())
                .or_default()
                .entry(module[1].clone())
                .or_default();
            for (first, _) in paths_after(&source, "super::") {
                edges.insert(first);
            }
        }
    }
    // Only edges between the folder's own files count inside it (not to items of its mod.rs).
    for files in within.values_mut() {
        let names: BTreeSet<String> = files.keys().cloned().collect();
        for edges in files.values_mut() {
            edges.retain(|e| names.contains(e));
        }
    }
    let modules: BTreeSet<String> = tops.keys().cloned().collect();
    for edges in tops.values_mut() {
        edges.retain(|e| modules.contains(e));
    }

    assert_eq!(
        find_cycle(&tops),
        None,
        "an import cycle between the engine's modules"
    );
    for (folder, files) in &within {
        assert_eq!(find_cycle(files), None, "an import cycle inside {folder}/");
    }
    let layer = |m: &str| LAYERS.iter().position(|l| l.contains(&m));
    for (from, edges) in &tops {
        let Some(low) = layer(from) else { continue };
        for to in edges {
            if let Some(l) = layer(to) {
                assert!(l < low, "{from} (layer {low}) imports {to} (layer {l})");
            }
        }
    }
    for module in LAYERS.iter().flat_map(|l| l.iter()) {
        assert!(
            tops.contains_key(*module),
            "{module} is in LAYERS but not in src/"
        );
    }
}
