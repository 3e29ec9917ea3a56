"""Ledger entries -> read-model rows. The only code that writes the records tables.

`project(entry)` is called twice in the life of an entry: right after it is appended (in the same
transaction) and on `adaldyq ledger replay`. It must therefore depend on nothing but the entry and
the rows earlier entries made, so that a replay gives identical tables.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from adaldyq.core.facts import EVENT_TYPES, RECORDED_ONLY
from adaldyq.files import (
    ENTRY_META,
    PLACEMENT_KINDS,
    ParoleFacts,
    Placement,
    parole_of,
    parse_fact,
    placement_of,
    release_of,
)
from adaldyq.files import Fact as FileFact
from adaldyq.ledger.entry import Entry, parse_entry
from adaldyq.web.db import (
    Prepared,
    delete_rows,
    insert_prepared,
    insert_rows,
    prepare_rows,
    update_rows,
)
from adaldyq.web.institutions.models import Institution
from adaldyq.web.records.models import (
    Fact,
    FileListing,
    FileOpening,
    Note,
    Person,
    Proposal,
    Relative,
)

PERSON_ADMITTED = "person_admitted"
FILE_OPENED = "file_opened"
FILES_LISTED = "files_listed"  # a page showed many files (subject "people"; payload: page, people)
NOTE_WRITTEN = "note_written"
FACT_VOIDED = "fact_voided"
#: An entry proposed for the head's confirmation (a fact recorded very late, the withdrawal of an old
#: penalty; issue 15): no fact of the file until the head's entry confirms it (`confirms` in its payload).
ENTRY_PROPOSED = "entry_proposed"
PROPOSAL_REFUSED = "proposal_refused"
FACT_TYPES = frozenset(EVENT_TYPES) | RECORDED_ONLY
PLACEMENT_TYPES = PLACEMENT_KINDS
READ_MODELS = (Fact, Relative, Note, FileOpening, FileListing, Person, Proposal)
#: The person row's columns a placement fact sets (`placement_fields`).
PLACEMENT_COLUMNS = ("condition", "institution_id", "released_on", "released_from", "released_to")


def _at(entry: Entry) -> datetime:
    return _moment(entry.recorded_at)


@functools.lru_cache(maxsize=256)
def _moment(recorded_at: str) -> datetime:
    """The entry's time (a batch's entries share one: parsed once)."""
    return datetime.fromisoformat(recorded_at.replace("Z", "+00:00"))


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
    data = {
        k: payload[k] for k in sorted(payload) if k != "on" and k not in ENTRY_META
    }  # canonical order, as a replay reads it; how it was entered is not the fact (ENTRY_META)
    return date.fromisoformat(payload["on"]), data


def search_text(p: dict[str, Any]) -> str:
    """What person search matches against: the names and the number, case-folded."""
    return " ".join(
        str(p.get(k) or "") for k in ("surname", "given_name", "patronymic", "number")
    ).casefold()


def project(entry: Entry) -> None:
    """Apply one entry to the read models."""
    kind = entry.type
    if kind == PERSON_ADMITTED:
        _admit(entry)
    elif kind == FILE_OPENED:
        insert_rows(FileOpening, [_opening_fields(entry)])  # every file opening: no model instance
    elif kind == FILES_LISTED:
        insert_rows(FileListing, _listing_fields(entry))
    elif kind == NOTE_WRITTEN:
        _note_row(entry).save(force_insert=True)
    elif kind in FACT_TYPES or kind == FACT_VOIDED:
        _fact(entry)
        if kind == "visitor_registered":
            _relative_row(entry).save(force_insert=True)
        if entry.payload.get("confirms") is not None:  # the head's entry that a proposal asked for
            _decided(entry, "confirmed")
    elif kind == ENTRY_PROPOSED:
        _proposal_row(entry).save(force_insert=True)
    elif kind == PROPOSAL_REFUSED:
        _decided(entry, "refused")


def _proposal_row(entry: Entry) -> Proposal:
    p = entry.payload
    return Proposal(
        seq=entry.seq,
        person_id=entry.subject,
        action=str(p.get("action", "")),
        fact=dict(p.get("fact") or {}),
        entry=p.get("entry"),
        code=str(p.get("code", "")),
        reason=str(p.get("reason", "")),
        proposed_by=entry.draft.actor.id,
        at=_at(entry),
    )


def _decided(entry: Entry, status: str) -> None:
    key = entry.payload.get("confirms") if status == "confirmed" else entry.payload.get("proposal")
    Proposal.objects.filter(seq=int(key or -1)).update(
        status=status,
        decided_by=entry.draft.actor.id,
        decided_seq=entry.seq,
        decided_reason=str(entry.payload.get("reason", "")) if status == "refused" else "",
    )


def _opening_fields(entry: Entry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "person_id": entry.subject,
        "by": entry.draft.actor.id,
        "at": _at(entry),
        "page": str(entry.payload.get("page", "")),
    }


def _listing_fields(entry: Entry) -> list[dict[str, Any]]:
    at, by, page = _at(entry), entry.draft.actor.id, str(entry.payload.get("page", ""))
    return [
        {"seq": entry.seq, "person_id": pid, "by": by, "at": at, "page": page}
        for pid in entry.payload.get("people", ())
    ]


def _note_row(entry: Entry) -> Note:
    return Note(
        seq=entry.seq,
        person_id=entry.subject,
        author=entry.draft.actor.id,
        at=_at(entry),
        text=entry.payload["text"],
    )


def _relative_row(entry: Entry) -> Relative:
    p = entry.payload
    return Relative(
        seq=entry.seq,
        person_id=entry.subject,
        name=p.get("name", ""),
        relationship=p.get("relationship", ""),
        approved=bool(p.get("approved", True)),
    )


def _person_fields(entry: Entry, institution_id: int | None) -> dict[str, Any]:
    """The person row a `person_admitted` entry makes (one place for `_admit` and the batch)."""
    p = entry.payload
    s = p["sentence"]
    return {
        "id": entry.subject,
        "number": p["number"],
        "surname": p["surname"],
        "given_name": p["given_name"],
        "patronymic": p.get("patronymic", ""),
        "sex": p["sex"],
        "born": date.fromisoformat(p["born"]),
        "institution_id": institution_id,
        "condition": p.get("condition", "regular"),
        "sentence_start": date.fromisoformat(s["start"]),
        "sentence_years": s.get("years", 0),
        "sentence_months": s.get("months", 0),
        "sentence_days": s.get("days", 0),
        "life": bool(s.get("life", False)),
        "gravity": p.get("gravity") or "",
        "home_region": p.get("home_region") or "",
        "sentence_type": p.get("sentence_type") or "",
        "admitted_on": date.fromisoformat(p["on"]),
        "admitted_seq": entry.seq,
        "search_text": search_text(p),
    }


def _fact_fields(
    entry: Entry, kind: str, on: date, data: dict[str, Any], *, corrects: int | None = None
) -> dict[str, Any]:
    """The fields of the fact row an entry makes: one place for the entry-by-entry and batch paths."""
    return {
        "seq": entry.seq,
        "entry_hash": _hash(entry),
        "person_id": entry.subject,
        "kind": kind,
        "on": on,
        "data": data,
        "recorded_by": entry.draft.actor.id,
        "recorded_at": _at(entry),
        "corrects_id": corrects,
        "reason": entry.draft.reason or "",
        "void": entry.type == FACT_VOIDED,
    }


def _fact_row(
    entry: Entry, kind: str, on: date, data: dict[str, Any], *, corrects: int | None = None
) -> Fact:
    """The (unsaved) fact row an entry makes."""
    return Fact(**_fact_fields(entry, kind, on, data, corrects=corrects))


def _arrival_fields(entry: Entry) -> dict[str, Any]:
    """The fields of the `arrived` fact row of an admission."""
    p = entry.payload
    data = {"condition": p.get("condition", "regular"), "institution": p.get("institution")}
    return _fact_fields(entry, "arrived", date.fromisoformat(p["on"]), data)


def _admit(entry: Entry) -> None:
    p = entry.payload
    Person.objects.create(**_person_fields(entry, _institution_id(p.get("institution"))))
    Fact(**_arrival_fields(entry)).save(force_insert=True)


def _fact(entry: Entry) -> None:
    p = entry.payload
    original = None
    if entry.draft.corrects is not None:
        original = Fact.objects.filter(seq=entry.draft.corrects).first()
    if entry.type == FACT_VOIDED:
        on = original.on if original else date.fromisoformat(p["on"])
        kind = original.kind if original else FACT_VOIDED
        data: dict[str, Any] = {}
    else:
        kind = entry.type
        on, data = fact_fields(kind, p)
    fact = _fact_row(entry, kind, on, data, corrects=None if original is None else original.seq)
    fact.save(force_insert=True)
    if original is not None:
        Fact.objects.filter(seq=original.seq).update(superseded_by=fact)
    if kind in PLACEMENT_TYPES or (original is not None and original.kind in PLACEMENT_TYPES):
        _refresh_placement(entry.subject)
    if kind == ParoleFacts.TYPE:
        _refresh_parole(entry.subject)


def effective_facts(facts: list[Fact]) -> list[Fact]:
    """The facts that stand: not superseded, not withdrawn; in date order, then recording order."""
    return sorted(
        (f for f in facts if f.superseded_by_id is None and not f.void), key=lambda f: (f.on, f.seq)
    )


def _placement_facts(rows: list[Fact]) -> list[FileFact]:
    return [
        parse_fact(f.kind, {"on": f.on.isoformat(), **f.data}, on=f.on, seq=f.seq)
        for f in effective_facts(rows)
        if f.kind in PLACEMENT_TYPES
    ]


def placement(rows: list[Fact]) -> Placement:
    """Where a person's fact rows leave them: the standing placement facts read by `files.placement_of`
    (the one reading of arrivals, condition changes, transfers and releases)."""
    return placement_of(_placement_facts(rows))


def placement_fields(
    rows: list[Fact], institution_id: Callable[[str], int | None]
) -> dict[str, Any]:
    """The person row's placement columns from their placement fact rows: condition, institution
    (none after a release; left as it is when no fact names one) and the release that ended it."""
    facts = _placement_facts(rows)
    now = placement_of(facts)
    out: dict[str, Any] = {"condition": now.condition}
    if now.institution or now.released:
        out["institution_id"] = institution_id(now.institution)
    released = release_of(facts)
    out["released_on"] = None if released is None else released[0].on
    out["released_from"] = "" if released is None else released[1]
    out["released_to"] = "" if released is None else released[0].region
    return out


def _refresh_placement(person_id: str) -> None:
    """The person's current institution and condition, from the standing placement facts."""
    rows = list(Fact.objects.filter(person_id=person_id, kind__in=PLACEMENT_TYPES))
    Person.objects.filter(pk=person_id).update(**placement_fields(rows, _institution_id))


