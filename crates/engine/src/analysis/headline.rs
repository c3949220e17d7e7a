//! A story's representative headline: which of its articles' titles names the story best.
//!
//! Not the first title (it may be the one outlet that got in early with an opinion piece) nor the
//! longest. Titles are compared by their words (lower case, NFKC, stop words left out), so that
//! `Snowden speaks at SXSW` and `Snowden Speaks At SXSW - Reuters`' first words count as one
//! wording only when their words are the same set. The choice, in order:
//! 1. the wording carried by the most outlets (a wire headline reprinted by 17 outlets);
//! 2. among wordings carried by as many outlets, the most central: the highest mean Jaccard
//!    similarity of its words to every other title of the story;
//! 3. then the earliest title.
//!
//! Cost: one word set per title, then every pair of distinct wordings (206 titles of one story:
//! about 20,000 set comparisons, well under a millisecond).

use crate::text::{for_each_word, stopwords::is_stopword};
use rustc_hash::FxHashMap;

/// One title of a story, as [`representative`] takes it.
#[derive(Clone, Copy, Debug)]
pub struct Title<'a> {
    /// The outlet that ran it (an article without one: its own id, so that it counts once).
    pub outlet: &'a str,
    /// The title as written.
    pub text: &'a str,
}

/// A wording of the story's titles: how many outlets ran it and how central it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Wording {
    /// The first title (index into the input) with this wording.
    pub first: usize,
    /// How many distinct outlets ran a title of this wording.
    pub outlets: usize,
    /// The mean Jaccard similarity of its words to every other title (0 for a story of one).
    pub centrality: f32,
}

/// A title's words for comparison, each as its number in `vocabulary` (numbers compare faster
/// than strings: a 380-title story makes some 70,000 comparisons): sorted and distinct, stop
/// words left out (all of them kept when the title has nothing else).
fn title_words(text: &str, vocabulary: &mut FxHashMap<String, u32>) -> Vec<u32> {
    let mut all = Vec::new();
    let mut content = Vec::new();
    for_each_word(text, |_, w| {
        let next = vocabulary.len() as u32;
        let id = *vocabulary.entry(w.to_owned()).or_insert(next);
        all.push(id);
        if !is_stopword(w) {
            content.push(id);
        }
    });
    let mut words = if content.is_empty() { all } else { content };
    words.sort_unstable();
    words.dedup();
    words
}

fn jaccard(a: &[u32], b: &[u32]) -> f32 {
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - shared;
    if union == 0 {
        0.0
    } else {
        shared as f32 / union as f32
    }
}

