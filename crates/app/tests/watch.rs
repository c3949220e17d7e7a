//! `samestory watch` and `serve --watch` end to end, against a small web site served by the test
//! itself on loopback (127.0.0.1 and `localhost`, two hosts to the watcher): feeds with an ETag
//! answered 304, a feed answering 500, a page behind a redirect, a page answering 500 once, a slow
//! host, a page robots.txt disallows, one article reached by two feeds. The watcher is stopped
//! (killed) mid-run and started again: nothing is fetched twice, nothing is missed; and stopped by
//! Ctrl-C or SIGTERM, it finishes its current item and exits 0. Every feed and page here is
//! written by this file; nothing reaches beyond loopback.

use samestory_engine::Article;
use samestory_store::Store;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One answer of the site.
#[derive(Clone)]
struct Route {
    status: u16,
    content_type: &'static str,
    body: String,
    etag: Option<String>,
    location: Option<String>,
    delay: Duration,
    /// Answers 500 this many times first.
    fail_first: u32,
}

impl Route {
    fn ok(content_type: &'static str, body: String) -> Route {
        Route {
            status: 200,
            content_type,
            body,
            etag: None,
            location: None,
            delay: Duration::ZERO,
            fail_first: 0,
        }
    }
}

/// A request the site got: `host path`, and whether its answer was a 304.
#[derive(Clone, Debug)]
struct Hit {
    key: String,
    status: u16,
}

#[derive(Default)]
struct Site {
    /// Keyed `host path` (the host without its port).
    routes: HashMap<String, Route>,
    hits: Vec<Hit>,
    /// Requests whose answer was being prepared (before any slow wait).
    started: Vec<String>,
}

impl Site {
    fn count(&self, key: &str) -> usize {
        self.started.iter().filter(|k| *k == key).count()
    }

    fn answered(&self, key: &str, status: u16) -> usize {
        self.hits
            .iter()
            .filter(|h| h.key == key && h.status == status)
            .count()
    }
}

type Shared = Arc<Mutex<Site>>;

/// Serves `site` on a loopback port, one thread a connection, one request a connection.
fn serve(site: Shared) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let site = site.clone();
            std::thread::spawn(move || answer(stream, &site));
        }
    });
    port
}

fn answer(mut stream: TcpStream, site: &Shared) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let mut host = String::new();
    let mut if_none_match = None;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').unwrap_or((&header, ""));
        match name.trim().to_ascii_lowercase().as_str() {
            "host" => host = value.trim().rsplit_once(':').unwrap().0.to_owned(),
            "if-none-match" => if_none_match = Some(value.trim().to_owned()),
            "user-agent" => assert!(value.contains("samestory/"), "User-Agent {value}"),
            _ => {}
        }
    }
    let key = format!("{host} {path}");
    let route = {
        let mut site = site.lock().unwrap();
        site.started.push(key.clone());
        site.routes.get_mut(&key).map(|r| {
            let route = r.clone();
            r.fail_first = r.fail_first.saturating_sub(1);
            route
        })
    };
    let mut route = route.unwrap_or_else(|| Route {
        status: 404,
        ..Route::ok("text/plain", "not found".into())
    });
    std::thread::sleep(route.delay);
    if route.fail_first > 0 {
        route.status = 500;
    }
    let mut head = String::new();
    if route.status == 200 && route.etag.is_some() && if_none_match == route.etag {
        route.status = 304;
        route.body.clear();
    }
    head.push_str(&format!("HTTP/1.1 {} X\r\n", route.status));
    if let Some(etag) = &route.etag {
        head.push_str(&format!("ETag: {etag}\r\n"));
    }
    if let Some(location) = &route.location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    head.push_str(&format!(
        "Content-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        route.content_type,
        route.body.len()
    ));
    let sent = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(route.body.as_bytes()))
        .and_then(|()| stream.flush());
    if sent.is_ok() {
        site.lock().unwrap().hits.push(Hit {
            key,
            status: route.status,
        });
    }
}

