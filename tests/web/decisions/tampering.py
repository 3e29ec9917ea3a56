"""Someone with write access to the database edits a stored ledger entry (the triggers dropped first)."""

from __future__ import annotations

from django.db import connection

from adaldyq.web.records.ledger_port import ensure_schema

TABLE = "ledger_entries"


def forge_entry(seq: int, old: bytes, new: bytes) -> None:
    """Replace `old` with `new` in entry `seq`'s stored body, then put the append-only triggers back."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for event in ("update", "delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_{event}")
        else:
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
        cursor.execute(f"SELECT body FROM {TABLE} WHERE seq = %s", [seq])  # noqa: S608 - constant
        body = bytes(cursor.fetchone()[0])
        forged = body.replace(old, new)
        assert forged != body, f"{old!r} is not in entry {seq}"
        cursor.execute(f"UPDATE {TABLE} SET body = %s WHERE seq = %s", [forged, seq])  # noqa: S608
        ensure_schema(cursor, "postgresql" if connection.vendor == "postgresql" else "sqlite")
