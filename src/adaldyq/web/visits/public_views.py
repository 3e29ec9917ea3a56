"""Public booking pages: a relative identifies with their document number and the person's file
number, books a session, gets a one-time code, and later manages the booking with document + code.

No account is needed; the booking is made in the visitor's name (actor `visitor:doc:<number>`),
and every answer is in the language chosen in the page header.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from adaldyq.core.errors import InputError
from adaldyq.web.idempotency.keys import idempotent
from adaldyq.web.records.models import Person
from adaldyq.web.throttle.limits import posted, throttled
from adaldyq.web.visits import forms, selectors, services
from adaldyq.web.visits.models import Booking, Room, Visitor
from adaldyq.web.visits.services import BookingRefusedError

SESSION_KEY = "visits.visitor"


def _visitor(request: HttpRequest) -> Visitor | None:
    seq: int | None = request.session.get(SESSION_KEY)
    if seq is None:
        return None
    v = (
        Visitor.objects.filter(pk=seq, status="approved")
        .select_related("person__institution__region")
        .first()
    )
    return v


@require_http_methods(["GET", "POST"])
@throttled(posted(document="document", number="file"))
@idempotent
def start(request: HttpRequest) -> HttpResponse:
    form = forms.IdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = Person.objects.filter(number=form.cleaned_data["number"].strip()).first()
        v = (
            selectors.visitor_by_document(person=person, document=form.cleaned_data["document"])
            if person
            else None
        )
        if v is not None and v.status == "approved":
            request.session.cycle_key()
            request.session[SESSION_KEY] = v.pk
            return redirect("visit:book")
        # one answer for every case: a stranger learns nothing about who is registered where
        form.add_error(None, _("No approved visitor with this document for this personal file."))
    status = 400 if request.method == "POST" else 200
    return render(request, "visits/public_start.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@idempotent
def book(request: HttpRequest) -> HttpResponse:
    v = _visitor(request)
    if v is None:
        return redirect("visit:start")
    person = v.person
    today = timezone.localdate()
    refusals: list[selectors.Refusal] = []
    confirmed: tuple[Booking, str] | None = None
    status = 200
    if request.method == "POST":
        try:
            room_id, day, start_at = request.POST.get("session", "").split("|")
            room = Room.objects.get(
                pk=room_id, institution=person.institution.code if person.institution else ""
            )
            confirmed = services.visit_book(
                actor=services.visitor_actor(v),
                person=person,
                room=room,
                day=date.fromisoformat(day),
                start=start_at,
                visitors=[v.visitor],
                channel="online",
            )
        except BookingRefusedError as exc:
            refusals, status = exc.refusals, 409
        except (ValueError, Room.DoesNotExist, InputError):
            refusals, status = [], 400
    sessions: list[dict[str, Any]] = []
    if person.institution is not None:
        for r in selectors.rooms_of(person.institution.code):
            sessions += selectors.sessions(
                r,
                first=today + timedelta(days=r.book_min_days),
                last=today + timedelta(days=r.book_max_days),
            )
    sessions.sort(key=lambda s: (s["day"], s["start"], s["room"].key))
    sessions = sessions[:60]  # the page offers the first 60; the balances are of their years
    context = {
        "visitor": v,
        "person": person,
        "balances": selectors.balances(person, today=today, days=[s["day"] for s in sessions]),
        "sessions": sessions,
        "refusals": refusals,
        "confirmed": confirmed,
        "history": _own_history(v),
    }
    return render(request, "visits/public_book.html", context, status=status)


def _own_history(v: Visitor) -> list[Booking]:
    return [b for b in selectors.history(v.person) if v.visitor in b.visitors]


@require_http_methods(["GET", "POST"])
@throttled(posted(document="document"))
@idempotent
def manage(request: HttpRequest) -> HttpResponse:
    form = forms.ManageForm(request.POST or None)
    booking = None
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    if request.method == "POST" and form.is_valid():
        found = services.booking_by_code(**form.cleaned_data)
        if found is None:
            form.add_error(None, _("No booking with this code for this document."))
            status = 404
        else:
            booking, v = found
            if request.POST.get("cancel") == "1":
                try:
                    booking = services.booking_cancel(
                        actor=services.visitor_actor(v),
                        booking=booking,
                        reason=_("cancelled online by the visitor"),
                    )
                except InputError as exc:
                    form.add_error(None, exc.diagnostics())
                    status = 409
    context: dict[str, Any] = {"form": form, "booking": booking}
    if booking is not None:
        context["balances"] = selectors.balances(
            booking.person, today=timezone.localdate(), days=[booking.day]
        )
        context["person"] = booking.person
    return render(request, "visits/public_manage.html", context, status=status)
