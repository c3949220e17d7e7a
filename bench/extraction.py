#!/usr/bin/env python3
"""Extraction quality and speed on ../shared/data/html/trafilatura (990 pages with must-contain and
must-not-contain snippets), scored as trafilatura's tests/eval_common.py scores it (see that folder's
SOURCE.md): snippets whitespace-normalised, counts summed over the corpus, P, R, accuracy, F.

    python3 bench/extraction.py [--bin target/release/samestory] [--trafilatura VENV_PYTHON]

samestory runs as one process over all 990 pages (`samestory extract --json`), so pages/s is the
whole process's, start-up included (wall clock; samestory extracts on every core); pages per CPU
second divides by the process's user + system time over all its threads, which a shared machine's
load moves less; peak memory is its maximum resident set. With --trafilatura,
the same pages go through trafilatura.extract() in that Python (one process, timed the same way),
in the same run. Title, date and author are scored on the pages that annotate them (exact match
after whitespace normalisation; a date on its first 10 characters).
"""
import argparse, json, os, re, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "data", "html", "trafilatura")

TRAFILATURA_RUN = r"""
import gzip, json, sys, time, trafilatura
out = []
for path in sys.argv[1:]:
    html = gzip.open(path).read()
    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True)
    except Exception:
        doc = None
    doc = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    out.append({"text": doc.get("text") or "", "title": doc.get("title"),
                "published": doc.get("date"), "author": doc.get("author")})
json.dump(out, sys.stdout)
"""


def norm(s):
    return re.sub(r"\s+", " ", s or "").strip()


def score(cases, results):
    tp = fp = fn = tn = 0
    meta = {k: [0, 0] for k in ("title", "date", "author")}
    for case, got in zip(cases, results):
        text = norm(got.get("text") if got else "")
        for s in case["with"]:
            if text and norm(s) in text:
                tp += 1
            else:
                fn += 1
        for s in case["without"]:
            if text and norm(s) in text:
                fp += 1
            else:
                tn += 1
        got = got or {}
        expected = {
            "title": case.get("title"),
            "date": case.get("date"),
            "author": "; ".join(case["author"]) if isinstance(case.get("author"), list) else case.get("author"),
        }
        found = {
            "title": norm(got.get("title")),
            "date": (got.get("published") or "")[:10],
            "author": norm(got.get("author")),
        }
        for k, e in expected.items():
            if e:
                meta[k][1] += 1
                meta[k][0] += found[k] == norm(e)
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return {
        "precision": p, "recall": r, "accuracy": (tp + tn) / max(tp + tn + fp + fn, 1),
        "f": 2 * tp / max(2 * tp + fp + fn, 1), "meta": meta,
    }


def timed(cmd):
    """Runs cmd; its output, wall seconds, own peak resident set (KiB) and CPU seconds (user +
    system, all its threads), from wait4."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        secs = time.perf_counter() - t0
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        child.stdout, child.stderr = out.read(), err.read()
    return child, (secs, usage.ru_utime + usage.ru_stime), usage.ru_maxrss


def row(name, s, times, peak_kib, n):
    secs, cpu = times
    m = s["meta"]
    frac = lambda k: f"{m[k][0]}/{m[k][1]} ({m[k][0] / max(m[k][1], 1):.3f})"
    return (f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['accuracy']:.3f} | {s['f']:.3f} | "
            f"{frac('title')} | {frac('date')} | {frac('author')} | {n / secs:.0f} | {n / cpu:.0f} | "
            f"{peak_kib / 1024:.0f} |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "samestory"))
    ap.add_argument("--trafilatura", help="a Python with trafilatura installed")
    args = ap.parse_args()
    if not os.path.isdir(DATA):
        sys.exit(f"skipped: {DATA} is absent")
    cases = [json.loads(l) for l in open(os.path.join(DATA, "cases.jsonl"), encoding="utf-8")]
    pages = [os.path.join(DATA, c["page"]) for c in cases]
    print("| extractor | precision | recall | accuracy | F | title | date | author | pages/s | pages per CPU s "
          "| peak MiB |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")

    proc, secs, peak = timed([args.bin, "extract", "--json", *pages])
    by_file = {}
    for line in proc.stdout.decode().splitlines():
        rec = json.loads(line)
        by_file[rec["file"]] = rec
    failed = [l for l in proc.stderr.decode().splitlines() if l.strip()]
    clean = [by_file.get(p) for p in pages]
    print(row("samestory extract (clean text)", score(cases, clean), secs, peak, len(pages)))
    raw = [dict(r, text=r["extracted"]) if r else None for r in clean]
    print(row("samestory extract (before cleaning)", score(cases, raw), secs, peak, len(pages)))

    if args.trafilatura:
        with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
            f.write(TRAFILATURA_RUN)
        proc, secs, peak = timed([args.trafilatura, f.name, *pages])
        os.unlink(f.name)
        if proc.returncode != 0:
            sys.exit(proc.stderr.decode()[-2000:])
        version = subprocess.run([args.trafilatura, "-c", "import trafilatura; print(trafilatura.__version__)"],
                                 capture_output=True, text=True).stdout.strip()
        print(row(f"trafilatura {version} (Python)", score(cases, json.loads(proc.stdout)), secs, peak, len(pages)))
    print(f"\nsamestory: {len(failed)} pages gave no article", file=sys.stderr)
    for l in failed[:20]:
        print("  " + l, file=sys.stderr)


if __name__ == "__main__":
    main()
