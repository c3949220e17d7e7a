//! Small stores for the unit tests: articles and stories written through [`Store::write_batch`].

use crate::{EngineDelta, NewArticle, Store};
use samestory_engine::copies::fingerprint::{Signature, SIG_LEN};
use samestory_engine::stories::StoryState;
use samestory_engine::{Article, DocIdx, StoryIdx, Term, Timestamp};

/// An article to write, with the decisions the engine would have made for it.
pub(crate) struct Doc {
    pub id: &'static str,
    pub source: Option<&'static str>,
    pub title: Option<&'static str>,
    pub published: Option<Timestamp>,
    pub text: &'static str,
    /// The story's index and id.
    pub story: (u32, &'static str),
    /// The document index of its original (its own when it is not a copy).
    pub original: u32,
}

/// Terms given by their raw hashes, with their counts.
pub(crate) fn terms(pairs: &[(u64, u32)]) -> Vec<(Term, u32)> {
    pairs.iter().map(|&(t, n)| (Term::from_raw(t), n)).collect()
}

/// The raw hashes of terms, with their counts.
pub(crate) fn raw_terms(pairs: Vec<(Term, u32)>) -> Vec<(u64, u32)> {
    pairs.into_iter().map(|(t, n)| (t.raw(), n)).collect()
}

/// Writes `docs` as one batch, their document indexes following the articles already stored; a
/// story is made by the first of `docs` in it. Each story of `docs` gets the saved state of its
/// members in the batch (size, first and last publication, an empty centroid).
pub(crate) fn write_docs(store: &mut Store, docs: &[Doc]) {
    let first_doc = store.article_count().unwrap() as u32;
    let articles: Vec<Article> = docs
        .iter()
        .map(|d| Article {
            id: d.id.into(),
            url: None,
            title: d.title.map(Into::into),
            source: d.source.map(Into::into),
            published: d.published,
            text: d.text.into(),
            meta: Default::default(),
            origin: None,
        })
        .collect();
    let signature = Signature([7; SIG_LEN]);
    let batch: Vec<NewArticle<'_>> = docs
        .iter()
        .zip(&articles)
        .enumerate()
        .map(|(i, (d, a))| {
            let doc = DocIdx::from_raw(first_doc + i as u32);
            let story = StoryIdx::from_raw(d.story.0);
            let made_here = docs[..i].iter().all(|e| e.story.0 != d.story.0);
            let new_story = made_here && store.story_state(story).unwrap().is_none();
            NewArticle {
                article: a,
                doc,
                published: d.published,
                clean_text: d.text,
                search_words: d.text,
                removals: &[],
                words: d.text.split_whitespace().count(),
                exact_hash: samestory_engine::article::stable_hash(d.text.as_bytes()),
                signature: &signature,
                story,
                new_story_id: new_story.then(|| d.story.1.to_owned()),
                story_similarity: 1.0,
                original: DocIdx::from_raw(d.original),
                copy_jaccard: (d.original != doc.raw()).then_some(0.9),
                copy_exact: false,
                repointed: &[],
                language: None,
            }
        })
        .collect();
    let mut stories: Vec<(StoryIdx, StoryState)> = Vec::new();
    for d in docs {
        let story = StoryIdx::from_raw(d.story.0);
        let at = match stories.iter().position(|(s, _)| *s == story) {
            Some(at) => at,
            None => {
                let state = store.story_state(story).unwrap().unwrap_or(StoryState {
                    centroid: Vec::new(),
                    size: 0,
                    first: None,
                    last: None,
                });
                stories.push((story, state));
                stories.len() - 1
            }
        };
        let s = &mut stories[at].1;
        s.size += 1;
        if let Some(t) = d.published {
            s.first = Some(s.first.map_or(t, |f| f.min(t)));
            s.last = Some(s.last.map_or(t, |l| l.max(t)));
        }
    }
    let delta = EngineDelta {
        stories,
        ..EngineDelta::default()
    };
    store.write_batch(&batch, &delta).unwrap();
}
