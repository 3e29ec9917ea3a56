"""Writes of visits. Each appends ledger entries and projects them in one durable transaction.

visitor_register(...)     a visitor applies to visit a person (entry `visitor_registered`)
visitor_decide(...)       an officer approves or refuses (entry `visitor_approved`)
room_define(...)          a room and its sessions, as data (entry `visit_room_defined`)
closure_record(...)       days a room or an institution takes no visits
whereabouts_record(...)   the person is in the isolator, a solitary cell, hospital, elsewhere
visit_book(...)           a booking checked against every rule (entry `visit_booked`)
booking_cancel(...)       the booking is cancelled; the entitlement comes back
visitor_check_in/out(...) on the day; the first check-in writes the `visit` fact
visit_not_happened_record(...)  a booked visit that did not take place
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from adaldyq.core.errors import InputError
from adaldyq.core.text import normalise_document
from adaldyq.web import datebounds
from adaldyq.web.onetime import code_hash, one_time_code
from adaldyq.web.overrides.models import VISIT_BOOKING, Override
from adaldyq.web.overrides.services import (
    Effect,
    OverridePendingError,
    append_request,
    maker_of,
    override_request_draft,
    stamp,
)
from adaldyq.web.records.ledger_port import Actor, Draft
from adaldyq.web.records.models import Person
from adaldyq.web.records.services import (
    actor_of,
    file_append,
    file_commit,
    file_commit_locked,
)
from adaldyq.web.text import checked_document, checked_name
from adaldyq.web.visits import projection
from adaldyq.web.visits.models import BOOKED, Booking, Room, Visitor
from adaldyq.web.visits.projection import (
    BOOKING_CANCELLED,
    CHECKED_IN,
    CHECKED_OUT,
    CLOSURE_RECORDED,
    NOT_HAPPENED_TYPE,
    ROOM_DEFINED,
    VISIT,
    VISIT_BOOKED,
    VISITOR_APPROVED,
    VISITOR_REGISTERED,
    WHEREABOUTS_RECORDED,
)
from adaldyq.web.visits.selectors import (
    DOCUMENT_TYPES,
    KINDS,
    LANGUAGES,
    WHERE_NAMES,
    Refusal,
    booking_refusals,
    duration,
    known_relationship,
    last_day,
)

log = logging.getLogger(__name__)


class BookingRefusedError(InputError):
    """A booking that one or more rules refuse; `.refusals` says which, in the user's language."""

    def __init__(self, refusals: list[Refusal]) -> None:
        self.refusals = refusals
        super().__init__("; ".join(r.rule for r in refusals))

    def diagnostics(self) -> str:
        return " ".join(r.message() for r in self.refusals)


def _today() -> date:
    return timezone.localdate()


def visitor_actor(visitor: Visitor) -> Actor:
    """The ledger actor of a relative booking online: the visitor, identified by their document."""
    return Actor(f"visitor:{visitor.visitor}", "online booking (document and code)")


def _record(who: Any, subject: str, kind: str, payload: dict[str, Any]) -> None:
    """One entry of `kind` about `subject`, written by `who`, projected into the file and the visits'
    rows in its own transaction."""
    file_commit(
        [Draft(actor=actor_of(who), subject=subject, type=kind, payload=payload)],
        projection.project,
    )


def visitor_register(
    *,
    officer: Any,
    person: Person,
    name: str,
    document: str,
    relationship: str,
    evidence: str,
    document_type: str = "",
    on: date | None = None,
) -> Visitor:
    """Register an application to visit `person`; it waits for another officer's decision."""
    document = checked_document(document)
    name = checked_name(name)
    if not known_relationship(relationship):
        raise InputError(f"unknown relationship {relationship!r}")
    if document_type and document_type not in DOCUMENT_TYPES:
        raise InputError(f"unknown document type {document_type!r}")
    visitor = f"doc:{document}"
    if Visitor.objects.filter(person_id=person.pk, visitor=visitor).exists():
        raise InputError(gettext("this visitor is already registered for this person"))
    payload = {
        "on": (on or _today()).isoformat(),
        "visitor": visitor,
        "name": name,
        "document": document,
        "relationship": relationship,
        "approved": False,  # the oversight register reads `approved`; the decision follows
        "evidence": evidence.strip(),
        "decision": "pending",
    }
    if document_type:
        payload["document_type"] = document_type
    _record(officer, person.pk, VISITOR_REGISTERED, payload)
    return Visitor.objects.get(person_id=person.pk, visitor=visitor)


class ApprovalRefusedError(InputError):
    """An approval the four-eyes rule or the document check refuses; the message is translated."""


