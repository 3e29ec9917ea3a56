"""Pages of work and study (issue 19, ADR 0040): a whole workshop's or class's hours entered at once,
the places of an institution, and the month's figures in full-time equivalents.

Who may do what is decided in `accounts.scope` (ADR 0005): the records officers and the head of an
institution register its places and enter its lists; staff read the report of the institutions they
see. The list names people, so every showing is recorded (`files_listed`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from adaldyq.core.errors import InputError
from adaldyq.web.accounts.scope import (
    can_enter_work_lists,
    can_record_work,
    institutions_visible_to,
    is_staff,
    require,
)
from adaldyq.web.idempotency.keys import idempotent
from adaldyq.web.institutions.models import Institution
from adaldyq.web.records.services import access_record, actor_of
from adaldyq.web.submit import recorded_post
from adaldyq.web.work import selectors, services
from adaldyq.web.work.models import PLACE_KINDS, PRODUCTS, UNITS, WORK_PLACES, Place


def _institutions(request: HttpRequest) -> list[Institution]:
    """The institutions whose lists the user enters."""
    visible = institutions_visible_to(request.user)
    found = Institution.objects.order_by("code")
    if visible is not None:
        found = found.filter(code__in=visible)
    return [i for i in found if can_record_work(request.user, i.code)]


def _day(text: str | None) -> date:
    if not text:
        return timezone.localdate()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Http404 from None


def _number(text: str) -> float | None:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return value


@login_required
@idempotent
def list_entry(request: HttpRequest) -> HttpResponse:
    """One place, one day: the hours of everyone on its list, recorded together or not at all."""
    require(can_enter_work_lists(request.user))
    institutions = _institutions(request)
    require(bool(institutions))
    source = request.POST if request.method == "POST" else request.GET
    code = source.get("institution") or (institutions[0].code if len(institutions) == 1 else "")
    if code:
        require(can_record_work(request.user, code))
    places = list(selectors.places_of(code)) if code else []
    place = next((p for p in places if p.id == source.get("place")), None)
    on = _day(source.get("on"))
    refused: dict[int, str] = {}
    if request.method == "POST" and place is not None:
        response = _record(request, place, on, refused)
        if response is not None:
            return response
    people = selectors.people_for_list(place, on) if place is not None else []
    done = selectors.recorded_at(place, on) if place is not None else {}
    access_record(user=request.user, page="work:list", people=(p.pk for p in people))
    context: dict[str, Any] = {
        "institutions": institutions,
        "code": code,
        "places": places,
        "place": place,
        "on": on,
        "rows": [(i, p, refused.get(i), request.POST.get(f"hours-{p.pk}", ""), done.get(p.pk))
                 for i, p in enumerate(people, start=1)],
        "kinds": PLACE_KINDS,
        "products": PRODUCTS,
        "units": UNITS,
        "work_place": place is not None and place.kind in WORK_PLACES,
        "status_refused": bool(refused),
    }  # fmt: skip
    return render(request, "work/list.html", context, status=400 if refused else 200)


def _record(
    request: HttpRequest, place: Place, on: date, refused: dict[int, str]
) -> HttpResponse | None:
    """Record the posted list; None (with `refused` filled, or a message) to show the page again."""
    people = selectors.people_for_list(place, on)
    rows = []
    for i, p in enumerate(people, start=1):
        text = request.POST.get(f"hours-{p.pk}", "").strip()
        if text:
            rows.append(services.HoursRow(i, p.pk, on, place.id, _number(text), by_id=True))
    output = None
    quantity = request.POST.get("quantity", "").strip()
    if quantity and place.kind in WORK_PLACES:
        amount = _number(quantity)
        output = (
            place.id,
            on,
            amount if amount is not None else -1.0,
            request.POST.get("unit", ""),
        )
    try:
        checked = services.hours_record(actor=actor_of(request.user), rows=rows, output=output)
    except services.HoursRefusedError as exc:
        refused.update({r.line: r.text for r in exc.refused})
        messages.error(request, _("Nothing was recorded: correct the rows marked and send again."))
        return None
    except InputError as exc:
        messages.error(request, exc.diagnostics())
        return None
    messages.success(
        request,
        _("Recorded: %(hours)s hours of %(people)s people at %(place)s on %(day)s.")
        % {"hours": f"{checked.hours:g}", "people": checked.people, "place": place.name,
           "day": on.isoformat()},
    )  # fmt: skip
    query = f"?institution={place.institution}&place={place.id}&on={on.isoformat()}"
    return redirect(reverse("work:list") + query)


@recorded_post
def place_add(request: HttpRequest) -> HttpResponse:
    """Register a place of work or study of an institution."""
    code = request.POST.get("institution", "")
    require(can_record_work(request.user, code))
    try:
        place = services.place_register(
            actor=actor_of(request.user),
            institution=code,
            code=request.POST.get("code", ""),
            kind=request.POST.get("kind", ""),
            name=request.POST.get("name", ""),
            lead=request.POST.get("lead", ""),
            product=request.POST.get("product", ""),
        )
    except InputError as exc:
        messages.error(request, exc.diagnostics())
        return redirect(reverse("work:list") + f"?institution={code}")
    messages.success(request, _("The place is registered."))
    return redirect(reverse("work:list") + f"?institution={code}&place={place.id}")


@recorded_post
def timesheet_import(request: HttpRequest) -> HttpResponse:
    """A timesheet uploaded (CSV or XLSX): checked only, or recorded whole; every refused row is
    shown with its line and reason, and then nothing is recorded."""
    from adaldyq.web.work.timesheet import parse

    institutions = _institutions(request)
    require(bool(institutions))
    mine = frozenset(i.code for i in institutions)
    upload = request.FILES.get("timesheet")
    dry_run = bool(request.POST.get("dry_run"))
    context: dict[str, Any] = {"dry_run": dry_run, "refused": [], "checked": None}
    status = 200
    try:
        if upload is None:
            raise InputError(_("Choose a timesheet file."))
        rows = parse(upload.read())
        actor = actor_of(request.user)
        if dry_run:
            checked = services.hours_check(actor=actor, rows=rows, institutions=mine)
        else:
            checked = services.hours_record(actor=actor, rows=rows, institutions=mine)
        context["refused"] = checked.refused
        context["checked"] = checked
        context["rows"] = len(rows)
    except services.HoursRefusedError as exc:
        context["refused"] = exc.refused
    except InputError as exc:
        context["error"] = exc.diagnostics()
    if context["refused"] or "error" in context:
        status = 400
    return render(request, "work/import.html", context, status=status)


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """The month's work and study per institution: full-time equivalents next to the headcount."""
    require(is_staff(request.user))
    month = request.GET.get("month") or timezone.localdate().strftime("%Y-%m")
    try:
        selectors.month_bounds(month)
    except ValueError:
        raise Http404 from None
    found = selectors.report_dict(month=month, institutions=institutions_visible_to(request.user))
    names = {i.code: i for i in Institution.objects.all()}
    context = {
        "month": month,
        "report": found,
        "rows": [(names.get(r["institution"]), r) for r in found["institutions"]],
        "products": PRODUCTS,
        "units": UNITS,
        "writer": bool(_institutions(request)),
    }
    return render(request, "work/report.html", context)
