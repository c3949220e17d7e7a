//! What an article says, as the clusterer counts it: content words (stopwords out, the plural
//! stemmer of [`crate::text::stem::STORIES`]; in a language with a [`Lexicon`], its stop words out
//! and its Snowball stemmer) as terms, weighted up in the title, for names and for
//! numbers; its paragraphs (lines) that may recur in other articles; the terms written as names.

use super::config::ClusterConfig;
use crate::article::Term;
use crate::text::language::Language;
use crate::text::lexicon::Lexicon;
use crate::text::sentence_ends::ends_sentence;
use crate::text::{for_each_word, hash_word};
use rustc_hash::FxHashMap;

/// The raw term weights of one article (before IDF and before the sublinear count transform),
/// sorted by term, with the body lines that may recur verbatim in other articles.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TermCounts {
    /// Each term with its raw weight (title, name and number boosts applied), sorted by term.
    pub terms: Vec<(Term, f32)>,
    /// Lines (paragraphs) of the body with at least [`LINE_MIN_WORDS`] content words, when the
    /// body has at least two of them: a single-paragraph text is never discounted.
    pub lines: Vec<Line>,
    /// The terms written as a name or holding a digit somewhere in the text, sorted.
    pub names: Vec<Term>,
    /// Each term's background share ([`super::background_df`]), in the order of `terms`: looked
    /// up as the article is read, in parallel, rather than on the one thread that decides.
    pub background: Vec<f32>,
    /// The first [`LEAD_TERMS`] distinct terms in reading order (title, then text), sorted: what
    /// the article leads with.
    pub lead: Vec<Term>,
    /// The language the story decision holds the article to: it joins no story of another
    /// language (see [`crate::pipeline::prepare`], which sets it; `None`, as counted here: any).
    pub language: Option<Language>,
    /// The title's rare words, sorted: whom or what the title names, written in capitals or not
    /// (`NUCOR CORP <NUE> RAISES QUARTERLY` names `nucor` and `nue`). Rare is a background share
    /// below [`ClusterConfig::title_name_share`]; numbers are not names here.
    pub title_names: Vec<Term>,
}

/// Terms of an article's lead ([`TermCounts::lead`]).
pub const LEAD_TERMS: usize = 16;

/// One paragraph of an article: the hash of its content words in order and its raw term weights,
/// in text order (a term may come more than once: readers sum them).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Line {
    /// The hash of the line's content words in order: equal for a line seen verbatim.
    pub hash: u64,
    /// The line's raw term weights, in text order.
    pub terms: Vec<(Term, f32)>,
}

/// Content words a line needs to be recognised when it recurs.
pub const LINE_MIN_WORDS: usize = 8;

/// Strips a plural `s` so "officials" and "official" meet ([`crate::text::stem::STORIES`]).
pub(super) fn stem(word: &str) -> &str {
    crate::text::stem::plural(word, &crate::text::stem::STORIES)
}

/// Whether a normalized word counts as evidence at all.
pub fn is_content_word(word: &str) -> bool {
    is_content_hashed(word, hash_word(word))
}

/// [`is_content_word`] for a word whose [`hash_word`] is at hand.
pub(super) fn is_content_hashed(word: &str, hash: u64) -> bool {
    word.len() > 1 && !crate::text::stopwords::is_stopword_hash(hash)
}

/// The term of a normalized word.
pub fn term(word: &str) -> Term {
    Term::from_raw(hash_word(stem(word)))
}

/// [`term`] for a word whose [`hash_word`] is at hand: an unstemmed word's term is its hash.
pub(super) fn term_hashed(word: &str, hash: u64) -> Term {
    let stemmed = stem(word);
    Term::from_raw(if stemmed.len() == word.len() {
        hash
    } else {
        hash_word(stemmed)
    })
}

/// [`term`] in a language with a lexicon (`None`: English words, [`term`]).
pub fn term_in(word: &str, lexicon: Option<&Lexicon>) -> Term {
    match lexicon {
        None => term(word),
        Some(l) => Term::from_raw(hash_word(&l.stem(word))),
    }
}

/// [`is_content_word`] in a language with a lexicon (`None`: English words).
pub fn is_content_word_in(word: &str, lexicon: Option<&Lexicon>) -> bool {
    match lexicon {
        None => is_content_word(word),
        Some(l) => word.len() > 1 && !l.is_stop_hash(hash_word(word)),
    }
}

