//! English function words: they carry no evidence of what a story is about.

/// Sorted, lower case.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "even",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "last",
    "like",
    "made",
    "make",
    "many",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "new",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "people",
    "said",
    "same",
    "say",
    "says",
    "she",
    "should",
    "since",
    "so",
    "some",
    "still",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "time",
    "to",
    "told",
    "too",
    "two",
    "under",
    "until",
    "up",
    "us",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "year",
    "years",
    "yet",
    "you",
    "your",
    "yours",
];

static HASHES: std::sync::LazyLock<rustc_hash::FxHashSet<u64>> = std::sync::LazyLock::new(|| {
    STOPWORDS
        .iter()
        .map(|w| crate::text::hash_word(w))
        .collect()
});

/// Whether `word` (lower case) is a function word: a length check that rejects most content
/// words at once, then [`is_stopword_hash`].
#[inline]
pub fn is_stopword(word: &str) -> bool {
    word.len() <= 10 && is_stopword_hash(crate::text::hash_word(word))
}

/// [`is_stopword`] for a word whose [`crate::text::hash_word`] is at hand. On the hot path of
/// every article: one look-up, no string hashing.
#[inline]
pub fn is_stopword_hash(hash: u64) -> bool {
    HASHES.contains(&hash)
}

#[cfg(test)]
mod tests {
    #[test]
    fn list_is_sorted_and_short() {
        assert!(super::STOPWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(super::STOPWORDS.iter().all(|w| w.len() <= 10));
        assert!(super::is_stopword("the") && !super::is_stopword("putin"));
        let hash = crate::text::hash_word;
        assert!(super::is_stopword_hash(hash("the")) && !super::is_stopword_hash(hash("putin")));
    }
}
