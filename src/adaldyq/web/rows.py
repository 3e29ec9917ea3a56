"""One row by primary key, with rows it points to, and counts, read by SQL texts made once (ADR 0012).

Every request reads its signed-in user, and a file's every opening reads the person with the
institution and its region. Django's ORM builds and compiles such a query anew each time: a quarter
to two thirds of a millisecond of a worker's CPU, for a look-up the database answers in microseconds.
`by_pk` makes the SELECT (with a LEFT JOIN per followed foreign key) and the columns' converters once
per model, path and database, then builds the instances with `Model.from_db` and caches the related
ones on them, as `select_related` does. Same rows, same values; a test compares them with the ORM's.

`count_of` does the same for the counts every page's navigation shows (the tasks awaiting the user):
the count's SQL is made from the queryset once per key and minute, and run on every request.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connections, router
from django.db.models import QuerySet
from django.db.transaction import TransactionManagementError


class _Part(NamedTuple):
    model: Any
    start: int
    names: list[str]
    converters: list[tuple[int, list[Any], Any]]


class _Plan(NamedTuple):
    sql: str
    parts: list[_Part]
    links: list[Any]  # the foreign keys followed, each from part i to part i + 1


_plans: dict[tuple[Any, ...], _Plan] = {}


def _plan(
    model: Any,
    path: tuple[str, ...],
    alias: str,
    by: tuple[str, ...] = (),
    only: tuple[str, ...] = (),
    first_by: tuple[str, ...] = (),
) -> _Plan:
    connection = connections[alias]
    key = (model, path, alias, connection.vendor, by, only, first_by)
    plan = _plans.get(key)
    if plan is not None:
        return plan
    quote = connection.ops.quote_name
    models, links = [model], []
    for name in path:  # each name a foreign key of the model before it
        field = models[-1]._meta.get_field(name)
        links.append(field)
        models.append(field.related_model)
    select: list[str] = []
    parts = []
    for i, current in enumerate(models):
        fields = [
            f
            for f in current._meta.concrete_fields
            if i or not only or f.primary_key or f.name in only
        ]
        converters = []
        for j, field in enumerate(fields):
            col = field.get_col(f"t{i}")
            steps = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if steps:
                converters.append((j, steps, col))
        parts.append(_Part(current, len(select), [f.attname for f in fields], converters))
        select += [f"t{i}.{quote(f.column)}" for f in fields]
    source = f"{quote(model._meta.db_table)} t0"
    for i, field in enumerate(links):
        target = quote(models[i + 1]._meta.db_table)
        source += (
            f" LEFT JOIN {target} t{i + 1}"
            f" ON t{i + 1}.{quote(field.target_field.column)} = t{i}.{quote(field.column)}"
        )
    # Table and column names from the models' metadata; the values travel as parameters.
    if first_by:  # no condition: the first row in that order
        order = ", ".join(
            f"t0.{quote(model._meta.get_field(name.lstrip('-')).column)}"
            + (" DESC" if name.startswith("-") else "")
            for name in first_by
        )
        sql = f"SELECT {', '.join(select)} FROM {source} ORDER BY {order} LIMIT 1"  # noqa: S608
        plan = _plans[key] = _Plan(sql, parts, links)
        return plan
    columns = [model._meta.get_field(name).column for name in by] or [model._meta.pk.column]
    where = " AND ".join(f"t0.{quote(column)} = %s" for column in columns)
    sql = f"SELECT {', '.join(select)} FROM {source} WHERE {where}"  # noqa: S608
    plan = _plans[key] = _Plan(sql, parts, links)
    return plan


def by_pk(model: Any, pk: Any, path: tuple[str, ...] = (), only: tuple[str, ...] = ()) -> Any:
    """The instance of `model` with primary key `pk` (None if there is none), with `path` followed.

    `path` names foreign keys one after another ("institution", "region": the person's institution,
    then that institution's region); each is cached on its instance, None where the key is NULL.
    `only` names the fields read (and the key), as `.only()` does: the others are read when used.
    """
    try:
        pk = model._meta.pk.to_python(pk)
    except (ValidationError, TypeError, ValueError):
        return None
    if pk is None:
        return None
    alias = router.db_for_read(model)
    plan = _plan(model, path, alias, only=only)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, [pk])
        row = cursor.fetchone()
    return None if row is None else _instance(plan, row, alias)


def first(model: Any, order: tuple[str, ...], only: tuple[str, ...] = ()) -> Any:
    """`model.objects.order_by(*order).only(*only).first()` with its SQL made once (None: no row).
    `order` names fields of the model's own, "-" before a name for descending."""
    alias = router.db_for_read(model)
    plan = _plan(model, (), alias, only=only, first_by=order)
    with connections[alias].cursor() as cursor:
        cursor.execute(plan.sql)
        row = cursor.fetchone()
    return None if row is None else _instance(plan, row, alias)


def where_equal(model: Any, **equal: Any) -> list[Any]:
    """The instances of `model` whose fields (columns of its own) equal the values given, in no
    order: `model.objects.filter(**equal)` with its SQL made once."""
    alias = router.db_for_read(model)
    plan = _plan(model, (), alias, tuple(equal))
    connection = connections[alias]
    values = [
        model._meta.get_field(name).get_db_prep_value(value, connection)
        for name, value in equal.items()
    ]
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, values)
        rows = cursor.fetchall()
    return [_instance(plan, row, alias) for row in rows]


