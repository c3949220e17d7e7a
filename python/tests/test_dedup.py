"""`samestory.dedup`: the inputs it takes, the table it returns, and the CLI's families."""

from __future__ import annotations

import warnings

import pyarrow as pa
import pytest

import samestory
from conftest import cli_families, families_of

BRIDGE = (
    "the council voted on tuesday to close the old bridge for repairs until march next year "
    "after engineers found cracks in two of its steel supports, a decision that will force "
    "thousands of commuters onto a ferry service the city has promised to expand with two "
    "new boats and a later last crossing on weekdays, while shops on both banks fear a slow "
    "winter and ask for help with their rent"
)
ROWS = [
    {"id": "a", "text": BRIDGE},
    {"id": "b", "text": BRIDGE.replace("march", "april")},
    {"id": "c", "text": "a different story about the weather and the harvest in the valley"},
    {"id": "d", "text": BRIDGE},
]


def test_dicts_give_every_row_its_original_copy_flag_and_jaccard():
    out = samestory.dedup(ROWS)
    assert out.column_names == ["id", "original", "is_copy", "jaccard"]
    rows = out.to_pylist()
    assert [r["original"] for r in rows] == ["a", "a", "c", "a"]
    assert [r["is_copy"] for r in rows] == [False, True, False, True]
    assert rows[0]["jaccard"] == 1.0 and rows[3]["jaccard"] == 1.0
    assert 0.8 <= rows[1]["jaccard"] < 1.0


def test_arrow_table_batches_and_streams_give_the_same_answer():
    table = pa.Table.from_pylist(ROWS)
    expected = samestory.dedup(ROWS)
    assert samestory.dedup(table).equals(expected)
    # Several batches, read from a stream: rows are numbered across batches.
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=1))
    assert samestory.dedup(reader).equals(expected)
    assert samestory.dedup(table.to_batches()[0]).equals(expected)
    large = table.cast(pa.schema([("id", pa.string()), ("text", pa.large_string())]))
    assert samestory.dedup(large).equals(expected)


def test_ids_keep_their_type_and_none_numbers_the_rows():
    table = pa.table({"key": pa.array([10, 20, 30, 40], pa.int32()), "body": [r["text"] for r in ROWS]})
    out = samestory.dedup(table, text="body", id="key")
    assert out.schema.field("id").type == pa.int32()
    assert out.column("original").to_pylist() == [10, 10, 30, 10]
    numbered = samestory.dedup(table, text="body", id=None)
    assert numbered.column("original").to_pylist() == [0, 0, 2, 0]


def test_the_earliest_published_member_is_the_original():
    rows = [dict(r, published=p) for r, p in zip(ROWS, ["2024-03-02", "2024-03-01", None, "2024-03-03"])]
    out = samestory.dedup(rows, published="published")
    assert out.column("original").to_pylist() == ["b", "b", "c", "b"]
    epoch = samestory.dedup(
        [dict(r, t=p) for r, p in zip(ROWS, [300, 100, None, 200])], published="t"
    )
    assert epoch.column("original").to_pylist() == ["b", "b", "c", "b"]


def test_a_threshold_above_the_pair_splits_the_family():
    out = samestory.dedup(ROWS, threshold=0.99)
    assert out.column("original").to_pylist() == ["a", "b", "c", "a"]


def test_null_texts_are_reported_and_in_no_family():
    rows = ROWS + [{"id": "e", "text": None}, {"id": "f", "text": None}]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = samestory.dedup(rows)
    assert any("2 row(s)" in str(w.message) and "row 4" in str(w.message) for w in caught)
    tail = out.to_pylist()[4:]
    assert tail == [
        {"id": "e", "original": "e", "is_copy": False, "jaccard": None},
        {"id": "f", "original": "f", "is_copy": False, "jaccard": None},
    ]


def test_bad_arguments_are_named():
    with pytest.raises(KeyError, match="no text column .body..*columns: id, text"):
        samestory.dedup(ROWS, text="body")
    with pytest.raises(KeyError, match="no id column .key."):
        samestory.dedup(ROWS, id="key")
    with pytest.raises(TypeError, match="id.*not strings"):
        samestory.dedup(pa.table({"id": [1, 2]}), text="id")
    with pytest.raises(ValueError, match="threshold"):
        samestory.dedup(ROWS, threshold=0)
    with pytest.raises(ValueError, match="shingle"):
        samestory.dedup(ROWS, shingle=0)
    with pytest.raises(TypeError, match="row 1: expected a dict"):
        samestory.dedup([ROWS[0], "not a row"])
    with pytest.raises(TypeError, match="not str"):
        samestory.dedup("text")


def test_an_empty_input_is_an_empty_table():
    out = samestory.dedup(pa.table({"id": pa.array([], pa.string()), "text": pa.array([], pa.string())}))
    assert out.num_rows == 0


def test_families_equal_the_cli_dedup_clusters(corpus, samestory_bin, tmp_path):
    out = samestory.dedup(corpus, published="published")
    ours = families_of(out)
    assert len(ours) > 50, "the generated corpus has copy families"
    assert ours == cli_families(samestory_bin, corpus, tmp_path)
    # Another threshold and shingle, as the CLI's flags.
    other = families_of(samestory.dedup(corpus, threshold=0.5, shingle=3, published="published"))
    assert other != ours
    assert other == cli_families(samestory_bin, corpus, tmp_path, "--threshold", "0.5", "--shingle", "3")


def test_pandas_through_pyarrow():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(ROWS)
    out = samestory.dedup(pa.Table.from_pandas(frame, preserve_index=False)).to_pandas()
    assert out["original"].tolist() == ["a", "a", "c", "a"]


def test_hugging_face_dataset_through_its_arrow_table(corpus):
    datasets = pytest.importorskip("datasets")
    ds = datasets.Dataset.from_list(corpus)
    out = samestory.dedup(ds.data.table, published="published")
    assert families_of(out) == families_of(samestory.dedup(corpus, published="published"))
    # Keep the originals and rows without copies: the deduplicated dataset.
    keep = [not c for c in out.column("is_copy").to_pylist()]
    kept = ds.select([i for i, k in enumerate(keep) if k])
    originals = {r["original"] for r in out.to_pylist()}
    assert sorted(kept["id"]) == sorted(originals)
    assert len(kept) < len(ds)
