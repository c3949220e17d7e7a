//! The pages in a real headless Chromium, driven over the WebDriver protocol (W3C) through
//! chromedriver by a tiny client below. Screenshots go to `target/screenshots/`.
//!
//! Chromium and chromedriver are Debian's (`apt-get install chromium chromium-driver`; `.ci/run`
//! installs them). Without them the tests print a notice and pass, except in CI (`CI` set), where
//! they fail.

use super::reading::ingested;
use super::{fixture, get, post, root, Server};
use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn which(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|n| {
        std::env::split_paths(&path)
            .map(|d| d.join(n))
            .find(|p| p.is_file())
    })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A chromedriver process with one Chromium session; both end when dropped.
struct Browser {
    driver: Child,
    base: String,
    session: String,
    _profile: tempfile::TempDir,
}

fn call(method: &str, url: &str, body: Option<Value>) -> Value {
    let req = ureq::request(method, url).timeout(Duration::from_secs(60));
    let r = match body {
        Some(b) => req
            .set("Content-Type", "application/json")
            .send_string(&b.to_string()),
        None => req.call(),
    };
    let resp = match r {
        Ok(r) => r,
        Err(ureq::Error::Status(code, r)) => {
            panic!(
                "{method} {url}: {code} {}",
                r.into_string().unwrap_or_default()
            )
        }
        Err(e) => panic!("{method} {url}: {e}"),
    };
    let v: Value = serde_json::from_str(&resp.into_string().expect("body")).expect("JSON");
    v["value"].clone()
}

