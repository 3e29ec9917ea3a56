"""The probation register (issue 19), read from the personal files: people released on parole or
substitution, within the reader's regions (`accounts.scope.probation_regions`)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from adaldyq.release.probation import OPENING_GROUNDS, ProbationFile, figures, probation_of
from adaldyq.web.institutions.models import Institution
from adaldyq.web.records.models import Fact, Person
from adaldyq.web.records.selectors import case_facts, personal_file


def _institution_regions() -> dict[str, str]:
    return {str(c): str(r) for c, r in Institution.objects.values_list("code", "region_id")}


def region_of(person: Person, regions: dict[str, str] | None = None) -> str:
    """The region of a person's probation: the one the release names, else where they live, else
    the region of the institution they were released from (or are held in)."""
    if person.released_to:
        return str(person.released_to)
    if person.home_region:
        return str(person.home_region)
    if person.released_from:
        found = (regions if regions is not None else _institution_regions()).get(
            person.released_from
        )
        return found or ""
    return str(person.institution.region_id) if person.institution is not None else ""


def _released_people(regions: frozenset[str] | None) -> list[Person]:
    ids = Fact.objects.filter(
        kind="released", superseded_by__isnull=True, void=False,
        data__ground__in=sorted(OPENING_GROUNDS),
    ).values_list("person_id", flat=True)  # fmt: skip
    people = Person.objects.filter(pk__in=ids).select_related("institution")
    if regions is not None:
        codes = Institution.objects.filter(region_id__in=regions).values_list("code", flat=True)
        people = people.filter(
            Q(released_to__in=regions)
            | Q(released_to="", home_region__in=regions)
            | Q(released_to="", home_region="", released_from__in=codes)
            | Q(
                released_to="", home_region="", released_from="", institution__region_id__in=regions
            )
        )
    return list(people.order_by("surname", "given_name", "id"))


def probation_files(regions: frozenset[str] | None) -> list[tuple[Person, ProbationFile]]:
    """Every probation file in `regions` (None: all), each person's file folded once."""
    people = _released_people(regions)
    rows = case_facts([p.pk for p in people])
    where = _institution_regions()
    out = []
    for person in people:
        pf = personal_file(person, facts=rows.get(person.pk, []))
        p = probation_of(pf, region=region_of(person, where))
        if p is not None:
            out.append((person, p))
    return out


def probation_file(person: Person) -> ProbationFile | None:
    """One person's probation file (None: not released on parole or substitution)."""
    rows = list(Fact.objects.filter(person=person, superseded_by__isnull=True, void=False))
    return probation_of(personal_file(person, facts=rows), region=region_of(person))


def report(regions: frozenset[str] | None, *, on: date) -> dict[str, object]:
    """The figures of `adaldyq probation report` and `/probation/report/`."""
    return figures((p for _, p in probation_files(regions)), on=on)
