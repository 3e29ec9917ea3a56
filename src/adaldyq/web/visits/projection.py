"""Ledger entries -> visits read models. The only code that writes the visits tables.

Entry types (subject: the person's id, or the institution's code for rooms and closures):

    visitor_registered   {on, visitor, relationship, approved, name, document, document_type,
                          evidence, decision}
    visitor_approved     {on, visitor, relationship, approved, registered_by, registered_seq,
                          document_seen{type, number}}   another officer's decision
    visit_room_defined   {on, room, name, names{kk, ru, en}, kind, capacity, starts, weekdays, visitors_max,
                          book_min_days, book_max_days, active}        latest definition wins
    visit_closure_recorded {on, room, first_day, last_day, reason}
    whereabouts_recorded {on, where, first_day, last_day}             isolator, solitary, hospital...
    visit_booked         {on, booking, kind, institution, room, start, last_day, seat, visitors,
                          channel, entitlement{figure, used, determinable, confidence, article},
                          overrides, override_reason, code_hash}
    visit_booking_cancelled {on, booking, reason}
    visitor_checked_in / visitor_checked_out {on, booking, visitor, at}
    visit                {on, kind, visitor, visitors, hours | days, booking}   (the generator's shape)
    visit_not_happened   {on, booking, reason}

`visitor_registered`, `visitor_approved` and `visit` are also facts of the personal file: the
services project them through `records.projection` too, as a replay does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import connection, transaction

from adaldyq.ledger.entry import Entry
from adaldyq.web.db import delete_rows, insert_rows
from adaldyq.web.records import ledger_port
from adaldyq.web.records.ledger_port import payload_day
from adaldyq.web.visits.models import (
    CANCELLED,
    HAPPENED,
    NOT_HAPPENED,
    Attendance,
    Booking,
    Closure,
    Room,
    Visitor,
    Whereabouts,
)

VISITOR_REGISTERED = "visitor_registered"
VISITOR_APPROVED = "visitor_approved"
ROOM_DEFINED = "visit_room_defined"
CLOSURE_RECORDED = "visit_closure_recorded"
WHEREABOUTS_RECORDED = "whereabouts_recorded"
VISIT_BOOKED = "visit_booked"
BOOKING_CANCELLED = "visit_booking_cancelled"
CHECKED_IN = "visitor_checked_in"
CHECKED_OUT = "visitor_checked_out"
VISIT = "visit"
NOT_HAPPENED_TYPE = "visit_not_happened"
ENTRY_TYPES = frozenset(
    {
        VISITOR_REGISTERED,
        VISITOR_APPROVED,
        ROOM_DEFINED,
        CLOSURE_RECORDED,
        WHEREABOUTS_RECORDED,
        VISIT_BOOKED,
        BOOKING_CANCELLED,
        CHECKED_IN,
        CHECKED_OUT,
        VISIT,
        NOT_HAPPENED_TYPE,
    }
)
READ_MODELS = (Attendance, Booking, Closure, Whereabouts, Room, Visitor)


def _at(entry: Entry, value: Any = None) -> datetime:
    text = str(value) if value else entry.recorded_at
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def project(entry: Entry) -> None:
    """Apply one entry to the visits read models (entries of other types are ignored)."""
    kind, p, who = entry.type, entry.payload, entry.draft.actor.id
    if kind not in ENTRY_TYPES or entry.draft.corrects is not None:
        return  # corrections of visit entries: the personal file shows them (records.projection)
    if kind == VISITOR_REGISTERED:
        (person, visitor), defaults = _registration(entry)
        Visitor.objects.update_or_create(person_id=person, visitor=visitor, defaults=defaults)
    elif kind == VISITOR_APPROVED:
        (person, visitor), fields = _approval(entry)
        Visitor.objects.filter(person_id=person, visitor=visitor).update(**fields)
    elif kind == ROOM_DEFINED:
        Room.objects.update_or_create(
            id=f"{entry.subject}/{p['room']}",
            defaults={
                "institution": entry.subject,
                "key": p["room"],
                "seq": entry.seq,
                "name": p.get("name", p["room"]),
                "names": dict(p.get("names", {})),
                "kind": p["kind"],
                "capacity": int(p["capacity"]),
                "starts": list(p.get("starts", [])),
                "weekdays": list(p.get("weekdays", [1, 2, 3, 4, 5, 6, 7])),
                "visitors_max": int(p.get("visitors_max", 3)),
                "book_min_days": int(p.get("book_min_days", 1)),
                "book_max_days": int(p.get("book_max_days", 28)),
                "active": bool(p.get("active", True)),
            },
        )
    elif kind == CLOSURE_RECORDED:
        Closure.objects.create(
            seq=entry.seq,
            institution=entry.subject,
            room=p.get("room", ""),
            first_day=payload_day(p["first_day"]),
            last_day=payload_day(p["last_day"]),
            reason=p.get("reason", ""),
        )
    elif kind == WHEREABOUTS_RECORDED:
        Whereabouts.objects.create(
            seq=entry.seq,
            person_id=entry.subject,
            where=p["where"],
            first_day=payload_day(p["first_day"]),
            last_day=payload_day(p["last_day"]) if p.get("last_day") else None,
            recorded_by=who,
        )
    elif kind == VISIT_BOOKED:
        ent = p.get("entitlement", {})
        Booking.objects.create(
            id=p["booking"],
            seq=entry.seq,
            person_id=entry.subject,
            institution=p["institution"],
            room_id=f"{p['institution']}/{p['room']}",
            kind=p["kind"],
            day=payload_day(p["on"]),
            start=p.get("start", ""),
            last_day=payload_day(p["last_day"]),
            seat=int(p["seat"]),
            visitors=list(p["visitors"]),
            channel=p.get("channel", "staff"),
            booked_by=who,
            booked_at=_at(entry),
            figure=ent.get("figure"),
            used_before=int(ent.get("used", 0)),
            determinable=bool(ent.get("determinable", False)),
            confidence=ent.get("confidence", ""),
            article=ent.get("article", ""),
            overrides=list(p.get("overrides", [])),
            override_reason=p.get("override_reason", ""),
            code_hash=p.get("code_hash", ""),
        )
    elif kind in (BOOKING_CANCELLED, NOT_HAPPENED_TYPE):
        Booking.objects.filter(pk=p["booking"]).update(
            status=CANCELLED if kind == BOOKING_CANCELLED else NOT_HAPPENED,
            closed_seq=entry.seq,
            closed_reason=p.get("reason", ""),
        )
    elif kind == CHECKED_IN:
        Attendance.objects.create(
            booking_id=p["booking"],
            visitor=p["visitor"],
            checked_in_at=_at(entry, p.get("at")),
            checked_in_seq=entry.seq,
        )
    elif kind == CHECKED_OUT:
        Attendance.objects.filter(booking_id=p["booking"], visitor=p["visitor"]).update(
            checked_out_at=_at(entry, p.get("at")), checked_out_seq=entry.seq
        )
    elif kind == VISIT and p.get("booking"):
        Booking.objects.filter(pk=p["booking"]).update(status=HAPPENED, visit_seq=entry.seq)


def _registration(entry: Entry) -> tuple[tuple[str, str], dict[str, Any]]:
    """The visitor a `visitor_registered` entry registers (person, visitor) and its fields."""
    p, who = entry.payload, entry.draft.actor.id
    # the generator's registrations carry the decision; the web's wait for `visitor_approved`
    approved = None if p.get("decision") == "pending" else bool(p.get("approved", True))
    # registrations from the file's form before it took a document carry no visitor id
    key = (entry.subject, p.get("visitor") or f"entry:{entry.seq}")
    return key, {
        "seq": entry.seq,
        "name": p.get("name", ""),
        "document": p.get("document", ""),
        "document_type": p.get("document_type", ""),
        "relationship": p.get("relationship", ""),
        "evidence": p.get("evidence", ""),
        "registered_on": payload_day(p["on"]),
        "registered_by": who,
        "status": "pending" if approved is None else ("approved" if approved else "refused"),
        "decided_on": None if approved is None else payload_day(p["on"]),
        "decided_by": "" if approved is None else who,
        "decided_seq": None if approved is None else entry.seq,
    }


def _approval(entry: Entry) -> tuple[tuple[str, str], dict[str, Any]]:
    """The visitor a `visitor_approved` entry decides on (person, visitor) and the fields it sets."""
    p = entry.payload
    return (entry.subject, p["visitor"]), {
        "status": "approved" if p.get("approved", True) else "refused",
        "decided_on": payload_day(p["on"]),
        "decided_by": entry.draft.actor.id,
        "decided_seq": entry.seq,
        "document_seen": p.get("document_seen"),
    }


def clear_read_models() -> None:
    """Empty every visits table (before a replay)."""
    delete_rows(READ_MODELS)


def rebuild(*, durable: bool = True) -> int:
    """Drop the visits tables and project the ledger's visit entries again; returns entries applied.

    Visitors, most of the rows, are gathered in memory (a registration and then its decisions,
    as `project` writes them one by one) and inserted at the end; the other entries go through
    `project`. `durable=False` inside a caller's transaction (`adaldyq ledger audit-views` rolls
    it back).
    """
    applied = 0
    visitors: dict[tuple[str, str], dict[str, Any]] = {}
    with transaction.atomic(durable=durable):
        clear_read_models()
        with connection.cursor() as cursor:
            # a `visit` changes a booking only when it names one: the others are not read
            booked = (frozenset({VISIT}), b'"booking":')
            for entry in ledger_port.entries(cursor, types=ENTRY_TYPES, holding=booked):
                applied += 1
                if entry.draft.corrects is not None:
                    continue  # as `project`: the personal file shows corrections
                if entry.type == VISITOR_REGISTERED:
                    (person, visitor), fields = _registration(entry)
                    row = visitors.setdefault(
                        (person, visitor), {"person_id": person, "visitor": visitor}
                    )
                    row.update(fields)
                elif entry.type == VISITOR_APPROVED:
                    key, fields = _approval(entry)
                    if key in visitors:
                        visitors[key].update(fields)
                else:
                    project(entry)
        insert_rows(Visitor, list(visitors.values()))
    return applied
