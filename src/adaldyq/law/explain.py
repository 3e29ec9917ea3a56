"""The explanation records every result carries (OpenFisca's TraceNode, flattened).

A `Ref` names the figure, article, source and confidence a rule rests on; a `Condition` is one criterion
(met or not, when it is or will be met, the facts it rests on); a `Finding` is one legal outcome with its
conditions. A condition's `code` is a message id, rendered in kk/ru/en by `adaldyq.law.messages`.

`Condition` and `Finding` are slotted but not frozen dataclasses with a written `__init__`: a frozen
one costs three times as much to build, a generated `__init__` stays interpreted when the engine is
compiled, and the engine builds some thirty a person (ADRs 0003, 0013). Treat them as immutable; results share
some of them (entitlements, constant conditions) between people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

#: LAW.md's confidence codes, strongest first.
CONFIDENCES: Final = ("L", "L-old", "S", "P", "?", "D")


@dataclass(frozen=True, slots=True)
class Ref:
    """The legal basis of a condition: the figure, its value on the date, article, source, confidence."""

    #: Law-pack key of the figure (`degrees.first_positive.months_without_penalty`), or a rule id.
    key: str
    #: PEC / CC article as the law pack states it.
    article: str
    #: LAW.md confidence code.
    confidence: str
    #: Where the figure comes from.
    source: str = ""
    #: The figure's value on the date (None when unknown).
    value: Any = None
    #: First day the value is in force.
    valid_from: date | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "key": self.key,
            "article": self.article,
            "confidence": self.confidence,
            "source": self.source,
            "value": self.value,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
        }


@dataclass(slots=True, init=False)
class Condition:
    """One criterion of a finding."""

    #: Message id (see `adaldyq.law.messages`).
    code: str
    #: Met on the evaluation date; None when not determinable (a figure is unknown).
    met: bool | None
    #: The date on which it is (or will be, if no new facts come) met; None when that cannot be known.
    met_on: date | None
    #: The figure it rests on.
    ref: Ref | None
    #: Message parameters and the facts it rests on (dates, degrees, counts).
    params: dict[str, Any]

    def __init__(
        self,
        code: str,
        met: bool | None,
        met_on: date | None = None,
        ref: Ref | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        self.code = code
        self.met = met
        self.met_on = met_on
        self.ref = ref
        self.params = {} if params is None else params

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "code": self.code,
            "met": self.met,
            "met_on": self.met_on.isoformat() if self.met_on else None,
            "ref": self.ref.to_dict() if self.ref else None,
            "params": {
                k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.params.items()
            },
        }


@dataclass(slots=True, init=False)
class Finding:
    """One legal outcome (a degree, a transfer, a date) with the conditions it was decided on."""

    #: Finding id: `degree.1`, `transfer.regular.light`, `parole`, `entitlement.short_visits_per_year`.
    id: str
    #: The article the outcome rests on.
    article: str
    #: The weakest confidence among the figures used.
    confidence: str
    #: All conditions met; None when not determinable.
    met: bool | None
    conditions: tuple[Condition, ...]
    #: The earliest date all conditions are met if no new facts come; None when it cannot be known.
    met_on: date | None
    #: The outcome's value when it is a value (a date, a count).
    value: Any

    def __init__(
        self,
        id: str,
        article: str,
        confidence: str,
        met: bool | None,
        conditions: tuple[Condition, ...] = (),
        met_on: date | None = None,
        value: Any = None,
    ) -> None:
        self.id = id
        self.article = article
        self.confidence = confidence
        self.met = met
        self.conditions = conditions
        self.met_on = met_on
        self.value = value

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        value = self.value.isoformat() if isinstance(self.value, date) else self.value
        return {
            "id": self.id,
            "article": self.article,
            "confidence": self.confidence,
            "met": self.met,
            "met_on": self.met_on.isoformat() if self.met_on else None,
            "value": value,
            "conditions": [c.to_dict() for c in self.conditions],
        }


#: Conditions that many results share (a plan's constant ones, a rule's "the file does not say"), by
#: identity: the condition, then its plain form and that form as JSON once the engine has made them
#: (`adaldyq.law.engine`), so that each is turned into JSON once, not once a result.
SHARED: Final[dict[int, tuple[Condition, Any, Any]]] = {}
#: The parameters of every shared condition (none): the engine tells one by them without a look-up.
SHARED_PARAMS: Final[dict[str, Any]] = {}


def shared(c: Condition) -> Condition:
    """`c`, marked as one that many results share (it must then never change; it has no parameters)."""
    if c.params:
        raise ValueError(f"{c.code}: a shared condition has no parameters")
    if len(SHARED) >= 10_000:  # plans are kept per period (`LawPack.plan`): a bound all the same
        SHARED.clear()
    c.params = SHARED_PARAMS
    SHARED[id(c)] = (c, None, None)
    return c


_RANK: Final = {"L": 0, "L-old": 1, "S": 2, "P": 3, "D": 4, "?": 5}


def weakest(*codes: str) -> str:
    """The weakest of several confidence codes (L strongest, then L-old, S, P, D, ?)."""
    worst, rank = "L", 0
    for c in codes:
        r = _RANK.get(c, 5)
        if r > rank:
            worst, rank = c, r
    return worst


def weaker(a: str, b: str) -> str:
    """The weaker of two confidence codes (`weakest` of two, without building a tuple)."""
    return b if _RANK.get(b, 5) > _RANK.get(a, 5) else a


def all_met(conditions: tuple[Condition, ...]) -> tuple[bool | None, date | None]:
    """Combine conditions: met (False wins over None), and the date all will be met (None if any unknown)."""
    met: bool | None = True
    latest: date | None = None
    known = True
    for c in conditions:
        if c.met is False:
            met = False
        elif c.met is None and met is not False:
            met = None
        on = c.met_on
        if on is None:
            known = False
        elif latest is None or on > latest:
            latest = on
    return met, (latest if known else None)
