"""Shared fixtures: a generated corpus with known copies, and the samestory CLI to compare with.

The corpus is made here (seeded random words), so these tests need nothing from ../shared.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def make_corpus(n_originals: int = 300, seed: int = 7) -> list[dict]:
    """Originals of 60-160 random words, each followed (later in the list) by 0-4 derived texts:
    exact reprints, light edits (Jaccard well above 0.8), heavy rewrites (well below), and a few
    texts shorter than a shingle, some repeated. Ids are strings, published times increase."""
    rng = random.Random(seed)
    vocab = [f"w{rng.randrange(10**6):06d}" for _ in range(3000)]
    rows: list[dict] = []
    pending: list[tuple[int, str]] = []

    def emit(text: str) -> None:
        rows.append(
            {"id": f"doc-{len(rows)}", "text": text, "published": 1_700_000_000 + 60 * len(rows)}
        )

    for _ in range(n_originals):
        words = [rng.choice(vocab) for _ in range(rng.randrange(60, 160))]
        emit(" ".join(words))
        for kind in rng.choices(["exact", "light", "heavy", "none"], [1, 2, 1, 2], k=rng.randrange(0, 4)):
            if kind == "exact":
                pending.append((rng.randrange(1, 40), " ".join(words)))
            elif kind == "light":
                edited = list(words)
                edited[rng.randrange(len(edited))] = rng.choice(vocab)
                pending.append((rng.randrange(1, 40), "Reprint: " + " ".join(edited)))
            elif kind == "heavy":
                edited = [w if rng.random() < 0.9 else rng.choice(vocab) for w in words]
                pending.append((rng.randrange(1, 40), " ".join(edited)))
        if rng.random() < 0.05:
            emit("short one")
        # Derived texts come out a few originals later, so families interleave.
        pending = [(d - 1, t) for d, t in pending]
        for _, t in [p for p in pending if p[0] <= 0]:
            emit(t)
        pending = [p for p in pending if p[0] > 0]
    for _, t in pending:
        emit(t)
    return rows


@pytest.fixture(scope="session")
def corpus() -> list[dict]:
    return make_corpus()


@pytest.fixture(scope="session")
def samestory_bin() -> Path:
    """The CLI: $SAMESTORY_BIN, else target/release/samestory (built when missing)."""
    if os.environ.get("SAMESTORY_BIN"):
        return Path(os.environ["SAMESTORY_BIN"])
    path = REPO / "target" / "release" / "samestory"
    if not path.exists():
        subprocess.run(
            ["cargo", "build", "--release", "-p", "samestory"], cwd=REPO, check=True
        )
    return path


def cli_families(samestory_bin: Path, rows: list[dict], tmp: Path, *extra: str) -> set:
    """`samestory dedup --clusters` on `rows`: {(original, sorted members)}."""
    corpus = tmp / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows))
    clusters = tmp / "clusters.jsonl"
    subprocess.run(
        [str(samestory_bin), "dedup", str(corpus), "--clusters", str(clusters), *extra],
        check=True,
        capture_output=True,
    )
    out = set()
    for line in clusters.read_text().splitlines():
        f = json.loads(line)
        out.add((f["original"], tuple(sorted(f["members"]))))
    return out


def families_of(table) -> set:
    """{(original, sorted members)} of a `samestory.dedup` table, families of two or more."""
    members: dict = {}
    for row in table.to_pylist():
        members.setdefault(row["original"], []).append(row["id"])
    return {(o, tuple(sorted(m))) for o, m in members.items() if len(m) > 1}
