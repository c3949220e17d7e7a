#!/usr/bin/env bash
# Leave-one-set-out: for each labeled set, a model trained without it (bench/train_stories.sh
# --leave-out), scored on it with `samestory eval`, beside the shipped model trained on all.
# Prints a markdown table (B-cubed F1, pairwise precision). Needs ../shared/data and the
# generated corpora of bench/train_stories.sh and bench/eval.sh.
set -euo pipefail
root="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
cd "$root"
data="$root/../shared/data"
s="$root/target/release/samestory"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
weights() { python3 -c 'import json,sys; print(json.dumps({"model": json.load(open(sys.argv[1]))["weights"]}))' "$1"; }
score() { # CONFIG ARGS...: "F1 / pairwise P" of one eval
  local cfg="$1"; shift
  "$s" eval "$@" --cluster-config "$cfg" --json 2>/dev/null | python3 -c '
import json, sys; d = json.load(sys.stdin); print("%.3f / %.3f" % (d["bcubed"]["f1"], d["pairwise"]["precision"]))'
}
gen() { # CONFIG: the generated 100k corpus of bench/eval.sh
  local pred="$tmp/gen.tsv"
  "$s" cluster "$root/bench/out/corpus-100000/corpus.jsonl" --cluster-config "$1" --output "$pred" 2>/dev/null
  python3 "$data/../bench/score_clusters.py" "$root/bench/out/corpus-100000" "$pred" | python3 -c '
import json, sys; d = json.loads([l for l in sys.stdin if l.startswith("JSON ")][-1][5:]); print("%.3f / %.3f" % (d["bcubed_f1"], d["pair_p"]))'
}
bench/train_stories.sh "$tmp/all.json" >/dev/null 2>&1
all="$(weights "$tmp/all.json")"
rules='{"model": null}'
echo "| set scored | rules (no model) | model trained on every set | model trained without it |"
echo "| --- | ---: | ---: | ---: |"
row() { # NAME LEAVE-OUT-ARGS -- EVAL-ARGS
  local name="$1"; shift
  local leave=()
  while [ "$1" != "--" ]; do leave+=(--leave-out "$1"); shift; done
  shift
  bench/train_stories.sh "$tmp/without.json" "${leave[@]}" >/dev/null 2>&1
  local without; without="$(weights "$tmp/without.json")"
  if [ "$1" = "generated" ]; then
    echo "| $name | $(gen "$rules") | $(gen "$all") | $(gen "$without") |"
  else
    echo "| $name | $(score "$rules" "$@") | $(score "$all" "$@") | $(score "$without" "$@") |"
  fi
}
row "basil" basil basil-undated -- "$data/basil/basil_dev.jsonl" --label triplet_id
row "basil, --ignore-dates" basil basil-undated -- "$data/basil/basil_dev.jsonl" --label triplet_id --ignore-dates
row "ecbplus (annotated sentences)" ecbplus -- "$data/ecbplus/ecbplus_train_dev.jsonl" --label subtopic
row "ecbplus-full (whole articles)" ecbplus-full -- "$data/ecbplus-full/ecbplus_full_dev.jsonl" --label subtopic
row "ecbplus and ecbplus-full both left out, on ecbplus-full" ecbplus ecbplus-full -- "$data/ecbplus-full/ecbplus_full_dev.jsonl" --label subtopic
row "uci-headlines (titles)" uci-headlines -- "$data/uci-headlines/uci-news-aggregator.first6366.csv" --label STORY --text-field TITLE
row "generated 100k (seed 42)" generated generated-undated -- generated
