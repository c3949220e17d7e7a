//! Load benchmark for `samestory serve` (not a timed test): writers post articles while readers read
//! stories, for a bounded time, on loopback. Checks the answer it times: no failed request, and the
//! number of articles in the database equals the number posted (none lost, none doubled).
//!
//! ```sh
//! cargo build --release && cargo run --release --example serve_load -- --seconds 60
//! ```
//! Flags: `--seconds N` (default 60), `--writers N` (8), `--readers N` (32), `--write-rate N`
//! (articles per second over all writers; default: as fast as answered), `--bin PATH` (default:
//! the `samestory` built beside this example), `--hostile N` (0): clients that each send, in turn,
//! what the server's limits refuse ([`HOSTILE`]: a body over `--max-body-bytes`, one of too many
//! articles, a write that is not JSON, a foreign `Host`, a search of too many words, a story that
//! does not exist, a connection that sends nothing), each on a new connection, to a server started
//! with smaller limits ([`HOSTILE_LIMITS`]); any other answer than the limit's counts as failed.
//! `--days-per-second D`: the news clock runs, an article posted t seconds into the run is
//! published t·D days after the first, among the 20 stories of its day ([`STORIES_A_DAY`]), so
//! stories go cold and articles leave the copy window as in a live feed (default: 300 stories
//! over 12.5 days, dates at random, so nothing leaves memory). `--rss-every S`: the server's
//! memory every S seconds (default: every quarter of the run).
//!
//! Prints requests, requests per second and p50/p99 per endpoint with the statuses answered, and
//! the server's resident memory (`/proc`) over the run and at its peak (`VmHWM`).
//!
//! Without `--write-rate` a faster server also ingests more, so its stories grow larger and each
//! story read does more work: compare servers at the same `--write-rate`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

// The xorshift generator of the engine's tests, benches and examples: one written once.
#[allow(dead_code)]
#[path = "../../engine/tests/support/mod.rs"]
mod support;
use support::Rng;

const WORDS: &[&str] = &[
    "council",
    "minister",
    "river",
    "bridge",
    "election",
    "budget",
    "court",
    "strike",
    "hospital",
    "school",
    "police",
    "storm",
    "market",
    "bank",
    "energy",
    "price",
    "union",
    "airport",
    "rail",
    "harbour",
    "village",
    "mayor",
    "judge",
    "report",
    "summit",
    "treaty",
    "army",
    "farmers",
    "wheat",
    "coal",
    "oil",
    "tax",
    "museum",
    "festival",
    "team",
    "coach",
    "league",
    "final",
    "record",
    "scientists",
    "vaccine",
    "virus",
    "drought",
    "flood",
    "fire",
    "quake",
    "tower",
    "road",
    "ferry",
];

/// Stories a news day when the news clock runs (`--days-per-second`).
const STORIES_A_DAY: u64 = 20;

