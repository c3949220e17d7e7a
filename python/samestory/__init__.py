"""samestory: find copies and same-story news articles, from Python.

The work is done by the compiled engine (the same code as the ``samestory`` command line), with
the GIL released and every core used.

Main entry points:

* :func:`dedup` -- near-duplicate removal over a whole table (Arrow in, Arrow out), the families of
  ``samestory dedup``.
* :class:`CopyIndex` -- a saved index of a corpus, to deduplicate a new batch against an old one;
  picklable, so it can be shipped to workers.
* :class:`Engine` -- the online pipeline: each article added is a copy of an earlier one, joins a
  story, or starts a new story.
* :func:`compare`, :func:`analyze`, :func:`clean` -- the CLI's ``compare`` verdict, a story's shared
  quotes and passages, the text cleaner.
* :class:`Database` -- read access to a samestory database (``samestory ingest``'s ``samestory.db``).
* :mod:`samestory.spark` -- the same dedup on an Apache Spark cluster.

Example::

    >>> import samestory
    >>> rows = [
    ...     {"id": "a", "text": "the council voted on tuesday to close the old bridge for repairs until march"},
    ...     {"id": "b", "text": "the council voted on tuesday to close the old bridge for repairs until march"},
    ...     {"id": "c", "text": "a different story about the harvest in the valley this year"},
    ... ]
    >>> samestory.dedup(rows).to_pylist()[1]
    {'id': 'b', 'original': 'a', 'is_copy': True, 'jaccard': 1.0}
"""

from __future__ import annotations

import os
from typing import Any, Iterable, Mapping, Optional, Union

import pyarrow as pa

from . import _native
from ._native import Database, Engine, analyze, clean, compare

__all__ = [
    "dedup",
    "CopyIndex",
    "Engine",
    "compare",
    "analyze",
    "clean",
    "Database",
]

__version__ = "0.1.0"


def _as_arrow(data: Any) -> Any:
    """Anything with the Arrow PyCapsule interface as it is; an iterable of dicts as a table."""
    if hasattr(data, "__arrow_c_stream__") or hasattr(data, "__arrow_c_array__"):
        return data
    if isinstance(data, (str, bytes, Mapping)):
        raise TypeError(
            "data must be an Arrow table or stream (pyarrow, polars, DuckDB, a datasets "
            "Dataset's .data) or an iterable of dicts, not " + type(data).__name__
        )
    rows = list(data)
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise TypeError(f"row {i}: expected a dict, got {type(row).__name__}")
    return pa.Table.from_pylist(rows)


def dedup(
    data: Any,
    text: str = "text",
    id: Optional[str] = "id",
    threshold: float = 0.8,
    shingle: int = 5,
    published: Optional[str] = None,
) -> pa.Table:
    """Find the near copies among the rows of ``data``, as ``samestory dedup`` does.

    Two rows are copies when the Jaccard similarity of their ``shingle``-word shingles (words in
    lower case, split like ``\\w+``; the text is not cleaned) is at least ``threshold``. Copies
    are joined into families; a family's original is its earliest published row (when
    ``published`` names a column), then the first in the input. Every pair reported is
    verified exactly, so no family is joined by a pair below the threshold.

    Args:
        data: an object with the Arrow PyCapsule interface (a pyarrow Table, RecordBatch or
            RecordBatchReader, a polars DataFrame, a DuckDB result, pandas through
            ``pyarrow.Table.from_pandas``, a Hugging Face ``Dataset``'s ``.data``), read in place
            without copying the text; or an iterable of dicts.
        text: the column holding the text (any Arrow string type). A null text is in no family
            (a warning says how many there were).
        id: the column of ids, returned as they are (any type); ``None`` numbers the rows from 0.
        threshold: the Jaccard similarity from which two texts are copies, in (0, 1].
        shingle: words a shingle, at least 1.
        published: a column of publication times (timestamps, dates, epoch seconds or ISO 8601
            strings) that picks each family's original; ``None``: the first in the input.

    Returns:
        A ``pyarrow.Table`` with a row per input row, in input order: ``id``, ``original`` (the id
        of its family's original; its own id when it has no copy), ``is_copy`` (true for every
        member but the original), and ``jaccard`` (float32: its exact Jaccard similarity with the
        original, 1.0 for the original itself, null for a null text). A member joined to its
        family through another member may be below ``threshold`` with the original.

    Raises:
        KeyError: a column named is not there (the message lists the columns).
        TypeError: the text column does not hold strings, or ``data`` is not tabular.
        ValueError: ``threshold`` or ``shingle`` is out of range.
    """
    return _native.dedup(_as_arrow(data), text, id, published, float(threshold), int(shingle))