def _refresh_parole(person_id: str) -> None:
    """The facts the parole rules read, from the standing `parole_facts` rows (`files.parole_of`,
    the reading the law engine gets from the file)."""
    rows = effective_facts(list(Fact.objects.filter(person_id=person_id, kind=ParoleFacts.TYPE)))
    facts = [
        parse_fact(f.kind, {"on": f.on.isoformat(), **f.data}, on=f.on, seq=f.seq) for f in rows
    ]
    Person.objects.filter(pk=person_id).update(**parole_of(facts))


def clear_read_models() -> None:
    """Empty every read-model table (before a replay)."""
    delete_rows(READ_MODELS)  # users point at people without a constraint


def _fields_of(row: Any) -> dict[str, Any]:
    """An unsaved row's fields (`db.prepare_rows`), its automatic id left to the database."""
    return {
        f.attname: getattr(row, f.attname)
        for f in row._meta.concrete_fields
        if not (f.primary_key and getattr(row, f.attname) is None)
    }


@dataclass(slots=True)
class Built:
    """What `BatchProjector.build` made of a chunk of entries, for `BatchProjector.write` (which may
    run in another process: `records.services.read_models_rebuild`, ADR 0047)."""

    #: The rows of every table, as the database takes them, in the order they are written.
    prepared: list[Prepared]
    #: The bodies of the entries that decide a proposal, with the decision.
    decided: list[tuple[bytes, str]]
    #: The corrected facts, each with the fact that corrects it.
    superseded: dict[int, int]
    #: Placement facts (fields) by person; {"seq": n} alone marks a person for a database refresh.
    placement: list[tuple[str, dict[str, Any]]]
    people: list[str]
    parole: list[str]


