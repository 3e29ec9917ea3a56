"""The dashboards' figures: rates per unit and month, computed in the database at a signed checkpoint.

    checkpoint()                                  the newest signed tree size (0: none yet)
    shown()                                       the checkpoint whose figures the pages show
    figures(size=..., visible=...)                every measure per institution, officer, commission
                                                  session and month, as of checkpoint `size`, cached
    rates(figures, measure, level)                units with n, k, share, exact p and BH q (ADR 0025)
    items(measure=..., unit=..., size=..., ...)   the rows behind one figure (a queryset)

Every figure counts rows of the ledger's read models (decisions, facts, bookings, moves: each row
names its entry's sequence number) up to the newest signed checkpoint, so that the figure is the same
whenever it is recomputed at that checkpoint and names it. The counts are SQL aggregates (GROUP BY);
the result of one computation is kept in Django's cache under the checkpoint and the reader's scope,
so a page reads them once per checkpoint. Nothing is counted by hand.

Award delays and visits above the entitlement need the law engine: they come from the deviation
register (`adaldyq.oversight`), built once per checkpoint in the same cache (`register_units`).

A server signs a checkpoint every minute while anyone works (each page view is an access entry), and
the figures of a checkpoint take long to compute (the register: about 20 s on the small demo under
load, 30 s on the national). The pages therefore show the figures of the newest checkpoint computed
(`shown`), and compute those of the newest signed one in the background at most once every
`settings.DASHBOARDS_REFRESH_SECONDS` (ADR 0032's addendum). Figures never computed in the database
are computed in the background too: the reader waits up to `WAIT_FOR_FIGURES` seconds, then is told
to come back (503). `adaldyq oversight figures` computes the newest at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.db.models import Count, DateField, ExpressionWrapper, F, FloatField, Q, QuerySet, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, TruncMonth

from adaldyq.ledger import sql
from adaldyq.oversight.stats import bh_adjust, binomial_sf
from adaldyq.web.decisions.models import Decision
from adaldyq.web.errors import FIGURES_COMPUTING, NotReadyError
from adaldyq.web.institutions.models import Institution
from adaldyq.web.records.models import Fact, Person
from adaldyq.web.transfers.models import Move
from adaldyq.web.visits.models import Booking

__all__ = [
    "LATE_DAYS",
    "LEVELS",
    "MEASURES",
    "Measure",
    "Rate",
    "checkpoint",
    "figures",
    "items",
    "rates",
    "register_units",
    "shown",
]

#: A fact recorded more than this many days after its day is a late entry (ADR 0025's `late_days`, P).
LATE_DAYS = 30
#: Facts recorded at one moment in a batch larger than this are a load of history (the demo, a
#: migration of paper files), not late entries of an officer (ADR 0025's addendum).
BATCH = 50
#: The levels a dashboard groups by.
LEVELS = ("region", "institution", "commission", "officer")
#: The cache's version: bump it when the shape of the figures changes.
_VERSION = 2
_DAY = 24 * 3600


@dataclass(frozen=True, slots=True)
class Measure:
    """A rate: hits (k) among cases (n) of one read model."""

    key: str
    #: the levels it has (a fact has no commission session; a move no commission)
    levels: tuple[str, ...]


_REGION_LEVELS = ("region", "institution", "officer")
MEASURES: dict[str, Measure] = {
    "deviations": Measure("deviations", ("region", "institution", "commission", "officer")),
    "award_delays": Measure("award_delays", _REGION_LEVELS),
    "without_grounds": Measure("without_grounds", _REGION_LEVELS),
    "penalties_before": Measure("penalties_before", _REGION_LEVELS),
    "corrections": Measure("corrections", _REGION_LEVELS),
    "late": Measure("late", _REGION_LEVELS),
    "long_visits": Measure("long_visits", _REGION_LEVELS),
    "visits": Measure("visits", _REGION_LEVELS),
    "transfers": Measure("transfers", _REGION_LEVELS),
}
#: The deviation register's measures (ADR 0025; the law engine on every file) by our names.
REGISTER_MEASURES = {
    "award_delays": "late_decisions",
    "without_grounds": "decisions_without_grounds",
    "penalties_before": "penalties_before_qualifying",
    "long_visits": "long_visits",
}
#: The register's kind of flag listing each register measure's hits (long visits: its findings).
REGISTER_KINDS: dict[str, str] = {
    "award_delays": "delayed_award",
    "without_grounds": "decision_without_grounds",
    "penalties_before": "penalty_before_qualifying",
    "long_visits": "long_visits",
}


def checkpoint() -> int:
    """The size of the newest signed checkpoint (0 when nothing is signed yet)."""
    with connection.cursor() as cursor:
        if not sql.table_exists(cursor, "ledger_checkpoints"):
            return 0
        return sql.read_signed_size(cursor)


def _tree(size: int) -> str:
    """The cache's name of the tree of `size` entries: its size and root hash (one tree per key,
    whatever database the cache outlives)."""
    if not size:
        return "0"
    with connection.cursor() as cursor:
        return f"{size}-{sql.read_root(cursor, size).hex()[:32]}"


def _cases(measure: str, size: int) -> tuple[QuerySet[Any], dict[str, str], Q]:
    """The rows of a measure up to `size`, the field of each unit, and the condition of a hit."""
    if measure == "deviations":
        return (
            Decision.objects.filter(seq__lt=size),
            {"institution": "institution_code", "officer": "recorded_by",
             "commission": "session_id", "month": "on"},
            Q(deviates=True),
        )  # fmt: skip
    if measure in ("corrections", "late"):
        qs = Fact.objects.filter(seq__lt=size)
        fields = {"institution": "person__institution__code", "officer": "recorded_by",
                  "month": "on"}  # fmt: skip
        if measure == "corrections":
            return qs, fields, Q(corrects__isnull=False)
        return qs, fields, Q()  # the late ones: `_late_facts`
    if measure == "visits":
        return (
            Booking.objects.filter(seq__lt=size),
            {"institution": "institution", "officer": "booked_by", "month": "day"},
            ~Q(overrides=[]),
        )
    if measure == "transfers":
        return (
            Move.objects.filter(seq__lt=size),
            {"institution": "to_institution", "officer": "officer", "month": "on"},
            Q(out_of_order=True) | Q(over_capacity=True) | Q(against_proposal=True)
            | Q(capacity_override=True),
        )  # fmt: skip
    raise KeyError(measure)


def _late_facts(qs: QuerySet[Fact], moments: Iterable[str]) -> QuerySet[Fact]:
    """The facts recorded more than LATE_DAYS after their day at one of `moments` (the moments of
    recording outside a load of history that hold a late fact: `figures`' `late_at`)."""
    moments = list(moments)
    if not moments:
        return qs.none()
    cutoff = ExpressionWrapper(F("on") + timedelta(days=LATE_DAYS), output_field=DateField())
    return qs.filter(recorded_at__in=moments).filter(recorded_at__date__gt=cutoff)


def _in_scope(qs: QuerySet[Any], field: str, visible: frozenset[str] | None) -> QuerySet[Any]:
    return qs if visible is None else qs.filter(**{f"{field}__in": visible})


def _count(measure: str, size: int) -> dict[str, Any]:
    """A measure's (n, k) per institution, officer, commission session and institution-month."""
    qs, fields, hit = _cases(measure, size)
    counted = {"n": Count("pk"), "k": Count("pk", filter=hit)}
    out: dict[str, Any] = {}
    for level in ("institution", "officer", "commission"):
        if level not in fields:
            continue
        rows = qs.values(unit=F(fields[level])).annotate(**counted).order_by("unit")
        out[level] = {str(r["unit"] or ""): (r["n"], r["k"]) for r in rows}
    pairs = (
        qs.values(unit=F(fields["officer"]), inst=F(fields["institution"]))
        .annotate(n=Count("pk"))
        .order_by("unit", "-n")
    )
    homes: dict[str, str] = {}
    for r in pairs:  # an officer's institution: where most of their cases are
        homes.setdefault(str(r["unit"] or ""), str(r["inst"] or ""))
    out["officer_institution"] = homes
    if "commission" in fields:
        sessions = qs.values(unit=F("session_id"), inst=F("institution_code")).distinct()
        out["commission_institution"] = {str(r["unit"]): str(r["inst"]) for r in sessions}
    months = (
        qs.annotate(m=TruncMonth(fields["month"]))
        .values("m", inst=F(fields["institution"]))
        .annotate(**counted)
        .order_by("m")
    )
    by_month: dict[str, dict[str, tuple[int, int]]] = {}
    for r in months:
        if r["m"] is not None:
            by_month.setdefault(str(r["inst"] or ""), {})[_month(r["m"])] = (r["n"], r["k"])
    out["institution_month"] = by_month
    return out


def _month(value: Any) -> str:
    """A month truncated by the database (a date, or a datetime on some backends) as "YYYY-MM"."""
    day = value.date() if hasattr(value, "date") else value
    return str(day.isoformat())[:7]


def _count_facts(size: int) -> dict[str, dict[str, Any]]:
    """Corrections and late entries in one pass over the facts: grouped by institution, officer,
    month of the fact's day and the moment of recording, so that a load of history (more than BATCH
    facts recorded at one moment) is told apart from an officer's late entries."""
    qs = Fact.objects.filter(seq__lt=size)
    cutoff = ExpressionWrapper(F("on") + timedelta(days=LATE_DAYS), output_field=DateField())
    rows = list(
        qs.annotate(m=TruncMonth("on"))
        .values(inst=F("person__institution__code"), officer=F("recorded_by"), month=F("m"),
                at=F("recorded_at"))
        .annotate(n=Count("pk"), corr=Count("pk", filter=Q(corrects__isnull=False)),
                  late=Count("pk", filter=Q(recorded_at__date__gt=cutoff)))
        .order_by()
    )  # fmt: skip
    batch: dict[Any, int] = {}
    for r in rows:
        batch[r["at"]] = batch.get(r["at"], 0) + r["n"]
    out: dict[str, dict[str, Any]] = {
        m: {"institution": {}, "officer": {}, "institution_month": {}, "officer_institution": {}}
        for m in ("corrections", "late")
    }
    weight: dict[tuple[str, str], int] = {}
    late_at: set[str] = set()
    for r in rows:
        inst, officer = str(r["inst"] or ""), str(r["officer"] or "")
        month = _month(r["month"]) if r["month"] is not None else ""
        late = 0 if batch[r["at"]] > BATCH else r["late"]
        if late:
            late_at.add(r["at"].isoformat())
        for measure, k in (("corrections", r["corr"]), ("late", late)):
            counts = out[measure]
            for level, unit in (("institution", inst), ("officer", officer)):
                n0, k0 = counts[level].get(unit, (0, 0))
                counts[level][unit] = (n0 + r["n"], k0 + k)
            months = counts["institution_month"].setdefault(inst, {})
            n0, k0 = months.get(month, (0, 0))
            months[month] = (n0 + r["n"], k0 + k)
        weight[(officer, inst)] = weight.get((officer, inst), 0) + r["n"]
    out["late"]["late_at"] = sorted(late_at)
    homes: dict[str, tuple[int, str]] = {}
    for (officer, inst), n in weight.items():
        if n > homes.get(officer, (0, ""))[0]:
            homes[officer] = (n, inst)
    for counts in out.values():
        counts["officer_institution"] = {o: inst for o, (_n, inst) in homes.items()}
    return out


def _hours(size: int) -> dict[str, dict[str, tuple[float, float]]]:
    """Institution -> month -> (hours of work, hours of study) recorded in `work_hours` and
    `study_hours` facts (each names its month), summed in the database; a corrected or withdrawn
    fact is left out (its correction counts in its place)."""
    month = KeyTextTransform("month", "data")
    hours = Cast(KeyTextTransform("hours", "data"), FloatField())
    rows = (
        Fact.objects.filter(seq__lt=size, kind__in=("work_hours", "study_hours"), void=False,
                            superseded_by__isnull=True)
        .values("kind", inst=F("person__institution__code"), m=month)
        .annotate(h=Sum(hours))
        .order_by()
    )  # fmt: skip
    out: dict[str, dict[str, tuple[float, float]]] = {}
    for r in rows:
        if not r["m"] or r["h"] is None:
            continue
        per = out.setdefault(str(r["inst"] or ""), {})
        work, study = per.get(str(r["m"]), (0.0, 0.0))
        if r["kind"] == "work_hours":
            work += float(r["h"])
        else:
            study += float(r["h"])
        per[str(r["m"])] = (work, study)
    return out


def _occupancy(visible: frozenset[str] | None) -> dict[str, tuple[int, int]]:
    """Institution -> (people placed there now, capacity)."""
    insts = Institution.objects.all()
    if visible is not None:
        insts = insts.filter(code__in=visible)
    held = dict(
        Person.objects.filter(institution__in=insts)
        .values_list("institution__code")
        .annotate(n=Count("id"))
        .values_list("institution__code", "n")
    )
    return {i.code: (held.get(i.code, 0), i.capacity) for i in insts}


_LATEST = f"dashboards:v{_VERSION}:latest"
_COMPUTING = f"dashboards:v{_VERSION}:computing"
_log = logging.getLogger(__name__)
#: How long a reader waits for figures never computed before, then is told (503) to come back.
WAIT_FOR_FIGURES = 20.0
#: The name of the thread that computes a newer checkpoint's figures.
REFRESHER = "dashboards-refresh"


class FiguresComputingError(NotReadyError):
    """The figures were never computed in this database and are being computed: come back."""

    what = FIGURES_COMPUTING


def shown() -> int:
    """The checkpoint whose figures the pages show: the newest signed one when its figures are
    computed; otherwise the newest computed, while the newest signed one's are computed in the
    background, at most once every `DASHBOARDS_REFRESH_SECONDS` (0: always the newest, computed now).
    When none were ever computed they are computed in the background too, and the reader waits up to
    `WAIT_FOR_FIGURES` seconds for them, then gets `FiguresComputingError` (503, come back later)."""
    size = checkpoint()
    refresh = float(getattr(settings, "DASHBOARDS_REFRESH_SECONDS", 0))
    if not refresh:
        return size
    key = _figures_key(size)
    if cache.has_key(key):
        return size
    latest = cache.get(_LATEST)
    if latest is None or latest["size"] > size:
        # none computed (or of another ledger): computed apart, waited for a while, else 503
        _start(size)
        waited = 0.0
        while not cache.has_key(key):
            if waited >= WAIT_FOR_FIGURES:
                raise FiguresComputingError
            time.sleep(0.5)
            waited += 0.5
        return size
    if time.time() - latest["at"] >= refresh:
        _start(size)
    return int(latest["size"])


def _figures_key(size: int) -> str:
    return f"dashboards:v{_VERSION}:figures:{_tree(size)}"


def _start(size: int) -> None:
    """Compute the figures of checkpoint `size` on a thread, unless a computation is under way."""
    if cache.add(_COMPUTING, size, timeout=3600):
        threading.Thread(target=_compute_apart, args=(size,), name=REFRESHER, daemon=True).start()


def _compute_apart(size: int) -> None:
    """`figures(size=size)` on a thread of its own (its own database connection, closed after)."""
    try:
        figures(size=size)
    except Exception:  # a failed round is logged; the next page view after the refresh tries again
        _log.exception("dashboards: the figures of checkpoint %s were not computed", size)
    finally:
        cache.delete(_COMPUTING)
        connections.close_all()


def figures(*, size: int) -> dict[str, Any]:
    """Every measure's counts per unit and institution-month as of checkpoint `size`, for the whole
    country, computed once per checkpoint (a scope is a filter of them: `scoped`)."""
    key = _figures_key(size)
    found = cache.get(key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    out: dict[str, Any] = {"size": size, "measures": _count_facts(size)}
    for measure in ("deviations", "visits", "transfers"):
        out["measures"][measure] = _count(measure, size)
    register = register_units(size) or compute_register(size)
    for name, measure in REGISTER_MEASURES.items():
        counts: dict[str, Any] = {"institution": {}, "officer": {}, "officer_institution": {},
                                  "institution_month": {}}  # fmt: skip
        for u in register["units"]:
            if u["measure"] == measure and u["level"] in ("institution", "officer"):
                counts[u["level"]][u["unit"]] = (u["n"], u["k"])
                if u["level"] == "officer":
                    counts["officer_institution"][u["unit"]] = u["institution"]
        out["measures"][name] = counts
    out["findings"] = register["findings"]
    out["hours"] = _hours(size)
    cache.set(key, out, timeout=7 * _DAY)
    latest = cache.get(_LATEST)
    if latest is None or latest["size"] <= size:
        cache.set(_LATEST, {"size": size, "at": time.time()}, timeout=7 * _DAY)
    return out


def scoped(figs: Mapping[str, Any], visible: frozenset[str] | None) -> dict[str, Any]:
    """The figures of the institutions in `visible` (None: all): their units, the officers whose
    cases are mostly there, the commissions that sit there, and their months; the national
    counts stay beside them (`national`) as the measure of comparison."""
    out: dict[str, Any] = {"size": figs["size"], "measures": {}, "national": {}}
    for name, counts in figs["measures"].items():
        insts = counts["institution"]
        out["national"][name] = (
            sum(n for n, _k in insts.values()),
            sum(k for _n, k in insts.values()),
        )

        def keep(code: str) -> bool:
            return visible is None or code in visible

        homes = counts["officer_institution"]
        sessions = counts.get("commission_institution", {})
        mine: dict[str, Any] = {
            "institution": {u: v for u, v in insts.items() if keep(u)},
            "officer": {u: v for u, v in counts["officer"].items() if keep(homes.get(u, ""))},
            "officer_institution": homes,
        }
        if "commission" in counts:
            mine["commission"] = {
                u: v for u, v in counts["commission"].items() if keep(sessions.get(u, ""))
            }
            mine["commission_institution"] = sessions
        months: dict[str, tuple[int, int]] = {}
        for inst, per in counts["institution_month"].items():
            if keep(inst):
                for m, (n, k) in per.items():
                    n0, k0 = months.get(m, (0, 0))
                    months[m] = (n0 + n, k0 + k)
        mine["month"] = dict(sorted(months.items()))
        mine["institution_month"] = {
            i: per for i, per in counts["institution_month"].items() if keep(i)
        }
        out["measures"][name] = mine
    out["occupancy"] = _occupancy(visible)
    out["hours"] = {i: per for i, per in figs["hours"].items() if visible is None or i in visible}
    return out


def fte(figs: Mapping[str, Any]) -> tuple[str, dict[str, tuple[float, float]], dict[str, Any]]:
    """Work and study in full-time equivalents (hours / FTE_HOURS_A_MONTH, the public figures' P
    reading of the Labour Code's 40-hour week): the latest month with hours, each institution's
    (work, study) FTE in it, and the scope's (work, study) FTE month by month."""
    from adaldyq.stats import FTE_HOURS_A_MONTH

    months = sorted({m for per in figs["hours"].values() for m in per})
    if not months:
        return "", {}, {}
    latest = months[-1]
    per_inst = {
        inst: (per[latest][0] / FTE_HOURS_A_MONTH, per[latest][1] / FTE_HOURS_A_MONTH)
        for inst, per in figs["hours"].items()
        if latest in per
    }
    by_month = {
        m: (
            sum(per.get(m, (0.0, 0.0))[0] for per in figs["hours"].values()) / FTE_HOURS_A_MONTH,
            sum(per.get(m, (0.0, 0.0))[1] for per in figs["hours"].values()) / FTE_HOURS_A_MONTH,
        )
        for m in months
    }
    return latest, per_inst, by_month


@dataclass(frozen=True, slots=True)
class Rate:
    """One unit of a measure: cases, hits, share and the exact test against the national share."""

    unit: str
    n: int
    k: int
    share: float
    p: float
    q: float
    stands_out: bool


def units_of(figs: Mapping[str, Any], measure: str, level: str) -> dict[str, tuple[int, int]]:
    """The (n, k) of each unit of `level`: a region sums its institutions."""
    counts = figs["measures"][measure]
    if level != "region":
        return dict(counts.get(level, {}))
    regions = dict(Institution.objects.values_list("code", "region_id"))
    out: dict[str, tuple[int, int]] = {}
    for code, (n, k) in counts.get("institution", {}).items():
        region = regions.get(code, "")
        a, b = out.get(region, (0, 0))
        out[region] = (a + n, b + k)
    return out


def national(figs: Mapping[str, Any], measure: str) -> tuple[int, int]:
    """The (n, k) of a measure over the whole country."""
    n, k = figs["national"][measure]
    return int(n), int(k)


def rates(
    figs: Mapping[str, Any], measure: str, level: str, *, fdr: float = 0.05, min_ratio: float = 1.5
) -> tuple[float, list[Rate]]:
    """The national share and each unit's exact one-sided binomial p-value against it, with its
    Benjamini-Hochberg q-value across the level's units; a unit stands out when q <= fdr and its
    share is at least min_ratio times the national one (ADR 0025's thresholds)."""
    n_all, k_all = national(figs, measure)
    share = k_all / n_all if n_all else 0.0
    found = [(u, n, k) for u, (n, k) in sorted(units_of(figs, measure, level).items()) if n]
    ps = [binomial_sf(k, n, share) for _u, n, k in found]
    qs = bh_adjust(ps)
    out = [
        Rate(u, n, k, k / n, p, q, q <= fdr and share > 0 and k / n >= min_ratio * share)
        for (u, n, k), p, q in zip(found, ps, qs, strict=True)
    ]
    return share, out


def register_units(size: int) -> dict[str, Any] | None:
    """The deviation register's rate units (award delays, decisions without grounds, penalties
    before qualifying, long visits) and its findings per institution and kind, at checkpoint `size`;
    None until computed (`compute_register`)."""
    return cache.get(f"dashboards:v{_VERSION}:register:{_tree(size)}")  # type: ignore[no-any-return]


def compute_register(size: int) -> dict[str, Any]:
    """Build the deviation register (the law engine on every file) and keep its units per checkpoint."""
    from adaldyq.oversight import build_register
    from adaldyq.web.institutions.register import institution_types, read_sites
    from adaldyq.web.records.selectors import law_pack

    with connection.cursor() as cursor:
        sites = read_sites(cursor)
        reg = build_register(cursor, law=law_pack(), register=institution_types(sites))
        try:
            units = reg.rate_units()
            findings: dict[str, dict[str, int]] = {}
            for f in reg.flags(classes=("finding",)):
                per = findings.setdefault(f.institution, {})
                per[f.kind] = per.get(f.kind, 0) + 1
        finally:
            reg.close()
    out = {
        "size": size,
        "units": [{k: v for k, v in u.items() if k != "hits"} for u in units],
        "findings": findings,
    }
    cache.set(f"dashboards:v{_VERSION}:register:{_tree(size)}", out, timeout=7 * _DAY)
    return out


def items(
    *,
    measure: str,
    size: int,
    visible: frozenset[str] | None,
    level: str = "",
    unit: str = "",
    month: str = "",
    hits_only: bool = True,
) -> QuerySet[Any]:
    """The rows behind a figure: the cases (or only the hits) of a measure, of one unit and month."""
    qs, fields, hit = _cases(measure, size)
    qs = _in_scope(qs, fields["institution"], visible)
    if measure == "late":
        qs = _late_facts(qs, figures(size=size)["measures"]["late"]["late_at"])
    if hits_only:
        qs = qs.filter(hit)
    if level == "region" and unit:
        codes = Institution.objects.filter(region_id=unit).values_list("code", flat=True)
        qs = qs.filter(**{f"{fields['institution']}__in": list(codes)})
    elif level and unit and level in fields:
        qs = qs.filter(**{fields[level]: unit})
    if month:
        first = date.fromisoformat(f"{month}-01")
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        qs = qs.filter(**{f"{fields['month']}__gte": first, f"{fields['month']}__lt": following})
    return qs.order_by("-seq")


def months_of(figs: Mapping[str, Any]) -> list[str]:
    """Every month from the first any measure has to the last, in order (none left out)."""
    found: set[str] = set()
    for counts in figs["measures"].values():
        found.update(m for m in counts.get("month", {}) if m)
    if not found:
        return []
    first, last = date.fromisoformat(min(found) + "-01"), date.fromisoformat(max(found) + "-01")
    out, day = [], first
    while day <= last:
        out.append(day.isoformat()[:7])
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out


def people_of(rows: Iterable[Any]) -> list[str]:
    """The people a list of rows names (for the access entry)."""
    return [str(r.person_id) for r in rows if getattr(r, "person_id", None)]
