"""Someone with write access to the database edits a stored ledger entry (the triggers dropped first)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.db import connection

from adaldyq.web.records.ledger_port import ensure_schema

TABLE = "ledger_entries"


@contextlib.contextmanager
def _triggers_dropped() -> Iterator[Any]:
    """A cursor on the ledger with its append-only triggers dropped, put back afterwards."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for event in ("update", "delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_{event}")
        else:
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
        yield cursor
        ensure_schema(cursor, "postgresql" if connection.vendor == "postgresql" else "sqlite")


def forge_entry(seq: int, old: bytes, new: bytes) -> bytes:
    """Replace `old` with `new` in entry `seq`'s stored body, then put the append-only triggers back;
    return the body as it was (for `restore_entry`)."""
    with _triggers_dropped() as cursor:
        cursor.execute(f"SELECT body FROM {TABLE} WHERE seq = %s", [seq])  # noqa: S608 - constant
        body = bytes(cursor.fetchone()[0])
        forged = body.replace(old, new)
        assert forged != body, f"{old!r} is not in entry {seq}"
        cursor.execute(f"UPDATE {TABLE} SET body = %s WHERE seq = %s", [forged, seq])  # noqa: S608
    return body


def restore_entry(seq: int, body: bytes) -> None:
    """Put entry `seq`'s body back as `forge_entry` found it (a live server's ledger outlives a test)."""
    with _triggers_dropped() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET body = %s WHERE seq = %s", [body, seq])  # noqa: S608
