#!/usr/bin/env python3
"""samestory.dedup beside the Python peers (gaoya, rensa, datasketch), one interpreter, one run.

usage: python bench/python_side_by_side.py CORPUS_DIR [--shared ../shared] [--only a,b]

Run with a Python that has the samestory wheel (`pip install ./python`) and the peers at the
versions of ../shared/bench/README.md (gaoya 0.2.2, rensa 0.5.0, datasketch 2.0.0, orjson). Each
tool runs in its own child process of this same interpreter (so peak memory is its own, read with
os.wait4), one after the other: the peers through their scripts in ../shared/bench/peers, and
samestory twice: `samestory` reads the corpus with the peers' reader (`common.read_corpus`,
orjson line by line into Python lists) and `samestory-arrow` with `pyarrow.json.read_json`, as a
user with Arrow data would; both call `samestory.dedup` on a pyarrow table of the ids and texts.
Every tool's pairs are scored by ../shared/bench/score_dups.py; samestory writes (copy, original)
pairs, scored as families (`closure`).

Two rates per tool: the whole process (start-up, reading, dedup, writing the pairs) and the dedup
alone, from the scripts' own phase timers (`common.Timer`: every phase but `read` and `write`).
The load average beside each row says whether the machine was quiet. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

# argv: corpus, pairs file, peers folder, reader ("python": the peers' reader; "arrow").
SAMESTORY = r'''
import sys
sys.path.insert(0, sys.argv[3])
from common import Timer, read_corpus, write_pairs
import pyarrow as pa, pyarrow.compute as pc, pyarrow.json as pj, samestory
t = Timer()
if sys.argv[4] == "arrow":
    table = pj.read_json(sys.argv[1]).select(["id", "text"])
else:
    ids, texts = read_corpus(sys.argv[1])
    table = pa.table({"id": ids, "text": texts})
t.mark("read")
out = samestory.dedup(table)
t.mark("dedup")
copies = out.filter(pc.field("is_copy"))
pairs = list(zip(*(copies.column(c).to_pylist() for c in ("id", "original", "jaccard"))))
t.mark("pairs")
n = write_pairs(sys.argv[2], pairs)
t.mark("write")
t.report(table.num_rows, n, "samestory")
'''


def run(cmd: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (MiB) and stderr of one child process."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        err.seek(0)
        text = err.read().decode(errors="replace")
    if status != 0:
        raise RuntimeError(f"{cmd[:3]} failed ({status}):\n{text[-2000:]}")
    return wall, usage.ru_maxrss // 1024, text


def score(shared: str, corpus_dir: str, pairs: str) -> dict:
    out = subprocess.run(
        [sys.executable, os.path.join(shared, "bench", "score_dups.py"), corpus_dir, pairs],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = [x for x in out.splitlines() if x.startswith("JSON ")][-1]
    return json.loads(line[5:])


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus_dir")
    ap.add_argument("--shared", default=os.path.join(here, "..", "..", "shared"))
    ap.add_argument("--only", default="samestory-arrow,samestory,gaoya,rensa,datasketch")
    a = ap.parse_args()
    peers = os.path.join(a.shared, "bench", "peers")
    corpus = os.path.join(a.corpus_dir, "corpus.jsonl")
    with open(corpus, "rb") as f:  # warm the page cache once, for every tool alike
        n_docs = sum(1 for _ in f)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for tool in a.only.split(","):
            pairs = os.path.join(tmp, f"{tool}.tsv")
            if tool.startswith("samestory"):
                reader = "arrow" if tool == "samestory-arrow" else "python"
                cmd = [sys.executable, "-c", SAMESTORY, corpus, pairs, peers, reader]
            else:
                cmd = [sys.executable, os.path.join(peers, f"dedup_{tool}.py"), corpus, pairs]
            load = os.getloadavg()[0]
            wall, peak, err = run(cmd)
            load = max(load, os.getloadavg()[0])
            # The Timer's marks: time in the tool itself, without reading the corpus and
            # writing the pairs (the same code for every tool).
            marks = dict(m.split("=") for m in err.split("[")[-1].split("]")[0].split())
            work = sum(float(v.rstrip("s")) for k, v in marks.items() if k not in ("read", "write"))
            s = score(a.shared, a.corpus_dir, pairs)
            key = "closure" if tool.startswith("samestory") else ("est>=0.80" if "est>=0.80" in s else "raw")
            q = s[key]
            rows.append((tool, wall, n_docs / wall, work, n_docs / work, peak, load, key, q["precision"], q["recall"], q["f1"]))
            print(f"{tool}: {wall:.1f}s (dedup {work:.1f}s) {peak} MiB load {load:.1f} {key} "
                  f"P={q['precision']:.4f} R={q['recall']:.4f} [{' '.join(f'{k}={v}' for k, v in marks.items())}]",
                  file=sys.stderr, flush=True)
    print(f"\n{n_docs:,} articles, {sys.executable} (Python {sys.version.split()[0]})\n")
    print("| tool | wall s | articles/s (process) | dedup s | articles/s (dedup only) | peak MiB | load avg (max of start, end) | scored | precision | recall | F1 |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for tool, wall, rate, work, work_rate, peak, load, key, p, r, f in rows:
        print(f"| {tool} | {wall:.1f} | {rate:,.0f} | {work:.1f} | {work_rate:,.0f} | {peak:,} | {load:.1f} | {key} | {p:.4f} | {r:.4f} | {f:.4f} |")
    by = {r[0]: r for r in rows}
    if "gaoya" in by:
        for tool in ("samestory-arrow", "samestory"):
            if tool in by:
                print(
                    f"\n{tool} / gaoya: {by[tool][2] / by['gaoya'][2]:.2f}x (process), "
                    f"{by[tool][4] / by['gaoya'][4]:.2f}x (dedup only)"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
