//! The feeds to watch: an OPML file (the `xmlUrl` of every `<outline>`, as feed readers export
//! their subscriptions) or a text file of feed urls, one a line (blank lines and lines starting
//! with `#` skipped). A line or outline that is not an http(s) url is reported with its file and
//! line, and the others are watched; a url listed twice is watched once.

use std::path::Path;

/// The feed urls of the list at `path`, and one message per entry refused.
pub fn read(path: &Path) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    let bytes = std::fs::read(path)
        .map_err(|e| anyhow::anyhow!("{}: cannot read the feed list: {e}", path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let name = path.display().to_string();
    let (listed, mut refused) = if is_opml(&text) {
        opml_urls(&name, &text)
    } else {
        text_urls(&name, &text)
    };
    let mut urls: Vec<String> = Vec::new();
    for url in listed {
        if !urls.contains(&url) {
            urls.push(url);
        }
    }
    if urls.is_empty() {
        refused.push(format!("{name}: no feed url in the list"));
    }
    Ok((urls, refused))
}

fn is_opml(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    head.contains("<opml")
}

/// An absolute http(s) url, or why not.
fn feed_url(raw: &str) -> Result<String, String> {
    match url::Url::parse(raw.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => Ok(u.into()),
        Ok(u) => Err(format!(
            "{:?} is not an http(s) url ({} scheme)",
            raw.trim(),
            u.scheme()
        )),
        Err(e) => Err(format!("{:?} is not a url: {e}", raw.trim())),
    }
}

fn text_urls(name: &str, text: &str) -> (Vec<String>, Vec<String>) {
    let mut urls = Vec::new();
    let mut refused = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match feed_url(line) {
            Ok(u) => urls.push(u),
            Err(e) => refused.push(format!("{name}:{}: {e}; skipped", i + 1)),
        }
    }
    (urls, refused)
}

fn opml_urls(name: &str, text: &str) -> (Vec<String>, Vec<String>) {
    let mut urls = Vec::new();
    let mut refused = Vec::new();
    // The line of each outline, for the messages: outlines in document order, as selected.
    let lines: Vec<usize> = text
        .match_indices("<outline")
        .map(|(at, _)| text[..at].matches('\n').count() + 1)
        .collect();
    // An HTML parser reads OPML well enough (attribute names come lower-cased).
    let doc = dom_query::Document::from(text);
    for (i, node) in doc.select("outline").nodes().iter().enumerate() {
        let Some(raw) = node.attr("xmlurl") else {
            continue; // a folder of outlines
        };
        match feed_url(&raw) {
            Ok(u) => urls.push(u),
            Err(e) => {
                let line = lines.get(i).map(|l| format!(":{l}")).unwrap_or_default();
                refused.push(format!("{name}{line}: outline xmlUrl {e}; skipped"));
            }
        }
    }
    (urls, refused)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_lists_skip_comments_and_report_bad_lines() {
        let (urls, refused) = text_urls(
            "feeds.txt",
            "# news\nhttp://127.0.0.1:8/a.xml\n\nftp://x/feed\nnot a url\n",
        );
        assert_eq!(urls, ["http://127.0.0.1:8/a.xml"]);
        assert_eq!(refused.len(), 2);
        assert!(refused[0].starts_with("feeds.txt:4: "), "{refused:?}");
        assert!(refused[1].starts_with("feeds.txt:5: "), "{refused:?}");
    }

    #[test]
    fn opml_outlines_in_folders() {
        let opml = r#"<?xml version="1.0"?>
<opml version="2.0"><head><title>subs</title></head><body>
  <outline text="World">
    <outline type="rss" text="A" xmlUrl="http://127.0.0.1:8/a.xml"/>
    <outline type="rss" text="B" xmlUrl="mailto:someone"/>
  </outline>
  <outline type="rss" text="C" xmlUrl="https://localhost/c.xml" htmlUrl="https://localhost/"/>
</body></opml>"#;
        assert!(is_opml(opml));
        let (urls, refused) = opml_urls("subs.opml", opml);
        assert_eq!(
            urls,
            ["http://127.0.0.1:8/a.xml", "https://localhost/c.xml"]
        );
        assert_eq!(refused.len(), 1);
        assert!(refused[0].starts_with("subs.opml:5: "), "{refused:?}");
    }
}
