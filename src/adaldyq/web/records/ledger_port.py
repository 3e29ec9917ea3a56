"""The web application's one door to the ledger (`adaldyq.ledger.sql`, docs/decisions/0004).

Every write of the web application goes through `append` inside the caller's
`transaction.atomic(durable=True)`, on `django.db.connection.cursor()`: the ledger never commits, so
the entry and the read-model rows commit or roll back together.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from adaldyq.files import NOT_FACTS, PersonalFile
from adaldyq.ledger import sql
from adaldyq.ledger.entry import Actor, Draft, Entry
from adaldyq.web.idempotency.keys import claim_pending

__all__ = [
    "Actor",
    "Draft",
    "Entry",
    "append",
    "append_many",
    "append_projected",
    "bodies",
    "commit",
    "commit_locked",
    "ensure_schema",
    "entries",
    "entries_about",
    "file_of",
    "hold",
    "rebuild",
    "replay",
    "size",
]

if TYPE_CHECKING:
    from django.db.models import Model

log = logging.getLogger(__name__)

#: A read model's projection: applies one entry to its rows (each app's `projection.project`).
Projector = Callable[[Entry], None]


def payload_day(value: Any) -> date:
    """A day an entry's payload states (ISO text) as a date, for the read models' projections."""
    return date.fromisoformat(str(value))


def ensure_schema(cursor: Any, dialect: str | None = None) -> None:
    """Create the ledger tables if missing (the records migration calls this)."""
    sql.ensure_schema(cursor, dialect)  # type: ignore[arg-type]


def append_many(
    cursor: Any, drafts: Sequence[Draft], *, now: datetime | None = None
) -> list[Entry]:
    """Append drafts in the caller's transaction; the caller commits.

    The request's idempotency key, if its form carried one, is used in the same transaction
    (`adaldyq.web.idempotency.keys`): a form sent twice commits once.
    """
    appended = sql.append_entries(cursor, drafts, now=now)
    if appended:
        claim_pending(appended[0].seq)
    return appended


def append(cursor: Any, draft: Draft, *, now: datetime | None = None) -> Entry:
    """Append one draft in the caller's transaction; the caller commits."""
    return append_many(cursor, [draft], now=now)[0]


def entries(
    cursor: Any,
    *,
    batch: int = 20_000,
    types: Collection[str] | None = None,
    holding: tuple[Collection[str], bytes] | None = None,
) -> Iterator[Entry]:
    """Every entry in sequence order (or those of `types`: only they are parsed), read in batches.

    `holding` (some of `types`, bytes): entries of those types only when their canonical body holds
    the bytes (a pre-filter in the database: the caller still checks what it reads).
    """
    size = sql.read_size(cursor)
    wanted = None if types is None else sorted(types)
    held = None if holding is None else (sorted(holding[0]), holding[1])
    for start in range(0, size, batch):
        stop = min(start + batch, size)
        if wanted is None:
            yield from sql.read_entries(cursor, start, stop)
        else:
            yield from sql.read_entries_of_types(cursor, start, stop, wanted, holding=held)


def size(cursor: Any) -> int:
    """How many entries the ledger holds."""
    return sql.read_size(cursor)


def bodies(cursor: Any, *, batch: int = 20_000) -> Iterator[list[bytes]]:
    """Every entry's canonical body in sequence order, `batch` at a time, unparsed (a replay
    parses them in another process)."""
    total = sql.read_size(cursor)
    for start in range(0, total, batch):
        yield sql.read_bodies(cursor, start, min(start + batch, total))


def replay(
    project: Projector,
    clear: Callable[[], None],
    applies: Callable[[Entry], bool] = lambda entry: True,
    *,
    durable: bool = True,
    types: Collection[str] | None = None,
    holding: tuple[Collection[str], bytes] | None = None,
) -> int:
    """Rebuild a read model from the ledger: `clear()` it, then `project` every entry it `applies`
    to, in one transaction; returns the entries applied. `types`: the only entry types it can
    apply to (the rest are not read); `holding`: as `entries`.

    `durable=False` inside a caller's transaction (`adaldyq ledger audit-views` rolls it back).
    """
    from django.db import connection, transaction

    applied = 0
    with transaction.atomic(durable=durable):
        clear()
        with connection.cursor() as cursor:
            for entry in entries(cursor, types=types, holding=holding):
                if applies(entry):
                    project(entry)
                    applied += 1
    return applied


def rebuild(
    project: Projector,
    models: Sequence[Any],
    types: Collection[str],
    *,
    durable: bool = True,
) -> int:
    """An app's read models (`models`) emptied and projected again from the entries of `types`."""
    from adaldyq.web.db import delete_rows

    return replay(
        project,
        lambda: delete_rows(models),
        lambda entry: entry.type in types,
        durable=durable,
        types=types,
    )


def entries_about(cursor: Any, subject: str) -> list[Entry]:
    """The entries a person's file folds (`adaldyq.files`), in sequence order: every one about the
    person but the bookkeeping of who opened or annotated it, which the fold passes over."""
    return sql.read_entries_by_subject(cursor, subject, except_types=_NOT_FACTS)


_NOT_FACTS = sorted(NOT_FACTS)


def file_of(person: str) -> PersonalFile:
    """The person's file folded from the ledger's entries about them (`entries_about`'s), read as
    (seq, type, object) rows: a write's check (ADR 0014) makes no `Entry` of each."""
    from django.db import connection

    with connection.cursor() as cursor:
        rows = sql.read_objects_by_subject(cursor, person, except_types=_NOT_FACTS)
    return PersonalFile.fold(person, rows)


def append_projected(drafts: Sequence[Draft], *projectors: Projector) -> list[Entry]:
    """Append in the caller's open transaction and apply every projector to every entry."""
    from django.db import connection

    with connection.cursor() as cursor:
        entries = append_many(cursor, drafts)
    for entry in entries:
        for project in projectors:
            project(entry)
    return entries


def hold() -> None:
    """Take the ledger's write lock now, in the caller's transaction, for a check that reads the
    ledger itself (the amendments' book): a writer at the same moment waits, and is then checked
    against what this one wrote. SQLite's IMMEDIATE transaction holds it already."""
    from django.db import connection

    with connection.cursor() as cursor:
        sql.lock_head(cursor)


def commit(
    drafts: Sequence[Draft] | Callable[[], Sequence[Draft]], *projectors: Projector
) -> list[Entry]:
    """Append and project in one durable transaction: entries and read-model rows, or nothing.

    `drafts` may be a function that gives them inside the transaction, after the locks and reads
    they rest on (a personal file's write: `records.services`), so that nothing commits in between.
    """
    from django.db import transaction

    with transaction.atomic(durable=True):
        entries = append_projected(drafts() if callable(drafts) else drafts, *projectors)
    for e in entries:
        log.info("ledger entry %s %s %s by %s", e.seq, e.type, e.subject, e.draft.actor.id)
    return entries


M = TypeVar("M", bound="Model")


def commit_locked(
    model: type[M], pk: Any, drafts: Callable[[M], Sequence[Draft]], *projectors: Projector
) -> list[Entry]:
    """A check-then-write (issue 14): the row `pk` of `model` is read again inside the writing
    transaction and locked until it commits (FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE
    transaction already holds the database), and `drafts` checks that row as it stands then and
    gives the entries. Two requests at once: the second sees what the first wrote, and a refusal
    it raises writes nothing."""
    return commit(
        lambda: drafts(model._default_manager.select_for_update().get(pk=pk)), *projectors
    )
