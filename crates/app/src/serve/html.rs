//! HTML building blocks: escaping (everything from the database goes through [`esc`]), texts with
//! highlighted spans, and the page frame with its embedded style sheet.

use samestory_engine::Span;
use std::fmt::Write;

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a path segment or query value for a URL inside an attribute.
pub fn url_part(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// `text`, escaped, with each of `spans` (byte spans into it; overlapping ones are merged) wrapped
/// in `<mark class="CLASS">`.
pub fn highlight(text: &str, spans: &[Span], class: &str) -> String {
    let mut spans: Vec<Span> = spans
        .iter()
        .map(|s| Span::new(floor_boundary(text, s.start), floor_boundary(text, s.end)))
        .filter(|s| !s.is_empty())
        .collect();
    spans.sort_unstable();
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match merged.last_mut() {
            Some(m) if s.start <= m.end => m.end = m.end.max(s.end),
            _ => merged.push(s),
        }
    }
    let mut out = String::with_capacity(text.len() + merged.len() * 32);
    let mut at = 0;
    for s in merged {
        out.push_str(&esc(&text[at..s.start]));
        let _ = write!(out, "<mark class=\"{class}\">{}</mark>", esc(s.slice(text)));
        at = s.end;
    }
    out.push_str(&esc(&text[at..]));
    out
}

/// Characters of text a search snippet shows around its first matched word.
pub const SNIPPET_CHARS: usize = 220;

/// A search result's snippet, as HTML: a window of `text` around the first of the search's
/// `words` it holds, every one of them in the window marked (`<mark class="hit">`), `…` where the
/// window cuts the text. Words are matched as the full-text index matches them: whole words,
/// case and accents as [`samestory_engine::text::for_each_word`] folds them. `None` when no word
/// occurs.
pub fn snippet(text: &str, words: &[&str]) -> Option<String> {
    let wanted: Vec<String> = words
        .iter()
        .flat_map(|w| {
            let mut folded = Vec::new();
            samestory_engine::text::for_each_word(w, |_, n| folded.push(n.to_owned()));
            folded
        })
        .collect();
    let mut hits: Vec<Span> = Vec::new();
    samestory_engine::text::for_each_word(text, |span, n| {
        if wanted.iter().any(|w| w == n) {
            hits.push(span);
        }
    });
    let first = *hits.first()?;
    // The window: from a word start about a third of it before the first hit.
    let lead = SNIPPET_CHARS / 3;
    let mut start = text[..first.start]
        .char_indices()
        .rev()
        .nth(lead)
        .map_or(0, |(i, _)| i);
    if start > 0 {
        start = text[start..]
            .find(char::is_whitespace)
            .map_or(first.start, |k| (start + k + 1).min(first.start));
    }
    let mut end = text[start..]
        .char_indices()
        .nth(SNIPPET_CHARS)
        .map_or(text.len(), |(i, _)| start + i);
    if end < text.len() {
        end = text[..end]
            .rfind(char::is_whitespace)
            .filter(|&k| k > first.end)
            .unwrap_or(end);
    }
    let window = &text[start..end];
    let spans: Vec<Span> = hits
        .iter()
        .filter(|s| s.start >= start && s.end <= end)
        .map(|s| Span::new(s.start - start, s.end - start))
        .collect();
    let window_html = highlight(window, &spans, "hit");
    Some(format!(
        "{}{}{}",
        if start > 0 { "…" } else { "" },
        window_html.trim(),
        if end < text.len() { "…" } else { "" }
    ))
}

pub const STYLE: &str = r#"
:root { --fg: #1d232b; --muted: #5b6672; --line: #d8dde3; --bg: #fbfbfa; --accent: #1b5e9e; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
       background: var(--bg); margin: 0; }
