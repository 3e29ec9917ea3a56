"""Placement and transfers between institutions: close to home, by an open queue (issue 7).

from adaldyq.placement import Profile, propose_placement, simulate, Scenario
proposal = propose_placement(profile, institutions, occupancy, on=date(2025, 3, 1))
proposal.institution, proposal.alternatives          # every other institution and why it lost
queue_position(requests, "TR-000007", on=...)         # the open queue per target institution
placement_flags(decisions=..., institutions=..., occupancy=...)   # for oversight
change_of_type(TypeChangeCase(...), on=...)           # Code art. 96
transfer_refusals(profile, here=site, target=site, ground=..., on=...)   # what the rules refuse
simulate(profiles, institutions, current, Scenario(merge=(("medium", "maximum"),)), on=...)

Pure Python: no Django, typer or rich (lint-imports). Every rule and weight is in `rules.yaml`
with its article, source and confidence (`PlacementRules`); ADR 0007 explains the choices.
"""

from adaldyq.placement.admissible import (
    REFUSAL_RULES,
    Refusal,
    placement_refusals,
    transfer_refusals,
)
from adaldyq.placement.change_of_type import TypeChange, TypeChangeCase, change_of_type
from adaldyq.placement.flags import (
    capacity_flags,
    far_from_home_flags,
    ground_flags,
    mixed_unit_flags,
    placement_flags,
    proposal_flags,
    queue_jump_flags,
    repeated_transfer_flags,
)
from adaldyq.placement.model import (
    Alternative,
    Flag,
    Profile,
    Proposal,
    Site,
    TransferDecision,
    TransferRequest,
)
from adaldyq.placement.placing import is_right_kind, mismatches, propose_placement, site_distance_km
from adaldyq.placement.queue import (
    Points,
    check_request,
    next_in_queue,
    points,
    queue,
    queue_position,
    queues,
    request_number,
)
from adaldyq.placement.rules import PlacementRules, PlacementRulesError, default_rules
from adaldyq.placement.simulate import (
    Distribution,
    Load,
    Placed,
    Scenario,
    Simulation,
    apply_scenario,
    distribution,
    place_all,
    simulate,
)

__all__ = [
    "REFUSAL_RULES",
    "Alternative",
    "Distribution",
    "Flag",
    "Load",
    "Placed",
    "PlacementRules",
    "PlacementRulesError",
    "Points",
    "Profile",
    "Proposal",
    "Refusal",
    "Scenario",
    "Simulation",
    "Site",
    "TransferDecision",
    "TransferRequest",
    "TypeChange",
    "TypeChangeCase",
    "apply_scenario",
    "capacity_flags",
    "change_of_type",
    "check_request",
    "default_rules",
    "distribution",
    "far_from_home_flags",
    "ground_flags",
    "is_right_kind",
    "mismatches",
    "mixed_unit_flags",
    "next_in_queue",
    "place_all",
    "placement_flags",
    "placement_refusals",
    "points",
    "proposal_flags",
    "propose_placement",
    "queue",
    "queue_jump_flags",
    "queue_position",
    "queues",
    "repeated_transfer_flags",
    "request_number",
    "simulate",
    "site_distance_km",
    "transfer_refusals",
]
