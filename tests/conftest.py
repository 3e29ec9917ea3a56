"""Fixtures shared by every test tier."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pgserver import throwaway_postgres

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SRC = Path(__file__).resolve().parents[1] / "src"


def pytest_configure(config: pytest.Config) -> None:
    """Refuse to test compiled extensions older than their source (ADR 0013; the ledger's C, ADR 0004)."""
    stale = [
        str(source.relative_to(SRC))
        for so in SRC.glob("adaldyq/**/*.cpython-*.so")
        for suffix in (".py", ".c")
        if (source := so.with_name(so.name.split(".")[0] + suffix)).exists()
        and source.stat().st_mtime > so.stat().st_mtime
    ]
    if stale:
        pytest.exit(
            f"the compiled engine is older than {', '.join(stale)}: run scripts/setup (ADR 0013)",
            returncode=4,
        )


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of a throwaway PostgreSQL server for this test session."""
    with throwaway_postgres() as url:
        yield url