def visitor_decide(
    *,
    officer: Any,
    person: Person,
    visitor: Visitor,
    approved: bool,
    document_seen: bool = False,
    document_type: str = "",
    document: str = "",
    on: date | None = None,
) -> Visitor:
    """Another officer than the one who registered approves (or refuses) a visitor.

    An approval states that the identity document was seen: its type and number as read from
    the document must match the registration. The entry names both people: its actor decides,
    `registered_by` registered. Approval counts from `on`.
    """
    if visitor.person_id != person.pk:
        raise InputError(gettext("the visitor is registered to another person"))
    actor = actor_of(officer)

    def decided(now: Visitor) -> list[Draft]:  # read again under the lock: one decision only
        if now.status != "pending":
            raise ApprovalRefusedError(gettext("A decision on this visitor is already recorded."))
        if actor.id == now.registered_by:
            raise ApprovalRefusedError(
                gettext(
                    "You registered this visitor: another officer decides on the application "
                    "(four-eyes rule)."
                )
            )
        payload: dict[str, Any] = {
            "on": (on or _today()).isoformat(),
            "visitor": now.visitor,
            "relationship": now.relationship,
            "approved": approved,
            "registered_by": now.registered_by,
            "registered_seq": now.seq,
        }
        if approved:
            payload["document_seen"] = _document_seen(
                now, seen=document_seen, document_type=document_type, document=document
            )
        return [Draft(actor=actor, subject=person.pk, type=VISITOR_APPROVED, payload=payload)]

    file_commit_locked(Visitor, visitor.pk, decided, projection.project)
    visitor.refresh_from_db()
    return visitor


def _document_seen(
    visitor: Visitor, *, seen: bool, document_type: str, document: str
) -> dict[str, str]:
    """What the approving officer read from the document, checked against the registration."""
    if not seen:
        raise ApprovalRefusedError(
            gettext("Approve only after seeing the identity document: tick that you saw it.")
        )
    if document_type not in DOCUMENT_TYPES:
        raise ApprovalRefusedError(gettext("Choose the type of the document you saw."))
    if visitor.document_type and document_type != visitor.document_type:
        raise ApprovalRefusedError(
            gettext("The document you saw (%(seen)s) is not the one registered (%(registered)s).")
            % {
                "seen": DOCUMENT_TYPES[document_type],
                "registered": DOCUMENT_TYPES[visitor.document_type],
            }
        )
    number = normalise_document(document)
    if not visitor.document or number != visitor.document:
        raise ApprovalRefusedError(
            gettext(
                "The number you read from the document (%(seen)s) does not match the registered "
                "number (%(registered)s)."
            )
            % {"seen": number or "—", "registered": visitor.document or "—"}
        )
    return {"number": number, "type": document_type}  # in the order a replay reads them


def room_define(
    *,
    officer: Any,
    institution: str,
    room: str,
    kind: str,
    capacity: int,
    name: str = "",
    names: dict[str, str] | None = None,
    starts: list[str] | None = None,
    weekdays: list[int] | None = None,
    visitors_max: int = 3,
    book_min_days: int = 1,
    book_max_days: int = 28,
    active: bool = True,
) -> Room:
    """Define (or redefine) a visit room and its sessions; the latest definition is in force.

    `names` gives the room's name per language (kk, ru, en); where a language has none, pages
    name the room by its kind and number in the reader's language. `name` is the older single
    name, in whatever language it was typed (kept for the board and for replays).
    """
    names = {k: v.strip() for k, v in (names or {}).items() if v and v.strip()}
    if set(names) - set(LANGUAGES):
        raise InputError(f"room names are in {', '.join(LANGUAGES)}, not {sorted(names)}")
    if kind not in KINDS:
        raise InputError(f"a room is for short or long visits, not {kind!r}")
    if capacity < 1 or visitors_max < 1 or book_min_days > book_max_days:
        raise InputError("capacity and visitors must be at least 1, and the window min <= max")
    starts = sorted(starts or [])
    for s in starts:
        try:
            datetime.strptime(s, "%H:%M")  # noqa: DTZ007 - a time of day, no zone
        except ValueError:
            raise InputError(f"a session starts at HH:MM, not {s!r}") from None
    if kind == "short" and not starts:
        raise InputError("a short-visit room needs session start times")
    days = sorted(set(weekdays or [1, 2, 3, 4, 5, 6, 7]))
    if any(d not in range(1, 8) for d in days):
        raise InputError("weekdays are 1 (Monday) to 7 (Sunday)")
    payload = {
        "on": _today().isoformat(),
        "room": room,
        "name": name.strip() or names.get("en") or room,
        "names": names,
        "kind": kind,
        "capacity": capacity,
        "starts": starts if kind == "short" else [],
        "weekdays": days,
        "visitors_max": visitors_max,
        "book_min_days": book_min_days,
        "book_max_days": book_max_days,
        "active": active,
    }
    _record(officer, institution, ROOM_DEFINED, payload)
    return Room.objects.get(institution=institution, key=room)


