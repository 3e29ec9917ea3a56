"""Change of institution type by court: Code art. 96 (LAW.md §5; L, in translation).

With the 2nd or 3rd positive degree held:
  complete -> maximum or medium, after 1/2 of the term served there;
  medium or maximum -> minimum, from light or preferential conditions, after 1/4 of the term
  (minor or medium gravity), 1/3 (grave), 2/3 (a new crime during the unserved part after an
  earlier release); never for dangerous recidivism, corruption crimes with the damage not
  compensated, especially grave, terrorist or extremist crimes.

The figures are in rules.yaml (`change_of_type.*`) until they move to the law pack. The part of
the term is taken of the term in days, rounded up, counted from the sentence start, or for
complete security from the arrival there when known (`change_of_type.served_from`, P).
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from adaldyq.core.errors import InputError
from adaldyq.law.explain import Condition
from adaldyq.placement.rules import PlacementRules, default_rules

ARTICLE = "Code art. 96"
EXCLUSIONS = (
    "dangerous_recidivism",
    "corruption_damage_uncompensated",
    "terrorist_or_extremist",
)


@dataclass(frozen=True, slots=True)
class TypeChangeCase:
    """What art. 96 needs to know about a person on a date."""

    person: str
    #: The current institution type.
    type: str
    #: The current condition inside it (LAW.md §1).
    condition: str
    #: The degree of behaviour held (the law engine's `Result.degree`).
    degree: int
    #: `minor`, `medium`, `grave`, `especially_grave` (None: not given).
    gravity: str | None
    sentence_start: date
    #: The term in days, start to release inclusive (None: life).
    term_days: int | None
    #: Arrival in the current type, when known (counts for complete security).
    in_type_since: date | None = None
    #: Any of `EXCLUSIONS` that apply.
    exclusions: frozenset[str] = frozenset()
    #: Any of `EXCLUSIONS` the file cannot tell (a corruption crime whose damage the file does not say
    #: is compensated): the answer is then not determinable, never a guess.
    unknown: frozenset[str] = frozenset()
    #: A new crime committed during the unserved part after an earlier release.
    reoffended_after_release: bool = False


@dataclass(frozen=True, slots=True)
class TypeChange:
    """One direction art. 96 opens for the person, with its conditions."""

    person: str
    from_type: str
    to_types: tuple[str, ...]
    #: Every condition met on the date (None: not determinable).
    eligible: bool | None
    #: The day the served part is reached (the court may decide from then if the rest holds).
    served_on: date | None
    #: The first day eligible if nothing else changes: `served_on` when every other condition
    #: holds now; None when another condition is not met or not determinable.
    eligible_from: date | None
    conditions: tuple[Condition, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "person": self.person,
            "article": ARTICLE,
            "from_type": self.from_type,
            "to_types": list(self.to_types),
            "eligible": self.eligible,
            "served_on": self.served_on.isoformat() if self.served_on else None,
            "eligible_from": self.eligible_from.isoformat() if self.eligible_from else None,
            "conditions": [c.to_dict() for c in self.conditions],
        }


def change_of_type(
    case: TypeChangeCase, *, on: date, rules: PlacementRules | None = None
) -> TypeChange | None:
    """The change of type art. 96 allows from the person's type (None when it allows none)."""
    rules = rules or default_rules()
    strange = (set(case.exclusions) | set(case.unknown)) - set(EXCLUSIONS)
    if strange:
        raise InputError(
            f"exclusions: unknown {sorted(strange)[0]!r}; expected any of {', '.join(EXCLUSIONS)}"
        )
    to_minimum_from = rules.value("change_of_type.to_minimum.from", on)
    if case.type == "complete":
        return _from_complete(case, on, rules)
    if case.type in to_minimum_from:
        return _to_minimum(case, on, rules)
    return None


def _degree(case: TypeChangeCase, on: date, rules: PlacementRules) -> Condition:
    need = rules.resolve("change_of_type.min_degree", on)
    return Condition(
        "type_change.degree_held",
        case.degree >= int(need.value),
        None,
        need.ref,
        {"degree": case.degree, "at_least": need.value},
    )


def _served(
    case: TypeChangeCase, key: str, since: date, on: date, rules: PlacementRules
) -> Condition:
    fig = rules.resolve(key, on)
    if case.term_days is None:
        return Condition("type_change.fraction_of_life", None, None, fig.ref, {"life": True})
    share = Fraction(str(fig.value))
    days = math.ceil(case.term_days * share)
    due = since + timedelta(days=days)
    return Condition(
        "type_change.fraction_served",
        on >= due,
        due,
        fig.ref,
        {"fraction": str(share), "term_days": case.term_days, "days": days, "from": since},
    )


def _result(case: TypeChangeCase, to: tuple[str, ...], conds: tuple[Condition, ...]) -> TypeChange:
    served = next((c for c in conds if c.code.startswith("type_change.fraction")), None)
    served_on = served.met_on if served else None
    if any(c.met is None for c in conds):
        eligible: bool | None = None
    else:
        eligible = all(c.met for c in conds)
    others = [c for c in conds if c is not served]
    eligible_from = served_on if served_on and all(c.met for c in others) else None
    return TypeChange(case.person, case.type, to, eligible, served_on, eligible_from, conds)


def _from_complete(case: TypeChangeCase, on: date, rules: PlacementRules) -> TypeChange:
    to = tuple(rules.value("change_of_type.from_complete.to", on))
    since = case.in_type_since or case.sentence_start
    conds = (
        _degree(case, on, rules),
        _served(case, "change_of_type.from_complete.fraction", since, on, rules),
        Condition(
            "type_change.counted_from", True, None, rules.ref("change_of_type.served_from", on)
        ),
    )
    return _result(case, to, conds)


def _to_minimum(case: TypeChangeCase, on: date, rules: PlacementRules) -> TypeChange:
    excluded: Collection[str] = rules.value("change_of_type.to_minimum.excluded", on)
    excluded_ref = rules.ref("change_of_type.to_minimum.excluded", on)
    conditions = rules.resolve("change_of_type.to_minimum.conditions", on)
    hits = sorted({*case.exclusions, *([case.gravity] if case.gravity else [])} & set(excluded))
    conds: list[Condition] = [
        _degree(case, on, rules),
        Condition(
            "type_change.condition_held",
            case.condition in conditions.value,
            None,
            conditions.ref,
            {"condition": case.condition, "allowed": list(conditions.value)},
        ),
        Condition(
            "type_change.not_excluded",
            False if hits else (None if case.unknown else True),
            None,
            excluded_ref,
            {"excluded": hits, "unknown": sorted(case.unknown)},
        ),
    ]
    if case.reoffended_after_release:
        key: str | None = "change_of_type.to_minimum.fraction.reoffended"
    elif case.gravity in ("minor", "medium", "grave"):
        key = f"change_of_type.to_minimum.fraction.{case.gravity}"
    else:
        key = None
    if key is not None:
        conds.append(_served(case, key, case.sentence_start, on, rules))
    elif case.gravity is None:
        conds.append(Condition("type_change.gravity_missing", None, None, excluded_ref, {}))
    return _result(case, ("minimum",), tuple(conds))
