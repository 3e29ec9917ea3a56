"""Assignments of public councils' monitoring visits answered late or not at all: findings (issue 20).

    from adaldyq.oversight.monitoring import MONITORING_FLAG_KINDS, monitoring_flags
    flags = read_monitoring_flags(cursor, on=date(2026, 12, 6))   # one SQL pass over the entries

A public council's commission records what it found in an institution (`monitoring_visit_recorded`;
an observation the council finds again at a later visit names the earlier one: a finding, whether or
not the institution had answered it); an observation can become an
assignment to the responsible official or body with a due date (`monitoring_observation_assigned`),
and the institution answers it (`monitoring_assignment_answered`). An assignment whose due date has
passed on `on` without an answer, or that was answered after its due date, is a finding: the ledger
alone proves it. The web app (`adaldyq.web.programme`) writes the entries and applies the same rule
to its pages (`overdue`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import orjson

from adaldyq.ledger.sql import Cursor, execute
from adaldyq.oversight.register import Flag

__all__ = [
    "MONITORING_ANSWERED",
    "MONITORING_ASSIGNED",
    "MONITORING_FLAG_KINDS",
    "MONITORING_RECORDED",
    "monitoring_flags",
    "overdue",
    "read_monitoring_flags",
]

MONITORING_RECORDED = "monitoring_visit_recorded"
MONITORING_ASSIGNED = "monitoring_observation_assigned"
MONITORING_ANSWERED = "monitoring_assignment_answered"
MONITORING_FLAG_KINDS: dict[str, str] = {
    "monitoring_assignment_overdue": (
        "project rule (issue 20): assignment of a public council's monitoring visit not answered by "
        "its due date"
    ),
    "monitoring_observation_repeated": (
        "project rule (issue 20): observation of a public council found again at a later visit"
    ),
}

#: (seq, entry type, actor id, payload)
Row = tuple[int, str, str, dict[str, Any]]


def overdue(due: date, answered_on: date | None, on: date) -> bool:
    """Whether an assignment due on `due` is late on `on`: still open after its due date, or
    answered after it."""
    if answered_on is None:
        return due < on
    return answered_on > due


def monitoring_flags(rows: Iterable[Row], *, on: date | None = None) -> list[Flag]:
    """A finding for every assignment late on `on` (None: the latest date any row was recorded on,
    so that the ledger alone fixes the answer)."""
    assigned: dict[str, Row] = {}
    answered: dict[str, Row] = {}
    recorded: dict[str, int] = {}  # observation -> the entry that recorded it
    found: list[Flag] = []
    latest: date | None = None
    for row in rows:
        seq, kind, _who, p = row
        day = date.fromisoformat(p["on"])
        latest = day if latest is None or day > latest else latest
        if kind == MONITORING_RECORDED:
            for n, o in enumerate(p.get("observations", []), start=1):
                recorded[f"{p['visit']}-{n}"] = seq
                if o.get("repeats") and o["repeats"] in recorded:
                    found.append(_repeated(row, n, o, recorded[o["repeats"]]))
        elif kind == MONITORING_ASSIGNED:
            assigned[p["observation"]] = row
        elif kind == MONITORING_ANSWERED:
            answered.setdefault(p["observation"], row)
    on = on or latest
    if on is None:
        return found
    for observation, (seq, _kind, officer, p) in assigned.items():
        due = date.fromisoformat(p["due"])
        answer = answered.get(observation)
        answered_on = date.fromisoformat(answer[3]["on"]) if answer else None
        if not overdue(due, answered_on, on):
            continue
        end = answered_on or on
        found.append(
            Flag(
                kind="monitoring_assignment_overdue",
                person="",
                institution=str(p.get("institution", "")),
                officer=officer,
                on=due,
                evidence=(seq, answer[0]) if answer else (seq,),
                rule=MONITORING_FLAG_KINDS["monitoring_assignment_overdue"],
                confidence="P",
                detail={
                    "visit": p.get("visit"),
                    "observation": observation,
                    "to": p.get("to"),
                    "due": p["due"],
                    "answered_on": answered_on.isoformat() if answered_on else None,
                    "days_late": (end - due).days,
                },
                flag_class="finding",
            )
        )
    return sorted(found, key=lambda f: (f.on or date.min, f.evidence))


def _repeated(row: Row, n: int, observation: dict[str, Any], earlier: int) -> Flag:
    seq, _kind, officer, p = row
    return Flag(
        kind="monitoring_observation_repeated",
        person="",
        institution=str(p.get("institution", "")),
        officer=officer,
        on=date.fromisoformat(p["day"]),
        evidence=(earlier, seq),
        rule=MONITORING_FLAG_KINDS["monitoring_observation_repeated"],
        confidence="P",
        detail={
            "visit": p.get("visit"),
            "observation": f"{p.get('visit')}-{n}",
            "repeats": observation["repeats"],
            "topic": observation.get("topic"),
        },
        flag_class="finding",
    )


def read_monitoring_flags(cursor: Cursor, *, on: date | None = None) -> list[Flag]:
    """Read every monitoring entry (one query): observations found again, assignments late on `on`."""
    execute(
        cursor,
        "SELECT seq, body FROM ledger_entries WHERE type IN (%s, %s, %s) ORDER BY seq",
        (MONITORING_RECORDED, MONITORING_ASSIGNED, MONITORING_ANSWERED),
    )
    rows: list[Row] = []
    for seq, body in cursor.fetchall():
        obj = orjson.loads(body if isinstance(body, bytes) else bytes(body))
        if obj.get("corrects") is not None:
            continue
        actor = obj.get("actor") or {}
        rows.append((int(seq), str(obj["type"]), str(actor.get("id", "")), obj["payload"]))
    return monitoring_flags(rows, on=on)
