"""Staff and self-service pages of placement and transfers (thin: services and selectors do the work)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from adaldyq.core.errors import InputError
from adaldyq.placement import Scenario, simulate
from adaldyq.web import charts
from adaldyq.web.accounts.roles import Role
from adaldyq.web.accounts.scope import (
    can_decide_placement,
    can_read_institution,
    can_read_person,
    is_staff,
    people_visible_to,
    person_in_scope,
    require,
)
from adaldyq.web.institutions.models import SENTENCE_TYPES, Institution, Region
from adaldyq.web.overrides.services import OverridePendingError
from adaldyq.web.params import int_param
from adaldyq.web.records.models import Person
from adaldyq.web.records.services import access_record, actor_of
from adaldyq.web.submit import form_page, to_confirmation
from adaldyq.web.transfers import forms, selectors, services
from adaldyq.web.transfers.models import OPEN, Move, Placement, Request
from adaldyq.web.transfers.services import TransferRefusedError

if TYPE_CHECKING:
    from adaldyq.web.accounts.scope import Asker

M = TypeVar("M", Placement, Request)

#: Why an alternative cannot be chosen at all, not even with a reason (placement_refusals).
EXCLUDED_REASONS = frozenset(
    {
        "placement.wrong_type",
        "placement.wrong_sex",
        "placement.minors_only",
        "placement.adults_only",
    }
)


#: People evaluated for art. 96 on one page (each is a run of the law engine over their file).
ART96_PAGE = 100


def _today() -> date:
    return timezone.localdate()


def _staff(request: HttpRequest) -> None:
    require(is_staff(request.user))


def _in_scope(request: HttpRequest, model: type[M], pk: Any) -> M:
    """The placement or request `pk` (its person and their institution with it), for staff who may
    read the person's file."""
    _staff(request)
    found = get_object_or_404(model.objects.select_related("person__institution"), pk=pk)
    require(can_read_person(request.user, found.person))
    return found


