//! The per-partition steps of the Spark job (`samestory.spark`), each over one Arrow batch:
//!
//! 1. [`band_keys`]: a row's LSH bucket keys (one a band) and its exact hash (band −1), so that
//!    a shuffle on (band, key) brings candidate pairs together, as `samestory dedup` bands them.
//! 2. [`pair_jaccard`]: the exact Jaccard similarity of candidate pairs, from both texts.
//! 3. [`components`]: union-find over verified pairs on one machine (when the edges fit there):
//!    each node's root is the smallest node of its component.

use crate::dedup::{check_settings, column, strings};
use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use arrow_array::{Array, ArrayRef, Float32Array, Int32Array, Int64Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::PyTable;
use rayon::prelude::*;
use samestory_engine::batch::{self, UnionFind};
use samestory_engine::copies::fingerprint::{exact_jaccard, signature};
use samestory_engine::copies::Banding;
use samestory_engine::text::word_hashes;
use std::sync::Arc;

/// The band of a row's exact hash in [`band_keys`]' output.
pub const EXACT_BAND: i32 = -1;

fn table<'py>(py: Python<'py>, columns: Vec<(&str, ArrayRef)>) -> PyResult<Bound<'py, PyAny>> {
    let fields: Vec<Field> = columns
        .iter()
        .map(|(n, a)| Field::new(*n, a.data_type().clone(), false))
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), columns.into_iter().map(|c| c.1).collect())
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)
}

fn int64s(array: &ArrayRef, name: &str) -> PyResult<Vec<i64>> {
    let ints = arrow_cast::cast(array, &DataType::Int64)
        .map_err(|e| PyTypeError::new_err(format!("column {name:?}: {e}")))?;
    let ints = ints.as_primitive::<Int64Type>();
    if ints.null_count() > 0 {
        return Err(PyValueError::new_err(format!("column {name:?} has nulls")));
    }
    Ok(ints.values().to_vec())
}

/// See `samestory.spark`: a table of (row, band, key), the row's value of column `row`.
#[pyfunction]
fn band_keys<'py>(
    py: Python<'py>,
    data: AnyRecordBatch,
    text: &str,
    row: &str,
    threshold: f32,
    shingle: usize,
) -> PyResult<Bound<'py, PyAny>> {
    check_settings(threshold, shingle)?;
    let banding = Banding::for_threshold(f64::from(threshold));
    let batches = crate::batches_of(data)?;
    let (mut rows, mut bands, mut keys) = (Vec::new(), Vec::new(), Vec::new());
    for b in &batches {
        let texts = strings(column(b, text, "text")?, text)?;
        let row_ids = int64s(column(b, row, "row")?, row)?;
        let per_row: Vec<Vec<(i32, u64)>> = py.detach(|| {
            texts
                .par_iter()
                .map(|t| {
                    let Some(t) = t else { return Vec::new() };
                    let words = word_hashes(t);
                    let sig = signature(&words, shingle);
                    let mut out = vec![(EXACT_BAND, batch::exact_hash(&words))];
                    if !sig.is_empty() {
                        out.extend((0..banding.bands).map(|b| (b as i32, banding.key(&sig.0, b))));
                    }
                    out
                })
                .collect()
        });
        for (r, keys_of_row) in row_ids.iter().zip(per_row) {
            for (band, key) in keys_of_row {
                rows.push(*r);
                bands.push(band);
                keys.push(key as i64);
            }
        }
    }
    table(
        py,
        vec![
            ("row", Arc::new(Int64Array::from(rows))),
            ("band", Arc::new(Int32Array::from(bands))),
            ("key", Arc::new(Int64Array::from(keys))),
        ],
    )
}

/// See `samestory.spark`: a table with one column, `jaccard`, of the pairs of texts in columns
/// `a` and `b`.
#[pyfunction]
fn pair_jaccard<'py>(
    py: Python<'py>,
    data: AnyRecordBatch,
    a: &str,
    b: &str,
    shingle: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let batches = crate::batches_of(data)?;
    let mut out: Vec<f32> = Vec::new();
    for batch in &batches {
        let (ta, tb) = (
            strings(column(batch, a, "text")?, a)?,
            strings(column(batch, b, "text")?, b)?,
        );
        let js: Vec<f32> = py.detach(|| {
            ta.par_iter()
                .zip(tb.par_iter())
                .map(|(x, y)| {
                    let set = |t: &Option<&str>| {
                        batch::shingle_set(&word_hashes(t.unwrap_or("")), shingle)
                    };
                    exact_jaccard(&set(x), &set(y))
                })
                .collect()
        });
        out.extend(js);
    }
    table(py, vec![("jaccard", Arc::new(Float32Array::from(out)))])
}

/// See `samestory.spark`: the root (smallest node) of each of the `n` nodes' components, joined
/// by the edges in columns `a` and `b` (nodes `0..n`).
#[pyfunction]
fn components<'py>(
    py: Python<'py>,
    n: usize,
    edges: AnyRecordBatch,
    a: &str,
    b: &str,
) -> PyResult<Bound<'py, PyAny>> {
    if n > u32::MAX as usize {
        return Err(PyValueError::new_err(format!(
            "{n} nodes: union-find on one machine takes at most 2^32 − 1"
        )));
    }
    let batches = crate::batches_of(edges)?;
    let mut uf = UnionFind::new(n);
    for batch in &batches {
        let (xs, ys) = (
            int64s(column(batch, a, "node")?, a)?,
            int64s(column(batch, b, "node")?, b)?,
        );
        for (&x, &y) in xs.iter().zip(&ys) {
            if x < 0 || y < 0 || x as usize >= n || y as usize >= n {
                return Err(PyValueError::new_err(format!(
                    "edge ({x}, {y}): nodes are 0..{n}"
                )));
            }
            uf.union(x as u32, y as u32);
        }
    }
    let roots: Vec<i64> = (0..n as u32).map(|x| i64::from(uf.find(x))).collect();
    table(py, vec![("root", Arc::new(Int64Array::from(roots)))])
}

/// Adds this module's functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("EXACT_BAND", EXACT_BAND)?;
    m.add_function(wrap_pyfunction!(band_keys, m)?)?;
    m.add_function(wrap_pyfunction!(pair_jaccard, m)?)?;
    m.add_function(wrap_pyfunction!(components, m)?)?;
    Ok(())
}
