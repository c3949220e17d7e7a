//! `samestory.Database`: read access to a samestory database (the one `samestory ingest` and
//! `samestory serve` write), through the store's own queries, as the CLI's `stories`, `story`
//! and `copies` print them with `--json`.

use crate::online::to_python;
use pyo3::exceptions::{PyKeyError, PyOSError};
use pyo3::prelude::*;
use samestory_store::{Store, StoreError};

/// `Database(path)`: a samestory database opened read-only (`samestory ingest` and `serve` write
/// it). `stories(limit=50)`: the newest stories, as `samestory stories --json`; `story(id)`: a
/// story with its `articles` (KeyError when there is none); `copies(limit=1000)`: copies and
/// their originals; `article_count()`, `story_count()`.
#[pyclass(module = "samestory._native", unsendable)]
pub struct Database {
    store: Store,
    path: String,
}

fn error(path: &str, e: StoreError) -> PyErr {
    match e {
        StoreError::NotFound(what) => PyKeyError::new_err(what),
        e => PyOSError::new_err(format!("{path}: {e}")),
    }
}

#[pymethods]
impl Database {
    #[new]
    fn open(path: std::path::PathBuf) -> PyResult<Database> {
        let name = path.display().to_string();
        if !path.exists() {
            return Err(PyOSError::new_err(format!("{name}: no such database")));
        }
        let store = Store::open_read_only(&path).map_err(|e| error(&name, e))?;
        Ok(Database { store, path: name })
    }

    #[pyo3(signature = (limit=50))]
    fn stories<'py>(&self, py: Python<'py>, limit: usize) -> PyResult<Bound<'py, PyAny>> {
        let rows = self
            .store
            .stories(limit)
            .map_err(|e| error(&self.path, e))?;
        to_python(py, &rows)
    }

    fn story<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyAny>> {
        let (summary, articles) = self.store.story(id).map_err(|e| error(&self.path, e))?;
        let out = to_python(py, &summary)?;
        out.set_item("articles", to_python(py, &articles)?)?;
        Ok(out)
    }

    #[pyo3(signature = (limit=1000))]
    fn copies<'py>(&self, py: Python<'py>, limit: usize) -> PyResult<Bound<'py, PyAny>> {
        let rows = self.store.copies(limit).map_err(|e| error(&self.path, e))?;
        to_python(py, &rows)
    }

    fn article_count(&self) -> PyResult<u64> {
        self.store.article_count().map_err(|e| error(&self.path, e))
    }

    fn story_count(&self) -> PyResult<u64> {
        self.store.story_count().map_err(|e| error(&self.path, e))
    }
}
