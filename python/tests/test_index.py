"""`samestory.CopyIndex`: a new batch against an old corpus; saved, loaded and pickled."""

from __future__ import annotations

import pickle

import pyarrow as pa
import pytest

import samestory
from conftest import make_corpus


@pytest.fixture(scope="module")
def old_and_new():
    rows = make_corpus(200, seed=11)
    half = len(rows) // 2
    return rows[:half], rows[half:]


def test_a_new_batch_finds_its_copies_in_the_old_corpus(old_and_new):
    old, new = old_and_new
    index = samestory.CopyIndex()
    assert index.extend(old) == len(old) == len(index)
    hits = index.query_table(new)
    assert hits.column_names == ["id", "copy_of", "jaccard"]
    # Every copy family that spans both halves (by the batch dedup of everything) is found.
    whole = samestory.dedup(old + new).to_pylist()
    old_ids = {r["id"] for r in old}
    family_in_old = {}
    for r in whole:
        if r["id"] in old_ids:
            family_in_old.setdefault(r["original"], r["id"])
    expected = {r["id"] for r in whole[len(old):] if r["original"] in family_in_old}
    found = set(hits.column("id").to_pylist())
    assert expected, "the corpus has copies across the halves"
    # Signatures are estimates: allow a miss or an extra near the threshold, no more.
    assert len(expected ^ found) <= max(1, len(expected) // 50), (expected ^ found)
    text_of = {r["id"]: r["text"] for r in old + new}
    for row in hits.to_pylist():
        if text_of[row["id"]] == text_of[row["copy_of"]]:
            assert row["jaccard"] == 1.0


def test_query_lists_the_copies_most_similar_first():
    base = " ".join(f"word{i}" for i in range(120))
    index = samestory.CopyIndex(threshold=0.8)
    index.add(base, "same")
    index.add(base.replace("word60", "changed"), 7)
    index.add(" ".join(f"other{i}" for i in range(120)), "unrelated")
    got = index.query(base)
    assert [g[0] for g in got] == ["same", 7]
    assert got[0][1] == 1.0 and 0.8 <= got[1][1] < 1.0
    assert index.query("nothing like it at all in the index today") == []


def test_a_saved_and_loaded_index_answers_as_the_saved_one(old_and_new, tmp_path):
    old, new = old_and_new
    index = samestory.CopyIndex(threshold=0.7, shingle=4)
    index.extend(pa.Table.from_pylist(old))
    path = tmp_path / "old.ssix"
    index.save(path)
    loaded = samestory.CopyIndex.load(path)
    assert loaded.threshold == pytest.approx(0.7) and (loaded.shingle, len(loaded)) == (4, len(index))
    assert loaded.query_table(new).equals(index.query_table(new))
    for r in new[:50]:
        assert loaded.query(r["text"]) == index.query(r["text"])
    unpickled = pickle.loads(pickle.dumps(index))
    assert unpickled.query_table(new).equals(index.query_table(new))


def test_a_damaged_file_is_refused_naming_it(tmp_path):
    index = samestory.CopyIndex()
    index.add("one two three four five six", "a")
    good = index.to_bytes()
    path = tmp_path / "bad.ssix"
    path.write_bytes(good[:-3])
    with pytest.raises(ValueError, match=r"bad\.ssix: .*truncated"):
        samestory.CopyIndex.load(path)
    path.write_bytes(b"not an index at all")
    with pytest.raises(ValueError, match="bad magic"):
        samestory.CopyIndex.load(path)


def test_rows_without_text_or_id_are_refused_naming_the_row():
    index = samestory.CopyIndex()
    with pytest.raises(ValueError, match='row 1: field "id" is missing'):
        index.extend([{"id": "a", "text": "x y"}, {"id": None, "text": "z"}])
    with pytest.raises(ValueError, match="threshold"):
        samestory.CopyIndex(threshold=1.5)
