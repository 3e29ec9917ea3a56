"""The policy simulator: re-place a whole population under a what-if, with the same placement rule.

    place_all(profiles, institutions)          everyone placed by the rule of `propose_placement`
    simulate(profiles, institutions, current, scenario)
                                                before (where people are), the rule today
                                                (baseline) and the rule under the scenario (after)

A scenario merges types (the report's proposal: medium and maximum, seed 003 section 4), adds
places to a region's institutions of a type, or opens an institution. Everyone is re-placed in the
order of their sentence start (then id), each into the nearest institution of the right kind with
room, as if each had been placed on the day they were sentenced; when all of the right kind are
full, into the nearest over its limit (counted as `over_limit`). People in mixed-security units
(household work) are not placed by the rule: they stay where they are (`held`).

Fast: distances are computed once per (home region, institution) - 20 regions - and each kind's
institutions sorted per home region; filling is greedy with a pointer that only moves forward
(institutions only fill), so placing n people costs O(n + regions × institutions × log).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from adaldyq.core.errors import InputError
from adaldyq.core.regions import load_regions, region
from adaldyq.placement.model import InstitutionRecord, Profile, Site
from adaldyq.placement.placing import MIXED, site_distance_km, sites
from adaldyq.placement.rules import PlacementRules, default_rules

Kind = tuple[str, str, bool, bool]
#: The types a sentence can require (mixed units are not one).
SENTENCE_TYPES = ("minimum", "medium", "maximum", "extreme", "complete")


@dataclass(frozen=True, slots=True)
class Scenario:
    """A what-if: merged types, added places, new institutions."""

    #: Groups of types that become one (`("medium", "maximum")` -> type `medium+maximum`).
    merge: tuple[tuple[str, ...], ...] = ()
    #: (region, type, places) added to that region's institutions of that type (the largest first).
    add_capacity: tuple[tuple[str, str, int], ...] = ()
    #: (region, type, capacity) of a new institution for adult men at the region's centre.
    open: tuple[tuple[str, str, int], ...] = ()

    def describe(self) -> str:
        """One line: `merge medium+maximum; add 500 karaganda:medium; open turkistan:maximum:800`."""
        parts = [f"merge {'+'.join(g)}" for g in self.merge]
        parts += [f"add {n} {r}:{t}" for r, t, n in self.add_capacity]
        parts += [f"open {r}:{t}:{n}" for r, t, n in self.open]
        return "; ".join(parts) or "no change"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "merge": [list(g) for g in self.merge],
            "add_capacity": [list(a) for a in self.add_capacity],
            "open": [list(o) for o in self.open],
        }


@dataclass(frozen=True, slots=True)
class Placed:
    """The outcome of `place_all`."""

    #: Person id -> institution id.
    where: Mapping[str, str]
    #: Person id -> km from the home region centre.
    km: Mapping[str, float]
    #: People placed over a limit because every institution of their kind was full.
    over_limit: tuple[str, ...]
    #: People for whom no institution of their kind exists (left where they were, if anywhere).
    no_kind: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Distribution:
    """Distance from home over a population."""

    count: int
    mean_km: float
    #: Percentile -> km (nearest-rank).
    percentiles: Mapping[int, float]
    max_km: float
    #: (from km, to km or None for the open bucket, people).
    buckets: tuple[tuple[float, float | None, int], ...]
    #: People in an institution outside their home region.
    outside_home_region: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "count": self.count,
            "mean_km": round(self.mean_km, 1),
            "percentiles": {str(p): round(v, 1) for p, v in self.percentiles.items()},
            "max_km": round(self.max_km, 1),
            "buckets": [{"from_km": a, "to_km": b, "people": n} for a, b, n in self.buckets],
            "outside_home_region": self.outside_home_region,
        }


@dataclass(frozen=True, slots=True)
class Load:
    """One institution's capacity and population before, under today's rule, and after."""

    institution: str
    region: str
    type: str
    capacity_before: int
    capacity_after: int
    before: int
    baseline: int
    after: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "institution": self.institution,
            "region": self.region,
            "type": self.type,
            "capacity_before": self.capacity_before,
            "capacity_after": self.capacity_after,
            "before": self.before,
            "baseline": self.baseline,
            "after": self.after,
        }


@dataclass(frozen=True, slots=True)
class Simulation:
    """Before, today's rule (baseline) and the scenario (after), over the placed population."""

    scenario: Scenario
    on: date
    people: int
    #: People not placed by the rule (mixed units, household work): left where they are.
    held: int
    before: Distribution
    baseline: Distribution
    after: Distribution
    #: People whose place under the scenario is nearer home than where they are now.
    closer_than_now: int
    farther_than_now: int
    #: People whose place under the scenario is nearer than under today's rule (the scenario's own effect).
    closer_than_baseline: int
    farther_than_baseline: int
    over_limit_baseline: int
    over_limit_after: int
    #: People with an institution of their kind in their home region: today, under the scenario.
    kind_at_home_baseline: int
    kind_at_home_after: int
    load: tuple[Load, ...]
    rules: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "scenario": self.scenario.to_dict(),
            "scenario_text": self.scenario.describe(),
            "on": self.on.isoformat(),
            "people": self.people,
            "held": self.held,
            "before": self.before.to_dict(),
            "baseline": self.baseline.to_dict(),
            "after": self.after.to_dict(),
            "closer_than_now": self.closer_than_now,
            "farther_than_now": self.farther_than_now,
            "closer_than_baseline": self.closer_than_baseline,
            "farther_than_baseline": self.farther_than_baseline,
            "over_limit_baseline": self.over_limit_baseline,
            "over_limit_after": self.over_limit_after,
            "kind_at_home_baseline": self.kind_at_home_baseline,
            "kind_at_home_after": self.kind_at_home_after,
            "load": [x.to_dict() for x in self.load],
            "rules": dict(self.rules),
        }


