"""Visits over HTTP (ADR 0041): an institution's bookings of a day, a person's visits, visitors
registered and decided, bookings made, checked in and out, cancelled. The board's and the person's
page's selectors, forms and services, under the same scope checks."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Router, Status
from ninja.errors import HttpError

from adaldyq.core.errors import InputError
from adaldyq.web.accounts.roles import INSTITUTION_ROLES
from adaldyq.web.accounts.scope import (
    can_read_institution,
    can_record_facts,
    is_staff,
)
from adaldyq.web.apikit import (
    OVERRIDABLE,
    REFUSALS,
    form_data,
    form_invalid,
    outcome,
    page,
    person_readable,
    refused,
)
from adaldyq.web.records.models import Person
from adaldyq.web.records.services import access_record
from adaldyq.web.visits import forms, selectors, services
from adaldyq.web.visits.models import Booking, Room, Visitor, Whereabouts
from adaldyq.web.visits.services import BookingRefusedError

router = Router(tags=["visits"])


def _booking_out(b: Booking) -> dict[str, Any]:
    rows = getattr(b, "rows", None)
    if rows is None:  # one booking, not the board's list
        names = dict(Visitor.objects.filter(person_id=b.person_id).values_list("visitor", "name"))
        arrived = {a.visitor: a for a in b.attendance.all()}
        rows = [(v, names.get(v, v), arrived.get(v)) for v in b.visitors]
    return {
        "id": b.pk, "person": b.person_id, "institution": b.institution,
        "room": b.room.key if b.room_id else None, "kind": b.kind, "day": b.day.isoformat(),
        "start": b.start, "last_day": b.last_day.isoformat(), "seat": b.seat, "channel": b.channel,
        "status": b.status, "booked_by": b.booked_by,
        "visitors": [
            {"visitor": v, "name": name,
             "checked_in_at": a.checked_in_at.isoformat() if a else None,
             "checked_out_at": a.checked_out_at.isoformat() if a and a.checked_out_at else None}
            for v, name, a in rows
        ],
    }  # fmt: skip


def _visitor_out(v: Visitor) -> dict[str, Any]:
    return {
        "seq": v.seq, "visitor": v.visitor, "name": v.name, "document_type": v.document_type,
        "relationship": v.relationship, "evidence": v.evidence, "status": v.status,
        "registered_on": v.registered_on.isoformat(), "registered_by": v.registered_by,
        "decided_on": v.decided_on.isoformat() if v.decided_on else None,
        "decided_by": v.decided_by or None,
    }  # fmt: skip


def _institution(request: HttpRequest, code: str) -> str:
    """The board's institution: staff of an institution their own, other staff any they read."""
    user: Any = request.user
    if getattr(user, "role", "") in INSTITUTION_ROLES:
        code = user.institution.code if user.institution_id else ""
    if not is_staff(user) or not code or not can_read_institution(user, code):
        raise HttpError(403, _("This institution is outside your scope."))
    return code


@router.get("/visits/bookings", response={200: dict[str, Any], **REFUSALS})
def visit_bookings(
    request: HttpRequest,
    institution: str = "",
    day: date | None = None,
    limit: int = 100,
    offset: int = 0,
) -> dict[str, Any]:
    """The bookings running on `day` (today when left out) in an institution, as on its visits
    board: who comes, to which room and session, checked in and out. Staff of an institution read
    their own (`institution` is then ignored)."""
    code = _institution(request, institution[:40])
    on = day or timezone.localdate()
    shown, count = page(selectors.bookings_on(code, on), limit, offset)
    access_record(user=request.user, page="api:visit_bookings", people=(b.person_id for b in shown))
    return {
        "institution": code,
        "day": on.isoformat(),
        "count": count,
        "items": [_booking_out(b) for b in shown],
    }


def _writable(request: HttpRequest, person_id: str) -> Person:
    person = person_readable(request, person_id)
    if not can_record_facts(request.user, person):
        raise HttpError(403, _("You may not record facts in this file."))
    return person


@router.get("/visits/people/{person_id}", response={200: dict[str, Any], **REFUSALS})
def person_visits(request: HttpRequest, person_id: str) -> dict[str, Any]:
    """A person's visits as their visits page shows them: this year's entitlements and what is used
    (unknown figures stay null), the visitors and the decisions on them, every booking, the days
    held where no visit is possible."""
    person = person_readable(request, person_id)
    today = timezone.localdate()
    balances = selectors.balances(person, today=today)
    out = {
        "person": person.pk,
        "balances": [
            {"kind": b.kind, "year": b.year, "remaining": b.remaining, **b.as_payload()}
            for b in balances
        ],
        "visitors": [_visitor_out(v) for v in Visitor.objects.filter(person_id=person.pk)],
        "bookings": [
            _booking_out(b) for b in selectors.history(person).prefetch_related("attendance")
        ],
        "whereabouts": [
            {
                "where": w.where,
                "first_day": w.first_day.isoformat(),
                "last_day": w.last_day.isoformat() if w.last_day else None,
            }
            for w in Whereabouts.objects.filter(person_id=person.pk, void=False)
        ],
    }
    access_record(user=request.user, page="api:person_visits", people=[person.pk])
    return out


