"""Web tests run on in-memory SQLite, or on a throwaway PostgreSQL when ADALDYQ_TEST_DB=postgres."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

DB = os.environ.get("ADALDYQ_TEST_DB", "sqlite")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request: pytest.FixtureRequest) -> None:
    """Point Django at the throwaway PostgreSQL server when ADALDYQ_TEST_DB=postgres."""
    if DB == "postgres":
        from django.conf import settings

        from adaldyq.web.env import database_settings

        url = request.getfixturevalue("postgres_url")
        settings.DATABASES["default"].update(database_settings(url))
        settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
        from django.db import connections

        connections["default"].close()
        del connections["default"]  # the wrapper made before this point is an SQLite one


@pytest.fixture
def make_user(db: Any) -> Any:
    """`account` (tests/web/fixtures.py), with the database."""
    from tests.web.fixtures import account

    return account


def _law_pack_with(monkeypatch: pytest.MonkeyPatch, overlay: str | None) -> Iterator[None]:
    from adaldyq.web.records.selectors import law_pack

    if overlay is None:
        monkeypatch.delenv("ADALDYQ_LAW_OVERLAY", raising=False)
    else:
        monkeypatch.setenv("ADALDYQ_LAW_OVERLAY", overlay)
    law_pack.cache_clear()
    yield
    law_pack.cache_clear()


@pytest.fixture
def demo_law(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The demo overlay (D figures: medium regular 4 short / 3 long, light 5 short)."""
    yield from _law_pack_with(monkeypatch, "demo")


@pytest.fixture
def base_law(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The law pack alone: most visit figures unknown."""
    yield from _law_pack_with(monkeypatch, None)


@pytest.fixture(scope="session", autouse=True)
def ledger_signing_key(django_db_setup: Any) -> None:
    """The deployment's signing key, made once (tests/ledger_state.py)."""
    signing_key()


# Each test its own verifier pin and signer state (tests/ledger_state.py).
from tests.ledger_state import (  # noqa: E402, F401
    ledger_private_state,
    ledger_starts_empty,
    signing_key,
)