def _readable_ids(user: Asker, ids: set[str]) -> set[str]:
    """Which of these people `user` may read (the others' names stay off the page)."""
    return set(people_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The open queues, one per target institution, and the people waiting for a placement."""
    _staff(request)
    today = _today()
    awaiting = selectors.awaiting_placement(request.user)
    unplaced = list(awaiting[:10])
    # the queues of the institutions in the user's scope; names only of the people in it
    queues = {
        t: line for t, line in selectors.queues(on=today).items()
        if can_read_institution(request.user, t)
    }  # fmt: skip
    recent = list(
        Move.objects.filter(person__in=people_visible_to(request.user))
        .select_related("person")
        .order_by("-seq")[:20]
    )
    readable = _readable_ids(
        request.user, {q.request.person_id for line in queues.values() for q in line}
    )
    context = {
        "queues": queues,
        "readable": readable,
        "institutions": selectors.institutions_by_code(),
        "unplaced": unplaced,
        "awaiting_count": awaiting.count(),
        "pending": selectors.pending_proposals(unplaced),
        "can_decide": selectors.can_decide(request.user),
        "can_analyse": selectors.can_analyse(request.user),
        "recent": recent,
        "today": today,
    }
    shown = [*readable, *(p.pk for p in unplaced), *(m.person_id for m in recent)]
    access_record(user=request.user, page="transfers:index", people=shown)
    return render(request, "transfers/index.html", context)


@login_required
def awaiting(request: HttpRequest) -> HttpResponse:
    """Sentenced people in the user's scope not yet placed, each with its placement page."""
    _staff(request)
    people = selectors.awaiting_placement(request.user)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # read once: shown, and recorded as shown
    access_record(user=request.user, page="transfers:awaiting", people=(p.pk for p in page))
    context = {
        "page": page,
        "pending": selectors.pending_proposals(page.object_list),
        "can_decide": selectors.can_decide(request.user),
    }
    return render(request, "transfers/awaiting.html", context)


@form_page
def propose(request: HttpRequest, person_id: str) -> HttpResponse:
    """Ask the system for a placement proposal for a person (an undecided one is shown instead)."""
    require(selectors.can_decide(request.user))
    person = get_object_or_404(Person.objects.select_related("institution"), pk=person_id)
    require(can_decide_placement(request.user, person))
    if request.method == "GET":
        pending = selectors.pending_proposals([person]).get(person.pk)
        if pending is not None:
            return redirect("transfers:placement", seq=pending.seq)
    court = selectors.court_type(person)
    if request.method == "GET":
        access_record(user=request.user, page="transfers:propose", people=[person.pk])
    form = forms.ProposeForm(request.POST or None, initial={"type": court} if court else {})
    if request.method == "POST" and form.is_valid():
        try:
            placement = services.placement_propose(
                officer=request.user, person=person, type=form.cleaned_data["type"],
                medical=form.cleaned_data["medical"], on=_today(),
            )  # fmt: skip
        except InputError as exc:
            form.add_error(None, exc.diagnostics())
        else:
            return redirect("transfers:placement", seq=placement.seq)
    return render(request, "transfers/propose.html", {"form": form, "person": person})


@form_page
def placement(request: HttpRequest, seq: int) -> HttpResponse:
    """The proposal with every alternative and why it lost; the decision form."""
    p = _in_scope(request, Placement, seq)
    form = forms.DecideForm(request.POST or None)
    status = 200
    if request.method == "POST":
        require(can_decide_placement(request.user, p.person))
        if form.is_valid():
            try:
                services.placement_decide(
                    officer=request.user, placement=p,
                    institution=request.POST.get("institution", p.proposed), on=_today(),
                    reason=form.cleaned_data["reason"],
                    capacity_override=form.cleaned_data["capacity_override"],
                )  # fmt: skip
            except OverridePendingError as exc:
                return to_confirmation(request, exc)
            except TransferRefusedError as exc:
                form.add_error(None, exc.diagnostics())
                status = 409
            except InputError as exc:
                form.add_error(None, exc.diagnostics())
                status = 400
            else:
                messages.success(request, _("Placement recorded in the ledger."))
                return redirect("transfers:person", person_id=p.person_id)
    insts = selectors.institutions_by_code()
    context = {
        "p": p,
        "form": form,
        "institutions": insts,
        "proposed": insts.get(p.proposed),
        "alternatives": p.proposal.get("alternatives", []),
        # the decision's choices: every alternative the rules do not exclude (ADR 0016)
        "choices": [
            a
            for a in p.proposal.get("alternatives", [])
            if not EXCLUDED_REASONS.intersection(a.get("reasons", ()))
        ],
        "refs": p.proposal.get("refs", []),
        "move": Move.objects.filter(pk=p.decision).first() if p.decision else None,
        "can_decide": can_decide_placement(request.user, p.person),
    }
    if request.method == "GET":
        access_record(user=request.user, page="transfers:placement", people=[p.person_id])
    return render(request, "transfers/placement.html", context, status=status)


@form_page
def person(request: HttpRequest, person_id: str) -> HttpResponse:
    """A person's placements and transfers with the ground of each; self-service request form."""
    p = person_in_scope(request.user, person_id)
    role = selectors.role_of(request.user)
    may_file = role == Role.prisoner or can_decide_placement(request.user, p)
    form = forms.RequestForm(request.POST or None) if may_file else None
    status = 200
    if request.method == "POST":
        require(may_file)
        assert form is not None  # noqa: S101 - may_file
        if form.is_valid():
            c = form.cleaned_data
            try:
                r, _code = services.transfer_request_file(
                    actor=actor_of(request.user), person=p, target=c["target"],
                    ground=c["ground"], family=tuple(c["family"]), consent=c["consent"],
                    contact=c["contact"], on=_today(),
                    filed_by="person" if role == Role.prisoner else "administration",
                    with_code=False,
                )  # fmt: skip
            except InputError as exc:
                form.add_error(None, exc.diagnostics())
                status = 409 if isinstance(exc, TransferRefusedError) else 400
            else:
                messages.success(request, _("Request %(number)s filed.") % {"number": r.number})
                return redirect("transfers:person", person_id=p.pk)
    today = _today()
    requests = [(r, selectors.position_of(r, on=today)) for r in selectors.requests_of(p)]
    context = {
        "person": p,
        "moves": selectors.moves_of(p),
        "requests": requests,
        "form": form,
        "institutions": selectors.institutions_by_code(),
        "can_decide": can_decide_placement(request.user, p),
    }
    if request.method == "GET":
        access_record(user=request.user, page="transfers:person", people=[p.pk])
    return render(request, "transfers/person.html", context, status=status)


@form_page
def request_detail(request: HttpRequest, number: str) -> HttpResponse:
    """A request, its target's queue, and the grant/refuse form (a departure needs a reason)."""
    r = _in_scope(request, Request, number)
    form = forms.DecideForm(request.POST or None)
    status = 200
    refusal: TransferRefusedError | None = None
    if request.method == "POST":
        require(can_decide_placement(request.user, r.person))
        if form.is_valid():
            try:
                services.transfer_decide(
                    officer=request.user, request=r, grant=request.POST.get("outcome") == "grant",
                    on=_today(), reason=form.cleaned_data["reason"],
                    capacity_override=form.cleaned_data["capacity_override"],
                )  # fmt: skip
            except OverridePendingError as exc:
                return to_confirmation(request, exc)
            except TransferRefusedError as exc:
                refusal, status = exc, 409
                form.add_error(None, exc.diagnostics())
            else:
                messages.success(request, _("Decision recorded in the ledger."))
                return redirect("transfers:request", number=r.number)
    today = _today()
    line = selectors.queue_of(r.target, on=today)
    mine = next((q for q in line if q.request.pk == r.pk), None)
    insts = selectors.institutions_by_code()
    target = insts.get(r.target)
    context = {
        "r": r,
        "line": line,
        "mine": mine,
        "form": form,
        "refusal": refusal,
        "institutions": insts,
        "target": target,
        "held": selectors.occupancy().get(r.target, 0),
        "move": Move.objects.filter(request=r.number).first(),
        "can_decide": can_decide_placement(request.user, r.person) and r.status == OPEN,
    }
    if request.method == "GET":
        access_record(user=request.user, page="transfers:request", people=[r.person_id])
    return render(request, "transfers/request.html", context, status=status)


# ---- capacity, art. 96, simulator, flags --------------------------------------------------------


class _Load(TypedDict):
    """An institution's line on the capacity page."""

    inst: Institution
    now: int
    load: int
    peak: int


class _LoadChart(_Load):
    """The chosen institution's line, with its chart by month."""

    chart: charts.Chart


@login_required
def capacity(request: HttpRequest) -> HttpResponse:
    """Capacity and occupancy of every institution over time (from the ledger's placement facts)."""
    _staff(request)
    today = _today()
    months_back = int_param(request, "months", 24, lo=1, hi=120)
    first = date(today.year, today.month, 1)
    from adaldyq.core.dates import add_months

    days = selectors.months(add_months(first, -max(1, min(months_back, 120))), today)
    if days[-1] != today:
        days.append(today)
    series = selectors.occupancy_series(days)
    rows: list[_Load] = []
    for code, inst in selectors.institutions_by_code().items():
        values = series.get(code, [0] * len(days))
        rows.append(
            {
                "inst": inst,
                "now": values[-1],
                "load": round(100 * values[-1] / inst.capacity) if inst.capacity else 0,
                "peak": max(values),
            }
        )
    rows.sort(key=lambda x: (-x["load"], x["inst"].code))
    chosen = request.GET.get("institution") or (rows[0]["inst"].code if rows else "")
    row = next((r for r in rows if r["inst"].code == chosen), None)
    big: _LoadChart | None = None
    if row is not None:
        inst = row["inst"]
        big = {**row, "chart": charts.lines(
            chart_id="big-chart-view", title=_("Occupancy of %(name)s by month") % {"name": inst.label},
            months=days, series=[(_("Occupancy"), series.get(chosen, [0] * len(days)))],
            y_title=_("People"), limit=(_("Capacity"), inst.capacity))}  # fmt: skip
    return render(request, "transfers/capacity.html", {"rows": rows, "big": big, "days": days})


@login_required
def art96(request: HttpRequest) -> HttpResponse:
    """Who may ask a court for a change of institution type (art. 96), and from when."""
    _staff(request)
    today = _today()
    people = (
        people_visible_to(request.user)
        .select_related("institution")
        .filter(institution__type__in=selectors.ART96_TYPES)
    )
    code = request.GET.get("institution", "")
    if code:
        people = people.filter(institution__code=code)
    # a page of people by name, evaluated by the law engine; those who may ask first on each page
    page = Paginator(people.order_by("surname", "given_name", "id"), ART96_PAGE).get_page(
        request.GET.get("page")
    )
    found = selectors.type_changes(page.object_list, on=today)
    rows = sorted(
        found, key=lambda t: (t[1].eligible is not True, t[1].eligible_from or date.max, t[0].pk)
    )
    access_record(user=request.user, page="transfers:art96", people=(t[0].pk for t in rows))
    context = {"rows": rows, "code": code, "page": page, "today": today,
               "institutions": selectors.institutions_by_code()}  # fmt: skip
    return render(request, "transfers/art96.html", context)


def _scenario(g: Any) -> Scenario:
    merge = (("medium", "maximum"),) if g.get("merge") else ()
    add, opened = [], []
    if g.get("add_region") and g.get("add_type") and g.get("add_places"):
        add.append((g["add_region"], g["add_type"], int(g["add_places"])))
    if g.get("open_region") and g.get("open_type") and g.get("open_capacity"):
        opened.append((g["open_region"], g["open_type"], int(g["open_capacity"])))
    return Scenario(merge=merge, add_capacity=tuple(add), open=tuple(opened))


@login_required
def simulator(request: HttpRequest) -> HttpResponse:
    """Run a what-if on the current population and compare distance from home before and after."""
    require(selectors.can_analyse(request.user))
    g = request.GET
    result = None
    error = ""
    if g.get("run"):
        try:
            scenario = _scenario(g)
            profiles, current = selectors.population()
            result = simulate(
                profiles, selectors.sites(), current, scenario, on=_today(), rules=selectors.rules()
            )
        except (InputError, ValueError, KeyError) as exc:
            error = exc.diagnostics() if isinstance(exc, InputError) else str(exc)
    context: dict[str, Any] = {
        "q": g,
        "regions": Region.objects.all(),
        "types": SENTENCE_TYPES,
        "result": result,
        "error": error,
    }
    if result is not None:
        columns = [
            (_("where people are"), result.before.buckets),
            (_("today's rule"), result.baseline.buckets),
            (_("the scenario"), result.after.buckets),
        ]
        context["hist"] = charts.bars(
            chart_id="histogram",
            title=_("Distance from home"),
            categories=[f"{a:.0f}–{b:.0f}" if b is not None else f"{a:.0f}+"
                        for a, b, _n in result.before.buckets],
            series=[(name, [n for _a, _b, n in col]) for name, col in columns],
            x_title=_("km from home"),
            y_title=_("People"),
        )  # fmt: skip
        changed = [
            x for x in result.load if x.before != x.after or x.capacity_before != x.capacity_after
        ]
        context["load"] = sorted(changed, key=lambda x: (-(x.after - x.before), x.institution))
        context["insts"] = selectors.institutions_by_code()
    return render(request, "transfers/simulator.html", context, status=400 if error else 200)


@login_required
def flags(request: HttpRequest) -> HttpResponse:
    """Placement and transfer flags for oversight, computed from the ledger entries."""
    require(selectors.can_analyse(request.user))
    kind = request.GET.get("kind", "")
    rows = selectors.placement_flags(request.user, kind=kind)
    access_record(
        user=request.user, page="transfers:flags", people=(r["person"] for r in rows if r["person"])
    )
    # each person by name where the user may read their file (the others by their number)
    names = {
        p.pk: p for p in people_visible_to(request.user).filter(pk__in={r["person"] for r in rows})
    }
    context = {
        "rows": [selectors.flag_for_page(r) for r in rows],
        "people": names,
        "counts": sorted(selectors.flag_counts(rows).items()),
        "kind": kind,
    }
    return render(request, "transfers/flags.html", context)
