#!/usr/bin/env python3
"""Page speed on real news (issue 24; a benchmark, not a test): uci-headlines ingested as
bench/eval.sh does, `samestory serve` on loopback, then each page read N times one after another
after one warm-up read (which fills the story's analysis cache), and p50 / p99 / max reported.

    cargo build --release && python3 bench/pages.py [--n 300] [--bin target/release/samestory]

Reads ../shared/data/uci-headlines (exits with a notice when absent). Checks the answer it times:
every read is 200 and the story page holds its table of originals.
"""
import argparse, json, os, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CSV = os.path.join(ROOT, "..", "shared", "data", "uci-headlines", "uci-news-aggregator.first6366.csv")


def read(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        assert r.status == 200, (url, r.status)
        return r.read().decode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "samestory"))
    args = ap.parse_args()
    if not os.path.exists(CSV):
        print("skipped: ../shared/data/uci-headlines is absent")
        return
    with tempfile.TemporaryDirectory() as d:
        db = os.path.join(d, "uci.db")
        subprocess.run([args.bin, "ingest", CSV, "--text-field", "TITLE", "--db", db],
                       check=True, capture_output=True)
        server = subprocess.Popen([args.bin, "serve", "--db", db, "--addr", "127.0.0.1:0"],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            base = server.stdout.readline().strip().removeprefix("listening on ")
            largest = json.loads(read(f"{base}/api/stories?sort=largest&limit=3"))["stories"]
            snowden = json.loads(read(f"{base}/api/stories?q=snowden%20sxsw&sort=largest&limit=1"))["stories"][0]
            pages = [("front page (24 h)", "/"), ("front page (7 days)", "/?window=7d"),
                     ("search snowden", "/?q=snowden")]
            pages += [(f"story of {s['size']} articles", f"/stories/{s['id']}") for s in largest]
            if snowden["id"] not in {s["id"] for s in largest}:
                pages.append((f"story of {snowden['size']} articles (Snowden)", f"/stories/{snowden['id']}"))
            print(f"{'page':40} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'KiB':>6}")
            for name, path in pages:
                body = read(base + path)  # warm-up: the analysis is made and cached
                if path.startswith("/stories/"):
                    assert "table class=\"articles\"" in body or "class=\"grid\"" in body
                times = []
                for _ in range(args.n):
                    t = time.perf_counter()
                    read(base + path)
                    times.append((time.perf_counter() - t) * 1000)
                times.sort()
                p = lambda q: times[min(len(times) - 1, int(q * len(times)))]
                print(f"{name:40} {p(0.5):8.2f} {p(0.99):8.2f} {times[-1]:8.2f} {len(body) / 1024:6.0f}")
        finally:
            server.kill()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
