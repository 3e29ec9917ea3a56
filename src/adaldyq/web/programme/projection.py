"""Ledger entries -> programme read models. The only code that writes the programme tables.

Entry types (subject `programme:<visit id>`, or `programme:officials` for a list):

    programme_visit_planned      {on, visit, host, region, day, route[], capacity, invited[],
                                  hearings[{court, case, day}]}
    programme_visit_decided      {on, visit, confirmed, reason}      the host institution's answer
    programme_attendance_recorded {on, visit, official, name, body, position, category, region}
    programme_officials_imported {on, officials[{official, name, body, position, category, region}]}
    programme_questionnaire_answered {on, visit, useful (1-5), recommend}   anonymous: no official
    programme_route_stations_listed {on, institution, stations[]}   subject `programme:stations:<code>`:
                                  the host's own list of route stations, in order (its head's)

A public council's monitoring visit (subject `monitoring:<visit id>`, ADR 0038):

    monitoring_visit_recorded        {on, visit, institution, region, day, council, members[],
                                      observations[{topic, text, documents[{document, name, type}],
                                      repeats?: an earlier observation found again}]}
    monitoring_observation_assigned  {on, visit, observation, institution, to, due}
    monitoring_assignment_answered   {on, visit, observation, institution, answer}
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection, transaction

from adaldyq.ledger.entry import Entry
from adaldyq.web.db import delete_rows, insert_rows
from adaldyq.web.programme.models import (
    CONFIRMED,
    READ_MODELS,
    REFUSED,
    Answer,
    Attendance,
    MonitoringVisit,
    Observation,
    Official,
    ProgrammeVisit,
    RouteStations,
)
from adaldyq.web.records import ledger_port
from adaldyq.web.records.ledger_port import payload_day

VISIT_PLANNED = "programme_visit_planned"
VISIT_DECIDED = "programme_visit_decided"
ATTENDANCE_RECORDED = "programme_attendance_recorded"
OFFICIALS_IMPORTED = "programme_officials_imported"
ANSWERED = "programme_questionnaire_answered"
STATIONS_LISTED = "programme_route_stations_listed"
MONITORING_RECORDED = "monitoring_visit_recorded"
MONITORING_ASSIGNED = "monitoring_observation_assigned"
MONITORING_ANSWERED = "monitoring_assignment_answered"
MONITORING_TYPES = frozenset({MONITORING_RECORDED, MONITORING_ASSIGNED, MONITORING_ANSWERED})
ENTRY_TYPES = (
    frozenset({VISIT_PLANNED, VISIT_DECIDED, ATTENDANCE_RECORDED, OFFICIALS_IMPORTED, ANSWERED})
    | {STATIONS_LISTED}
    | MONITORING_TYPES
)


def project(entry: Entry) -> None:
    """Apply one entry to the programme read models (entries of other types are ignored)."""
    kind, p, who = entry.type, entry.payload, entry.draft.actor.id
    if kind not in ENTRY_TYPES or entry.draft.corrects is not None:
        return
    if kind in MONITORING_TYPES:
        _monitoring(entry)
    elif kind == VISIT_PLANNED:
        ProgrammeVisit.objects.create(
            id=p["visit"],
            seq=entry.seq,
            host=p["host"],
            region=p.get("region", ""),
            day=payload_day(p["day"]),
            route=list(p.get("route", [])),
            capacity=int(p["capacity"]),
            invited=list(p.get("invited", [])),
            hearings=list(p.get("hearings", [])),
            planned_by=who,
            planned_on=payload_day(p["on"]),
        )
    elif kind == VISIT_DECIDED:
        ProgrammeVisit.objects.filter(id=p["visit"]).update(
            status=CONFIRMED if p.get("confirmed") else REFUSED,
            reason=p.get("reason", ""),
            decided_by=who,
            decided_on=payload_day(p["on"]),
            decided_seq=entry.seq,
        )
    elif kind == ATTENDANCE_RECORDED:
        Attendance.objects.create(**_attendance(entry, _day_and_host(p["visit"])))
    elif kind == ANSWERED:
        Answer.objects.create(**_answer(entry, _day_and_host(p["visit"])))
    elif kind == STATIONS_LISTED:
        RouteStations.objects.update_or_create(
            institution=p["institution"],
            defaults={"seq": entry.seq, "stations": list(p["stations"]), "listed_by": who,
                      "listed_on": payload_day(p["on"])},
        )  # fmt: skip
    elif kind == OFFICIALS_IMPORTED:
        rows = p.get("officials", [])
        keys = [r["official"] for r in rows]
        Official.objects.filter(key__in=keys).delete()
        Official.objects.bulk_create(
            [
                Official(
                    key=r["official"],
                    seq=entry.seq,
                    name=r["name"],
                    body=r["body"],
                    position=r.get("position", ""),
                    category=r["category"],
                    region=r["region"],
                )
                for r in rows
            ],
            batch_size=1000,
        )


def _day_and_host(visit: str) -> tuple[date, str]:
    """The day and host of a planned visit (only they: not its lists of officials and hearings)."""
    return ProgrammeVisit.objects.filter(id=visit).values_list("day", "host").get()


def _attendance(entry: Entry, visit: tuple[date, str]) -> dict[str, Any]:
    """The attendance row's fields, the visit's day and host copied onto it."""
    p = entry.payload
    day, host = visit
    return {
        "visit_id": p["visit"], "official": p["official"], "seq": entry.seq, "name": p["name"],
        "body": p["body"], "position": p.get("position", ""), "category": p["category"],
        "region": p["region"], "day": day, "host": host,
    }  # fmt: skip


def _answer(entry: Entry, visit: tuple[date, str]) -> dict[str, Any]:
    """The questionnaire answer row's fields, the visit's host copied onto it."""
    p = entry.payload
    return {
        "seq": entry.seq, "visit_id": p["visit"], "host": visit[1], "useful": int(p["useful"]),
        "recommend": bool(p["recommend"]),
    }  # fmt: skip


def _monitoring(entry: Entry) -> None:
    kind, p, who = entry.type, entry.payload, entry.draft.actor.id
    if kind == MONITORING_RECORDED:
        visit = MonitoringVisit.objects.create(
            id=p["visit"],
            seq=entry.seq,
            institution=p["institution"],
            region=p.get("region", ""),
            day=payload_day(p["day"]),
            council=p.get("council", ""),
            members=list(p.get("members", [])),
            recorded_by=who,
            recorded_on=payload_day(p["on"]),
        )
        Observation.objects.bulk_create(
            Observation(
                id=f"{visit.id}-{n}",
                visit=visit,
                number=n,
                topic=o["topic"],
                text=o["text"],
                documents=list(o.get("documents", [])),
                repeats=o.get("repeats", ""),
            )
            for n, o in enumerate(p.get("observations", []), start=1)
        )
    elif kind == MONITORING_ASSIGNED:
        Observation.objects.filter(id=p["observation"]).update(
            assigned_to=p["to"], due=payload_day(p["due"]), assigned_on=payload_day(p["on"]),
            assigned_seq=entry.seq,
        )  # fmt: skip
    elif kind == MONITORING_ANSWERED:
        Observation.objects.filter(id=p["observation"]).update(
            answer=p["answer"], answered_by=who, answered_on=payload_day(p["on"]),
            answered_seq=entry.seq,
        )  # fmt: skip


def clear_read_models() -> None:
    """Empty every programme table (before a replay)."""
    delete_rows(READ_MODELS)


def rebuild(*, durable: bool = True) -> int:
    """Drop the programme read models and project the whole ledger again; returns entries applied.

    Attendances and answers, most of the entries, only add rows no other entry reads: they are
    gathered (each visit's day and host read once) and inserted at the end; the other entries go
    through `project`.
    """
    applied = 0
    visits: dict[str, tuple[date, str]] = {}
    attendances: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []
    with transaction.atomic(durable=durable):
        clear_read_models()
        with connection.cursor() as cursor:
            for entry in ledger_port.entries(cursor, types=ENTRY_TYPES):
                applied += 1
                kind = entry.type
                if entry.draft.corrects is None and kind in (ATTENDANCE_RECORDED, ANSWERED):
                    key = entry.payload["visit"]
                    visit = visits.get(key) or visits.setdefault(key, _day_and_host(key))
                    rows = attendances if kind == ATTENDANCE_RECORDED else answers
                    rows.append(
                        (_attendance if kind == ATTENDANCE_RECORDED else _answer)(entry, visit)
                    )
                else:
                    project(entry)
        insert_rows(Attendance, attendances)
        insert_rows(Answer, answers)
    return applied
