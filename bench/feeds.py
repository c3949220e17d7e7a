#!/usr/bin/env python3
"""How samestory reads feedparser's conformance suite (../shared/data/feeds/, see its SOURCE.md).

    python3 bench/feeds.py [--bin target/release/samestory]

For the well-formed RSS, RDF, Atom 0.3 and Atom 1.0 cases whose `Expect:` expression asks only
about fields samestory uses (feed title; an item's title, link, id, published date, summary or
content), the expression is evaluated against the feed as samestory parses it, before its items
become articles (`samestory extract --items FILE`): items in order as `entries`, with their own
title, link (canonical: tracking parameters and fragment dropped), guid as `id`, published and
updated dates, summary and content (each standing in for the other when the item has one only,
as samestory takes "content or summary"); the feed's title. Text is compared as text (markup
out, entities decoded, whitespace collapsed), dates as instants. Prints, per group and field, how
many cases agree; and for every folder of the suite how many files parse, how many give no item
and how many are refused, with the error kinds.
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


def spaces(s):
    return re.sub(r"\s+", " ", s or "").strip()


class Text(str):
    """samestory's text (markup already out, entities decoded), compared with feedparser's value:
    that value is markup when the element's type is html or xhtml and literal text when it is
    text/plain, and the expectation does not say which, so it agrees when either reading of it
    is samestory's text. (samestory's text is not read as markup again: its `<blink>` is text.)"""
    def __eq__(self, other):
        return isinstance(other, str) and spaces(self) in (as_text(other), spaces(other))

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


def when(e, key, value):
    if value:
        e[key] = When(value)
        t = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        e[key + "_parsed"] = Parsed(t.utctimetuple())


def entry_of(item):
    e = {"title": Text(item.get("title") or ""), "link": item.get("link") or "",
         "id": item.get("id") or ""}
    summary = item.get("summary") or item.get("content") or ""
    content = item.get("content") or item.get("summary") or ""
    e["summary"] = e["description"] = Text(summary)
    e["content"] = [{"value": Text(content), "type": item.get("content_type"),
                     "src": item.get("content_src")}]
    when(e, "published", item.get("published"))
    when(e, "updated", item.get("updated") or item.get("published"))
    return e


def feed_of(feed):
    f = {"title": Text(feed.get("title") or ""), "link": feed.get("link") or "",
         "id": feed.get("id") or "", "description": Text(feed.get("description") or "")}
    f["subtitle"] = f["description"]
    when(f, "published", feed.get("published"))
    when(f, "updated", feed.get("updated") or feed.get("published"))
    return f


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "samestory"))
    args = ap.parse_args()
    if not os.path.isdir(DATA):
        sys.exit(f"skipped: {DATA} is absent")
    index = [json.loads(l) for l in open(os.path.join(DATA, "feedparser-index.jsonl"))]
    agree = collections.Counter()
    asked = collections.Counter()
    refused = collections.Counter()
    for case in index:
        group = "/".join(case["path"].split("/")[1:3])
        if group not in GROUPS or not case.get("expect"):
            continue
        keys = set(re.findall(r"(?:feed|entries\[\d+\])\[['\"](\w+)['\"]\]", case["expect"]))
        if not keys or not keys <= USED:
            continue
        field = sorted(keys)[0].replace("_parsed", "").replace("description", "summary")
        if "feed[" in case["expect"]:
            field = "feed " + field
        out = subprocess.run([args.bin, "extract", "--items", os.path.join(DATA, case["path"])],
                             capture_output=True, text=True)
        feeds = [json.loads(l) for l in out.stdout.splitlines()]
        feed = feeds[0] if feeds else {"title": None, "items": []}
        env = {"bozo": False, "entries": [entry_of(i) for i in feed["items"]],
               "feed": feed_of(feed), "u": str}
        asked[(group, field)] += 1
        refused[(group, field)] += not feeds
        try:
            ok = bool(eval(case["expect"], {"__builtins__": {}, "time": time}, env))
        except Exception:
            ok = False
        agree[(group, field)] += ok
    print("| group | field | cases | agree | file refused |")
    print("| --- | --- | --- | --- | --- |")
    for key in sorted(asked):
        print(f"| {key[0]} | {key[1]} | {asked[key]} | {agree[key]} | {refused[key]} |")
    total, ok, none = sum(asked.values()), sum(agree.values()), sum(refused.values())
    print(f"| all | | {total} | {ok} ({ok / max(total, 1):.1%}) | {none} |")

    print("\n| folder | files | parsed | no item | refused | kinds of refusal |")
    print("| --- | --- | --- | --- | --- | --- |")
    by_folder = collections.defaultdict(list)
    for case in index:
        by_folder[os.path.dirname(case["path"])].append(os.path.join(DATA, case["path"]))
    for folder in sorted(by_folder):
        files = by_folder[folder]
        out = subprocess.run([args.bin, "extract", "--items", *files], capture_output=True, text=True)
        feeds = [json.loads(l) for l in out.stdout.splitlines()]
        # One line a refused file, naming it (a panic of the feed parser, caught, also prints
        # the panic hook's lines, which name no file).
        refused = [l for l in out.stderr.splitlines() if l.startswith(DATA)]
        empty = [f for f in feeds if not f["items"]]
        kinds = collections.Counter(re.sub(r" at position \d+| [^ ]+/[^ ]+", "", l.split(": ", 1)[-1])[:60]
                                    for l in refused)
        print(f"| {folder} | {len(files)} | {len(feeds)} | {len(empty)} | {len(refused)} | "
              + "; ".join(f"{k} ({n})" for k, n in kinds.most_common(3)) + " |")


if __name__ == "__main__":
    main()
