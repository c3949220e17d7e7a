#!/usr/bin/env bash
# Fits the shipped same-story model (crates/engine/data/story-model.json) on the labeled sets of
# bench/story-sets.json: the dev sets of ../shared/data and a generated corpus of 20,000 articles
# (seed 7; the evaluation's generated corpus is seed 42), made here with ../shared/bench/make_corpus.py
# (Python packages: numpy, scipy, scikit-learn, wordfreq, orjson, xxhash).
# Usage: bench/train_stories.sh [OUT]   (default: the shipped model file)
set -euo pipefail
root="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
cd "$root"
out="${1:-$root/crates/engine/data/story-model.json}"
corpus="$root/bench/out/train-corpus-20000-seed7"
if [ ! -f "$corpus.jsonl" ]; then
  python3 "$root/../shared/bench/make_corpus.py" --n 20000 --seed 7 --out "$corpus" >&2
  # The corpus keeps its story labels beside it; the model needs them in each record.
  python3 - "$corpus" <<'PY'
import json, sys
d = sys.argv[1]
story = {}
with open(d + "/truth_stories.tsv") as f:
    next(f)
    for line in f:
        i, s = line.split("\t")[:2]
        story[i] = s
with open(d + "/corpus.jsonl") as f, open(d + ".jsonl", "w") as out:
    for line in f:
        r = json.loads(line)
        r["story"] = story[str(r["id"])]
        out.write(json.dumps(r) + "\n")
PY
fi
cargo build --release -q -p samestory
"$root/target/release/samestory" train-stories bench/story-sets.json --out "$out" "${@:2}"
