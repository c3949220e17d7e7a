//! Stage 5: sign-offs, subscription prompts and other lines of page furniture.

use super::{Draft, Reason, Stage};

const BOILERPLATE_STARTS: &[&str] = &[
    "read more",
    "read also",
    "also read",
    "see also",
    "related:",
    "related articles",
    "related stories",
    "subscribe",
    "sign up",
    "click here",
    "follow us",
    "follow @",
    "advertisement",
    "share this",
    "share on",
    "watch:",
    "watch the video",
    "for more ",
    "(reporting by",
    "reporting by",
    "editing by",
    "(editing by",
    "copyright ",
    "©",
    "all rights reserved",
];

/// "Read more", "Subscribe", "Advertisement", "(Reporting by …)" lines.
pub struct Boilerplate;

impl Stage for Boilerplate {
    fn apply(&self, draft: &mut Draft<'_>) {
        for line in draft.lines() {
            // Cheap test on the raw line first: most lines are long prose.
            let raw = line.span.slice(draft.original).trim_start();
            if raw.len() > 300 || raw.is_empty() {
                continue;
            }
            let head: String = raw.chars().take(24).collect::<String>().to_lowercase();
            if !BOILERPLATE_STARTS
                .iter()
                .any(|b| head.starts_with(b) || b.starts_with(head.as_str()))
            {
                continue;
            }
            let live = draft.live_text(line);
            if live.is_empty() || live.split_whitespace().count() > 25 {
                continue;
            }
            let lower = live.to_lowercase();
            if BOILERPLATE_STARTS.iter().any(|b| lower.starts_with(b)) {
                draft.remove(line.with_break, Reason::Boilerplate);
            }
        }
    }
}
