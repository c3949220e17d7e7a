//! Story analysis speed on synthetic stories of 10, 50 and 200 articles of about 800 words.
//!
//! Articles mix their own random sentences with passages drawn from a shared pool (lightly edited:
//! a word changed or dropped here and there, the first five pool passages quoted), the shape of wire copy reused
//! by many outlets. The bench checks what it times: for ≥ 95 % of the (pair of articles, pool
//! passage both carry) cases, one reported shared passage of ≥ 20 words must hold both articles,
//! each at the place where it carries that pool passage; and shared quotes must be grouped.
//!
//! Run: `cargo bench -p samestory-engine --bench align`

use samestory_engine::analysis::align::story_links;
use samestory_engine::analysis::words::Words;
use samestory_engine::analysis::{align_story, analyze_story, DocText};
use samestory_engine::Span;
use std::time::Instant;

#[allow(dead_code)]
#[path = "../tests/support/mod.rs"]
mod support;
use support::Rng;

const VOCAB: usize = 5000;

fn word(rng: &mut Rng) -> String {
    // Zipf-like: low indexes are much more frequent.
    let k = (VOCAB as f64 * rng.unit().powi(3)) as usize;
    let syl = [
        "ka", "lo", "mi", "ten", "ra", "vos", "del", "un", "ber", "sa", "qui", "po",
    ];
    let mut w = String::new();
    let mut x = k + 1;
    while x > 0 {
        w.push_str(syl[x % syl.len()]);
        x /= syl.len();
    }
    w
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s: Vec<String> = (0..words).map(|_| word(rng)).collect();
    let mut first = s[0].clone();
    first[..1].make_ascii_uppercase();
    s[0] = first;
    format!("{}.", s.join(" "))
}

/// A passage lightly edited: about 3% of the words changed or dropped.
fn edited(rng: &mut Rng, passage: &str) -> String {
    let mut out = Vec::new();
    for w in passage.split(' ') {
        match rng.below(100) {
            0 => {}
            1 | 2 => out.push(word(rng)),
            _ => out.push(w.to_owned()),
        }
    }
    out.join(" ")
}

struct Story {
    texts: Vec<String>,
    /// Per article, the pool passages it carries and their byte spans in it.
    carries: Vec<Vec<(usize, Span)>>,
    words: usize,
}

fn story(n: usize, seed: u64) -> Story {
    let mut rng = Rng(seed);
    let pool: Vec<String> = (0..15)
        .map(|_| {
            let len = 30 + rng.below(30);
            sentence(&mut rng, len)
        })
        .collect();
    let mut texts = Vec::new();
    let mut carries = Vec::new();
    for a in 0..n {
        let mut parts: Vec<String> = Vec::new();
        let mut mine: Vec<usize> = Vec::new();
        let mut spans: Vec<(usize, Span)> = Vec::new();
        let mut at = 0;
        while mine.len() < 5 {
            let p = rng.below(pool.len());
            if !mine.contains(&p) {
                mine.push(p);
            }
        }
        let mut words = 0;
        let mut next_shared = 0;
        while words < 800 {
            if next_shared < mine.len() && rng.below(3) == 0 {
                let p = mine[next_shared];
                next_shared += 1;
                let text = edited(&mut rng, &pool[p]);
                let text = if p < 5 {
                    format!(
                        "\u{201C}{}\u{201D} the minister said.",
                        text.trim_end_matches('.')
                    )
                } else {
                    text
                };
                words += text.split(' ').count();
                spans.push((p, Span::new(at, at + text.len())));
                at += text.len() + 1;
                parts.push(text);
            } else {
                let len = 12 + rng.below(14);
                words += len;
                let text = sentence(&mut rng, len);
                at += text.len() + 1;
                parts.push(text);
            }
            if rng.below(4) == 0 {
                at += 2;
                parts.push("\n".into());
            }
        }
        let _ = a;
        let text = parts.join(" ");
        assert_eq!(text.len() + 1, at);
        texts.push(text);
        carries.push(spans);
    }
    let words = texts.iter().map(|t| t.split_whitespace().count()).sum();
    Story {
        texts,
        carries,
        words,
    }
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::MAX;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
        out = Some(r);
    }
    (best, out.expect("one run"))
}

fn main() {
    println!("articles  words    align ms  analyze ms  analyze ms/1000 words  passages  occurrences  runs aligned  shared quote groups");
    for &n in &[10usize, 50, 200, 400] {
        let s = story(n, 0x9E37_79B9 + n as u64);
        let refs: Vec<&str> = s.texts.iter().map(String::as_str).collect();
        let docs: Vec<DocText> = refs
            .iter()
            .enumerate()
            .map(|(k, t)| DocText {
                doc: k,
                outlet: format!("outlet{}", k % 7),
                text: t,
            })
            .collect();
        let runs = if n >= 200 { 2 } else { 5 };
        let (align_ms, passages) = time(runs, || align_story(&refs));
        let (ms, analysis) = time(runs, || analyze_story(&docs));
        let words: Vec<Words> = refs.iter().map(|t| Words::new(t)).collect();
        let links = story_links(&words).len();

        // Check the answer: a pair carrying the same pool passage is in one reported passage,
        // each article at the place it carries the pool passage.
        let mut expected = 0;
        let mut found = 0;
        for p in 0..15 {
            // Per carrier of `p`: the groups (of ≥ 20 words) it has where it carries `p`.
            let groups: Vec<Vec<usize>> = (0..n)
                .filter_map(|a| s.carries[a].iter().find(|c| c.0 == p).map(|c| (a, c.1)))
                .map(|(a, at)| {
                    passages
                        .iter()
                        .enumerate()
                        .filter(|(_, g)| {
                            g.words >= 20
                                && g.occurrences.iter().any(|&(d, sp)| {
                                    d == a && sp.start < at.end && at.start < sp.end
                                })
                        })
                        .map(|(k, _)| k)
                        .collect()
                })
                .collect();
            for (i, gi) in groups.iter().enumerate() {
                for gj in &groups[i + 1..] {
                    expected += 1;
                    found += gi.iter().any(|g| gj.contains(g)) as usize;
                }
            }
        }
        assert!(expected > 0);
        assert!(
            found as f64 >= 0.95 * expected as f64,
            "{n} articles: found {found} of {expected} shared (pair, passage)"
        );
        assert_eq!(analysis.passages.len(), passages.len());
        assert!(!analysis.quotes.is_empty(), "shared quotes are grouped");
        assert!(analysis.quotes.iter().all(|g| g.docs.len() >= 2));
        println!(
            "{n:>8}  {:>6}  {align_ms:>9.1}  {ms:>10.1}  {:>21.3}  {:>8}  {:>11}  {links:>12}  {:>19}   (pairs x shared passages found {found}/{expected})",
            s.words,
            ms / (s.words as f64 / 1000.0),
            passages.len(),
            passages.iter().map(|p| p.occurrences.len()).sum::<usize>(),
            analysis.quotes.len()
        );
    }
}
