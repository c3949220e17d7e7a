//! `samestory.CopyIndex`: a corpus's MinHash signatures in LSH buckets, to find which indexed
//! texts a new text copies; saved to a file, loaded, pickled (to ship it to workers).
//!
//! The signatures, banding and exact hash are those of `samestory dedup` (the engine's
//! [`samestory_engine::copies::fingerprint`]); only 520 bytes a text are kept (the signature and
//! exact hash), not the text, so a query's Jaccard is the signature's estimate (128 bins:
//! standard error 0.035 at J = 0.8), exact for identical texts.
//!
//! The file format (little-endian): `SSCOPYIX`, format version (u32), threshold (f32), shingle
//! (u32), count (u64), then per text: exact hash (u64), signature (128 × u32), id (tag u8: 0 a
//! string, then its length u32 and UTF-8 bytes; 1 an integer, then i64).

use crate::dedup::{check_settings, column, strings};
use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::DataType;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use pyo3_arrow::input::AnyRecordBatch;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use samestory_engine::copies::fingerprint::{signature, Signature, SIG_LEN};
use samestory_engine::copies::Banding;
use samestory_engine::text::word_hashes;

const MAGIC: &[u8; 8] = b"SSCOPYIX";
const FORMAT_VERSION: u32 = 1;

/// An indexed text's id, as the caller gave it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, IntoPyObject, FromPyObject)]
pub enum Id {
    /// A string id.
    Str(String),
    /// An integer id.
    Int(i64),
}

/// The index (see the module doc).
#[pyclass(module = "samestory._native")]
pub struct CopyIndex {
    threshold: f32,
    shingle: usize,
    banding: Banding,
    ids: Vec<Id>,
    exact_hashes: Vec<u64>,
    signatures: Vec<Signature>,
    by_exact: FxHashMap<u64, Vec<u32>>,
    /// One map a band: bucket key → the texts in it.
    buckets: Vec<FxHashMap<u64, Vec<u32>>>,
}

fn fingerprint(text: &str, shingle: usize) -> (u64, Signature) {
    let words = word_hashes(text);
    (
        samestory_engine::batch::exact_hash(&words),
        signature(&words, shingle),
    )
}

impl CopyIndex {
    fn empty(threshold: f32, shingle: usize) -> CopyIndex {
        let banding = Banding::for_threshold(f64::from(threshold));
        CopyIndex {
            threshold,
            shingle,
            banding,
            ids: Vec::new(),
            exact_hashes: Vec::new(),
            signatures: Vec::new(),
            by_exact: FxHashMap::default(),
            buckets: vec![FxHashMap::default(); banding.bands],
        }
    }

    fn insert(&mut self, id: Id, exact: u64, sig: Signature) {
        let d = self.ids.len() as u32;
        self.by_exact.entry(exact).or_default().push(d);
        if !sig.is_empty() {
            for (band, bucket) in self.buckets.iter_mut().enumerate() {
                bucket
                    .entry(self.banding.key(&sig.0, band))
                    .or_default()
                    .push(d);
            }
        }
        self.ids.push(id);
        self.exact_hashes.push(exact);
        self.signatures.push(sig);
    }

