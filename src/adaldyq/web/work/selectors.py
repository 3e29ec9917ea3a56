"""Reads of work and study: the places of an institution, the people a list may name, and the month's
figures per institution in full-time equivalents next to the headcount the old reports used."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.fields.json import KT

from adaldyq.files import QUALIFICATION_KINDS
from adaldyq.stats import FTE_HOURS_A_MONTH
from adaldyq.web.institutions.models import Institution
from adaldyq.web.records.models import Fact, Person
from adaldyq.web.work.models import Output, Place
from adaldyq.web.work.services import HOURS_KINDS, held_in, placements


def places_of(institution: str) -> QuerySet[Place]:
    """The places of work and study of one institution."""
    return Place.objects.filter(institution=institution)


def people_for_list(place: Place, on: date) -> list[Person]:
    """The people a list of `place` on `on` may name: those held in its institution that day, as
    the files package folds their placement facts (`services.held_in`); by name."""
    code = place.institution
    named = Fact.objects.filter(
        kind__in=("arrived", "transferred"), on__lte=on, data__institution=code,
        superseded_by__isnull=True, void=False,
    ).values("person_id")  # fmt: skip
    people = list(
        Person.objects.filter(Q(institution__code=code) | Q(pk__in=named), admitted_on__lte=on)
        .select_related("institution")
        .order_by("surname", "given_name", "id")
    )
    stays = placements(p.pk for p in people)
    return [
        p
        for p in people
        if (where := held_in(stays, p, on)) is not None and where.institution == code
    ]


def recorded_at(place: Place, on: date) -> dict[str, float]:
    """The hours already recorded at `place` on `on`, per person."""
    rows = Fact.objects.filter(
        kind=place.fact_kind, on=on, superseded_by__isnull=True, void=False, data__place=place.id
    ).values_list("person_id", "data")
    out: dict[str, float] = {}
    for person, data in rows:
        out[person] = out.get(person, 0.0) + float(data.get("hours") or 0)
    return out


def month_bounds(month: str) -> tuple[date, date]:
    """The first day of `month` (YYYY-MM) and the first of the next; ValueError for another text."""
    start = date.fromisoformat(f"{month}-01")
    end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start, end


@dataclass(slots=True)
class Activity:
    """Work or study of one institution in a month."""

    #: People with any hours in the month: what the old reports counted.
    headcount: int = 0
    hours: float = 0.0

    @property
    def fte(self) -> float:
        """Full-time equivalents: the hours over one full month's hours (`FTE_HOURS_A_MONTH`)."""
        return self.hours / FTE_HOURS_A_MONTH

    @property
    def gap(self) -> float:
        """How many people the headcount counts beyond the full-time work it stands for."""
        return self.headcount - self.fte

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "headcount": self.headcount,
            "hours": round(self.hours, 1),
            "fte": round(self.fte, 2),
            "gap": round(self.gap, 2),
        }


@dataclass(slots=True)
class InstitutionMonth:
    """One institution's month: people held, work, study, certificates, production."""

    institution: str
    population: int = 0
    work: Activity = field(default_factory=Activity)
    study: Activity = field(default_factory=Activity)
    qualifications: dict[str, int] = field(default_factory=dict)
    #: (product, unit) -> quantity.
    production: dict[tuple[str, str], float] = field(default_factory=dict)
    #: People held now with a re-socialisation programme drawn up by the month's end, and those of
    #: them whose programme was reviewed in the month's quarter (Mandela Rule 94; seed 003: the plan
    #: of educational work is a formality).
    with_programme: int = 0
    reviewed: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "institution": self.institution,
            "population": self.population,
            "work": self.work.to_dict(),
            "study": self.study.to_dict(),
            "qualifications": {k: self.qualifications.get(k, 0) for k in QUALIFICATION_KINDS},
            "production": [
                {"product": p, "unit": u, "quantity": round(q, 3)}
                for (p, u), q in sorted(self.production.items())
            ],
            "programmes": {"held": self.population, "with_programme": self.with_programme,
                           "reviewed_in_quarter": self.reviewed},
        }  # fmt: skip


def _standing(kinds: Iterable[str], start: date, end: date) -> QuerySet[Fact]:
    return Fact.objects.filter(
        kind__in=list(kinds), on__gte=start, on__lt=end, superseded_by__isnull=True, void=False
    )


