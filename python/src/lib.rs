//! `samestory._native`: the compiled half of the `samestory` Python package.
//!
//! The Python package (`python/samestory/`) is the public face, with docstrings and type hints;
//! this module does the work, with the GIL released wherever it computes:
//!
//! | module | what it answers | Python names |
//! | --- | --- | --- |
//! | [`dedup`] | which rows of an Arrow table are near copies, and of which | `dedup` |
//! | [`index`] | which texts of an indexed corpus a new text copies; saved, loaded, pickled | `CopyIndex` |
//! | [`online`] | the online engine, the two-article verdict, a story's analysis, the cleaner | `Engine`, `compare`, `analyze`, `clean` |
//! | [`database`] | what a samestory database holds | `Database` |
//! | [`spark`] | the per-partition steps of the Spark job: band keys, pair verification, families | `band_keys`, `pair_jaccard`, `components` |
//!
//! Arrow data crosses the boundary through the Arrow PyCapsule interface (`pyo3-arrow`), so
//! pyarrow, polars, pandas-through-pyarrow and DuckDB results are read in place.

use pyo3::prelude::*;
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::PyTable;

pub mod database;
pub mod dedup;
pub mod index;
pub mod online;
pub mod spark;

/// Every record batch of `data`, read from its Arrow stream.
fn batches_of(data: AnyRecordBatch) -> PyResult<Vec<arrow_array::RecordBatch>> {
    let reader = data.into_reader()?;
    reader
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}

/// See `samestory.dedup`.
#[pyfunction]
#[pyo3(name = "dedup", signature = (data, text, id, published, threshold, shingle))]
fn dedup_table<'py>(
    py: Python<'py>,
    data: AnyRecordBatch,
    text: &str,
    id: Option<&str>,
    published: Option<&str>,
    threshold: f32,
    shingle: usize,
) -> PyResult<Bound<'py, PyAny>> {
    dedup::check_settings(threshold, shingle)?;
    let batches = batches_of(data)?;
    let mut texts = Vec::new();
    let mut times = Vec::new();
    for b in &batches {
        let t = dedup::strings(dedup::column(b, text, "text")?, text)?;
        match published {
            Some(p) => times.extend(dedup::epoch_seconds(dedup::column(b, p, "published")?, p)?),
            None => times.extend(std::iter::repeat_n(None, t.len())),
        }
        texts.extend(t);
    }
    let ids = dedup::ids_of(&batches, id)?;
    let deduped = py.detach(|| dedup::dedup_texts(&texts, &times, threshold, shingle));
    let missing: Vec<usize> = (0..texts.len()).filter(|&d| texts[d].is_none()).collect();
    if let Some(&first) = missing.first() {
        let warnings = py.import("warnings")?;
        warnings.call_method1(
            "warn",
            (format!(
                "{} row(s) have no {text:?} (the first: row {first}); they are in no family",
                missing.len()
            ),),
        )?;
    }
    let out = dedup::result_batch(ids, &deduped)?;
    let schema = out.schema();
    PyTable::try_new(vec![out], schema)?.into_pyarrow(py)
}

/// The compiled module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(dedup_table, m)?)?;
    m.add_class::<index::CopyIndex>()?;
    online::register(m)?;
    m.add_class::<database::Database>()?;
    spark::register(m)?;
    Ok(())
}
