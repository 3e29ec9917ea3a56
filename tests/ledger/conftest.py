"""Ledger fixtures: every storage test runs on SQLite and on PostgreSQL (a fresh schema each)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from adaldyq.ledger import Actor, Draft, Ledger, Signer, hashing
from adaldyq.ledger.merkle import complete_levels

OFFICER = Actor("officer-17", "order 42-k of the head of institution 155/14")


@pytest.fixture(params=["in-use", "hashlib"])
def hash_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test with the batch hashing in use (the C extension where built) and with hashlib.

    Worker processes started by fork inherit the choice.
    """
    if request.param == "hashlib":
        for name in ("leaf_hashes", "leaf_hashes_joined", "node_level", "tails_match"):
            monkeypatch.setattr(hashing, name, getattr(hashing, f"py_{name}"))
        monkeypatch.setattr(hashing, "pack_rows", None)  # rows go to SQLite as JSON
    return str(request.param)


@pytest.fixture
def ledger(ledger_url: str) -> Iterator[Ledger]:
    """An open, empty ledger."""
    with Ledger.open(ledger_url) as opened:
        yield opened


@pytest.fixture(scope="session")
def signer() -> Signer:
    """The deployment's checkpoint key."""
    return Signer.generate("adaldyq.test/ledger")


def draft(n: int, subject: str | None = None, type_: str = "incentive") -> Draft:
    """A plausible fact."""
    return Draft(
        actor=OFFICER,
        subject=subject or f"P-{n % 7:04d}",
        type=type_,
        payload={"n": n, "reason": "diligent work", "order": f"№{n}"},
    )


Tiles = tuple[list[tuple[int, int, bytes]], dict[int, tuple[int, bytes]]]
"""Full tiles (tile level, index, hashes) and the right edge {tile level: (index, hashes)}."""


def stored_tiles(cursor: Any) -> Tiles:
    """What the store keeps of the tree."""
    cursor.execute("SELECT level, idx, hashes FROM ledger_tiles ORDER BY level, idx")
    full = [(int(a), int(b), bytes(c)) for a, b, c in cursor.fetchall()]
    cursor.execute("SELECT level, idx, hashes FROM ledger_edge ORDER BY level")
    edge = {int(a): (int(b), bytes(c)) for a, b, c in cursor.fetchall()}
    return full, edge


def expected_tiles(leaves: list[bytes]) -> Tiles:
    """The tiles of a tree from the reference computation of every complete node (merkle.py)."""
    levels = complete_levels(leaves)
    full: list[tuple[int, int, bytes]] = []
    edge: dict[int, tuple[int, bytes]] = {}
    for tree_level in range(0, len(levels), 8):
        hashes = levels[tree_level]
        if not hashes:
            break
        done = len(hashes) // 256
        full += [
            (tree_level // 8, i, b"".join(hashes[256 * i : 256 * i + 256])) for i in range(done)
        ]
        edge[tree_level // 8] = (done, b"".join(hashes[256 * done :]))
    return sorted(full), edge
