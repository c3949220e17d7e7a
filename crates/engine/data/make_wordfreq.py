"""Writes wordfreq-LANG.txt: the most frequent words of a language with their Zipf frequency.

The story clusterer's document frequencies start from this background (`background_df` and the
module doc of the story clusterer), so that its first decisions are not made on an IDF learned from
a handful of articles. English: the 50,000 most frequent words (`wordfreq-en.txt`). German: the
30,000 most frequent (`wordfreq-de.txt`), the background of German articles (`text::lexicon`) and
the common words that German capitalises without their being names (every noun).

Source: the `wordfreq` package (Robyn Speer et al., https://github.com/rspeer/wordfreq), version
3.1.1 from PyPI; its code is Apache-2.0 and its data CC BY-SA 4.0, so the lists are CC BY-SA 4.0
too (see data/README.md). Run:

    pip install wordfreq==3.1.1 && python3 crates/engine/data/make_wordfreq.py [LANG [N]]

(`en 50000` without arguments; `de 30000` for the German list.)
"""

import os
import re
import sys

import wordfreq

LANG = sys.argv[1] if len(sys.argv) > 1 else "en"
N = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000
# A lower-case word of letters, digits and apostrophes, starting with a letter: ASCII letters for
# English (as the list has always been made), any letters for the others.
WORD = re.compile(r"^[a-z][a-z0-9'’]*$" if LANG == "en" else r"^[^\W\d_][\w'’]*$")

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wordfreq-%s.txt" % LANG)
with open(out, "w", encoding="utf-8") as f:
    f.write("# word<TAB>Zipf frequency (log10 of occurrences per billion words), wordfreq %s, CC BY-SA 4.0\n"
            % wordfreq.__dict__.get("__version__", "3.1.1"))
    kept = 0
    for w in wordfreq.top_n_list(LANG, N * 2):
        if not WORD.match(w) or w != w.lower() or "_" in w:
            continue
        f.write("%s\t%.2f\n" % (w, wordfreq.zipf_frequency(w, LANG)))
        kept += 1
        if kept == N:
            break
print(out, kept)
