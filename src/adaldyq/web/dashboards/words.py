"""The dashboards in words: names of measures, levels and units, the rows of a list, the exports."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from adaldyq.web import charts
from adaldyq.web.accounts.templatetags.site_tags import cited
from adaldyq.web.dashboards import selectors
from adaldyq.web.decisions import labels
from adaldyq.web.decisions.register_export import officer_names
from adaldyq.web.institutions.models import Institution, Region
from adaldyq.web.spreadsheets import inert

MEASURE_LABELS = {
    "deviations": gettext_lazy("Decisions departing from the law"),
    "award_delays": gettext_lazy("Awards decided late"),
    "without_grounds": gettext_lazy("Decisions without grounds"),
    "penalties_before": gettext_lazy("Penalties just before qualifying"),
    "corrections": gettext_lazy("Corrections and withdrawals"),
    "late": gettext_lazy("Late entries"),
    "long_visits": gettext_lazy("Long visits"),
    "visits": gettext_lazy("Visits booked over a rule"),
    "transfers": gettext_lazy("Transfers flagged"),
}
#: What each measure's n counts.
CASES_LABELS = {
    "deviations": gettext_lazy("Decisions"),
    "award_delays": gettext_lazy("Awards"),
    "without_grounds": gettext_lazy("Decisions"),
    "penalties_before": gettext_lazy("Penalties"),
    "corrections": gettext_lazy("Facts recorded"),
    "late": gettext_lazy("Facts recorded"),
    "long_visits": gettext_lazy("Visits"),
    "visits": gettext_lazy("Bookings"),
    "transfers": gettext_lazy("Moves"),
}
LEVEL_LABELS = {
    "region": gettext_lazy("Region"),
    "institution": gettext_lazy("Institution"),
    "commission": gettext_lazy("Commission session"),
    "officer": gettext_lazy("Officer"),
}
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def is_month(text: str) -> bool:
    return bool(_MONTH.match(text))


def unit_names_for(level: str, units: Iterable[str]) -> dict[str, str]:
    """Each unit in words in the page's language: a region by name, an institution by name and code,
    an officer by name, a commission session by its institution and date."""
    wanted = [u for u in units if u]
    if level == "region":
        return {r.key: r.name for r in Region.objects.filter(key__in=wanted)}
    if level == "institution":
        return {str(i.code): str(i.label) for i in Institution.objects.filter(code__in=wanted)}
    if level == "officer":
        return officer_names(wanted, part="name")
    if level == "commission":
        from django.utils import formats

        from adaldyq.web.decisions.models import Session

        labels = {str(i.code): str(i.label) for i in Institution.objects.all()}
        return {
            s.id: f"{labels.get(s.institution_code, s.institution_code)}, "
            f"{formats.date_format(s.on, 'DATE_FORMAT')}"
            for s in Session.objects.filter(id__in=wanted)
        }
    return {}


def scope_units(figs: Mapping[str, Any], level: str) -> set[str]:
    """Every institution of the scope (or its region), whether it has cases or not."""
    codes = set(figs["occupancy"])
    if level == "institution":
        return codes
    return set(Institution.objects.filter(code__in=codes).values_list("region_id", flat=True))


def occupancy_of(figs: Mapping[str, Any], level: str, unit: str) -> tuple[int, int] | None:
    """People held and capacity of an institution, or the sum over a region's institutions."""
    occupancy = figs["occupancy"]
    if level == "institution":
        return (int(occupancy[unit][0]), int(occupancy[unit][1])) if unit in occupancy else None
    if level == "region":
        codes = Institution.objects.filter(region_id=unit).values_list("code", flat=True)
        found = [occupancy[c] for c in codes if c in occupancy]
        return (sum(a for a, _b in found), sum(b for _a, b in found)) if found else None
    return None


def fte_of(
    per_inst: Mapping[str, tuple[float, float]], level: str, unit: str
) -> tuple[float, float] | None:
    """Work and study FTE of an institution, or the sum over a region's institutions."""
    if level == "institution":
        return per_inst.get(unit)
    if level == "region":
        codes = set(Institution.objects.filter(region_id=unit).values_list("code", flat=True))
        found = [v for c, v in per_inst.items() if c in codes]
        return (sum(w for w, _s in found), sum(s for _w, s in found)) if found else None
    return None


def occupancy_chart(figs: Mapping[str, Any], visible: frozenset[str] | None) -> charts.Chart:
    """People held against capacity per institution, as a share (bars), with its table."""
    occupancy = figs["occupancy"]
    names = unit_names_for("institution", occupancy)
    codes = sorted(occupancy, key=lambda c: names.get(c, c))
    return charts.bars(
        chart_id="occupancy",
        title=_("Occupancy against capacity"),
        categories=[names.get(c, c) for c in codes],
        series=[
            (_("People held"), [occupancy[c][0] for c in codes]),
            (_("Capacity"), [occupancy[c][1] for c in codes]),
        ],
        y_title=_("People"),
        hrefs=[f"{reverse('transfers:capacity')}?institution={c}" for c in codes],
    )


