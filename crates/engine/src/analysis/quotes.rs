//! Quotes: what is inside quotation marks, and who said it.
//!
//! # Finding quotes
//! Quote marks are read paragraph by paragraph (a paragraph is a line). Curly marks, guillemets
//! and the corner brackets of Chinese and Japanese (`「…」`, `『…』`) say which way they face; a straight `"` faces the way its neighbours say (space before it: opening; a letter
//! or punctuation before it and a space after: closing). Double quotes nest by depth, so
//! `"he said "no" to me"` is one quote. Single quotes (`‘…’`, `'…'`) count only outside double
//! quotes and only when clearly quotes: the opening mark stands after a space or the start of a line
//! and before a letter, so apostrophes ("Biden’s", "don't") never open one.
//!
//! A quote still open at the end of its paragraph continues into the next paragraph when that one
//! opens with a quote mark (the newspaper convention for quotes over several paragraphs); otherwise
//! it stops at the end of its paragraph, so one missing mark never swallows the rest of the text.
//!
//! # Finding speakers
//! Around each quote, within its sentence, we look for a speech verb: after the quote first
//! (`," the official said`, `," said Mr. Steele`, `," a senior US official told reporters`,
//! `, according to X`), then before it (`Mr. Steele said, "…"`, `Biden: "…"`). The speaker is the
//! noun phrase next to the verb, walked word by word up to a determiner, a preposition or a comma.
//! Then it is normalised, so that one person has one name within a text:
//! - titles go ("Mr.", "Sen.", "President") and a lone surname becomes the fuller name the text
//!   introduced earlier ("Steele" → "Michael Steele");
//! - a bare description ("the official") becomes the fuller description used before it ("a senior
//!   US official" → "senior US official");
//! - "he", "she", "they" become the last named speaker;
//! - a participle speech verb in a later clause (`Governor Lena Ortiz defended the plan, saying
//!   "…"`) gives the name or pronoun opening the sentence, else the previous quote's speaker;
//! - a quote with no speech verb of its own inherits the speaker of the quote before it in the same
//!   paragraph when it opens a sentence (`… the official said. "So, as always, …"`) or when its verb
//!   has no subject (`… adding that "…"`), and a paragraph that is only a quote inherits from the
//!   previous paragraph's last quote.

use super::sentences::ABBREVIATIONS;
use crate::article::Span;
use crate::text::for_each_word;
use crate::text::sentence_ends::ends_sentence;
use serde::{Deserialize, Serialize};

/// Who said a quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Speaker {
    /// Normalised name or description, without titles or leading articles ("Michael Steele",
    /// "senior US official").
    pub name: String,
    /// Where the attribution stands in the text (the words "Mr. Steele", "he", "the official").
    pub span: Option<Span>,
}

/// One quote of a text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// The quoted words without the quote marks (for a quote over several paragraphs, from its
    /// first word to its last, marks in between included).
    pub span: Span,
    /// The quoted words; for a quote over several paragraphs the pieces joined by a space.
    pub text: String,
    /// Who the text says spoke, when it says.
    pub speaker: Option<Speaker>,
}

// ---------------------------------------------------------------------------------------------
// Tokens with what the attribution rules need: case, and clause and sentence numbers.

/// The clause marks of scripts other than Latin: fullwidth and ideographic commas, semicolons,
/// colons and brackets, corner quotes, the Arabic comma and semicolon.
const CLAUSE_MARKS: [char; 12] = [
    '\u{FF0C}', // ，
    '\u{3001}', // 、
    '\u{FF1B}', // ；
    '\u{FF1A}', // ：
    '\u{FF08}', // （
    '\u{FF09}', // ）
    '\u{300C}', // 「
    '\u{300D}', // 」
    '\u{300E}', // 『
    '\u{300F}', // 』
    '\u{060C}', // ، Arabic comma
    '\u{061B}', // ؛ Arabic semicolon
];

#[derive(Clone, Debug)]
struct Tok {
    span: Span,
    lower: String,
    cap: bool,
    /// Clause number: grows at commas, semicolons, colons, dashes, brackets, quote marks and
    /// sentence ends.
    seg: u32,
    /// Sentence number: grows at sentence ends and line breaks.
    sent: u32,
}

