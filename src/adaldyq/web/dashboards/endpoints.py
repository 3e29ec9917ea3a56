"""Statistics over HTTP (ADR 0041): the dashboards' rates per region, institution, commission or
officer as of the latest signed checkpoint, within the reader's institutions, beside the national
share, each unit with its exact test (the dashboards' selectors: the same figures as the pages)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError

from adaldyq.web.accounts.scope import can_see_register, register_institutions
from adaldyq.web.apikit import REFUSALS, ErrorOut
from adaldyq.web.dashboards import selectors

router = Router(tags=["statistics"])

Level = Literal["region", "institution", "commission", "officer"]
MeasureName = Literal[
    "deviations", "award_delays", "without_grounds", "penalties_before", "corrections", "late",
    "long_visits", "visits", "transfers",
]  # fmt: skip


@router.get("/statistics", response={200: dict[str, Any], **REFUSALS, 503: ErrorOut})
def statistics(
    request: HttpRequest, level: Level = "institution", measure: MeasureName | None = None
) -> dict[str, Any]:
    """For each measure the level has (or the one asked for): the national cases (n), hits (k) and
    share, and each unit's n, k, share, p-value, q-value (Benjamini-Hochberg) and whether it stands
    out (q <= 0.05 and at least 1.5 times the national share, ADR 0025). No personal data: the
    rows behind a count are on the dashboards' pages. `checkpoint`: the ledger size counted."""
    if not can_see_register(request.user):
        raise HttpError(
            403,
            _("Only oversight bodies, the committee and regional departments read the register."),
        )
    size = selectors.shown()
    figs = selectors.scoped(selectors.figures(size=size), register_institutions(request.user))
    names = [m for m, spec in selectors.MEASURES.items() if level in spec.levels]
    if measure is not None:
        names = [m for m in names if m == measure]
    out: dict[str, Any] = {}
    for name in names:
        share, rates = selectors.rates(figs, name, level)
        n, k = selectors.national(figs, name)
        out[name] = {
            "national": {"n": n, "k": k, "share": share},
            "units": [
                {"unit": r.unit, "n": r.n, "k": r.k, "share": r.share, "p": r.p, "q": r.q,
                 "stands_out": r.stands_out}
                for r in rates
            ],
        }  # fmt: skip
    return {"checkpoint": size, "level": level, "measures": out}
