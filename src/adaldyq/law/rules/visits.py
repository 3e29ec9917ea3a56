"""Visits, parcels and money: PEC arts. 106, 108, 109, 134-145 (LAW.md §4). Unknown figures stay unknown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from adaldyq.law.explain import Ref
from adaldyq.law.pack import LawPack

ENTITLEMENTS: Final = (
    "short_visits_per_year",
    "long_visits_per_year",
    "parcels_per_year",
    "small_parcels_per_year",
    "money_mrp_per_month",
    "money_transfers",
)
DURATIONS: Final = ("short_visit_hours", "long_visit_days", "phone_call_minutes")


@dataclass(slots=True)
class Entitlement:
    """One entitlement on a date: its value, or "not determinable" when the law pack lacks the figure."""

    name: str
    value: Any
    determinable: bool
    ref: Ref
    #: For an unknown figure a source announces: what is planned (`{"value": 2, "year": 2019}`).
    planned: Any = None


#: Entitlements are the same for everyone of one institution type and condition on one date under one
#: pack, and immutable: computed once, shared by every result.
_CACHE: Final[dict[tuple[str, str, str, date], tuple[Entitlement, ...]]] = {}


def entitlements(
    institution: str, condition: str, on: date, law: LawPack
) -> tuple[Entitlement, ...]:
    """Visit, parcel and money entitlements, and visit and call durations, on `on`."""
    key = (law.hash, institution, condition, on)
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    if len(_CACHE) > 10_000:
        _CACHE.clear()
    out: list[Entitlement] = []
    for name in ENTITLEMENTS:
        r = law.resolve(f"entitlements.{institution}.{condition}.{name}", on)
        out.append(Entitlement(name, r.value, r.value is not None, r.ref, r.planned))
    for name in DURATIONS:
        r = law.resolve(f"visits.{name}", on)
        out.append(Entitlement(name, r.value, r.value is not None, r.ref))
    if condition == "strict":  # calls only in exceptional personal circumstances (LAW.md §4, L)
        r = law.resolve("phone_calls.in_strict_conditions", on)
        out.append(Entitlement("phone_calls_in_strict", r.value, r.value is not None, r.ref))
    result = _CACHE[key] = tuple(out)
    return result