/// Where a number that starts with the digits `start..end` ends: past its groups after a
/// thousands separator or a decimal point ("2,117,000", "24.6"), so that it is one term. `end`
/// when the word is not all digits or no group follows.
fn whole_number(bytes: &[u8], start: usize, end: usize) -> usize {
    if !bytes[start..end].iter().all(u8::is_ascii_digit) {
        return end;
    }
    let mut j = end;
    while j + 1 < bytes.len() && matches!(bytes[j], b',' | b'.') && bytes[j + 1].is_ascii_digit() {
        j += 1;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
    }
    j
}

/// A term's background share ([`super::background_df`]; the lexicon's for a language with
/// one).
fn background_share(t: Term, lexicon: Option<&Lexicon>) -> f32 {
    match lexicon {
        None => super::background_df(t),
        Some(l) => l.background(t),
    }
}

/// Words of a url that name no event: file kinds and the path words of news sites.
const URL_WORDS: [&str; 14] = [
    "html", "htm", "shtml", "php", "asp", "aspx", "cms", "ece", "story", "article", "articles",
    "news", "index", "www",
];

/// The slug of a url: the path segment of the most words (at least three, split at `-`, `_` and
/// `+`), those separators read as spaces; `None` when no segment has three.
fn url_slug(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.split_once('/').map_or("", |(_, p)| p);
    let path = path.split(['?', '#']).next().unwrap_or("");
    path.split('/')
        .map(|segment| (segment.split(['-', '_', '+']).count(), segment))
        .filter(|&(n, _)| n >= 3)
        .max_by_key(|&(n, _)| n)
        .map(|(_, segment)| segment.replace(['-', '_', '+'], " "))
}

/// Adds the words of an article's url slug (`/navy-foils-somali-pirate-attack-off-gulf-of-aden/`)
/// to its terms at [`ClusterConfig::url_weight`] each: what the outlet named the page, often more
/// than a headline says. Words with digits, shorter than three letters, stop words and
/// [`URL_WORDS`] are left out. Names, lines and the lead are the text's alone.
pub fn add_url_words(
    counts: &mut TermCounts,
    url: &str,
    config: &ClusterConfig,
    lexicon: Option<&Lexicon>,
) {
    if config.url_weight <= 0.0 {
        return;
    }
    let Some(slug) = url_slug(url) else {
        return;
    };
    let mut added: Vec<Term> = Vec::new();
    for_each_word(&slug, |_, w| {
        if w.len() >= 3
            && !w.bytes().any(|b| b.is_ascii_digit())
            && !URL_WORDS.contains(&w)
            && is_content_word_in(w, lexicon)
        {
            added.push(term_in(w, lexicon));
        }
    });
    if added.is_empty() {
        return;
    }
    let mut weights: FxHashMap<Term, (f32, f32)> = counts
        .terms
        .iter()
        .zip(&counts.background)
        .map(|(&(t, w), &b)| (t, (w, b)))
        .collect();
    for t in added {
        weights
            .entry(t)
            .or_insert_with(|| (0.0, background_share(t, lexicon)))
            .0 += config.url_weight;
    }
    let mut all: Vec<(Term, (f32, f32))> = weights.into_iter().collect();
    all.sort_unstable_by_key(|&(t, _)| t);
    counts.terms = all.iter().map(|&(t, (w, _))| (t, w)).collect();
    counts.background = all.iter().map(|&(_, (_, b))| b).collect();
}

/// Counts the terms of an article: its title and its clean text.
pub fn term_counts(title: Option<&str>, text: &str, config: &ClusterConfig) -> TermCounts {
    term_counts_and_words(title, text, config).0
}

/// [`term_counts`] of an article in the language of `lexicon`: its stop words and its stemmer
/// instead of the English ones.
pub fn term_counts_in(
    title: Option<&str>,
    text: &str,
    config: &ClusterConfig,
    lexicon: &Lexicon,
) -> TermCounts {
    counts_and_words(title, text, config, Some(lexicon)).0
}

/// [`term_counts`], and the [`crate::text::word_hashes`] of the text from the same pass.
pub fn term_counts_and_words(
    title: Option<&str>,
    text: &str,
    config: &ClusterConfig,
) -> (TermCounts, Vec<u64>) {
    counts_and_words(title, text, config, None)
}

