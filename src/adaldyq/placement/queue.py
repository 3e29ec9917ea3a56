"""The open queue of transfer requests, one per target institution (Code art. 88; Mandela Rule 59).

A request's points on a date (weights in rules.yaml, `queue.*`, all P):

    points = per_100_km_gained × km gained / 100        (negative gains count as 0)
           + per_30_days_waiting × days since filing / 30
           + the sum of its family circumstances' points
           + its ground's points                           (safety first, then law and order, ...)

The queue of a target on a date holds the requests for it filed on or before that date and not
yet closed (granted, refused or withdrawn), by points (highest first), then filing date (earlier
first), then number. Since every open request gains waiting points at the same rate, the order
of two requests never changes with the date: only new requests and closures move a position.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from adaldyq.core.errors import InputError
from adaldyq.placement.model import TransferRequest
from adaldyq.placement.rules import PlacementRules, default_rules


@dataclass(frozen=True, slots=True)
class Points:
    """A request's points on a date, part by part (shown to the requester)."""

    number: str
    km: float
    waiting: float
    family: float
    ground: float

    @property
    def total(self) -> float:
        """The sum of the parts."""
        return self.km + self.waiting + self.family + self.ground


def request_number(sequence: int) -> str:
    """The number of the `sequence`-th request (1-based): `TR-000001`."""
    if sequence < 1:
        raise InputError(f"request sequence must be positive, not {sequence}")
    return f"TR-{sequence:06d}"


def check_request(request: TransferRequest, *, rules: PlacementRules | None = None) -> None:
    """InputError when the ground or a family circumstance is not one the rules know."""
    rules = rules or default_rules()
    grounds = {k.removeprefix("grounds.") for k in rules.keys("grounds")}
    if request.ground not in grounds:
        raise InputError(
            f"ground: expected one of {', '.join(sorted(grounds))}, not {request.ground!r}"
        )
    family = {k.removeprefix("queue.family.") for k in rules.keys("queue.family")}
    unknown = sorted(set(request.family) - family)
    if unknown:
        raise InputError(
            f"family: unknown circumstance {unknown[0]!r}; expected one of {', '.join(sorted(family))}"
        )


def points(request: TransferRequest, *, on: date, rules: PlacementRules | None = None) -> Points:
    """The request's points on `on`, part by part."""
    rules = rules or default_rules()
    per_km = float(rules.value("queue.per_100_km_gained", on))
    per_wait = float(rules.value("queue.per_30_days_waiting", on))
    family = sum(float(rules.value(f"queue.family.{f}", on)) for f in set(request.family))
    ground_key = f"queue.ground.{request.ground}"
    ground = float(rules.value(ground_key, on)) if ground_key in rules.rules else 0.0
    waited = max(0, (on - request.filed_on).days)
    return Points(
        request.number,
        per_km * max(0.0, request.distance_gained_km) / 100,
        per_wait * waited / 30,
        family,
        ground,
    )


def queue(
    requests: Iterable[TransferRequest],
    target: str,
    *,
    on: date,
    closed: Collection[str] = (),
    rules: PlacementRules | None = None,
) -> tuple[TransferRequest, ...]:
    """The open requests for `target` on `on`, first in line first."""
    rules = rules or default_rules()
    open_ = [
        r for r in requests if r.target == target and r.filed_on <= on and r.number not in closed
    ]
    scored = [(points(r, on=on, rules=rules).total, r) for r in open_]
    scored.sort(key=lambda t: (-t[0], t[1].filed_on, t[1].number))
    return tuple(r for _, r in scored)


def queue_position(
    requests: Iterable[TransferRequest],
    number: str,
    *,
    on: date,
    closed: Collection[str] = (),
    rules: PlacementRules | None = None,
) -> int | None:
    """The 1-based place of request `number` in its target's queue on `on` (None when not open)."""
    pool = list(requests)
    mine = next((r for r in pool if r.number == number), None)
    if mine is None:
        raise InputError(f"no transfer request {number!r}")
    line = queue(pool, mine.target, on=on, closed=closed, rules=rules)
    return next((i for i, r in enumerate(line, start=1) if r.number == number), None)


def next_in_queue(
    requests: Iterable[TransferRequest],
    target: str,
    *,
    on: date,
    closed: Collection[str] = (),
    rules: PlacementRules | None = None,
) -> TransferRequest | None:
    """The request that should be decided next for `target` on `on` (None when the queue is empty)."""
    line = queue(requests, target, on=on, closed=closed, rules=rules)
    return line[0] if line else None


def queues(
    requests: Iterable[TransferRequest],
    *,
    on: date,
    closed: Collection[str] = (),
    rules: PlacementRules | None = None,
) -> Mapping[str, tuple[TransferRequest, ...]]:
    """Every target's queue on `on`, by target id."""
    pool = list(requests)
    targets = sorted({r.target for r in pool})
    return {t: queue(pool, t, on=on, closed=closed, rules=rules) for t in targets}
