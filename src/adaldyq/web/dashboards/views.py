"""The dashboards of the oversight bodies, the committee and the regional departments (issue 18).

    /dashboards/                 rates per region, institution, commission or officer, months, a funnel
    /dashboards/items/           the rows behind one figure, each to its entry, file, law and proof
    /dashboards/health/          the ledger's health: checkpoint, witnesses, verification, view check
    /dashboards/export.csv|xlsx  the table of the dashboard as a file
    /dashboards/report.pdf       an institution's report for a period (WeasyPrint)

Who sees them: the register's readers (`can_see_register`), each within `register_institutions`
(ADR 0005). The figures hold no personal data; a list of rows that names people is an access entry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from adaldyq.web import charts
from adaldyq.web.accounts.scope import can_see_register, register_institutions, require
from adaldyq.web.dashboards import health as health_panel
from adaldyq.web.dashboards import selectors, words
from adaldyq.web.downloads import download
from adaldyq.web.records.services import access_record

ITEMS_PAGE = 50


def _lang() -> str:
    return (get_language() or "kk")[:2]


def _level(request: HttpRequest) -> str:
    level = request.GET.get("level", "institution")
    return level if level in selectors.LEVELS else "institution"


def _measure(request: HttpRequest, default: str = "deviations") -> str:
    measure = request.GET.get("measure", default)
    return measure if measure in selectors.MEASURES else default


def _items_url(**params: str) -> str:
    query = QueryDict(mutable=True)
    query.update({k: v for k, v in params.items() if v})
    return f"{reverse('dashboards:items')}?{query.urlencode()}"


def _hits_url(measure: str, level: str, unit: str, month: str = "") -> str:
    """The list behind a count: our items page, or the deviation register for its measures."""
    if measure in selectors.REGISTER_MEASURES:
        if level not in ("institution", "officer") or month:
            return ""
        query = QueryDict(mutable=True)
        query.update({"kind": selectors.REGISTER_KINDS[measure], level: unit, "all": "1"})
        return f"{reverse('decisions:register')}?{query.urlencode()}"
    return _items_url(measure=measure, level=level, unit=unit, month=month)


def _context(request: HttpRequest) -> dict[str, Any]:
    """The dashboard's figures within the reader's scope, as rows and charts."""
    visible = register_institutions(request.user)
    size = selectors.shown()
    figs = selectors.scoped(selectors.figures(size=size), visible)
    level = _level(request)
    measure = _measure(request)
    measures = [m for m, spec in selectors.MEASURES.items() if level in spec.levels]
    found = {u for m in measures for u in selectors.units_of(figs, m, level)}
    if level in ("institution", "region"):  # every institution of the scope, with cases or not
        found |= words.scope_units(figs, level)
    names = words.unit_names_for(level, found)
    units = sorted(found, key=lambda u: (not u, names.get(u, u)))
    by_measure = {m: selectors.units_of(figs, m, level) for m in measures}
    fte_month, fte_inst, fte_months = selectors.fte(figs)
    rows = []
    for u in units:
        cells = []
        for m in measures:
            n, k = by_measure[m].get(u, (0, 0))
            cells.append({"n": n, "k": k, "share": k / n if n else None,
                          "url": _hits_url(m, level, u) if k else ""})  # fmt: skip
        rows.append({"unit": u, "name": names.get(u, u) or _("(none)"), "cells": cells,
                     "occupancy": words.occupancy_of(figs, level, u),
                     "fte": words.fte_of(fte_inst, level, u)})  # fmt: skip
    national = []
    for m in measures:
        n, k = selectors.national(figs, m)
        national.append({"n": n, "k": k, "share": k / n if n else None})
    share, rates = selectors.rates(figs, measure, level if level in
                                   selectors.MEASURES[measure].levels else "institution")  # fmt: skip
    funnel_level = level if level in selectors.MEASURES[measure].levels else "institution"
    names |= words.unit_names_for(funnel_level, [r.unit for r in rates if r.unit not in names])
    funnel = charts.funnel(
        chart_id="funnel",
        title=_("%(measure)s: each unit against the national share") % {
            "measure": words.MEASURE_LABELS[measure]},
        units=[
            charts.FunnelUnit(names.get(r.unit, r.unit) or r.unit, r.n, r.k, r.p, r.q,
                              r.stands_out, _hits_url(measure, funnel_level, r.unit))
            for r in rates
        ],
        national=share,
        unit_title=str(words.LEVEL_LABELS[funnel_level]),
        n_title=str(words.CASES_LABELS[measure]),
    )  # fmt: skip
    months = selectors.months_of(figs)[-24:]
    trend_measures = ("deviations", "corrections", "late", "visits", "transfers")
    trend = charts.lines(
        chart_id="trend",
        title=_("Hits by month"),
        months=[date.fromisoformat(f"{m}-01") for m in months],
        series=[
            (str(words.MEASURE_LABELS[m]),
             [figs["measures"][m]["month"].get(month, (0, 0))[1] for month in months])
            for m in trend_measures
        ],
        y_title=_("Hits"),
        hrefs=[_items_url(measure="deviations", month=m) for m in months],
    )  # fmt: skip
    occupancy = words.occupancy_chart(figs, visible)
    fte_chart = (
        charts.lines(
            chart_id="fte",
            title=_("Work and study in full-time equivalents by month"),
            months=[date.fromisoformat(f"{m}-01") for m in list(fte_months)[-24:]],
            series=[
                (_("Work"), [w for w, _s in list(fte_months.values())[-24:]]),
                (_("Study"), [s for _w, s in list(fte_months.values())[-24:]]),
            ],
            y_title=_("FTE"),
            decimals=1,
        )
        if fte_months
        else None
    )
    return {
        "size": size,
        "level": level,
        "levels": [(lv, words.LEVEL_LABELS[lv]) for lv in selectors.LEVELS],
        "measure": measure,
        "measure_choices": [(m, words.MEASURE_LABELS[m]) for m in selectors.MEASURES],
        "measures": [(m, words.MEASURE_LABELS[m], words.CASES_LABELS[m]) for m in measures],
        "rows": rows,
        "national": national,
        "share": share,
        "funnel": funnel,
        "trend": trend,
        "occupancy": occupancy,
        "with_occupancy": level in ("institution", "region"),
        "fte_month": fte_month,
        "fte_chart": fte_chart,
        "scope_all": visible is None,
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Rates per unit within the reader's scope, their months and a funnel plot against the country."""
    require(can_see_register(request.user))
    context = _context(request)
    context["health_alarm"] = health_panel.status().alarm  # the figures rest on the ledger's health
    context["paper"] = _paper_share(request.user)
    return render(request, "dashboards/index.html", context)