class CopyIndex:
    """An index of texts, to find which indexed texts a new text copies.

    Each text is kept as its MinHash signature and exact hash (520 bytes), not its text, so
    similarities are the signature's estimate (128 bins: standard error about 0.035 at 0.8),
    exactly 1.0 for identical word sequences. The signatures and LSH bands are those of
    :func:`dedup` with the same ``threshold`` and ``shingle``.

    An index is saved with :meth:`save`, read back with :meth:`load`, and pickled (the same
    bytes), so it can be broadcast to workers.
    """

    __slots__ = ("_index",)

    def __init__(self, threshold: float = 0.8, shingle: int = 5) -> None:
        """An empty index of copies at ``threshold`` (Jaccard, in (0, 1]) of ``shingle``-word shingles."""
        self._index = _native.CopyIndex(float(threshold), int(shingle))

    @property
    def threshold(self) -> float:
        """The Jaccard similarity from which a text is a copy."""
        return self._index.threshold

    @property
    def shingle(self) -> int:
        """Words a shingle."""
        return self._index.shingle

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        return repr(self._index)

    def add(self, text: str, id: Union[str, int]) -> None:
        """Index one text under ``id`` (a string or an integer)."""
        self._index.add(text, id)

    def extend(self, data: Any, text: str = "text", id: str = "id") -> int:
        """Index every row of ``data`` (an Arrow table or stream, or an iterable of dicts), the
        fingerprints computed on every core; returns how many rows were added. A row without a
        text or an id is an error naming the row."""
        return self._index.add_table(_as_arrow(data), text, id)

    def query(self, text: str) -> list[tuple[Union[str, int], float]]:
        """The indexed texts that ``text`` copies: ``[(id, jaccard)]``, the most similar first."""
        return self._index.query(text)

    def query_table(self, data: Any, text: str = "text", id: Optional[str] = "id") -> pa.Table:
        """The rows of ``data`` that copy an indexed text, each with its most similar match:
        a ``pyarrow.Table`` of ``id`` (the row's, or its number when ``id`` is None),
        ``copy_of`` (the indexed id) and ``jaccard``. This deduplicates a new batch against an
        old corpus; the rows are matched on every core."""
        table = pa.table(_as_arrow(data))
        hits = self._index.query_table(table, text)
        rows = pa.array([h[0] for h in hits], pa.int64())
        ids = table.column(id).take(rows) if id is not None else rows
        return pa.table(
            {
                "id": ids,
                "copy_of": [h[1] for h in hits],
                "jaccard": pa.array([h[2] for h in hits], pa.float32()),
            }
        )

    def save(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Write the index to ``path`` (its format is in ``python/src/index.rs``)."""
        self._index.save(os.fspath(path))

    @classmethod
    def load(cls, path: Union[str, "os.PathLike[str]"]) -> "CopyIndex":
        """An index written by :meth:`save` (a damaged file is a ValueError naming it)."""
        return cls._wrap(_native.CopyIndex.load(os.fspath(path)))

    def to_bytes(self) -> bytes:
        """The index as :meth:`save` writes it."""
        return self._index.to_bytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> "CopyIndex":
        """An index from :meth:`to_bytes`."""
        return cls._wrap(_native.CopyIndex.from_bytes(data))

    @classmethod
    def _wrap(cls, native: Any) -> "CopyIndex":
        obj = cls.__new__(cls)
        obj._index = native
        return obj

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        return (CopyIndex.from_bytes, (self.to_bytes(),))