def merged_type(t: str, merge: Iterable[Sequence[str]]) -> str:
    """The type `t` becomes under `merge` (`maximum` -> `medium+maximum`)."""
    for group in merge:
        if t in group:
            return "+".join(group)
    return t


def apply_scenario(
    institutions: Iterable[Site | InstitutionRecord],
    profiles: Iterable[Profile],
    scenario: Scenario,
) -> tuple[tuple[Site, ...], tuple[Profile, ...]]:
    """The institutions and people as the scenario sees them (types merged, places added, opened)."""
    known = set(SENTENCE_TYPES)
    for group in scenario.merge:
        bad = [t for t in group if t not in known]
        if bad or len(group) < 2:
            raise InputError(
                f"merge: need two or more of {', '.join(sorted(known))}, not {group!r}"
            )
    out = list(sites(institutions))
    for reg, t, places in scenario.add_capacity:
        region(reg)
        if places < 1:
            raise InputError(f"add capacity: places must be positive, not {places}")
        same = [i for i, s in enumerate(out) if s.region == reg and s.type == t]
        if not same:
            raise InputError(f"add capacity: no {t} institution in {reg}; open one instead")
        biggest = min(same, key=lambda i: (-out[i].capacity, out[i].id))
        out[biggest] = replace(out[biggest], capacity=out[biggest].capacity + places)
    for n, (reg, t, capacity) in enumerate(scenario.open, start=1):
        r = region(reg)
        if t not in known:
            raise InputError(f"open: type must be one of {', '.join(sorted(known))}, not {t!r}")
        if capacity < 1:
            raise InputError(f"open: capacity must be positive, not {capacity}")
        out.append(Site(f"NEW-{n}", reg, t, "male", False, False, capacity, r.lat, r.lon))
    if scenario.merge:
        out = [replace(s, type=merged_type(s.type, scenario.merge)) for s in out]
        people = tuple(replace(p, type=merged_type(p.type, scenario.merge)) for p in profiles)
    else:
        people = tuple(profiles)
    return tuple(out), people


def _kind(p: Profile) -> Kind:
    return (p.type, p.sex, p.minor, p.medical)


def place_all(
    profiles: Iterable[Profile],
    institutions: Iterable[Site | InstitutionRecord],
    *,
    occupancy: Mapping[str, int] | None = None,
) -> Placed:
    """Everyone placed by the rule of `propose_placement`, in order of sentence start then id.

    Equal to calling `propose_placement` for each person in that order and counting each one in
    the occupancy. `occupancy` is who is already there (e.g. people held in mixed units).
    """
    all_sites = sites(institutions)
    free = {s.id: s.capacity - (occupancy or {}).get(s.id, 0) for s in all_sites}
    by_kind: dict[Kind, list[Site]] = defaultdict(list)
    for s in all_sites:
        if s.type != MIXED:
            by_kind[(s.type, s.sex, s.minors, s.medical)].append(s)
    homes = {r.key for r in load_regions()}
    km: dict[tuple[str, str], float] = {
        (h, s.id): site_distance_km(h, s) for h in homes for s in all_sites
    }
    lists: dict[tuple[str, Kind], list[tuple[float, str]]] = {}
    pointer: dict[tuple[str, Kind], int] = {}
    where: dict[str, str] = {}
    dist: dict[str, float] = {}
    over: list[str] = []
    none: list[str] = []
    order = sorted(profiles, key=lambda p: (p.sentenced_on or date.min, p.id))
    for p in order:
        kind = _kind(p)
        key = (p.home_region, kind)
        line = lists.get(key)
        if line is None:
            if p.home_region not in homes:
                raise InputError(f"person {p.id}: unknown home region {p.home_region!r}")
            line = lists[key] = sorted((km[(p.home_region, s.id)], s.id) for s in by_kind[kind])
            pointer[key] = 0
        if not line:
            none.append(p.id)
            continue
        i = pointer[key]
        while i < len(line) and free[line[i][1]] <= 0:
            i += 1
        pointer[key] = i
        if i < len(line):
            d, sid = line[i]
        else:
            d, sid = line[0]
            over.append(p.id)
        free[sid] -= 1
        where[p.id] = sid
        dist[p.id] = d
    return Placed(where, dist, tuple(over), tuple(none))