@router.post("/visits/people/{person_id}/visitors", response={201: dict[str, Any], **REFUSALS})
def visitor_register(
    request: HttpRequest, person_id: str, payload: Body[dict[str, Any]]
) -> Status[dict[str, Any]]:
    """Register a visitor (`name`, `document`, `document_type`, `relationship`, `evidence`); another
    officer decides on the application."""
    person = _writable(request, person_id)
    form = forms.VisitorForm(form_data(payload))
    if not form.is_valid():
        raise form_invalid(form)
    try:
        visitor = services.visitor_register(
            officer=request.user, person=person, **form.cleaned_data
        )
    except InputError as exc:
        raise refused(exc) from None
    return Status(201, _visitor_out(visitor))


@router.post(
    "/visits/people/{person_id}/visitors/{seq}/decide", response={200: dict[str, Any], **REFUSALS}
)
def visitor_decide(
    request: HttpRequest, person_id: str, seq: int, payload: Body[dict[str, Any]]
) -> dict[str, Any]:
    """Approve (`"approved": true`, with `document_seen`, `document_type`, `document` as read from
    it) or refuse a visitor; never by the officer who registered them (four-eyes rule)."""
    person = _writable(request, person_id)
    visitor = get_object_or_404(Visitor, pk=seq, person_id=person.pk)
    data = form_data(payload)
    data["approved"] = {"true": "1", "false": "0"}.get(
        data.get("approved", ""), data.get("approved")
    )
    form = forms.DecisionForm(data)
    if not form.is_valid():
        raise form_invalid(form)
    try:
        decided = services.visitor_decide(
            officer=request.user, person=person, visitor=visitor, **form.cleaned_data
        )
    except InputError as exc:
        raise refused(exc) from None
    return _visitor_out(decided)


@router.post(
    "/visits/people/{person_id}/bookings",
    response=OVERRIDABLE,
)
def visit_book(
    request: HttpRequest, person_id: str, payload: Body[dict[str, Any]]
) -> Status[dict[str, Any]]:
    """Book a session: `room` (its code), `day`, `start` ("09:00"; empty for a long visit),
    `visitors` (the visitors' ids, "doc:..."), and `override_reason` to ask for a booking beyond the
    rules. 201 with the booking; 409 with the rules that refuse it; 202 when it is an override that
    waits for a second person's confirmation (ADR 0037)."""
    person = _writable(request, person_id)
    data = form_data(payload, lists=("visitors",))
    try:
        when = date.fromisoformat(str(data.get("day", "")))
    except ValueError:
        raise refused(InputError(_("Choose a session."))) from None
    if person.institution is None:
        raise refused(InputError(_("Choose a session.")))
    room = Room.objects.filter(
        institution=person.institution.code, key=data.get("room", "")
    ).first()
    if room is None:
        raise refused(InputError(_("Choose a session.")))
    return outcome(
        lambda: services.visit_book(
            actor=request.user, person=person, room=room, day=when, start=data.get("start", ""),
            visitors=list(data.get("visitors") or []), channel="staff",
            override_reason=data.get("override_reason", ""),
        )[0],
        _booking_out,
        rules=(BookingRefusedError,),
    )  # fmt: skip


@router.post("/visits/bookings/{booking_id}/{action}", response={200: dict[str, Any], **REFUSALS})
def booking_action(
    request: HttpRequest,
    booking_id: str,
    action: Literal["checkin", "checkout", "cancel", "not-happened"],
    payload: Body[dict[str, Any]],
) -> dict[str, Any]:
    """Check a visitor in or out (`visitor`), cancel the booking or record that the visit did not
    happen (`reason`)."""
    b = get_object_or_404(Booking.objects.select_related("person__institution"), pk=booking_id)
    if not can_record_facts(request.user, b.person):
        raise HttpError(403, _("You may not record facts in this file."))
    data = form_data(payload)
    try:
        services.booking_act(
            officer=request.user, booking=b, action=action,
            visitor=data.get("visitor", ""), reason=data.get("reason", ""),
        )  # fmt: skip
    except InputError as exc:
        raise refused(exc) from None
    b.refresh_from_db()
    return _booking_out(b)
