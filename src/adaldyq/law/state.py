"""One pass over a person's facts: validate them and fold them into the state the rules read.

Facts dated after the evaluation date are validated but change nothing (issue 2's property).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from adaldyq.core.errors import CaseError
from adaldyq.core.facts import RECOGNITION_DEGREE, RECORDED_ONLY, REQUIRED_FIELDS
from adaldyq.core.person import Person

_fromiso = date.fromisoformat


@dataclass(slots=True)
class State:
    """What the facts up to the evaluation date establish."""

    on: date
    #: Degree held: -3..3 (LAW.md §2: the latest degree decision).
    degree: int = 0
    degree_since: date | None = None
    #: Latest award date of each positive degree (1, 2, 3).
    awarded: dict[int, date] = field(default_factory=dict)
    condition: str = "regular"
    condition_since: date | None = None
    arrived_on: date | None = None
    incentives: list[date] = field(default_factory=list)
    penalties: list[date] = field(default_factory=list)
    member: bool = False
    member_since: date | None = None
    diligent: bool | None = None
    assessed_on: date | None = None
    #: Number of facts read (all of them, including those after `on`).
    facts: int = 0

    def latest_penalty_after(self, after: date) -> date | None:
        """The latest penalty imposed on a day after `after` (up to the evaluation date), if any."""
        if self.penalties and self.penalties[-1] > after:
            return self.penalties[-1]
        return None

    def first_penalty_after(self, after: date) -> date | None:
        """The first penalty imposed on a day after `after`, if any."""
        for p in self.penalties:
            if p > after:
                return p
        return None


def _bad(case: str | None, i: int, key: str, message: str) -> CaseError:
    return CaseError(message, case=case, field=f"events[{i}].{key}")


#: ISO date strings seen before, and their dates: a population shares a few thousand distinct days, and
#: a dictionary hit is cheaper than parsing. Only valid dates enter it.
_DATES: dict[Any, date] = {}
_DATES_MAX = 200_000


def _parse_date(raw: Any, case: str | None, i: int) -> date:
    if isinstance(raw, date):
        return raw
    try:
        d = _fromiso(raw)
    except (TypeError, ValueError):
        raise _bad(case, i, "on", f"not an ISO date: {raw!r}") from None
    if len(_DATES) >= _DATES_MAX:
        _DATES.clear()
    _DATES[raw] = d
    return d


def fold(
    person: Person,
    events: Sequence[Mapping[str, Any]],
    on: date,
    *,
    conditions: Mapping[str, tuple[str, ...]],
    case: str | None = None,
) -> State:
    """Validate `events` (case format, in date order) and fold those dated on or before `on`.

    `conditions` maps each institution type to its conditions (the law pack's, LAW.md §1).
    """
    st = State(on=on, condition_since=person.sentence.start)
    allowed_conditions = conditions.get(person.institution)
    if allowed_conditions is None:
        raise CaseError(
            f"unknown institution type {person.institution!r}",
            case=case,
            field="person.institution",
        )
    try:
        _fold(st, person, events, on, allowed_conditions, case)
    except KeyError as exc:  # found again here, so that the loop keeps no index for errors
        key = str(exc.args[0])
        i = next(
            (
                i
                for i, e in enumerate(events)
                if key not in e
                and (key in ("on", "type") or key in REQUIRED_FIELDS.get(str(e.get("type")), ()))
            ),
            0,
        )
        if key in ("on", "type"):
            raise _bad(case, i, key, "missing") from None
        raise _bad(case, i, key, f"a {events[i].get('type')} fact needs {key!r}") from None
    except (AttributeError, TypeError):
        i = next((i for i, e in enumerate(events) if not isinstance(e, Mapping)), 0)  # type: ignore[redundant-expr]
        raise CaseError("must be an object", case=case, field=f"events[{i}]") from None
    st.facts = len(events)
    return st


def _fold(
    st: State,
    person: Person,
    events: Sequence[Mapping[str, Any]],
    on: date,
    allowed_conditions: tuple[str, ...],
    case: str | None,
) -> None:
    """The loop of `fold`."""
    get_date = _DATES.get
    recorded_only = RECORDED_ONLY
    prev = date.min
    vheld = 0  # the held degree as the facts go, also after `on`, to check the order of awards
    penalties, incentives = st.penalties, st.incentives
    for i, ev in enumerate(events):
        raw = ev["on"]
        t = ev["type"]
        d = get_date(raw)
        if d is None:
            d = _parse_date(raw, case, i)
        if d < prev:
            raise _bad(
                case,
                i,
                "on",
                f"{d} is before the previous fact ({prev}); facts must be in date order",
            )
        prev = d
        if t in recorded_only:
            continue
        effective = d <= on
        if t == "work_assessed":
            dil = ev["diligent"]
            if dil is not True and dil is not False:
                raise _bad(case, i, "diligent", f"must be true or false, not {dil!r}")
            if effective:
                st.diligent, st.assessed_on = dil, d
        elif t == "incentive":
            if effective:
                incentives.append(d)
        elif t == "penalty":
            if effective:
                penalties.append(d)
        elif t == "degree_awarded":
            k = ev["degree"]
            if k not in (1, 2, 3) or isinstance(k, bool):
                raise _bad(case, i, "degree", f"a positive degree is 1, 2 or 3, not {k!r}")
            if k > 1 and vheld < k - 1:
                raise _bad(
                    case,
                    i,
                    "degree",
                    f"degree {k} awarded on {d} while degree {vheld} was held (degree {k} needs degree {k - 1} first)",
                )
            vheld = k
            if effective:
                st.degree, st.degree_since = k, d
                st.awarded[k] = d
        elif t == "recognised":
            as_ = ev["as"]
            neg = RECOGNITION_DEGREE.get(as_)
            if neg is None:
                raise _bad(
                    case,
                    i,
                    "as",
                    f"unknown recognition {as_!r}; one of {sorted(RECOGNITION_DEGREE)}",
                )
            vheld = neg
            if effective:
                st.degree, st.degree_since = neg, d
        elif t == "degree_revoked":
            vheld = 0
            if effective:
                st.degree, st.degree_since = 0, d
        elif t == "joined_organisation":
            if effective and not st.member:
                st.member, st.member_since = True, d
        elif t == "left_organisation":
            if effective:
                st.member, st.member_since = False, None
        elif t == "arrived" or t == "condition_changed":
            key = "condition" if t == "arrived" else "to"
            cond = ev.get(key, "regular") if t == "arrived" else ev["to"]
            if cond not in allowed_conditions:
                raise _bad(
                    case,
                    i,
                    key,
                    f"condition {cond!r} does not exist in {person.institution} institutions "
                    f"({', '.join(allowed_conditions)})",
                )
            if effective:
                st.condition, st.condition_since = cond, d
                if t == "arrived":
                    st.arrived_on = d
        else:
            raise _bad(case, i, "type", f"unknown event type {t!r}")
