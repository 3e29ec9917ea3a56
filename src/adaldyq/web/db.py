"""Database helpers shared by the web apps."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models


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


#: Field classes whose value, when already of this Python type, is written as it is (their
#: `get_db_prep_save` returns it unchanged on SQLite and PostgreSQL).
_WRITTEN_AS_IS: tuple[tuple[type[Any], type[Any]], ...] = (
    (models.CharField, str),
    (models.TextField, str),
    (models.BooleanField, bool),
    (models.IntegerField, int),  # and its subclasses: small, big, positive, automatic ids
)


def _as_is(field: Any) -> type[Any] | None:
    target = field.target_field if field.is_relation else field
    for cls, kind in _WRITTEN_AS_IS:
        if isinstance(target, cls):
            return kind
    return None


@dataclass(slots=True)
class Prepared:
    """Rows of one model as the database takes them (`prepare_rows`), to be written by
    `insert_prepared` (perhaps in another process than the one that prepared them)."""

    table: str
    columns: list[str]
    values: list[tuple[Any, ...]]


def _prep_of(field: Any, db: Any) -> Any:
    """How `prepare_rows` converts a value of `field`: its `get_db_prep_save`, except a JSON field
    on PostgreSQL, whose value becomes its JSON text there (what psycopg's Jsonb would send).

    `insert_prepared` writes PostgreSQL's rows with COPY, which takes the text as it is; a replay's
    builder process (ADR 0047) then does the encoding, and hands over a string, quicker to pickle
    than the object: the national audit-views spent a tenth of its writer's time encoding JSON."""
    if db.vendor == "postgresql" and isinstance(field, models.JSONField):
        encoder = field.encoder

        def as_text(value: Any, _db: Any) -> str:
            return json.dumps(value, cls=encoder)

        return as_text
    return field.get_db_prep_save


def prepare_rows(model: Any, rows: Sequence[Mapping[str, Any]]) -> Prepared:
    """`rows` (each {attname: value}; a field left out takes its default) as the values
    `bulk_create` writes (each field's `get_db_prep_save`), for `insert_prepared`.

    A value already of its column's plain type (a string, an integer, a boolean) is written as it
    is, a day or a moment goes through its field once per distinct value, every other value once
    per value; no instance is made. Fields that set their own value on save (`auto_now`) are
    refused: `pre_save` is not called.
    """
    meta = model._meta
    if not rows:
        return Prepared(meta.db_table, [], [])
    if any(getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) for f in meta.fields):
        raise ValueError(f"{meta.label}: insert_rows does not set auto_now fields")
    fields = [
        f
        for f in meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField | models.BigAutoField))
        or f.attname in rows[0]
    ]
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the per-access proxy
    plan: list[tuple[str, type[Any] | None, Any, Any, dict[Any, Any] | None]] = [
        (
            f.attname, _as_is(f), _prep_of(f, db), f.get_db_prep_save(f.get_default(), db),
            # days and moments repeat (a batch of entries shares its moment): each converted once
            {} if isinstance(f, models.DateField) else None,
        )
        for f in fields
    ]  # fmt: skip

    def values(row: Mapping[str, Any]) -> tuple[Any, ...]:
        out = []
        for name, kind, prep, default, seen in plan:
            if name not in row:
                out.append(default)
                continue
            v = row[name]
            if v is None or type(v) is kind:
                out.append(v)
            elif seen is None:
                out.append(prep(v, db))
            else:
                done = seen.get(v)
                if done is None:
                    done = seen[v] = prep(v, db)
                out.append(done)
        return tuple(out)

    return Prepared(meta.db_table, [f.column for f in fields], [values(r) for r in rows])


def insert_prepared(prepared: Prepared, *, batch_size: int = 2000) -> None:
    """INSERT rows `prepare_rows` made."""
    if not prepared.values:
        return
    db = connections[DEFAULT_DB_ALIAS]
    quote = db.ops.quote_name
    table, columns = quote(prepared.table), ", ".join(quote(c) for c in prepared.columns)
    rows = prepared.values
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            # COPY streams the rows in one statement; psycopg's executemany sends them one
            # statement each (pipelined): a paper import of 200 files spent 4.5 s of 15 there.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as out:
                for row in rows:
                    out.write_row(row)
            return
        marks = ", ".join(["%s"] * len(prepared.columns))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - a model's own names
        for start in range(0, len(rows), batch_size):
            cursor.executemany(sql, rows[start : start + batch_size])


def insert_rows(model: Any, rows: Sequence[Mapping[str, Any]], *, batch_size: int = 2000) -> None:
    """INSERT `rows` (each {attname: value}) into `model`'s table, with the values `bulk_create`
    writes (`prepare_rows`, then `insert_prepared`).

    The replay of the whole ledger (`records.projection.BatchProjector`) spent two thirds of its
    time in `bulk_create`: a model instance per row and Django's statement compiler per value.
    """
    insert_prepared(prepare_rows(model, rows), batch_size=batch_size)


def update_rows(model: Any, attnames: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """UPDATE `model`'s rows by primary key: each row (pk, *values of `attnames`), the values
    already as the database takes them (strings, integers, booleans, None).

    `bulk_update` writes one CASE of every row per column for each batch, which the database then
    evaluates for every row it updates (the placements of the small demo's 3,006 people: 1 s of a
    6 s replay); a statement per row by its key does not grow with the batch.
    """
    if not rows:
        return
    meta = model._meta
    db = connections[DEFAULT_DB_ALIAS]
    quote = db.ops.quote_name
    columns = ", ".join(f"{quote(meta.get_field(a).column)} = %s" for a in attnames)
    sql = f"UPDATE {quote(meta.db_table)} SET {columns} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608 - a model's own names
    with db.cursor() as cursor:
        cursor.executemany(sql, [(*row[1:], row[0]) for row in rows])
