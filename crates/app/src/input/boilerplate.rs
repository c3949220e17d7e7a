//! Page furniture left inside the block Readability chose, taken out before its text is read:
//! figure captions and credits, related-article boxes and their headings, newsletter and share
//! boxes, author boxes, comments, tag lists, dates and ratings, and paragraphs or lists that are
//! mostly links ("Read also: …", lists of other articles).
//!
//! Two general rules, measured on trafilatura's 990-page evaluation set (BENCHMARKS.md §8):
//! - [`furniture_name`]: an element whose class or id names furniture (`caption`, `related`,
//!   `newsletter`, `comment`, `author`, `teaser`, … as part of a name; `ad`, `tag`, `meta`,
//!   `date`, `nav`, … as a whole word of it).
//! - [`LINK_SHARE`]: a paragraph or list whose text is mostly link text, with the short heading
//!   just before it.
//!
//! Neither removes an element holding more than [`MAX_SHARE`] of the block's text, so that a
//! page whose whole article sits in, say, a `teaser` element keeps it; and when together they
//! would leave [`MIN_KEPT_SHARE`] of it or less, the block is read whole.

use dom_query::NodeRef;

/// Furniture words found anywhere in a class or id (`image-caption`, `relatedArticles`,
/// `comments-container`).
const NAME_PARTS: &[&str] = &[
    "caption",
    "credit",
    "copyright",
    "newsletter",
    "related",
    "share",
    "sharing",
    "social",
    "comment",
    "kommentar",
    "byline",
    "breadcrumb",
    "subscribe",
    "author",
    "promo",
    "teaser",
    "cookie",
    "sidebar",
    "footer",
];

/// Furniture words that must be a whole word of a class or id (split at `-`, `_` and camel
/// case): as parts they would match too much (`ad` in `header`, `date` in `update`).
const NAME_WORDS: &[&str] = &[
    "ad",
    "ads",
    "tag",
    "tags",
    "meta",
    "date",
    "print",
    "nav",
    "menu",
    "rating",
    "more",
    "login",
    "anzeige",
    "infobox",
    "toolbar",
    "pagination",
    "pager",
];

/// A paragraph or list with at least this share of its text in links is a list of links.
const LINK_SHARE: f64 = 0.7;

/// No rule removes an element holding more than this share of the block's text.
const MAX_SHARE: f64 = 0.3;

/// A heading just before a removed list of links goes with it when it is shorter than this.
const MAX_HEADING_CHARS: usize = 80;

/// When the rules leave this share of the block's text or less, they were wrong about the page
/// (a live blog whose every entry is a `comment`): the block is read whole.
const MIN_KEPT_SHARE: f64 = 0.2;

/// The text of `block` (Readability's chosen block) without its furniture; the whole text when
/// the rules would leave too little of it ([`MIN_KEPT_SHARE`]).
pub fn text_without_furniture(block: &NodeRef) -> String {
    let whole = block.text();
    remove_furniture(block, visible_chars(&whole));
    let kept = block.text();
    if visible_chars(&kept) as f64 <= MIN_KEPT_SHARE * visible_chars(&whole) as f64 {
        whole.to_string()
    } else {
        kept.to_string()
    }
}

/// Removes the furniture under `root`, which holds `total` visible characters; `root` itself
/// stays.
fn remove_furniture(root: &NodeRef, total: usize) {
    if total == 0 {
        return;
    }
    let small = |node: &NodeRef| visible_chars(&node.text()) as f64 <= MAX_SHARE * total as f64;
    let mut stack: Vec<NodeRef> = root.element_children();
    while let Some(node) = stack.pop() {
        let furniture = node.has_name("figcaption") || furniture_name(&node);
        if furniture && small(&node) {
            node.remove_from_parent();
        } else {
            stack.extend(node.element_children());
        }
    }
    let link_blocks: Vec<NodeRef> = root
        .descendants_it()
        .filter(|n| n.has_name("p") || n.has_name("ul") || n.has_name("ol"))
        .collect();
    for block in link_blocks {
        if !is_attached(&block, root) {
            continue;
        }
        let text = visible_chars(&block.text());
        if text == 0 || !small(&block) {
            continue;
        }
        let linked: usize = block
            .descendants_it()
            .filter(|n| n.has_name("a"))
            .map(|a| visible_chars(&a.text()))
            .sum();
        if (linked as f64) < LINK_SHARE * text as f64 {
            continue;
        }
        if let Some(heading) = block.prev_element_sibling() {
            let is_heading = ["h2", "h3", "h4", "h5", "h6", "strong", "b"]
                .iter()
                .any(|h| heading.has_name(h));
            if is_heading && heading.text().chars().count() < MAX_HEADING_CHARS {
                heading.remove_from_parent();
            }
        }
        block.remove_from_parent();
    }
}

