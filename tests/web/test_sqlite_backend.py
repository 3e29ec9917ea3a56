"""The SQLite backend converts a query's marks once per text (adaldyq.web.backends.sqlite3, ADR 0050):
the SQL SQLite receives is the one Django's own backend sends."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import SQLiteCursorWrapper as DjangoCursor

from adaldyq.web.backends.sqlite3.base import _KEPT_LONGEST, SQLiteCursorWrapper

pytestmark = pytest.mark.django_db

QUERIES = [
    "SELECT 1",
    'SELECT "a" FROM "t" WHERE "b" = %s AND "c" > %s',
    "SELECT '%%s', x FROM t WHERE y LIKE '%%a%%' AND z = %s",
    "UPDATE t SET n = n + 1 WHERE k IN (%s, %s, %s)",
    "SELECT %s" + " " * _KEPT_LONGEST,  # too long to keep: converted each time
]


@pytest.fixture
def cursor() -> Iterator[Any]:
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's backend is Django's own")
    with connection.cursor() as wrapped:
        yield wrapped.cursor


@pytest.mark.parametrize("query", QUERIES)
def test_a_query_is_converted_as_django_converts_it(cursor: Any, query: str) -> None:
    assert isinstance(cursor, SQLiteCursorWrapper)
    theirs = DjangoCursor.convert_query(cursor, query)

    assert cursor.convert_query(query) == cursor.convert_query(query) == theirs
    assert cursor.convert_query("SELECT %(a)s", param_names=["a"]) == "SELECT :a"


def test_the_marks_and_a_literal_percent_reach_sqlite(cursor: Any) -> None:
    cursor.execute("SELECT %s || '%%'", ["50"])

    assert cursor.fetchone() == ("50%",)
