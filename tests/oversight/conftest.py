"""Oversight fixtures: real SQLite and PostgreSQL ledgers (a fresh PostgreSQL database per module)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from adaldyq.law import LawPack
from tests.pgserver import new_database, new_schema


@pytest.fixture(scope="module")
def pg_database(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh PostgreSQL database for this test module, dropped afterwards."""
    import psycopg

    base = request.getfixturevalue("postgres_url")
    name = f"oversight_{uuid.uuid4().hex[:10]}"
    yield new_database(base, name)
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty ledger of each kind (PostgreSQL: a fresh schema in the module's database)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
        return
    with new_schema(request.getfixturevalue("pg_database")) as url:
        yield url


@pytest.fixture(scope="session")
def demo_law() -> LawPack:
    """The kz pack with the demo overlay (illustrative visit figures, confidence D)."""
    return LawPack.load(overlay="demo")