fn tokens(text: &str) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::new();
    let (mut seg, mut sent) = (0u32, 0u32);
    let mut prev_end = 0;
    for_each_word(text, |span, w| {
        let gap = &text[prev_end..span.start];
        let prev_abbrev = out.last().is_some_and(|t: &Tok| {
            t.lower.chars().count() == 1 || ABBREVIATIONS.contains(&t.lower.as_str())
        });
        let ends = ends_sentence(gap, prev_abbrev);
        if ends {
            sent += 1;
        }
        if ends
            || gap.contains([
                ',', ';', ':', '(', ')', '\u{2014}', '\u{2013}', '"', '\u{201C}', '\u{201D}',
            ])
            || (!gap.is_ascii() && gap.contains(CLAUSE_MARKS))
            || gap.contains(" - ")
        {
            seg += 1;
        }
        out.push(Tok {
            span,
            lower: w.to_owned(),
            cap: text[span.start..]
                .chars()
                .next()
                .is_some_and(char::is_uppercase),
            seg,
            sent,
        });
        prev_end = span.end;
    });
    out
}

const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "asked",
    "asks",
    "stated",
    "noted",
    "explained",
    "explains",
    "wrote",
    "writes",
    "argued",
    "argues",
    "declared",
    "insisted",
    "insists",
    "warned",
    "warns",
    "continued",
    "recalled",
    "stressed",
    "acknowledged",
    "replied",
    "announced",
    "claimed",
    "remarked",
    "commented",
    "observed",
    "urged",
    "cautioned",
    "suggested",
    "conceded",
    "complained",
    "tweeted",
    "testified",
    "predicted",
    "admitted",
    "vowed",
    "promised",
    "countered",
    "responded",
    "joked",
    "quipped",
    "emphasized",
    "emphasised",
    "recounted",
    "added",
    "adding",
    "saying",
    "telling",
    "noting",
    "writing",
    "asking",
    "declaring",
    "warning",
];

/// Verbs that may come before their subject (`," said Mr. Steele`). "told" may not: what follows
/// it is whom they told.
const INVERTIBLE: &[&str] = &[
    "said",
    "says",
    "added",
    "adds",
    "asked",
    "asks",
    "wrote",
    "writes",
    "continued",
    "explained",
    "noted",
    "recalled",
    "replied",
    "recounted",
    "stated",
    "declared",
    "insisted",
    "argued",
    "observed",
    "remarked",
    "countered",
    "responded",
    "joked",
    "quipped",
];

const DETERMINERS: &[&str] = &[
    "the", "a", "an", "another", "his", "her", "their", "its", "our", "this", "one", "two",
    "three", "several", "some", "many",
];

const PRONOUNS: &[&str] = &["he", "she", "they", "we", "i"];

/// Words a noun phrase does not walk over.
const STOPS: &[&str] = &[
    "on",
    "in",
    "at",
    "by",
    "for",
    "with",
    "from",
    "to",
    "into",
    "about",
    "after",
    "before",
    "during",
    "while",
    "when",
    "where",
    "who",
    "whom",
    "which",
    "that",
    "and",
    "but",
    "or",
    "as",
    "than",
    "if",
    "because",
    "since",
    "was",
    "is",
    "are",
    "were",
    "be",
    "been",
    "has",
    "have",
    "had",
    "will",
    "would",
    "could",
    "should",
    "may",
    "might",
    "not",
    "it",
    "of",
    "there",
    "so",
    "also",
    "then",
    "later",
    "again",
    "told",
    "said",
    "says",
    "reporters",
    "yesterday",
    "today",
    "last",
    "next",
    "speaking",
    "according",
    "just",
    "recently",
    "once",
    "still",
    "even",
    "further",
    "once",
    "s",
];

/// Words allowed between a subject and its verb ("the official also said").
const ADVERBS: &[&str] = &[
    "also",
    "later",
    "then",
    "again",
    "previously",
    "once",
    "further",
    "recently",
    "earlier",
    "repeatedly",
    "has",
    "had",
    "have",
    "was",
    "later",
    "simply",
    "only",
    "flatly",
    "quickly",
];

/// Words that may stand before a quote that opens its sentence.
const OPENERS: &[&str] = &["but", "and", "still", "yet", "however", "so", "now", "also"];

const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sen",
    "senator",
    "rep",
    "representative",
    "gov",
    "governor",
    "president",
    "secretary",
    "gen",
    "general",
    "prof",
    "professor",
    "judge",
    "justice",
    "pope",
    "chairman",
    "chairwoman",
    "minister",
    "mayor",
    "speaker",
    "leader",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "sheriff",
    "lt",
    "col",
    "sgt",
    "capt",
    "adm",
    "rev",
    "whip",
    "ambassador",
    "commissioner",
    "chancellor",
    "coach",
    "director",
    "superintendent",
    "congressman",
    "congresswoman",
    "councilman",
    "councilwoman",
    "detective",
    "inspector",
];

/// Whether a word ends a speaker's noun phrase: [`STOPS`] and the weekdays.
fn is_stop(word: &str) -> bool {
    is(word, STOPS) || crate::text::WEEKDAYS.contains(&word)
}

