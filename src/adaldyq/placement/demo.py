"""The synthetic population as placement sees it (for the CLI, benchmarks and tests).

The demo does not record a person's category, so it is read from where they are: a person in an
institution for minors is a minor, one in a medical institution needs treatment, one in a mixed
unit is on household work (P, demo only). The web reads these from the personal file instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from adaldyq.demo.model import Institution, Person, Population
from adaldyq.demo.synth import person_as_case
from adaldyq.law import LawPack, evaluate, parse_case
from adaldyq.placement.change_of_type import TypeChange, TypeChangeCase, change_of_type
from adaldyq.placement.model import Profile, Site
from adaldyq.placement.rules import PlacementRules


def demo_sites(population: Population) -> tuple[Site, ...]:
    """The population's institutions as sites."""
    return tuple(Site.of(i) for i in population.institutions)


def demo_profile(person: Person, institution: Institution) -> Profile:
    """A person's profile, the category read from their institution (P, demo only)."""
    return Profile(
        id=person.id,
        sex=person.sex,
        home_region=person.home_region,
        type=person.institution_type,
        minor=institution.minors,
        medical=institution.medical,
        sentenced_on=person.sentence.start,
    )


def demo_profiles(population: Population) -> tuple[Profile, ...]:
    """Every person's profile."""
    by_id = {i.id: i for i in population.institutions}
    return tuple(demo_profile(p, by_id[p.institution]) for p in population.people)


def demo_current(population: Population) -> dict[str, str]:
    """Person id -> the institution they are in."""
    return {p.id: p.institution for p in population.people}


def demo_occupancy(people: Iterable[Person]) -> Counter[str]:
    """Institution id -> people held there."""
    return Counter(p.institution for p in people)


def demo_type_changes(
    population: Population, *, on: date, law: LawPack, rules: PlacementRules | None = None
) -> list[TypeChange]:
    """Art. 96 for every person in a type it applies to, degree and condition from the law engine."""
    out: list[TypeChange] = []
    for person in population.people:
        if person.institution_type not in ("complete", "medium", "maximum"):
            continue
        case = parse_case(person_as_case(person, on))
        result = evaluate(case.person, case.events, on=on, law=law, case_id=case.id)
        arrived = next((e.on for e in person.events if e.type == "arrived"), None)
        change = change_of_type(
            TypeChangeCase(
                person=person.id,
                type=person.institution_type,
                condition=result.condition,
                degree=result.degree,
                gravity=person.gravity,
                sentence_start=person.sentence.start,
                term_days=case.person.sentence.term_days,
                in_type_since=arrived,
            ),
            on=on,
            rules=rules,
        )
        if change is not None:
            out.append(change)
    return out
