"""A synthetic national register of institutions and their staff.

Counts follow LAW.md §1 (2024: 27 medium, 16 minimum, 13 maximum, 1 complete, 1 extreme; S),
plus a mixed-security unit in the pre-trial centre of each of the 20 regions and cities. Some
institutions hold women, one holds minors (medium security, Code art. 150), a few are medical.
Institutions are spread over the regions unevenly, with weights that are demo choices (D), so
that not every type exists in every region: the distance problem the product addresses.
Codes (`УК-12`, `СИ-3`), names, capacities and positions are synthetic.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Final

from adaldyq.core.regions import Region, load_regions
from adaldyq.demo.figures import InstitutionType
from adaldyq.demo.model import Institution, Officer, Role, Sex
from adaldyq.demo.names import synthetic_name

#: Relative weight of each region for hosting a colony (D; a nod to where the camps were built).
REGION_WEIGHTS: Final[dict[str, float]] = {
    "karaganda": 3.0, "east_kazakhstan": 2.0, "pavlodar": 2.0, "akmola": 2.0, "kostanay": 1.8,
    "north_kazakhstan": 1.5, "almaty_region": 1.6, "jambyl": 1.4, "abai": 1.3, "aktobe": 1.2,
    "west_kazakhstan": 1.0, "kyzylorda": 1.0, "turkistan": 1.0, "jetisu": 0.8, "ulytau": 0.6,
    "atyrau": 0.5, "mangystau": 0.4, "astana": 0.3, "almaty": 0.3, "shymkent": 0.4,
}  # fmt: skip

# (type, sex, minors, medical, how many, capacity range) for the colonies of the national register.
_NATIONAL: Final[tuple[tuple[InstitutionType, Sex, bool, bool, int, tuple[int, int]], ...]] = (
    ("medium", "male", False, False, 21, (600, 1500)),
    ("medium", "female", False, False, 3, (400, 900)),
    ("medium", "male", True, False, 1, (100, 200)),
    ("medium", "male", False, True, 2, (200, 500)),
    ("minimum", "male", False, False, 13, (200, 700)),
    ("minimum", "male", False, True, 1, (150, 300)),
    ("minimum", "female", False, False, 2, (150, 400)),
    ("maximum", "male", False, False, 13, (500, 1200)),
    ("complete", "male", False, False, 1, (200, 400)),
    ("extreme", "male", False, False, 1, (250, 450)),
)
_MIXED_CAPACITY: Final = (40, 120)
#: Types only in regions, not in the three cities (D).
_NOT_IN_CITIES: Final = frozenset({"maximum", "complete", "extreme"})
#: Kinds of institution in the small register, taken from the national one (one of each).
_SMALL_KINDS: Final = (
    ("medium", "male", False, False),
    ("medium", "female", False, False),
    ("medium", "male", True, False),
    ("minimum", "male", False, False),
    ("minimum", "female", False, False),
    ("maximum", "male", False, False),
    ("extreme", "male", False, False),
    ("complete", "male", False, False),
    ("mixed", "male", False, False),
)
#: Small registers are sized for people at this occupancy.
SMALL_OCCUPANCY: Final = 0.9
_OFFSET_DEGREES: Final = 0.35


def national_register(seed: int) -> tuple[Institution, ...]:
    """About 80 institutions over the 20 regions; deterministic for a seed."""
    rng = random.Random(f"register:{seed}")  # noqa: S311 - synthetic data, not security
    regions = load_regions()
    specs: list[tuple[InstitutionType, Sex, bool, bool, tuple[int, int]]] = [
        (t, sex, minors, medical, cap)
        for t, sex, minors, medical, count, cap in _NATIONAL
        for _ in range(count)
    ]
    rng.shuffle(specs)
    out: list[Institution] = []
    for n, (t, sex, minors, medical, (lo, hi)) in enumerate(specs, start=1):
        allowed = [r for r in regions if not (r.is_city and t in _NOT_IN_CITIES)]
        where = rng.choices(allowed, weights=[REGION_WEIGHTS[r.key] for r in allowed])[0]
        out.append(
            _institution(rng, n, "УК", "UK", where, t, sex, minors, medical, rng.randint(lo, hi))
        )
    for n, where in enumerate(regions, start=1):
        out.append(
            _institution(
                rng,
                n,
                "СИ",
                "SI",
                where,
                "mixed",
                "male",
                False,
                False,
                rng.randint(*_MIXED_CAPACITY),
            )
        )
    return tuple(out)


def small_register(seed: int, people: int) -> tuple[Institution, ...]:
    """One institution of each kind (9), and a second men's medium-security one in another region, so
    that a transfer between institutions of one type can be shown; from the national register, sized
    for `people`."""
    national = national_register(seed)
    chosen = [
        next(i for i in national if (i.type, i.sex, i.minors, i.medical) == kind)
        for kind in _SMALL_KINDS
    ]
    first = next(
        i
        for i in chosen
        if (i.type, i.sex, i.minors, i.medical) == ("medium", "male", False, False)
    )
    chosen.append(
        next(
            i
            for i in national
            if (i.type, i.sex, i.minors, i.medical) == ("medium", "male", False, False)
            and i.region != first.region
        )
    )
    total = sum(i.capacity for i in chosen)
    factor = people / SMALL_OCCUPANCY / total
    return tuple(replace(i, capacity=max(20, round(i.capacity * factor))) for i in chosen)


def _institution(
    rng: random.Random,
    n: int,
    code_cyr: str,
    code_lat: str,
    where: Region,
    t: InstitutionType,
    sex: Sex,
    minors: bool,
    medical: bool,
    capacity: int,
) -> Institution:
    code = f"{code_cyr}-{n}"
    lat = round(where.lat + rng.uniform(-_OFFSET_DEGREES, _OFFSET_DEGREES), 4)
    lon = round(where.lon + rng.uniform(-_OFFSET_DEGREES, _OFFSET_DEGREES), 4)
    return Institution(
        id=f"{code_lat}-{n}",
        code=code,
        name_en=f"{code_lat}-{n}, {where.name_en}",
        name_kk=f"{code}, {where.name_kk}",
        name_ru=f"{code}, {where.name_ru}",
        region=where.key,
        type=t,
        sex=sex,
        minors=minors,
        medical=medical,
        capacity=capacity,
        lat=lat,
        lon=lon,
    )


#: Staff recorded per institution: commission members, and one records officer per this many
#: places (at least two).
COMMISSION_MEMBERS: Final = 4
PLACES_PER_RECORDS_OFFICER: Final = 250


def staff(institution: Institution, seed: int) -> tuple[Officer, ...]:
    """The head, the commission and the records officers of an institution; stable ids."""
    rng = random.Random(f"staff:{seed}:{institution.id}")  # noqa: S311 - synthetic data
    records = max(2, institution.capacity // PLACES_PER_RECORDS_OFFICER)
    roles: list[Role] = ["head"]
    roles += ["commission_member" for _ in range(COMMISSION_MEMBERS)]
    roles += ["records_officer" for _ in range(records)]
    out: list[Officer] = []
    for n, role in enumerate(roles, start=1):
        sex: Sex = "female" if rng.random() < 0.3 else "male"
        kk, ru = synthetic_name(rng, sex)
        out.append(Officer(f"{institution.id}/O{n:02d}", institution.id, role, sex, kk, ru))
    return tuple(out)