fn is(word: &str, list: &[&str]) -> bool {
    list.contains(&word)
}

/// The noun phrase ending just before token `end`, not reaching below token `lo`.
fn np_before(toks: &[Tok], lo: usize, end: usize) -> Option<(usize, usize)> {
    if end == 0 || end <= lo {
        return None;
    }
    let seg = toks[end - 1].seg;
    let mut s = end;
    while s > lo && toks[s - 1].seg == seg && end - s < 8 {
        let t = &toks[s - 1];
        if is(&t.lower, PRONOUNS) {
            if s == end {
                s -= 1;
            }
            break;
        }
        if is(&t.lower, DETERMINERS) {
            s -= 1;
            break;
        }
        if t.lower == "s" && s >= 2 && t.span.start > toks[s - 2].span.end {
            s -= 1; // a possessive: "the senior Biden administration's official"
            continue;
        }
        if t.lower == "of" && s < end && toks[s].cap && s >= 2 && toks[s - 2].cap {
            s -= 1; // "Secretary of State John Kerry"
            continue;
        }
        if is_stop(&t.lower) || is_adverb(t) || t.lower.chars().all(|c| c.is_ascii_digit()) {
            break;
        }
        s -= 1;
    }
    (s < end).then_some((s, end))
}

/// The noun phrase starting at token `start`, not reaching token `hi`.
fn np_after(toks: &[Tok], start: usize, hi: usize) -> Option<(usize, usize)> {
    if start >= hi {
        return None;
    }
    let seg = toks[start].seg;
    let mut e = start;
    while e < hi && toks[e].seg == seg && e - start < 8 {
        let t = &toks[e];
        if e == start && (is(&t.lower, DETERMINERS) || is(&t.lower, PRONOUNS)) {
            e += 1;
            if is(&t.lower, PRONOUNS) {
                break;
            }
            continue;
        }
        if t.lower == "s" && e > start && t.span.start > toks[e - 1].span.end {
            e += 1;
            continue;
        }
        if is_stop(&t.lower) || is_adverb(t) {
            break;
        }
        e += 1;
    }
    // A phrase of determiners only is no speaker.
    (toks[start..e].iter().any(|t| !is(&t.lower, DETERMINERS))).then_some((start, e))
}

/// A lower-case "-ly" word ("reportedly", "recently"): never part of a speaker's name.
fn is_adverb(t: &Tok) -> bool {
    const NOUNS: &[&str] = &[
        "family", "assembly", "ally", "rally", "daily", "supply", "monopoly",
    ];
    !t.cap && t.lower.len() > 4 && t.lower.ends_with("ly") && !is(&t.lower, NOUNS)
}

/// Whether a clause looks like a speaker: starts with a determiner, a pronoun or a capital.
fn looks_like_speaker(toks: &[Tok], r: (usize, usize)) -> bool {
    let t = &toks[r.0];
    r.1 - r.0 <= 8 && (is(&t.lower, DETERMINERS) || is(&t.lower, PRONOUNS) || t.cap)
}

/// How the words of a quote's surroundings name its speaker.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Attribution {
    /// Tokens `(start, end)` name the speaker.
    Phrase(usize, usize),
    /// A speech verb without a subject ("adding that"): same speaker as before.
    Inherit,
    None,
}

/// What token `v` says about attribution, read as a possible speech verb.
enum VerbRead {
    /// Not a speech verb (or inside a quote).
    NotVerb,
    /// The answer: "according to X", "adding that …", or "X said" with X in the verb's clause.
    Found(Attribution),
    /// A speech verb with no speaker right before it in its clause; `end` is where the verb
    /// starts, adverbs included.
    Open(usize),
}

fn read_verb(toks: &[Tok], inside: &[bool], lo: usize, hi: usize, v: usize) -> VerbRead {
    let w = toks[v].lower.as_str();
    if w == "according" && !inside[v] && v + 1 < hi && toks[v + 1].lower == "to" {
        return VerbRead::Found(
            np_after(toks, v + 2, hi).map_or(Attribution::None, |(s, e)| Attribution::Phrase(s, e)),
        );
    }
    if !is(w, SPEECH_VERBS) || inside[v] {
        return VerbRead::NotVerb;
    }
    if w.ends_with("ing") {
        return VerbRead::Found(
            sentence_subject(toks, lo, v)
                .map_or(Attribution::Inherit, |(s, e)| Attribution::Phrase(s, e)),
        );
    }
    let mut end = v;
    while end > lo && toks[end - 1].seg == toks[v].seg && is(&toks[end - 1].lower, ADVERBS) {
        end -= 1;
    }
    if let Some(r) = np_before(toks, lo, end) {
        if looks_like_speaker(toks, r) && toks[r.0].seg == toks[v].seg {
            return VerbRead::Found(Attribution::Phrase(r.0, r.1));
        }
    }
    VerbRead::Open(end)
}