/// Words in a class or id (anywhere in a name) that mark furniture of the whole page: consent
/// and cookie notices, newsletter sign-ups, modal windows.
const PAGE_PARTS: &[&str] = &[
    "cookie",
    "consent",
    "gdpr",
    "newsletter",
    "subscribe",
    "modal",
    "popup",
];

/// No element holding more than this share of the body's visible text is taken out before
/// Readability runs (a page wrapped whole in a `<form>`, as ASP.NET pages are).
const MAX_PAGE_SHARE: f64 = 0.3;

/// Takes out, before Readability runs, the page's consent and cookie notices, newsletter
/// sign-ups, forms and dialogs ([`PAGE_PARTS`] in a class or id, `<form>`, `<dialog>`,
/// `aria-modal="true"`, `role="dialog"`), each when it holds at most [`MAX_PAGE_SHARE`] of the
/// body's text: on a page whose article is short, Readability would choose such a block.
pub fn remove_page_furniture(doc: &dom_query::Document) {
    let Some(body) = doc.body() else {
        return;
    };
    let total = shown_chars(&body);
    if total == 0 {
        return;
    }
    let mut stack: Vec<NodeRef> = body.element_children();
    while let Some(node) = stack.pop() {
        let furniture = node.has_name("form")
            || node.has_name("dialog")
            || node
                .attr("aria-modal")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
            || node
                .attr("role")
                .is_some_and(|v| matches!(v.trim(), "dialog" | "alertdialog"))
            || names_any(&node, PAGE_PARTS);
        if furniture && shown_chars(&node) as f64 <= MAX_PAGE_SHARE * total as f64 {
            node.remove_from_parent();
        } else {
            stack.extend(node.element_children());
        }
    }
}

/// Whether a name in the node's class or id (states and terms aside) contains one of `parts`.
fn names_any(node: &NodeRef, parts: &[&str]) -> bool {
    let class = node.class();
    let id = node.id_attr();
    class
        .iter()
        .chain(id.iter())
        .flat_map(|value| {
            value
                .split_whitespace()
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
        })
        .filter(|name| !is_state_or_term(name))
        .any(|name| parts.iter().any(|p| name.contains(p)))
}

/// Visible characters under `node`: text outside `script`, `style`, `noscript` and `template`.
fn shown_chars(node: &NodeRef) -> usize {
    node.descendants_it()
        .filter(|n| n.is_text())
        .filter(|n| {
            n.parent().is_none_or(|p| {
                !["script", "style", "noscript", "template"]
                    .iter()
                    .any(|t| p.has_name(t))
            })
        })
        .map(|n| visible_chars(&n.text()))
        .sum()
}

/// Whether the node's class or id names page furniture. Class names that are a state
/// (`has-sharing`, `is-…`, `with-…`), a post's terms (`tag-…`, `category-…`, which blogs put on
/// the article itself) or a BEM modifier (the `--ads` of `section--ads`) are not read.
fn furniture_name(node: &NodeRef) -> bool {
    let class = node.class();
    let id = node.id_attr();
    let names = class
        .iter()
        .chain(id.iter())
        .flat_map(|value| {
            value
                .split_whitespace()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|name| !is_state_or_term(name))
        .map(|name| match name.find("--") {
            Some(at) => name[..at].to_owned(),
            None => name,
        });
    for name in names {
        let lower = name.to_lowercase();
        if NAME_PARTS.iter().any(|part| lower.contains(part)) {
            return true;
        }
        if words(&name).any(|word| NAME_WORDS.contains(&word.as_str())) {
            return true;
        }
    }
    false
}

fn is_state_or_term(name: &str) -> bool {
    let lower = name.to_lowercase();
    ["has", "is", "with", "tag", "category"]
        .iter()
        .any(|prefix| {
            lower
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with(['-', '_']))
        })
}

/// The lowercase words of a class name: split at anything not a letter or digit and where a
/// lowercase letter meets an uppercase one (`relatedArticles` → `related`, `articles`).
fn words(name: &str) -> impl Iterator<Item = String> + '_ {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        previous_lower = c.is_ascii_lowercase();
        word.push(c.to_ascii_lowercase());
    }
    if !word.is_empty() {
        out.push(word);
    }
    out.into_iter()
}

