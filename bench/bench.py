#!/usr/bin/env python3
"""Run samestory and its peers on the shared benchmark corpora and tabulate speed, memory, quality.

Started by bench/run.sh (which prepares the virtual environments, GNU time and the release binary);
standard library only. For each N:
  1. bench/out/corpus-N       the corpus, generated once by ../shared/bench/make_corpus.py --seed 42
  2. bench/out/run-N/TOOL/    each tool's output, stdout, stderr and `/usr/bin/time -v` report
  3. bench/out/results-N.md   the table (also printed), and results-N.json with every figure

Tools run one after the other, never concurrently, each as its own process under `/usr/bin/time -v`:
articles/s = N / wall seconds of the whole process (start-up, reading, writing included) and peak
MiB = its maximum resident set. Scoring is not timed. A tool that cannot run (samestory subcommand not
written yet, build failed) gets a "not available" row instead of stopping the run.
"""
import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time

DEFAULT_N = 100_000
PEER_MAX_N = 100_000  # peers are slow: above this only with --peers-all
THRESHOLD = 0.8
EST_LINE = "est>=0.80"  # score_dups.py's key for pairs with estimate >= 0.8

# Every row of the table. kind: dedup (near-copy pairs, score_dups.py), stories (score_clusters.py),
# ingest (speed and memory only).
# line: which score_dups.py line is the tool's near-copy quality, following the peer scripts:
#   raw      the tool already keeps only pairs it judged >= threshold (gaoya filters by its
#            estimate and writes est = -1),
#   est      the tool writes every LSH candidate with its Jaccard estimate; a user keeps est >= 0.8
#            (rensa, datasketch; samestory's pairs carry their Jaccard too),
#   closure  the tool outputs clusters, not verified pairs (text-dedup: union-find over band
#            collisions, so its pairs are every pair inside a cluster).
TOOLS = [
    # name,               group,       kind,      line
    ("samestory-dedup",   "samestory", "dedup",   "est"),
    ("samestory-cluster", "samestory", "stories", None),
    ("samestory-ingest",  "samestory", "ingest",  None),
    ("gaoya",             "peers",     "dedup",   "raw"),
    ("rensa",             "peers",     "dedup",   "est"),
    ("datasketch",        "peers",     "dedup",   "est"),
    ("text-dedup",        "peers",     "dedup",   "closure"),
    ("sklearn-stories",   "peers",     "stories", None),
]
LABELS = {
    "samestory-dedup": "samestory dedup",
    "samestory-cluster": "samestory cluster (stories)",
    "samestory-ingest": "samestory ingest (SQLite)",
    "gaoya": "gaoya 0.2.2",
    "rensa": "rensa 0.5.0",
    "datasketch": "datasketch 2.0.0",
    "text-dedup": "text-dedup 0.4.0",
    "sklearn-stories": "scikit-learn single-pass stories",
}
PEER_SCRIPTS = {
    "gaoya": "dedup_gaoya.py",
    "rensa": "dedup_rensa.py",
    "datasketch": "dedup_datasketch.py",
    "text-dedup": "dedup_textdedup.py",
    "sklearn-stories": "cluster_sklearn.py",
}


def log(msg):
    print("[bench] " + msg, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- context


class Ctx:
    def __init__(self, a):
        self.root = os.path.abspath(a.root)
        self.shared = os.path.abspath(a.shared)
        self.bench = os.path.join(self.root, "bench")
        self.out = os.path.join(self.bench, "out")
        self.py = sys.executable  # bench/.venv's python
        self.py_td = os.path.join(self.bench, ".venv-textdedup", "bin", "python")
        self.bin = os.path.abspath(a.bin) if a.bin else os.path.join(self.root, "target", "release", "samestory")
        self.peers_dir = os.path.join(self.shared, "bench", "peers")


def machine_info(ctx):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass

    def sh(*cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, cwd=ctx.root).stdout.strip()
        except OSError:
            return ""
    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "nproc": sh("nproc"),
        "free_g": sh("free", "-g"),
        "cpu": cpu,
        "loadavg_at_start": os.getloadavg()[0],
        "python": platform.python_version(),
        "git": sh("git", "describe", "--always", "--dirty"),
    }