impl Browser {
    /// Starts a browser, or says why it cannot (`None` outside CI when Chromium is absent).
    fn start() -> Option<Browser> {
        let (Some(driver), Some(chromium)) = (
            which(&["chromedriver"]),
            which(&["chromium", "chromium-browser"]),
        ) else {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must have chromium and chromium-driver (.ci/run installs them)"
            );
            eprintln!(
                "skipped: chromium or chromedriver is not installed \
                 (apt-get install chromium chromium-driver)"
            );
            return None;
        };
        let port = free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let start = Instant::now();
        while ureq::get(&format!("{base}/status")).call().is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "chromedriver did not come up"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().expect("profile dir");
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,1000",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        }}});
        let mut browser = Browser {
            driver: child,
            base,
            session: String::new(),
            _profile: profile,
        };
        let v = call("POST", &format!("{}/session", browser.base), Some(caps));
        browser.session = v["sessionId"].as_str().expect("session id").to_owned();
        Some(browser)
    }

    fn url(&self, rest: &str) -> String {
        format!("{}/session/{}{rest}", self.base, self.session)
    }

    fn goto(&self, url: &str) {
        call("POST", &self.url("/url"), Some(json!({"url": url})));
    }

    fn current_url(&self) -> String {
        call("GET", &self.url("/url"), None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The page's url once it is `want`, or whatever it is after ten seconds: a form's POST
    /// and its redirect finish after the click that sent them has returned.
    fn wait_for_url(&self, want: &str) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let url = self.current_url();
            if url == want || std::time::Instant::now() > deadline {
                return url;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    fn find_all(&self, css: &str) -> Vec<String> {
        call(
            "POST",
            &self.url("/elements"),
            Some(json!({"using": "css selector", "value": css})),
        )
        .as_array()
        .expect("elements")
        .iter()
        .map(|e| {
            e.as_object()
                .and_then(|o| o.values().next())
                .and_then(Value::as_str)
                .expect("element id")
                .to_owned()
        })
        .collect()
    }

    /// The first element `css` finds, waiting up to 10 s for it: a click that sends a form
    /// returns before the next page is there.
    fn wait_for(&self, css: &str) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            if let Some(el) = self.find_all(css).into_iter().next() {
                return el;
            }
            if std::time::Instant::now() > deadline {
                panic!("no element {css} on {} after 10 s", self.current_url());
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    fn find(&self, css: &str) -> String {
        self.find_all(css)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no element {css} on {}", self.current_url()))
    }

    fn text(&self, el: &str) -> String {
        call("GET", &self.url(&format!("/element/{el}/text")), None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    fn property(&self, el: &str, name: &str) -> String {
        let v = call(
            "GET",
            &self.url(&format!("/element/{el}/property/{name}")),
            None,
        );
        v.as_str().map_or_else(|| v.to_string(), str::to_owned)
    }

    fn click(&self, el: &str) {
        call(
            "POST",
            &self.url(&format!("/element/{el}/click")),
            Some(json!({})),
        );
    }

    fn type_into(&self, el: &str, text: &str) {
        call(
            "POST",
            &self.url(&format!("/element/{el}/value")),
            Some(json!({"text": text})),
        );
    }

    /// The element's place and size in CSS pixels: (x, y, width, height).
    fn rect(&self, el: &str) -> (f64, f64, f64, f64) {
        let v = call("GET", &self.url(&format!("/element/{el}/rect")), None);
        let f = |k: &str| v[k].as_f64().unwrap_or_else(|| panic!("rect {v}"));
        (f("x"), f("y"), f("width"), f("height"))
    }

    /// Resizes the browser window (the page's width follows).
    fn set_width(&self, width: u32) {
        call(
            "POST",
            &self.url("/window/rect"),
            Some(json!({"width": width, "height": 1000})),
        );
    }

    fn title(&self) -> String {
        call("GET", &self.url("/title"), None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    fn screenshot(&self, name: &str) {
        let b64 = call("GET", &self.url("/screenshot"), None);
        let png = base64_decode(b64.as_str().expect("base64"));
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        let dir = screenshots_dir();
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("screenshot written");
        eprintln!("screenshot: {}", path.display());
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = ureq::delete(&self.url("")).call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn screenshots_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root().join("target"), PathBuf::from)
        .join("screenshots")
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let bytes: Vec<u8> = s.bytes().filter(|&c| c != b'=' && c != b'\n').collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= u32::from(val(c)) << (18 - 6 * i);
        }
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

/// Front page, search, story page: the shared quotes are marked in both articles' texts.
fn check_story_pages(b: &Browser, server: &Server, search: &str, ids: [&str; 2], shot: &str) {
    b.goto(&format!("{}/", server.url));
    assert!(b.title().contains("samestory"));
    assert!(
        !b.find_all("ul.stories li").is_empty(),
        "stories on the front page"
    );
    b.screenshot(&format!("{shot}-front"));

    let q = b.find("#q");
    b.type_into(&q, search);
    b.click(&b.find("header form button"));
    let start = Instant::now();
    while !b.current_url().contains("q=") {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "search did not load"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let hits = b.find_all("ul.stories a.headline");
    assert_eq!(hits.len(), 1, "one story found for {search:?}");
    b.screenshot(&format!("{shot}-search"));
    b.click(&hits[0]);
    let start = Instant::now();
    while !b.current_url().contains("/stories/") {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "story did not load"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        !b.find_all(".quote blockquote").is_empty(),
        "shared quotes listed"
    );
    for id in ids {
        let marks = b.find_all(&format!("[data-article=\"{id}\"] mark.quote"));
        assert!(!marks.is_empty(), "a quote is marked in {id}");
        let marked = b.property(&marks[0], "textContent");
        assert!(marked.split_whitespace().count() >= 3, "{marked:?}");
    }
    b.screenshot(&format!("{shot}-story"));
    let _ = b.text(&b.find("#headline"));
}

#[test]
fn pages_in_chromium_with_the_fixture_articles() {
    let Some(b) = Browser::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("b.db"), &[]);
    let body = json!([
        fixture("wire_original", "Reuters", "2024-09-21T09:00:00Z"),
        fixture("wire_reprint", "Scotsman", "2024-09-21T11:30:00Z"),
        fixture("quake_chile", "AP", "2024-09-21T12:00:00Z"),
        {"id": "xss", "title": "<script>alert(1)</script>", "source": "Evil",
         "published": "2024-09-21T13:00:00Z",
         "text": "The council said the bridge over the river would reopen on Monday after repairs."},
    ]);
    assert_eq!(
        post(
            &format!("{}/api/articles", server.url),
            &body.to_string(),
            None
        )
        .status,
        200
    );
    check_story_pages(
        &b,
        &server,
        "Bailey inflation",
        ["wire_original", "wire_reprint"],
        "fixture",
    );

    // The XSS title is shown as text: no alert, the literal markup visible.
    b.goto(&format!("{}/articles/xss", server.url));
    assert_eq!(b.text(&b.find("h1")), "<script>alert(1)</script>");
    b.goto(&format!(
        "{}/compare?a=wire_original&b=wire_reprint",
        server.url
    ));
    assert!(
        !b.find_all("mark.passage").is_empty(),
        "aligned passages marked"
    );
    assert_eq!(b.text(&b.find("#copy")), "yes");
    b.screenshot("fixture-compare");
}

#[test]
fn pages_in_chromium_with_the_shared_same_event_example() {
    let Some(dir) = super::support::shared_or_skip("examples/same-event") else {
        return;
    };
    let Some(b) = Browser::start() else { return };
    let names = ["000_442a550e561fbf62", "001_ef0239c1efbde0f8"];
    let articles: Vec<Value> = names
        .iter()
        .map(|n| {
            let text = std::fs::read_to_string(Path::new(&dir).join(format!("{n}.txt"))).unwrap();
            json!({"id": n, "text": text, "source": n})
        })
        .collect();
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(&tmp.path().join("e.db"), &[]);
    let r = post(
        &format!("{}/api/articles", server.url),
        &Value::Array(articles).to_string(),
        None,
    );
    let v = r.json();
    assert_eq!(
        v["results"][0]["story"], v["results"][1]["story"],
        "one story: {v}"
    );
    check_story_pages(&b, &server, "Biden Putin", names, "same-event");
}

/// Issue 20: with `--private` a browser could not use the pages. It now signs in with the form the
/// 401 page shows, and the session cookie opens the pages that follow.
#[test]
fn a_private_server_signs_a_browser_in_with_its_form() {
    let Some(b) = Browser::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let token = "s3cret-s3cret-s3cret";
    let server = Server::start(&dir.path().join("p.db"), &["--token", token, "--private"]);
    let body = json!([fixture("quake_chile", "AP", "2024-09-21T12:00:00Z")]);
    assert_eq!(
        post(
            &format!("{}/api/articles", server.url),
            &body.to_string(),
            Some(token)
        )
        .status,
        200
    );
    b.goto(&format!("{}/articles/quake_chile", server.url));
    assert_eq!(b.text(&b.find("h1")), "Sign in");
    b.type_into(&b.find("input[name=token]"), "wrong-wrong-wrong-wrong");
    b.click(&b.find("form[action=\"/login\"] button"));
    assert_eq!(
        b.text(&b.wait_for("p.error")),
        "That is not the server's token."
    );
    b.type_into(&b.find("input[name=token]"), token);
    b.click(&b.find("form[action=\"/login\"] button"));
    let home = format!("{}/", server.url);
    assert_eq!(b.wait_for_url(&home), home);
    b.goto(&format!("{}/articles/quake_chile", server.url));
    assert_ne!(b.text(&b.find("h1")), "Sign in");
    b.screenshot("private-signed-in");
}

/// Issue 24 on real news: uci-headlines (6,366 titles, ingested as `bench/eval.sh` does) read in
/// Chromium at 1400 and 400 px: the front page over 7 days with a filter, a search with marked
/// snippets, the largest story's page under 4,000 px with its representative headline, a
/// storyline page, the copies page and an outlet's page. Screenshots in
/// `target/screenshots/uci-*.png`.
#[test]
fn uci_headlines_pages_in_chromium() {
    let csv = root().join("../shared/data/uci-headlines/uci-news-aggregator.first6366.csv");
    if !csv.exists() {
        eprintln!("skipped: ../shared/data/uci-headlines is absent");
        return;
    }
    let Some(b) = Browser::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = ingested(dir.path(), &csv, &["--text-field", "TITLE"]);
    let server = Server::start(&db, &[]);
    b.set_width(1400);

    // The front page over 7 days, filtered to one outlet.
    b.goto(&format!("{}/?window=7d&outlet=Reuters", server.url));
    let listed = b.find_all("ul.stories.top li");
    assert!(!listed.is_empty(), "Reuters stories in the window");
    assert!(b.text(&b.find("#window-title")).contains("7 days"));
    b.screenshot("uci-front-7d-reuters");

    // A search: every result with a snippet, the word marked.
    b.goto(&format!("{}/?q=snowden", server.url));
    let hits = b.find_all("p.snippet mark.hit");
    assert!(!hits.is_empty(), "marked snippets");
    assert_eq!(b.text(&hits[0]).to_lowercase(), "snowden");
    b.screenshot("uci-search");

    // The largest stories: readable pages under 4,000 px at 1400 px, headed by the wording most
    // outlets ran, not the first article's title.
    let largest = get(&format!("{}/api/stories?sort=largest&limit=3", server.url)).json();
    for (k, story) in largest["stories"].as_array().unwrap().iter().enumerate() {
        let id = story["id"].as_str().unwrap();
        assert!(story["size"].as_u64().unwrap() >= 150, "{story}");
        b.goto(&format!("{}/stories/{id}", server.url));
        let (_, top, _, height) = b.rect(&b.find("main"));
        assert!(
            top + height < 4_000.0,
            "story {id} ({} articles) is {} px tall",
            story["size"],
            top + height
        );
        assert!(
            !b.find_all("svg#timeline rect").is_empty(),
            "a timeline chart"
        );
        assert_eq!(
            b.find_all("table.articles tr.article").len(),
            30,
            "a page of originals"
        );
        b.screenshot(&format!("uci-story-{k}"));
    }
    let snowden = get(&format!(
        "{}/api/stories?q=snowden%20sxsw&sort=largest&limit=1",
        server.url
    ))
    .json();
    let id = snowden["stories"][0]["id"].as_str().unwrap().to_owned();
    b.goto(&format!("{}/stories/{id}", server.url));
    let headline = b.text(&b.find("#headline"));
    assert!(headline.contains("Snowden"), "{headline}");
    assert_ne!(headline, "Edward Snowden Is a Stain Upon the Constitution");
    let wordings = b.text(&b.find("#headlines"));
    assert!(
        wordings.starts_with(&headline) && wordings.contains(" other"),
        "wordings with their outlets, the headline's first: {wordings}"
    );
    b.screenshot("uci-story-snowden");

    // A storyline page.
    let lines = get(&format!("{}/api/storylines", server.url)).json();
    let line = lines["storylines"][0]["id"]
        .as_str()
        .expect("a storyline")
        .to_owned();
    b.goto(&format!("{}/storylines/{line}", server.url));
    assert!(b.find_all("ol.storyline li").len() >= 2);
    b.screenshot("uci-storyline");

    // The copies page, and from it the page of the most copied text's outlet.
    b.goto(&format!("{}/copies", server.url));
    assert!(
        !b.find_all("ol.families li.family").is_empty(),
        "copy families"
    );
    assert!(b.text(&b.find("#families")).contains("reprinted"));
    let outlet = b.find("ol.families li.family a.outlet");
    let name = b.text(&outlet);
    b.screenshot("uci-copies");
    b.click(&outlet);
    let heading = b.text(&b.wait_for("h1#outlet"));
    assert!(heading.eq_ignore_ascii_case(&name), "{heading} for {name}");
    assert!(b.text(&b.find("#outlet-figures")).contains("picked up"));
    assert!(
        !b.find_all("#outlet-stories li").is_empty(),
        "the outlet's stories"
    );
    b.screenshot("uci-outlet");

    // 400 px: nothing wider than the screen on the story page and the front page.
    b.set_width(400);
    for (page, shot) in [
        (format!("/stories/{id}"), "uci-story-400"),
        ("/?window=7d".to_owned(), "uci-front-400"),
        ("/copies".to_owned(), "uci-copies-400"),
    ] {
        b.goto(&format!("{}{page}", server.url));
        for part in ["main", "table.articles", "ul.stories", "ol.families"] {
            for el in b.find_all(part) {
                let (x, _, width, _) = b.rect(&el);
                assert!(
                    x + width <= 400.5,
                    "{page}: {part} ends at {} px at 400",
                    x + width
                );
            }
        }
        b.screenshot(shot);
    }
}
