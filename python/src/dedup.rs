//! `samestory.dedup`: the batch dedup of `samestory dedup`, over Arrow columns held in memory.
//!
//! The same steps as the CLI ([`samestory_engine::batch`]): words, exact hash and MinHash
//! signature of every text (in parallel), LSH in bulk a band at a time, the exact Jaccard of every
//! candidate pair, union-find into families whose original is the earliest published member,
//! then the first in the input. So the families are the CLI's on the same texts.
//!
//! Unlike the CLI, which reads its input twice to keep texts out of memory, the texts are the
//! caller's Arrow buffers, read in place (no copy of a string is made).

use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Float32Array, Int64Array, RecordBatch, UInt32Array,
};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use pyo3::exceptions::{PyKeyError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use rayon::prelude::*;
use samestory_engine::batch::{self, Verifier};
use samestory_engine::copies::fingerprint::{exact_jaccard, signature, Signature};
use samestory_engine::copies::Banding;
use samestory_engine::text::word_hashes;
use std::sync::Arc;

/// Documents shingled together in the verification pass (their sets are offered in order).
const VERIFY_CHUNK: usize = 1 << 16;

/// The answer for every document: its family's original (itself when it has no copy) and its
/// exact Jaccard similarity with that original (1.0 for an original; `None` for a missing text).
#[derive(Debug, PartialEq)]
pub struct Deduped {
    pub original: Vec<u32>,
    pub jaccard: Vec<Option<f32>>,
    /// Verified pairs `(a, b, jaccard)` at or above the threshold.
    pub pairs: Vec<(u32, u32, f32)>,
}

/// The batch dedup of `texts` (a missing text is in no family): the algorithm of
/// `samestory dedup`, with the texts in memory.
pub fn dedup_texts(
    texts: &[Option<&str>],
    published: &[Option<i64>],
    threshold: f32,
    shingle: usize,
) -> Deduped {
    let fingerprints: Vec<Option<(u64, Signature)>> = texts
        .par_iter()
        .map(|t| {
            t.map(|t| {
                let words = word_hashes(t);
                (batch::exact_hash(&words), signature(&words, shingle))
            })
        })
        .collect();
    let mut exact: Vec<(u64, u32)> = Vec::with_capacity(texts.len());
    let mut signatures = Vec::with_capacity(texts.len());
    for (d, f) in fingerprints.into_iter().enumerate() {
        match f {
            Some((hash, sig)) => {
                exact.push((hash, d as u32));
                signatures.push(sig);
            }
            None => signatures.push(Signature::EMPTY),
        }
    }
    let candidates = batch::candidate_pairs_with(
        &signatures,
        &mut exact,
        Banding::for_threshold(f64::from(threshold)),
        threshold - batch::ESTIMATE_MARGIN,
        |bands, one_band| (0..bands).into_par_iter().map(one_band).collect(),
    );
    drop(signatures);
    drop(exact);

    let mut verifier = Verifier::new(candidates, threshold);
    let shingles = |d: usize| batch::shingle_set(&word_hashes(texts[d].unwrap_or("")), shingle);
    if !verifier.is_empty() {
        for start in (0..texts.len()).step_by(VERIFY_CHUNK) {
            let end = (start + VERIFY_CHUNK).min(texts.len());
            let involved: Vec<usize> = (start..end)
                .filter(|&d| verifier.involves(d as u32))
                .collect();
            let sets: Vec<(usize, Vec<u32>)> =
                involved.into_par_iter().map(|d| (d, shingles(d))).collect();
            for (d, set) in sets {
                verifier.offer(d as u32, set);
            }
        }
    }
    let pairs = verifier.into_verified();

    let families = batch::families(texts.len(), &pairs, |d| published[d as usize]);
    let mut original: Vec<u32> = (0..texts.len() as u32).collect();
    for f in &families {
        for &m in &f.members {
            original[m as usize] = f.original;
        }
    }
    // A copy's similarity with its original: the pair may not have been verified directly (a
    // family is joined through chains of pairs), so it is computed here.
    let jaccard: Vec<Option<f32>> = (0..texts.len())
        .into_par_iter()
        .map(|d| {
            texts[d]?;
            let o = original[d] as usize;
            Some(if o == d {
                1.0
            } else {
                exact_jaccard(&shingles(d), &shingles(o))
            })
        })
        .collect();
    Deduped {
        original,
        jaccard,
        pairs,
    }
}

/// The column named `name` of `batch`, or a `KeyError` listing the columns there are.
pub fn column<'a>(batch: &'a RecordBatch, name: &str, role: &str) -> PyResult<&'a ArrayRef> {
    match batch.schema().index_of(name) {
        Ok(i) => Ok(batch.column(i)),
        Err(_) => {
            let names: Vec<String> = batch
                .schema()
                .fields()
                .iter()
                .map(|f| f.name().clone())
                .collect();
            Err(PyKeyError::new_err(format!(
                "no {role} column {name:?} (columns: {})",
                names.join(", ")
            )))
        }
    }
}

