"""Small registers for placement tests: institutions at region centres, so distances are known."""

from __future__ import annotations

from datetime import date

from adaldyq.core.regions import region
from adaldyq.placement import Profile, Site

ON = date(2025, 3, 1)


def site(
    ident: str,
    where: str,
    type_: str = "medium",
    *,
    sex: str = "male",
    minors: bool = False,
    medical: bool = False,
    capacity: int = 100,
    offset: float = 0.0,
) -> Site:
    """An institution at the centre of region `where` (moved north by `offset` degrees)."""
    r = region(where)
    return Site(ident, where, type_, sex, minors, medical, capacity, r.lat + offset, r.lon)


def profile(
    ident: str = "PF-1",
    home: str = "karaganda",
    type_: str = "medium",
    *,
    sex: str = "male",
    minor: bool = False,
    medical: bool = False,
    sentenced_on: date | None = None,
) -> Profile:
    """A person's placement profile."""
    return Profile(ident, sex, home, type_, minor=minor, medical=medical, sentenced_on=sentenced_on)


#: Karaganda -> Astana (about 270 km with the detour), Pavlodar (about 500), Almaty (about 1,200).
REGISTER = (
    site("UK-KAR-MAX", "karaganda", "maximum"),
    site("UK-AST", "astana", "medium"),
    site("UK-PAV", "pavlodar", "medium"),
    site("UK-ALA", "almaty", "medium"),
    site("UK-KAR-W", "karaganda", "medium", sex="female"),
    site("UK-KAR-MIN", "karaganda", "medium", minors=True),
    site("UK-KAR-MED", "karaganda", "medium", medical=True),
    site("SI-KAR", "karaganda", "mixed", capacity=50),
)
