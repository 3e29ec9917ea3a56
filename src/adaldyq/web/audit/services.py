"""Do the read models agree with the ledger? Recompute them all and list each row that differs.

    differences, check = audit_views()     # [Difference], the stored ViewCheck
    last_check()                           # the latest ViewCheck (None: never run)

The read models are rebuilt by the same projection `adaldyq ledger replay` uses, inside one
transaction that is rolled back: every read model gets an empty temporary table of its name that
hides it (`_shadow`, ADR 0047), the ledger is projected into those, and each is compared with the
read model's own table with `EXCEPT` in the database (only the rows that differ leave it). A row the
page shows and the ledger does not give, or gives otherwise, is a difference: table, key, column,
what the page shows, what the ledger says. The transaction holds the read models' write locks while
the projection runs (the length of a replay); nothing is changed by the check except its own result
(`ViewCheck`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec
from typing import Any

import orjson
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from adaldyq.web.audit.models import ViewCheck

__all__ = ["Difference", "audit_views", "last_check", "read_models", "record_rebuilt"]

#: Differences kept with the stored result (the command prints them all).
SAMPLE = 50


@dataclass(frozen=True, slots=True)
class Difference:
    """One row of a read model that the ledger does not give as the page shows it.

    `column` is "*" for a whole row the page shows and the ledger does not give (`ledger` None)
    or the ledger gives and the page lacks (`shown` None); otherwise one column's two values.
    """

    table: str
    key: dict[str, Any]
    column: str
    shown: Any
    ledger: Any

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "table": self.table,
            "key": self.key,
            "column": self.column,
            "shown": self.shown,
            "ledger": self.ledger,
        }


def read_models() -> list[type[models.Model]]:
    """Every read model of the web apps: the tables each app's `projection.READ_MODELS` names."""
    found: list[type[models.Model]] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("adaldyq.web."):
            continue
        if find_spec(f"{config.name}.projection") is None:
            continue
        found.extend(getattr(import_module(f"{config.name}.projection"), "READ_MODELS", ()))
    return found


def _auto_pk(model: type[models.Model]) -> bool:
    return isinstance(
        model._meta.pk, models.AutoField | models.BigAutoField | models.SmallAutoField
    )


