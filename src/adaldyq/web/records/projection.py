"""Ledger entries -> read-model rows. The only code that writes the records tables.

`project(entry)` is called twice in the life of an entry: right after it is appended (in the same
transaction) and on `adaldyq ledger replay`. It must therefore depend on nothing but the entry and
the rows earlier entries made, so that a replay gives identical tables.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from adaldyq.core.facts import EVENT_TYPES, RECORDED_ONLY
from adaldyq.ledger.entry import Entry
from adaldyq.web.institutions.models import Institution
from adaldyq.web.records.models import Fact, FileOpening, Note, Person, Relative

PERSON_ADMITTED = "person_admitted"
FILE_OPENED = "file_opened"
NOTE_WRITTEN = "note_written"
FACT_VOIDED = "fact_voided"
FACT_TYPES = frozenset(EVENT_TYPES) | RECORDED_ONLY
PLACEMENT_TYPES = frozenset({"arrived", "condition_changed", "transferred"})
READ_MODELS = (Fact, Relative, Note, FileOpening, Person)


def _at(entry: Entry) -> datetime:
    return datetime.fromisoformat(entry.recorded_at.replace("Z", "+00:00"))


def _hash(entry: Entry) -> str:
    return entry.leaf_hash.hex()


_institution_ids: dict[str, int | None] | None = None  # a cache only while a batch is projected


@contextlib.contextmanager
def batch() -> Iterator[None]:
    """Cache institution look-ups while many entries are projected (demo load, replay)."""
    global _institution_ids
    _institution_ids = {}
    try:
        yield
    finally:
        _institution_ids = None


def _institution_id(code: str | None) -> int | None:
    if not code:
        return None
    if _institution_ids is not None and code in _institution_ids:
        return _institution_ids[code]
    found = Institution.objects.filter(code=code).values_list("pk", flat=True).first()
    if _institution_ids is not None:
        _institution_ids[code] = found
    return found


def fact_fields(kind: str, payload: dict[str, Any]) -> tuple[date, dict[str, Any]]:
    """The date and the type-specific fields of a fact payload (`on` removed)."""
    data = {k: v for k, v in payload.items() if k != "on"}
    return date.fromisoformat(payload["on"]), data


def search_text(p: dict[str, Any]) -> str:
    """What person search matches against: the names and the number, case-folded."""
    return " ".join(
        str(p.get(k) or "") for k in ("surname", "given_name", "patronymic", "number")
    ).casefold()


def project(entry: Entry) -> None:
    """Apply one entry to the read models."""
    kind, p = entry.type, entry.payload
    if kind == PERSON_ADMITTED:
        _admit(entry)
    elif kind == FILE_OPENED:
        FileOpening.objects.create(
            seq=entry.seq, person_id=entry.subject, by=entry.draft.actor.id, at=_at(entry)
        )
    elif kind == NOTE_WRITTEN:
        Note.objects.create(
            seq=entry.seq,
            person_id=entry.subject,
            author=entry.draft.actor.id,
            at=_at(entry),
            text=p["text"],
        )
    elif kind in FACT_TYPES or kind == FACT_VOIDED:
        _fact(entry)
        if kind == "visitor_registered":
            Relative.objects.create(
                seq=entry.seq,
                person_id=entry.subject,
                name=p.get("name", ""),
                relationship=p.get("relationship", ""),
                approved=bool(p.get("approved", True)),
            )


def _admit(entry: Entry) -> None:
    p = entry.payload
    s = p["sentence"]
    on = date.fromisoformat(p["on"])
    Person.objects.create(
        id=entry.subject,
        number=p["number"],
        surname=p["surname"],
        given_name=p["given_name"],
        patronymic=p.get("patronymic", ""),
        sex=p["sex"],
        born=date.fromisoformat(p["born"]),
        institution_id=_institution_id(p.get("institution")),
        condition=p.get("condition", "regular"),
        sentence_start=date.fromisoformat(s["start"]),
        sentence_years=s.get("years", 0),
        sentence_months=s.get("months", 0),
        sentence_days=s.get("days", 0),
        life=bool(s.get("life", False)),
        gravity=p.get("gravity") or "",
        home_region=p.get("home_region", ""),
        admitted_on=on,
        admitted_seq=entry.seq,
        search_text=search_text(p),
    )
    Fact.objects.create(
        seq=entry.seq,
        entry_hash=_hash(entry),
        person_id=entry.subject,
        kind="arrived",
        on=on,
        data={"condition": p.get("condition", "regular"), "institution": p.get("institution")},
        recorded_by=entry.draft.actor.id,
        recorded_at=_at(entry),
    )


def _fact(entry: Entry) -> None:
    p = entry.payload
    original = None
    if entry.draft.corrects is not None:
        original = Fact.objects.filter(seq=entry.draft.corrects).first()
    if entry.type == FACT_VOIDED:
        on = original.on if original else date.fromisoformat(p["on"])
        kind, data = (original.kind if original else FACT_VOIDED), {}
    else:
        kind = entry.type
        on, data = fact_fields(kind, p)
    fact = Fact.objects.create(
        seq=entry.seq,
        entry_hash=_hash(entry),
        person_id=entry.subject,
        kind=kind,
        on=on,
        data=data,
        recorded_by=entry.draft.actor.id,
        recorded_at=_at(entry),
        corrects=original,
        reason=entry.draft.reason or "",
        void=entry.type == FACT_VOIDED,
    )
    if original is not None:
        Fact.objects.filter(seq=original.seq).update(superseded_by=fact)
    if kind in PLACEMENT_TYPES or (original is not None and original.kind in PLACEMENT_TYPES):
        _refresh_placement(entry.subject)


def effective_facts(facts: list[Fact]) -> list[Fact]:
    """The facts that stand: not superseded, not withdrawn; in date order, then recording order."""
    return sorted(
        (f for f in facts if f.superseded_by_id is None and not f.void), key=lambda f: (f.on, f.seq)
    )


def _refresh_placement(person_id: str) -> None:
    """The person's current institution and condition, from the standing placement facts."""
    facts = effective_facts(
        list(Fact.objects.filter(person_id=person_id, kind__in=PLACEMENT_TYPES))
    )
    condition, institution = "regular", None
    for f in facts:
        if f.kind == "arrived":
            condition = f.data.get("condition", "regular")
            institution = f.data.get("institution") or institution
        elif f.kind == "condition_changed":
            condition = f.data["to"]
        elif f.kind == "transferred":
            institution = f.data.get("institution") or institution
            condition = f.data.get("condition", "regular")
    update: dict[str, Any] = {"condition": condition}
    if institution:
        update["institution_id"] = _institution_id(institution)
    Person.objects.filter(pk=person_id).update(**update)


def clear_read_models() -> None:
    """Empty every read-model table (before a replay)."""
    for model in READ_MODELS:
        model.objects.all().delete()
