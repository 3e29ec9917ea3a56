"""The deployment's ledger state for the web and browser tests (imported by both conftests).

A deployment makes its signing key once (`adaldyq ledger key-create`; nothing in the application makes
one on its own, issue 16), and keeps the verifier's pin and the signer's memory across its life. Each test
has its own database, so each gets its own pin and signer state (a pin of another test's tree would not
match).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


def signing_key() -> None:
    from django.conf import settings

    from adaldyq.ledger.keys import DEFAULT_ORIGIN, create_signer, load_signer

    if load_signer(Path(settings.DATA_DIR)) is None:
        create_signer(Path(settings.DATA_DIR), DEFAULT_ORIGIN)


@pytest.fixture(autouse=True)
def ledger_private_state(tmp_path_factory: pytest.TempPathFactory, settings: Any) -> None:
    folder = tmp_path_factory.mktemp("ledger-state")
    settings.LEDGER_PIN_FILE = str(folder / "pin.json")
    settings.LEDGER_SIGNER_STATE = str(folder / "signer")
    # and the probation files this process keeps (web.release.probation_selectors): another test's
    # database may reach the same height with other rows
    from adaldyq.web.release.probation_selectors import forget_kept

    forget_kept()


@pytest.fixture(autouse=True)
def ledger_starts_empty(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test on a transactional database starts and ends with an empty ledger.

    Django's flush after such a test (live servers, `transaction=True`) empties the tables of models, not
    the ledger's append-only tables: the tests after it would find its entries under the same subjects
    (the files they fold, the rows a replay rebuilds)."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if not (
        {"transactional_db", "live_server"} & names
        or (marker is not None and marker.kwargs.get("transaction"))
    ):
        yield
        return
    request.getfixturevalue("transactional_db")
    _wipe_ledger()
    yield
    _wipe_ledger()


def register_version_row() -> None:
    """The flush also empties the rows migrations insert once: the register page's version token
    (institutions migration 0002) is put back, as the migration made it."""
    from django.db import connection

    random = "lower(hex(randomblob(8)))" if connection.vendor == "sqlite" else "md5(random()::text)"
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO institutions_registerversion (id, token) "  # noqa: S608 - fixed text
            f"VALUES (1, {random}) ON CONFLICT DO NOTHING"
        )


def _wipe_ledger() -> None:
    from django.db import connection

    from adaldyq.ledger.sql import APPEND_ONLY
    from adaldyq.web.records.ledger_port import ensure_schema

    vendor = connection.vendor
    with connection.cursor() as cursor:
        for table in APPEND_ONLY:
            if vendor == "sqlite":
                for event in ("update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - the ledger's own table names
        cursor.execute("UPDATE ledger_head SET size = 0")
        ensure_schema(cursor, "postgresql" if vendor == "postgresql" else "sqlite")
