"""Oversight fixtures: real SQLite and PostgreSQL ledgers (a fresh PostgreSQL database per module)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from adaldyq.law import LawPack
from tests.pgserver import new_database


@pytest.fixture(scope="module")
def pg_database(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh PostgreSQL database for this test module, dropped afterwards."""
    import psycopg

    base = request.getfixturevalue("postgres_url")
    name = f"oversight_{uuid.uuid4().hex[:10]}"
    yield new_database(base, name)
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def ledger_postgres(pg_database: str) -> str:
    """`ledger_url`'s fresh schemas are made in the module's database."""
    return pg_database


@pytest.fixture(scope="session")
def demo_law() -> LawPack:
    """The kz pack with the demo overlay (illustrative visit figures, confidence D)."""
    return LawPack.load(overlay="demo")