/// The subject opening the sentence of a participle speech verb in a later clause: "Lena Ortiz"
/// in `Governor Lena Ortiz defended the plan on Tuesday, saying "…"`. Only a pronoun or a run of
/// capitalised words that is a name: one common English word ("Yesterday", "After") opening a
/// sentence is no subject.
fn sentence_subject(toks: &[Tok], lo: usize, v: usize) -> Option<(usize, usize)> {
    if lo >= v || toks[lo].seg == toks[v].seg {
        return None;
    }
    let first = &toks[lo];
    if is(&first.lower, PRONOUNS) {
        return Some((lo, lo + 1));
    }
    if !first.cap || is(&first.lower, OPENERS) || is_stop(&first.lower) {
        return None;
    }
    let mut e = lo;
    while e < v && e - lo < 6 && toks[e].cap && toks[e].seg == first.seg {
        e += 1;
    }
    let name = e - lo >= 2
        || crate::stories::background_df(crate::stories::term(&first.lower)) < COMMON_WORD_SHARE;
    name.then_some((lo, e))
}

/// A word held by at least this share of English news articles is a common word
/// ([`crate::stories::background_df`]).
const COMMON_WORD_SHARE: f32 = 0.01;

/// The name a description is given right after it, as an appositive: "Eric Schultz" in `," said a
/// White House spokesman, Eric Schultz.` The name is the whole next clause, in capitals; without
/// it the description stays, and a later "he said" is not given to someone named earlier.
fn appositive_name(toks: &[Tok], (s, e): (usize, usize), hi: usize) -> Option<(usize, usize)> {
    if toks[e - 1].cap || e >= hi || toks[e].seg == toks[e - 1].seg {
        return None;
    }
    let seg = toks[e].seg;
    let mut b = e;
    while b < hi && toks[b].seg == seg {
        if !toks[b].cap || is_stop(&toks[b].lower) {
            return None;
        }
        b += 1;
    }
    let named = toks[e..b].iter().any(|t| !is(&t.lower, TITLES));
    (named && b - e <= 4 && s < e).then_some((e, b))
}

/// Attribution in tokens `lo..hi` after a quote: the first speech verb.
fn after_attribution(toks: &[Tok], inside: &[bool], lo: usize, hi: usize) -> Attribution {
    for v in lo..hi {
        let end = match read_verb(toks, inside, lo, hi, v) {
            VerbRead::NotVerb => continue,
            VerbRead::Found(a) => return a,
            VerbRead::Open(end) => end,
        };
        if end == lo || toks[end - 1].seg != toks[v].seg {
            // Nothing before the verb in its clause: an earlier clause may be the subject
            // ("the official, speaking on condition of anonymity, told reporters") or the
            // subject follows ("said Mr. Steele").
            if is(&toks[v].lower, INVERTIBLE) {
                if let Some(r) = np_after(toks, v + 1, hi) {
                    let (s, e) = appositive_name(toks, r, hi).unwrap_or(r);
                    return Attribution::Phrase(s, e);
                }
            }
            let mut k = end;
            while k > lo {
                let seg = toks[k - 1].seg;
                let mut s = k;
                while s > lo && toks[s - 1].seg == seg {
                    s -= 1;
                }
                if looks_like_speaker(toks, (s, k)) {
                    if let Some(r) = np_before(toks, s, k) {
                        return Attribution::Phrase(r.0, r.1);
                    }
                }
                k = s;
            }
        }
        return Attribution::None;
    }
    Attribution::None
}

/// Attribution in tokens `lo..hi` before a quote: the last speech verb, or `Name:`.
fn before_attribution(
    toks: &[Tok],
    inside: &[bool],
    text: &str,
    lo: usize,
    hi: usize,
    open: usize,
) -> Attribution {
    for v in (lo..hi).rev() {
        match read_verb(toks, inside, lo, hi, v) {
            VerbRead::NotVerb => continue,
            VerbRead::Found(a) => return a,
            VerbRead::Open(_) => {}
        }
        if is(&toks[v].lower, INVERTIBLE) {
            if let Some((s, e)) = np_after(toks, v + 1, hi) {
                if looks_like_speaker(toks, (s, e)) {
                    return Attribution::Phrase(s, e);
                }
            }
        }
        return Attribution::Inherit;
    }
    // "Biden: "…"" in headlines and transcripts.
    if hi > lo && text[toks[hi - 1].span.end..open].trim() == ":" {
        if let Some((s, e)) = colon_speaker(text, toks, lo, hi) {
            return Attribution::Phrase(s, e);
        }
    }
    Attribution::None
}