/// The strings of a text column (any Arrow string type), read in place.
pub fn strings<'a>(array: &'a ArrayRef, name: &str) -> PyResult<Vec<Option<&'a str>>> {
    Ok(match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().iter().collect(),
        DataType::LargeUtf8 => array.as_string::<i64>().iter().collect(),
        DataType::Utf8View => array.as_string_view().iter().collect(),
        other => {
            return Err(PyTypeError::new_err(format!(
                "column {name:?} holds {other}, not strings"
            )))
        }
    })
}

/// Publication times as epoch seconds, from a timestamp, date, integer (epoch seconds) or
/// ISO 8601 string column.
pub fn epoch_seconds(array: &ArrayRef, name: &str) -> PyResult<Vec<Option<i64>>> {
    let as_time = match array.data_type() {
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32 => arrow_cast::cast(array, &DataType::Int64),
        _ => arrow_cast::cast(array, &DataType::Timestamp(TimeUnit::Second, None))
            .and_then(|t| arrow_cast::cast(&t, &DataType::Int64)),
    }
    .map_err(|e| {
        PyTypeError::new_err(format!(
            "column {name:?} ({}) is not a time: {e}",
            array.data_type()
        ))
    })?;
    Ok(as_time.as_primitive::<Int64Type>().iter().collect())
}

/// Checks the settings as the CLI does (the same ranges).
pub fn check_settings(threshold: f32, shingle: usize) -> PyResult<()> {
    if !(threshold > 0.0 && threshold <= 1.0) {
        return Err(PyValueError::new_err(format!(
            "threshold must be in (0, 1], got {threshold}"
        )));
    }
    if shingle == 0 {
        return Err(PyValueError::new_err("shingle must be at least 1 word"));
    }
    Ok(())
}

/// The output table: `id`, `original` (the id of the family's original), `is_copy`, `jaccard`.
pub fn result_batch(ids: ArrayRef, deduped: &Deduped) -> PyResult<RecordBatch> {
    let originals = UInt32Array::from(deduped.original.clone());
    let original = arrow_select::take::take(&ids, &originals, None)
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    let is_copy: BooleanArray = deduped
        .original
        .iter()
        .enumerate()
        .map(|(d, &o)| Some(o as usize != d))
        .collect();
    let jaccard = Float32Array::from(deduped.jaccard.clone());
    let schema = Schema::new(vec![
        Field::new("id", ids.data_type().clone(), ids.null_count() > 0),
        Field::new("original", ids.data_type().clone(), ids.null_count() > 0),
        Field::new("is_copy", DataType::Boolean, false),
        Field::new("jaccard", DataType::Float32, true),
    ]);
    RecordBatch::try_new(
        Arc::new(schema),
        vec![ids, original, Arc::new(is_copy), Arc::new(jaccard)],
    )
    .map_err(|e| PyValueError::new_err(e.to_string()))
}

/// The ids of every row: the id column's values (batches joined), else row numbers from 0.
pub fn ids_of(batches: &[RecordBatch], id: Option<&str>) -> PyResult<ArrayRef> {
    let Some(name) = id else {
        let n: usize = batches.iter().map(|b| b.num_rows()).sum();
        return Ok(Arc::new(Int64Array::from_iter_values(0..n as i64)));
    };
    let columns: Vec<&ArrayRef> = batches
        .iter()
        .map(|b| column(b, name, "id"))
        .collect::<PyResult<_>>()?;
    if columns.is_empty() {
        return Ok(Arc::new(Int64Array::from(Vec::<i64>::new())));
    }
    let parts: Vec<&dyn Array> = columns.iter().map(|c| c.as_ref()).collect();
    arrow_select::concat::concat(&parts).map_err(|e| PyValueError::new_err(e.to_string()))
}
