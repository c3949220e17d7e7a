#!/usr/bin/env bash
# Story-clustering quality on the real data sets in ../shared/data, as a markdown table.
# Usage: bench/eval.sh   (builds the release binary first)
#        NOGEN=1 bench/eval.sh   (without the generated 100,000-article row)
# The generated row uses bench/out/corpus-100000 (made by bench/run.sh, or here with
# ../shared/bench/make_corpus.py when its Python packages are installed: numpy, scipy,
# scikit-learn, wordfreq, orjson, xxhash) and ../shared/bench/score_clusters.py.
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
row "basil, --ignore-dates" 0.927 "≥ 0.98" "$data/basil/basil_dev.jsonl" --label triplet_id --ignore-dates
row "ecbplus (annotated sentences)" 0.826 "≥ 0.90" "$data/ecbplus/ecbplus_train_dev.jsonl" --label subtopic
row "ecbplus-full (whole articles)" 0.864 "≥ 0.92" "$data/ecbplus-full/ecbplus_full_dev.jsonl" --label subtopic
row "uci-headlines (titles)" 0.701 "≥ 0.90" "$data/uci-headlines/uci-news-aggregator.first6366.csv" --label STORY --text-field TITLE
if [ -z "${NOGEN:-}" ]; then
  corpus="$root/bench/out/corpus-100000"
  if [ ! -f "$corpus/corpus.jsonl" ]; then
    python3 "$data/../bench/make_corpus.py" --n 100000 --seed 42 --out "$corpus.partial" >&2 \
      && mv "$corpus.partial" "$corpus"
  fi
  if [ -f "$corpus/corpus.jsonl" ]; then
    pred="$(mktemp)"
    "$s" cluster "$corpus/corpus.jsonl" --output "$pred" 2>/dev/null
    python3 "$data/../bench/score_clusters.py" "$corpus" "$pred" | python3 -c '
import json, sys
d = json.loads([l for l in sys.stdin if l.startswith("JSON ")][-1][5:])
cells = ["generated 100k (bench corpus, seed 42)", d["n"], "%d / %d" % (d["clusters"], d["stories"]), "%.3f" % d["bcubed_p"],
         "%.3f" % d["bcubed_r"], "**%.3f**" % d["bcubed_f1"], "%.3f" % d["pair_p"], "%.3f" % d["pair_f1"], "%.3f" % d["ari"],
         "0.865 (scikit-learn script)", "≥ 0.97"]
print("| " + " | ".join(str(c) for c in cells) + " |")
'
    rm -f "$pred"
  else
    echo "| generated 100k | (no corpus: make_corpus.py needs numpy, scipy, scikit-learn, wordfreq, orjson, xxhash) |"
  fi
fi
