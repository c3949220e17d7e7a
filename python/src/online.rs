//! The online engine and the one-article tools, as the CLI's `cluster`, `compare`, `clean` and
//! the server's story analysis give them: `Engine`, `compare`, `analyze`, `clean`.
//!
//! Articles come in as a text or a mapping with the CLI's fields (`text`, `id`, `title`,
//! `source`, `url`, `published` as epoch seconds or a `datetime`); results go out as dicts, made
//! from the engine's serde output so that they hold the same fields as the CLI's `--json`.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use samestory_engine::analysis::{analyze_story, DocText};
use samestory_engine::clean::Cleaner;
use samestory_engine::explain::explain;
use samestory_engine::pipeline::{prepare, story_id, Config};
use samestory_engine::Article;

/// A Python value made from a serde value (through JSON, which every output here is).
pub fn to_python<'py>(
    py: Python<'py>,
    value: &impl serde::Serialize,
) -> PyResult<Bound<'py, PyAny>> {
    let json = serde_json::to_string(value).map_err(|e| PyValueError::new_err(e.to_string()))?;
    py.import("json")?.call_method1("loads", (json,))
}

/// An article from a text or a mapping with the CLI's field names.
pub fn article(obj: &Bound<'_, PyAny>) -> PyResult<Article> {
    if let Ok(text) = obj.cast::<PyString>() {
        let text: String = text.extract()?;
        let id = Article::derive_id(None, None, &text);
        return Ok(Article {
            id,
            text,
            ..Article::default()
        });
    }
    let get = |name: &str| -> PyResult<Option<Bound<'_, PyAny>>> {
        match obj.get_item(name) {
            Ok(v) if !v.is_none() => Ok(Some(v)),
            _ => Ok(None),
        }
    };
    let string = |name: &str| -> PyResult<Option<String>> {
        get(name)?
            .map(|v| {
                v.extract::<String>().map_err(|_| {
                    PyTypeError::new_err(format!("article field {name:?} must be a string"))
                })
            })
            .transpose()
    };
    let text =
        string("text")?.ok_or_else(|| PyValueError::new_err("article has no \"text\" field"))?;
    let (url, title) = (string("url")?, string("title")?);
    let id = match get("id")? {
        Some(v) => v.str()?.extract::<String>()?,
        None => Article::derive_id(url.as_deref(), title.as_deref(), &text),
    };
    let published = match get("published")? {
        None => None,
        Some(v) => Some(if let Ok(s) = v.extract::<i64>() {
            s
        } else if let Ok(f) = v.extract::<f64>() {
            f as i64
        } else if v.hasattr("timestamp")? {
            v.call_method0("timestamp")?.extract::<f64>()? as i64
        } else {
            return Err(PyTypeError::new_err(
                "article field \"published\" must be epoch seconds or a datetime",
            ));
        }),
    };
    Ok(Article {
        id,
        url,
        title,
        source: string("source")?,
        published,
        text,
        meta: Default::default(),
        origin: None,
    })
}

/// The online pipeline, as `samestory ingest` runs it without a database.
///
/// `Engine(copy_threshold=0.8, shingle=5, story_threshold=None, ignore_dates=False)`: the CLI's
/// defaults when not given. `add(article)` decides an article (a text, or a dict with `text` and
/// optionally `id`, `title`, `source`, `url`, `published` as epoch seconds or a datetime) in
/// arrival order and returns a dict: `id`, `copy_of` (the id of its family's original, or
/// None), `jaccard` (estimated, with that original), `exact_copy`, `story` (the story id, as the
/// CLI names stories), `new_story` (whether it started that story), `story_similarity`.
#[pyclass(module = "samestory._native", unsendable)]
pub struct Engine {
    engine: samestory_engine::pipeline::Engine,
    cleaner: Cleaner,
    /// Article ids by document index, and story ids by story index.
    article_ids: Vec<String>,
    story_ids: Vec<String>,
}

#[pymethods]
impl Engine {
    #[new]
    #[pyo3(signature = (copy_threshold=None, shingle=None, story_threshold=None, ignore_dates=false))]
    fn new(
        copy_threshold: Option<f32>,
        shingle: Option<usize>,
        story_threshold: Option<f32>,
        ignore_dates: bool,
    ) -> PyResult<Engine> {
        let mut config = Config::default();
        if let Some(t) = copy_threshold {
            config.copy_threshold = t;
        }
        if let Some(s) = shingle {
            config.shingle = s;
        }
        if let Some(t) = story_threshold {
            config.cluster.threshold = t;
        }
        config.ignore_dates = ignore_dates;
        config
            .validate()
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        Ok(Engine {
            engine: samestory_engine::pipeline::Engine::new(config),
            cleaner: Cleaner::default(),
            article_ids: Vec::new(),
            story_ids: Vec::new(),
        })
    }

