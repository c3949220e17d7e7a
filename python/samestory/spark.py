"""Near-duplicate removal on Apache Spark: the families of ``samestory dedup``, on a cluster.

The job has the shape of the largest published MinHash runs (BigCode, datatrove), each step a
DataFrame stage:

1. **Band keys** (``mapInArrow``, no shuffle): each partition's texts go to the wheel
   (:func:`samestory._native.band_keys`), which computes words, MinHash signatures and the LSH
   bucket key of every band, plus the exact hash of the word sequence (band -1), on every core of
   the executor. Rows are numbered in input order first (``monotonically_increasing_id``).
2. **Candidate pairs** (one shuffle on ``(band, key)``): rows sharing a bucket, as distinct pairs;
   rows with the same exact hash joined to their group's first row only (a star, not all pairs).
3. **Verification** (two joins on the row number, then ``mapInArrow``): the exact Jaccard
   similarity of each candidate pair from both texts; pairs below the threshold are dropped, so
   no family is joined by a pair below it (precision stays that of exact Jaccard).
4. **Connected components** over the verified pairs. The pair's nodes are first ranked by
   (publication time, nulls last; input order), so that a component's smallest rank is its
   original, as in the CLI. Then, chosen by size: when there are at most
   ``local_components_limit`` pairs (default 50 million: 16 bytes a pair on the driver), they are
   collected to the driver and joined by the Rust union-find (:func:`samestory._native.components`);
   above it, by large-star / small-star rounds on DataFrames (Kiveris et al., "Connected
   Components in MapReduce and Beyond", 2014), about log(n) rounds of two shuffles each.
5. **Join back**: each row gets its family's original id, ``is_copy``, and its exact Jaccard with
   the original (computed for the copies only).

Entry points: :func:`dedup` on a DataFrame, and ``python -m samestory.spark dedup IN OUT``
(Parquet in and out) to hand to ``spark-submit``. The executors need the wheel installed in
their Python (or shipped with ``--py-files``/an archive of a virtual environment).
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any, Callable, Iterator, Optional

import pyarrow as pa

from samestory import _native

LOCAL_COMPONENTS_LIMIT = 50_000_000
"""Verified pairs up to which components are found on the driver (union-find) rather than by
large-star / small-star rounds on the cluster."""

_ROW = "_samestory_row"


def _band_keys_fn(text: str, threshold: float, shingle: int) -> Callable:
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            yield from _native.band_keys(batch, text, _ROW, threshold, shingle).to_batches()

    return run


def _jaccard_fn(shingle: int) -> Callable:
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            j = _native.pair_jaccard(batch, "text_a", "text_b", shingle).column("jaccard")
            yield pa.RecordBatch.from_arrays(
                [batch.column("a"), batch.column("b"), j.combine_chunks()], ["a", "b", "jaccard"]
            )

    return run


def _components_on_driver(pairs: pa.Table, nodes: pa.Table) -> pa.Table:
    """(row, original_row) of every node of the verified pairs, by the Rust union-find: nodes
    are ranked by (when, nulls last; row), so each component's root (its smallest rank) is its
    original."""
    import pyarrow.compute as pc

    # Undated nodes sort after every date (as in the CLI).
    when = pc.fill_null(nodes.column("when").cast(pa.int64()), 2**62)
    keyed = pa.table({"when": when, "row": nodes.column("row")})
    order = pc.sort_indices(keyed, [("when", "ascending"), ("row", "ascending")])
    ranked = nodes.column("row").take(order).combine_chunks()
    edges = pa.table(
        {"a": pc.index_in(pairs.column("a"), value_set=ranked), "b": pc.index_in(pairs.column("b"), value_set=ranked)}
    )
    roots = _native.components(len(ranked), edges, "a", "b").column("root")
    return pa.table({"row": ranked, "original_row": ranked.take(roots)})


def _components_on_cluster(spark: Any, pairs: Any, nodes: Any, stats: Optional[dict] = None) -> Any:
    """(row, original_row) of every node of the verified pairs, on the cluster: nodes ranked by
    a distributed sort, then large-star / small-star rounds (counted in ``stats["components_rounds"]``
    when ``stats`` is given)."""
    from pyspark.sql import functions as F

    order = F.coalesce(F.col("when"), F.lit(2**62))
    ranked_rdd = nodes.orderBy(order, F.col("row")).select("row").rdd.zipWithIndex()
    ranks = spark.createDataFrame(ranked_rdd.map(lambda r: (r[0][0], r[1])), "row long, rank long")
    ranked_edges = (
        pairs.join(ranks.withColumnRenamed("row", "a").withColumnRenamed("rank", "ra"), "a")
        .join(ranks.withColumnRenamed("row", "b").withColumnRenamed("rank", "rb"), "b")
        .select(F.col("ra").alias("a"), F.col("rb").alias("b"))
    )
    labels = _components_distributed(ranked_edges, stats=stats)
    return (
        labels.join(ranks.withColumnRenamed("rank", "node"), "node")
        .join(ranks.select(F.col("rank").alias("label"), F.col("row").alias("original_row")), "label")
        .select("row", "original_row")
    )


def _from_arrow(spark: Any, table: pa.Table) -> Any:
    # Spark 4 takes a pyarrow Table directly; older ones go through pandas.
    try:
        return spark.createDataFrame(table)
    except TypeError:
        return spark.createDataFrame(table.to_pandas())


def _components_distributed(edges: Any, max_rounds: int = 64, stats: Optional[dict] = None) -> Any:
    """(node, label) for every node of the edges, label the smallest node of its component:
    large-star then small-star until a round changes nothing (the rounds run, the last one
    included, go to ``stats["components_rounds"]``)."""
    from pyspark.sql import functions as F

    e = edges.select(F.least("a", "b").alias("a"), F.greatest("a", "b").alias("b")).distinct()
    for rounds in range(1, max_rounds + 1):
        # Large-star: every neighbour larger than u points to the smallest of u's neighbourhood.
        both = e.unionByName(e.select(F.col("b").alias("a"), F.col("a").alias("b")))
        smallest = both.groupBy("a").agg(F.min("b").alias("m"))
        large = (
            both.join(smallest, "a")
            .where(F.col("b") > F.col("a"))
            .select(F.col("b").alias("a"), F.least("a", "m").alias("b"))
        )
        # Small-star: u and its smaller neighbours point to the smallest of them.
        down = large.select(F.greatest("a", "b").alias("a"), F.least("a", "b").alias("b")).where(
            F.col("a") != F.col("b")
        )
        m = down.groupBy("a").agg(F.min("b").alias("m"))
        small = (
            down.join(m, "a")
            .select(F.col("b").alias("x"), "m")
            .unionByName(m.select(F.col("a").alias("x"), "m"))
            .where(F.col("x") != F.col("m"))
            .select(F.greatest("x", "m").alias("a"), F.least("x", "m").alias("b"))
            .distinct()
            .localCheckpoint()
        )
        changed = small.exceptAll(e).limit(1).count() + e.exceptAll(small).limit(1).count()
        e = small
        if changed == 0:
            if stats is not None:
                stats["components_rounds"] = rounds
            break
    else:
        raise RuntimeError(f"connected components did not converge in {max_rounds} rounds")
    # Converged: a star around each component's smallest node.
    labels = e.groupBy("a").agg(F.min("b").alias("label")).withColumnRenamed("a", "node")
    roots = labels.select(F.col("label").alias("node"), F.col("label")).distinct()
    return labels.unionByName(roots)


def dedup(
    df: Any,
    text: str = "text",
    id: str = "id",
    threshold: float = 0.8,
    shingle: int = 5,
    published: Optional[str] = None,
    local_components_limit: int = LOCAL_COMPONENTS_LIMIT,
    timings: Optional[dict] = None,
) -> Any:
    """The copy families of a Spark DataFrame's rows, as :func:`samestory.dedup` finds them.

    Args:
        df: the rows; ``text`` a string column, ``id`` any column of unique ids.
        threshold, shingle: as :func:`samestory.dedup` (Jaccard of ``shingle``-word shingles).
        published: a column of publication times (timestamp, date, or epoch seconds) that picks
            each family's original; ``None``: the first in the input.
        local_components_limit: verified pairs up to which the components are found on the
            driver; above it, on the cluster (see the module doc).
        timings: when a dict is given, each stage is run to completion in turn and its wall
            time in seconds stored under its name (``band_keys``, ``candidates``, ``verify``,
            ``components``, ``join_back``), with ``candidates``/``pairs`` counts and
            ``components_on`` (``driver`` or ``cluster``) and, on the cluster,
            ``components_rounds`` (large-star / small-star rounds until nothing changed).

    Returns:
        ``df``'s rows and columns, plus ``original`` (the id of the row's family's original;
        its own id when it has no copy), ``is_copy`` and ``jaccard`` (float: its exact Jaccard
        with the original, 1.0 for an original).
    """
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    if shingle < 1:
        raise ValueError("shingle must be at least 1 word")
    for name in [text, id] + ([published] if published else []):
        if name not in df.columns:
            raise KeyError(f"no column {name!r} (columns: {', '.join(df.columns)})")
    spark = df.sparkSession
    clock = {"t": time.perf_counter()}

    def stage(name: str, frame: Any) -> Any:
        if timings is None:
            return frame
        frame = frame.persist()
        frame.count()
        now = time.perf_counter()
        timings[name] = round(now - clock["t"], 3)
        clock["t"] = now
        return frame

    rows = df.withColumn(_ROW, F.monotonically_increasing_id())
    if timings is not None:
        rows = rows.persist()
        rows.count()
        clock["t"] = time.perf_counter()
    keys = rows.select(_ROW, text).mapInArrow(
        _band_keys_fn(text, threshold, shingle), "row long, band int, key long"
    )
    keys = stage("band_keys", keys)

    # Rows sharing a band's bucket: every pair. Rows with the same exact hash: each with the
    # group's first row only (a star joins them as well, and a group of n identical texts, a
    # template page repeated a million times, costs n pairs instead of n²/2).
    banded = keys.where(F.col("band") >= 0)
    a, b = banded.alias("a"), banded.alias("b")
    in_buckets = (
        a.join(b, (F.col("a.band") == F.col("b.band")) & (F.col("a.key") == F.col("b.key")))
        .where(F.col("a.row") < F.col("b.row"))
        .select(F.col("a.row").alias("a"), F.col("b.row").alias("b"))
    )
    exact = keys.where(F.col("band") == _native.EXACT_BAND)
    firsts = exact.groupBy("key").agg(F.min("row").alias("a"))
    same_text = exact.join(firsts, "key").where(F.col("row") > F.col("a")).select("a", F.col("row").alias("b"))
    candidates = in_buckets.unionByName(same_text).distinct()
    candidates = stage("candidates", candidates)

    texts = rows.select(F.col(_ROW).alias("row"), F.col(text).alias("t"))
    with_texts = (
        candidates.join(texts.withColumnRenamed("row", "a").withColumnRenamed("t", "text_a"), "a")
        .join(texts.withColumnRenamed("row", "b").withColumnRenamed("t", "text_b"), "b")
        .select("a", "b", "text_a", "text_b")
    )
    pairs = (
        with_texts.mapInArrow(_jaccard_fn(shingle), "a long, b long, jaccard float")
        .where(F.col("jaccard") >= F.lit(threshold).cast("float"))
        .select("a", "b")
    )
    pairs = stage("verify", pairs)
    n_pairs = pairs.count()
    if timings is not None:
        timings["candidates_count"] = candidates.count()
        timings["pairs"] = n_pairs

    # Nodes ranked by (published, nulls last; input order): a component's smallest rank is its
    # original, as in the CLI.
    nodes = pairs.select(F.col("a").alias("row")).union(pairs.select(F.col("b").alias("row"))).distinct()
    if published:
        when = rows.select(
            F.col(_ROW).alias("row"), _epoch_seconds(F, T, rows.schema[published].dataType, published)
        )
        nodes = nodes.join(when, "row")
    else:
        nodes = nodes.withColumn("when", F.lit(None).cast("long"))
    if n_pairs <= local_components_limit:
        original_of = _from_arrow(spark, _components_on_driver(pairs.toArrow(), nodes.toArrow()))
        where = "driver"
    else:
        original_of = _components_on_cluster(spark, pairs, nodes, stats=timings)
        where = "cluster"
    original_of = stage("components", original_of)
    if timings is not None:
        timings["components_on"] = where

    ids = rows.select(F.col(_ROW).alias("original_row"), F.col(id).alias("original"))
    members = original_of.join(ids, "original_row")
    copies = members.where(F.col("row") != F.col("original_row"))
    copy_jaccard = (
        copies.join(texts.withColumnRenamed("row", "a").withColumnRenamed("t", "text_a"), copies.row == F.col("a"))
        .join(
            texts.withColumnRenamed("row", "b").withColumnRenamed("t", "text_b"),
            copies.original_row == F.col("b"),
        )
        .select("a", "b", "text_a", "text_b")
        .mapInArrow(_jaccard_fn(shingle), "a long, b long, jaccard float")
        .select(F.col("a").alias("row"), "jaccard")
    )
    out = (
        rows.join(members.select(F.col("row").alias(_ROW), "original"), _ROW, "left")
        .join(copy_jaccard.withColumnRenamed("row", _ROW), _ROW, "left")
        .withColumn("is_copy", F.col("jaccard").isNotNull())
        .withColumn("original", F.coalesce(F.col("original"), F.col(id)))
        .withColumn("jaccard", F.coalesce(F.col("jaccard").cast("double"), F.lit(1.0)))
        .orderBy(_ROW)
        .select(*df.columns, "original", "is_copy", "jaccard")
    )
    return stage("join_back", out)


def _epoch_seconds(F: Any, T: Any, dtype: Any, name: str) -> Any:
    col = F.col(name)
    if isinstance(dtype, (T.TimestampType, T.TimestampNTZType, T.DateType)):
        return F.unix_timestamp(col.cast("timestamp")).alias("when")
    if isinstance(dtype, T.StringType):
        return F.unix_timestamp(F.to_timestamp(col)).alias("when")
    return col.cast("long").alias("when")


def main(argv: Optional[list] = None) -> int:
    """``python -m samestory.spark dedup IN OUT``: Parquet in, Parquet out (``spark-submit``)."""
    parser = argparse.ArgumentParser(prog="python -m samestory.spark", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dedup", help="write IN's rows with original, is_copy and jaccard to OUT")
    d.add_argument("input", help="Parquet file or folder")
    d.add_argument("output", help="Parquet folder to write (overwritten)")
    d.add_argument("--text", default="text")
    d.add_argument("--id", default="id")
    d.add_argument("--threshold", type=float, default=0.8)
    d.add_argument("--shingle", type=int, default=5)
    d.add_argument("--published", default=None)
    d.add_argument("--kept-only", action="store_true", help="write only the originals and rows without copies")
    d.add_argument("--local-components-limit", type=int, default=LOCAL_COMPONENTS_LIMIT)
    d.add_argument("--master", default=None, help="the Spark master, when not given by spark-submit")
    args = parser.parse_args(argv)

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("samestory dedup")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    timings: dict = {}
    df = spark.read.parquet(args.input)
    out = dedup(
        df,
        text=args.text,
        id=args.id,
        threshold=args.threshold,
        shingle=args.shingle,
        published=args.published,
        local_components_limit=args.local_components_limit,
        timings=timings,
    )
    if args.kept_only:
        out = out.where(~out.is_copy)
    out.write.mode("overwrite").parquet(args.output)
    print(" ".join(f"{k}={v}" for k, v in timings.items()), file=sys.stderr)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
