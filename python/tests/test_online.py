"""The online engine, compare, analyze, clean, and reading a samestory database."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import samestory
from conftest import REPO

ARTICLES = REPO / "testdata" / "articles"


def read(name: str) -> str:
    return (ARTICLES / name).read_text()


def test_engine_finds_the_reprint_and_keeps_two_quakes_apart():
    engine = samestory.Engine()
    first = engine.add({"id": "orig", "text": read("wire_original.txt"), "source": "Reuters"})
    assert first["new_story"] and first["copy_of"] is None
    again = engine.add({"id": "reprint", "text": read("wire_reprint.txt"), "source": "Scotsman"})
    assert again["copy_of"] == "orig" and again["story"] == first["story"]
    chile = engine.add({"id": "chile", "text": read("quake_chile.txt")})
    nepal = engine.add({"id": "nepal", "text": read("quake_nepal.txt")})
    assert chile["new_story"] and nepal["new_story"] and chile["story"] != nepal["story"]
    assert len(engine) == 4
    with pytest.raises(ValueError, match='no "text"'):
        engine.add({"id": "x"})
    with pytest.raises(ValueError, match="copy_threshold"):
        samestory.Engine(copy_threshold=2.0)


def test_compare_gives_the_cli_verdict_and_evidence():
    v = samestory.compare(read("wire_original.txt"), read("wire_reprint.txt"))
    assert v["copy"] and v["same_story"] and v["jaccard"] >= v["copy_threshold"]
    assert any("dateline" in r for r in v["b"]["removed"])
    quakes = samestory.compare(read("quake_chile.txt"), read("quake_nepal.txt"))
    assert not quakes["copy"] and not quakes["same_story"]
    assert quakes["evidence"]["terms"], "shared terms listed as evidence"


def test_analyze_finds_the_shared_passages():
    a = samestory.analyze(
        [
            {"id": "a", "text": read("wire_original.txt"), "source": "Reuters"},
            {"id": "b", "text": read("wire_reprint.txt"), "source": "Scotsman"},
        ]
    )
    assert set(a) >= {"passages", "quotes", "unique", "brief", "clean_texts"}
    assert a["passages"] and len(a["unique"]) == 2


def test_clean_names_what_it_removed():
    out = samestory.clean(read("wire_reprint.txt"))
    reasons = {r["reason"] for r in out["removals"]}
    assert "dateline" in reasons and "image_credit" in reasons
    assert "(Reuters)" not in out["text"]


def test_database_reads_what_ingest_wrote(samestory_bin, tmp_path):
    db = tmp_path / "s.db"
    subprocess.run(
        [str(samestory_bin), "ingest", "--db", str(db), str(ARTICLES)], check=True, capture_output=True
    )
    store = samestory.Database(db)
    assert store.article_count() == 4
    stories = store.stories()
    assert len(stories) == store.story_count() == 3
    biggest = max(stories, key=lambda s: s["size"])
    story = store.story(biggest["id"])
    assert {a["id"] for a in story["articles"]} == {"wire_original", "wire_reprint"}
    copies = store.copies()
    assert [(c["id"], c["original"]) for c in copies] == [("wire_reprint", "wire_original")]
    with pytest.raises(KeyError):
        store.story("s-no-such-story")
    with pytest.raises(OSError, match="no such database"):
        samestory.Database(tmp_path / "missing.db")