/// Prepositions that put a place, an audience or a topic before a headline's colon ("Snowden at
/// SXSW:", "Snowden to tech leaders:", "Pichai on wearables:").
const PLACE_PREPOSITIONS: &[&str] = &["at", "in", "to", "on", "from", "before", "about"];

/// The speaker of `Name: "…"` in tokens `lo..hi` (the colon right after them): the capitalised
/// phrase before the colon, unless it is a place, an audience or a topic (a preposition stands
/// before it) or a lone acronym ("SXSW"); then the capitalised words that open the clause, its
/// subject ("Edward Snowden" in "Edward Snowden discusses NSA leaks at SXSW:").
fn colon_speaker(text: &str, toks: &[Tok], lo: usize, hi: usize) -> Option<(usize, usize)> {
    let at_sign = |k: usize| k > 0 && text[toks[k - 1].span.end..toks[k].span.start].contains('@');
    let (mut s, e) = np_before(toks, lo, hi)?;
    if !toks[e - 1].cap {
        return None;
    }
    if let Some(k) = (s + 1..e).rev().find(|&k| at_sign(k)) {
        s = k; // "Edward Snowden @ SXSW": the place is what follows the sign
    }
    let placed = s > lo && (is(&toks[s - 1].lower, PLACE_PREPOSITIONS) || at_sign(s));
    let acronym = |k: usize| {
        let w = raw(text, &toks[k]);
        w.chars().count() > 1 && !w.chars().any(char::is_lowercase)
    };
    let lone_acronym = e - s == 1 && acronym(s);
    if !placed && !lone_acronym {
        return Some((s, e));
    }
    let mut b = lo;
    while b < s {
        let t = &toks[b];
        let possessive = t.lower == "s" && b > lo && t.span.start > toks[b - 1].span.end;
        if !(t.cap || possessive) || is_stop(&t.lower) || (b > lo && at_sign(b)) {
            break;
        }
        b += 1;
    }
    (b > lo && !(b - lo == 1 && acronym(lo))).then_some((lo, b))
}

// ---------------------------------------------------------------------------------------------
// Quote marks.

#[derive(Clone, Copy, Debug, PartialEq)]
enum Face {
    Open,
    Close,
    Either,
}

#[derive(Clone, Copy, Debug)]
struct Mark {
    at: usize,
    len: usize,
    face: Face,
}

fn is_space(c: Option<char>) -> bool {
    c.is_none_or(char::is_whitespace)
}

fn opens_after(c: Option<char>) -> bool {
    is_space(c) || matches!(c, Some('(' | '[' | '-' | '\u{2014}' | '\u{2013}' | '/'))
}

/// Double quote marks of one paragraph.
fn double_marks(para: &str, base: usize) -> Vec<Mark> {
    let mut out = Vec::new();
    let mut prev: Option<char> = None;
    let mut it = para.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let next = it.peek().map(|&(_, c)| c);
        let face = match c {
            '\u{201C}' | '\u{201E}' | '\u{00AB}' | '\u{300C}' | '\u{300E}' => Some(Face::Open),
            '\u{201D}' | '\u{00BB}' | '\u{300D}' | '\u{300F}' => Some(Face::Close),
            '"' | '\u{201F}' => Some(if opens_after(prev) && !is_space(next) {
                Face::Open
            } else if !is_space(prev)
                && (is_space(next) || !next.is_some_and(char::is_alphanumeric))
            {
                Face::Close
            } else {
                Face::Either
            }),
            _ => None,
        };
        if let Some(face) = face {
            out.push(Mark {
                at: base + i,
                len: c.len_utf8(),
                face,
            });
        }
        prev = Some(c);
    }
    out
}

/// Single quote marks of one paragraph, paired: `(open, close)` marks.
fn single_pairs(para: &str, base: usize) -> Vec<(Mark, Mark)> {
    let chars: Vec<(usize, char)> = para.char_indices().collect();
    let mut out = Vec::new();
    let mut open: Option<Mark> = None;
    for (k, &(i, c)) in chars.iter().enumerate() {
        if c != '\'' && c != '\u{2018}' && c != '\u{2019}' {
            continue;
        }
        let prev = k.checked_sub(1).map(|k| chars[k].1);
        let next = chars.get(k + 1).map(|&(_, c)| c);
        let mark = Mark {
            at: base + i,
            len: c.len_utf8(),
            face: Face::Either,
        };
        match open {
            None if c != '\u{2019}'
                && opens_after(prev)
                && next.is_some_and(char::is_alphabetic) =>
            {
                open = Some(mark);
            }
            Some(o)
                if c != '\u{2018}'
                    && prev.is_some_and(|p| !p.is_whitespace())
                    && !next.is_some_and(char::is_alphanumeric) =>
            {
                out.push((o, mark));
                open = None;
            }
            _ => {}
        }
    }
    out
}

