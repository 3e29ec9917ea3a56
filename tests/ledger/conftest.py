"""Ledger fixtures: every storage test runs on SQLite and on PostgreSQL (a fresh schema each)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adaldyq.ledger import Actor, Draft, Ledger, Signer, hashing

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