header.top { border-bottom: 1px solid var(--line); padding: .6rem 1.2rem; display: flex;
             gap: 1rem; align-items: center; flex-wrap: wrap; background: #fff; }
header.top a.home { font-weight: 700; color: var(--fg); text-decoration: none; }
header.top form { margin-left: auto; }
main { max-width: 1200px; margin: 0 auto; padding: 1rem 1.2rem 3rem; }
a { color: var(--accent); }
h1 { font-size: 1.6rem; line-height: 1.25; margin: .6rem 0; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid var(--line); }
.muted, .meta { color: var(--muted); font-size: .9rem; }
ul.stories { list-style: none; padding: 0; }
ul.stories li { padding: .6rem 0; border-bottom: 1px solid var(--line); }
ul.stories a.headline { font-weight: 600; font-size: 1.05rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 1rem; }
.col { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .8rem; }
.col h3 { margin: 0 0 .3rem; font-size: 1rem; }
.text { white-space: pre-wrap; font-size: .92rem; max-height: 32rem; overflow: auto; }
.text.full { max-height: none; overflow: visible; font-size: 1rem; max-width: 46rem; }
mark { background: #ffe58a; padding: 0 .1em; }
mark.passage { background: #cde8ff; }
mark.hit { background: #ffe58a; font-weight: 600; }
p.snippet { margin: .2rem 0; font-size: .92rem; }
nav.days, nav.windows, form.filters { display: flex; gap: .8rem; flex-wrap: wrap; align-items: center; margin: .4rem 0; }
form.filters label { font-size: .9rem; color: var(--muted); }
span.growth { color: #2e7d32; font-weight: 600; }
blockquote { margin: .4rem 0; padding: .2rem .8rem; border-left: 3px solid var(--accent); }
.quote { margin-bottom: 1rem; }
svg.chart { display: block; width: 100%; height: 7rem; background: #fff; border: 1px solid var(--line); }
svg.chart rect.orig { fill: var(--accent); }
svg.chart rect.copy { fill: #8fb8de; }
.axis { display: flex; justify-content: space-between; gap: 1rem; color: var(--muted); font-size: .8rem; }
.key-orig { color: var(--accent); } .key-copy { color: #8fb8de; }
nav.storyline { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .4rem .8rem; margin: .6rem 0; font-size: .92rem; }
ol.storyline li { padding: .4rem 0; border-bottom: 1px solid var(--line); }
ul.headlines { padding-left: 1.2rem; margin: .3rem 0; }
table.articles { border-collapse: collapse; width: 100%; font-size: .9rem; }
table.articles th { text-align: left; color: var(--muted); font-weight: 600; }
table.articles td, table.articles th { padding: .25rem .5rem .25rem 0; border-bottom: 1px solid var(--line); vertical-align: top; }
table.articles details { margin: 0; }
nav.pages { margin: .8rem 0; display: flex; gap: 1rem; }
@media (max-width: 600px) {
  main { padding: .6rem .6rem 2rem; }
  table.articles { table-layout: fixed; font-size: .85rem; }
  table.articles td { overflow-wrap: anywhere; }
  table.articles th:nth-child(5), table.articles td:nth-child(5) { display: none; }
}
details { margin-top: .6rem; }
table.figures td { padding: .1rem .8rem .1rem 0; }
input[type=text], input[type=search] { padding: .3rem .5rem; border: 1px solid var(--line); border-radius: 4px; }
button { padding: .3rem .8rem; }
"#;

/// A whole page: the frame (header with search box), `title` and `body` (already HTML).
pub fn page(title: &str, q: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · samestory</title><link rel=\"stylesheet\" href=\"/style.css\"></head>\
         <body><header class=\"top\"><a class=\"home\" href=\"/\">samestory</a>\
         <a href=\"/compare\">compare</a>\
         <form action=\"/\" method=\"get\" role=\"search\"><input type=\"search\" name=\"q\" \
         id=\"q\" value=\"{q}\" placeholder=\"Search articles\"> <button type=\"submit\">Search</button></form>\
         </header><main>{body}</main></body></html>\n",
        title = esc(title),
        q = esc(q),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snippet_marks_the_search_words_around_the_first_one() {
        let text = "Officials said on Monday that the old River Bridge would close. \
                    Engineers found cracks in the bridge's supports; the bridge reopens in May.";
        let s = snippet(text, &["bridge", "CRACKS"]).unwrap();
        assert!(s.starts_with("Officials said"), "{s}");
        assert_eq!(s.matches("<mark class=\"hit\">").count(), 4, "{s}");
        assert!(s.contains("<mark class=\"hit\">cracks</mark>"), "{s}");
        assert!(!s.contains("…"), "{s}");
        assert_eq!(snippet(text, &["tunnel"]), None);
        // A long text: the window starts near the first hit, cut at a word, marked as cut.
        let long = format!(
            "{} the tunnel <b>opens</b> {}",
            "word ".repeat(200),
            "more ".repeat(200)
        );
        let s = snippet(&long, &["tunnel"]).unwrap();
        assert!(s.starts_with("…word "), "{s}");
        assert!(s.ends_with("…"), "{s}");
        assert!(
            s.contains("<mark class=\"hit\">tunnel</mark> &lt;b&gt;opens"),
            "{s}"
        );
        assert!(s.chars().count() < SNIPPET_CHARS + 60, "{s}");
    }

    #[test]
    fn escapes_markup_and_highlights_merged_spans() {
        assert_eq!(
            esc("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
        );
        let t = "a <b> said \"go\" now";
        let h = highlight(
            t,
            &[Span::new(2, 5), Span::new(4, 7), Span::new(100, 200)],
            "q",
        );
        assert_eq!(
            h,
            "a <mark class=\"q\">&lt;b&gt; s</mark>aid &quot;go&quot; now"
        );
    }

    #[test]
    fn spans_inside_a_character_are_moved_to_its_start() {
        let t = "né là";
        let h = highlight(t, &[Span::new(2, 4)], "q");
        assert_eq!(h, "n<mark class=\"q\">é </mark>là");
    }
}