/// An article page: a title, a canonical link, and paragraphs of its own words.
fn page(title: &str, canonical: &str, words: &str) -> String {
    let paragraphs: String = (1..=5)
        .map(|i| {
            format!(
                "<p>{words} {title} paragraph {i}: the council met again on the matter of the \
                 {words} and heard from residents, officials and engineers about the next steps, \
                 the money it would take and the time it would need before anything changed.</p>"
            )
        })
        .collect();
    format!(
        "<!doctype html><html lang=\"en\"><head><title>{title}</title>\
         <link rel=\"canonical\" href=\"{canonical}\">\
         <meta property=\"article:published_time\" content=\"2026-12-01T10:00:00Z\"></head>\
         <body><nav><a href=\"/\">Home</a></nav><article><h1>{title}</h1>{paragraphs}</article>\
         <footer>Copyright</footer></body></html>"
    )
}

/// An RSS 2.0 feed of `(title, link, description)` items, newest first.
fn rss(title: &str, items: &[(&str, String, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(t, link, d)| {
            format!(
                "<item><title>{t}</title><link>{}</link><description>{d}</description>\
                 <pubDate>Tue, 01 Dec 2026 09:00:00 GMT</pubDate></item>",
                link.replace('&', "&amp;")
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>\
         <link>http://127.0.0.1/</link><description>d</description>{items}</channel></rss>"
    )
}

/// `samestory watch LIST --db DB` with [`WATCH_FLAGS`].
fn watch_command(db: &Path, list: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_samestory"));
    command
        .args(["watch", list.to_str().unwrap()])
        .args(["--db", db.to_str().unwrap()])
        .args(WATCH_FLAGS);
    command
}

fn run_watch(db: &Path, list: &Path, extra: &[&str]) -> std::process::Output {
    watch_command(db, list).args(extra).output().unwrap()
}

/// Short waits, so that the test takes seconds.
const WATCH_FLAGS: &[&str] = &[
    "--host-delay-ms",
    "20",
    "--fetch-timeout-secs",
    "10",
    "--min-interval-secs",
    "1",
    "--interval-secs",
    "1",
    "--item-attempts",
    "3",
];

fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "waited {limit:?} for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn id_of(url: &str) -> String {
    Article::derive_id(Some(url), None, "")
}

#[test]
fn watch_stores_each_item_once_across_a_restart() {
    let site: Shared = Arc::default();
    let port = serve(site.clone());
    let a = format!("http://127.0.0.1:{port}");
    let b = format!("http://localhost:{port}");
    let feed_a_items = vec![
        ("Flaky page", format!("{a}/news/flaky.html"), "flaky"),
        (
            "Secret",
            format!("{a}/private/secret.html"),
            "The private page's summary, as the feed gives it.",
        ),
        ("Moved", format!("{a}/news/moved"), "moved"),
        (
            "Bridge",
            format!("{a}/news/one.html?utm_source=rss&utm_medium=feed"),
            "one",
        ),
    ];
    {
        let mut s = site.lock().unwrap();
        let mut add = |host: &str, path: &str, route: Route| {
            s.routes.insert(format!("{host} {path}"), route);
        };
        add(
            "127.0.0.1",
            "/robots.txt",
            Route::ok("text/plain", "User-agent: *\nDisallow: /private/\n".into()),
        );
        add(
            "127.0.0.1",
            "/feed-a.xml",
            Route {
                etag: Some("\"a1\"".into()),
                ..Route::ok("application/rss+xml", rss("Wire A", &feed_a_items))
            },
        );
        let atom = format!(
            "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Wire B</title>\
             <id>urn:b</id><updated>2026-12-01T09:00:00Z</updated>\
             <entry><title>Slow</title><id>urn:b:3</id><link href=\"{b}/slow/three.html\"/>\
             <updated>2026-12-01T09:00:00Z</updated><summary>three</summary></entry>\
             <entry><title>Bridge again</title><id>urn:b:1</id><link href=\"{a}/news/one.html\"/>\
             <updated>2026-12-01T09:00:00Z</updated><summary>one</summary></entry></feed>"
        );
        add(
            "localhost",
            "/feed-b.xml",
            Route {
                etag: Some("\"b1\"".into()),
                ..Route::ok("application/atom+xml", atom)
            },
        );
        add(
            "127.0.0.1",
            "/feed-c.xml",
            Route {
                status: 500,
                ..Route::ok("text/plain", "down".into())
            },
        );
        let canonical_one = format!("{a}/news/one.html");
        add(
            "127.0.0.1",
            "/news/one.html",
            Route::ok(
                "text/html",
                page("Bridge opens", &canonical_one, "bridge river"),
            ),
        );
        add(
            "127.0.0.1",
            "/news/moved",
            Route {
                status: 301,
                location: Some("/news/two.html".into()),
                ..Route::ok("text/plain", String::new())
            },
        );
        add(
            "127.0.0.1",
            "/news/two.html",
            Route::ok(
                "text/html; charset=utf-8",
                page(
                    "Harbour dredged",
                    &format!("{a}/news/two.html"),
                    "harbour silt",
                ),
            ),
        );
        add(
            "127.0.0.1",
            "/news/flaky.html",
            Route {
                fail_first: 1,
                ..Route::ok(
                    "text/html",
                    page(
                        "School reopens",
                        &format!("{a}/news/flaky.html"),
                        "school roof",
                    ),
                )
            },
        );
        add(
            "127.0.0.1",
            "/private/secret.html",
            Route::ok("text/html", page("Secret", "", "secret")),
        );
        add(
            "localhost",
            "/slow/three.html",
            Route {
                delay: Duration::from_millis(1500),
                ..Route::ok(
                    "text/html",
                    page("Tram line", &format!("{b}/slow/three.html"), "tram tracks"),
                )
            },
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("news.db");
    let list = dir.path().join("feeds.txt");
    std::fs::write(
        &list,
        format!("# test feeds\n{a}/feed-a.xml\n{b}/feed-b.xml\n{a}/feed-c.xml\nnot a url\n"),
    )
    .unwrap();

    // 1. One poll of every feed.
    let out = run_watch(&db, &list, &["--once", "--json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(3),
        "partial: feed C fails\n{stderr}"
    );
    assert!(
        stderr.contains("feeds.txt:5: "),
        "the bad line named\n{stderr}"
    );
    assert!(stderr.contains("feed-c.xml: HTTP status 500"), "{stderr}");
    assert!(stderr.contains("robots.txt"), "{stderr}");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let summary = &summary["summary"];
    assert_eq!(summary["stored"], 4, "{summary}\n{stderr}");
    assert_eq!(summary["retry"], 1, "the flaky page\n{summary}");
    assert_eq!(
        summary["from_feed_text"], 1,
        "the disallowed page\n{summary}"
    );
    assert_eq!(summary["feed_errors"], 1, "{summary}");
    let expected_first = [
        format!("{a}/news/one.html"),
        format!("{a}/news/two.html"),
        format!("{a}/private/secret.html"),
        format!("{b}/slow/three.html"),
    ];
    {
        let store = Store::open_read_only(&db).unwrap();
        assert_eq!(store.article_count().unwrap(), 4);
        for url in &expected_first {
            assert!(store.contains(&id_of(url)).unwrap(), "{url} stored");
        }
        let one = store.article(&id_of(&expected_first[0])).unwrap();
        assert_eq!(one.row.title.as_deref(), Some("Bridge opens"));
        // The feed that reached it first (feeds A and B are polled at once) names the outlet.
        assert!(
            matches!(one.row.source.as_deref(), Some("Wire A" | "Wire B")),
            "{:?}",
            one.row.source
        );
        assert!(one.clean_text.contains("bridge river"), "the page's text");
        let secret = store.article(&id_of(&expected_first[2])).unwrap();
        assert_eq!(
            secret.clean_text, "The private page's summary, as the feed gives it.",
            "the feed's text of a page robots.txt disallows"
        );
        assert!(!store
            .contains(&id_of(&format!("{a}/news/flaky.html")))
            .unwrap());
        let c = store
            .feed_state(&format!("{a}/feed-c.xml"))
            .unwrap()
            .unwrap();
        assert_eq!((c.errors, c.failures), (1, 1));
        let feed_a = store
            .feed_state(&format!("{a}/feed-a.xml"))
            .unwrap()
            .unwrap();
        assert_eq!(
            feed_a.etag, None,
            "feed A's ETag is kept only once its flaky item is stored"
        );
        let feed_b = store
            .feed_state(&format!("{b}/feed-b.xml"))
            .unwrap()
            .unwrap();
        assert_eq!(feed_b.etag.as_deref(), Some("\"b1\""));
        assert_eq!(feed_b.title.as_deref(), Some("Wire B"));
    }
    {
        let s = site.lock().unwrap();
        assert_eq!(
            s.count("127.0.0.1 /news/one.html"),
            1,
            "one page for two feeds"
        );
        assert_eq!(s.count("127.0.0.1 /private/secret.html"), 0, "robots.txt");
        assert_eq!(s.count("127.0.0.1 /robots.txt"), 1);
        assert_eq!(s.count("localhost /robots.txt"), 1, "404: all allowed");
        assert_eq!(s.answered("127.0.0.1 /news/flaky.html", 500), 1);
    }

    // 2. Watching on; a new item arrives, its page slow; the watcher is killed while fetching it.
    {
        let mut s = site.lock().unwrap();
        let mut items = feed_a_items.clone();
        items.insert(0, ("Dam", format!("{a}/news/five.html"), "five"));
        let route = s.routes.get_mut("127.0.0.1 /feed-a.xml").unwrap();
        route.body = rss("Wire A", &items);
        route.etag = Some("\"a2\"".into());
        s.routes.insert(
            "127.0.0.1 /news/five.html".into(),
            Route {
                delay: Duration::from_millis(3000),
                ..Route::ok(
                    "text/html",
                    page(
                        "Dam repaired",
                        &format!("{a}/news/five.html"),
                        "dam spillway",
                    ),
                )
            },
        );
    }
    // Its messages are kept, to be shown if the slow page is not asked for.
    let messages = dir.path().join("watch-2.err");
    let mut child = watch_command(&db, &list)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&messages).unwrap())
        .spawn()
        .unwrap();
    let said = || std::fs::read_to_string(&messages).unwrap_or_default();
    let start = Instant::now();
    while site.lock().unwrap().count("127.0.0.1 /news/five.html") != 1 {
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "the watcher ended ({status}) before the slow page was asked for:\n{}",
                said()
            );
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "waited 60 s for the slow page to be asked for; the watcher said:\n{}",
            said()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // Feed B answers 304 once its ETag is sent back.
    wait_for("feed B's 304", Duration::from_secs(30), || {
        site.lock().unwrap().answered("localhost /feed-b.xml", 304) >= 1
    });
    child.kill().unwrap();
    child.wait().unwrap();
    {
        let store = Store::open_read_only(&db).unwrap();
        assert!(
            store
                .contains(&id_of(&format!("{a}/news/flaky.html")))
                .unwrap(),
            "the flaky page, tried again at the next poll"
        );
        assert!(!store
            .contains(&id_of(&format!("{a}/news/five.html")))
            .unwrap());
    }

    // 3. While it is down, another item; started again, it stores both and fetches nothing twice.
    {
        let mut s = site.lock().unwrap();
        let mut items = feed_a_items.clone();
        items.insert(0, ("Dam", format!("{a}/news/five.html"), "five"));
        items.insert(0, ("Ferry", format!("{a}/news/six.html"), "six"));
        let route = s.routes.get_mut("127.0.0.1 /feed-a.xml").unwrap();
        route.body = rss("Wire A", &items);
        route.etag = Some("\"a3\"".into());
        s.routes.get_mut("127.0.0.1 /news/five.html").unwrap().delay = Duration::ZERO;
        s.routes.insert(
            "127.0.0.1 /news/six.html".into(),
            Route::ok(
                "text/html",
                page(
                    "Ferry resumes",
                    &format!("{a}/news/six.html"),
                    "ferry crossing",
                ),
            ),
        );
    }
    let out = run_watch(&db, &list, &["--once", "--json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["summary"]["stored"], 2, "five and six\n{stderr}");
    let store = Store::open_read_only(&db).unwrap();
    let mut all: Vec<String> = expected_first.to_vec();
    all.extend(["flaky", "five", "six"].map(|p| format!("{a}/news/{p}.html")));
    for url in &all {
        assert!(store.contains(&id_of(url)).unwrap(), "{url} stored");
    }
    assert_eq!(
        store.article_count().unwrap(),
        all.len() as u64,
        "nothing else"
    );
    assert!(store.check().unwrap().is_sound());
    let s = site.lock().unwrap();
    for page in [
        "127.0.0.1 /news/one.html",
        "127.0.0.1 /news/moved",
        "127.0.0.1 /news/two.html",
        "localhost /slow/three.html",
        "127.0.0.1 /news/six.html",
    ] {
        assert_eq!(s.count(page), 1, "{page} fetched once");
    }
    assert_eq!(
        s.count("127.0.0.1 /news/flaky.html"),
        2,
        "a 500, then the page"
    );
    assert_eq!(
        s.count("127.0.0.1 /news/five.html"),
        2,
        "the request cut by the kill, then the page"
    );
    assert_eq!(s.count("127.0.0.1 /private/secret.html"), 0);
    let feed_a = store
        .feed_state(&format!("{a}/feed-a.xml"))
        .unwrap()
        .unwrap();
    assert_eq!(feed_a.etag.as_deref(), Some("\"a3\""));
    let c = store
        .feed_state(&format!("{a}/feed-c.xml"))
        .unwrap()
        .unwrap();
    assert!(c.failures >= 2 && c.errors == c.failures as u64, "{c:?}");

    // `samestory feeds` lists the three.
    let out = Command::new(env!("CARGO_BIN_EXE_samestory"))
        .args(["feeds", "--json", "--db", db.to_str().unwrap()])
        .output()
        .unwrap();
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 3);
    let row_a = rows
        .iter()
        .find(|r| r["url"] == format!("{a}/feed-a.xml"))
        .unwrap();
    assert_eq!(row_a["items"], 6, "{row_a}");
    assert_eq!(row_a["title"], "Wire A");
    let row_c = rows
        .iter()
        .find(|r| r["url"] == format!("{a}/feed-c.xml"))
        .unwrap();
    assert!(
        row_c["last_error"].as_str().unwrap().contains("500"),
        "{row_c}"
    );
}

/// `serve --watch`: the feed's items reach the server's database, and `/metrics` counts the
/// feed's fetches and errors.
#[test]
fn serve_watches_feeds_and_reports_them_in_metrics() {
    let site: Shared = Arc::default();
    let port = serve(site.clone());
    let a = format!("http://127.0.0.1:{port}");
    {
        let mut s = site.lock().unwrap();
        s.routes.insert(
            "127.0.0.1 /feed.xml".into(),
            Route::ok(
                "application/rss+xml",
                rss("Wire", &[("Bridge", format!("{a}/one.html"), "one")]),
            ),
        );
        s.routes.insert(
            "127.0.0.1 /one.html".into(),
            Route::ok(
                "text/html",
                page("Bridge opens", &format!("{a}/one.html"), "bridge"),
            ),
        );
        s.routes.insert(
            "127.0.0.1 /broken.xml".into(),
            Route::ok("application/rss+xml", "this is not XML".into()),
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("news.db");
    let list = dir.path().join("feeds.txt");
    std::fs::write(&list, format!("{a}/feed.xml\n{a}/broken.xml\n")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_samestory"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--db",
            db.to_str().unwrap(),
        ])
        .args(["--watch", list.to_str().unwrap()])
        .args(WATCH_FLAGS)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let server = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    let metrics = || -> String {
        ureq::get(&format!("{server}/metrics"))
            .call()
            .unwrap()
            .into_string()
            .unwrap()
    };
    let feed_line = |text: &str, name: &str, feed: &str| -> Option<f64> {
        let prefix = format!("{name}{{feed=\"{feed}\"}} ");
        text.lines()
            .find_map(|l| l.strip_prefix(&prefix))
            .map(|v| v.parse().unwrap())
    };
    let mut text = String::new();
    wait_for(
        "the feed's item in /metrics",
        Duration::from_secs(60),
        || {
            text = metrics();
            feed_line(&text, "samestory_feed_items", &format!("{a}/feed.xml")) == Some(1.0)
                && feed_line(
                    &text,
                    "samestory_feed_errors_total",
                    &format!("{a}/broken.xml"),
                )
                .is_some()
        },
    );
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        feed_line(
            &text,
            "samestory_feed_fetches_total",
            &format!("{a}/feed.xml")
        )
        .unwrap()
            >= 1.0
    );
    assert_eq!(
        feed_line(
            &text,
            "samestory_feed_errors_total",
            &format!("{a}/feed.xml")
        ),
        Some(0.0)
    );
    assert!(
        feed_line(
            &text,
            "samestory_feed_errors_total",
            &format!("{a}/broken.xml")
        )
        .unwrap()
            >= 1.0
    );
    assert!(feed_line(
        &text,
        "samestory_feed_lag_seconds",
        &format!("{a}/feed.xml")
    )
    .is_some());
    let store = Store::open_read_only(&db).unwrap();
    let one = store.article(&id_of(&format!("{a}/one.html"))).unwrap();
    assert_eq!(one.row.title.as_deref(), Some("Bridge opens"));
}

/// Ctrl-C and SIGTERM, sent to a real watcher while it waits for a slow page: it finishes that
/// page, stores it, prints its summary and exits 0; the item after it is left for the next run,
/// which fetches it and nothing twice.
#[cfg(unix)]
#[test]
fn a_signal_stops_the_watcher_after_its_current_item() {
    for (signal, name) in [(libc::SIGINT, "SIGINT"), (libc::SIGTERM, "SIGTERM")] {
        let site: Shared = Arc::default();
        let port = serve(site.clone());
        let a = format!("http://127.0.0.1:{port}");
        let paths = ["/news/first.html", "/news/slow.html", "/news/last.html"];
        {
            let mut s = site.lock().unwrap();
            let items: Vec<(&str, String, &str)> = paths
                .iter()
                .map(|p| (&p[6..p.len() - 5], format!("{a}{p}"), "summary"))
                .collect();
            s.routes.insert(
                "127.0.0.1 /feed.xml".into(),
                Route::ok("application/rss+xml", rss("Wire", &items)),
            );
            for (i, path) in paths.iter().enumerate() {
                let delay = match *path {
                    "/news/slow.html" => Duration::from_millis(1500),
                    _ => Duration::ZERO,
                };
                let words = ["harbour crane", "river ferry", "tram depot"][i];
                s.routes.insert(
                    format!("127.0.0.1 {path}"),
                    Route {
                        delay,
                        ..Route::ok("text/html", page(path, &format!("{a}{path}"), words))
                    },
                );
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("store.db");
        let list = dir.path().join("feeds.txt");
        std::fs::write(&list, format!("{a}/feed.xml\n")).unwrap();
        let child = watch_command(&db, &list)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        wait_for("the slow page", Duration::from_secs(60), || {
            site.lock().unwrap().count("127.0.0.1 /news/slow.html") == 1
        });
        // SAFETY: kill(2) on the child's own pid, which it keeps until it is waited for.
        assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, signal) }, 0);
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{name}: {stderr}");
        assert!(
            stderr.contains("stopping after the current item"),
            "{stderr}"
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("pages fetched"),
            "{name}: the summary: {stdout}"
        );
        let slow = id_of(&format!("{a}/news/slow.html"));
        {
            let store = Store::open_read_only(&db).unwrap();
            assert!(
                store.contains(&slow).unwrap(),
                "{name}: the page being fetched"
            );
            let stored = paths
                .iter()
                .filter(|p| store.contains(&id_of(&format!("{a}{p}"))).unwrap())
                .count();
            assert!(stored < paths.len(), "{name}: stopped before the end");
        }
        let again = run_watch(&db, &list, &["--once"]);
        assert!(again.status.success(), "{name}: {again:?}");
        let store = Store::open_read_only(&db).unwrap();
        let s = site.lock().unwrap();
        for path in paths {
            assert!(
                store.contains(&id_of(&format!("{a}{path}"))).unwrap(),
                "{name}: {path}"
            );
            assert_eq!(
                s.count(&format!("127.0.0.1 {path}")),
                1,
                "{name}: {path} once"
            );
        }
    }
}