fn visible_chars(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// Whether `node` is still under `root` (an ancestor of it may have been removed).
fn is_attached(node: &NodeRef, root: &NodeRef) -> bool {
    node.ancestors_it(None).any(|a| a.id == root.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaned(html: &str) -> String {
        let doc = dom_query::Document::fragment(format!(r#"<div id="main">{html}</div>"#));
        let root = doc.select("#main");
        let root = root.nodes().first().unwrap();
        let text = text_without_furniture(root);
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    const BODY: &str = "<p>The council voted on Tuesday to close the old bridge to cars from May, after engineers found cracks in two of its piers.</p><p>Repairs are expected to take two years and cost about four million euros, the mayor said.</p>";

    #[test]
    fn captions_related_boxes_and_newsletters_go() {
        let html = format!(
            r#"{BODY}<figure><img src="a.jpg"><figcaption>The bridge in 1990.</figcaption></figure><div class="relatedArticles"><h3>More on this</h3></div><section class="newsletter-box"><p>Sign up for our newsletter</p></section><span class="photo-credit">Photo: Jane Roe</span>"#
        );
        let text = cleaned(&html);
        assert!(text.contains("cracks in two of its piers"), "{text}");
        assert!(text.contains("four million euros"), "{text}");
        for gone in ["The bridge in 1990", "More on this", "Sign up", "Jane Roe"] {
            assert!(!text.contains(gone), "{gone} kept: {text}");
        }
    }

    #[test]
    fn whole_words_states_terms_and_modifiers_are_told_apart() {
        let html = format!(
            r#"<div class="post tag-politics category-local has-sharing">{BODY}</div><div class="header-ad">Advertisement</div><div class="meta">3 min read</div><p class="upload">Uploaded text stays.</p>"#
        );
        let text = cleaned(&html);
        assert!(text.contains("cracks in two of its piers"), "{text}");
        assert!(text.contains("Uploaded text stays."), "{text}");
        assert!(!text.contains("Advertisement"), "{text}");
        assert!(!text.contains("3 min read"), "{text}");
    }

    #[test]
    fn lists_of_links_go_with_their_heading_and_linked_words_in_a_sentence_stay() {
        let html = format!(
            r#"{BODY}<p>The <a href="/council">council</a> meets again in June.</p><h3>Read also</h3><ul><li><a href="/1">Ferry service extended</a></li><li><a href="/2">New cycle lanes</a></li></ul>"#
        );
        let text = cleaned(&html);
        assert!(text.contains("The council meets again in June."), "{text}");
        for gone in ["Read also", "Ferry service", "cycle lanes"] {
            assert!(!text.contains(gone), "{gone} kept: {text}");
        }
    }

    #[test]
    fn a_block_made_only_of_furniture_is_read_whole() {
        let entries =
            "<div class=\"live-comment\">Kick-off in Lorient, both sides cautious.</div>".repeat(6);
        let text = cleaned(&entries);
        assert_eq!(text.matches("Kick-off in Lorient").count(), 6, "{text}");
    }

    #[test]
    fn consent_notices_sign_up_forms_and_dialogs_go_before_readability() {
        let page = format!(
            r#"<html><body><div class="widget_eu_cookie_law_widget"><form>This site uses cookies. By continuing you agree to their use.</form></div><article>{BODY}</article><div id="newsletterSignup">Get our newsletter every morning.</div><dialog open>Allow notifications?</dialog><div aria-modal="true">Please log in.</div><form class="search">Search the site</form></body></html>"#
        );
        let doc = dom_query::Document::from(page);
        remove_page_furniture(&doc);
        let text = doc.select("body").text();
        assert!(text.contains("cracks in two of its piers"), "{text}");
        for gone in [
            "uses cookies",
            "newsletter",
            "notifications",
            "log in",
            "Search the site",
        ] {
            assert!(!text.contains(gone), "{gone} kept: {text}");
        }
    }

    #[test]
    fn a_page_wrapped_whole_in_a_form_keeps_its_article() {
        let page = format!(
            r#"<html><body><form id="aspnetForm"><article>{BODY}</article><div class="cookie-note">We use cookies.</div></form></body></html>"#
        );
        let doc = dom_query::Document::from(page);
        remove_page_furniture(&doc);
        let text = doc.select("body").text();
        assert!(text.contains("cracks in two of its piers"), "{text}");
        assert!(!text.contains("We use cookies"), "{text}");
    }

    #[test]
    fn an_article_inside_a_furniture_named_element_is_kept() {
        let html = format!(r#"<div class="teaser-text">{BODY}</div><p>Short note.</p>"#);
        let text = cleaned(&html);
        assert!(text.contains("cracks in two of its piers"), "{text}");
    }
}
