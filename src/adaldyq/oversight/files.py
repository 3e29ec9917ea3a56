"""Personal files rebuilt from the ledger: one SQL pass, streamed, corrections applied.

The ledger's entries about one person (subject = the person id) become a `PersonFile`: the
admission (`person_admitted`), and the standing facts in date order. A correction (an entry with
`corrects`) takes the place of the entry it corrects; a `fact_voided` correction withdraws it
(docs/decisions/0004-ledger-format.md; `adaldyq.web.records.services.fact_correct` writes them).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import Any, Final

import orjson

from adaldyq.ledger.sql import Cursor, table_exists

__all__ = [
    "FACT_VOIDED",
    "PERSON_ADMITTED",
    "Fact",
    "PersonFile",
    "authority_institution",
    "build_file",
    "read_files",
    "read_institution_types",
]

PERSON_ADMITTED: Final = "person_admitted"
FACT_VOIDED: Final = "fact_voided"
#: Entry types that are not facts of a personal file (the web's bookkeeping of who read what).
_NOT_FACTS: Final = frozenset({"file_opened", "note_written"})
_FETCH: Final = 5000
_fromiso: Final = date.fromisoformat


@dataclass(slots=True, init=False)
class Fact:
    """One standing fact of a personal file, with the entry that records it (read-only by use;
    not frozen, as a frozen dataclass costs three times as much to make, a million times over; a
    written `__init__`, which the compiled module builds natively, ADR 0013)."""

    seq: int
    type: str
    on: date
    #: Who recorded it (`actor.id`) and on whose authority (`actor.authority`).
    officer: str
    authority: str
    #: The payload as a fact of the case format: `on` (YYYY-MM-DD) and `type` with the type's fields.
    data: dict[str, Any]

    def __init__(
        self, seq: int, type: str, on: date, officer: str, authority: str, data: dict[str, Any]
    ) -> None:
        self.seq = seq
        self.type = type
        self.on = on
        self.officer = officer
        self.authority = authority
        self.data = data


@dataclass(slots=True, init=False)
class PersonFile:
    """One person's file as the ledger says it stands now."""

    person: str
    #: The `person_admitted` payload, its entry and its recording officer (None if missing).
    admitted: dict[str, Any] | None
    admitted_seq: int
    admitted_by: str
    #: Standing facts in (date, seq) order; the admission is the first `arrived` fact.
    facts: list[Fact]
    #: Entries read for this person, corrections included.
    entries: int

    def __init__(
        self,
        person: str,
        admitted: dict[str, Any] | None = None,
        admitted_seq: int = -1,
        admitted_by: str = "",
        facts: list[Fact] | None = None,
        entries: int = 0,
    ) -> None:
        self.person = person
        self.admitted = admitted
        self.admitted_seq = admitted_seq
        self.admitted_by = admitted_by
        self.facts = [] if facts is None else facts
        self.entries = entries

    @property
    def institution(self) -> str:
        """The institution code on admission ("" if unknown)."""
        return str((self.admitted or {}).get("institution") or "")


def authority_institution(authority: str) -> str:
    """The institution code of an authority such as `role:records_officer@UK-12` ("" if none)."""
    _, _, scope = authority.partition("@")
    return scope


def build_file(person: str, rows: list[tuple[int, str, dict[str, Any]]]) -> PersonFile:
    """A file from one person's entries: (seq, type, canonical entry object) in seq order.

    The objects are the file's own (freshly parsed): their payloads become the facts' `data`.
    """
    pf = PersonFile(person, entries=len(rows))
    standing: dict[int, Fact] = {}
    dates = _DATES
    for seq, kind, obj in rows:
        if kind in _NOT_FACTS:
            continue
        payload = obj["payload"]
        actor = obj["actor"]
        corrects = obj["corrects"]
        original = None
        if corrects is not None:
            original = standing.pop(corrects, None)
        if kind == FACT_VOIDED:
            continue
        if kind == PERSON_ADMITTED:
            pf.admitted, pf.admitted_seq, pf.admitted_by = payload, seq, actor["id"]
            day = _fromiso(payload.get("on") or payload.get("sentence", {}).get("start"))
            data = {
                "on": day.isoformat(),
                "type": "arrived",
                "condition": payload.get("condition", "regular"),
                "institution": payload.get("institution"),
            }
            standing[seq] = Fact(seq, "arrived", day, actor["id"], actor["authority"], data)
            continue
        # The payload is ours (parsed for this file): it becomes the fact in the case format.
        raw_on = payload.get("on")
        if raw_on is None and original is not None:
            on = original.on
            payload["on"] = original.data["on"]
        elif raw_on is None:
            continue  # not a dated fact
        else:
            on = dates.get(raw_on) or _date(raw_on)
            if len(raw_on) != 10:  # another ISO form: the engine reads YYYY-MM-DD
                payload["on"] = on.isoformat()
        payload["type"] = kind
        standing[seq] = Fact(seq, kind, on, actor["id"], actor["authority"], payload)
    # Entries come in seq order, so a stable sort by date gives (date, seq) order.
    pf.facts = sorted(standing.values(), key=_by_date)
    return pf