def month_report(*, month: str, institutions: frozenset[str] | None) -> list[InstitutionMonth]:
    """The month's figures of each institution (`None`: all of them), in code order.

    Hours count where they were worked: a day's entry at its place's institution, a month's total
    at the person's institution now. A person counts once per activity and institution.
    """
    start, end = month_bounds(month)
    insts = Institution.objects.order_by("code")
    if institutions is not None:
        insts = insts.filter(code__in=institutions)
    out = {code: InstitutionMonth(code) for code in insts.values_list("code", flat=True)}
    for code, n in _population(out):
        out[code].population = n
    places = Place.objects.all()
    people = Person.objects.all()
    rows = _standing(HOURS_KINDS, start, end)
    if institutions is not None:  # only what counts there: its people's rows, its places' rows
        places = places.filter(institution__in=list(out))
        people = people.filter(institution__code__in=list(out))
        rows = rows.filter(
            Q(person_id__in=people.values("id"))
            | Q(data__place__in=list(places.values_list("id", flat=True)))
        )
    place_inst = dict(places.values_list("id", "institution"))
    held = dict(people.values_list("id", "institution__code"))
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    # the two keys read in SQL: no row's whole JSON is parsed (24,000 rows a month nationally)
    read = rows.values_list("person_id", "kind", KT("data__place"), KT("data__hours"))
    for person, kind, place, hours in read.iterator(chunk_size=5000):
        where = (place_inst.get(place) if place else held.get(person)) or ""
        month_row = out.get(where)
        if month_row is None:
            continue
        activity = month_row.work if kind == "work_hours" else month_row.study
        activity.hours += float(hours or 0)
        if person not in seen[(where, kind)]:
            seen[(where, kind)].add(person)
            activity.headcount += 1
    quals = _standing(["qualification_gained"], start, end).values_list("person_id", "data")
    for person, data in quals:
        month_row = out.get(held.get(person) or "")
        if month_row is not None:
            kind = str(data.get("kind") or "other")
            month_row.qualifications[kind] = month_row.qualifications.get(kind, 0) + 1
    _programmes(out, held, start, end)
    outputs = Output.objects.filter(on__gte=start, on__lt=end, institution__in=list(out))
    for o in outputs.values_list("institution", "product", "unit", "quantity"):
        month_row = out[o[0]]
        month_row.production[(o[1], o[2])] = month_row.production.get((o[1], o[2]), 0.0) + o[3]
    return list(out.values())


def _programmes(
    out: dict[str, InstitutionMonth], held: Mapping[str, str | None], start: date, end: date
) -> None:
    """Count, per institution, the people held with a programme and with a review this quarter."""
    quarter = f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    rows = Fact.objects.filter(
        kind__in=("programme_set", "programme_reviewed"), on__lt=end,
        superseded_by__isnull=True, void=False,
    ).values_list("person_id", "kind", "data")  # fmt: skip
    having: set[str] = set()
    reviewed: set[str] = set()
    for person, kind, data in rows:
        if kind == "programme_set":
            having.add(person)
        elif data.get("quarter") == quarter:
            reviewed.add(person)
    for person in having:
        month_row = out.get(held.get(person) or "")
        if month_row is not None:
            month_row.with_programme += 1
            month_row.reviewed += person in reviewed


def _population(rows: dict[str, InstitutionMonth]) -> list[tuple[str, int]]:
    from django.db.models import Count

    counted = (
        Person.objects.filter(institution__code__in=list(rows))
        .values_list("institution__code")
        .annotate(n=Count("id"))
    )
    return [(str(code), int(n)) for code, n in counted]


def totals(rows: Iterable[InstitutionMonth]) -> InstitutionMonth:
    """The sum over institutions (a person who worked in two counts in each)."""
    total = InstitutionMonth("")
    for r in rows:
        total.population += r.population
        total.with_programme += r.with_programme
        total.reviewed += r.reviewed
        for mine, theirs in ((total.work, r.work), (total.study, r.study)):
            mine.headcount += theirs.headcount
            mine.hours += theirs.hours
        for k, n in r.qualifications.items():
            total.qualifications[k] = total.qualifications.get(k, 0) + n
        for key, q in r.production.items():
            total.production[key] = total.production.get(key, 0.0) + q
    return total


def report_dict(*, month: str, institutions: frozenset[str] | None) -> dict[str, Any]:
    """The month's report as the command prints it (`adaldyq work report --format json`)."""
    rows = month_report(month=month, institutions=institutions)
    total = totals(rows).to_dict()
    total.pop("institution")
    return {
        "month": month,
        "fte_hours": round(FTE_HOURS_A_MONTH, 2),
        "fte_basis": "40 hours a week (Labour Code art. 68) x 52 / 12; P, the project's reading",
        "institutions": [r.to_dict() for r in rows],
        "total": total,
    }