/// A quote before attribution: its pieces (one per paragraph) and the marks around it.
#[derive(Clone, Debug)]
struct Found {
    pieces: Vec<Span>,
    /// Byte offset of the opening mark and the end of the closing mark (or of the paragraph).
    open: usize,
    close_end: usize,
    closed: bool,
    para: usize,
}

fn trim_span(text: &str, s: Span) -> Span {
    let piece = s.slice(text);
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    Span::new(s.start + lead, (s.end - trail).max(s.start + lead))
}

fn paragraphs(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '\n' {
            out.push(Span::new(start, i));
            start = i + 1;
        }
    }
    out.push(Span::new(start, text.len()));
    out.retain(|p| !p.slice(text).trim().is_empty());
    out
}

fn find_quotes(text: &str) -> Vec<Found> {
    let paras = paragraphs(text);
    let mut out: Vec<Found> = Vec::new();
    // A quote left open at the end of the previous paragraph.
    let mut carry: Option<Found> = None;
    for (pi, &p) in paras.iter().enumerate() {
        let marks = double_marks(p.slice(text), p.start);
        let mut depth = 0usize;
        let mut cur: Option<Found> = None;
        let mut start_at = 0;
        let mut first = true;
        for m in marks {
            let leading = first && text[p.start..m.at].trim().is_empty();
            first = false;
            if let Some(mut c) = carry.take() {
                if leading && m.face != Face::Close {
                    // The quote goes on in this paragraph.
                    start_at = m.at + m.len;
                    c.para = pi;
                    cur = Some(c);
                    depth = 1;
                    continue;
                }
                out.push(c);
            }
            match (m.face, depth) {
                (Face::Open | Face::Either, 0) => {
                    depth = 1;
                    start_at = m.at + m.len;
                    cur = Some(Found {
                        pieces: Vec::new(),
                        open: m.at,
                        close_end: 0,
                        closed: false,
                        para: pi,
                    });
                }
                (Face::Open, _) => depth += 1,
                (Face::Close | Face::Either, 1) => {
                    depth = 0;
                    let mut c = cur.take().expect("open quote");
                    c.pieces.push(Span::new(start_at, m.at));
                    c.close_end = m.at + m.len;
                    c.closed = true;
                    out.push(c);
                }
                (Face::Close, 0) => {} // a stray closing mark
                (Face::Close | Face::Either, _) => depth -= 1,
            }
        }
        if let Some(c) = carry.take() {
            out.push(c); // the next paragraph did not reopen it
        }
        if let Some(mut c) = cur.take() {
            c.pieces.push(Span::new(start_at, p.end));
            c.close_end = p.end;
            if pi + 1 < paras.len() {
                carry = Some(c);
            } else {
                out.push(c);
            }
        }
        // Single quotes outside double quotes.
        for (o, cl) in single_pairs(p.slice(text), p.start) {
            let inside = out
                .iter()
                .chain(carry.iter())
                .any(|f| f.open <= o.at && o.at < f.close_end);
            if !inside {
                out.push(Found {
                    pieces: vec![Span::new(o.at + o.len, cl.at)],
                    open: o.at,
                    close_end: cl.at + cl.len,
                    closed: true,
                    para: pi,
                });
            }
        }
    }
    out.extend(carry);
    for f in &mut out {
        for s in &mut f.pieces {
            *s = trim_span(text, *s);
        }
        f.pieces
            .retain(|s| s.slice(text).chars().any(char::is_alphanumeric));
    }
    out.retain(|f| !f.pieces.is_empty());
    out.sort_by_key(|f| f.open);
    out
}

// ---------------------------------------------------------------------------------------------
// Speaker names.

fn raw<'a>(text: &'a str, t: &Tok) -> &'a str {
    t.span.slice(text)
}

/// The fuller name a lone surname stands for: the first place in the text where one or two
/// capitalised words (not titles, not an all-capital dateline) stand right before it.
fn full_name(text: &str, toks: &[Tok], surname: &str) -> Option<String> {
    for (k, t) in toks.iter().enumerate() {
        if raw(text, t) != surname {
            continue;
        }
        let mut s = k;
        while s > 0 && k - s < 2 {
            let p = &toks[s - 1];
            let glued = text[p.span.end..toks[s].span.start].trim().is_empty();
            let word = raw(text, p);
            let all_caps = word.len() > 1 && !word.chars().any(char::is_lowercase);
            if !glued || !p.cap || all_caps || is(&p.lower, TITLES) || p.seg != t.seg {
                break;
            }
            s -= 1;
        }
        if s < k {
            return Some(text[toks[s].span.start..t.span.end].to_owned());
        }
    }
    None
}

