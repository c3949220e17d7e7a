#!/usr/bin/env python3
"""A long stream at a steady rate, from corpora of make_corpus.py (stdlib only).

  steady_stream.py make OUT_DIR CORPUS_DIR...   one corpus after the other: the k-th's ids + k*100000,
      its dates + k*55 days (a 100k corpus spans ~53 days), its story and topic ids + k*10^7
      (no story shared); writes OUT_DIR/corpus.jsonl and OUT_DIR/truth_stories.tsv
  steady_stream.py score OUT_DIR PRED.tsv       B-cubed precision, recall and F1 of each 100k
      (PRED: header, then id<TAB>cluster, as `samestory cluster --output` writes)

The generated 1M corpus is not a 100k corpus ten times over (its biggest burst is larger); this
shows what the length of a stream alone does (BENCHMARKS.md, section 3).
"""
import collections
import datetime as dt
import json
import os
import sys

SEGMENT = 100000
FMT = "%Y-%m-%dT%H:%M:%SZ"


def make(out, corpora):
    os.makedirs(out, exist_ok=True)
    with open(f"{out}/corpus.jsonl", "w") as c, open(f"{out}/truth_stories.tsv", "w") as t:
        t.write("id\tstory\trole\tparent\ttopic\n")
        for k, corpus in enumerate(corpora):
            shift = dt.timedelta(days=55 * k)
            for line in open(f"{corpus}/corpus.jsonl"):
                a = json.loads(line)
                a["id"] += k * SEGMENT
                a["published"] = (dt.datetime.strptime(a["published"], FMT) + shift).strftime(FMT)
                c.write(json.dumps(a, ensure_ascii=False) + "\n")
            with open(f"{corpus}/truth_stories.tsv") as f:
                next(f)
                for line in f:
                    i, story, role, parent, topic = line.rstrip("\n").split("\t")
                    parent = int(parent) + k * SEGMENT if int(parent) >= 0 else -1
                    t.write(f"{int(i) + k * SEGMENT}\t{int(story) + k * 10**7}\t{role}\t{parent}\t{int(topic) + k * 10**7}\n")


def score(out, pred_path):
    def read(path, col):
        with open(path) as f:
            next(f)
            return {int(p[0]): p[col] for p in (l.rstrip("\n").split("\t") for l in f)}
    pred, truth = read(pred_path, 1), read(f"{out}/truth_stories.tsv", 1)
    segments = collections.defaultdict(list)
    for i in pred:
        segments[i // SEGMENT].append(i)
    for k in sorted(segments):
        ids = segments[k]
        by_pred, by_truth = collections.defaultdict(set), collections.defaultdict(set)
        for i in ids:
            by_pred[pred[i]].add(i)
            by_truth[truth[i]].add(i)
        p = r = 0.0
        for i in ids:
            a, b = by_pred[pred[i]], by_truth[truth[i]]
            both = len(a & b)
            p += both / len(a)
            r += both / len(b)
        p, r = p / len(ids), r / len(ids)
        print(f"{k * SEGMENT}-{(k + 1) * SEGMENT}\tB3 P={p:.4f} R={r:.4f} F1={2 * p * r / (p + r):.4f}")


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "make":
        make(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) == 4 and sys.argv[1] == "score":
        score(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
