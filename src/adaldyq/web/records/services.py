"""Writes of the personal file. Each one appends a ledger entry and projects it in one durable transaction.

person_admit(...)         a new personal file (entry `person_admitted`)
fact_record(...)          one fact of the case vocabulary (entry of that type)
fact_correct(...)         a correction that points at the original and gives a reason
file_opening_record(...)  who opened whose file (entry `file_opened`)
note_write(...)           an oversight body's own note (entry `note_written`)
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext

from adaldyq.core.errors import AdaldyqError, InputError
from adaldyq.law import evaluate
from adaldyq.web.records import ledger_port, projection
from adaldyq.web.records.ledger_port import Actor, Draft, Entry
from adaldyq.web.records.models import Fact, Person
from adaldyq.web.records.projection import (
    FACT_TYPES,
    FACT_VOIDED,
    FILE_OPENED,
    NOTE_WRITTEN,
    PERSON_ADMITTED,
)
from adaldyq.web.records.selectors import case_events, core_person, file_timeline, law_pack
from adaldyq.web.rows import by_pk

log = logging.getLogger(__name__)


def actor_of(user: Any) -> Actor:
    """The ledger actor for a signed-in user: the username, on the authority of their role and scope."""
    scope = ""
    if getattr(user, "institution_id", None):
        scope = f"@{user.institution.code}"
    elif getattr(user, "region_id", None):
        scope = f"@{user.region_id}"
    return Actor(user.get_username(), f"role:{user.role}{scope}")


def _commit(draft: Draft) -> Entry:
    """Append the draft and project it; both commit or neither does."""
    return ledger_port.commit([draft], projection.project)[0]


def _check_with_law(
    person: Person, extra: Mapping[str, Any] | None, replacing: int | None = None
) -> None:
    """Refuse a fact the law engine cannot read with the standing facts (e.g. degree 2 before degree 1)."""
    # The fact rows without model instances (file_timeline): the same values, a third of the time.
    events = case_events(person, extra=extra, without=replacing, facts=file_timeline(person))
    try:
        evaluate(core_person(person), events, on=date.today(), law=law_pack())  # noqa: DTZ011 - today's law
    except AdaldyqError as exc:
        raise InputError(exc.diagnostics()) from None


def person_admit(*, officer: Any, person: Mapping[str, Any]) -> Person:
    """Open a personal file: identity, sentence, institution and condition on arrival."""
    pid = str(person.get("id") or f"p-{uuid.uuid4().hex[:12]}")
    payload = {k: v for k, v in person.items() if k != "id"}
    entry = _commit(
        Draft(actor=actor_of(officer), subject=pid, type=PERSON_ADMITTED, payload=payload)
    )
    return Person.objects.get(pk=entry.subject)


def fact_record(*, officer: Any, person: Person, fact: Mapping[str, Any]) -> Fact:
    """Record one fact (`{"type": ..., "on": "YYYY-MM-DD", ...fields}`) in the person's file."""
    kind = fact["type"]
    if kind not in FACT_TYPES:
        raise InputError(f"unknown fact type {kind!r}")
    _check_with_law(person, fact)
    payload = {k: v for k, v in fact.items() if k != "type"}
    entry = _commit(Draft(actor=actor_of(officer), subject=person.pk, type=kind, payload=payload))
    return by_pk(Fact, entry.seq)  # Fact.objects.get(pk=...) without building the query (web.rows)


def fact_correct(
    *,
    officer: Any,
    person: Person,
    original: Fact,
    reason: str,
    replacement: Mapping[str, Any] | None,
) -> Fact:
    """Correct a fact: a new entry that points at the original, with a reason; None withdraws it."""
    if original.person_id != person.pk:
        raise InputError(gettext("the entry belongs to another file"))
    if original.superseded_by_id is not None:
        raise InputError(
            gettext("this entry was already corrected; correct the correction instead")
        )
    if not reason.strip():
        raise InputError(gettext("a correction needs a reason"))
    if replacement is None:
        _check_with_law(person, None, replacing=original.seq)
        draft = Draft(
            actor=actor_of(officer),
            subject=person.pk,
            type=FACT_VOIDED,
            payload={"on": original.on.isoformat()},
            corrects=original.seq,
            reason=reason,
        )
    else:
        _check_with_law(person, replacement, replacing=original.seq)
        payload = {k: v for k, v in replacement.items() if k != "type"}
        draft = Draft(
            actor=actor_of(officer),
            subject=person.pk,
            type=replacement["type"],
            payload=payload,
            corrects=original.seq,
            reason=reason,
        )
    entry = _commit(draft)
    return Fact.objects.get(pk=entry.seq)


def file_opening_record(*, user: Any, person: Person, entry: int | None = None) -> None:
    """Record that `user` opened `person`'s file now (or, with `entry`, read that entry of it)."""
    payload = {} if entry is None else {"entry": entry}
    _commit(Draft(actor=actor_of(user), subject=person.pk, type=FILE_OPENED, payload=payload))


def note_write(*, author: Any, person: Person, text: str) -> None:
    """An oversight body's note on a file."""
    if not text.strip():
        raise InputError(gettext("a note needs text"))
    _commit(
        Draft(
            actor=actor_of(author),
            subject=person.pk,
            type=NOTE_WRITTEN,
            payload={"text": text.strip()},
        )
    )


def read_models_rebuild() -> int:
    """Drop every read-model row and project the whole ledger again; returns the entries read."""
    count = 0
    with transaction.atomic(durable=True):
        projection.clear_read_models()
        projector = projection.BatchProjector()
        with connection.cursor() as cursor:
            chunk: list[Entry] = []
            for entry in ledger_port.entries(cursor):
                chunk.append(entry)
                if len(chunk) >= 20_000:
                    projector.add(chunk)
                    count += len(chunk)
                    chunk = []
            projector.add(chunk)
            count += len(chunk)
        projector.finish()
    return count


def other_read_models_rebuild() -> dict[str, int]:
    """The read models of the other web apps, rebuilt from the ledger by each app's `projection` module.

    An app's `projection.rebuild()` is called when it has one; otherwise its `clear_read_models()` and
    then `project(entry)` for every entry, in one durable transaction. Returns entries applied per app.
    """
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    applied: dict[str, int] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("adaldyq.web.") or config.label == "records":
            continue
        if find_spec(f"{config.name}.projection") is None:
            continue
        module = import_module(f"{config.name}.projection")
        if hasattr(module, "rebuild"):
            applied[config.label] = int(module.rebuild() or 0)
        elif hasattr(module, "clear_read_models") and hasattr(module, "project"):
            n = 0
            with transaction.atomic(durable=True):
                module.clear_read_models()
                with connection.cursor() as cursor:
                    for entry in ledger_port.entries(cursor):
                        module.project(entry)
                        n += 1
            applied[config.label] = n
    return applied
