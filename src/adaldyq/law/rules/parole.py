"""Parole and substitution of the unserved part: Criminal Code arts. 72, 73 (LAW.md §6)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

from adaldyq.core.dates import add_months, add_years
from adaldyq.core.person import Person
from adaldyq.law.explain import Condition, Finding, Ref, weaker
from adaldyq.law.plan import Plan, ShareRule
from adaldyq.law.state import State

_PAROLE: Final = "CC art. 72"
_SUBSTITUTION: Final = "CC art. 73"
_GRAVITY_REFS: Final = {
    a: Ref("person.gravity", a, "?", "the case does not give the gravity of the offence")
    for a in (_PAROLE, _SUBSTITUTION)
}
_NOT_AVAILABLE: Final = Ref(
    "substitution.fraction", _SUBSTITUTION, "L", "LAW.md §6: minor, medium or grave crimes only"
)


def _served_part(person: Person, share: ShareRule, st: State, plan: Plan) -> tuple[Condition, ...]:
    days = person.sentence.term_days
    assert days is not None  # noqa: S101 -- callers handle life sentences first
    if not share.known:
        return (
            Condition("release.fraction_served", None, None, share.ref, {"missing": share.key}),
        )
    need = -(-days * share.numerator // share.denominator)  # rounded up to whole days, in integers
    due = person.sentence.start + timedelta(need)  # days, given positionally (no keyword parsing)
    return (
        Condition(
            "release.fraction_served",
            st.on >= due,
            due,
            share.ref,
            {"fraction": share.text, "term_days": days, "days": need},
        ),
        plan.rounding_condition,
    )


def parole_finding(person: Person, st: State, plan: Plan) -> Finding:
    """The first day parole is possible: the part of the term actually served, at least N months (CC 72)."""
    if person.sentence.life:
        fig = plan.parole_life_years
        if fig.value is None:
            return Finding(
                "parole",
                _PAROLE,
                "?",
                None,
                (Condition("release.life_years", None, None, fig.ref, {}),),
            )
        due = add_years(person.sentence.start, int(fig.value))
        cond = Condition("release.life_years", st.on >= due, due, fig.ref, {"years": fig.value})
        return Finding("parole", _PAROLE, fig.ref.confidence, st.on >= due, (cond,), due, due)
    if person.gravity is None:
        cond = Condition("release.gravity_missing", None, None, _GRAVITY_REFS[_PAROLE], {})
        return Finding("parole", _PAROLE, "?", None, (cond,))
    conds = _served_part(person, plan.share("parole", person.gravity), st, plan)
    minimum = plan.parole_minimum
    if minimum.value is not None:
        floor = add_months(person.sentence.start, int(minimum.value))
        conds = (
            *conds,
            Condition(
                "release.minimum_months",
                st.on >= floor,
                floor,
                minimum.ref,
                {"months": minimum.value},
            ),
        )
    return _date_finding("parole", _PAROLE, conds)


def substitution_finding(person: Person, st: State, plan: Plan) -> Finding:
    """The first day the unserved part may be substituted with a milder punishment (CC 73)."""
    if person.sentence.life or person.gravity == "especially_grave":
        cond = Condition(
            "release.substitution_not_available",
            False,
            None,
            _NOT_AVAILABLE,
            {"life": person.sentence.life, "gravity": person.gravity},
        )
        return Finding("substitution", _SUBSTITUTION, "L", False, (cond,))
    if person.gravity is None:
        cond = Condition("release.gravity_missing", None, None, _GRAVITY_REFS[_SUBSTITUTION], {})
        return Finding("substitution", _SUBSTITUTION, "?", None, (cond,))
    return _date_finding(
        "substitution",
        _SUBSTITUTION,
        _served_part(person, plan.share("substitution", person.gravity), st, plan),
    )


def _date_finding(fid: str, article: str, conds: tuple[Condition, ...]) -> Finding:
    due: date | None = None
    met = True
    confidence = "L"
    for c in conds:
        if c.ref is not None:
            confidence = weaker(confidence, c.ref.confidence)
        if c.code == "release.rounding":
            continue
        if c.met_on is None:
            return Finding(fid, article, "?", None, conds)
        if due is None or c.met_on > due:
            due = c.met_on
        met = met and bool(c.met)
    return Finding(fid, article, confidence, met, conds, due, due)
