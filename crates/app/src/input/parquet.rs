//! Parquet files (the `parquet` crate's Arrow reader): each row is a record whose columns are
//! matched by the same field aliases as JSONL (`fields`), so a data set's `text`, `title`, `url`,
//! `date` … columns are read as such and the other columns kept as metadata. Strings, integers,
//! floats, booleans, dates and timestamps are read; a column of another type (a list, a struct) is
//! left out, with one warning for the file. Rows are numbered from 1 in messages.

use super::{article_from_fields, InputError, ReadOptions, Record};
use arrow_array::{cast::AsArray, types::*, Array, ArrayRef, RecordBatch, RecordBatchReader};
use arrow_schema::{DataType, TimeUnit};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::{Map, Value};
use std::fs::File;
use std::path::Path;

/// Rows read at a time.
const BATCH_ROWS: usize = 1024;

/// Reads `path`, calling `sink` with the records of each batch of rows.
pub fn read(
    name: &str,
    path: &Path,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Vec<Record>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let error = |row: Option<u64>, message: String| {
        Record::Error(InputError {
            file: name.to_owned(),
            line: row,
            message,
        })
    };
    let reader = File::open(path)
        .map_err(|e| e.to_string())
        .and_then(|f| ParquetRecordBatchReaderBuilder::try_new(f).map_err(|e| e.to_string()))
        .and_then(|b| {
            b.with_batch_size(BATCH_ROWS)
                .build()
                .map_err(|e| e.to_string())
        });
    let reader = match reader {
        Ok(r) => r,
        Err(e) => {
            return sink(vec![error(
                None,
                format!("not a Parquet file that can be read: {e}"),
            )])
        }
    };
    let schema = reader.schema();
    let skipped: Vec<String> = schema
        .fields()
        .iter()
        .filter(|f| !readable(f.data_type()))
        .map(|f| format!("`{}` ({})", f.name(), f.data_type()))
        .collect();
    let mut first = true;
    let mut row = 0u64;
    for batch in reader {
        let batch = match batch {
            Ok(b) => b,
            Err(e) => {
                return sink(vec![error(
                    Some(row + 1),
                    format!("cannot read the rows from here on: {e}"),
                )])
            }
        };
        let mut records = rows(&batch, row, name, opts);
        if first && !skipped.is_empty() {
            if let Some(Record::Article(_, warnings)) = records.first_mut() {
                warnings.push(InputError {
                    file: name.to_owned(),
                    line: None,
                    message: format!(
                        "columns of types samestory does not read, left out: {}",
                        skipped.join(", ")
                    ),
                });
            }
        }
        first = false;
        row += batch.num_rows() as u64;
        sink(records)?;
    }
    if row == 0 {
        sink(vec![error(None, "file has no rows".into())])?;
    }
    Ok(())
}

fn readable(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Utf8
            | DataType::LargeUtf8
            | DataType::Utf8View
            | DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
            | DataType::UInt64
            | DataType::Float32
            | DataType::Float64
            | DataType::Boolean
            | DataType::Date32
            | DataType::Date64
            | DataType::Timestamp(_, _)
            | DataType::Null
    )
}

/// The records of one batch, its rows numbered from `before + 1`.
fn rows(batch: &RecordBatch, before: u64, name: &str, opts: &ReadOptions) -> Vec<Record> {
    let schema = batch.schema();
    let columns: Vec<(&str, &ArrayRef)> = schema
        .fields()
        .iter()
        .zip(batch.columns())
        .filter(|(f, _)| readable(f.data_type()))
        .map(|(f, c)| (f.name().as_str(), c))
        .collect();
    (0..batch.num_rows())
        .map(|i| {
            let mut map = Map::new();
            for (key, column) in &columns {
                let v = value(column, i);
                if !v.is_null() {
                    map.insert((*key).to_owned(), v);
                }
            }
            article_from_fields(map, opts, name, Some(before + i as u64 + 1))
        })
        .collect()
}

/// One cell as JSON; dates as `YYYY-MM-DD`, timestamps as epoch seconds.
fn value(column: &ArrayRef, i: usize) -> Value {
    if column.is_null(i) {
        return Value::Null;
    }
    match column.data_type() {
        DataType::Utf8 => column.as_string::<i32>().value(i).into(),
        DataType::LargeUtf8 => column.as_string::<i64>().value(i).into(),
        DataType::Utf8View => column.as_string_view().value(i).into(),
        DataType::Int8 => column.as_primitive::<Int8Type>().value(i).into(),
        DataType::Int16 => column.as_primitive::<Int16Type>().value(i).into(),
        DataType::Int32 => column.as_primitive::<Int32Type>().value(i).into(),
        DataType::Int64 => column.as_primitive::<Int64Type>().value(i).into(),
        DataType::UInt8 => column.as_primitive::<UInt8Type>().value(i).into(),
        DataType::UInt16 => column.as_primitive::<UInt16Type>().value(i).into(),
        DataType::UInt32 => column.as_primitive::<UInt32Type>().value(i).into(),
        DataType::UInt64 => column.as_primitive::<UInt64Type>().value(i).into(),
        DataType::Float32 => f64::from(column.as_primitive::<Float32Type>().value(i)).into(),
        DataType::Float64 => column.as_primitive::<Float64Type>().value(i).into(),
        DataType::Boolean => column.as_boolean().value(i).into(),
        DataType::Date32 => {
            let days = column.as_primitive::<Date32Type>().value(i);
            day(i64::from(days) * 86_400)
        }
        DataType::Date64 => day(column.as_primitive::<Date64Type>().value(i) / 1000),
        DataType::Timestamp(unit, _) => {
            let per_second = match unit {
                TimeUnit::Second => 1,
                TimeUnit::Millisecond => 1_000,
                TimeUnit::Microsecond => 1_000_000,
                TimeUnit::Nanosecond => 1_000_000_000,
            };
            let raw = match unit {
                TimeUnit::Second => column.as_primitive::<TimestampSecondType>().value(i),
                TimeUnit::Millisecond => column.as_primitive::<TimestampMillisecondType>().value(i),
                TimeUnit::Microsecond => column.as_primitive::<TimestampMicrosecondType>().value(i),
                TimeUnit::Nanosecond => column.as_primitive::<TimestampNanosecondType>().value(i),
            };
            raw.div_euclid(per_second).into()
        }
        _ => Value::Null,
    }
}

fn day(secs: i64) -> Value {
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.format("%Y-%m-%d").to_string().into())
        .unwrap_or(Value::Null)
}