# ----------------------------------------------------------------------------- corpus


def ensure_corpus(ctx, n):
    """bench/out/corpus-N, generated once; written to a temporary folder first so an interrupted
    generation is never mistaken for a finished one."""
    d = os.path.join(ctx.out, "corpus-%d" % n)
    if os.path.exists(os.path.join(d, "meta.json")):
        log("corpus-%d: cached" % n)
        return d
    tmp = d + ".partial"
    shutil.rmtree(tmp, ignore_errors=True)
    log("corpus-%d: generating (1M takes ~7 min and ~9.5 GB)" % n)
    t0 = time.perf_counter()
    subprocess.run([ctx.py, os.path.join(ctx.shared, "bench", "make_corpus.py"),
                    "--n", str(n), "--out", tmp, "--seed", "42"], check=True)
    os.replace(tmp, d)
    log("corpus-%d: %.0f s" % (n, time.perf_counter() - t0))
    return d


def warm_page_cache(path):
    """Read the corpus once so the first tool does not pay for a cold page cache."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


# ----------------------------------------------------------------------------- running


def parse_gnu_time(path):
    r = {}
    with open(path) as f:
        for line in f:
            k, _, v = line.strip().rpartition(": ")
            if k.startswith("Elapsed (wall clock) time"):
                secs = 0.0
                for part in v.split(":"):
                    secs = secs * 60 + float(part)
                r["wall_s"] = secs
            elif k == "Maximum resident set size (kbytes)":
                r["peak_mib"] = int(v) / 1024.0
            elif k == "User time (seconds)":
                r["user_s"] = float(v)
            elif k == "System time (seconds)":
                r["sys_s"] = float(v)
            elif k == "Exit status":
                r["exit"] = int(v)
    return r


def timed(cmd, workdir, cwd):
    """Run cmd under /usr/bin/time -v; stdout, stderr and the time report go to workdir."""
    tfile = os.path.join(workdir, "time.txt")
    with open(os.path.join(workdir, "stdout.txt"), "w") as so, \
            open(os.path.join(workdir, "stderr.txt"), "w") as se:
        p = subprocess.run(["/usr/bin/time", "-v", "-o", tfile] + cmd, stdout=so, stderr=se, cwd=cwd)
    r = parse_gnu_time(tfile) if os.path.exists(tfile) else {}
    r["exit"] = p.returncode
    r["cmd"] = " ".join(cmd)
    return r


def tail(path, n=3):
    try:
        with open(path, errors="replace") as f:
            return " | ".join(line.strip() for line in f.readlines()[-n:] if line.strip())
    except OSError:
        return ""


def samestory_has(ctx, sub):
    """None when `samestory SUB` exists, else why not. clap prints a Usage line for a subcommand's
    --help; anything else (the binary missing, an empty main, an unknown subcommand) is not it."""
    if not os.path.exists(ctx.bin):
        return "binary missing (cargo build --release -p samestory failed?)"
    p = subprocess.run([ctx.bin, sub, "--help"], capture_output=True, text=True)
    if p.returncode != 0 or "usage" not in (p.stdout + p.stderr).lower():
        return "subcommand `%s` not implemented yet" % sub
    return None


def clusters_to_pairs(clusters_path, pairs_path):
    """samestory's clusters.jsonl (one copy family a line: original, members, pairs [[a, b, j]])
    -> the scorer's TSV: a<TAB>b<TAB>estimate with a header."""
    n = 0
    with open(clusters_path) as f, open(pairs_path, "w") as out:
        out.write("a\tb\test\n")
        for line in f:
            if not line.strip():
                continue
            fam = json.loads(line)
            pairs = fam.get("pairs")
            if pairs is None:  # families without pairs: every pair inside the family
                m = sorted(fam["members"])
                pairs = [(m[i], m[j], -1.0) for i in range(len(m)) for j in range(i + 1, len(m))]
            for a, b, j in pairs:
                out.write("%d\t%d\t%.4f\n" % (a, b, j))
                n += 1
    return n