    /// The indexed texts at or above the threshold: (text, Jaccard), the most similar first.
    fn matches(&self, exact: u64, sig: &Signature) -> Vec<(u32, f32)> {
        let mut found: FxHashMap<u32, f32> = FxHashMap::default();
        for &d in self.by_exact.get(&exact).into_iter().flatten() {
            found.insert(d, 1.0);
        }
        if !sig.is_empty() {
            for (band, bucket) in self.buckets.iter().enumerate() {
                for &d in bucket
                    .get(&self.banding.key(&sig.0, band))
                    .into_iter()
                    .flatten()
                {
                    found
                        .entry(d)
                        .or_insert_with(|| self.signatures[d as usize].jaccard(sig));
                }
            }
        }
        let mut out: Vec<(u32, f32)> = found
            .into_iter()
            .filter(|&(_, j)| j >= self.threshold)
            .collect();
        out.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(32 + self.ids.len() * (8 + 4 * SIG_LEN + 16));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&self.threshold.to_le_bytes());
        out.extend_from_slice(&(self.shingle as u32).to_le_bytes());
        out.extend_from_slice(&(self.ids.len() as u64).to_le_bytes());
        for d in 0..self.ids.len() {
            out.extend_from_slice(&self.exact_hashes[d].to_le_bytes());
            for bin in self.signatures[d].0 {
                out.extend_from_slice(&bin.to_le_bytes());
            }
            match &self.ids[d] {
                Id::Str(s) => {
                    out.push(0);
                    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
                    out.extend_from_slice(s.as_bytes());
                }
                Id::Int(i) => {
                    out.push(1);
                    out.extend_from_slice(&i.to_le_bytes());
                }
            }
        }
        out
    }

    fn from_bytes(bytes: &[u8]) -> Result<CopyIndex, String> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(8)? != MAGIC {
            return Err("not a samestory copy index (bad magic)".into());
        }
        let version = r.u32()?;
        if version != FORMAT_VERSION {
            return Err(format!(
                "copy index format {version}, this samestory reads {FORMAT_VERSION}"
            ));
        }
        let threshold = f32::from_le_bytes(r.array()?);
        let shingle = r.u32()? as usize;
        let n = r.u64()?;
        let mut index = CopyIndex::empty(threshold, shingle);
        for _ in 0..n {
            let exact = r.u64()?;
            let mut sig = Signature::EMPTY;
            for bin in sig.0.iter_mut() {
                *bin = r.u32()?;
            }
            let id = match r.take(1)?[0] {
                0 => {
                    let len = r.u32()? as usize;
                    Id::Str(
                        String::from_utf8(r.take(len)?.to_vec())
                            .map_err(|_| format!("record {}: id is not UTF-8", index.ids.len()))?,
                    )
                }
                1 => Id::Int(i64::from_le_bytes(r.array()?)),
                t => return Err(format!("record {}: unknown id tag {t}", index.ids.len())),
            };
            index.insert(id, exact, sig);
        }
        if r.at != bytes.len() {
            return Err(format!(
                "{} bytes after the last record",
                bytes.len() - r.at
            ));
        }
        Ok(index)
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| format!("truncated at byte {}", self.at))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        Ok(self.take(N)?.try_into().expect("N bytes"))
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.array()?))
    }
}

/// The ids of a column: strings, or integers.
fn ids_of_column(array: &ArrayRef, name: &str) -> PyResult<Vec<Option<Id>>> {
    match array.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Ok(strings(array, name)?
            .into_iter()
            .map(|s| s.map(|s| Id::Str(s.to_string())))
            .collect()),
        t if t.is_integer() => {
            let ints = arrow_cast::cast(array, &DataType::Int64)
                .map_err(|e| PyTypeError::new_err(format!("column {name:?}: {e}")))?;
            Ok(ints
                .as_primitive::<Int64Type>()
                .iter()
                .map(|i| i.map(Id::Int))
                .collect())
        }
        other => Err(PyTypeError::new_err(format!(
            "column {name:?} holds {other}; ids must be strings or integers"
        ))),
    }
}

/// (text, id) of every row of `batches`; an error names the first row without either.
fn rows_of<'a>(
    batches: &'a [RecordBatch],
    text: &str,
    id: &str,
) -> PyResult<(Vec<&'a str>, Vec<Id>)> {
    let (mut texts, mut ids) = (Vec::new(), Vec::new());
    for b in batches {
        let t = strings(column(b, text, "text")?, text)?;
        let i = ids_of_column(column(b, id, "id")?, id)?;
        for (t, i) in t.into_iter().zip(i) {
            let row = texts.len();
            let missing = |field: &str| {
                PyValueError::new_err(format!("row {row}: field {field:?} is missing (null)"))
            };
            texts.push(t.ok_or_else(|| missing(text))?);
            ids.push(i.ok_or_else(|| missing(id))?);
        }
    }
    Ok((texts, ids))
}

