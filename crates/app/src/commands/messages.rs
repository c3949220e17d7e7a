//! Per-record errors and warnings on stderr, at most [`SHOWN_PER_FILE`] of each kind for one file:
//! a file of millions of bad records must not print millions of lines. Past the limit they are
//! only counted, and [`Messages::hidden`] gives one closing line per file with the count not shown
//! (the command's summary counts every one).

use crate::input::InputError;
use rustc_hash::FxHashMap;

/// Errors (and, apart, warnings) printed for one file before the rest are only counted.
pub const SHOWN_PER_FILE: u64 = 100;

/// Whether a message is an error (a record rejected) or a warning (a record read anyway).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Error,
    Warning,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Error => "error",
            Kind::Warning => "warning",
        }
    }
}

/// Counts the messages of each file and kind, and says which to print.
#[derive(Default)]
pub struct Messages {
    seen: FxHashMap<(String, Kind), u64>,
}

impl Messages {
    /// The line to print for `e`, or `None` once its file has had [`SHOWN_PER_FILE`] of its kind.
    pub fn line(&mut self, kind: Kind, e: &InputError) -> Option<String> {
        let n = self.seen.entry((e.file.clone(), kind)).or_insert(0);
        *n += 1;
        (*n <= SHOWN_PER_FILE).then(|| format!("{}: {e}", kind.label()))
    }

    /// Prints `e` on stderr unless its file is past the limit.
    pub fn print(&mut self, kind: Kind, e: &InputError) {
        if let Some(line) = self.line(kind, e) {
            eprintln!("{line}");
        }
    }

    /// One line per file and kind with messages not shown, in file order.
    pub fn hidden(&self) -> Vec<String> {
        let mut out: Vec<_> = self
            .seen
            .iter()
            .filter(|(_, &n)| n > SHOWN_PER_FILE)
            .collect();
        out.sort_by(|a, b| a.0.cmp(b.0));
        out.into_iter()
            .map(|((file, kind), n)| {
                let label = kind.label();
                let more = n - SHOWN_PER_FILE;
                let noun = if more == 1 { label.to_owned() } else { format!("{label}s") };
                format!(
                    "{label}: {file}: {more} more {noun} not shown ({n} in all; the first {SHOWN_PER_FILE} are above)"
                )
            })
            .collect()
    }

    /// Prints [`Messages::hidden`] on stderr.
    pub fn print_hidden(&self) {
        for line in self.hidden() {
            eprintln!("{line}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(file: &str) -> InputError {
        InputError {
            file: file.into(),
            line: Some(1),
            message: "bad".into(),
        }
    }

    #[test]
    fn one_message_past_the_limit_is_one_error() {
        let mut m = Messages::default();
        for _ in 0..=SHOWN_PER_FILE {
            m.line(Kind::Warning, &err("a.jsonl"));
        }
        assert!(
            m.hidden()[0].starts_with("warning: a.jsonl: 1 more warning not shown"),
            "{:?}",
            m.hidden()
        );
    }

    #[test]
    fn each_file_and_kind_shows_its_first_messages_then_counts() {
        let mut m = Messages::default();
        let shown = (0..SHOWN_PER_FILE + 5)
            .filter(|_| m.line(Kind::Error, &err("a.jsonl")).is_some())
            .count();
        assert_eq!(shown as u64, SHOWN_PER_FILE);
        assert!(m.line(Kind::Warning, &err("a.jsonl")).is_some());
        assert!(m.line(Kind::Error, &err("b.jsonl")).is_some());
        assert_eq!(
            m.hidden(),
            [format!(
                "error: a.jsonl: 5 more errors not shown ({} in all; the first {SHOWN_PER_FILE} are above)",
                SHOWN_PER_FILE + 5
            )]
        );
    }
}