def closure_record(
    *, officer: Any, institution: str, room: str, first_day: date, last_day: date, reason: str
) -> None:
    """Close a room (or every room: `room` empty) from `first_day` to `last_day` inclusive."""
    if last_day < first_day or not reason.strip():
        raise InputError(gettext("a closure needs a reason and a last day on or after the first"))
    datebounds.check("closure", first_day, today=_today())
    datebounds.check("closure", last_day, today=_today())
    days = (last_day - first_day).days + 1
    payload: dict[str, Any] = {
        "on": _today().isoformat(),
        "room": room,
        "first_day": first_day.isoformat(),
        "last_day": last_day.isoformat(),
        "reason": reason.strip(),
        "days": days,
    }
    if (
        days > settings.CLOSURE_DAYS_FLAGGED
    ):  # a lead on the deviation register (oversight.closures)
        payload["long"] = True
    _record(officer, institution, CLOSURE_RECORDED, payload)


def whereabouts_record(
    *, officer: Any, person: Person, where: str, first_day: date, last_day: date | None
) -> None:
    """Record that the person is held where visitors cannot come, from `first_day` (to `last_day`)."""
    if where not in WHERE_NAMES:
        raise InputError(f"unknown place {where!r}")
    if last_day is not None and last_day < first_day:
        raise InputError(gettext("the last day comes before the first"))
    payload = {
        "on": first_day.isoformat(),
        "where": where,
        "first_day": first_day.isoformat(),
        "last_day": last_day.isoformat() if last_day else None,
    }
    _record(officer, person.pk, WHEREABOUTS_RECORDED, payload)


def visit_book(
    *,
    actor: Any,
    person: Person,
    room: Room,
    day: date,
    start: str,
    visitors: list[str],
    channel: str,
    override_reason: str = "",
    today: date | None = None,
) -> tuple[Booking, str]:
    """Book a seat in a session for the person's visitors; returns the booking and its one-time code.

    The room's and the person's rows are locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite runs
    the transaction under its write lock) before the seats and the year's visits are counted, so
    concurrent bookings of the last place take turns: one gets it, the rest are told it is full.

    A refused rule can be overridden only by staff, only if overridable, and only with a reason,
    and never by one person (ADR 0037): the override is recorded (`override_requested`), no seat
    is taken, and `OverridePendingError` says so. The booking is made when a second person with
    the authority confirms it (`booking_override_effect`).
    """
    staff = channel == "staff"
    if not visitors:
        raise InputError(gettext("a booking needs at least one visitor"))
    code = one_time_code()
    booking_id = f"B-{uuid.uuid4().hex[:10].upper()}"
    pending = None
    try:
        with transaction.atomic(durable=True):
            locked = Room.objects.select_for_update().get(pk=room.pk)
            person = Person.objects.select_for_update().get(pk=person.pk)
            start = start if locked.kind == "short" else ""
            refusals, balance, seat = booking_refusals(
                person=person, room=locked, day=day, start=start, visitors=visitors,
                today=today or _today(), staff=staff,
            )  # fmt: skip
            overridden = [
                r for r in refusals if staff and override_reason.strip() and r.overridable
            ]
            standing = [r for r in refusals if r not in overridden]
            if standing or seat is None:
                raise BookingRefusedError(standing or [Refusal("session_full")])
            if overridden:
                pending = _override_requested(
                    actor, person=person, room=locked, day=day, start=start, visitors=visitors,
                    refusals=overridden, balance=balance, reason=override_reason,
                )  # fmt: skip
            else:
                payload = _booking_payload(
                    booking_id, room=locked, day=day, start=start, seat=seat,
                    visitors=visitors, channel=channel, balance=balance, code=code,
                )  # fmt: skip
                booked = Draft(
                    actor=actor_of(actor), subject=person.pk, type=VISIT_BOOKED, payload=payload
                )
                file_append([booked], projection.project)
    except IntegrityError:  # the unique seat constraint: another booking took the place first
        raise BookingRefusedError([Refusal("session_full")]) from None
    if pending is not None:
        log.info(
            "visit override %s requested for %s by %s", pending.seq, person.pk, actor_of(actor).id
        )
        raise OverridePendingError(pending)
    log.info("visit booked %s for %s by %s", booking_id, person.pk, actor_of(actor).id)
    return Booking.objects.get(pk=booking_id), code


