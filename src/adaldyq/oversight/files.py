"""Personal files read from the ledger: one SQL pass, streamed, each person's rows folded into a
`PersonalFile` by `adaldyq.files` (the one fold of corrections and withdrawals, ADR 0004 and 0014).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import Any, Final

import orjson

from adaldyq.files import PersonalFile
from adaldyq.ledger.sql import Cursor, execute

__all__ = [
    "authority_institution",
    "collect_files",
    "institution_type",
    "read_files",
]

_FETCH: Final = 5000


def authority_institution(authority: str) -> str:
    """The institution code of an authority such as `role:records_officer@UK-12` ("" if none)."""
    _, _, scope = authority.partition("@")
    return scope


_NO_CORRECTION: Final = b'"corrects":null'


def collect_files(
    batches: Iterator[list[tuple[Any, ...]]],
    visit_types: frozenset[str],
    extra: Callable[[list[bytes]], None],
) -> tuple[list[PersonalFile], date]:
    """Files from batches of (subject, seq, type, body) ordered by subject, and their latest fact date.

    Visit and visitor entries, and every correction, go to `extra` as their JSON bodies (for the
    columnar engine); every other entry is parsed for its person's file. Subjects without a
    `person_admitted` entry are left out.
    """
    loads = orjson.loads
    files: list[PersonalFile] = []
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
                    latest = _close(PersonalFile.fold(current, parsed), files, latest)
                current, parsed = subject, []
            if kind in visit_types:
                lines.append(body)
            else:
                if _NO_CORRECTION not in body:
                    lines.append(body)
                parsed.append((int(row[1]), kind, loads(body)))
        extra(lines)
    if current is not None:
        latest = _close(PersonalFile.fold(current, parsed), files, latest)
    return files, latest


def _close(pf: PersonalFile, files: list[PersonalFile], latest: date) -> date:
    if pf.admission is None:
        return latest
    files.append(pf)
    if pf.facts and pf.facts[-1].on > latest:
        return pf.facts[-1].on
    return latest


def read_files(cursor: Cursor, *, subjects: list[str] | None = None) -> Iterator[PersonalFile]:
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
    execute(cursor, sql, params)
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
                    pf = PersonalFile.fold(current, rows)
                    if pf.admission is not None:
                        yield pf
                current, rows = subject, []
            rows.append((int(seq), kind, loads(bytes(body))))
    if current is not None and rows:
        pf = PersonalFile.fold(current, rows)
        if pf.admission is not None:
            yield pf


def institution_type(pf: PersonalFile, register: Mapping[str, str]) -> str | None:
    """The type of the person's institution on admission: the register's (code -> type, handed in
    by the caller: `adaldyq.web.institutions.register`), else the admission's own."""
    admitted = {} if pf.admission is None else pf.admission.payload
    return register.get(pf.institution) or admitted.get("institution_type")
