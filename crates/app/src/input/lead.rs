//! The article's lead (standfirst, intro, summary), which pages often put in the header above the
//! body, outside the block Readability chooses: found before Readability changes the page, and
//! put first when the text does not already have it.
//!
//! A lead is an element (`p`, `div`, `h2`, `span`, `section`) whose class or id has a word of
//! [`LEAD_WORDS`], with 60 to 1,500 characters of text, outside navigation, footers, asides,
//! list items and links, and found before the main text starts in the page: the walk stops at the
//! first element whose own text opens the main text. Measured on trafilatura's evaluation set
//! (BENCHMARKS.md §8).

use dom_query::{Document, NodeRef};

const LEAD_WORDS: &[&str] = &[
    "lead",
    "intro",
    "standfirst",
    "subtitle",
    "subline",
    "excerpt",
    "summary",
    "teasertext",
    "chapo",
    "deck",
    "abstract",
    "kicker",
    "description",
];

const LEAD_TAGS: &[&str] = &["p", "div", "h2", "span", "section"];
const OUTSIDE: &[&str] = &["nav", "footer", "aside", "li", "a"];
const MIN_CHARS: usize = 60;
const MAX_CHARS: usize = 1500;
/// An element's own text opens the main text when its first characters are among the main
/// text's first [`OPENING_CHARS`].
const OWN_TEXT_CHARS: usize = 20;
const OPENING_CHARS: usize = 400;

/// What the walk over the page saw, in document order, up to its last lead candidate.
#[derive(Debug, Default)]
pub struct Leads {
    marks: Vec<Mark>,
}

#[derive(Debug)]
enum Mark {
    /// The first characters of an element's own text.
    Text(String),
    Lead(String),
}

impl Leads {
    /// Walks the page's body once.
    pub fn scan(doc: &Document) -> Leads {
        let Some(body) = doc.body() else {
            return Leads::default();
        };
        let mut marks = Vec::new();
        for node in body.descendants_it().filter(NodeRef::is_element) {
            if let Some(own) = node.first_child().filter(|c| c.is_text()) {
                if let Some(opening) = normalised_opening(&own.text(), OWN_TEXT_CHARS) {
                    marks.push(Mark::Text(opening));
                }
            }
            if let Some(lead) = lead_text(&node) {
                marks.push(Mark::Lead(lead));
            }
        }
        let last_lead = marks.iter().rposition(|m| matches!(m, Mark::Lead(_)));
        marks.truncate(last_lead.map_or(0, |at| at + 1));
        Leads { marks }
    }

    /// `text` with the lead put first, when one stands before where `text` starts in the page
    /// and `text` does not have it already.
    pub fn put_first(&self, text: String) -> String {
        let flat = normalised(&text);
        let opening: String = flat.chars().take(OPENING_CHARS).collect();
        for mark in &self.marks {
            match mark {
                Mark::Text(own) if opening.contains(own.as_str()) => break,
                Mark::Text(_) => {}
                Mark::Lead(lead) => {
                    let start: String = lead.chars().take(50).collect();
                    if flat.contains(start.as_str()) {
                        break;
                    }
                    return format!("{lead}\n\n{text}");
                }
            }
        }
        text
    }
}

fn lead_text(node: &NodeRef) -> Option<String> {
    if !LEAD_TAGS.iter().any(|t| node.has_name(t)) || !names_a_lead(node) {
        return None;
    }
    if node
        .ancestors_it(None)
        .any(|a| OUTSIDE.iter().any(|t| a.has_name(t)))
    {
        return None;
    }
    let text = normalised(&node.text());
    (MIN_CHARS..=MAX_CHARS)
        .contains(&text.chars().count())
        .then_some(text)
}

/// Whether a word of the class or id (split at spaces, `-` and `_`) is a lead word;
/// `teaser-text` counts as `teasertext`.
fn names_a_lead(node: &NodeRef) -> bool {
    let names = [node.class(), node.id_attr()];
    names.iter().flatten().any(|value| {
        let lower = value.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
            .filter(|w| !w.is_empty())
            .collect();
        words.iter().any(|w| LEAD_WORDS.contains(w))
            || words.windows(2).any(|w| w == ["teaser", "text"])
    })
}

/// The first `n` characters of [`normalised`] `text`, when it has that many; without
/// normalising the rest (a script's or a long paragraph's text).
fn normalised_opening(text: &str, n: usize) -> Option<String> {
    let mut out = String::new();
    let mut count = 0;
    for word in text.split_whitespace() {
        if count > 0 {
            out.push(' ');
            count += 1;
        }
        for c in word.chars() {
            if count >= n {
                break;
            }
            out.push(c);
            count += 1;
        }
        if count >= n {
            return Some(out);
        }
    }
    None
}

fn normalised(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEAD: &str =
        "The old bridge closes to cars in May after engineers found cracks in two of its piers.";
    const BODY: &str = "Repairs are expected to take two years and cost about four million euros, the mayor said on Tuesday.";

    #[test]
    fn the_opening_of_a_text_is_its_normalised_text_cut() {
        for text in [
            "  a  b\tc ",
            "one two three four five six",
            "abcdefghij",
            "ab  cdefghij k",
        ] {
            for n in 1..12 {
                let whole = normalised(text);
                let expected =
                    (whole.chars().count() >= n).then(|| whole.chars().take(n).collect::<String>());
                assert_eq!(normalised_opening(text, n), expected, "{text:?} {n}");
            }
        }
    }

    #[test]
    fn a_lead_above_the_body_is_put_first() {
        let page = format!(
            r#"<html><body><header><h1>Bridge closes</h1><p class="article-lead">{LEAD}</p></header><article><p>{BODY}</p></article></body></html>"#
        );
        let leads = Leads::scan(&Document::from(page));
        assert_eq!(leads.put_first(BODY.into()), format!("{LEAD}\n\n{BODY}"));
    }

    #[test]
    fn a_lead_already_in_the_text_or_below_it_or_in_a_list_is_not_added() {
        let inside =
            format!(r#"<html><body><p class="intro">{LEAD}</p><p>{BODY}</p></body></html>"#);
        let leads = Leads::scan(&Document::from(inside));
        let text = format!("{LEAD}\n\n{BODY}");
        assert_eq!(leads.put_first(text.clone()), text);

        let below =
            format!(r#"<html><body><p>{BODY}</p><div class="summary">{LEAD}</div></body></html>"#);
        assert_eq!(
            Leads::scan(&Document::from(below)).put_first(BODY.into()),
            BODY
        );

        let listed = format!(
            r#"<html><body><ul><li><p class="teaser-text">{LEAD}</p></li></ul><p>{BODY}</p></body></html>"#
        );
        assert_eq!(
            Leads::scan(&Document::from(listed)).put_first(BODY.into()),
            BODY
        );
    }
}