_by_date: Final = attrgetter("on")
#: ISO dates seen before: a ledger shares a few thousand distinct days.
_DATES: Final[dict[str, date]] = {}


def _date(raw: str) -> date:
    d = _fromiso(raw)
    if len(_DATES) < 100_000:
        _DATES[raw] = d
    return d


def _sql(cursor: Cursor, sql: str) -> str:
    return sql.replace("%s", "?") if isinstance(cursor, sqlite3.Cursor) else sql


_NO_CORRECTION: Final = b'"corrects":null'


def collect_files(
    batches: Iterator[list[tuple[Any, ...]]],
    visit_types: frozenset[str],
    extra: Callable[[list[bytes]], None],
) -> tuple[list[PersonFile], date]:
    """Files from batches of (subject, seq, type, body) ordered by subject, and their latest fact date.

    Visit and visitor entries, and every correction, go to `extra` as their JSON bodies (for the
    columnar engine); every other entry is parsed for its person's file. Subjects without a
    `person_admitted` entry are left out.
    """
    loads = orjson.loads
    files: list[PersonFile] = []
    latest = date.min
    current: str | None = None
    parsed: list[tuple[int, str, dict[str, Any]]] = []
    for batch in batches:
        lines: list[bytes] = []
        for row in batch:
            subject: str = row[0]
            kind: str = row[2]
            body = row[3]
            if not isinstance(body, bytes):
                body = bytes(body)
            if subject != current:
                if current is not None:
                    latest = _close(build_file(current, parsed), files, latest)
                current, parsed = subject, []
            if kind in visit_types:
                lines.append(body)
            else:
                if _NO_CORRECTION not in body:
                    lines.append(body)
                parsed.append((int(row[1]), kind, loads(body)))
        extra(lines)
    if current is not None:
        latest = _close(build_file(current, parsed), files, latest)
    return files, latest


def _close(pf: PersonFile, files: list[PersonFile], latest: date) -> date:
    if pf.admitted is None:
        return latest
    files.append(pf)
    if pf.facts and pf.facts[-1].on > latest:
        return pf.facts[-1].on
    return latest


def read_files(cursor: Cursor, *, subjects: list[str] | None = None) -> Iterator[PersonFile]:
    """Every person's file (or those of `subjects`), in one SQL pass ordered by subject.

    Rows are fetched in batches, so memory holds one person's entries plus a batch. Subjects
    without a `person_admitted` entry (institutions, the ledger's key changes) are skipped.
    """
    sql = "SELECT subject, seq, type, body FROM ledger_entries"
    params: list[Any] = []
    if subjects is not None:
        if not subjects:
            return
        sql += " WHERE subject IN (" + ", ".join(["%s"] * len(subjects)) + ")"
        params = list(subjects)
    sql += " ORDER BY subject, seq"
    cursor.execute(_sql(cursor, sql), params)
    loads = orjson.loads
    current: str | None = None
    rows: list[tuple[int, str, dict[str, Any]]] = []
    while True:
        batch = cursor.fetchmany(_FETCH)  # type: ignore[attr-defined]
        if not batch:
            break
        for subject, seq, kind, body in batch:
            if subject != current:
                if current is not None and rows:
                    pf = build_file(current, rows)
                    if pf.admitted is not None:
                        yield pf
                current, rows = subject, []
            rows.append((int(seq), kind, loads(bytes(body))))
    if current is not None and rows:
        pf = build_file(current, rows)
        if pf.admitted is not None:
            yield pf


def read_institution_types(cursor: Cursor) -> dict[str, str]:
    """Institution code -> type from the institutions register in the same database, if present.

    The register is kept by the web application (table `institutions_institution`); a ledger
    without it gives an empty mapping, and the caller supplies the types some other way.
    """
    if not table_exists(cursor, "institutions_institution"):
        return {}
    cursor.execute("SELECT code, type FROM institutions_institution")
    return {str(code): str(kind) for code, kind in cursor.fetchall()}


def institution_type(pf: PersonFile, register: Mapping[str, str]) -> str | None:
    """The type of the person's institution on admission: the register's, else the payload's."""
    admitted = pf.admitted or {}
    return register.get(pf.institution) or admitted.get("institution_type")
