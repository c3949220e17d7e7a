#!/usr/bin/env python3
"""Issue 20, item 3: how long /api/health takes while clients search with one word repeated.

    bench/hostile_search.py URL [--clients 6] [--seconds 20] [--word election] [--repeat 3000]

URL is a running `samestory serve` (e.g. http://127.0.0.1:8080) over a database with articles.
Each client loops `GET /api/stories?q=WORD WORD …` (the word REPEAT times); meanwhile /api/health
is asked every 0.2 s. Prints the attack's requests and statuses and /api/health's latencies.
Standard library only.
"""
import argparse, threading, time, urllib.request, urllib.error, urllib.parse, collections

def get(url, timeout=120):
    t = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        status = e.code
    except Exception as e:  # connection refused, reset, timeout
        status = type(e).__name__
    return status, time.monotonic() - t

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--clients", type=int, default=6)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--word", default="election")
    ap.add_argument("--repeat", type=int, default=3000)
    a = ap.parse_args()
    q = urllib.parse.quote(" ".join([a.word] * a.repeat))
    attack = f"{a.url}/api/stories?q={q}"
    end = time.monotonic() + a.seconds
    statuses = collections.Counter()
    lat = []
    lock = threading.Lock()
    def client():
        while time.monotonic() < end:
            s, d = get(attack)
            with lock:
                statuses[s] += 1
                lat.append(d)
    threads = [threading.Thread(target=client) for _ in range(a.clients)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    health = []
    while time.monotonic() < end:
        s, d = get(f"{a.url}/api/health")
        health.append((s, d))
        time.sleep(0.2)
    for t in threads:
        t.join()
    h = sorted(d for _, d in health)
    lat.sort()
    pct = lambda xs, p: xs[min(len(xs) - 1, int(p * len(xs)))] if xs else float("nan")
    print(f"attack: {a.clients} clients, q = {a.word!r} x {a.repeat} ({len(q)} bytes), "
          f"{sum(statuses.values())} requests, statuses {dict(statuses)}, "
          f"p50 {pct(lat, .5)*1000:.0f} ms, max {max(lat, default=0)*1000:.0f} ms")
    print(f"/api/health: {len(h)} requests, statuses {dict(collections.Counter(s for s, _ in health))}, "
          f"p50 {pct(h, .5)*1000:.1f} ms, p99 {pct(h, .99)*1000:.1f} ms, max {h[-1]*1000:.1f} ms")

if __name__ == "__main__":
    main()