/// An article of one of 300 synthetic stories: the story's own sentences plus random filler. With
/// `news_day` (the news clock's days since the run started, `--days-per-second`), one of the
/// [`STORIES_A_DAY`] stories of that day instead, published at that time.
fn article(rng: &mut Rng, id: &str, news_day: Option<f64>) -> String {
    let story = match news_day {
        None => rng.below(300) as u64,
        Some(d) => d as u64 * STORIES_A_DAY + rng.below(STORIES_A_DAY as usize) as u64,
    };
    let mut s = Rng(story.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut text = String::new();
    for _ in 0..6 {
        let n = 12 + s.below(8);
        // Each story has its own names (so the 300 stories stay apart) among common words.
        let words: Vec<String> = (0..n)
            .map(|k| {
                if k % 3 == 0 {
                    format!("Name{story}x{}", s.below(12))
                } else {
                    WORDS[s.below(WORDS.len())].to_owned()
                }
            })
            .collect();
        text.push_str(&format!("{}. ", words.join(" ")));
    }
    for _ in 0..3 {
        let words: Vec<&str> = (0..15).map(|_| WORDS[rng.below(WORDS.len())]).collect();
        text.push_str(&format!("{}. ", words.join(" ")));
    }
    serde_json::json!({
        "id": id,
        "title": format!("Story {story} update"),
        "source": format!("outlet{}", rng.below(20)),
        "published": match news_day {
            None => 1_700_000_000 + story as i64 * 3600 + rng.below(3600) as i64,
            Some(d) => 1_700_000_000 + (d * 86_400.0) as i64,
        },
        "text": text,
    })
    .to_string()
}

/// The server's limits when hostile clients run: small enough that they are reached cheaply.
const HOSTILE_LIMITS: &[&str] = &[
    "--max-body-bytes",
    "262144",
    "--max-articles-per-request",
    "100",
    "--header-timeout-secs",
    "2",
];

/// What the hostile clients send, in turn: (endpoint label, the status its limit answers; 0 for a
/// connection the server closes without an answer).
const HOSTILE: &[(&str, u16)] = &[
    ("POST body over --max-body-bytes", 413),
    ("POST 101 items (--max-articles-per-request)", 413),
    ("POST text/plain", 415),
    ("GET foreign Host", 403),
    ("GET q of 40 words", 400),
    ("GET story that does not exist", 404),
    ("silent connection (header timeout)", 0),
];

/// One hostile request (`kind` indexes [`HOSTILE`]) on a new connection: the status answered, or
/// 0 when the server closed the connection without one; `None` when the connection failed.
fn hostile(addr: &str, kind: usize) -> Option<u16> {
    let post = |content_type: &str, body: &[u8]| {
        let mut r = format!(
            "POST /api/articles HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        r.extend_from_slice(body);
        r
    };
    let get = |host: &str, path: &str| {
        format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").into_bytes()
    };
    let request = match kind {
        0 => post(
            "application/json",
            format!("[{{\"text\":\"{}\"}}]", "word ".repeat(60_000)).as_bytes(),
        ),
        1 => post(
            "application/json",
            format!("[{}]", vec!["1"; 101].join(",")).as_bytes(),
        ),
        2 => post(
            "text/plain",
            b"{\"text\":\"A plain-text write from another site.\"}",
        ),
        3 => get("evil.example", "/api/stories"),
        4 => {
            let words: Vec<String> = (0..40).map(|i| format!("w{i}")).collect();
            get(addr, &format!("/api/stories?q={}", words.join("+")))
        }
        5 => get(addr, "/api/stories/no-such-story"),
        _ => Vec::new(),
    };
    let mut stream = TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .ok()?;
    // The server may answer 413 and close before the whole body is sent: a failed write is fine.
    let _ = stream.write_all(&request);
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                answer.extend_from_slice(&buf[..n]);
                if answer.len() > 12 {
                    break;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset && !answer.is_empty() => {
                break
            }
            Err(_) if kind == 6 => return Some(0),
            Err(_) => return None,
        }
    }
    if answer.is_empty() {
        return Some(0);
    }
    std::str::from_utf8(&answer)
        .ok()?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// A field of `/proc/PID/status` in kB (`VmRSS`, `VmHWM`).
fn proc_kb(pid: u32, field: &str) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))?
        .trim()
        .trim_end_matches(" kB")
        .parse()
        .ok()
}

