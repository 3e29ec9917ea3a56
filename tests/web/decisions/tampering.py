"""Someone with write access to the database edits a stored ledger entry (the triggers dropped first)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.db import connection

from adaldyq.web.records.ledger_port import ensure_schema

TABLE = "ledger_entries"


@contextlib.contextmanager
def _triggers_dropped(*tables: str) -> Iterator[Any]:
    """A cursor on the ledger with the append-only triggers of `tables` (default: the entries)
    dropped, put back afterwards."""
    with connection.cursor() as cursor:
        for table in tables or (TABLE,):
            if connection.vendor == "sqlite":
                for event in ("update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
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


def rewrite_and_resign(seq: int, old: bytes, new: bytes, data_dir: str) -> None:
    """An operator with the database and the key file: change entry `seq`, recompute the whole tree
    from it on, drop the checkpoints and sign the rewritten tree with the real key (issue 16)."""
    from pathlib import Path

    from adaldyq.ledger import sql
    from adaldyq.ledger.keys import require_signer
    from adaldyq.ledger.merkle import hash_leaf
    from adaldyq.ledger.migrate import build_tiles
    from adaldyq.ledger.store import sign_checkpoint

    with _triggers_dropped("ledger_entries", "ledger_tiles", "ledger_checkpoints") as cursor:
        size = sql.read_size(cursor)
        rows = sql.read_rows(cursor, seq, size)
        cursor.execute("DELETE FROM ledger_entries WHERE seq >= %s", [seq])
        cursor.execute("DELETE FROM ledger_tiles")
        cursor.execute("DELETE FROM ledger_edge")
        cursor.execute("DELETE FROM ledger_checkpoints")
        for n, subject, type_, body, _ in rows:
            if n == seq:
                body = body.replace(old, new)
                assert body != rows[0][3], f"{old!r} is not in entry {seq}"
            cursor.execute(
                "INSERT INTO ledger_entries (seq, subject, type, body, hash) VALUES (%s, %s, %s, %s, %s)",
                [n, subject, type_, body, hash_leaf(body)],
            )
        build_tiles(cursor, size)  # the whole tree again, from the rewritten entries
        sign_checkpoint(cursor, require_signer(Path(data_dir)))