def _entry_url(seq: int | None) -> str:
    return reverse("ledger-entry", args=[seq]) if seq else ""


def _file_url(person_id: str, seq: int | None = None) -> str:
    url = reverse("records:file", args=[person_id])
    return f"{url}?entry={seq}#entry-{seq}" if seq else url


#: The article each commission question rests on (LAW.md §2 degrees, §3 transfers between
#: conditions; S), cited beside the law's answer.
QUESTION_ARTICLES = {"degree": "PEC art. 95", "condition": "PEC art. 103"}


def item_head(measure: str) -> list[str]:
    """The columns of a list of rows behind a figure."""
    if measure == "deviations":
        return [_("Date"), _("Institution"), _("Person"), _("Question"), _("Outcome"),
                _("The law's answer"), _("Officer"), _("Proofs")]  # fmt: skip
    if measure in ("corrections", "late"):
        return [_("Date"), _("Recorded"), _("Person"), _("Kind of fact"), _("Reason"),
                _("Officer"), _("Proofs")]  # fmt: skip
    if measure == "visits":
        return [_("Date"), _("Institution"), _("Person"), _("Kind"), _("Overridden rules"),
                _("Entitlement (article, confidence)"), _("Officer"), _("Proofs")]  # fmt: skip
    return [_("Date"), _("From"), _("To"), _("Person"), _("Flags"), _("Officer"), _("Proofs")]


def _person(row: Any, seq: int | None = None) -> dict[str, str]:
    p = row.person
    return {"text": f"{p.surname} {p.given_name} ({p.number})", "url": _file_url(p.pk, seq)}


def item_rows(measure: str, rows: Sequence[Any]) -> list[list[dict[str, Any]]]:
    """Each row as cells: text, and where there is one, its link (the entry with its inclusion proof,
    the file at that entry, the decision with the law's answer, the public verification)."""
    from django.utils import formats

    def day(d: Any) -> dict[str, str]:
        return {"text": formats.date_format(d, "DATE_FORMAT") if d else "—"}

    officers = officer_names({_officer(measure, r) for r in rows}, part="name")
    out = []
    for r in rows:
        officer = {"text": officers.get(_officer(measure, r), _officer(measure, r))}
        proof = {"text": f"#{r.seq}", "url": _entry_url(r.seq)}
        if measure == "deviations":
            answer = r.proposal or {}
            law = _("%(outcome)s, %(article)s (confidence %(confidence)s)") % {
                "outcome": labels.OUTCOME_LABELS.get(answer.get("outcome", ""), "—"),
                "article": cited(QUESTION_ARTICLES.get(r.question, "")) or "?",
                "confidence": answer.get("confidence", "?")}  # fmt: skip
            decided = str(labels.OUTCOME_LABELS.get(r.outcome, r.outcome))
            if r.direction:
                decided += f" · {labels.DIRECTION_LABELS.get(r.direction, r.direction)}"
            out.append([
                day(r.on), {"text": r.institution_code}, _person(r),
                {"text": labels.QUESTION_LABELS.get(r.question, r.question)}, {"text": decided},
                {"text": law, "url": reverse("decisions:decision", args=[r.seq])}, officer,
                proof, {"text": _("verify"), "url": reverse("verify", args=[r.code])},
            ])  # fmt: skip
        elif measure in ("corrections", "late"):
            out.append([
                day(r.on), day(r.recorded_at), _person(r, r.seq), {"text": r.kind},
                {"text": r.reason or "—"}, officer, proof,
            ])  # fmt: skip
        elif measure == "visits":
            law = _("%(figure)s a year, %(article)s (confidence %(confidence)s)") % {
                "figure": r.figure if r.figure is not None else "?",
                "article": r.article or "?",
                "confidence": r.confidence or "?",
            }
            out.append([
                day(r.day), {"text": r.institution}, _person(r), {"text": r.kind},
                {"text": ", ".join(r.overrides)}, {"text": law}, officer, proof,
            ])  # fmt: skip
        else:
            flags = [name for name, on in (
                ("out_of_order", r.out_of_order), ("over_capacity", r.over_capacity),
                ("against_proposal", r.against_proposal),
                ("capacity_override", r.capacity_override)) if on]  # fmt: skip
            out.append([
                day(r.on), {"text": r.from_institution or "—"}, {"text": r.to_institution},
                _person(r), {"text": ", ".join(flags) or "—"}, officer, proof,
            ])  # fmt: skip
    return out


