#!/bin/bash
# Used for the peak-memory figures of hostile bodies in docs/serve-bench.md (issue 20).
# rss.sh BIN BODY...: peak RSS of `BIN serve` on a fresh database after POSTing each BODY once.
set -e
bin=$1; shift
d=$(mktemp -d)
/usr/bin/time -v "$bin" serve --db "$d/db" --addr 127.0.0.1:0 >"$d/out" 2>"$d/err" &
tpid=$!
for i in $(seq 50); do grep -q listening "$d/out" 2>/dev/null && break; sleep 0.2; done
url=$(sed -n 's/listening on //p' "$d/out")
for body in "$@"; do
  s=$(date +%s.%N)
  curl -s -o "$d/resp" -w "%{http_code}" -H 'Content-Type: application/json' --data-binary @"$body" "$url/api/articles"
  e=$(date +%s.%N)
  echo " $body: $(stat -c %s "$d/resp") bytes answer, $(echo "$e - $s" | bc) s"
done
spid=$(pgrep -P $tpid)
kill -TERM $spid; wait $tpid || true
grep "Maximum resident" "$d/err"
rm -rf "$d"
