"""Staff pages of visits: the institution's board (rooms, the day's bookings) and a person's visits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from adaldyq.core.errors import InputError
from adaldyq.web.accounts.roles import INSTITUTION_ROLES, Role
from adaldyq.web.accounts.scope import (
    can_read_institution,
    can_read_person,
    can_record_facts,
    is_staff,
    person_in_scope,
    require,
)
from adaldyq.web.institutions.models import Institution
from adaldyq.web.overrides.services import OverridePendingError
from adaldyq.web.records.models import Person
from adaldyq.web.records.services import access_record, actor_of
from adaldyq.web.submit import record_form, recorded_post, to_confirmation
from adaldyq.web.visits import forms, selectors, services
from adaldyq.web.visits.models import Booking, Closure, Room, Visitor, Whereabouts
from adaldyq.web.visits.services import BookingRefusedError


def _day(text: str | None, default: date) -> date:
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        return default


def _institution(request: HttpRequest) -> str:
    user: Any = request.user
    require(is_staff(user))  # the board is staff's (as the menu's link, accounts.menu)
    if getattr(user, "role", "") in INSTITUTION_ROLES:
        require(bool(user.institution_id))
        return str(user.institution.code)
    code = request.GET.get("institution") or request.POST.get("institution") or ""
    require(not code or can_read_institution(user, code))  # another region's board: 403
    return code


def _writer(request: HttpRequest) -> bool:
    return getattr(request.user, "role", "") in INSTITUTION_ROLES


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """Rooms and sessions of the institution, and the bookings of one day with check-in and out."""
    code = _institution(request)
    number = request.GET.get("person", "").strip()
    if number:  # a person's visits page by file number, when the user may read that file
        found = Person.objects.filter(number=number).select_related("institution").first()
        if found is not None and can_read_person(request.user, found):
            return redirect("visits:person", person_id=found.pk)
        messages.error(request, _("No personal file with this number that you may read."))
    day = _day(request.GET.get("day"), timezone.localdate())
    bookings = selectors.bookings_on(code, day)
    context = {
        "institution": code,
        "place": Institution.objects.filter(code=code).select_related("region").first(),
        "day": day,
        "rooms": list(Room.objects.filter(institution=code)),
        "closures": list(Closure.objects.filter(institution=code, last_day__gte=day)),
        "bookings": bookings,
        "writable": _writer(request),
        "room_form": forms.RoomForm(),
        "closure_form": forms.ClosureForm(),
    }
    access_record(user=request.user, page="visits:board", people=(b.person_id for b in bookings))
    return render(request, "visits/board.html", context)


def _board_form(
    request: HttpRequest,
    form: Any,
    record: Callable[[str, dict[str, Any]], Any],
    done: str,
    not_done: str,
) -> HttpResponse:
    """A form of the institution's board (a room, a closure) sent by one who writes there: recorded
    through `record` (the institution's code, the form's data), then back to the board."""
    code = _institution(request)
    require(_writer(request))
    record_form(request, form, lambda d: record(code, d), done, not_done)
    return redirect("visits:board")


@recorded_post
def room(request: HttpRequest) -> HttpResponse:
    return _board_form(
        request,
        forms.RoomForm(request.POST),
        lambda code, d: services.room_define(
            officer=request.user,
            institution=code,
            room=d["room"],
            names={lang: d[f"name_{lang}"] for lang in selectors.LANGUAGES},
            kind=d["kind"],
            capacity=d["capacity"],
            starts=d["starts"].split(),
            weekdays=[int(x) for x in d["weekdays"].split() if x.isdigit()],
            visitors_max=d["visitors_max"],
            book_min_days=d["book_min_days"],
            book_max_days=d["book_max_days"],
            active=d["active"],
        ),
        _("The room was recorded."),
        _("The room was not recorded: check the fields."),
    )


@recorded_post
def closure(request: HttpRequest) -> HttpResponse:
    return _board_form(
        request,
        forms.ClosureForm(request.POST),
        lambda code, d: services.closure_record(officer=request.user, institution=code, **d),
        _("The closure was recorded."),
        _("The closure was not recorded: check the fields."),
    )


def _readable(request: HttpRequest, person_id: str) -> Person:
    return person_in_scope(request.user, person_id)


def person_context(person: Person, *, on: date, days: list[date] | None = None) -> dict[str, Any]:
    """What a person's visits page shows: the balances of the year (and of the next, when the
    offered `days` reach it), visitors, bookings, log."""
    balances = selectors.balances(person, today=on, days=days or [])
    visitors = list(Visitor.objects.filter(person_id=person.pk))
    for v in visitors:
        v.relationship_label = selectors.relationship_name(v.relationship)  # type: ignore[attr-defined]
        v.document_type_label = selectors.DOCUMENT_TYPES.get(v.document_type, "")  # type: ignore[attr-defined]
        seen = v.document_seen or {}
        v.seen_label = (  # type: ignore[attr-defined]
            f"{selectors.DOCUMENT_TYPES.get(seen.get('type', ''), '')} {seen.get('number', '')}".strip()
        )
    return {
        "person": person,
        "balances": balances,
        "visitors": visitors,
        "history": list(selectors.history(person)),
        "logged": selectors.logged_visits(person),
        "whereabouts": list(Whereabouts.objects.filter(person_id=person.pk)),
        "condition": selectors.condition_name(balances[0].placement.condition),
    }


@login_required
def person(request: HttpRequest, person_id: str, **extra: Any) -> HttpResponse:
    p = _readable(request, person_id)
    today = timezone.localdate()
    writable = can_record_facts(request.user, p)
    upcoming = _upcoming(p, today, staff=True) if writable else []
    context = person_context(p, on=today, days=[s["day"] for s in upcoming])
    context.update(
        writable=writable,
        visitor_form=extra.pop("visitor_form", forms.VisitorForm()),
        whereabouts_form=forms.WhereaboutsForm(),
        sessions=upcoming,
        document_types=selectors.DOCUMENT_TYPES,
        user_id=actor_of(request.user).id if writable else "",
        refusals=extra.pop("refusals", []),
        is_self=getattr(request.user, "role", "") == Role.prisoner,
    )
    if request.method == "GET":  # a refused write re-shown is the writer's own entry's page
        access_record(user=request.user, page="visits:person", people=[p.pk])
    return render(request, "visits/person.html", context, status=extra.pop("status", 200))


def _upcoming(p: Person, today: date, *, staff: bool) -> list[dict[str, Any]]:
    from datetime import timedelta

    out: list[dict[str, Any]] = []
    if p.institution is None:
        return out
    for r in selectors.rooms_of(p.institution.code):
        first = today + timedelta(days=0 if staff else r.book_min_days)
        out += selectors.sessions(
            r, first=first, last=today + timedelta(days=min(r.book_max_days, 28))
        )
    return sorted(out, key=lambda s: (s["day"], s["start"], s["room"].key))


@recorded_post
def visitor_register(request: HttpRequest, person_id: str) -> HttpResponse:
    p = _readable(request, person_id)
    require(can_record_facts(request.user, p))
    form = forms.VisitorForm(request.POST)
    if form.is_valid():
        try:
            services.visitor_register(officer=request.user, person=p, **form.cleaned_data)
        except InputError as exc:
            form.add_error(None, exc.diagnostics())
        else:
            messages.success(
                request, _("The visitor was registered; an officer's decision follows.")
            )
            return redirect("visits:person", person_id=p.pk)
    return person(request, person_id, visitor_form=form, status=400)


@recorded_post
def visitor_decide(request: HttpRequest, person_id: str, seq: int) -> HttpResponse:
    p = _readable(request, person_id)
    require(can_record_facts(request.user, p))
    v = get_object_or_404(Visitor, pk=seq, person_id=p.pk)
    record_form(
        request,
        forms.DecisionForm(request.POST),
        lambda d: services.visitor_decide(officer=request.user, person=p, visitor=v, **d),
        _("The decision was recorded."),
        _("The decision was not recorded: check the fields."),
    )
    return redirect(f"{reverse('visits:person', args=[p.pk])}#visitor-{v.pk}")


@recorded_post
def book(request: HttpRequest, person_id: str) -> HttpResponse:
    p = _readable(request, person_id)
    require(can_record_facts(request.user, p))
    try:
        room_id, day, start = request.POST.get("session", "").split("|")
        r = get_object_or_404(Room, pk=room_id)
        when = date.fromisoformat(day)
    except ValueError:
        messages.error(request, _("Choose a session."))
        return redirect("visits:person", person_id=p.pk)
    try:
        booking, _code = services.visit_book(
            actor=request.user,
            person=p,
            room=r,
            day=when,
            start=start,
            visitors=request.POST.getlist("visitors"),
            channel="staff",
            override_reason=request.POST.get("override_reason", ""),
        )
    except OverridePendingError as exc:
        return to_confirmation(request, exc)
    except BookingRefusedError as exc:
        return person(request, person_id, refusals=exc.refusals, status=409)
    except InputError as exc:
        messages.error(request, exc.diagnostics())
    else:
        messages.success(request, _("Booked: %(id)s.") % {"id": booking.pk})
    return redirect("visits:person", person_id=p.pk)


@recorded_post
def whereabouts(request: HttpRequest, person_id: str) -> HttpResponse:
    p = _readable(request, person_id)
    require(can_record_facts(request.user, p))
    record_form(
        request,
        forms.WhereaboutsForm(request.POST),
        lambda d: services.whereabouts_record(officer=request.user, person=p, **d),
        _("Recorded."),
        _("Not recorded: check the fields."),
    )
    return redirect("visits:person", person_id=p.pk)


@recorded_post
def booking_action(request: HttpRequest, booking_id: str, action: str) -> HttpResponse:
    """Check in, check out, cancel, or record that the visit did not happen."""
    b = get_object_or_404(Booking.objects.select_related("person__institution"), pk=booking_id)
    require(can_record_facts(request.user, b.person))
    if action not in services.BOOKING_ACTIONS:
        raise Http404
    try:
        services.booking_act(
            officer=request.user, booking=b, action=action,
            visitor=request.POST.get("visitor", ""), reason=request.POST.get("reason", ""),
        )  # fmt: skip
    except InputError as exc:
        messages.error(request, exc.diagnostics())
    else:
        messages.success(request, _("Recorded."))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect(f"{reverse('visits:board')}?day={b.day.isoformat()}")