/// A description made fuller by its earlier use: "the official" → "senior US official".
fn fuller_description(text: &str, toks: &[Tok], head: &str, before: usize) -> Option<String> {
    for k in (0..before).rev() {
        if toks[k].lower != head {
            continue;
        }
        if let Some((s, e)) = np_before(toks, 0, k + 1) {
            let s = if is(&toks[s].lower, DETERMINERS) {
                s + 1
            } else {
                s
            };
            if e - s >= 2 {
                return Some(text[toks[s].span.start..toks[e - 1].span.end].to_owned());
            }
        }
    }
    None
}

/// Names the speaker from tokens `s..e`; `None` when it is a pronoun with no one to stand for.
fn name_speaker(
    text: &str,
    toks: &[Tok],
    (s, e): (usize, usize),
    last_named: Option<&str>,
) -> Option<(String, bool)> {
    let first = toks[s].lower.as_str();
    if e - s == 1 && is(first, PRONOUNS) {
        return last_named.map(|n| (n.to_owned(), true));
    }
    let determined = is(first, DETERMINERS);
    let s = if determined { s + 1 } else { s };
    if s >= e {
        return None;
    }
    // A name: the trailing run of capitalised words, titles dropped ("Mr. Steele", "White House
    // spokesman Jay Carney"); "the White House" stays a description.
    let mut b = e;
    while b > s && toks[b - 1].cap && !is(&toks[b - 1].lower, TITLES) {
        b -= 1;
    }
    if b < e && (!determined || b > s) {
        let name = text[toks[b].span.start..toks[e - 1].span.end].to_owned();
        if e - b == 1 {
            if let Some(full) = full_name(text, toks, &name) {
                return Some((crate::text::fold(&full), true));
            }
        }
        return Some((crate::text::fold(&name), true));
    }
    if e - s == 1 {
        if let Some(d) = fuller_description(text, toks, &toks[s].lower, s) {
            return Some((crate::text::fold(&d), false));
        }
    }
    Some((
        crate::text::fold(&text[toks[s].span.start..toks[e - 1].span.end]),
        false,
    ))
}

