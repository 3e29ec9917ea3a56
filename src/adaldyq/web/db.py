"""Database helpers shared by the web apps."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection


@contextlib.contextmanager
def unprepared() -> Iterator[None]:
    """Run the block's PostgreSQL statements unprepared: each is planned with its own values.

    The web application's statements are prepared once a connection has run them a few times
    (`env.database_settings`, ADR 0012); after five executions PostgreSQL may then keep one generic
    plan for all values. That suits look-ups by key. It does not suit the people search: the plan
    of `search_text LIKE '%word%'` depends on the word (a common one walks the name index, a rare
    one takes the trigram index), and the generic plan made a search three times slower. A no-op
    on SQLite.
    """
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    saved = raw.prepare_threshold
    raw.prepare_threshold = None  # psycopg: neither prepare nor use prepared statements
    try:
        yield
    finally:
        raw.prepare_threshold = saved


def delete_rows(models: Iterable[Any]) -> None:
    """Empty the tables of `models` (an app's read models, before a replay of the ledger): a plain
    DELETE each, in the order given (no constraint is checked across them)."""
    with connection.cursor() as cursor:
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a model's own table name