/// The story's wordings, best first (the order of the module doc); titles without a word are
/// left out.
pub fn wordings(titles: &[Title<'_>]) -> Vec<Wording> {
    let mut vocabulary: FxHashMap<String, u32> = FxHashMap::default();
    let mut index: FxHashMap<Vec<u32>, usize> = FxHashMap::default();
    // Per wording: its words, first title, outlets, and how many titles carry it.
    let mut found: Vec<(Vec<u32>, usize, Vec<&str>, usize)> = Vec::new();
    for (i, t) in titles.iter().enumerate() {
        let words = title_words(t.text, &mut vocabulary);
        if words.is_empty() {
            continue;
        }
        let at = *index.entry(words.clone()).or_insert_with(|| {
            found.push((words, i, Vec::new(), 0));
            found.len() - 1
        });
        found[at].2.push(t.outlet);
        found[at].3 += 1;
    }
    let titled: usize = found.iter().map(|f| f.3).sum();
    let mut out: Vec<Wording> = found
        .iter()
        .enumerate()
        .map(|(k, (words, first, outlets, _))| {
            let mut outlets = outlets.clone();
            outlets.sort_unstable();
            outlets.dedup();
            // The mean over the other titles: a wording's own other copies count as 1 each.
            let others = titled - 1;
            let sum: f32 = found
                .iter()
                .enumerate()
                .map(|(m, (w, _, _, n))| {
                    if m == k {
                        (*n - 1) as f32
                    } else {
                        jaccard(words, w) * *n as f32
                    }
                })
                .sum();
            Wording {
                first: *first,
                outlets: outlets.len(),
                centrality: if others == 0 {
                    0.0
                } else {
                    sum / others as f32
                },
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.outlets
            .cmp(&a.outlets)
            .then(b.centrality.total_cmp(&a.centrality))
            .then(a.first.cmp(&b.first))
    });
    out
}

/// The index of the representative title ([`wordings`]' best), `None` when no title has a word.
pub fn representative(titles: &[Title<'_>]) -> Option<usize> {
    wordings(titles).first().map(|w| w.first)
}

/// Words of a text's first line taken as its headline when it has no title.
pub const LEAD_WORDS: usize = 20;

/// An article's headline: its title, else the first line of its clean text (a headline data set
/// read with `--text-field TITLE` has its titles as texts), at most [`LEAD_WORDS`] words of it
/// with `…` when cut. `None` when both are blank.
///
/// `clean_text` may be only the start of the text: the first line is all that is read.
pub fn heading(title: Option<&str>, clean_text: &str) -> Option<String> {
    if let Some(t) = title.filter(|t| !t.trim().is_empty()) {
        return Some(t.to_owned());
    }
    let line = clean_text.lines().find(|l| !l.trim().is_empty())?;
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut out = words[..words.len().min(LEAD_WORDS)].join(" ");
    if words.len() > LEAD_WORDS {
        out.push('…');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles<'a>(list: &[(&'a str, &'a str)]) -> Vec<Title<'a>> {
        list.iter()
            .map(|&(outlet, text)| Title { outlet, text })
            .collect()
    }

    #[test]
    fn the_wording_most_outlets_ran_wins_over_the_first_and_the_longest() {
        let t = titles(&[
            (
                "Opinion Daily",
                "Edward Snowden Is a Stain Upon the Constitution",
            ),
            (
                "Wire",
                "Snowden tells SXSW the NSA is setting fire to the internet",
            ),
            (
                "Herald",
                "Snowden tells SXSW the NSA is setting fire to the internet",
            ),
            (
                "Post",
                "Snowden tells SXSW: the NSA is setting fire to the Internet",
            ),
            (
                "Tech Blog",
                "Edward Snowden speaks at SXSW by video link from Russia, urges encryption",
            ),
        ]);
        assert_eq!(representative(&t), Some(1));
        let w = wordings(&t);
        assert_eq!(w[0].outlets, 3, "{w:?}");
    }

    #[test]
    fn one_outlet_running_a_title_twice_counts_once_and_centrality_breaks_ties() {
        let t = titles(&[
            ("A", "Bridge closes for repairs"),
            ("A", "Bridge closes for repairs"),
            ("B", "River bridge closes for urgent repairs"),
            ("C", "City bridge closes for repairs after cracks found"),
            ("D", "Mayor blames budget"),
        ]);
        let w = wordings(&t);
        assert!(w.iter().all(|w| w.outlets == 1), "{w:?}");
        // "Bridge closes for repairs" shares most words with the others.
        assert_eq!(representative(&t), Some(0));
        assert!(w[0].centrality > w[1].centrality, "{w:?}");
    }

    #[test]
    fn an_untitled_article_is_headed_by_its_first_line_cut_to_its_first_words() {
        assert_eq!(heading(Some("Quake"), "text"), Some("Quake".to_owned()));
        assert_eq!(
            heading(Some("  "), "\n\nFed holds rates\nSecond line"),
            Some("Fed holds rates".to_owned())
        );
        let long = (1..=25)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let cut = heading(None, &long).unwrap();
        assert!(cut.starts_with("w1 w2 ") && cut.ends_with("w20…"), "{cut}");
        assert_eq!(heading(None, " \n "), None);
    }

    #[test]
    fn titles_without_words_are_left_out() {
        assert_eq!(representative(&titles(&[("A", "—"), ("B", "")])), None);
        assert_eq!(
            representative(&titles(&[("A", "…"), ("B", "Quake")])),
            Some(1)
        );
    }
}