/// Latencies by endpoint and status.
type ByEndpoint = BTreeMap<(String, u16), Vec<Duration>>;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seconds: u64 = arg(&args, "--seconds").map_or(60, |s| s.parse().expect("--seconds N"));
    let writers: usize = arg(&args, "--writers").map_or(8, |s| s.parse().expect("--writers N"));
    let readers: usize = arg(&args, "--readers").map_or(32, |s| s.parse().expect("--readers N"));
    let n_hostile: usize = arg(&args, "--hostile").map_or(0, |s| s.parse().expect("--hostile N"));
    let write_rate: Option<f64> =
        arg(&args, "--write-rate").map(|s| s.parse().expect("--write-rate N"));
    let days_per_second: Option<f64> =
        arg(&args, "--days-per-second").map(|s| s.parse().expect("--days-per-second D"));
    let rss_every: Option<u64> =
        arg(&args, "--rss-every").map(|s| s.parse().expect("--rss-every S"));
    let bin = arg(&args, "--bin").map_or_else(
        || {
            let exe = std::env::current_exe().expect("exe");
            exe.parent()
                .and_then(|p| p.parent())
                .expect("target dir")
                .join("samestory")
        },
        Into::into,
    );
    assert!(
        bin.exists(),
        "{}: build it first (cargo build --release)",
        bin.display()
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(&bin)
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(dir.path().join("load.db"))
        .args(if n_hostile > 0 { HOSTILE_LIMITS } else { &[] })
        .env_remove("SAMESTORY_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("server starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("address");
    let url = Arc::new(line.trim().trim_start_matches("listening on ").to_owned());
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let pid = child.id();
    let stored = Arc::new(AtomicU64::new(0));
    // The server's resident memory each quarter of the run (or every `--rss-every` seconds), with
    // the articles stored by then.
    let sampler = {
        let stored = stored.clone();
        std::thread::spawn(move || {
            let run = Duration::from_secs(seconds);
            let times: Vec<Duration> = match rss_every {
                Some(s) => (1..=seconds / s.max(1))
                    .map(|k| Duration::from_secs(k * s.max(1)))
                    .collect(),
                None => (1..=4u32).map(|q| run * q / 4).collect(),
            };
            let mut samples = Vec::new();
            for at in times {
                let now = Instant::now();
                if started + at > now {
                    std::thread::sleep(started + at - now);
                }
                samples.push((
                    at.as_secs(),
                    proc_kb(pid, "VmRSS").unwrap_or(0),
                    stored.load(Ordering::Relaxed),
                ));
            }
            samples
        })
    };
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .build();
    let failures = Arc::new(AtomicU64::new(0));
    // The writers' and readers' failed requests, by endpoint and status (0: no answer).
    let errors: Arc<std::sync::Mutex<BTreeMap<(String, u16), u64>>> = Arc::default();
    let failed = {
        let (failures, errors) = (failures.clone(), errors.clone());
        move |endpoint: &str, e: ureq::Error| {
            failures.fetch_add(1, Ordering::Relaxed);
            let status = match e {
                ureq::Error::Status(s, _) => s,
                ureq::Error::Transport(_) => 0,
            };
            *errors
                .lock()
                .expect("errors lock")
                .entry((endpoint.to_owned(), status))
                .or_default() += 1;
        }
    };
    let addr = url.trim_start_matches("http://").to_owned();
    let hostile_handles: Vec<_> = (0..n_hostile)
        .map(|h| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let mut by: ByEndpoint = BTreeMap::new();
                let mut wrong = 0u64;
                let mut n = h;
                while Instant::now() < deadline {
                    let kind = n % HOSTILE.len();
                    n += 1;
                    let t = Instant::now();
                    let status = hostile(&addr, kind);
                    let (label, expected) = HOSTILE[kind];
                    if status != Some(expected) {
                        wrong += 1;
                    }
                    by.entry((label.to_owned(), status.unwrap_or(u16::MAX)))
                        .or_default()
                        .push(t.elapsed());
                }
                (by, wrong)
            })
        })
        .collect();

    let mut handles = Vec::new();
    for w in 0..writers {
        let (url, agent, failures, stored, failed) = (
            url.clone(),
            agent.clone(),
            failures.clone(),
            stored.clone(),
            failed.clone(),
        );
        handles.push(std::thread::spawn(move || {
            let mut rng = Rng(0x1234_5678 + w as u64 * 7919);
            let mut lat = Vec::new();
            let mut n = 0u64;
            // Each writer's share of the rate, its posts spread evenly (and staggered).
            let every = write_rate.map(|r| Duration::from_secs_f64(writers as f64 / r));
            let mut next =
                Instant::now() + every.map_or(Duration::ZERO, |e| e * w as u32 / writers as u32);
            while Instant::now() < deadline {
                if let Some(e) = every {
                    let now = Instant::now();
                    if next > now {
                        std::thread::sleep(next - now);
                    }
                    next += e;
                }
                let news_day = days_per_second.map(|d| started.elapsed().as_secs_f64() * d);
                let body = article(&mut rng, &format!("w{w}-{n}"), news_day);
                n += 1;
                let t = Instant::now();
                match agent
                    .post(&format!("{url}/api/articles"))
                    .set("Content-Type", "application/json")
                    .send_string(&body)
                {
                    Ok(r) => {
                        let v: serde_json::Value =
                            serde_json::from_str(&r.into_string().unwrap_or_default())
                                .unwrap_or_default();
                        if v["stored"] == 1 {
                            stored.fetch_add(1, Ordering::Relaxed);
                        } else {
                            failures.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    Err(e) => failed("POST /api/articles", e),
                }
                lat.push(t.elapsed());
            }
            (lat, Vec::new())
        }));
    }
    for r in 0..readers {
        let (url, agent, failed) = (url.clone(), agent.clone(), failed.clone());
        handles.push(std::thread::spawn(move || {
            let mut rng = Rng(0xABCD_EF01 + r as u64 * 104_729);
            let (mut list, mut detail) = (Vec::new(), Vec::new());
            let mut ids: Vec<String> = Vec::new();
            while Instant::now() < deadline {
                let want_detail = !ids.is_empty() && rng.below(2) == 0;
                let path = if want_detail {
                    format!("/api/stories/{}", ids[rng.below(ids.len())])
                } else if rng.below(2) == 0 {
                    "/api/stories?limit=20".to_owned()
                } else {
                    "/api/stories?limit=20&sort=largest".to_owned()
                };
                let t = Instant::now();
                match agent.get(&format!("{url}{path}")).call() {
                    Ok(resp) => {
                        let body = resp.into_string().unwrap_or_default();
                        let took = t.elapsed();
                        if want_detail {
                            detail.push(took);
                        } else {
                            list.push(took);
                            let v: serde_json::Value =
                                serde_json::from_str(&body).unwrap_or_default();
                            if let Some(s) = v["stories"].as_array() {
                                ids = s
                                    .iter()
                                    .filter_map(|s| s["id"].as_str().map(str::to_owned))
                                    .collect();
                            }
                        }
                    }
                    Err(e) => failed(
                        if want_detail {
                            "GET /api/stories/{id}"
                        } else {
                            "GET /api/stories"
                        },
                        e,
                    ),
                }
            }
            (list, detail)
        }));
    }
    let mut writes = Vec::new();
    let (mut list, mut detail) = (Vec::new(), Vec::new());
    for (i, h) in handles.into_iter().enumerate() {
        let (a, b) = h.join().expect("client thread");
        if i < writers {
            writes.extend(a);
        } else {
            list.extend(a);
            detail.extend(b);
        }
    }
    let mut hostile_by: ByEndpoint = BTreeMap::new();
    let mut hostile_wrong = 0;
    for h in hostile_handles {
        let (by, wrong) = h.join().expect("hostile client");
        hostile_wrong += wrong;
        for (k, v) in by {
            hostile_by.entry(k).or_default().extend(v);
        }
    }
    let rss = sampler.join().expect("sampler");
    let peak_kb = proc_kb(pid, "VmHWM").unwrap_or(0);
    let health: serde_json::Value = serde_json::from_str(
        &agent
            .get(&format!("{url}/api/health"))
            .call()
            .expect("health")
            .into_string()
            .expect("body"),
    )
    .expect("JSON");
    let _ = child.kill();
    let _ = child.wait();

    let mut reads: Vec<Duration> = list.iter().chain(&detail).copied().collect();
    for v in [&mut writes, &mut list, &mut detail, &mut reads] {
        v.sort_unstable();
    }
    let in_db = health["articles"].as_u64().unwrap_or(0);
    let posted = stored.load(Ordering::Relaxed);
    let failed = failures.load(Ordering::Relaxed);
    println!(
        "{seconds} s, {writers} writers{}, {readers} readers{}",
        write_rate.map_or_else(String::new, |r| format!(" (at most {r}/s)")),
        days_per_second.map_or_else(String::new, |d| format!(
            ", news clock {d} days/s ({STORIES_A_DAY} stories a day)"
        ))
    );
    println!(
        "writes: {} ({:.0}/s), p50 {:.1} ms, p99 {:.1} ms",
        writes.len(),
        writes.len() as f64 / seconds as f64,
        percentile(&writes, 0.5),
        percentile(&writes, 0.99)
    );
    for (name, v) in [("reads", &reads), ("  list", &list), ("  story", &detail)] {
        println!(
            "{name}: {} ({:.0}/s), p50 {:.1} ms, p99 {:.1} ms",
            v.len(),
            v.len() as f64 / seconds as f64,
            percentile(v, 0.5),
            percentile(v, 0.99)
        );
    }
    for ((endpoint, status), n) in errors.lock().expect("errors lock").iter() {
        println!("  failed: {endpoint} answered {status} (0: no answer): {n}");
    }
    for ((label, status), v) in &mut hostile_by {
        v.sort_unstable();
        let status = match *status {
            0 => "closed".to_owned(),
            u16::MAX => "connection failed".to_owned(),
            s => s.to_string(),
        };
        println!(
            "hostile {label} -> {status}: {} ({:.1}/s), p50 {:.1} ms, p99 {:.1} ms",
            v.len(),
            v.len() as f64 / seconds as f64,
            percentile(v, 0.5),
            percentile(v, 0.99)
        );
    }
    if n_hostile > 0 {
        println!("hostile requests not answered as their limit says: {hostile_wrong}");
    }
    let mb = |kb: u64| kb as f64 / 1024.0;
    println!(
        "server memory (VmRSS; s into the run: MB, articles stored): {}; peak (VmHWM) {:.0} MB",
        rss.iter()
            .map(|&(t, kb, n)| format!("{t}: {:.0} ({n})", mb(kb)))
            .collect::<Vec<_>>()
            .join(", "),
        mb(peak_kb)
    );
    println!(
        "failed requests: {failed}; articles stored {posted}, in the database {in_db}, stories {}",
        health["stories"]
    );
    let ok = failed == 0 && posted == in_db && hostile_wrong == 0;
    println!("{}", if ok { "OK" } else { "FAILED" });
    if !ok {
        std::process::exit(1);
    }
}
