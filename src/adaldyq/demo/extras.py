"""Extra event types the web application and the ledger record, outside the case vocabulary.

    EXTRA_EVENT_TYPES
    ├── work_hours          {hours, month: "YYYY-MM"}       hours worked in a month (recorded early next month)
    ├── study_hours         {hours, month: "YYYY-MM"}       hours studied in a month
    ├── visitor_registered  {visitor, relationship, approved}  an application to visit, decided
    └── visit               {kind: short|long, visitor, hours | days}

Visits stay within the yearly entitlements of `figures.VISITS_PER_YEAR` (a demo overlay, D):
in each calendar year, at most the lowest entitlement of the conditions held that year. The
visit abuses (above the entitlement, under another prisoner's name, with a visitor who is not
approved) are planted here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from adaldyq.demo import figures as fig
from adaldyq.demo.history import Staff
from adaldyq.demo.model import Event, FieldValue, PlantedAbuse, Sex, Visitor
from adaldyq.demo.names import surname_of, synthetic_name

EXTRA_EVENT_TYPES: Final = frozenset({"work_hours", "study_hours", "visitor_registered", "visit"})
VISIT_ABUSES: Final = frozenset(
    {"visits_above_entitlement", "visit_under_other_prisoner", "visit_unapproved_visitor"}
)
#: Relationships of approved visitors (LAW.md §4: spouses, close relatives, partners with a
#: child in common from 2015), with the visitor's sex.
_RELATIVES: Final[tuple[tuple[str, Sex], ...]] = (
    ("spouse", "female"), ("mother", "female"), ("father", "male"), ("sister", "female"),
    ("brother", "male"), ("son", "male"), ("daughter", "female"), ("partner_with_child", "female"),
)  # fmt: skip
_VISITOR_COUNTS: Final = (0, 1, 2, 3, 4)
_VISITOR_WEIGHTS: Final = (0.2, 0.3, 0.3, 0.15, 0.05)


@dataclass(frozen=True, slots=True)
class OtherVisitor:
    """A visitor registered to another prisoner of the same institution (for one abuse)."""

    person: str
    visitor: str


def extras(
    rng: random.Random,
    *,
    person: str,
    name_ru: str,
    sex: Sex,
    institution: str,
    itype: str,
    arrival: date,
    end: date,
    law_events: list[Event],
    works: bool,
    studies: bool,
    staff: Staff,
    abuse: str | None,
    other: OtherVisitor | None,
) -> tuple[list[Event], tuple[Visitor, ...], list[tuple[PlantedAbuse, list[Event]]]]:
    """Extra events of one person, their visitors, and planted visit abuses (with their events)."""
    out: list[Event] = []
    planted: list[tuple[PlantedAbuse, list[Event]]] = []

    def records() -> str:
        return rng.choice(staff.records)

    # Work and study hours, month by month.
    month = date(arrival.year, arrival.month, 1)
    while True:
        nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        on = nxt + timedelta(days=rng.randint(0, 4))
        if on > end:
            break
        label = f"{month.year:04d}-{month.month:02d}"
        if works:
            out.append(
                Event(on, "work_hours", records(), {"hours": rng.randint(60, 176), "month": label})
            )
        if studies:
            out.append(
                Event(on, "study_hours", records(), {"hours": rng.randint(20, 80), "month": label})
            )
        month = nxt

    # Visitors.
    visitors: list[Visitor] = []
    registered: list[tuple[date, Visitor]] = []
    count = rng.choices(_VISITOR_COUNTS, _VISITOR_WEIGHTS)[0]
    if abuse == "visit_under_other_prisoner":
        count = 0
    elif abuse in VISIT_ABUSES and count == 0:
        count = 1
    family = surname_of(name_ru)
    for n in range(count):
        relationship, vsex = rng.choice(_RELATIVES)
        kk, ru = synthetic_name(rng, vsex, surname=None if relationship == "spouse" else family)
        visitors.append(Visitor(f"{person}/V{n + 1}", kk, ru, relationship, True))
    if abuse == "visit_unapproved_visitor":
        kk, ru = synthetic_name(rng, "male")
        visitors.append(Visitor(f"{person}/V{count + 1}", kk, ru, "acquaintance", False))
    for v in visitors:
        on = min(end, arrival + timedelta(days=rng.randint(1, 60)))
        data: dict[str, FieldValue] = {
            "visitor": v.id,
            "relationship": v.relationship,
            "approved": v.approved,
        }
        event = Event(on, "visitor_registered", records(), data)
        out.append(event)
        registered.append((on, v))

    # Visits, year by year, within the lowest entitlement of the conditions held that year.
    timeline = [(e.on, str(e.data.get("to", e.data.get("condition", "regular"))))
                for e in law_events if e.type in ("arrived", "condition_changed")]  # fmt: skip
    use = rng.uniform(0.3, 0.9)
    approved = [(d, v) for d, v in registered if v.approved]
    excess_year = None
    if abuse == "visits_above_entitlement":
        excess_year = rng.randint(arrival.year, end.year)
    excess: list[Event] = []
    entitlement = 0
    for year in range(arrival.year, end.year + 1):
        start, stop = max(arrival, date(year, 1, 1)), min(end, date(year, 12, 31))
        if start >= stop or not approved:
            continue
        held = {c for d, c in timeline if start <= d <= stop}
        held.add(next((c for d, c in reversed(timeline) if d < start), "regular"))
        short = min(fig.VISITS_PER_YEAR[(itype, c)][0] for c in held)
        long_ = min(fig.VISITS_PER_YEAR[(itype, c)][1] for c in held)
        share = (stop - start).days / 365
        for kind, allowed in (("short", short), ("long", long_)):
            n = min(allowed, round(allowed * share * use))
            extra = 0
            if year == excess_year and kind == "short" and len(held) > 1:
                excess_year += 1  # plant in a year of one condition, where the excess is plain
            if year == excess_year and kind == "short" and allowed > 0:
                extra = max(1, allowed - n) + rng.randint(1, 2)
                entitlement = allowed
            span = (stop - start).days
            dates = sorted(start + timedelta(days=rng.randint(0, span)) for _ in range(n + extra))
            count = 0
            for on in dates:
                who = [v for d, v in approved if d < on]
                if not who:
                    continue
                planted_here = extra > 0 and count >= allowed
                officer = staff.suspect_records if planted_here else records()
                event = _visit(rng, on, kind, rng.choice(who).id, officer)
                out.append(event)
                count += 1
                if planted_here:
                    excess.append(event)
    if excess:
        abuse_ = PlantedAbuse(
            "visits_above_entitlement", person, institution, staff.suspect_records, (),
            excess[0].on, {"year": excess[0].on.year, "kind": "short", "entitlement": entitlement},
        )  # fmt: skip
        planted.append((abuse_, excess))

    if abuse == "visit_unapproved_visitor":
        unapproved = next(v for v in visitors if not v.approved)
        reg = next(
            e for e in out if e.type == "visitor_registered" and e.data["visitor"] == unapproved.id
        )
        on = reg.on + timedelta(days=rng.randint(7, 120))
        if on <= end:
            event = _visit(
                rng, on, rng.choice(("short", "long")), unapproved.id, staff.suspect_records
            )
            out.append(event)
            planted.append((
                PlantedAbuse("visit_unapproved_visitor", person, institution, staff.suspect_records, (), on,
                             {"visitor": unapproved.id, "relationship": unapproved.relationship}),
                [reg, event],
            ))  # fmt: skip
    if abuse == "visit_under_other_prisoner" and other is not None:
        on = arrival + timedelta(days=rng.randint(30, max(31, (end - arrival).days)))
        if on <= end:
            event = _visit(rng, on, "long", other.visitor, staff.suspect_records)
            out.append(event)
            planted.append((
                PlantedAbuse("visit_under_other_prisoner", person, institution, staff.suspect_records, (), on,
                             {"visitor": other.visitor, "visitor_of": other.person}),
                [event],
            ))  # fmt: skip
    out.sort(key=lambda e: e.on)
    return out, tuple(visitors), planted


def _visit(rng: random.Random, on: date, kind: str, visitor: str, officer: str) -> Event:
    data: dict[str, FieldValue] = {"kind": kind, "visitor": visitor}
    if kind == "short":
        data["hours"] = fig.SHORT_VISIT_HOURS
    else:
        long = on >= fig.LONG_VISIT_DAYS_SINCE
        data["days"] = fig.LONG_VISIT_DAYS if long else fig.LONG_VISIT_DAYS_BEFORE
    return Event(on, "visit", officer, data)
