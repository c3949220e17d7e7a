#!/usr/bin/env bash
# Story-clustering quality on the real data sets in ../shared/data, as a markdown table.
# Usage: bench/eval.sh   (builds the release binary first)
set -euo pipefail
root="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
data="$root/../shared/data"
cd "$root"
cargo build --release -q -p samestory
s="$root/target/release/samestory"
row() {
  local name="$1" floor="$2" target="$3"; shift 3
  "$s" eval "$@" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
name, floor, target = sys.argv[1:4]
b, p = d["bcubed"], d["pairwise"]
cells = [name, d["articles"], "%d / %d" % (d["stories"], d["labels"]), "%.3f" % b["precision"], "%.3f" % b["recall"],
         "**%.3f**" % b["f1"], "%.3f" % p["precision"], "%.3f" % p["f1"], "%.3f" % d["ari"], floor, target]
print("| " + " | ".join(str(c) for c in cells) + " |")
' "$name" "$floor" "$target"
}
echo "| data set | articles | stories / labels | B³ P | B³ R | B³ F1 | pairwise P | pairwise F1 | ARI | floor (TF-IDF single pass) | target |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
row "basil" 0.990 "≥ 0.99" "$data/basil/basil_dev.jsonl" --label triplet_id
row "basil, --ignore-dates" 0.927 "≥ 0.97" "$data/basil/basil_dev.jsonl" --label triplet_id --ignore-dates
row "ecbplus" 0.826 "≥ 0.90" "$data/ecbplus/ecbplus_train_dev.jsonl" --label subtopic
row "uci-headlines (titles)" 0.701 "≥ 0.90" "$data/uci-headlines/uci-news-aggregator.first6366.csv" --label STORY --text-field TITLE
