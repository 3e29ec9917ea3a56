"""Which transfers between institutions the rules admit: Code arts. 88 and 96, Mandela Rules 11
and 59 (LAW.md §1, §5, §7; rules.yaml `requests.*`, `placement.*`, `grounds.*`).

    transfer_refusals(profile, here=site, target=site, ground="closer_to_home", on=...)
    placement_refusals(profile, target=site, on=...)      # a placement decision: sex, type, age

A request or a decision to move a person from `here` to `target` is refused when:

- `transfer.same_institution`: the person is already there;
- `transfer.unknown_ground`: the ground is not one of art. 88's (or closer to home);
- `transfer.mixed_unit`: the target is a mixed-security unit (never a place to serve by request);
- `transfer.wrong_type`: the target's type is not the one the court set (a change of type is for a
  court under art. 96, never for a request);
- `transfer.type_unknown`: the court's type is not recorded, so the rule cannot be applied;
- `transfer.wrong_sex`, `transfer.minors_only`, `transfer.adults_only`: Mandela Rule 11;
- `transfer.not_closer`: a request to serve closer to home names an institution that is not
  nearer the centre of the home region than where the person is;
- `transfer.home_unknown`: closer to home, but the file has no home region;
- `transfer.consent_missing`: operational need without the person's prior consent (art. 88 (3)),
  checked only when `consent` is given (a decision; a request may be filed before consent).

Medical need is not in the personal file, so a medical institution is neither refused nor
admitted on that ground here (the doctors decide; LAW.md has no figure).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from adaldyq.law.explain import Ref
from adaldyq.placement.model import Profile, Site
from adaldyq.placement.placing import MIXED, site_distance_km
from adaldyq.placement.rules import PlacementRules, default_rules

#: The rule each refusal rests on (keys of rules.yaml).
REFUSAL_RULES: dict[str, str] = {
    "transfer.same_institution": "requests.another_institution",
    "transfer.unknown_ground": "flags.art88_ground",
    "transfer.mixed_unit": "placement.mixed_units_not_a_placement",
    "transfer.wrong_type": "flags.same_type",
    "transfer.type_unknown": "flags.same_type",
    "transfer.wrong_sex": "placement.separate_sexes",
    "transfer.minors_only": "placement.separate_minors",
    "transfer.adults_only": "placement.separate_minors",
    "transfer.not_closer": "requests.closer_to_home",
    "transfer.home_unknown": "requests.closer_to_home",
    "transfer.consent_missing": "grounds.operational_need",
    "transfer.already_open": "requests.one_open_per_person",
}


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why the rules refuse a transfer, the rule to cite, and the figures it was decided on."""

    #: A key of `REFUSAL_RULES`.
    code: str
    ref: Ref
    detail: dict[str, Any] = field(default_factory=dict)


def transfer_refusals(
    profile: Profile,
    *,
    here: Site | None,
    target: Site,
    ground: str,
    on: date,
    consent: bool | None = None,
    rules: PlacementRules | None = None,
) -> tuple[Refusal, ...]:
    """Every rule that refuses moving `profile` from `here` to `target` on `ground` (empty: admitted).

    `profile.type` is the type of institution the court set ("" when not recorded);
    `profile.home_region` may be "" (not recorded).
    """
    rules = rules or default_rules()
    found: list[tuple[str, dict[str, Any]]] = []
    if here is not None and here.id == target.id:
        found.append(("transfer.same_institution", {"institution": target.id}))
    grounds = {k.removeprefix("grounds.") for k in rules.keys("grounds")}
    if ground not in grounds:
        found.append(("transfer.unknown_ground", {"ground": ground}))
    if target.type == MIXED:
        found.append(("transfer.mixed_unit", {"institution": target.id}))
    found.extend(_kind(profile, target))
    if ground == "closer_to_home":
        found.extend(_closer(profile, here, target))
    if consent is False and ground in grounds:
        needs = rules.value(f"grounds.{ground}", on)
        if isinstance(needs, dict) and needs.get("consent"):
            found.append(("transfer.consent_missing", {"ground": ground}))
    return tuple(Refusal(code, rules.ref(REFUSAL_RULES[code], on), d) for code, d in found)


def placement_refusals(
    profile: Profile, target: Site, *, on: date, rules: PlacementRules | None = None
) -> tuple[Refusal, ...]:
    """What the rules refuse in placing `profile` in `target`: the other sex, another type than the
    court set, the other age group. A mixed unit is not refused here: a placement there is
    explicit, needs a reason and is flagged (rules.yaml placement.mixed_units_not_a_placement)."""
    rules = rules or default_rules()
    return tuple(
        Refusal(code, rules.ref(REFUSAL_RULES[code], on), d) for code, d in _kind(profile, target)
    )


def _kind(profile: Profile, target: Site) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if target.type == MIXED:  # refused or flagged by the caller, not a type to compare
        return found
    if not profile.type:
        found.append(("transfer.type_unknown", {"target_type": target.type}))
    elif target.type != profile.type:
        found.append(("transfer.wrong_type", {"type": profile.type, "target_type": target.type}))
    if target.sex != profile.sex:
        found.append(("transfer.wrong_sex", {"sex": profile.sex, "target_sex": target.sex}))
    if profile.minor and not target.minors:
        found.append(("transfer.minors_only", {}))
    if not profile.minor and target.minors:
        found.append(("transfer.adults_only", {}))
    return found


def _closer(profile: Profile, here: Site | None, target: Site) -> list[tuple[str, dict[str, Any]]]:
    if not profile.home_region:
        return [("transfer.home_unknown", {})]
    there = site_distance_km(profile.home_region, target)
    if here is None:  # not yet placed: any institution is a placement, not a move closer
        return []
    now = site_distance_km(profile.home_region, here)
    if there < now:
        return []
    return [
        (
            "transfer.not_closer",
            {"home_region": profile.home_region, "km_now": round(now), "km_there": round(there)},
        )
    ]
