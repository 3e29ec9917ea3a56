"""Pages of the officials' visits programme (issue 20): the register, one visit, figures, officials.

Who may do what is decided in `accounts.scope` (ADR 0005): every staff role reads the register of
the institutions it sees; the Anti-Corruption Agency plans, records attendance and imports the list;
the head of the host institution answers. A public council records its monitoring visits and
assigns its observations; the head of the visited institution answers them. No page here shows a
personal file.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from adaldyq.web import charts
from adaldyq.web.accounts.scope import (
    can_answer_monitoring,
    can_answer_programme,
    can_plan_programme,
    can_read_institution,
    can_record_monitoring,
    institutions_visible_to,
    is_staff,
    require,
)
from adaldyq.web.downloads import download, kept_document
from adaldyq.web.idempotency.keys import idempotent
from adaldyq.web.institutions.models import Institution
from adaldyq.web.programme import forms, selectors, services
from adaldyq.web.programme.models import (
    TOPICS,
    MonitoringVisit,
    Observation,
    ProgrammeVisit,
    RouteStations,
)
from adaldyq.web.programme.services import ImportRefusedError
from adaldyq.web.spreadsheets import inert
from adaldyq.web.submit import record_form, recorded_post

V = TypeVar("V", ProgrammeVisit, MonitoringVisit)


def _visible(request: HttpRequest) -> frozenset[str] | None:
    require(is_staff(request.user))
    return institutions_visible_to(request.user)


def _in_scope(request: HttpRequest, model: type[V], visit_id: str, place: str) -> V:
    """The visit `visit_id` of `model`, when the user is staff and may read its institution (the
    visit's field `place`)."""
    require(is_staff(request.user))
    found = get_object_or_404(model, id=visit_id)
    require(can_read_institution(request.user, getattr(found, place)))
    return found


def _visit(request: HttpRequest, visit_id: str) -> ProgrammeVisit:
    return _in_scope(request, ProgrammeVisit, visit_id, "host")


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """The programme visits of the institutions the user sees, and the first step of planning."""
    visible = _visible(request)
    place = getattr(request.user, "institution", None)
    own = place.code if place is not None else ""
    context = {
        # each row's attendance counted in the same query (a count drops Meta.ordering: said again)
        "visits": selectors.visits_visible(visible)
        .annotate(attended=Count("attendance"))
        .order_by("-day", "id")[:500],
        "planner": can_plan_programme(request.user),
        "host_form": forms.HostForm() if can_plan_programme(request.user) else None,
        "own_stations": own if can_answer_programme(request.user, own) else "",
    }
    return render(request, "programme/register.html", context)


def _stations_of(host: str) -> list[str]:
    listed = RouteStations.objects.filter(institution=host).first()
    return list(listed.stations) if listed is not None else []


@login_required
@idempotent
def plan(request: HttpRequest) -> HttpResponse:
    """Plan a visit to the host chosen on the register page, its route from the host's own list."""
    require(can_plan_programme(request.user))
    host = str(request.POST.get("host") or request.GET.get("host") or "").strip()
    place = get_object_or_404(Institution, code=host)
    stations = _stations_of(host)
    if request.method == "POST":
        form = forms.PlanForm(request.POST, stations=stations)
        visit = record_form(
            request,
            form,
            lambda d: services.visit_plan(officer=request.user, **d),  # d["host"]: the host chosen
            _("The programme visit is planned; the host institution answers."),
            _("Check the fields of the programme visit."),
        )
        if visit is not None:
            return redirect("programme:visit", visit_id=visit.id)
    else:
        form = forms.PlanForm(initial={"host": host}, stations=stations)
    context = {"place": place, "form": form, "stations": stations}
    return render(request, "programme/plan.html", context)


@login_required
@idempotent
def stations(request: HttpRequest, code: str) -> HttpResponse:
    """An institution's own list of route stations: its head keeps it; the staff who see the
    institution and the Agency's planners read it."""
    require(is_staff(request.user))
    place = get_object_or_404(Institution, code=code)
    require(can_read_institution(request.user, code) or can_plan_programme(request.user))
    keeper = can_answer_programme(request.user, code)
    listed = RouteStations.objects.filter(institution=code).first()
    form = forms.StationsForm(
        initial={"stations": "\n".join(listed.stations) if listed is not None else ""}
    )
    if request.method == "POST":
        require(keeper)
        form = forms.StationsForm(request.POST)
        listed_now = record_form(
            request,
            form,
            lambda d: services.stations_list(
                officer=request.user, host=code, stations=d["stations"]
            ),
            _("The list of route stations is recorded."),
            _("Name at least one station of the route."),
        )
        if listed_now is not None:
            return redirect("programme:stations", code=code)
    context = {"place": place, "listed": listed, "keeper": keeper, "form": form}
    return render(request, "programme/stations.html", context)


@login_required
def visit(request: HttpRequest, visit_id: str) -> HttpResponse:
    """One programme visit: route, hearings, the host's answer, attendance."""
    found = _visit(request, visit_id)
    context = {
        "visit": found,
        "attendance": found.attendance.all(),
        "answerer": can_answer_programme(request.user, found.host),
        "planner": can_plan_programme(request.user),
        "decide_form": forms.DecideForm(),
        "attend_form": forms.AttendanceForm(),
        "answer_form": forms.AnswerForm(),
        "answers": selectors.questionnaire(ProgrammeVisit.objects.filter(pk=found.pk))["overall"],
        "categories": selectors.CATEGORIES,
    }
    return render(request, "programme/visit.html", context)


def _visit_form(
    request: HttpRequest,
    visit_id: str,
    allowed: Callable[[Any, ProgrammeVisit], bool],
    form: Any,
    record: Callable[[ProgrammeVisit, dict[str, Any]], Any],
    done: str,
    not_done: str,
) -> HttpResponse:
    """A form sent on a programme visit's page by whom `allowed` (the user, the visit) lets: recorded
    through `record` (the visit, the form's data), then back to the visit's page."""
    found = _visit(request, visit_id)
    require(allowed(request.user, found))
    record_form(request, form, lambda d: record(found, d), done, not_done)
    return redirect("programme:visit", visit_id=found.id)


@recorded_post
def decide(request: HttpRequest, visit_id: str) -> HttpResponse:
    return _visit_form(
        request,
        visit_id,
        lambda user, visit: can_answer_programme(user, visit.host),
        forms.DecideForm(request.POST),
        lambda visit, d: services.visit_decide(
            officer=request.user, visit=visit, confirmed=d["confirmed"], reason=d["reason"]
        ),
        _("The answer is recorded."),
        _("Choose an answer."),
    )


@recorded_post
def attend(request: HttpRequest, visit_id: str) -> HttpResponse:
    form = forms.AttendanceForm(request.POST)
    return _visit_form(
        request,
        visit_id,
        lambda user, _visit: can_plan_programme(user),
        form,
        lambda visit, _d: services.attendance_record(
            officer=request.user, visit=visit, official=form.official()
        ),
        _("The attendance is recorded."),
        _("Check the official's fields."),
    )


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """The programme's figures: attendees by category, body, region, institution, over time."""
    visible = _visible(request)
    found = selectors.figures(visible)
    context = {
        "f": found,
        "chart": charts.bars(
            chart_id="chart-months",
            title=_("Attendances by month"),
            categories=list(found["by_month"]),
            series=[(_("Attendances"), list(found["by_month"].values()))],
            y_title=_("Attendances"),
        ),
        "categories": selectors.CATEGORIES,
    }
    return render(request, "programme/figures.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def export(request: HttpRequest) -> StreamingHttpResponse:
    """Every attendance the user may see, as CSV (no cell a spreadsheet would read as a formula)."""
    visible = _visible(request)
    rows = selectors.attendance_rows(visible)
    writer = csv.writer(_Echo())
    header = [_("Date"), _("Host institution"), _("Region"), _("Full name"), _("Public body"),
              _("Position"), _("Category")]  # fmt: skip

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([inert(str(cell)) for cell in row])

    return download(lines(), "programme-attendance.csv")


def _officials_page(
    request: HttpRequest, *, bad: list[Any] | None = None, form: Any = None
) -> HttpResponse:
    _visible(request)
    body = request.GET.get("body", "").strip()
    cover = selectors.coverage()
    rows = [
        {"body": name, **cell, "missing": cell["in_scope"] - cell["attended"]}
        for name, cell in cover["by_body"].items()
    ]
    context = {
        "coverage": cover,
        "rows": rows,
        "body": body,
        "missing": selectors.not_reached(body)[:1000] if body else [],
        "planner": can_plan_programme(request.user),
        "form": form or forms.ImportForm(),
        "bad": (bad or [])[:500],
        "bad_count": len(bad or []),
        "categories": selectors.CATEGORIES,
    }
    return render(request, "programme/officials.html", context, status=400 if bad else 200)


@login_required
def officials(request: HttpRequest) -> HttpResponse:
    """The officials in scope by body: how many have attended, who has not been reached yet."""
    return _officials_page(request)


@recorded_post
def officials_import(request: HttpRequest) -> HttpResponse:
    """Import a list of officials (CSV or XLSX): all its rows, or none with every bad row named."""
    require(can_plan_programme(request.user))
    form = forms.ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _officials_page(
            request, form=form, bad=[services.BadRow(0, _("Choose a CSV or XLSX file."))]
        )
    try:
        n = services.officials_import(officer=request.user, text=form.cleaned_data["file"].read())
    except ImportRefusedError as exc:
        return _officials_page(request, bad=exc.bad)
    messages.success(request, _("%(n)s officials imported.") % {"n": n})
    return redirect("programme:officials")


@recorded_post
def answer(request: HttpRequest, visit_id: str) -> HttpResponse:
    """Enter one anonymous questionnaire handed in after the visit."""
    return _visit_form(
        request,
        visit_id,
        lambda user, _visit: can_plan_programme(user),
        forms.AnswerForm(request.POST),
        lambda visit, d: services.answer_record(
            officer=request.user, visit=visit, useful=d["useful"], recommend=d["recommend"]
        ),
        _("The questionnaire is entered."),
        _("Choose an answer."),
    )


# ---- public councils' monitoring visits (ADR 0038) ----------------------------------------------


def _monitoring_visit(request: HttpRequest, visit_id: str) -> MonitoringVisit:
    return _in_scope(request, MonitoringVisit, visit_id, "institution")


@login_required
def monitoring(request: HttpRequest) -> HttpResponse:
    """The public councils' monitoring visits of the institutions the user sees, the late
    assignments, and (for a public council) the form that records a visit."""
    visible = _visible(request)
    today = timezone.localdate()
    context = {
        "visits": selectors.monitoring_visible(visible).annotate(
            n_observations=Count("observations")
        )[:500],
        "overdue": selectors.overdue_assignments(visible, today)[:500],
        "today": today,
        "recorder": can_record_monitoring(request.user),
        "form": forms.MonitoringForm(),
    }
    return render(request, "programme/monitoring.html", context)


@recorded_post
def monitoring_record(request: HttpRequest) -> HttpResponse:
    require(can_record_monitoring(request.user))

    def record(d: dict[str, Any]) -> MonitoringVisit:
        observations = []
        for topic in TOPICS:
            files = [
                services.Upload(f.name, f.content_type or "", f.read())
                for f in d.get(f"file_{topic}") or []
            ]
            observations.append((topic, d.get(f"text_{topic}", ""), files))
        return services.monitoring_record(
            member=request.user, institution=d["institution"], day=d["day"],
            council=d["council"], members=d["members"], observations=observations,
            repeats={t: d.get(f"repeats_{t}", "") for t in TOPICS},
        )  # fmt: skip

    found = record_form(
        request,
        forms.MonitoringForm(request.POST, request.FILES),
        record,
        _("The monitoring visit is recorded."),
        _("Check the fields of the monitoring visit."),
    )
    if found is None:
        return redirect("programme:monitoring")
    return redirect("programme:monitoring_visit", visit_id=found.id)


@login_required
def monitoring_visit(request: HttpRequest, visit_id: str) -> HttpResponse:
    """One monitoring visit: who visited, the observations per topic with their documents, the
    assignments, their due dates and the institution's answers."""
    found = _monitoring_visit(request, visit_id)
    today = timezone.localdate()
    observations = list(found.observations.all())
    late = set(
        found.observations.filter(due__isnull=False)
        .filter(selectors.overdue_q(today))
        .values_list("id", flat=True)
    )
    context = {
        "visit": found,
        "observations": [(o, o.id in late) for o in observations],
        "today": today,
        "recorder": can_record_monitoring(request.user),
        "answerer": can_answer_monitoring(request.user, found.institution),
    }
    return render(request, "programme/monitoring_visit.html", context)


def _observation(found: MonitoringVisit, observation_id: str) -> Observation:
    return get_object_or_404(Observation, visit=found, id=observation_id)


@recorded_post
def monitoring_assign(request: HttpRequest, visit_id: str) -> HttpResponse:
    found = _monitoring_visit(request, visit_id)
    require(can_record_monitoring(request.user))
    form = forms.AssignForm(request.POST)
    record_form(
        request,
        form,
        lambda d: services.observation_assign(
            member=request.user,
            observation=_observation(found, d["observation"]),
            to=d["to"],
            due=d["due"],
        ),
        _("The assignment is recorded."),
        _("Check the assignment's fields."),
    )
    return redirect("programme:monitoring_visit", visit_id=found.id)


@recorded_post
def monitoring_answer(request: HttpRequest, visit_id: str) -> HttpResponse:
    found = _monitoring_visit(request, visit_id)
    require(can_answer_monitoring(request.user, found.institution))
    record_form(
        request,
        forms.MonitoringAnswerForm(request.POST),
        lambda d: services.assignment_answer(
            officer=request.user,
            observation=_observation(found, d["observation"]),
            answer=d["answer"],
        ),
        _("The answer is recorded."),
        _("Write the answer."),
    )
    return redirect("programme:monitoring_visit", visit_id=found.id)


@login_required
def monitoring_document(request: HttpRequest, visit_id: str, digest: str) -> HttpResponse:
    """A photograph or document of a monitoring visit, from the data folder by its hash (at most
    10 MB, read whole: no file handle is left to the client to close)."""
    from pathlib import Path

    from django.conf import settings

    from adaldyq.law.amendments import DOCUMENTS

    found = _monitoring_visit(request, visit_id)
    attached = {d["document"]: d for o in found.observations.all() for d in o.documents}.get(
        f"sha256:{digest}"
    )
    if attached is None or not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise Http404
    path = Path(settings.DATA_DIR) / DOCUMENTS / f"sha256-{digest}"
    if not path.is_file():
        raise Http404
    return kept_document(path, attached.get("type", ""), attached.get("name") or digest)
