"""One pass over a person's facts: validate them and fold them into the state the rules read.

Facts dated after the evaluation date are validated but change nothing (issue 2's property).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from adaldyq.core.errors import AdaldyqError, CaseError
from adaldyq.core.facts import (
    DAMAGE_PAYERS,
    RECOGNITION_DEGREE,
    RECORDED_ONLY,
    REQUIRED_FIELDS,
)
from adaldyq.core.person import Person
from adaldyq.law.case_events import CaseEvents

_fromiso: Final = date.fromisoformat


@dataclass(slots=True, init=False)
class State:
    """What the facts up to the evaluation date establish."""

    on: date
    #: Degree held: -3..3 (LAW.md §2: the latest degree decision).
    degree: int
    degree_since: date | None
    #: Latest award date of each positive degree (1, 2, 3).
    awarded: dict[int, date]
    condition: str
    condition_since: date | None
    arrived_on: date | None
    incentives: list[date]
    penalties: list[date]
    #: Each incentive's and penalty's place in the file (the fact's index), parallel to the lists above:
    #: facts of one day keep the file's order, so a penalty recorded after that day's incentive or award
    #: is a penalty after it, and one recorded before it is not (LAW.md §0, read by the project: P).
    incentive_at: list[int]
    penalty_at: list[int]
    #: The place in the file of the latest award of each positive degree (1, 2, 3).
    awarded_at: dict[int, int]
    #: The latest day the person entered strict conditions (a transfer or an arrival there).
    strict_entered: date | None
    #: Days of the penalties recorded as for a malicious violation (`"malicious": true`, or the item of
    #: the list as the file's penalty form records it, `"malicious": "alcohol_or_drugs"`).
    malicious: list[date]
    #: The damage the court awarded (the latest award stands), the sum paid towards it, and the day the
    #: payments reached it (None: not reached, or no award recorded); amounts in tenge (issue 19).
    damage_awarded: float | None
    damage_paid: float
    damage_paid_by: dict[str, float]
    damage_settled_on: date | None
    member: bool
    member_since: date | None
    diligent: bool | None
    assessed_on: date | None
    #: Number of facts read (all of them, including those after `on`).
    facts: int
    #: Where the pass over the facts is: the held degree as the facts go (also after `on`, to check
    #: the order of awards), and the day number of the last fact read (0: none yet).
    vheld: int
    last_day: int

    def __init__(self, on: date, condition_since: date | None = None) -> None:
        self.on = on
        self.degree = 0
        self.degree_since = None
        self.awarded = {}
        self.condition = "regular"
        self.condition_since = condition_since
        self.arrived_on = None
        self.incentives = []
        self.penalties = []
        self.incentive_at = []
        self.penalty_at = []
        self.awarded_at = {}
        self.strict_entered = None
        self.malicious = []
        self.damage_awarded = None
        self.damage_paid = 0.0
        self.damage_paid_by = {}
        self.damage_settled_on = None
        self.member = False
        self.member_since = None
        self.diligent = None
        self.assessed_on = None
        self.facts = 0
        self.vheld = 0
        self.last_day = 0

    def first_penalty_after(self, after: date, at: int = -1) -> date | None:
        """The first penalty after the fact at place `at` dated `after`: on a later day, or on that day
        recorded after it (a penalty on the day of an incentive is after it unless the file records it
        before). `at=-1`: every penalty of that day is before it."""
        penalties = self.penalties
        n = len(penalties)
        k = bisect_left(penalties, after)  # the days are in order: the first penalty on that day
        while k < n and penalties[k] == after:
            if self.penalty_at[k] > at:
                return after
            k += 1
        return penalties[k] if k < n else None

    def penalised_on(self, day: date) -> bool:
        """Whether a penalty was imposed on `day`."""
        penalties = self.penalties
        k = bisect_left(penalties, day)
        return k < len(penalties) and penalties[k] == day


def _bad(case: str | None, i: int, key: str, message: str) -> CaseError:
    return CaseError(message, case=case, field=f"events[{i}].{key}")


#: ISO date strings seen before, and their dates: a population shares a few thousand distinct days, and
#: a dictionary hit is cheaper than parsing. Only valid dates enter it.
_DATES: Final[dict[str, date]] = {}
#: The cache, for other readers of ISO days (`law.cases`).
DATES_SEEN: Final = _DATES
#: The same days as day numbers (`date.toordinal`), which compare as machine integers.
_DAYS: Final[dict[str, int]] = {}
_DATES_MAX: Final = 200_000


def _parse_date(raw: Any, case: str | None, i: int) -> date:
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str) or len(raw) != 10 or raw[4] != "-" or raw[7] != "-":
        raise _bad(case, i, "on", f"not an ISO date YYYY-MM-DD: {raw!r}")
    try:
        d = _fromiso(raw)
    except ValueError:
        raise _bad(case, i, "on", f"not an ISO date YYYY-MM-DD: {raw!r}") from None
    if len(_DATES) >= _DATES_MAX:
        _DATES.clear()
        _DAYS.clear()
    _DATES[raw] = d
    _DAYS[raw] = d.toordinal()
    return d


def _date_of(raw: str) -> date:
    """The date of a day string already checked (the cache may have been emptied since)."""
    d = _DATES.get(raw)
    return d if d is not None else _fromiso(raw)


def fold(
    person: Person,
    events: Sequence[Mapping[str, Any]],
    on: date,
    *,
    conditions: Mapping[str, tuple[str, ...]],
    case: str | None = None,
) -> State:
    """Validate `events` (case format, in date order) and fold those dated on or before `on`.

    `conditions` maps each institution type to its conditions (the law pack's, LAW.md §1). Facts out
    of date order, or dated before the sentence starts, are refused by name (the case format says
    they are in order; a file that is not is a file to correct, not one to reorder silently).
    """
    # An exact type test: an isinstance test would go through Sequence's ABC machinery, in Python.
    facts: Sequence[Mapping[str, Any]] = events.facts if type(events) is CaseEvents else events
    return _fold_all(person, facts, on, conditions, case)


def _fold_all(
    person: Person,
    events: Sequence[Mapping[str, Any]],
    on: date,
    conditions: Mapping[str, tuple[str, ...]],
    case: str | None,
) -> State:
    st = State(on=on, condition_since=person.sentence.start)
    allowed_conditions = conditions.get(person.institution)
    if allowed_conditions is None:
        raise CaseError(
            f"unknown institution type {person.institution!r}",
            case=case,
            field="person.institution",
        )
    try:
        if not _fold_iso(st, person, events, on, allowed_conditions, case, 0):
            st = State(on=on, condition_since=person.sentence.start)
            dated = _iso_dated(events, case)
            _fold_iso(st, person, dated, on, allowed_conditions, case, 0)
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


def _out_of_order(person: Person, case: str | None, i: int, d: date, prev: date) -> CaseError:
    if i == 0 or d < person.sentence.start:
        return _bad(
            case,
            i,
            "on",
            f"dates out of order: {d} is before the sentence starts ({person.sentence.start})",
        )
    return _bad(
        case, i, "on", f"{d} is before the previous fact ({prev}); facts must be in date order"
    )


def advance(
    st: State,
    person: Person,
    events: Sequence[Mapping[str, Any]],
    on: date,
    allowed_conditions: tuple[str, ...],
    offset: int,
) -> bool:
    """Fold more facts (`events`, the facts from index `offset` on) into `st`, all dated on or before
    `on`; False when they are not all dicts dated by ISO strings or not all by `on` (then `st` is
    spent: evaluate from the start instead). Errors are left to a full evaluation to name.
    """
    try:
        ok = _fold_iso(st, person, events, on, allowed_conditions, None, offset)
    except (AdaldyqError, KeyError, TypeError, AttributeError):
        return False
    return ok and st.last_day <= on.toordinal()


def _fold_iso(
    st: State,
    person: Person,
    events: Sequence[Mapping[str, Any]],
    on: date,
    allowed_conditions: tuple[str, ...],
    case: str | None,
    offset: int = 0,
) -> bool:
    """The loop of `fold` for facts that are dicts dated by ISO strings, as case files and the ledger give.

    Each distinct day string is parsed once (`_DAYS`: its day number); order and the evaluation date are
    checked on day numbers. Returns False, having changed nothing that matters, at the first fact that
    is not a dict or whose date or type is not a string: `fold` then gives it such dicts (`_iso_dated`).
    """
    days = _DAYS
    on_n = on.toordinal()
    prev_n = st.last_day or person.sentence.start.toordinal()  # no fact before the sentence starts
    vheld = st.vheld
    penalties, incentives = st.penalties, st.incentives
    assessed: str | None = None
    diligent = False
    # Parsers share one key object among all their dicts (orjson's key cache, json's and pickle's memo):
    # looked up with that very object, a key is found by identity rather than by comparing its letters.
    k_on, k_type, k_diligent = "on", "type", "diligent"
    first_assessment = True
    if events and isinstance(events[0], dict):
        for k in events[0]:
            if k == "on":
                k_on = k
            elif k == "type":
                k_type = k
    i = offset - 1
    for ev in events:
        i += 1
        if not isinstance(ev, dict):
            return False
        raw = ev[k_on]
        t = ev[k_type]
        if not isinstance(raw, str) or not isinstance(t, str):
            return False
        n = days.get(raw)
        if n is None:
            n = _parse_date(raw, case, i).toordinal()
        if n < prev_n:
            raise _out_of_order(person, case, i, date.fromordinal(n), date.fromordinal(prev_n))
        prev_n = n
        effective = n <= on_n
        if t == "work_assessed":  # most facts: the monthly assessment of attitude to work
            if first_assessment:  # the parser's own key object, as for "on" and "type"
                first_assessment = False
                for k in ev:
                    if k == "diligent":
                        k_diligent = k
            dil = ev[k_diligent]
            if dil is not True and dil is not False:
                raise _bad(case, i, "diligent", f"must be true or false, not {dil!r}")
            if effective:
                diligent, assessed = dil, raw
        elif t == "incentive":
            if effective:
                incentives.append(_date_of(raw))
                st.incentive_at.append(i)
        elif t == "penalty":
            if effective:
                day = _date_of(raw)
                penalties.append(day)
                st.penalty_at.append(i)
                m = ev.get("malicious")
                if m is True or (type(m) is str and m):
                    st.malicious.append(day)
        else:
            d = _date_of(raw)
            vheld = _other(st, person, ev, t, d, effective, vheld, allowed_conditions, case, i)
    if assessed is not None:
        st.diligent, st.assessed_on = diligent, _date_of(assessed)
    st.vheld, st.last_day = vheld, prev_n
    return True


def _other(
    st: State,
    person: Person,
    ev: Mapping[str, Any],
    t: str,
    d: date,
    effective: bool,
    vheld: int,
    allowed_conditions: tuple[str, ...],
    case: str | None,
    i: int,
) -> int:
    """A fact other than an assessment, an incentive or a penalty; returns the held degree as the facts go."""
    if t == "degree_awarded":
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
            st.awarded_at[k] = i
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
            if cond == "strict":
                st.strict_entered = d
    elif t == "damage_awarded" or t == "damage_paid":
        _damage(st, ev, t, d, effective, case, i)
    elif t not in RECORDED_ONLY:
        raise _bad(case, i, "type", f"unknown event type {t!r}")
    return vheld


def _damage(
    st: State, ev: Mapping[str, Any], t: str, d: date, effective: bool, case: str | None, i: int
) -> None:
    """The damage awarded or a payment towards it: compensated from the day the payments reach it."""
    amount = ev["amount"]
    if isinstance(amount, bool) or not isinstance(amount, int | float) or amount < 0:
        raise _bad(case, i, "amount", f"must be a sum in tenge, 0 or more, not {amount!r}")
    if t == "damage_paid":
        by = ev["by"]
        if by not in DAMAGE_PAYERS:
            raise _bad(case, i, "by", f"must be one of {list(DAMAGE_PAYERS)}, not {by!r}")
        if not effective:
            return
        st.damage_paid += amount
        st.damage_paid_by[by] = st.damage_paid_by.get(by, 0.0) + amount
    elif effective:
        st.damage_awarded = float(amount)
        st.damage_settled_on = None
    else:
        return
    awarded = st.damage_awarded
    if awarded is not None and st.damage_settled_on is None and st.damage_paid >= awarded:
        st.damage_settled_on = d


def _iso_dated(events: Sequence[Mapping[str, Any]], case: str | None) -> list[Mapping[str, Any]]:
    """Facts as dicts dated by ISO strings (Python callers may give `date` objects and other mappings).

    Raises TypeError for a fact that is not a mapping; names a date or a type that is neither.
    """
    out: list[Mapping[str, Any]] = []
    for i, e in enumerate(events):
        if not isinstance(e, Mapping):
            raise TypeError(i)
        ev = dict(e)
        raw, t = ev["on"], ev["type"]
        if isinstance(raw, date):
            ev["on"] = raw.isoformat()
        elif not isinstance(raw, str):
            raise _bad(case, i, "on", f"not an ISO date YYYY-MM-DD: {raw!r}")
        if not isinstance(t, str):
            raise _bad(case, i, "type", f"unknown event type {t!r}")
        out.append(ev)
    return out