def _kind_at_home(profiles: Iterable[Profile], all_sites: Iterable[Site]) -> int:
    """People with an institution of their kind (any occupancy) in their home region."""
    at_home = {(s.region, (s.type, s.sex, s.minors, s.medical)) for s in all_sites}
    return sum((p.home_region, _kind(p)) in at_home for p in profiles)


def distribution(
    km: Sequence[float],
    outside: int,
    *,
    on: date,
    rules: PlacementRules | None = None,
) -> Distribution:
    """Percentiles (nearest-rank), mean, max and histogram of distances from home."""
    rules = rules or default_rules()
    edges = [float(e) for e in rules.value("simulator.histogram_km", on)]
    wanted = [int(p) for p in rules.value("simulator.percentiles", on)]
    values = sorted(km)
    n = len(values)
    pct = {p: values[max(0, math.ceil(p / 100 * n) - 1)] if n else 0.0 for p in wanted}
    counts = [0] * len(edges)
    for v in values:
        j = len(edges) - 1
        while j > 0 and v < edges[j]:
            j -= 1
        counts[j] += 1
    buckets = tuple(
        (edges[j], edges[j + 1] if j + 1 < len(edges) else None, counts[j])
        for j in range(len(edges))
    )
    return Distribution(
        n,
        sum(values) / n if n else 0.0,
        pct,
        values[-1] if n else 0.0,
        buckets,
        outside,
    )


def simulate(
    profiles: Sequence[Profile],
    institutions: Iterable[Site | InstitutionRecord],
    current: Mapping[str, str],
    scenario: Scenario,
    *,
    on: date,
    rules: PlacementRules | None = None,
) -> Simulation:
    """Before (where people are: `current` maps person -> institution), today's rule, the scenario."""
    rules = rules or default_rules()
    base_sites = sites(institutions)
    by_id = {s.id: s for s in base_sites}
    held = [p for p in profiles if p.type == MIXED]
    placed = [p for p in profiles if p.type != MIXED]
    held_occ = Counter(current[p.id] for p in held if p.id in current)
    baseline = place_all(placed, base_sites, occupancy=held_occ)
    new_sites, new_people = apply_scenario(base_sites, placed, scenario)
    after = place_all(new_people, new_sites, occupancy=held_occ)
    new_by_id = {s.id: s for s in new_sites}

    before_km: dict[str, float] = {}
    before_out = 0
    for p in placed:
        site = by_id.get(current.get(p.id, ""))
        if site is None:
            continue
        before_km[p.id] = site_distance_km(p.home_region, site)
        before_out += site.region != p.home_region
    homes = {p.id: p.home_region for p in placed}

    def outside(result: Placed, index: Mapping[str, Site]) -> int:
        return sum(index[s].region != homes[pid] for pid, s in result.where.items())

    closer_by = float(rules.value("simulator.closer_by_km", on))
    closer_now = sum(after.km[k] <= v - closer_by for k, v in before_km.items() if k in after.km)
    farther_now = sum(after.km[k] >= v + closer_by for k, v in before_km.items() if k in after.km)
    closer_base = sum(after.km[k] <= v - closer_by for k, v in baseline.km.items() if k in after.km)
    farther_base = sum(
        after.km[k] >= v + closer_by for k, v in baseline.km.items() if k in after.km
    )

    count_before = Counter(current[p.id] for p in profiles if p.id in current)
    count_base = Counter(baseline.where.values()) + held_occ
    count_after = Counter(after.where.values()) + held_occ
    load = tuple(
        Load(
            s.id,
            s.region,
            s.type,
            by_id[s.id].capacity if s.id in by_id else 0,
            s.capacity,
            count_before.get(s.id, 0),
            count_base.get(s.id, 0),
            count_after.get(s.id, 0),
        )
        for s in sorted(new_sites, key=lambda s: s.id)
    )
    return Simulation(
        scenario=scenario,
        on=on,
        people=len(profiles),
        held=len(held),
        before=distribution(list(before_km.values()), before_out, on=on, rules=rules),
        baseline=distribution(
            list(baseline.km.values()), outside(baseline, by_id), on=on, rules=rules
        ),
        after=distribution(list(after.km.values()), outside(after, new_by_id), on=on, rules=rules),
        closer_than_now=closer_now,
        farther_than_now=farther_now,
        closer_than_baseline=closer_base,
        farther_than_baseline=farther_base,
        over_limit_baseline=len(baseline.over_limit),
        over_limit_after=len(after.over_limit),
        kind_at_home_baseline=_kind_at_home(placed, base_sites),
        kind_at_home_after=_kind_at_home(new_people, new_sites),
        load=load,
        rules=rules.describe(),
    )