    fn __len__(&self) -> usize {
        self.article_ids.len()
    }

    fn add<'py>(
        &mut self,
        py: Python<'py>,
        article: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let mut a = self::article(article)?;
        if self.engine.config().ignore_dates {
            a.published = None;
        }
        let config = *self.engine.config();
        let prepared = py.detach(|| prepare(&a, &self.cleaner, &config));
        let o = self.engine.add(&prepared);
        self.engine.maintain(1, true);
        if o.story_created {
            self.story_ids.push(story_id(&a.id));
        }
        self.article_ids.push(a.id.clone());
        let out = PyDict::new(py);
        out.set_item("id", &a.id)?;
        out.set_item(
            "copy_of",
            o.copy_of
                .map(|c| self.article_ids[c.original.index()].clone()),
        )?;
        out.set_item("jaccard", o.copy_of.map(|c| c.jaccard))?;
        out.set_item("exact_copy", o.copy_of.is_some_and(|c| c.exact))?;
        out.set_item("story", &self.story_ids[o.story.index()])?;
        out.set_item("new_story", o.story_created)?;
        out.set_item("story_similarity", o.story_similarity)?;
        Ok(out)
    }
}

/// `compare(a, b)`: what the pipeline would decide about two articles (texts or dicts), and
/// why, as `samestory compare --json` prints it: `same_story`, `copy`, `story_similarity`,
/// `story_threshold`, `jaccard` (exact, of the clean texts), `jaccard_estimate`,
/// `copy_threshold`, `days_apart`, `evidence` (shared names, numbers, terms), `across_languages`
/// (names and numbers shared when the two are in different languages), the two sides `a`
/// and `b` (id, title, source, published, words, what cleaning removed), `analysis` (shared
/// passages and quotes) and the `clean_texts` its spans point into.
#[pyfunction]
fn compare<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let (a, b) = (article(a)?, article(b)?);
    let verdict = py.detach(|| explain(&a, &b, &Config::default(), None));
    let out = to_python(py, &verdict.decision)?;
    let side = |s: &samestory_engine::explain::Side| -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("id", &s.id)?;
        d.set_item("title", &s.title)?;
        d.set_item("source", &s.source)?;
        d.set_item("published", s.published)?;
        d.set_item("words", s.words)?;
        d.set_item("removed", &s.removed)?;
        Ok(d)
    };
    out.set_item("a", side(&verdict.a)?)?;
    out.set_item("b", side(&verdict.b)?)?;
    out.set_item("analysis", to_python(py, &verdict.analysis)?)?;
    out.set_item("clean_texts", verdict.clean_texts.to_vec())?;
    Ok(out)
}

/// `analyze(articles)`: what the articles of one story (texts or dicts) share and what each
/// adds, as the story pages show it: `passages` (shared passages, with the documents carrying
/// them by position in `articles`), `quotes` (quote groups carried by two or more), `unique`
/// (per article, the spans of the sentences no other shares), `brief` (the most widely carried
/// sentences), and `clean_texts` (the cleaned texts every span points into).
#[pyfunction]
fn analyze<'py>(py: Python<'py>, articles: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let cleaner = Cleaner::default();
    let mut arts = Vec::new();
    for a in articles.try_iter()? {
        arts.push(article(&a?)?);
    }
    let (analysis, clean): (_, Vec<String>) = py.detach(|| {
        let clean: Vec<String> = arts.iter().map(|a| cleaner.clean(&a.text).text).collect();
        let docs: Vec<DocText> = arts
            .iter()
            .zip(&clean)
            .enumerate()
            .map(|(i, (a, t))| DocText {
                doc: i,
                outlet: a.source.clone().unwrap_or_else(|| a.id.clone()),
                text: t,
            })
            .collect();
        (analyze_story(&docs), clean)
    });
    let out = to_python(py, &analysis)?;
    out.set_item("clean_texts", clean)?;
    Ok(out)
}

/// `clean(text)`: the article's text without page furniture, as `samestory clean --json`:
/// `text`, `removals` (each `span` into the original, `reason`, `text`), and the `published`
/// date and `url` found in leading lines.
#[pyfunction]
fn clean<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let cleaned = py.detach(|| Cleaner::default().clean(text));
    to_python(py, &cleaned)
}

/// Adds this module's names.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Engine>()?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(analyze, m)?)?;
    m.add_function(wrap_pyfunction!(clean, m)?)?;
    Ok(())
}
