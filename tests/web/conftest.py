"""Web tests run on in-memory SQLite, or on a throwaway PostgreSQL when ADALDYQ_TEST_DB=postgres."""

from __future__ import annotations

import os
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
    from adaldyq.web.accounts.roles import Role
    from adaldyq.web.accounts.services import user_create

    def make(username: str, role: str, **scope: Any) -> Any:
        password = "correct horse battery"  # noqa: S105 - test users
        return user_create(username=username, password=password, role=Role(role), **scope)

    return make


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