def _booking_payload(
    booking_id: str,
    *,
    room: Room,
    day: date,
    start: str,
    seat: int,
    visitors: list[str],
    channel: str,
    balance: Any,
    code: str,
) -> dict[str, Any]:
    return {
        "on": day.isoformat(),
        "booking": booking_id,
        "kind": room.kind,
        "institution": room.institution,
        "room": room.key,
        "start": start,
        "last_day": last_day(room, day).isoformat(),
        "seat": seat,
        "visitors": list(visitors),
        "channel": channel,
        "entitlement": balance.as_payload(),
        "code_hash": code_hash(code),
    }


def _override_requested(
    maker: Any,
    *,
    person: Person,
    room: Room,
    day: date,
    start: str,
    visitors: list[str],
    refusals: list[Refusal],
    balance: Any,
    reason: str,
) -> Override:
    """The maker's override of a booking, in the booking's transaction: what the rules refused
    (each refusal with its figures) and the entitlement as the law gives it, for the checker."""
    draft = override_request_draft(
        maker=actor_of(maker),
        kind=VISIT_BOOKING,
        person=person,
        institution=room.institution,
        rules=[r.rule for r in refusals],
        grounds={
            "refusals": [{"rule": r.rule, "params": _plain(r.params)} for r in refusals],
            "entitlement": balance.as_payload(),
        },
        action={
            "room": room.pk,
            "day": day.isoformat(),
            "start": start,
            "visitors": list(visitors),
        },
        reason=reason,
        on=_today(),
    )
    return append_request(draft)


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    """A refusal's figures as the ledger keeps them (words, lazily translated, as text)."""
    return {
        k: v if v is None or isinstance(v, (bool, int, float)) else str(v)
        for k, v in params.items()
    }


def booking_override_effect(override: Override, checker: Actor, on: date) -> Effect:
    """The booking a confirmed override makes (overrides.services.EFFECTS): the rules are checked
    again under the room's and the person's locks; only the rules the maker named are passed over,
    and a seat must still be free. The entry names both people (`override`)."""
    a = override.action
    room = Room.objects.select_for_update().get(pk=a["room"])
    person = Person.objects.select_for_update().get(pk=override.person_id)
    day = date.fromisoformat(a["day"])
    visitors = list(a["visitors"])
    refusals, balance, seat = booking_refusals(
        person=person, room=room, day=day, start=a["start"], visitors=visitors, today=on,
        staff=True,
    )  # fmt: skip
    standing = [r for r in refusals if r.rule not in override.rules]
    if standing or seat is None:
        raise BookingRefusedError(standing or [Refusal("session_full")])
    booking_id = f"B-{uuid.uuid4().hex[:10].upper()}"
    payload = _booking_payload(
        booking_id, room=room, day=day, start=a["start"], seat=seat, visitors=visitors,
        channel="staff", balance=balance, code=one_time_code(),
    )  # fmt: skip
    overridden = [r.rule for r in refusals]
    if overridden:
        payload["overrides"] = overridden
        payload["override_reason"] = override.reason
    payload["override"] = stamp(override, checker)
    return Effect(
        drafts=[
            Draft(actor=maker_of(override), subject=person.pk, type=VISIT_BOOKED, payload=payload)
        ],
        projectors=[projection.project],
        produced=booking_id,
    )


def booking_by_code(*, document: str, code: str) -> tuple[Booking, Visitor] | None:
    """The booking a relative can manage with their document number and the confirmation code,
    and the relative's registration (demo visitors have ids of their own, not `doc:<number>`)."""
    booking = Booking.objects.filter(code_hash=code_hash(code)).first()
    if booking is None:
        return None
    visitor = Visitor.objects.filter(
        person_id=booking.person_id,
        document=normalise_document(document),
        visitor__in=booking.visitors,
    ).first()
    return None if visitor is None else (booking, visitor)


def _booking_changed(booking: Booking, drafts: Callable[[Booking], list[Draft]]) -> Booking:
    """Write the entries `drafts` gives for the booking as it stands under its lock; the booking as
    they leave it."""
    file_commit_locked(Booking, booking.pk, drafts, projection.project)
    booking.refresh_from_db()
    return booking