/// [`term_counts_and_words`] with the stop words and stemmer of `lexicon`, English ones for `None`.
fn counts_and_words(
    title: Option<&str>,
    text: &str,
    config: &ClusterConfig,
    lexicon: Option<&Lexicon>,
) -> (TermCounts, Vec<u64>) {
    let is_content = |w: &str, hash: u64| match lexicon {
        None => is_content_hashed(w, hash),
        Some(l) => w.len() > 1 && !l.is_stop_hash(hash),
    };
    let term_of = |w: &str, hash: u64| match lexicon {
        None => term_hashed(w, hash),
        Some(l) => match l.stem(w) {
            std::borrow::Cow::Borrowed(s) if s.len() == w.len() => Term::from_raw(hash),
            stemmed => Term::from_raw(hash_word(&stemmed)),
        },
    };
    let mut words: Vec<u64> = Vec::with_capacity(text.len() / 6);
    let mut counts: FxHashMap<Term, f32> =
        FxHashMap::with_capacity_and_hasher(text.len() / 12, Default::default());
    let mut lead: Vec<Term> = Vec::with_capacity(LEAD_TERMS);
    let mut names: Vec<Term> = Vec::new();
    let mut title_names: Vec<Term> = Vec::new();
    if let Some(title) = title {
        for_each_word(title, |_, w| {
            let hash = hash_word(w);
            if is_content(w, hash) {
                let t = term_of(w, hash);
                *counts.entry(t).or_default() += config.title_boost;
                if !w.bytes().all(|b| b.is_ascii_digit()) {
                    title_names.push(t);
                }
                if lead.len() < LEAD_TERMS && !lead.contains(&t) {
                    lead.push(t);
                }
            }
        });
    }
    let bytes = text.as_bytes();
    let mut sentence_start = true;
    let mut last_end = 0;
    // The previous word when it was a capitalised content word opening a sentence (not yet
    // counted as a name): it becomes one if this word is capitalised and follows it directly.
    let mut opener: Option<Term> = None;
    let mut lines: Vec<Line> = Vec::new();
    let mut line = Line::default();
    let mut line_words = 0;
    let mut end_line = |line: &mut Line, words: &mut usize| {
        if *words >= LINE_MIN_WORDS {
            lines.push(std::mem::take(line));
        } else {
            *line = Line::default();
        }
        *words = 0;
    };
    // Where the number being read ends, when a number with separators ("2,117,000", "24.6") is
    // read: its later digit groups are words for shingles but no terms of their own.
    let mut number_end = 0;
    for_each_word(text, |span, w| {
        if span.start < number_end {
            words.push(hash_word(w));
            last_end = span.end;
            return;
        }
        // A sentence starts after . ! ?, a full stop of another script or a line break between
        // the previous word and this one.
        let between = &bytes[last_end..span.start];
        if ends_sentence(&text[last_end..span.start], false) {
            sentence_start = true;
        }
        if between.contains(&b'\n') {
            end_line(&mut line, &mut line_words);
        }
        last_end = span.end;
        let hash = hash_word(w);
        // A capitalised word, but not a common word of a language that capitalises every noun.
        let capital = bytes[span.start].is_ascii_uppercase()
            && !lexicon.is_some_and(|l| l.is_common_capitalised(hash));
        let is_name = capital && !sentence_start;
        words.push(hash);
        let content = is_content(w, hash);
        if let Some(first) = opener.take() {
            if is_name && content && between.iter().all(|&b| b == b' ') {
                *counts.entry(first).or_default() += config.name_boost - 1.0;
                names.push(first);
                line.terms.push((first, config.name_boost - 1.0));
            }
        }
        let number = whole_number(bytes, span.start, span.end);
        if number > span.end {
            number_end = number;
        }
        if content || number > span.end {
            let t = if number > span.end {
                Term::from_raw(hash_word(&text[span.start..number]))
            } else {
                term_of(w, hash)
            };
            let weight = if is_name {
                names.push(t);
                config.name_boost
            } else if w.bytes().any(|b| b.is_ascii_digit()) {
                names.push(t);
                config.number_boost
            } else {
                1.0
            };
            *counts.entry(t).or_default() += weight;
            if lead.len() < LEAD_TERMS && !lead.contains(&t) {
                lead.push(t);
            }
            line.terms.push((t, weight));
            line.hash = crate::article::mix64(line.hash ^ t.raw());
            line_words += 1;
            if capital && sentence_start {
                opener = Some(t);
            }
        }
        sentence_start = false;
    });
    end_line(&mut line, &mut line_words);
    if lines.len() < 2 {
        lines.clear();
    }
    let mut terms: Vec<(Term, f32)> = counts.into_iter().collect();
    terms.sort_unstable_by_key(|&(t, _)| t);
    names.sort_unstable();
    names.dedup();
    lead.sort_unstable();
    let background: Vec<f32> = terms
        .iter()
        .map(|&(t, _)| background_share(t, lexicon))
        .collect();
    // The title's words, rare ones kept: their shares were just looked up with the others.
    title_names.sort_unstable();
    title_names.dedup();
    title_names.retain(|t| {
        let i = terms
            .binary_search_by_key(t, |&(t, _)| t)
            .expect("a title word is a term");
        background[i] < config.title_name_share
    });
    let counts = TermCounts {
        terms,
        lines,
        names,
        background,
        lead,
        language: None,
        title_names,
    };
    (counts, words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lead_is_the_first_distinct_terms_title_first() {
        let config = ClusterConfig::default();
        let body: Vec<String> = (0..40).map(|i| format!("word{i}x")).collect();
        let text = format!("Quake quake hits Marlow. {}", body.join(" "));
        let c = term_counts(Some("Marlow bridge falls"), &text, &config);
        let mut expected: Vec<Term> = ["marlow", "bridge", "falls", "quake", "hits"]
            .into_iter()
            .chain(body.iter().map(String::as_str))
            .map(term)
            .take(LEAD_TERMS)
            .collect();
        expected.sort_unstable();
        assert_eq!(c.lead, expected);
        // Every lead term is a term of the article.
        assert!(c
            .lead
            .iter()
            .all(|t| c.terms.binary_search_by_key(t, |&(t, _)| t).is_ok()));
        assert_eq!(c.background.len(), c.terms.len());
    }

    #[test]
    fn a_urls_slug_is_its_segment_of_most_words() {
        assert_eq!(
            url_slug("http://www.thehindu.com/news/national/navy-foils-somali-pirate-attack-off-gulf-of-aden/article2618961.ece").as_deref(),
            Some("navy foils somali pirate attack off gulf of aden")
        );
        assert_eq!(
            url_slug("https://example.com/a/b-c/?q=one-two-three-four#x-y-z-w"),
            None
        );
        assert_eq!(url_slug("no slug here"), None);
    }

    #[test]
    fn url_slug_words_join_the_terms_and_nothing_else() {
        let config = ClusterConfig::default();
        let text = "The Federal Reserve official said weak data was caused by weather.";
        let before = term_counts(None, text, &config);
        let mut after = before.clone();
        add_url_words(
            &mut after,
            "http://www.latimes.com/business/money/la-fi-mo-federal-reserve-plosser-stimulus-economy-20140310,0,1312750.story?track=rss",
            &config,
            None,
        );
        let weight = |c: &TermCounts, w: &str| {
            c.terms
                .binary_search_by_key(&term(w), |&(t, _)| t)
                .map_or(0.0, |i| c.terms[i].1)
        };
        // New words at the url weight; words of the text gain it; url furniture, numbers and
        // two-letter words stay out.
        assert_eq!(weight(&after, "plosser"), config.url_weight);
        assert_eq!(weight(&after, "stimulus"), config.url_weight);
        assert_eq!(
            weight(&after, "reserve"),
            weight(&before, "reserve") + config.url_weight
        );
        for absent in ["story", "track", "la", "fi", "business"] {
            assert_eq!(weight(&after, absent), 0.0, "{absent}");
        }
        assert!(after.terms.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(after.background.len(), after.terms.len());
        assert_eq!(
            (&after.names, &after.lead, &after.lines),
            (&before.names, &before.lead, &before.lines)
        );
        let off = ClusterConfig {
            url_weight: 0.0,
            ..config
        };
        let mut unchanged = before.clone();
        add_url_words(
            &mut unchanged,
            "http://x.com/a-b-plosser-stimulus",
            &off,
            None,
        );
        assert_eq!(unchanged, before);
    }

    #[test]
    fn a_titles_rare_words_are_its_names_in_capitals_or_not() {
        let config = ClusterConfig::default();
        let c = term_counts(
            Some("NUCOR CORP <NUE> RAISES QUARTERLY 1987"),
            "Qtly div nine cts vs eight cts prior.",
            &config,
        );
        let mut expected = vec![term("nucor"), term("nue")];
        expected.sort_unstable();
        assert_eq!(c.title_names, expected);
        let c = term_counts(Some("Jackman to host the Oscars"), "", &config);
        assert_eq!(c.title_names, vec![term("jackman")]);
        let off = ClusterConfig {
            title_name_share: 0.0,
            ..config
        };
        assert!(term_counts(Some("Jackman to host"), "", &off)
            .title_names
            .is_empty());
    }
}
