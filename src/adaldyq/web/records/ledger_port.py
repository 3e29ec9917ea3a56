"""The web application's one door to the ledger (`adaldyq.ledger.sql`, docs/decisions/0004).

Every write of the web application goes through `append` inside the caller's
`transaction.atomic(durable=True)`, on `django.db.connection.cursor()`: the ledger never commits, so
the entry and the read-model rows commit or roll back together.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from adaldyq.ledger import sql
from adaldyq.ledger.entry import Actor, Draft, Entry

__all__ = ["Actor", "Draft", "Entry", "append", "append_many", "ensure_schema", "entries"]


def ensure_schema(cursor: Any, dialect: str | None = None) -> None:
    """Create the ledger tables if missing (the records migration calls this)."""
    sql.ensure_schema(cursor, dialect)  # type: ignore[arg-type]


def append_many(
    cursor: Any, drafts: Sequence[Draft], *, now: datetime | None = None
) -> list[Entry]:
    """Append drafts in the caller's transaction; the caller commits."""
    return sql.append_entries(cursor, drafts, now=now)


def append(cursor: Any, draft: Draft, *, now: datetime | None = None) -> Entry:
    """Append one draft in the caller's transaction; the caller commits."""
    return sql.append_entries(cursor, [draft], now=now)[0]


def entries(cursor: Any, *, batch: int = 20_000) -> Iterator[Entry]:
    """Every entry in sequence order, read in batches."""
    size = sql.read_size(cursor)
    for start in range(0, size, batch):
        yield from sql.read_entries(cursor, start, min(start + batch, size))