def booking_cancel(*, actor: Any, booking: Booking, reason: str) -> Booking:
    """Cancel a booking that has not taken place; the seat and the entitlement come back."""

    def cancelled(now: Booking) -> list[Draft]:
        if now.status != BOOKED or now.attendance.exists():
            raise InputError(gettext("only a booking that has not started can be cancelled"))
        payload = {"on": _today().isoformat(), "booking": now.pk, "reason": reason.strip()}
        return [
            Draft(
                actor=actor_of(actor),
                subject=now.person_id,
                type=BOOKING_CANCELLED,
                payload=payload,
            )
        ]

    return _booking_changed(booking, cancelled)


def visitor_check_in(
    *, officer: Any, booking: Booking, visitor: str, at: datetime | None = None
) -> Booking:
    """A visitor arrives; the first arrival writes the `visit` fact (the generator's shape)."""
    at = at or timezone.now()
    if visitor not in booking.visitors:
        raise InputError(gettext("this visitor is not on the booking"))

    def arrived(now: Booking) -> list[Draft]:  # under the booking's lock: one arrival, one visit
        if now.status not in (BOOKED, "happened"):
            raise InputError(gettext("this booking was cancelled or closed"))
        if now.attendance.filter(visitor=visitor).exists():
            raise InputError(gettext("this visitor has already checked in"))
        drafts = [
            Draft(
                actor=actor_of(officer),
                subject=now.person_id,
                type=CHECKED_IN,
                payload={
                    "on": now.day.isoformat(),
                    "booking": now.pk,
                    "visitor": visitor,
                    "at": at.isoformat(),
                },
            )
        ]
        if now.visit_seq is None:
            visit: dict[str, Any] = {
                "on": now.day.isoformat(),
                "kind": now.kind,
                "visitor": visitor,
                "visitors": list(now.visitors),
                "booking": now.pk,
            }
            amount = duration(now.kind, now.day)
            visit["hours" if now.kind == "short" else "days"] = amount
            drafts.append(
                Draft(actor=actor_of(officer), subject=now.person_id, type=VISIT, payload=visit)
            )
        return drafts

    return _booking_changed(booking, arrived)


def visitor_check_out(
    *, officer: Any, booking: Booking, visitor: str, at: datetime | None = None
) -> Booking:
    """A visitor leaves."""
    at = at or timezone.now()

    def left(now: Booking) -> list[Draft]:
        row = now.attendance.filter(visitor=visitor).first()
        if row is None or row.checked_out_at is not None:
            raise InputError(gettext("this visitor is not checked in"))
        if at < row.checked_in_at:
            raise InputError(gettext("check-out before check-in"))
        payload = {
            "on": now.day.isoformat(),
            "booking": now.pk,
            "visitor": visitor,
            "at": at.isoformat(),
        }
        return [
            Draft(actor=actor_of(officer), subject=now.person_id, type=CHECKED_OUT, payload=payload)
        ]

    return _booking_changed(booking, left)


def visit_not_happened_record(*, officer: Any, booking: Booking, reason: str) -> Booking:
    """A booked visit that did not take place; the booking stays, the entitlement comes back."""
    if not reason.strip():
        raise InputError(gettext("say why the visit did not happen"))

    def not_happened(now: Booking) -> list[Draft]:
        if now.status != BOOKED or now.attendance.exists():
            raise InputError(
                gettext("only a booked visit nobody checked in to can be recorded as not happened")
            )
        payload = {"on": now.day.isoformat(), "booking": now.pk, "reason": reason.strip()}
        return [
            Draft(
                actor=actor_of(officer), subject=now.person_id, type=NOT_HAPPENED_TYPE,
                payload=payload,
            )
        ]  # fmt: skip

    return _booking_changed(booking, not_happened)


#: What staff do to a booking (the board's buttons, the API): `booking_act`.
BOOKING_ACTIONS = ("checkin", "checkout", "cancel", "not-happened")


def booking_act(
    *, officer: Any, booking: Booking, action: str, visitor: str = "", reason: str = ""
) -> None:
    """Check a visitor in or out, cancel the booking, or record that the visit did not happen."""
    if action == "checkin":
        visitor_check_in(officer=officer, booking=booking, visitor=visitor)
    elif action == "checkout":
        visitor_check_out(officer=officer, booking=booking, visitor=visitor)
    elif action == "cancel":
        booking_cancel(actor=officer, booking=booking, reason=reason)
    elif action == "not-happened":
        visit_not_happened_record(officer=officer, booking=booking, reason=reason)
    else:
        raise InputError(
            f"unknown action on a booking {action!r}: one of {', '.join(BOOKING_ACTIONS)}"
        )


def read_models_rebuild(*, durable: bool = True) -> int:
    """Drop the visits tables and project the whole ledger again; returns the entries applied.

    `adaldyq ledger replay` should call this after `records.services.read_models_rebuild()`.
    """
    return projection.rebuild(durable=durable)
