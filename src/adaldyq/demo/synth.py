"""The synthetic national population: institutions, officers, people and their dated histories.

    generate(scale="small" | "national" | N, seed=..., as_of=..., density=...) -> Population
    iter_people(institutions, count=..., ...)   the same, lazily, person by person
    person_as_case(person, as_of)                 one person in the case format (shared/cases)
    write_cases_jsonl(path, people, as_of)        the explicit writers (the only I/O here)
    write_planted_jsonl(path, planted)

Pure Python, no Django, deterministic for a seed: each person is drawn from their own random
generator seeded with (seed, index), so the n-th person does not depend on how many follow.
Histories follow the law most of the time (`adaldyq.demo.figures` holds the timing); a small,
recorded share of people carry one planted abuse each (`PlantedAbuse`, written to
planted.jsonl) so that detection can be scored. Event types are exactly the case vocabulary
(`CASE_EVENT_TYPES`) plus the extras of `EXTRA_EVENT_TYPES`, which `person_as_case` leaves out
unless asked.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Final

import orjson

from adaldyq.core.dates import add_months, add_years
from adaldyq.core.regions import load_regions
from adaldyq.demo import figures as fig
from adaldyq.demo.extras import EXTRA_EVENT_TYPES, VISIT_ABUSES, OtherVisitor, extras
from adaldyq.demo.history import LAW_ABUSES, Profile, Staff, simulate
from adaldyq.demo.loopholes import LOOPHOLE_KINDS, WITHDRAWER_ASKED, plant, plant_withdrawer
from adaldyq.demo.model import (
    Event,
    Gravity,
    Institution,
    Officer,
    Person,
    PlantedAbuse,
    Population,
    Sentence,
    Sex,
    Visitor,
    event_id,
)
from adaldyq.demo.names import synthetic_name
from adaldyq.demo.probation import parolee
from adaldyq.demo.register import national_register, small_register, staff
from adaldyq.law import LawPack

__all__ = [
    "BENCHMARK_DENSITY",
    "CASE_EVENT_TYPES",
    "DEFAULT_ABUSE_SHARE",
    "DEFAULT_AS_OF",
    "DEFAULT_DENSITY",
    "DEFAULT_SEED",
    "EXTRA_EVENT_TYPES",
    "SCALES",
    "Event",
    "Institution",
    "Officer",
    "Person",
    "PlantedAbuse",
    "Population",
    "Sentence",
    "event_id",
    "generate",
    "institutions_for",
    "iter_people",
    "person_as_case",
    "write_cases_jsonl",
    "write_planted_jsonl",
]

#: The event types of the case format (shared/cases/README.md), exactly.
CASE_EVENT_TYPES: Final = frozenset(
    {
        "arrived",
        "incentive",
        "penalty",
        "joined_organisation",
        "left_organisation",
        "degree_awarded",
        "recognised",
        "degree_revoked",
        "work_assessed",
        "condition_changed",
    }
)
#: People per named scale (the national figure: about 35,000 prisoners, DOMAIN.md).
SCALES: Final = {"small": 3_000, "national": 35_000}
DEFAULT_SEED: Final = 2024
DEFAULT_AS_OF: Final = date(2025, 3, 1)
#: Case-format facts per person per 5 years of history: the demo's default, and the density at
#: which the benchmark's population averages about 100 case-format facts per person (histories
#: start on arrival, so they average a little under 3 of the 5 years).
DEFAULT_DENSITY: Final = 40
BENCHMARK_DENSITY: Final = 180
#: Share of people for whom an abuse is asked for; about two thirds find an occasion to be
#: planted (a delay needs a qualification, a visit abuse needs visits), so about 2% carry one.
DEFAULT_ABUSE_SHARE: Final = 0.03
#: Years of history before `as_of`.
HISTORY_YEARS: Final = 5
#: Above this many people a custom count uses the national register, below it a small one.
NATIONAL_FROM: Final = 10_000

#: Gravity shares and term in years (lo, hi) per kind of institution (D); "life" is a term.
_TERMS: Final[dict[str, tuple[tuple[Gravity, float, int, int], ...]]] = {
    "minimum": (("minor", 0.45, 1, 4), ("medium", 0.55, 1, 5)),
    "medium": (("medium", 0.35, 2, 7), ("grave", 0.55, 3, 10), ("especially_grave", 0.10, 8, 15)),
    "maximum": (("grave", 0.5, 5, 12), ("especially_grave", 0.5, 8, 20)),
    "complete": (("grave", 0.2, 8, 15), ("especially_grave", 0.8, 10, 25)),
    "extreme": (("especially_grave", 1.0, 15, 25),),
    "mixed": (("minor", 0.5, 1, 3), ("medium", 0.5, 1, 4)),
    "minors": (("medium", 0.5, 1, 4), ("grave", 0.5, 2, 6)),
}
#: Share of life sentences in extreme security (D).
_LIFE_SHARE: Final = 0.7
#: Weight of the institution's own region as a home region, against population elsewhere (D).
_HOME_BIAS: Final = 4.0
#: Institutions' relative abuse rates: (share of institutions, factor) (D; mean 1).
_ABUSE_FACTORS: Final = ((0.6, 0.5), (0.25, 1.0), (0.15, 3.0))
_MAX_SERVED_YEARS: Final = 12
_LIFE_SERVED_YEARS: Final = 20


def institutions_for(scale: str | int, seed: int = DEFAULT_SEED) -> tuple[Institution, ...]:
    """The register used for a scale: national (about 80) or small (9, sized for the people)."""
    people = _count(scale)
    if scale == "national" or (isinstance(scale, int) and people >= NATIONAL_FROM):
        return national_register(seed)
    return small_register(seed, people)


def generate(
    scale: str | int = "small",
    *,
    seed: int = DEFAULT_SEED,
    as_of: date = DEFAULT_AS_OF,
    density: int = DEFAULT_DENSITY,
    abuse_share: float = DEFAULT_ABUSE_SHARE,
    with_extras: bool = True,
    progress: Callable[[int, int], None] | None = None,
    parolees: int = 0,
) -> Population:
    """A whole population: `scale` is "small" (3,000), "national" (35,000) or a number of people
    in prison; `parolees` more released on parole or substitution (`adaldyq.demo.probation`)."""
    count = _count(scale)
    institutions = institutions_for(scale, seed)
    officers = (*(o for i in institutions for o in staff(i, seed)), *new_officers(institutions))
    people: list[Person] = []
    for person in iter_people(
        institutions,
        count=count,
        seed=seed,
        as_of=as_of,
        density=density,
        abuse_share=abuse_share,
        with_extras=with_extras,
        officers=officers,
        parolees=parolees,
    ):
        people.append(person)
        if progress is not None and (len(people) % 1000 == 0 or len(people) == count + parolees):
            progress(len(people), count + parolees)
    return Population(seed, as_of, institutions, officers, tuple(people))


def iter_people(
    institutions: Sequence[Institution],
    *,
    count: int,
    seed: int = DEFAULT_SEED,
    as_of: date = DEFAULT_AS_OF,
    density: int = DEFAULT_DENSITY,
    abuse_share: float = DEFAULT_ABUSE_SHARE,
    with_extras: bool = True,
    officers: Sequence[Officer] | None = None,
    parolees: int = 0,
) -> Iterator[Person]:
    """People one by one, placed in `institutions` in proportion to capacity (some over-full); then
    `parolees` people released on parole or substitution, with their probation files
    (`adaldyq.demo.probation`), numbered after them."""
    if officers is None:
        officers = [*(o for i in institutions for o in staff(i, seed)), *new_officers(institutions)]
    pattern, withdrawer = new_officers(institutions)
    asked_pattern = asked_withdrawer = 0
    law = LawPack.load(overlay="demo")  # the engine decides where a loophole changes an outcome
    setup = random.Random(f"population:{seed}")  # noqa: S311 - synthetic data, not security
    staffs = {i.id: _staff(setup, i, officers) for i in institutions}
    occupancy = [i.capacity * setup.uniform(0.7, 1.2) for i in institutions]
    factors = [_abuse_factor(setup) for _ in institutions]
    mean = sum(f * w for f, w in zip(factors, occupancy, strict=True)) / sum(occupancy)
    factors = [f / mean for f in factors]  # so that `abuse_share` is the share of people asked for
    regions = load_regions()
    homes = {
        i.id: [r.population * (_HOME_BIAS if r.key == i.region else 1.0) for r in regions]
        for i in institutions
    }
    abuse_kinds = list(fig.ABUSE_KINDS)
    if not with_extras:
        abuse_kinds = [k for k in abuse_kinds if k in LAW_ABUSES]
    abuse_weights = [fig.ABUSE_KINDS[k] for k in abuse_kinds]
    window = add_years(as_of, -HISTORY_YEARS)
    last_visitor: dict[str, OtherVisitor] = {}
    cumulative: list[float] = []
    total = 0.0
    for w in occupancy:
        total += w
        cumulative.append(total)
    for n in range(count):
        rng = random.Random(seed * 1_000_003 + n)  # noqa: S311 - synthetic data, not security
        k = rng.choices(range(len(institutions)), cum_weights=cumulative)[0]
        inst = institutions[k]
        abuse = None
        if rng.random() < abuse_share * factors[k]:
            abuse = rng.choices(abuse_kinds, abuse_weights)[0]
        staff_ = staffs[inst.id]
        if (
            inst.id == pattern.institution
            and abuse is None
            and n % PATTERN_EVERY == 0
            and asked_pattern < PATTERN_ASKED
            and abuse_share > 0
        ):  # the officer pattern: the new officer's every penalty falls just before a qualification
            abuse, asked_pattern = "penalty_before_qualifying", asked_pattern + 1
            staff_ = dataclasses.replace(staff_, suspect_records=pattern.id)
        person = _person(
            rng,
            f"PF-{n + 1:06d}",
            inst,
            staff_,
            home=rng.choices(regions, weights=homes[inst.id])[0].key,
            as_of=as_of,
            window=window,
            density=density,
            abuse=abuse,
            with_extras=with_extras,
            other=last_visitor.get(inst.id),
        )
        if person.visitors and person.visitors[0].approved:
            last_visitor[inst.id] = OtherVisitor(person.id, person.visitors[0].id)
        if abuse is None and abuse_share > 0:
            # The loopholes of the electronic file (issue 15): their own random stream, so that the
            # histories and the abuses above stay what they were.
            more = random.Random(f"loophole:{seed}:{n}")  # noqa: S311 - synthetic data
            if (
                inst.id == withdrawer.institution
                and n % WITHDRAWER_EVERY == 1
                and asked_withdrawer < WITHDRAWER_ASKED
            ):
                asked_withdrawer += 1
                person = plant_withdrawer(person, withdrawer.id, rng=more, as_of=as_of)
            elif more.random() < abuse_share * LOOPHOLE_TRIES:
                person = plant(
                    person, more.choice(LOOPHOLE_KINDS), rng=more, records=staff_.suspect_records,
                    head=staff_.head, as_of=as_of, law=law,
                )  # fmt: skip
        yield person
    adults = [k for k, i in enumerate(institutions) if not i.minors and i.type != "mixed"]
    weights = [occupancy[k] for k in adults]
    for j in range(parolees):
        # Their own random stream, so that the prisoners above stay what they were.
        rng = random.Random(f"parolee:{seed}:{j}")  # noqa: S311 - synthetic data
        inst = institutions[rng.choices(adults, weights)[0]]
        staff_ = staffs[inst.id]
        yield parolee(
            rng, f"PF-{count + j + 1:06d}", inst, records=staff_.records[0], head=staff_.head,
            home=rng.choices(regions, weights=homes[inst.id])[0].key,
            other_region=rng.choice(regions).key, as_of=as_of,
        )  # fmt: skip


def _count(scale: str | int) -> int:
    if isinstance(scale, int):
        if scale < 1:
            raise ValueError(f"scale: a number of people must be positive, not {scale}")
        return scale
    try:
        return SCALES[scale]
    except KeyError:
        raise ValueError(
            f"scale: expected one of {sorted(SCALES)} or a number, not {scale!r}"
        ) from None


def _abuse_factor(rng: random.Random) -> float:
    x = rng.random()
    for share, factor in _ABUSE_FACTORS:
        if x < share:
            return factor
        x -= share
    return _ABUSE_FACTORS[-1][1]


#: The officer pattern the generator plants (issue 15): a records officer new to the largest
#: institution records nothing but the penalties planted just before people would qualify, for up to
#: PATTERN_ASKED people (every PATTERN_EVERY-th person placed there without another abuse; about two
#: thirds find an occasion). One penalty is a lead; the officer's share is the pattern.
PATTERN_ASKED: Final = 12
PATTERN_EVERY: Final = 5


#: People asked for a loophole, as a multiple of `abuse_share`: about one in ten has the occasion (in
#: custody, degree 0, nothing recorded for four months), so about 1% of people carry one.
LOOPHOLE_TRIES: Final = 3
#: Every WITHDRAWER_EVERY-th person of the largest institution (without another abuse) gets a penalty
#: recorded and withdrawn the same day by the withdrawing officer, `<id>/N02`, up to WITHDRAWER_ASKED.
WITHDRAWER_EVERY: Final = 7


def new_officers(institutions: Sequence[Institution]) -> tuple[Officer, Officer]:
    """The two records officers new to the largest institution, not among `staff()`: `<id>/N01`
    (`pattern_officer`) and `<id>/N02`, who records penalties and withdraws them (issue 15)."""
    first = pattern_officer(institutions)
    rng = random.Random(f"withdrawer:{first.institution}")  # noqa: S311 - synthetic data
    kk, ru = synthetic_name(rng, "female")
    return first, Officer(f"{first.institution}/N02", first.institution, "records_officer",
                          "female", kk, ru)  # fmt: skip


def pattern_officer(institutions: Sequence[Institution]) -> Officer:
    """The new records officer of the largest institution, `<id>/N01` (not among `staff()`)."""
    inst = max(institutions, key=lambda i: (i.capacity, i.id))
    rng = random.Random(f"pattern:{inst.id}")  # noqa: S311 - synthetic data, not security
    kk, ru = synthetic_name(rng, "male")
    return Officer(f"{inst.id}/N01", inst.id, "records_officer", "male", kk, ru)


def _staff(rng: random.Random, inst: Institution, officers: Sequence[Officer]) -> Staff:
    own = [o for o in officers if o.institution == inst.id and "/N" not in o.id]
    head = next(o.id for o in own if o.role == "head")
    commission = tuple(o.id for o in own if o.role == "commission_member")
    records = tuple(o.id for o in own if o.role == "records_officer")
    return Staff(head, commission, records, rng.choice(commission), rng.choice(records))


def _person(
    rng: random.Random,
    pid: str,
    inst: Institution,
    staff_: Staff,
    *,
    home: str,
    as_of: date,
    window: date,
    density: int,
    abuse: str | None,
    with_extras: bool,
    other: OtherVisitor | None,
) -> Person:
    sex: Sex = inst.sex
    kind = "minors" if inst.minors else inst.type
    gravity, sentence = _sentence(rng, kind, as_of)
    adult = 18 + int(rng.betavariate(2, 4) * 45)
    age_at_start = rng.randint(14, 17) if inst.minors else adult
    born = sentence.start - timedelta(days=365 * age_at_start + rng.randint(0, 364))
    latest = (as_of - sentence.start).days - 1
    arrival = sentence.start + timedelta(days=rng.randint(1, max(1, min(120, latest))))
    arrival = max(arrival, window)
    release_on = sentence.release_on
    dispositions = list(fig.DISPOSITIONS)
    disposition = rng.choices(dispositions, [fig.DISPOSITIONS[d][0] for d in dispositions])[0]
    works = rng.random() < fig.WORK_SHARE + (0.1 if disposition == "good" else 0.0)
    studies = rng.random() < (0.9 if inst.minors else fig.STUDY_SHARE)
    name_kk, name_ru = synthetic_name(rng, sex)
    profile = Profile(
        pid,
        inst.id,
        inst.type,
        arrival,
        as_of,
        sentence.start,
        release_on,
        disposition,
        works,
        density,
    )
    law_events, planted = simulate(rng, profile, staff_, abuse)
    events: list[Event] = law_events
    visitors: tuple[Visitor, ...] = ()
    if with_extras:
        extra, visitors, visit_abuses = extras(
            rng,
            person=pid,
            name_ru=name_ru,
            sex=sex,
            institution=inst.id,
            itype=inst.type,
            arrival=arrival,
            end=as_of,
            law_events=law_events,
            works=works,
            studies=studies,
            staff=staff_,
            abuse=abuse if abuse in VISIT_ABUSES else None,
            other=other,
        )
        # Stable merge by date: on a same day, decisions and facts come before the extras.
        events = sorted(law_events + extra, key=lambda e: e.on)
        where = {id(e): i for i, e in enumerate(events)}
        planted = [_reindex(a, [where[id(law_events[i])] for i in a.events]) for a in planted] + [
            _reindex(a, [where[id(e)] for e in evs]) for a, evs in visit_abuses
        ]
    return Person(
        id=pid,
        name_kk=name_kk,
        name_ru=name_ru,
        sex=sex,
        born=born,
        home_region=home,
        institution=inst.id,
        institution_type=inst.type,
        sentence=sentence,
        gravity=gravity,
        works=works,
        studies=studies,
        visitors=visitors,
        events=tuple(events),
        planted=tuple(planted),
    )


def _reindex(a: PlantedAbuse, indices: list[int]) -> PlantedAbuse:
    return PlantedAbuse(
        a.kind, a.person, a.institution, a.officer, tuple(sorted(indices)), a.on, a.detail
    )


def _sentence(rng: random.Random, kind: str, as_of: date) -> tuple[Gravity, Sentence]:
    options = _TERMS[kind]
    gravity, _, lo, hi = rng.choices(options, [o[1] for o in options])[0]
    if kind == "extreme" and rng.random() < _LIFE_SHARE:
        served = rng.randint(30, 365 * _LIFE_SERVED_YEARS)
        return gravity, Sentence(as_of - timedelta(days=served), life=True)
    years = rng.randint(lo, hi)
    months = rng.choice((0, 0, 0, 6, rng.randint(1, 11)))
    term_days = (add_months(as_of, 12 * years + months) - as_of).days
    served = rng.randint(30, min(term_days - 30, 365 * _MAX_SERVED_YEARS))
    return gravity, Sentence(as_of - timedelta(days=served), years, months, 0)


# --- output ---------------------------------------------------------------------------------------


def person_as_case(
    person: Person, as_of: date, *, with_extras: bool = False, annotate: bool = False
) -> dict[str, object]:
    """The person in the case format (id, as_of, person, events up to `as_of`).

    By default only the case vocabulary, exactly; `with_extras` adds the extra event types,
    `annotate` adds each event's `id` and `officer` (keys the case format does not define).
    """
    events: list[dict[str, object]] = []
    for i, e in enumerate(person.events):
        if e.on > as_of:
            break
        if not with_extras and e.type not in CASE_EVENT_TYPES:
            continue
        row: dict[str, object] = {"on": e.on.isoformat(), "type": e.type, **e.data}
        if annotate:
            row["id"] = event_id(person.id, i)
            row["officer"] = e.officer
        events.append(row)
    return {
        "id": person.id,
        "as_of": as_of.isoformat(),
        "person": {
            "sex": person.sex,
            "born": person.born.isoformat(),
            "institution": person.institution_type,
            "sentence": person.sentence.as_case(),
            "gravity": person.gravity,
        },
        "events": events,
    }


def write_cases_jsonl(
    path: Path | str,
    people: Iterable[Person],
    as_of: date,
    *,
    with_extras: bool = False,
    annotate: bool = False,
) -> int:
    """Write one case a line (for `adaldyq law evaluate --jsonl`); returns the number written."""
    n = 0
    with Path(path).open("wb") as out:
        for person in people:
            out.write(
                orjson.dumps(
                    person_as_case(person, as_of, with_extras=with_extras, annotate=annotate)
                )
            )
            out.write(b"\n")
            n += 1
    return n


def write_planted_jsonl(path: Path | str, planted: Iterable[PlantedAbuse]) -> int:
    """Write planted.jsonl: one planted abuse a line; returns the number written."""
    n = 0
    with Path(path).open("wb") as out:
        for abuse in planted:
            out.write(orjson.dumps(abuse.as_dict()))
            out.write(b"\n")
            n += 1
    return n