def _fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The columns compared: all but an automatic id (a replay numbers rows anew)."""
    return [f for f in model._meta.concrete_fields if not (f.primary_key and _auto_pk(model))]


def _column(field: object) -> str:
    """The column of a concrete field (the fields compared, a key, a unique constraint's fields)."""
    if not isinstance(field, models.Field) or field.column is None:
        raise TypeError(f"{field!r} has no column")
    return field.column


def _columns(model: type[models.Model]) -> tuple[list[str], list[str]]:
    """The columns compared and the key."""
    columns = [_column(f) for f in _fields(model)]
    if not _auto_pk(model):
        return columns, [_column(model._meta.pk)]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            return columns, [_column(model._meta.get_field(f)) for f in constraint.fields]
    unique = [_column(f) for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    return columns, unique[:1] or columns


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def _value(field: models.Field[Any, Any], value: Any) -> Any:
    """A value as the model reads it: a temporary table copied with `CREATE TABLE AS` loses the
    declared types (SQLite gives its datetimes back as text, its booleans as 0 and 1), and SQLite keeps
    JSON as text in the order its keys were written (the same object may be written two ways)."""
    if isinstance(field, models.JSONField):
        if isinstance(value, str | bytes):
            with contextlib.suppress(ValueError):
                value = orjson.loads(value)
        return value
    if value is not None:
        with contextlib.suppress(ValidationError, TypeError, ValueError):
            value = field.to_python(value)
    return _plain(value)


def _rows(cursor: Any, sql: str, fields: list[models.Field[Any, Any]]) -> list[dict[str, Any]]:
    cursor.execute(sql)
    named = [(_column(f), f) for f in fields]
    return [
        {c: _value(f, v) for (c, f), v in zip(named, row, strict=True)} for row in cursor.fetchall()
    ]


def _compare(
    cursor: Any, model: type[models.Model], page: str, ledger: str
) -> Iterator[Difference]:
    """The rows of the read model (`page`, what the pages show) against its projection from the
    ledger (`ledger`): each side's rows the other lacks leave the database (`EXCEPT`), then pair up
    by key."""
    quote = connection.ops.quote_name
    table = model._meta.db_table
    columns, key = _columns(model)
    cols = ", ".join(quote(c) for c in columns)
    fields = _fields(model)
    only_page = f"SELECT {cols} FROM {page} EXCEPT SELECT {cols} FROM {ledger}"  # noqa: S608
    only_ledger = f"SELECT {cols} FROM {ledger} EXCEPT SELECT {cols} FROM {page}"  # noqa: S608
    shown, given = _rows(cursor, only_page, fields), _rows(cursor, only_ledger, fields)

    def by_key(rows: Iterable[dict[str, Any]]) -> dict[tuple[Any, ...], dict[str, Any]]:
        return {tuple(r[k] for k in key): r for r in rows}

    shown_k, ledger_k = by_key(shown), by_key(given)
    for k in sorted(shown_k.keys() | ledger_k.keys(), key=lambda t: tuple(map(str, t))):
        name = dict(zip(key, k, strict=True))
        a, b = shown_k.get(k), ledger_k.get(k)
        if a is None or b is None:
            yield Difference(table, name, "*", a, b)
            continue
        for c in columns:  # a row EXCEPT found may differ only in how SQLite wrote a JSON value
            if a[c] != b[c]:
                yield Difference(table, name, c, a[c], b[c])


def _upto(cursor: Any) -> int | None:
    cursor.execute("SELECT max(seq) FROM ledger_entries")
    row = cursor.fetchone()
    return int(row[0]) if row and row[0] is not None else None


def _schemas(cursor: Any, model: type[models.Model]) -> tuple[str, str]:
    """The schema that holds the read models (SQLite's `main`, PostgreSQL's first on the search
    path that has the table) and the connection's temporary one."""
    if connection.vendor == "sqlite":
        return "main", "temp"
    cursor.execute(
        "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.oid = to_regclass(%s)",
        [connection.ops.quote_name(model._meta.db_table)],
    )
    return str(cursor.fetchone()[0]), "pg_temp"


def _shadow(cursor: Any, model: type[models.Model]) -> None:
    """An empty temporary table of the model's name, columns and keys (no foreign keys):
    unqualified names find the connection's temporary tables first (SQLite and PostgreSQL), so the
    projection writes its rows there and the model's own table is not touched."""
    editor = connection.SchemaEditorClass(connection, collect_sql=True)
    editor.deferred_sql = []
    editor.sql_create_inline_fk = ""  # foreign keys would be deferred statements, not run
    definition, params = editor.table_sql(model)
    create = "CREATE TEMPORARY TABLE" + definition.removeprefix("CREATE TABLE")
    cursor.execute(create, params or None)


def _shadow_indexes(cursor: Any, model: type[models.Model]) -> None:
    """The shadow's field indexes (those of foreign keys among them: the look-ups a projection
    makes), not the model's `Meta.indexes` (the pages' reads). Made once the records' rows are in
    (an index built over the rows costs less than one kept up row by row), before the placements
    are settled and the other apps replayed."""
    editor = connection.SchemaEditorClass(connection, collect_sql=True)
    for field in model._meta.local_fields:
        # A private method of Django's schema editor (the one its own table creation calls), not
        # in django-stubs.
        for statement in editor._field_indexes_sql(model, field):  # type: ignore[attr-defined]
            cursor.execute(str(statement))


def recompute() -> tuple[list[Difference], int | None]:
    """Rebuild every read model from the ledger in a rolled-back transaction; the differences.

    Each read model is projected into a temporary table that hides its own (`_shadow`), then the
    two are compared: nothing is copied, deleted or written in the read models' own tables.
    """
    from adaldyq.web.db import unprepared
    from adaldyq.web.records.services import other_read_models_rebuild, read_models_rebuild

    found: list[Difference] = []
    quote = connection.ops.quote_name
    # unprepared: a statement PostgreSQL prepared earlier names the model's own table, not its shadow
    with transaction.atomic(), unprepared(), connection.cursor() as cursor:
        upto = _upto(cursor)
        tables = read_models()
        home, temp = _schemas(cursor, tables[0])

        for model in tables:
            _shadow(cursor, model)

        def shadow_indexes() -> None:
            for m in tables:
                _shadow_indexes(cursor, m)

        read_models_rebuild(durable=False, before_finish=shadow_indexes)
        other_read_models_rebuild(durable=False)
        for model in tables:
            name = quote(model._meta.db_table)
            found.extend(_compare(cursor, model, f"{home}.{name}", f"{temp}.{name}"))
        for model in tables:
            cursor.execute(f"DROP TABLE {temp}.{quote(model._meta.db_table)}")
        transaction.set_rollback(True)
    return found, upto


def audit_views(*, store: bool = True) -> tuple[list[Difference], ViewCheck]:
    """Compare every read model with the ledger; store the result (the alarm reads the latest)."""
    found, upto = recompute()
    tables: dict[str, int] = {}
    for d in found:
        tables[d.table] = tables.get(d.table, 0) + 1
    rows = len({(d.table, tuple(sorted(d.key.items()))) for d in found})
    check = ViewCheck(
        checked_at=timezone.now(),
        differences=rows,
        tables=tables,
        sample=[d.to_dict() for d in found[:SAMPLE]],
        ledger_upto=upto,
    )
    if store:
        check.save()
    return found, check


def record_rebuilt(upto: int | None) -> ViewCheck:
    """After `adaldyq ledger replay --force`: the read models were just projected from the ledger."""
    return ViewCheck.objects.create(
        checked_at=timezone.now(), differences=0, tables={}, sample=[], ledger_upto=upto
    )


def last_check() -> ViewCheck | None:
    """The latest stored check (None: the check has never run); every page of the oversight
    roles asks (`site_tags.views_alarm`), so its SQL is made once (`rows.first`)."""
    from adaldyq.web.rows import first

    found: ViewCheck | None = first(ViewCheck, ("-checked_at", "-id"))
    return found
