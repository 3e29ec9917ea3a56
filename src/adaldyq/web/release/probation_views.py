"""Pages of the probation service (issue 19): the register of its region, one person's probation file
with the forms of the officer's day, and the figures. Who may see what: `accounts.scope`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from adaldyq.core.errors import InputError
from adaldyq.web.accounts.scope import (
    can_read_probation,
    can_read_probation_register,
    can_record_probation,
    probation_regions,
    require,
)
from adaldyq.web.institutions.models import Region
from adaldyq.web.records import services as records
from adaldyq.web.records.models import Person
from adaldyq.web.records.services import access_record
from adaldyq.web.release import probation_selectors as selectors
from adaldyq.web.release.forms import ProbationForm
from adaldyq.web.submit import recorded_post


def _reader(request: HttpRequest) -> frozenset[str] | None:
    require(can_read_probation_register(request.user))
    return probation_regions(request.user)


#: Rows of the register on one page.
REGISTER_PAGE = 100


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """The people on probation in the reader's regions, the next report day first, a page at a
    time; a reader of several regions may narrow it to one."""
    regions = _reader(request)
    choices = list(
        Region.objects.filter(key__in=regions) if regions is not None else Region.objects.all()
    )
    region = request.GET.get("region", "")
    if region and (regions is None or region in regions):
        regions = frozenset({region})
    else:
        region = ""
    page = Paginator(selectors.open_files(regions), REGISTER_PAGE).get_page(request.GET.get("page"))
    people = Person.objects.in_bulk([pid for pid, _f in page.object_list])
    rows = [(people[pid], f) for pid, f in page.object_list if pid in people]
    access_record(user=request.user, page="probation:register", people=(p.pk for p, _ in rows))
    context = {
        "rows": rows,
        "page": page,
        "today": timezone.localdate(),
        "regions": choices if len(choices) > 1 else [],
        "region": region,
    }
    return render(request, "release/probation_register.html", context)


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """The seed's figures computed from the probation files in the reader's regions."""
    regions = _reader(request)
    found = selectors.report(regions, on=timezone.localdate())
    return render(request, "release/probation_report.html", {"f": found})


def _file(request: HttpRequest, person_id: str) -> tuple[Person, Any]:
    person = get_object_or_404(Person.objects.select_related("institution"), pk=person_id)
    require(can_read_probation(request.user, selectors.region_of(person)))
    found = selectors.probation_file(person)
    require(found is not None)
    return person, found


@login_required
def person(request: HttpRequest, person_id: str) -> HttpResponse:
    """One probation file: the court's duties, the schedule, every fact since the release, and the
    forms of the officer's day (a check-in, a violation, a programme, work, medical aid)."""
    p, f = _file(request, person_id)
    access_record(user=request.user, page="probation:person", people=[p.pk])
    facts = sorted(
        (*f.checkins, *f.violations, *f.programmes, *f.employed, *f.medical_aid,
         *((f.schedule,) if f.schedule else ()), *((f.closed,) if f.closed else ())),
        key=lambda x: (x.on, x.seq), reverse=True,
    )  # fmt: skip
    context = {
        "person": p,
        "file": f,
        "facts": facts,
        "today": timezone.localdate(),
        "writer": can_record_probation(request.user, selectors.region_of(p)),
        "form": ProbationForm(initial={"on": timezone.localdate()}),
    }
    return render(request, "release/probation_person.html", context)


@recorded_post
def record(request: HttpRequest, person_id: str) -> HttpResponse:
    """Record one fact of the probation file, through the personal file's one service."""
    p, _f = _file(request, person_id)
    require(can_record_probation(request.user, selectors.region_of(p)))
    form = ProbationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the fields of the form."))
        return redirect("probation:person", p.pk)
    try:
        records.fact_record(officer=request.user, person=p, fact=form.fact())
    except InputError as exc:
        messages.error(request, exc.diagnostics())
    else:
        messages.success(request, _("Recorded in the personal file."))
    return redirect("probation:person", p.pk)
