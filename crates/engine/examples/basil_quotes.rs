//! Cross-outlet quote groups on BASIL (one event, three outlets), for a human to sample-check:
//! each group's canonical wording and speaker, then each wording with the outlets carrying it.
//!
//! Run: `cargo run --release -p samestory-engine --example basil_quotes [path]`
//! Default path: `/work/shared/data/basil/basil_dev.jsonl` (see its SOURCE.md). Stories are the
//! `triplet_id` groups; the outlet is `source` (fox, nyt, hpo).

use samestory_engine::analysis::{group_quotes, DocText};
use std::collections::BTreeMap;

#[allow(dead_code)]
#[path = "../tests/support/mod.rs"]
mod support;

fn main() {
    let path = support::shared_data_path("basil/basil_dev.jsonl", std::env::args().nth(1));
    let Some(raw) = support::read_or_skip(&path) else {
        return;
    };
    let mut stories: BTreeMap<String, Vec<(String, String, String)>> = BTreeMap::new();
    for line in raw.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("one JSON object a line");
        let s = |k: &str| v[k].as_str().unwrap_or("").to_owned();
        stories
            .entry(s("triplet_id"))
            .or_default()
            .push((s("source"), s("title"), s("text")));
    }
    let (mut groups_total, mut with_speaker, mut all_three, mut quotes_total) = (0, 0, 0, 0);
    let start = std::time::Instant::now();
    for (id, arts) in &stories {
        let docs: Vec<DocText> = arts
            .iter()
            .enumerate()
            .map(|(k, (src, _, text))| DocText {
                doc: k,
                outlet: src.clone(),
                text,
            })
            .collect();
        quotes_total += docs
            .iter()
            .map(|d| samestory_engine::analysis::extract_quotes(d.text).len())
            .sum::<usize>();
        let shared: Vec<_> = group_quotes(&docs)
            .into_iter()
            .filter(|g| g.is_shared())
            .collect();
        println!(
            "\n## {} ({}): {} cross-outlet quote groups",
            &id[..8],
            arts[0].1,
            shared.len()
        );
        for g in &shared {
            groups_total += 1;
            with_speaker += usize::from(g.speaker.is_some());
            all_three += usize::from(g.outlets.len() == 3);
            let canon: String = g.canonical.chars().take(110).collect();
            println!(
                "  - [{}] {:?} — {}  ({} variants)",
                g.outlets.join(","),
                canon,
                g.speaker.as_deref().unwrap_or("(no speaker)"),
                g.variants.len()
            );
            for v in &g.variants {
                let docs: Vec<&str> = v
                    .occurrences
                    .iter()
                    .map(|&(d, _)| arts[d].0.as_str())
                    .collect();
                let text: String = v.text.chars().take(110).collect();
                println!("      · [{}] {text:?}", docs.join(","));
            }
        }
    }
    println!(
        "\nTOTAL: {} stories, {} quotes extracted, {} cross-outlet quote groups ({} in all three outlets), {} with a speaker; {:.0} ms",
        stories.len(),
        quotes_total,
        groups_total,
        all_three,
        with_speaker,
        start.elapsed().as_secs_f64() * 1000.0
    );
}