/// The quotes of `text`, in order, with their speakers where the text says who they are.
pub fn extract_quotes(text: &str) -> Vec<Quote> {
    let found = find_quotes(text);
    let toks = tokens(text);
    let first_tok_at = |pos: usize| toks.partition_point(|t| t.span.start < pos);
    // Which tokens stand inside a quote: those are never speech verbs of another quote.
    let mut inside = vec![false; toks.len()];
    for f in &found {
        for p in &f.pieces {
            let (a, b) = (first_tok_at(p.start), first_tok_at(p.end));
            inside[a..b].iter_mut().for_each(|x| *x = true);
        }
    }
    let mut out: Vec<Quote> = Vec::with_capacity(found.len());
    let mut last_named: Option<String> = None;
    let mut prev: Option<(usize, Option<Speaker>, usize)> = None; // (para, speaker, close_end)
    for f in &found {
        // Before: the sentence up to the opening mark, after the previous quote.
        let hi = first_tok_at(f.open);
        let para_start = paragraphs_start(text, f.open);
        let mut floor = first_tok_at(para_start);
        if let Some((pp, _, ce)) = &prev {
            if *pp == f.para || text.get(*ce..f.open).is_some_and(|g| !g.contains('\n')) {
                floor = floor.max(first_tok_at(*ce));
            }
        }
        let mut lo = hi;
        let gap_ends = hi > 0 && {
            let g = &text[toks[hi - 1].span.end..f.open];
            let abbreviation = toks[hi - 1].lower.chars().count() == 1
                || ABBREVIATIONS.contains(&toks[hi - 1].lower.as_str());
            ends_sentence(g, abbreviation)
        };
        if !gap_ends {
            while lo > floor && toks[lo - 1].sent == toks[hi - 1].sent {
                lo -= 1;
            }
        }
        // After: the rest of the sentence after the closing mark, up to the next quote.
        let a_lo = first_tok_at(f.close_end);
        let mut a_hi = a_lo;
        if f.closed && a_lo < toks.len() && a_lo > 0 {
            let last_inside = &toks[a_lo - 1];
            let first_after = &toks[a_lo];
            let new_sentence = first_after.sent != last_inside.sent
                && (first_after.cap || text[f.close_end..first_after.span.start].contains('\n'));
            let same_line = !text[f.close_end..first_after.span.start].contains('\n');
            if !new_sentence && same_line {
                while a_hi < toks.len() && toks[a_hi].sent == first_after.sent {
                    a_hi += 1;
                }
            }
        }
        let mut attribution = after_attribution(&toks, &inside, a_lo, a_hi);
        if a_hi == a_lo && f.closed && ends_in_question(text, f) {
            // `"…, John?" Obama continued`: the question mark ended the sentence, yet the name
            // right after the quote, followed by its speech verb, is the speaker.
            let line_end = text[f.close_end..]
                .find('\n')
                .map_or(text.len(), |i| f.close_end + i);
            let mut end = a_lo;
            while end < toks.len()
                && toks[end].span.start < line_end
                && toks[end].sent == toks[a_lo].sent
            {
                end += 1;
            }
            if let Attribution::Phrase(s, e) = after_attribution(&toks, &inside, a_lo, end) {
                if s == a_lo {
                    attribution = Attribution::Phrase(s, e);
                }
            }
        }
        if !matches!(attribution, Attribution::Phrase(..)) {
            let before = before_attribution(&toks, &inside, text, lo, hi, f.open);
            if before != Attribution::None {
                attribution = before;
            }
        }
        // Only "But", "And" … before the quote: it opens its sentence.
        let starts_sentence = toks[lo..hi].iter().all(|t| is(&t.lower, OPENERS));
        let speaker = match attribution {
            Attribution::Phrase(s, e) => name_speaker(text, &toks, (s, e), last_named.as_deref())
                .map(|(name, named)| {
                    if named {
                        last_named = Some(name.clone());
                    }
                    Speaker {
                        name,
                        span: Some(Span::new(toks[s].span.start, toks[e - 1].span.end)),
                    }
                }),
            Attribution::Inherit => prev
                .as_ref()
                .filter(|p| p.0 == f.para)
                .and_then(|p| p.1.clone()),
            Attribution::None if starts_sentence => prev
                .as_ref()
                .filter(|p| {
                    p.0 == f.para
                        || (p.0 + 1 == f.para && a_lo == a_hi && paragraph_is_quote(text, f))
                })
                .and_then(|p| p.1.clone()),
            Attribution::None => None,
        };
        let text_of = f
            .pieces
            .iter()
            .map(|s| s.slice(text))
            .collect::<Vec<_>>()
            .join(" ");
        let span = Span::new(f.pieces[0].start, f.pieces[f.pieces.len() - 1].end);
        prev = Some((f.para, speaker.clone(), f.close_end));
        out.push(Quote {
            span,
            text: text_of,
            speaker,
        });
    }
    out
}

/// Whether a closed quote's words end in a question or exclamation mark.
fn ends_in_question(text: &str, f: &Found) -> bool {
    f.pieces
        .last()
        .is_some_and(|p| p.slice(text).trim_end().ends_with(['?', '!']))
}

fn paragraphs_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind('\n').map_or(0, |i| i + 1)
}

/// Whether the paragraph of `f` holds nothing but the quote.
fn paragraph_is_quote(text: &str, f: &Found) -> bool {
    let start = paragraphs_start(text, f.open);
    let end = text[f.close_end..]
        .find('\n')
        .map_or(text.len(), |i| f.close_end + i);
    text[start..f.open].trim().is_empty()
        && !text[f.close_end..end].chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Vec<(String, Option<String>)> {
        extract_quotes(text)
            .into_iter()
            .map(|q| (q.text, q.speaker.map(|s| s.name)))
            .collect()
    }

    #[test]
    fn attribution_after_and_before() {
        assert_eq!(
            q("\"We will win,\" said Mr. Steele on Friday."),
            [("We will win,".into(), Some("Steele".into()))]
        );
        assert_eq!(
            q("Michael Steele spoke. Mr. Steele said, \u{201C}We will win.\u{201D}"),
            [("We will win.".into(), Some("Michael Steele".into()))]
        );
    }

    #[test]
    fn corner_brackets_are_quotes_and_full_stops_end_their_sentences() {
        assert_eq!(
            q("社長は「安全対策に万全を期したい。」と述べた。知事は『県民の意見を聞く』と話した。"),
            [
                ("安全対策に万全を期したい。".into(), None),
                ("県民の意見を聞く".into(), None)
            ]
        );
        // The Chinese full stop ends the sentence before the quote: the quote inherits the
        // speaker named before it.
        assert_eq!(
            q("Mr. Li said \u{201C}we will win\u{201D} on Monday。\u{201C}It is done.\u{201D}"),
            [
                ("we will win".into(), Some("Li".into())),
                ("It is done.".into(), Some("Li".into()))
            ]
        );
    }
}
