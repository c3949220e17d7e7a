"""The Spark job on a real local cluster: `local-cluster[2,1,1024]` (a master, two workers with
one executor process each, all on loopback), against the single-process `samestory dedup`.

Needs pyspark (PyPI) and a Java 17 runtime; `.ci/run` installs both, so in CI these tests run.
Elsewhere they are skipped with a notice when either is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import samestory
from conftest import cli_families, families_of, make_corpus

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (pip install pyspark)")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("no Java runtime (apt-get install openjdk-17-jre-headless)", allow_module_level=True)

import samestory.spark  # noqa: E402

MASTER = "local-cluster[2,1,1024]"


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master(MASTER)
        .appName("samestory-tests")
        .config("spark.executor.memory", "512m")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    yield session
    session.stop()


@pytest.fixture(scope="module")
def corpus_df(spark):
    rows = make_corpus(400, seed=3)
    return rows, spark.createDataFrame(pa.Table.from_pylist(rows).to_pandas())


def test_the_cluster_has_two_executor_processes(spark):
    # Executors register while the first jobs run; wait for both (at most a minute).
    status = spark.sparkContext.statusTracker()
    for _ in range(120):
        if len(status.getExecutorInfos()) == 3:
            break
        time.sleep(0.5)
    hosts = [e.host for e in status.getExecutorInfos()]
    assert len(hosts) == 3, f"two executors and the driver: {hosts}"


def test_spark_families_equal_the_single_process_dedup(spark, corpus_df, samestory_bin, tmp_path):
    rows, df = corpus_df
    timings: dict = {}
    out = samestory.spark.dedup(df, published="published", timings=timings)
    got = out.select("id", "original", "is_copy", "jaccard").toPandas()
    assert list(got["id"]) == [r["id"] for r in rows], "rows come back in input order"
    table = pa.Table.from_pandas(got, preserve_index=False)
    ours = families_of(table)
    assert len(ours) > 50
    assert ours == cli_families(samestory_bin, rows, tmp_path)
    local = samestory.dedup(rows, published="published").to_pandas()
    assert list(got["is_copy"]) == list(local["is_copy"])
    assert got["jaccard"].round(4).tolist() == local["jaccard"].astype(float).round(4).tolist()
    assert timings["components_on"] == "driver"
    assert set(timings) >= {"band_keys", "candidates", "verify", "components", "join_back"}


def test_large_star_small_star_finds_the_same_families(spark, corpus_df):
    rows, df = corpus_df
    timings: dict = {}
    on_cluster = samestory.spark.dedup(df, published="published", local_components_limit=0, timings=timings)
    assert timings["components_on"] == "cluster"
    assert 1 <= timings["components_rounds"] < 64
    table = pa.Table.from_pandas(on_cluster.select("id", "original").toPandas(), preserve_index=False)
    assert families_of(table) == families_of(samestory.dedup(rows, published="published"))


def test_the_entry_point_reads_and_writes_parquet(tmp_path):
    rows = make_corpus(60, seed=5)
    src = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(rows), src)
    out = tmp_path / "out"
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable)
    subprocess.run(
        [sys.executable, "-m", "samestory.spark", "dedup", str(src), str(out), "--master", "local[2]",
         "--kept-only"],
        check=True,
        env=env,
        capture_output=True,
    )
    kept = pq.read_table(out)
    expected = samestory.dedup(rows)
    originals = sorted(set(expected.column("original").to_pylist()))
    assert sorted(kept.column("id").to_pylist()) == originals
    assert set(kept.column_names) >= {"id", "text", "published", "original", "is_copy", "jaccard"}
