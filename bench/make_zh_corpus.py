#!/usr/bin/env python3
"""A Chinese news-like corpus with known near copies, for `samestory dedup` speed and quality.

usage: bench/make_zh_corpus.py --n 100000 --out DIR [--seed 42]

Words are drawn from the real Chinese word frequencies of the `wordfreq` package (its top 30,000
words written in Han characters), so character and bigram statistics are those of Chinese text;
the meaning is not (word salad). Articles of 25 to 55 sentences of 6 to 18 words, written without
spaces with Chinese punctuation, under a news dateline. Like ../shared/bench/make_corpus.py it
writes, into DIR:
- `corpus.jsonl`: {"id", "source", "published", "title", "text"}, `id` = line number;
- `truth_dups.tsv`: every pair of a copy family whose **exact** Jaccard of 5-token shingles is
  >= 0.8, tokens cut as samestory cuts Chinese (each run of Han characters as its character
  bigrams, a run of one character as itself; other runs of letters and digits lower-cased words);
- `truth_pairs_all.tsv`: every pair inside a copy family with its exact Jaccard.
Copies: 30 % of the articles start a family of 1 to 3 more members, each an exact reprint or a near
copy (a new dateline, and one to three edits: a sentence reworded, a sentence dropped, two
characters inserted). Pairs outside a family share no sentence and are taken as below 0.8, as
make_corpus.py takes them. Score with ../shared/bench/score_dups.py DIR PAIRS.tsv.
"""
import argparse
import json
import os
import random
import re

HAN = re.compile(r"^[\u4e00-\u9fff]+$")
OUTLETS = ["新华社", "中新社", "人民网", "央视新闻", "澎湃新闻", "财新网", "南方日报", "北京日报"]
CITIES = ["北京", "上海", "广州", "深圳", "成都", "武汉", "杭州", "南京", "西安", "重庆"]


def vocabulary():
    import wordfreq

    freq = wordfreq.get_frequency_dict("zh")
    words = sorted((w for w in freq if HAN.match(w)), key=lambda w: -freq[w])[:30000]
    return words, [freq[w] for w in words]


def tokens(text):
    out = []
    for run in re.findall(r"\w+", text.lower()):
        for part in re.findall(r"[\u4e00-\u9fff]+|[^\u4e00-\u9fff]+", run):
            if HAN.match(part):
                out.extend([part] if len(part) == 1 else [part[i : i + 2] for i in range(len(part) - 1)])
            else:
                out.append(part)
    return out


def shingles(text, k=5):
    t = tokens(text)
    k = min(k, len(t))
    return {tuple(t[i : i + k]) for i in range(len(t) - k + 1)} if t else set()


def jaccard(a, b):
    return len(a & b) / len(a | b) if a or b else 1.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    words, weights = vocabulary()
    cum = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)

    def sentence():
        ws = rng.choices(words, cum_weights=cum, k=rng.randint(6, 18))
        if len(ws) > 8:
            ws.insert(rng.randint(3, len(ws) - 3), "，")
        return "".join(ws) + "。"

    def dateline():
        return "%s%s%d月%d日电" % (rng.choice(OUTLETS), rng.choice(CITIES), rng.randint(1, 12), rng.randint(1, 28))

    def write_text(line, sentences):
        paragraphs = [sentences[i : i + 5] for i in range(0, len(sentences), 5)]
        return line + "　" + "\n\n".join("".join(p) for p in paragraphs) + "\n"

    def near(sentences):
        s = list(sentences)
        for _ in range(rng.randint(1, 3)):
            op = rng.random()
            i = rng.randrange(len(s))
            if op < 0.4:
                s[i] = sentence()
            elif op < 0.7 and len(s) > 10:
                del s[i]
            else:
                at = rng.randrange(len(s[i]))
                s[i] = s[i][:at] + "".join(rng.choices(words, cum_weights=cum, k=1))[:2] + s[i][at:]
        return s

    os.makedirs(args.out, exist_ok=True)
    docs = []
    families = []
    while len(docs) < args.n:
        sentences = [sentence() for _ in range(rng.randint(25, 55))]
        title = "".join(rng.choices(words, cum_weights=cum, k=rng.randint(4, 8)))
        members = [len(docs)]
        docs.append((title, write_text(dateline(), sentences)))
        if rng.random() < 0.3:
            for _ in range(rng.randint(1, 3)):
                if len(docs) >= args.n:
                    break
                copy = sentences if rng.random() < 0.25 else near(sentences)
                members.append(len(docs))
                docs.append((title, write_text(dateline(), copy)))
            families.append(members)
    # Copies reach the stream later than their original, among other articles.
    key = [rng.random() for _ in docs]
    for fam in families:
        for m, k in zip(fam, sorted(key[m] for m in fam)):
            key[m] = k
    ids = sorted(range(len(docs)), key=lambda d: key[d])
    new_id = {d: i for i, d in enumerate(ids)}
    with open(os.path.join(args.out, "corpus.jsonl"), "w", encoding="utf-8") as out:
        for i, d in enumerate(ids):
            title, text = docs[d]
            published = "2024-%02d-%02dT%02d:00:00Z" % (1 + i * 12 // len(ids), 1 + i % 28, i % 24)
            row = {"id": i, "source": OUTLETS[d % len(OUTLETS)], "published": published, "title": title, "text": text}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    dups = 0
    with open(os.path.join(args.out, "truth_dups.tsv"), "w") as td, open(
        os.path.join(args.out, "truth_pairs_all.tsv"), "w"
    ) as ta:
        td.write("a\tb\tjaccard\n")
        ta.write("a\tb\tjaccard\n")
        for fam in families:
            sh = {m: shingles(docs[m][1]) for m in fam}
            for x in range(len(fam)):
                for y in range(x + 1, len(fam)):
                    a, b = sorted((new_id[fam[x]], new_id[fam[y]]))
                    j = jaccard(sh[fam[x]], sh[fam[y]])
                    ta.write("%d\t%d\t%.4f\n" % (a, b, j))
                    if j >= 0.8:
                        td.write("%d\t%d\t%.4f\n" % (a, b, j))
                        dups += 1
    meta = {"n": len(docs), "seed": args.seed, "vocabulary": "wordfreq zh (top 30000 Han words)",
            "families": len(families), "dup_pairs": dups}
    with open(os.path.join(args.out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
