#!/usr/bin/env python3
"""The Spark job (samestory.spark) on a generated corpus with 1 and 2 executor processes.

usage: python bench/spark_scaling.py CORPUS_DIR CLI_CLUSTERS.jsonl [--executors 1,2]
           [--parquet FILE] [--local-components-limit N] [--json RUNS.jsonl]

CORPUS_DIR holds `corpus.jsonl` (../shared/bench/make_corpus.py); CLI_CLUSTERS.jsonl is
`samestory dedup CORPUS --clusters` on it, for the agreement check. For each executor count N
the job runs on `local-cluster[N,1,1024]` (N worker processes, one core and 1 GiB each) with the
stage timings of `samestory.spark.dedup(timings=...)`, and Spark's own monitoring API (on
loopback) gives the shuffle bytes written and each executor's peak JVM heap and process-tree RSS.
Prints one Markdown row per run and whether the families equal the CLI's; `--json` appends each
run's figures (the stage timings, counts, the load average before and after) as a JSON line.
`--local-components-limit 0` finds the components on the cluster (large-star / small-star) and
reports its rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.parse
import urllib.request

import pyarrow.json as pj
import pyarrow.parquet as pq


def api(ui: str, path: str):
    with urllib.request.urlopen(f"{ui}/api/v1/{path}", timeout=30) as r:
        return json.load(r)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus_dir")
    ap.add_argument("cli_clusters")
    ap.add_argument("--executors", default="1,2")
    ap.add_argument("--parquet", help="where the corpus is written as Parquet (default: CORPUS_DIR/corpus.parquet)")
    ap.add_argument("--local-components-limit", type=int, default=None,
                    help="verified pairs up to which components are found on the driver (0: always on the cluster)")
    ap.add_argument("--json", help="append each run's figures to this file as a JSON line")
    a = ap.parse_args()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    parquet = a.parquet or os.path.join(a.corpus_dir, "corpus.parquet")
    if not os.path.exists(parquet):
        table = pj.read_json(os.path.join(a.corpus_dir, "corpus.jsonl"))
        pq.write_table(table.select(["id", "published", "text"]), parquet, row_group_size=20_000)
    cli = set()
    for line in open(a.cli_clusters):
        f = json.loads(line)
        cli.add((f["original"], tuple(sorted(f["members"]))))

    from pyspark.sql import SparkSession

    import samestory.spark

    print("| executors | docs | band keys s | candidates s | verify s | components s (where, rounds) | join back s | total s | docs/s | shuffle written MiB | peak heap MiB / executor | peak RSS MiB / executor | families = CLI |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for n in [int(x) for x in a.executors.split(",")]:
        spark = (
            SparkSession.builder.master(f"local-cluster[{n},1,1024]")
            .appName(f"samestory-scaling-{n}")
            .config("spark.executor.memory", "768m")
            .config("spark.driver.memory", "2g")
            .config("spark.sql.shuffle.partitions", str(8 * n))
            .config("spark.executor.processTreeMetrics.enabled", "true")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate()
        )
        ui = f"http://127.0.0.1:{urllib.parse.urlparse(spark.sparkContext.uiWebUrl).port}"
        app = spark.sparkContext.applicationId
        df = spark.read.parquet(parquet)
        docs = df.count()
        timings: dict = {}
        load_before = os.getloadavg()
        start = time.perf_counter()
        extra = {}
        if a.local_components_limit is not None:
            extra["local_components_limit"] = a.local_components_limit
        out = samestory.spark.dedup(df, published="published", timings=timings, **extra)
        got = out.select("id", "original").toArrow()
        total = time.perf_counter() - start
        members: dict = {}
        for i, o in zip(got.column("id").to_pylist(), got.column("original").to_pylist()):
            members.setdefault(o, []).append(i)
        fams = {(o, tuple(sorted(m))) for o, m in members.items() if len(m) > 1}
        stages = api(ui, f"applications/{app}/stages")
        shuffle = sum(s.get("shuffleWriteBytes", 0) for s in stages) / 2**20
        spilled = sum(s.get("diskBytesSpilled", 0) for s in stages) / 2**20
        execs = [e for e in api(ui, f"applications/{app}/allexecutors") if e["id"] != "driver"]
        heap = max((e.get("peakMemoryMetrics", {}).get("JVMHeapMemory", 0) for e in execs), default=0) / 2**20
        rss = max(
            (e.get("peakMemoryMetrics", {}).get("ProcessTreeJVMRSSMemory", 0)
             + e.get("peakMemoryMetrics", {}).get("ProcessTreePythonRSSMemory", 0) for e in execs),
            default=0,
        ) / 2**20
        t = timings
        where = t["components_on"] + (f", {t['components_rounds']} rounds" if "components_rounds" in t else "")
        print(
            f"| {n} | {docs:,} | {t['band_keys']:.1f} | {t['candidates']:.1f} | {t['verify']:.1f} | "
            f"{t['components']:.1f} ({where}) | {t['join_back']:.1f} | {total:.1f} | {docs / total:,.0f} | "
            f"{shuffle:,.0f} | {heap:,.0f} | {rss:,.0f} | {fams == cli} ({len(fams):,} vs {len(cli):,}) |",
            flush=True,
        )
        print(f"  timings: {t}", file=sys.stderr)
        if a.json:
            with open(a.json, "a") as f:
                record = {
                    "executors": n, "docs": docs, "total_s": round(total, 3), "timings": t,
                    "shuffle_written_mib": round(shuffle, 1), "spilled_mib": round(spilled, 1),
                    "peak_heap_mib": round(heap), "peak_rss_mib": round(rss),
                    "families": len(fams), "cli_families": len(cli), "equal": fams == cli,
                    "load_before": load_before, "load_after": os.getloadavg(),
                    "stages": [
                        {k: s.get(k) for k in ("stageId", "name", "numTasks", "executorRunTime",
                                               "shuffleWriteBytes", "shuffleReadBytes", "diskBytesSpilled")}
                        for s in stages
                    ],
                }
                f.write(json.dumps(record) + "\n")
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
