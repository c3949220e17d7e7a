#!/usr/bin/env python3
"""How samestory reads feedparser's conformance suite (../shared/data/feeds/, see its SOURCE.md).

    python3 bench/feeds.py [--bin target/release/samestory]

For the well-formed RSS, RDF, Atom 0.3 and Atom 1.0 cases whose `Expect:` expression asks only
about fields samestory uses (feed title; an item's title, link, id, published date, summary or
content), the expression is evaluated against what `samestory extract --json FILE` reads:
items in order as `entries`, the outlet as the feed title, the url as link, the text as summary
and content. Text is compared as text (markup out, entities decoded, whitespace collapsed), dates
as instants. `id` is the feed's guid only where samestory keeps it (an item without a link); an
item with a link gets the id of its canonical url, which the table shows apart. Prints, per group
and field, how many cases agree; and for every group of the suite how many files parse, how many
give no article and how many are refused, with the error kinds.
"""
import argparse, collections, datetime, email.utils, html, json, os, re, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "data", "feeds")
USED = {"title", "link", "id", "published", "published_parsed", "updated", "updated_parsed",
        "summary", "description", "content"}
GROUPS = ["wellformed/rss", "wellformed/rdf", "wellformed/atom", "wellformed/atom10"]


def as_text(s):
    s = re.sub(r"<[^>]*>", " ", s or "")
    return re.sub(r"\s+", " ", html.unescape(s)).strip()


class Text(str):
    """A string that compares as text with another."""
    def __eq__(self, other):
        return isinstance(other, str) and as_text(self) == as_text(other)

    def __ne__(self, other):
        return not self == other

    __hash__ = str.__hash__


def instant(v):
    if isinstance(v, time.struct_time) or isinstance(v, tuple):
        return datetime.datetime(*v[:6], tzinfo=datetime.timezone.utc).timestamp()
    if isinstance(v, str):
        try:
            return email.utils.parsedate_to_datetime(v).timestamp()
        except Exception:
            try:
                return datetime.datetime.fromisoformat(v.replace("Z", "+00:00")).timestamp()
            except Exception:
                return None
    return None


class When(str):
    def __eq__(self, other):
        a, b = instant(str(self)), instant(other)
        return a is not None and a == b

    __hash__ = str.__hash__


class Parsed(tuple):
    def __eq__(self, other):
        return instant(tuple(self)) == instant(other)

    __hash__ = tuple.__hash__


def entry_of(a):
    e = {"title": Text(a.get("title") or ""), "link": a.get("url") or "", "id": a.get("id") or ""}
    text = Text(a.get("extracted") or "")
    e["summary"] = e["description"] = text
    e["content"] = [{"value": text}]
    if a.get("published"):
        e["published"] = e["updated"] = When(a["published"])
        t = datetime.datetime.fromisoformat(a["published"].replace("Z", "+00:00"))
        e["published_parsed"] = e["updated_parsed"] = Parsed(t.utctimetuple())
    return e


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "samestory"))
    args = ap.parse_args()
    if not os.path.isdir(DATA):
        sys.exit(f"skipped: {DATA} is absent")
    index = [json.loads(l) for l in open(os.path.join(DATA, "feedparser-index.jsonl"))]
    agree = collections.Counter()
    asked = collections.Counter()
    no_article = collections.Counter()
    for case in index:
        group = "/".join(case["path"].split("/")[1:3])
        if group not in GROUPS or not case.get("expect"):
            continue
        keys = set(re.findall(r"(?:feed|entries\[\d+\])\[['\"](\w+)['\"]\]", case["expect"]))
        if not keys or not keys <= USED:
            continue
        field = sorted(keys)[0].replace("_parsed", "").replace("description", "summary")
        if "feed[" in case["expect"] and field == "title":
            field = "feed title"
        out = subprocess.run([args.bin, "extract", "--json", os.path.join(DATA, case["path"])],
                             capture_output=True, text=True)
        arts = [json.loads(l) for l in out.stdout.splitlines()]
        env = {"bozo": False, "entries": [entry_of(a) for a in arts],
               "feed": {"title": Text(arts[0].get("outlet") or "") if arts else None}, "u": str}
        asked[(group, field)] += 1
        no_article[(group, field)] += not arts
        try:
            ok = bool(eval(case["expect"], {"__builtins__": {}, "time": time}, env))
        except Exception:
            ok = False
        agree[(group, field)] += ok
    print("| group | field | cases | agree | file gave no article |")
    print("| --- | --- | --- | --- | --- |")
    for key in sorted(asked):
        print(f"| {key[0]} | {key[1]} | {asked[key]} | {agree[key]} | {no_article[key]} |")
    total, ok, none = sum(asked.values()), sum(agree.values()), sum(no_article.values())
    print(f"| all | | {total} | {ok} ({ok / max(total, 1):.1%}) | {none} |")
    with_articles = total - none
    print(f"| files that gave an article | | {with_articles} | {ok} ({ok / max(with_articles, 1):.1%}) | |")

    print("\n| folder | files | parsed | no article | refused | kinds of refusal |")
    print("| --- | --- | --- | --- | --- | --- |")
    by_folder = collections.defaultdict(list)
    for case in index:
        by_folder[os.path.dirname(case["path"])].append(os.path.join(DATA, case["path"]))
    for folder in sorted(by_folder):
        files = by_folder[folder]
        out = subprocess.run([args.bin, "extract", "--json", *files], capture_output=True, text=True)
        errors = [l for l in out.stderr.splitlines() if l and not l.startswith("warning")]
        refused = [l for l in errors if "not a feed" in l or "binary file" in l or "cannot" in l]
        empty = [l for l in errors if "feed has no items" in l]
        kinds = collections.Counter(re.sub(r" at position \d+| [^ ]+/[^ ]+", "", l.split(": ", 1)[1])[:60]
                                    for l in refused)
        print(f"| {folder} | {len(files)} | {len(files) - len(refused)} | {len(empty)} | {len(refused)} | "
              + "; ".join(f"{k} ({n})" for k, n in kinds.most_common(3)) + " |")


if __name__ == "__main__":
    main()
