#!/usr/bin/env python3
"""Issue 20, item 4: open N silent TCP connections to a running server, then time /api/health
after 1, 5 and 15 s.  bench/silent_connections.py URL N  (standard library only)"""
import socket, sys, time, urllib.request
url, n = sys.argv[1], int(sys.argv[2])
host, port = url.split("//")[1].split(":")
socks = []
for i in range(n):
    try:
        s = socket.create_connection((host, int(port)), timeout=2); socks.append(s)
    except Exception as e:
        print("connect", i, e); break
print(f"{len(socks)} silent connections open")
for delay in [1, 5, 15]:
    time.sleep(delay if delay == 1 else delay - prev)
    prev = delay
    t = time.monotonic()
    try:
        with urllib.request.urlopen(url + "/api/health", timeout=30) as r: st = r.status
    except Exception as e: st = repr(e)
    print(f"after {delay:>2} s: /api/health {st} in {time.monotonic()-t:.2f} s")