_locks: dict[tuple[Any, str], str] = {}


def lock(model: Any, pk: Any) -> None:
    """Hold the row `pk` of `model` until the caller's transaction ends (a check-then-write, ADR
    0014): `list(model.objects.select_for_update().filter(pk=pk).values_list("pk"))` with its SQL
    made once. SQLite has no row lock and needs none: its IMMEDIATE transaction holds the database
    from its start, so nothing is read there."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.get_autocommit():
        raise TransactionManagementError(
            "select_for_update cannot be used outside of a transaction."
        )
    if not connection.features.has_select_for_update:
        return
    sql = _locks.get((model, alias))
    if sql is None:
        quote = connection.ops.quote_name
        column, table = quote(model._meta.pk.column), quote(model._meta.db_table)
        sql = _locks[model, alias] = f"SELECT {column} FROM {table} WHERE {column} = %s FOR UPDATE"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [model._meta.pk.get_db_prep_value(pk, connection)])


def _instance(plan: _Plan, row: Any, alias: str) -> Any:
    """The instance of one row of `plan`, with the rows it joined cached on it."""
    connection = connections[alias]
    instances: list[Any] = []
    for part in plan.parts:
        values = list(row[part.start : part.start + len(part.names)])
        if part.start and values[part.names.index(part.model._meta.pk.attname)] is None:
            instances.append(None)  # a NULL foreign key: no row joined
            continue
        for j, steps, col in part.converters:
            for convert in steps:
                values[j] = convert(values[j], col, connection)
        instances.append(part.model.from_db(alias, part.names, values))
    for i, field in enumerate(plan.links):
        if instances[i] is None:
            break
        field.set_cached_value(instances[i], instances[i + 1])
    return instances[0]


class _Count(NamedTuple):
    sql: str | None  # None: the queryset selects nothing (`.none()`)
    params: tuple[Any, ...]
    alias: str
    made_at: float


_counts: dict[tuple[Any, ...], _Count] = {}
#: How long a count's SQL is kept: a queryset may carry values read from the database when it was
#: built (a regional department's institution codes), which a change elsewhere makes old.
COUNT_KEPT_SECONDS = 60.0
_COUNTS_BOUND = 5000


def counts_forget() -> None:
    """Drop the kept SQL of the counts (the register or a user changed in this process)."""
    _counts.clear()


def count_of(key: tuple[Any, ...], build: Callable[[], QuerySet[Any]]) -> int:
    """`build().count()`, the count's SQL made once per `key` and minute and run every time.

    `key` must name everything the queryset depends on (the count's name and the user's scope,
    `accounts.scope.scope_key`). The rows are counted afresh on every call; only the SQL text is
    kept, so the number is the database's of this moment, as `count()` gives it.
    """
    return counts_of([(key, build)])[0]


def counts_of(asked: Sequence[tuple[tuple[Any, ...], Callable[[], QuerySet[Any]]]]) -> list[int]:
    """`count_of` of each (key, build) asked, the counts of one database in one query (a menu's
    task lists): `SELECT (count 1), (count 2), ...`."""
    now = time.monotonic()
    plans = []
    for key, build in asked:
        plan = _counts.get(key)
        if plan is None or now - plan.made_at > COUNT_KEPT_SECONDS:
            plan = _count_plan(build(), now)
            if len(_counts) >= _COUNTS_BOUND:
                _counts.clear()
            _counts[key] = plan
        plans.append(plan)
    found: dict[int, int] = {}
    for alias in dict.fromkeys(p.alias for p in plans if p.sql is not None):
        mine = [i for i, p in enumerate(plans) if p.sql is not None and p.alias == alias]
        sql = "SELECT " + ", ".join(f"({plans[i].sql})" for i in mine)
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, [value for i in mine for value in plans[i].params])
            row = cursor.fetchone()
        found.update(zip(mine, map(int, row), strict=True))
    return [found.get(i, 0) for i in range(len(plans))]


def _count_plan(qs: QuerySet[Any], now: float) -> _Count:
    alias = qs.db
    try:
        inner, params = qs.order_by().values("pk").query.get_compiler(alias).as_sql()
    except EmptyResultSet:
        return _Count(None, (), alias, now)
    return _Count(f"SELECT COUNT(*) FROM ({inner}) counted", tuple(params), alias, now)  # noqa: S608