def score(ctx, kind, corpus_dir, pred, workdir, name):
    script = "score_dups.py" if kind == "dedup" else "score_clusters.py"
    p = subprocess.run([ctx.py, os.path.join(ctx.shared, "bench", script), corpus_dir, pred, "--name", name],
                       capture_output=True, text=True)
    with open(os.path.join(workdir, "score.txt"), "w") as f:
        f.write(p.stdout + p.stderr)
    for line in p.stdout.splitlines():
        if line.startswith("JSON "):
            return json.loads(line[5:])
    last = [x for x in (p.stdout + p.stderr).splitlines() if x.strip()][-1:] or ["no output"]
    raise RuntimeError("%s gave no JSON line (%s; see score.txt)" % (script, last[0].strip()))


def command(ctx, name, corpus, w):
    """The command line of one tool, and the file it writes for the scorer (None: nothing to score)."""
    if name == "samestory-dedup":
        return ([ctx.bin, "dedup", corpus, "--threshold", str(THRESHOLD), "--shingle", "5",
                 "--output", os.path.join(w, "kept.jsonl"), "--clusters", os.path.join(w, "clusters.jsonl")],
                os.path.join(w, "pairs.tsv"))
    if name == "samestory-cluster":
        return [ctx.bin, "cluster", corpus, "--output", os.path.join(w, "stories.tsv")], os.path.join(w, "stories.tsv")
    if name == "samestory-ingest":
        return [ctx.bin, "ingest", corpus, "--db", os.path.join(w, "samestory.db")], None
    py = ctx.py_td if name == "text-dedup" else ctx.py
    ext = "stories.tsv" if name == "sklearn-stories" else "pairs.tsv"
    return [py, os.path.join(ctx.peers_dir, PEER_SCRIPTS[name]), corpus, os.path.join(w, ext)], os.path.join(w, ext)


