"""Parole and substitution of the unserved part: Criminal Code arts. 72, 73 (LAW.md §6)."""

from __future__ import annotations

from datetime import date, timedelta

from adaldyq.core.dates import add_months, add_years
from adaldyq.core.person import Person
from adaldyq.law.explain import Condition, Finding, Ref, weakest
from adaldyq.law.pack import LawPack, fraction
from adaldyq.law.state import State


def _served_part(person: Person, key: str, st: State, law: LawPack) -> tuple[Condition, ...]:
    fig = law.resolve(key, st.on)
    rounding = law.resolve("parole.rounding", st.on)
    days = person.sentence.term_days
    assert days is not None  # noqa: S101 -- callers handle life sentences first
    if fig.value is None:
        return (Condition("release.fraction_served", None, None, fig.ref, {"missing": key}),)
    share = fraction(fig.value)
    need = -(-days * share.numerator // share.denominator)  # rounded up to whole days, in integers
    due = person.sentence.start + timedelta(days=need)
    return (
        Condition(
            "release.fraction_served",
            st.on >= due,
            due,
            fig.ref,
            {"fraction": str(share), "term_days": days, "days": need},
        ),
        Condition("release.rounding", True, None, rounding.ref, {}),
    )


def parole_finding(person: Person, st: State, law: LawPack) -> Finding:
    """The first day parole is possible: the part of the term actually served, at least N months (CC 72)."""
    article = "CC art. 72"
    if person.sentence.life:
        fig = law.resolve("parole.life_years", st.on)
        if fig.value is None:
            return Finding(
                "parole",
                article,
                "?",
                None,
                (Condition("release.life_years", None, None, fig.ref),),
            )
        due = add_years(person.sentence.start, int(fig.value))
        cond = Condition("release.life_years", st.on >= due, due, fig.ref, {"years": fig.value})
        return Finding("parole", article, fig.ref.confidence, st.on >= due, (cond,), due, due)
    if person.gravity is None:
        ref = Ref(
            "person.gravity", article, "?", "the case does not give the gravity of the offence"
        )
        cond = Condition("release.gravity_missing", None, None, ref, {})
        return Finding("parole", article, "?", None, (cond,))
    conds = _served_part(person, f"parole.fraction.{person.gravity}", st, law)
    minimum = law.resolve("parole.minimum_months", st.on)
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
    return _date_finding("parole", article, conds)


def substitution_finding(person: Person, st: State, law: LawPack) -> Finding:
    """The first day the unserved part may be substituted with a milder punishment (CC 73)."""
    article = "CC art. 73"
    if person.sentence.life or person.gravity == "especially_grave":
        ref = Ref(
            "substitution.fraction", article, "L", "LAW.md §6: minor, medium or grave crimes only"
        )
        cond = Condition(
            "release.substitution_not_available",
            False,
            None,
            ref,
            {"life": person.sentence.life, "gravity": person.gravity},
        )
        return Finding("substitution", article, "L", False, (cond,))
    if person.gravity is None:
        ref = Ref(
            "person.gravity", article, "?", "the case does not give the gravity of the offence"
        )
        return Finding(
            "substitution",
            article,
            "?",
            None,
            (Condition("release.gravity_missing", None, None, ref),),
        )
    return _date_finding(
        "substitution",
        article,
        _served_part(person, f"substitution.fraction.{person.gravity}", st, law),
    )


def _date_finding(fid: str, article: str, conds: tuple[Condition, ...]) -> Finding:
    due: date | None = None
    met = True
    confidence = "L"
    for c in conds:
        if c.ref is not None:
            confidence = weakest(confidence, c.ref.confidence)
        if c.code == "release.rounding":
            continue
        if c.met_on is None:
            return Finding(fid, article, "?", None, conds)
        if due is None or c.met_on > due:
            due = c.met_on
        met = met and bool(c.met)
    return Finding(fid, article, confidence, met, conds, due, due)