def _paper_share(user: Any) -> list[tuple[str, int, int, float]]:
    """Per institution in scope: facts brought in from paper, of them read by two officers (the same,
    or settled by a head), and the share (issue 23, ADR 0042)."""
    from adaldyq.web.paper.selectors import double_entry_share

    visible = register_institutions(user)
    shares = double_entry_share(None if visible is None else frozenset(visible))
    names = words.unit_names_for("institution", list(shares))
    return [
        (names.get(code, code) or "—", n, twice, twice / n if n else 0.0)
        for code, (n, twice) in sorted(shares.items())
    ]


@login_required
def items(request: HttpRequest) -> HttpResponse:
    """The rows behind a figure, each linked to its ledger entry (with its inclusion proof), the
    person's file, the law's answer and, for a decision, its public verification."""
    require(can_see_register(request.user))
    measure = request.GET.get("measure", "")
    if measure not in selectors.MEASURES or measure in selectors.REGISTER_MEASURES:
        raise Http404
    level = _level(request) if request.GET.get("level") else ""
    unit = request.GET.get("unit", "")
    month = request.GET.get("month", "")
    if month and not words.is_month(month):
        raise Http404
    size = selectors.shown()
    qs = selectors.items(
        measure=measure, size=size, visible=register_institutions(request.user),
        level=level, unit=unit, month=month, hits_only=request.GET.get("all") != "1",
    )  # fmt: skip
    page = Paginator(qs, ITEMS_PAGE).get_page(request.GET.get("page"))
    rows = words.item_rows(measure, list(page.object_list))
    access_record(
        user=request.user, page="dashboards:items", people=selectors.people_of(page.object_list)
    )
    context = {
        "measure": measure,
        "measure_label": words.MEASURE_LABELS[measure],
        "level": level,
        "unit": unit,
        "unit_name": words.unit_names_for(level, [unit]).get(unit, unit) if unit else "",
        "month": month,
        "rows": rows,
        "page": page,
        "size": size,
        "head": words.item_head(measure),
    }
    return render(request, "dashboards/items.html", context)