def _officer(measure: str, row: Any) -> str:
    attribute = {"deviations": "recorded_by", "corrections": "recorded_by", "late": "recorded_by",
                 "visits": "booked_by", "transfers": "officer"}[measure]  # fmt: skip
    return str(getattr(row, attribute) or "")


def csv_text(head: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV with a byte-order mark (spreadsheets read UTF-8 then), every text cell inert."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([inert(str(h)) for h in head])
    for row in rows:
        writer.writerow([inert(c) if isinstance(c, str) else c for c in row])
    return "\ufeff" + out.getvalue()


def xlsx_bytes(head: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str) -> bytes:
    """An XLSX workbook of one sheet: numbers as numbers, text written as text (inert)."""
    import xlsxwriter  # type: ignore[import-untyped]

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = book.add_worksheet(inert(sheet)[:31] or "1")
    bold = book.add_format({"bold": True})
    for j, h in enumerate(head):
        ws.write_string(0, j, inert(str(h)), bold)
    n = 0
    for n, row in enumerate(rows, 1):
        for j, c in enumerate(row):
            if isinstance(c, int | float):
                ws.write_number(n, j, c)
            else:
                ws.write_string(n, j, inert(str(c)))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(n, 1), max(len(head) - 1, 0))
    book.close()
    return buf.getvalue()


def report_rows(
    code: str, first: date, last: date
) -> tuple[list[dict[str, Any]], list[str], dict[str, Any]]:
    """An institution's measures for the months from `first` to `last`: its n, k and share against
    the country's over the same months, the exact p-value; and each month's hits."""
    from adaldyq.oversight.stats import binomial_sf

    size = selectors.shown()
    figs = selectors.figures(size=size)
    months = [m for m in selectors.months_of(selectors.scoped(figs, None))
              if first.isoformat()[:7] <= m <= last.isoformat()[:7]]  # fmt: skip
    rows = []
    for measure, counts in figs["measures"].items():
        dated = measure not in selectors.REGISTER_MEASURES
        if dated:
            per = counts["institution_month"].get(code, {})
            n = sum(per.get(m, (0, 0))[0] for m in months)
            k = sum(per.get(m, (0, 0))[1] for m in months)
            all_n = sum(p.get(m, (0, 0))[0] for p in counts["institution_month"].values()
                        for m in months)  # fmt: skip
            all_k = sum(p.get(m, (0, 0))[1] for p in counts["institution_month"].values()
                        for m in months)  # fmt: skip
        else:
            n, k = counts["institution"].get(code, (0, 0))
            all_n = sum(a for a, _b in counts["institution"].values())
            all_k = sum(b for _a, b in counts["institution"].values())
        national = all_k / all_n if all_n else 0.0
        rows.append({
            "measure": MEASURE_LABELS[measure], "cases": CASES_LABELS[measure], "n": n, "k": k,
            "share": k / n if n else None, "national": national if all_n else None,
            "p": binomial_sf(k, n, national) if n and all_n else None,
            "dated": dated,
            "months": [counts["institution_month"].get(code, {}).get(m, (0, 0))[1]
                       for m in months] if dated else [],
        })  # fmt: skip
    from adaldyq.stats import FTE_HOURS_A_MONTH

    hours = figs["hours"].get(code, {})
    fte = [(m, hours[m][0] / FTE_HOURS_A_MONTH, hours[m][1] / FTE_HOURS_A_MONTH)
           for m in sorted(hours) if first.isoformat()[:7] <= m <= last.isoformat()[:7]]  # fmt: skip
    return rows, months, {"size": size, "fte": fte}


def report_html(*, code: str, first: date, last: date, lang: str) -> str:
    """An institution's report for the months from `first` to `last`, as HTML in `lang`."""
    with translation.override(lang):
        institution = Institution.objects.filter(code=code).first()
        rows, months, meta = report_rows(code, first, last)
        return render_to_string(
            "dashboards/report.html",
            {"institution": institution, "code": code, "first": first, "last": last,
             "rows": rows, "months": months, "size": meta["size"], "lang": lang,
             "fte": meta["fte"]},
        )  # fmt: skip


def report_pdf(*, code: str, first: date, last: date, lang: str) -> bytes:
    """The report as PDF bytes (WeasyPrint, DejaVu fonts as the decision documents)."""
    from weasyprint import HTML

    pdf = HTML(string=report_html(code=code, first=first, last=last, lang=lang)).write_pdf()
    assert pdf is not None  # noqa: S101 - write_pdf without a target returns the bytes
    return bytes(pdf)
