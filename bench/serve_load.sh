#!/bin/bash
# The load test of `samestory serve` (docs/serve-bench.md, BENCHMARKS §5): 8 writers and 32 readers
# on loopback against a server the example starts on a fresh database, and with `--hostile N`
# clients sending what the server's limits refuse. Prints the machine's load average before and
# after beside the figures, since the server and every client share the machine's cores.
#   bench/serve_load.sh [--seconds 60] [--write-rate 110] [--hostile 4] [--bin PATH]
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
cargo build --release --quiet --example serve_load --bin samestory
echo "$(date -u +%FT%TZ) $(git rev-parse --short HEAD), $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
target/release/examples/serve_load "$@" || status=$?
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