#[pymethods]
impl CopyIndex {
    #[new]
    #[pyo3(signature = (threshold=0.8, shingle=5))]
    fn new(threshold: f32, shingle: usize) -> PyResult<CopyIndex> {
        check_settings(threshold, shingle)?;
        Ok(CopyIndex::empty(threshold, shingle))
    }

    /// The Jaccard threshold of a copy.
    #[getter]
    fn threshold(&self) -> f32 {
        self.threshold
    }

    /// Words a shingle.
    #[getter]
    fn shingle(&self) -> usize {
        self.shingle
    }

    fn __len__(&self) -> usize {
        self.ids.len()
    }

    fn add(&mut self, text: &str, id: Id) {
        let (exact, sig) = fingerprint(text, self.shingle);
        self.insert(id, exact, sig);
    }

    /// Adds every row of an Arrow table (fingerprints computed on every core).
    fn add_table(
        &mut self,
        py: Python<'_>,
        data: AnyRecordBatch,
        text: &str,
        id: &str,
    ) -> PyResult<usize> {
        let batches = crate::batches_of(data)?;
        let (texts, ids) = rows_of(&batches, text, id)?;
        let shingle = self.shingle;
        let prints: Vec<(u64, Signature)> =
            py.detach(|| texts.par_iter().map(|t| fingerprint(t, shingle)).collect());
        let n = ids.len();
        for (id, (exact, sig)) in ids.into_iter().zip(prints) {
            self.insert(id, exact, sig);
        }
        Ok(n)
    }

    fn query(&self, py: Python<'_>, text: &str) -> Vec<(Id, f32)> {
        let (exact, sig) = py.detach(|| fingerprint(text, self.shingle));
        self.matches(exact, &sig)
            .into_iter()
            .map(|(d, j)| (self.ids[d as usize].clone(), j))
            .collect()
    }

    /// For every row of a table, its best match in the index: (row, id of the match, Jaccard)
    /// for the rows that have one.
    fn query_table(
        &self,
        py: Python<'_>,
        data: AnyRecordBatch,
        text: &str,
    ) -> PyResult<Vec<(usize, Id, f32)>> {
        let batches = crate::batches_of(data)?;
        let mut texts = Vec::new();
        for b in &batches {
            texts.extend(strings(column(b, text, "text")?, text)?);
        }
        let best: Vec<Option<(u32, f32)>> = py.detach(|| {
            texts
                .par_iter()
                .map(|t| {
                    let (exact, sig) = fingerprint((*t)?, self.shingle);
                    self.matches(exact, &sig).first().copied()
                })
                .collect()
        });
        Ok(best
            .into_iter()
            .enumerate()
            .filter_map(|(row, m)| m.map(|(d, j)| (row, self.ids[d as usize].clone(), j)))
            .collect())
    }

    fn save(&self, py: Python<'_>, path: std::path::PathBuf) -> PyResult<()> {
        let bytes = py.detach(|| self.to_bytes());
        std::fs::write(&path, bytes)
            .map_err(|e| pyo3::exceptions::PyOSError::new_err(format!("{}: {e}", path.display())))
    }

    #[staticmethod]
    fn load(py: Python<'_>, path: std::path::PathBuf) -> PyResult<CopyIndex> {
        let bytes = std::fs::read(&path).map_err(|e| {
            pyo3::exceptions::PyOSError::new_err(format!("{}: {e}", path.display()))
        })?;
        py.detach(|| CopyIndex::from_bytes(&bytes))
            .map_err(|e| PyValueError::new_err(format!("{}: {e}", path.display())))
    }

    #[pyo3(name = "to_bytes")]
    fn to_bytes_py<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.to_bytes())
    }

    #[staticmethod]
    #[pyo3(name = "from_bytes")]
    fn from_bytes_py(bytes: &[u8]) -> PyResult<CopyIndex> {
        CopyIndex::from_bytes(bytes).map_err(PyValueError::new_err)
    }

    fn __repr__(&self) -> String {
        format!(
            "CopyIndex(threshold={}, shingle={}, texts={})",
            self.threshold,
            self.shingle,
            self.ids.len()
        )
    }
}
