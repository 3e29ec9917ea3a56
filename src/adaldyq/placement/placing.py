"""Placement after sentence: Code art. 88, Mandela Rules 11 and 59 (LAW.md §1, §5, §7).

The proposal is the institution of the right type and category (sex, minors, medical; never a
mixed-security unit) with a free place that is nearest to the centre of the person's home region.
When every institution of the right kind is full, the nearest one is proposed over its limit and
says so. Every other institution is listed with every reason it was not chosen. The rules are
`rules.yaml` (`placement.*`); distances are great-circle km times the detour factor of
`adaldyq.core.regions` (P).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import date

from adaldyq.core.errors import InputError
from adaldyq.core.regions import DETOUR_FACTOR, great_circle_km, region
from adaldyq.law.explain import Ref
from adaldyq.placement.model import Alternative, InstitutionRecord, Profile, Proposal, Site
from adaldyq.placement.rules import PlacementRules, default_rules

#: The rule each reason rests on (keys of rules.yaml).
REASON_RULES: dict[str, str] = {
    "placement.mixed_unit": "placement.mixed_units_not_a_placement",
    "placement.wrong_type": "placement.sentence_type",
    "placement.wrong_sex": "placement.separate_sexes",
    "placement.minors_only": "placement.separate_minors",
    "placement.adults_only": "placement.separate_minors",
    "placement.medical_needed": "placement.medical_only_when_needed",
    "placement.medical_reserved": "placement.medical_only_when_needed",
    "placement.full": "placement.respect_capacity",
    "placement.farther": "placement.nearest_to_home",
}
_PROPOSAL_RULES = (
    "placement.sentence_type",
    "placement.nearest_to_home",
    "placement.respect_capacity",
    "placement.separate_sexes",
    "placement.separate_minors",
    "placement.medical_only_when_needed",
    "placement.mixed_units_not_a_placement",
    "placement.tie_break",
)
MIXED = "mixed"


def site_distance_km(home_region: str, site: Site) -> float:
    """Km from the centre of `home_region` to the institution: great-circle times the detour factor."""
    return _km(home_region, site.lat, site.lon)


@functools.lru_cache(maxsize=65_536)
def _km(home_region: str, lat: float, lon: float) -> float:
    r = region(home_region)
    return great_circle_km(r.lat, r.lon, lat, lon) * DETOUR_FACTOR


def mismatches(profile: Profile, site: Site) -> tuple[str, ...]:
    """Why `site` is not of the right kind for `profile` (empty when it is); capacity aside."""
    out: list[str] = []
    if site.type == MIXED:
        out.append("placement.mixed_unit")
    elif site.type != profile.type:
        out.append("placement.wrong_type")
    if site.sex != profile.sex:
        out.append("placement.wrong_sex")
    if profile.minor and not site.minors:
        out.append("placement.minors_only")
    if not profile.minor and site.minors:
        out.append("placement.adults_only")
    if profile.medical and not site.medical:
        out.append("placement.medical_needed")
    if not profile.medical and site.medical:
        out.append("placement.medical_reserved")
    return tuple(out)


def is_right_kind(profile: Profile, site: Site) -> bool:
    """True when `site` has the type and the category (sex, minors, medical) `profile` needs."""
    return not mismatches(profile, site)


def sites(records: Iterable[Site | InstitutionRecord]) -> tuple[Site, ...]:
    """Sites from institution records (sites pass through)."""
    return tuple(r if isinstance(r, Site) else Site.of(r) for r in records)


def propose_placement(
    person_profile: Profile,
    institutions: Iterable[Site | InstitutionRecord],
    occupancy: Mapping[str, int],
    *,
    on: date,
    rules: PlacementRules | None = None,
) -> Proposal:
    """The nearest institution of the right kind with a free place, and why every other lost.

    `occupancy` maps institution ids to the people held there on `on` (missing: empty).
    Ties in distance are broken by the institution id (`placement.tie_break`).
    """
    rules = rules or default_rules()
    profile = person_profile
    if profile.type == MIXED:
        raise InputError(
            "type: mixed-security units are not a placement for a sentence; record a placement"
            " there explicitly (it is flagged)"
        )
    region(profile.home_region)  # KeyError names an unknown region
    scored = sorted(
        ((site_distance_km(profile.home_region, s), s.id, s) for s in sites(institutions)),
        key=lambda t: (t[0], t[1]),
    )
    kind: list[tuple[float, Site, int]] = []
    others: list[tuple[float, Site, int, tuple[str, ...]]] = []
    for km, _, s in scored:
        free = s.capacity - occupancy.get(s.id, 0)
        why = mismatches(profile, s)
        if why:
            others.append((km, s, free, why))
        else:
            kind.append((km, s, free))
    with_room = [k for k in kind if k[2] > 0]
    if with_room:
        chosen: tuple[float, Site, int] | None = with_room[0]
        outcome, over = "placement.nearest_free", False
    elif kind:
        chosen, outcome, over = kind[0], "placement.all_full", True
    else:
        chosen, outcome, over = None, "placement.none_of_kind", False
    alternatives: list[Alternative] = []
    for km, s, free in kind:
        if chosen is not None and s.id == chosen[1].id:
            continue
        reasons: tuple[str, ...] = ("placement.full",) if free <= 0 else ()
        farther = None
        if chosen is not None and not (free <= 0 and not over):
            reasons = (*reasons, "placement.farther")
            farther = km - chosen[0]
        alternatives.append(_alternative(s, km, free, reasons, rules, on, farther))
    for km, s, free, why in others:
        reasons = (*why, "placement.full") if free <= 0 else why
        alternatives.append(_alternative(s, km, free, reasons, rules, on, None))
    alternatives.sort(key=lambda a: (a.distance_km, a.institution))
    return Proposal(
        person=profile.id,
        on=on,
        institution=None if chosen is None else chosen[1].id,
        distance_km=None if chosen is None else chosen[0],
        over_capacity=over,
        outcome=outcome,
        alternatives=tuple(alternatives),
        refs=tuple(rules.ref(k, on) for k in _PROPOSAL_RULES),
        rules=rules.describe(),
    )


def _alternative(
    s: Site,
    km: float,
    free: int,
    reasons: tuple[str, ...],
    rules: PlacementRules,
    on: date,
    farther: float | None,
) -> Alternative:
    return Alternative(s.id, km, free, reasons, _reason_refs(rules, on, reasons), farther)


@functools.lru_cache(maxsize=4096)
def _reason_refs(rules: PlacementRules, on: date, reasons: tuple[str, ...]) -> tuple[Ref, ...]:
    return tuple(rules.ref(k, on) for k in dict.fromkeys(REASON_RULES[r] for r in reasons))