def run_tool(ctx, name, group, kind, line, n, corpus_dir, repeat=1):
    row = {"tool": name, "label": LABELS[name], "group": group, "kind": kind, "n": n,
           "measured_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    if group == "samestory":
        why = samestory_has(ctx, name.split("-", 1)[1])
        if why:
            row.update(status="not available", reason=why)
            log("%s: not available (%s)" % (name, why))
            return row
    w = os.path.join(ctx.out, "run-%d" % n, name)
    shutil.rmtree(w, ignore_errors=True)
    os.makedirs(w)
    corpus = os.path.join(corpus_dir, "corpus.jsonl")
    cmd, pred = command(ctx, name, corpus, w)
    runs = []
    for k in range(repeat):
        log("%s: running%s" % (name, " (%d/%d)" % (k + 1, repeat) if repeat > 1 else ""))
        for f in ("samestory.db", "samestory.db-wal", "samestory.db-shm"):  # ingest starts empty
            if os.path.exists(os.path.join(w, f)):
                os.remove(os.path.join(w, f))
        r = timed(cmd, w, ctx.root)
        r["loadavg_after"] = os.getloadavg()[0]  # other jobs on a shared machine show here
        runs.append(r)
        if r["exit"] != 0:
            break
    # best of the repeats: the fastest wall time (noise on a shared machine only ever adds time)
    r = min(runs, key=lambda x: (x["exit"] != 0, x.get("wall_s", float("inf"))))
    row.update(r)
    if repeat > 1:
        row["walls_s"] = [x.get("wall_s") for x in runs]
    if r["exit"] != 0:
        row.update(status="failed", reason="exit %d: %s" % (r["exit"], tail(os.path.join(w, "stderr.txt"))))
        log("%s: FAILED (%s)" % (name, row["reason"]))
        return row
    row["status"] = "ok"
    row["rate"] = n / r["wall_s"] if r.get("wall_s") else None
    # the peers print "tool<TAB>docs<TAB>in-process seconds<TAB>docs/s" on stdout
    with open(os.path.join(w, "stdout.txt"), errors="replace") as f:
        for ln in f:
            p = ln.rstrip("\n").split("\t")
            if len(p) == 4 and p[0] and p[1] == str(n):
                row["in_process_s"] = float(p[2])
    if name == "samestory-ingest":
        db = os.path.join(w, "samestory.db")
        row["db_mib"] = os.path.getsize(db) / 2 ** 20 if os.path.exists(db) else None
    if pred:
        try:
            if name == "samestory-dedup":
                row["pairs_written"] = clusters_to_pairs(os.path.join(w, "clusters.jsonl"), pred)
            s = score(ctx, kind, corpus_dir, pred, w, name)
        except Exception as e:  # a missing or broken output file must not stop the run
            row.update(status="failed", reason="scoring: %s" % e)
            log("%s: scoring FAILED (%s)" % (name, e))
            return row
        row["score"] = s
        if kind == "dedup":
            key = {"raw": "raw", "est": EST_LINE, "closure": "closure"}[line]
            if key not in s:  # no estimates written: the raw pairs are what the tool kept
                key = "raw"
            row["quality_line"] = key
            row["quality"] = s[key]
        else:
            row["quality"] = s
    log("%s: %.1f s, %.0f MiB" % (name, r.get("wall_s", 0), r.get("peak_mib", 0)))
    return row


# ----------------------------------------------------------------------------- report


def fmt_int(x):
    return "{:,.0f}".format(x) if x is not None else "–"


def table(rows, n):
    ours = next((r for r in rows if r["tool"] == "samestory-dedup" and r.get("status") == "ok"), None)
    out = ["| tool | articles/s | wall s | CPU s | peak MiB | near-copy P / R / F1 (line) | family F1 | "
           "stories B³ F1 | stories pairwise P | samestory dedup ÷ tool |",
           "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |"]
    notes = []
    for r in rows:
        label = r["label"] + (" †" if r.get("carried") else "")
        if r.get("status") != "ok":
            why = " ".join(r.get("reason", "").split()).replace("|", "/")
            why = why if len(why) <= 160 else why[:157] + "..."
            out.append("| %s | %s%s | | | | | | | | |" % (label, r.get("status", "?"), ": " + why if why else ""))
            continue
        dup = fam = b3 = pp = ratio = "–"
        q = r.get("quality")
        if r["kind"] == "dedup" and q:
            dup = "%.3f / %.3f / %.3f (%s)" % (q["precision"], q["recall"], q["f1"], r["quality_line"])
            fam = "%.3f" % r["score"]["closure"]["f1"]
        if r["kind"] == "stories" and q:
            b3, pp = "%.3f" % q["bcubed_f1"], "%.3f" % q["pair_p"]
        if r["group"] == "peers" and ours and r.get("rate"):
            ratio = "%.2f×" % (ours["rate"] / r["rate"])
        if r["tool"] == "samestory-ingest" and r.get("db_mib") is not None:
            label += " (db %s MiB)" % fmt_int(r["db_mib"])
        cpu = "%.1f" % (r["user_s"] + r["sys_s"]) if "user_s" in r else "–"
        out.append("| %s | %s | %.1f | %s | %s | %s | %s | %s | %s | %s |" % (
            label, fmt_int(r.get("rate")), r["wall_s"], cpu, fmt_int(r.get("peak_mib")), dup, fam, b3, pp, ratio))
    if any(r.get("carried") for r in rows):
        notes.append("† carried over from an earlier run of this N (`measured_at` in the JSON); "
                     "timings from different runs drift, compare ratios measured in one run.")
    sc = next((r for r in rows if r["tool"] == "samestory-cluster" and r.get("status") == "ok"), None)
    sk = next((r for r in rows if r["tool"] == "sklearn-stories" and r.get("status") == "ok"), None)
    if sc and sk:
        notes.append("Like for like on stories: samestory cluster ÷ scikit-learn = %.2f×." % (sc["rate"] / sk["rate"]))
    notes.append("Line: raw = every pair written; est>=0.80 = pairs whose Jaccard estimate is ≥ 0.8; "
                 "closure = connected components (the tool outputs clusters). Family F1 = closure line for all. "
                 "CPU s = user + system seconds (above wall s: the tool used both cores; well below: it waited).")
    return "\n".join(out) + "\n\n" + "\n".join("- " + x for x in notes) + "\n"


def write_results(ctx, n, machine, rows, corpus_dir):
    with open(os.path.join(corpus_dir, "meta.json")) as f:
        meta = json.load(f)
    head = ("# samestory benchmark, N = %s\n\n%s UTC · %s cores · %s · %s GiB RAM · load %.2f at start · "
            "worktree %s\n\nCorpus: `%s` (truth: %s near-copy pairs, %s stories)\n\n") % (
        fmt_int(n), machine["date"].replace("+00:00", ""), machine["nproc"], machine["cpu"],
        (machine["free_g"].splitlines()[1].split()[1] if machine["free_g"] else "?"),
        machine["loadavg_at_start"], machine["git"], os.path.relpath(corpus_dir, ctx.root),
        fmt_int(meta.get("dup_pairs")), fmt_int(meta.get("stories")))
    md = head + table(rows, n)
    with open(os.path.join(ctx.out, "results-%d.md" % n), "w") as f:
        f.write(md)
    with open(os.path.join(ctx.out, "results-%d.json" % n), "w") as f:
        json.dump({"n": n, "machine": machine, "corpus": meta, "rows": rows}, f, indent=1)
    print(md)


# ----------------------------------------------------------------------------- main


def selected(a, name, group, n):
    """None when the tool runs; else why it does not."""
    if a.only and name not in a.only and group not in a.only:
        return "not selected (--only)"
    if a.skip_peers and group == "peers":
        return "skipped (--skip-peers)"
    if group == "peers" and n > PEER_MAX_N and not a.peers_all:
        return "skipped (N > %d: add --peers-all)" % PEER_MAX_N
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", nargs="*", type=int, help="corpus sizes (default %d)" % DEFAULT_N)
    ap.add_argument("--root", required=True, help="repository root")
    ap.add_argument("--shared", required=True, help="the shared folder (../shared of the root)")
    ap.add_argument("--peers-all", action="store_true", help="run the peers for N > %d too" % PEER_MAX_N)
    ap.add_argument("--skip-peers", action="store_true", help="run only samestory")
    ap.add_argument("--only", action="append", default=[],
                    help="tools or groups to run (comma-separated, repeatable): samestory, peers, "
                         + ", ".join(t[0] for t in TOOLS))
    ap.add_argument("--repeat", type=int, default=1, help="run each tool K times, keep the fastest wall time")
    ap.add_argument("--bin", help="samestory binary to time (default: ROOT/target/release/samestory)")
    ap.add_argument("--rebuild", action="store_true", help="(run.sh) run cargo build even if the binary exists")
    a = ap.parse_args()
    a.only = {x for o in a.only for x in o.split(",") if x}
    known = {t[0] for t in TOOLS} | {"samestory", "peers"}
    if a.only - known:
        ap.error("unknown --only %s (known: %s)" % (",".join(sorted(a.only - known)), ", ".join(sorted(known))))
    ctx = Ctx(a)
    os.makedirs(ctx.out, exist_ok=True)
    for n in a.n or [DEFAULT_N]:
        corpus_dir = ensure_corpus(ctx, n)
        warm_page_cache(os.path.join(corpus_dir, "corpus.jsonl"))
        machine = machine_info(ctx)
        prev = {}
        pj = os.path.join(ctx.out, "results-%d.json" % n)
        if os.path.exists(pj):
            with open(pj) as f:
                prev = {r["tool"]: r for r in json.load(f)["rows"]}
        rows = []
        for name, group, kind, line in TOOLS:
            why = selected(a, name, group, n)
            if why is None:
                rows.append(run_tool(ctx, name, group, kind, line, n, corpus_dir, a.repeat))
            elif name in prev and prev[name].get("status") == "ok":
                rows.append(dict(prev[name], carried=True))
            else:
                rows.append({"tool": name, "label": LABELS[name], "group": group, "kind": kind, "n": n,
                             "status": why})
        write_results(ctx, n, machine, rows, corpus_dir)


if __name__ == "__main__":
    main()