@login_required
def health(request: HttpRequest) -> HttpResponse:
    """The ledger's health: the newest checkpoint, its witnesses' cosignatures, the last full
    verification and the last check of the read models, with an alarm on any fault."""
    require(can_see_register(request.user))
    return render(request, "dashboards/health.html", {"h": health_panel.status()})


def _table(context: Mapping[str, Any]) -> tuple[list[str], list[list[str | int | float]]]:
    """The dashboard's table as a header and rows of plain values (an export)."""
    head = [str(words.LEVEL_LABELS[context["level"]])]
    for _m, label, cases in context["measures"]:
        head += [f"{label}: {cases}", f"{label}: {_('hits')}", f"{label}: {_('share')}"]
    if context["with_occupancy"]:
        head += [str(_("People")), str(_("Capacity"))]
        head += [
            f"{_('Work, FTE')} {context['fte_month']}",
            f"{_('Study, FTE')} {context['fte_month']}",
        ]
    rows: list[list[str | int | float]] = []
    for r in context["rows"]:
        line: list[str | int | float] = [str(r["name"])]
        for c in r["cells"]:
            line += [c["n"], c["k"], round(c["share"], 4) if c["share"] is not None else ""]
        if context["with_occupancy"]:
            held, capacity = r["occupancy"] or ("", "")
            line += [held, capacity]
            line += [round(x, 2) for x in r["fte"]] if r["fte"] else ["", ""]
        rows.append(line)
    return head, rows


@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The dashboard's table as CSV or XLSX, every text cell inert to a spreadsheet."""
    require(can_see_register(request.user))
    context = _context(request)
    head, rows = _table(context)
    name = f"dashboard-{context['level']}-{context['size']}-{_lang()}"
    if fmt == "csv":
        return download(words.csv_text(head, rows), f"{name}.csv")
    sheet = str(words.LEVEL_LABELS[context["level"]])
    return download(words.xlsx_bytes(head, rows, sheet=sheet), f"{name}.xlsx")


def _period(request: HttpRequest) -> tuple[date, date]:
    """The report's months: `from` and `to` (ISO dates), by default the twelve months to today."""
    from django.utils import timezone

    from adaldyq.core.dates import add_months
    from adaldyq.web.params import date_param

    last = date_param(request, "to", timezone.localdate())
    first = date_param(request, "from", add_months(date(last.year, last.month, 1), -11))
    return min(first, last), max(first, last)


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """An institution's report for a period as PDF: its rates against the country, month by month."""
    from adaldyq.web.accounts.scope import can_read_institution

    require(can_see_register(request.user))
    code = request.GET.get("institution", "")
    visible = register_institutions(request.user)
    require(bool(code) and (visible is None or code in visible) and can_read_institution(
        request.user, code))  # fmt: skip
    first, last = _period(request)
    pdf = words.report_pdf(code=code, first=first, last=last, lang=_lang())
    return download(pdf, f"report-{code}-{_lang()}.pdf", inline=True)


def month_cells(months: Sequence[str], per: Mapping[str, tuple[int, int]]) -> list[tuple[int, int]]:
    """(n, k) of each month, zero where none."""
    return [per.get(m, (0, 0)) for m in months]
