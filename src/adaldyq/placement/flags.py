"""Flags on placements and transfers for oversight (issue 7; Code art. 88; Mandela Rules 11, 59).

Each function is pure: it reads requests, decisions (in ledger order), institutions, the
occupancy before the first decision and the people's profiles, and returns `Flag`s whose
evidence names the decision first, then the requests, institutions or decisions involved.

    queue_jump_flags         a transfer that passed over an open request ranked ahead of it
    capacity_flags           a move into an institution at or over its limit (override or not)
    ground_flags             a transfer without an art. 88 ground, without consent where needed,
                             or to another type (a change of type is for a court, art. 96)
    mixed_unit_flags         any placement or transfer into a mixed-security unit
    repeated_transfer_flags  N transfers of one person within M months
    far_from_home_flags      a placement farther than a free institution of the right kind
    proposal_flags           a placement against the system's proposal
    placement_flags          all of the above, by date
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date

from adaldyq.core.dates import add_months
from adaldyq.placement.model import (
    Flag,
    InstitutionRecord,
    Profile,
    Site,
    TransferDecision,
    TransferRequest,
)
from adaldyq.placement.placing import MIXED, propose_placement, site_distance_km, sites
from adaldyq.placement.queue import points, queue
from adaldyq.placement.rules import PlacementRules, default_rules

#: The rule each kind of flag rests on (keys of rules.yaml).
FLAG_RULES: dict[str, str] = {
    "queue_jumped": "queue.order",
    "over_capacity": "placement.respect_capacity",
    "no_art88_ground": "flags.art88_ground",
    "consent_missing": "grounds.operational_need",
    "type_changed_without_court": "flags.same_type",
    "mixed_unit_placement": "placement.mixed_units_not_a_placement",
    "repeated_transfers": "flags.repeated_transfers.count",
    "placed_far_from_home": "flags.far_from_home.tolerance_km",
    "against_proposal": "flags.against_proposal",
}


def _flag(
    kind: str,
    d: TransferDecision,
    evidence: Iterable[str],
    rules: PlacementRules,
    **detail: object,
) -> Flag:
    return Flag(kind, d.on, d.person, (d.id, *evidence), rules.ref(FLAG_RULES[kind], d.on), detail)


def in_order(decisions: Iterable[TransferDecision]) -> list[TransferDecision]:
    """Decisions by date; decisions of one day keep their ledger order."""
    return sorted(decisions, key=lambda d: d.on)


def _replay(
    decisions: Iterable[TransferDecision], occupancy: Mapping[str, int]
) -> Iterator[tuple[TransferDecision, dict[str, int]]]:
    """Each decision with the occupancy just before it (the same dict, updated after each)."""
    occ = dict(occupancy)
    for d in in_order(decisions):
        yield d, occ
        occ[d.to_institution] = occ.get(d.to_institution, 0) + 1
        if d.from_institution is not None:
            occ[d.from_institution] = occ.get(d.from_institution, 0) - 1


def queue_jump_flags(
    requests: Iterable[TransferRequest],
    decisions: Iterable[TransferDecision],
    *,
    withdrawn: Mapping[str, date] | None = None,
    rules: PlacementRules | None = None,
) -> list[Flag]:
    """Transfers that passed over open requests ranked ahead of them in the target's queue.

    A decision granting a request is compared with that request's place; a transfer without a
    request is ranked as a request filed that day with its ground and no km or family points.
    A request closes when granted, or on its date in `withdrawn` (refused or withdrawn).
    """
    rules = rules or default_rules()
    pool = list(requests)
    by_number = {r.number: r for r in pool}
    gone = withdrawn or {}
    granted: set[str] = set()
    out: list[Flag] = []
    for d in in_order(decisions):
        if d.is_placement:
            continue
        closed = granted | {n for n, when in gone.items() if when <= d.on}
        line = queue(pool, d.to_institution, on=d.on, closed=closed, rules=rules)
        mine = by_number.get(d.request) if d.request else None
        numbers = [r.number for r in line]
        if mine is not None and mine.number in numbers:
            ahead = list(line[: numbers.index(mine.number)])
        else:
            virtual = TransferRequest(
                d.request or d.id,
                d.person,
                d.to_institution,
                d.ground or "",
                d.on,
                d.from_institution,
            )
            own = points(virtual, on=d.on, rules=rules).total
            ahead = [r for r in line if points(r, on=d.on, rules=rules).total >= own]
        ahead = [r for r in ahead if r.person != d.person]
        if ahead:
            out.append(
                _flag(
                    "queue_jumped",
                    d,
                    [*([d.request] if d.request else []), *(r.number for r in ahead)],
                    rules,
                    target=d.to_institution,
                    skipped=len(ahead),
                    reason=d.reason,
                )
            )
        if d.request:
            granted.add(d.request)
    return out


def capacity_flags(
    decisions: Iterable[TransferDecision],
    institutions: Iterable[Site | InstitutionRecord],
    occupancy: Mapping[str, int],
    *,
    rules: PlacementRules | None = None,
) -> list[Flag]:
    """Moves into an institution already at or over its limit (an override is flagged too)."""
    rules = rules or default_rules()
    capacity = {s.id: s.capacity for s in sites(institutions)}
    out: list[Flag] = []
    for d, occ in _replay(decisions, occupancy):
        held, limit = occ.get(d.to_institution, 0), capacity.get(d.to_institution)
        if limit is not None and held >= limit:
            out.append(
                _flag(
                    "over_capacity",
                    d,
                    [d.to_institution],
                    rules,
                    occupancy=held,
                    capacity=limit,
                    override=d.capacity_override,
                    reason=d.reason,
                )
            )
    return out


def ground_flags(
    decisions: Iterable[TransferDecision],
    institutions: Iterable[Site | InstitutionRecord],
    *,
    rules: PlacementRules | None = None,
) -> list[Flag]:
    """Transfers with no art. 88 ground, without consent where required, or to another type."""
    rules = rules or default_rules()
    kind = {s.id: s.type for s in sites(institutions)}
    out: list[Flag] = []
    for d in in_order(decisions):
        if d.is_placement:
            continue
        key = f"grounds.{d.ground}"
        if d.ground is None or key not in rules.rules:
            out.append(_flag("no_art88_ground", d, [], rules, ground=d.ground))
        elif rules.value(key, d.on).get("consent") and not d.consent:
            out.append(_flag("consent_missing", d, [], rules, ground=d.ground))
        a, b = kind.get(d.from_institution or ""), kind.get(d.to_institution)
        if a is not None and b is not None and a != b and MIXED not in (a, b):
            out.append(
                _flag(
                    "type_changed_without_court",
                    d,
                    [d.from_institution or "", d.to_institution],
                    rules,
                    from_type=a,
                    to_type=b,
                )
            )
    return out


def mixed_unit_flags(
    decisions: Iterable[TransferDecision],
    institutions: Iterable[Site | InstitutionRecord],
    *,
    rules: PlacementRules | None = None,
) -> list[Flag]:
    """Every placement or transfer into a mixed-security unit of a pre-trial centre."""
    rules = rules or default_rules()
    mixed = {s.id for s in sites(institutions) if s.type == MIXED}
    return [
        _flag("mixed_unit_placement", d, [d.to_institution], rules, reason=d.reason)
        for d in in_order(decisions)
        if d.to_institution in mixed
    ]


def repeated_transfer_flags(
    decisions: Iterable[TransferDecision], *, rules: PlacementRules | None = None
) -> list[Flag]:
    """The transfer that makes N transfers of one person within the last M months (LAW.md §0)."""
    rules = rules or default_rules()
    by_person: dict[str, list[TransferDecision]] = defaultdict(list)
    for d in in_order(decisions):
        if not d.is_placement:
            by_person[d.person].append(d)
    out: list[Flag] = []
    for moves in by_person.values():
        for i, d in enumerate(moves):
            count = int(rules.value("flags.repeated_transfers.count", d.on))
            months = int(rules.value("flags.repeated_transfers.window_months", d.on))
            since = add_months(d.on, -months)
            window = [m for m in moves[: i + 1] if m.on > since]
            if len(window) >= count:
                earlier = [m.id for m in window[:-1]]
                out.append(
                    _flag("repeated_transfers", d, earlier, rules, count=len(window), months=months)
                )
    return out


def far_from_home_flags(
    decisions: Iterable[TransferDecision],
    institutions: Iterable[Site | InstitutionRecord],
    occupancy: Mapping[str, int],
    profiles: Mapping[str, Profile],
    *,
    rules: PlacementRules | None = None,
) -> list[Flag]:
    """Placements farther from home than a free institution of the right kind, beyond a tolerance."""
    rules = rules or default_rules()
    all_sites = sites(institutions)
    by_id = {s.id: s for s in all_sites}
    out: list[Flag] = []
    for d, occ in _replay(decisions, occupancy):
        profile = profiles.get(d.person)
        site = by_id.get(d.to_institution)
        if not d.is_placement or profile is None or site is None or profile.type == MIXED:
            continue
        proposal = propose_placement(profile, all_sites, occ, on=d.on, rules=rules)
        if proposal.institution is None or proposal.over_capacity:
            continue
        assert proposal.distance_km is not None  # noqa: S101 -- set with the institution
        tolerance = float(rules.value("flags.far_from_home.tolerance_km", d.on))
        km = site_distance_km(profile.home_region, site)
        if km - proposal.distance_km > tolerance:
            out.append(
                _flag(
                    "placed_far_from_home",
                    d,
                    [proposal.institution],
                    rules,
                    km=round(km, 1),
                    nearer_km=round(proposal.distance_km, 1),
                    nearer=proposal.institution,
                    reason=d.reason,
                )
            )
    return out


def proposal_flags(
    decisions: Iterable[TransferDecision], *, rules: PlacementRules | None = None
) -> list[Flag]:
    """Placements that depart from the proposal recorded with them."""
    rules = rules or default_rules()
    return [
        _flag("against_proposal", d, [d.proposed], rules, proposed=d.proposed, reason=d.reason)
        for d in in_order(decisions)
        if d.is_placement and d.proposed is not None and d.proposed != d.to_institution
    ]


def placement_flags(
    *,
    decisions: Sequence[TransferDecision],
    institutions: Iterable[Site | InstitutionRecord],
    occupancy: Mapping[str, int],
    requests: Iterable[TransferRequest] = (),
    profiles: Mapping[str, Profile] | None = None,
    withdrawn: Mapping[str, date] | None = None,
    rules: PlacementRules | None = None,
) -> list[Flag]:
    """Every flag of this module, by date, then kind, then person."""
    rules = rules or default_rules()
    all_sites = sites(institutions)
    out = [
        *queue_jump_flags(requests, decisions, withdrawn=withdrawn, rules=rules),
        *capacity_flags(decisions, all_sites, occupancy, rules=rules),
        *ground_flags(decisions, all_sites, rules=rules),
        *mixed_unit_flags(decisions, all_sites, rules=rules),
        *repeated_transfer_flags(decisions, rules=rules),
        *far_from_home_flags(decisions, all_sites, occupancy, profiles or {}, rules=rules),
        *proposal_flags(decisions, rules=rules),
    ]
    out.sort(key=lambda f: (f.on, f.kind, f.person, f.evidence))
    return out
