"""Writes wordfreq-en.txt: the 50,000 most frequent English words with their Zipf frequency.

The story clusterer's document frequencies start from this background (`background_df` and the
module doc of the story clusterer), so that its first decisions are not made on an IDF learned from
a handful of articles.

Source: the `wordfreq` package (Robyn Speer et al., https://github.com/rspeer/wordfreq), version
3.1.1 from PyPI; its code is Apache-2.0 and its data CC BY-SA 4.0, so wordfreq-en.txt is
CC BY-SA 4.0 too (see data/README.md). Run:

    pip install wordfreq==3.1.1 && python3 crates/engine/data/make_wordfreq.py
"""

import os
import re

import wordfreq

N = 50_000
WORD = re.compile(r"^[a-z][a-z0-9'’]*$")

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wordfreq-en.txt")
with open(out, "w", encoding="utf-8") as f:
    f.write("# word<TAB>Zipf frequency (log10 of occurrences per billion words), wordfreq %s, CC BY-SA 4.0\n"
            % wordfreq.__dict__.get("__version__", "3.1.1"))
    kept = 0
    for w in wordfreq.top_n_list("en", N * 2):
        if not WORD.match(w):
            continue
        f.write("%s\t%.2f\n" % (w, wordfreq.zipf_frequency(w, "en")))
        kept += 1
        if kept == N:
            break
print(out, kept)