class BatchProjector:
    """Project many entries with bulk inserts; the same rows as `project` one by one.

    Used by the demo load and by replay. Placement (institution, condition) is settled in
    `finish()`, once every correction of the batch is known, by the rule `_refresh_placement` uses.
    People and facts, nearly every row of a replay, are written as plain fields (`db.prepare_rows`):
    a model instance is made only for the placement facts `finish()` reads. `add` is `build` (the
    rows, from the entries alone) then `write`; a replay may build in a second process.
    `complete`: every entry before the ones added passes through this projector (a whole replay):
    a correction of an entry it has not seen has no fact row to look up.
    """

    def __init__(self, *, complete: bool = False) -> None:
        self.placement: dict[str, list[Fact]] = {}
        self.superseded: dict[int, int] = {}
        self.kinds: dict[int, str] = {}  # seq -> kind of every fact projected in this batch
        self.people_here: set[str] = set()
        #: People with a `parole_facts` entry (or a correction of one) in the batch: rare, each
        #: settled in `finish()` from its rows by `_refresh_parole`.
        self.parole: set[str] = set()
        self.inst_ids = dict(Institution.objects.values_list("code", "pk"))
        self.complete = complete

    def add(self, entries: list[Entry]) -> None:
        """Project one chunk of entries (in sequence order)."""
        self.write(self.build(entries))

    def build(self, entries: list[Entry]) -> Built:
        """The rows of one chunk of entries (in sequence order), read from the entries and what
        this projector built before (no database, but a correction's original when not
        `complete`)."""
        people: list[dict[str, Any]] = []
        facts: list[dict[str, Any]] = []
        relatives, notes = [], []
        openings: list[dict[str, Any]] = []
        listings: list[dict[str, Any]] = []
        proposals: list[Proposal] = []
        placement: list[tuple[str, dict[str, Any]]] = []
        built = Built([], [], {}, placement, [], [])
        for entry in entries:
            kind, p = entry.type, entry.payload
            if kind == PERSON_ADMITTED:
                people.append(_person_fields(entry, self.inst_ids.get(p.get("institution") or "")))
                built.people.append(entry.subject)
                fact = _arrival_fields(entry)
                facts.append(fact)
                self.kinds[entry.seq] = "arrived"
                placement.append((entry.subject, fact))
            elif kind == FILE_OPENED:
                openings.append(_opening_fields(entry))
            elif kind == FILES_LISTED:
                listings.extend(_listing_fields(entry))
            elif kind == NOTE_WRITTEN:
                notes.append(_note_row(entry))
            elif kind in FACT_TYPES or kind == FACT_VOIDED:
                facts.append(self._fact(entry, built))
                if kind == "visitor_registered":
                    relatives.append(_relative_row(entry))
                if p.get("confirms") is not None:
                    built.decided.append((entry.body, "confirmed"))
            elif kind == ENTRY_PROPOSED:
                proposals.append(_proposal_row(entry))
            elif kind == PROPOSAL_REFUSED:
                built.decided.append((entry.body, "refused"))
        built.prepared = [
            prepare_rows(Person, people), prepare_rows(Fact, facts),
            prepare_rows(FileOpening, openings), prepare_rows(FileListing, listings),
        ] + [
            prepare_rows(type(rows[0]), [_fields_of(r) for r in rows])
            for rows in (relatives, notes, proposals)
            if rows
        ]  # fmt: skip
        built.superseded, self.superseded = self.superseded, {}
        return built

    def write(self, built: Built) -> None:
        """Write what `build` made, and keep what `finish` settles."""
        for prepared in built.prepared:
            insert_prepared(prepared)
        for body, status in built.decided:  # rare: one update each, after the proposals they decide
            _decided(parse_entry(body), status)
        for orig, new in built.superseded.items():  # corrections are rare: one update each
            Fact.objects.filter(seq=orig).update(superseded_by_id=new)
        for person_id, fields in built.placement:
            self.placement.setdefault(person_id, []).append(Fact(**fields))
        self.people_here.update(built.people)
        self.parole.update(built.parole)

    def _fact(self, entry: Entry, built: Built) -> dict[str, Any]:
        p, corrects = entry.payload, entry.draft.corrects
        original_kind = None
        original_on = None
        if corrects is not None:
            original_kind = self.kinds.get(corrects)
            if original_kind is None and not self.complete:
                row = Fact.objects.filter(seq=corrects).values_list("kind", "on").first()
                if row is not None:
                    original_kind, original_on = row
            self.superseded[corrects] = entry.seq
        if entry.type == FACT_VOIDED:
            kind = original_kind or FACT_VOIDED
            on = date.fromisoformat(p["on"]) if original_on is None else original_on
            data: dict[str, Any] = {}
        else:
            kind = entry.type
            on, data = fact_fields(kind, p)
        fact = _fact_fields(
            entry, kind, on, data, corrects=corrects if original_kind is not None else None
        )
        self.kinds[entry.seq] = kind
        if kind == ParoleFacts.TYPE:
            built.parole.append(entry.subject)
        if kind in PLACEMENT_TYPES or (original_kind in PLACEMENT_TYPES):
            built.placement.append((entry.subject, fact))
            if corrects is not None:  # marks the person for a DB refresh
                built.placement.append((entry.subject, {"seq": corrects}))
        return fact

    def finish(self) -> None:
        """Settle every touched person's placement from the standing placement facts, and their
        parole facts from the standing `parole_facts` rows."""
        for person_id in sorted(self.parole):
            _refresh_parole(person_id)
        changed: list[tuple[Any, ...]] = []
        for person_id, facts in self.placement.items():
            if person_id not in self.people_here or any(not f.kind for f in facts):
                _refresh_placement(person_id)
                continue
            fields = placement_fields(facts, self.inst_ids.get)
            fields.setdefault("institution_id", None)  # admitted without one, and never placed
            if fields["released_on"] is not None:
                fields["released_on"] = fields["released_on"].isoformat()
            changed.append((person_id, *(fields[c] for c in PLACEMENT_COLUMNS)))
        update_rows(Person, PLACEMENT_COLUMNS, changed)
