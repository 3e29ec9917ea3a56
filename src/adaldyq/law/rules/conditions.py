"""Transfers between conditions inside an institution: PEC art. 103 and the articles per type (LAW.md §3).

Which tests a transfer applies, and their figures, come from the law pack (`packs/kz/conditions/*.yaml`).
"""

from __future__ import annotations

from datetime import timedelta

from adaldyq.core.dates import add_months
from adaldyq.core.person import Person
from adaldyq.law.explain import Condition, Finding, Ref, all_met, weakest
from adaldyq.law.pack import Criterion, LawPack, Transfer
from adaldyq.law.state import State

_ARTICLE = "PEC art. 103"
_DILIGENT_REF = Ref(
    "work.diligent", _ARTICLE, "S", "LAW.md §3 (latest assessment of attitude to work)"
)


def _unknown(code: str, ref: Ref) -> Condition:
    return Condition(code, None, None, ref, {"missing": ref.key})


def _no_penalty_in_last_months(st: State, months: int, ref: Ref) -> Condition:
    """No penalty in the days after E − N months up to E (LAW.md §0); met from the first such E."""
    code = "transfer.no_penalty_in_last_months"
    last = st.penalties[-1] if st.penalties else None
    if last is None:
        return Condition(code, True, st.condition_since, ref, {"months": months})
    due = add_months(last, months)
    while (
        add_months(due, -months) < last
    ):  # month-end clipping: step to the first day that clears it
        due += timedelta(days=1)
    return Condition(code, st.on >= due, due, ref, {"months": months, "penalty": last})


def criterion(c: Criterion, st: State, person: Person, law: LawPack) -> Condition:
    """Evaluate one test of a transfer."""
    on = st.on
    if c.test == "diligent_work":
        ref = _DILIGENT_REF
        met = st.diligent is True
        return Condition(
            "transfer.diligent_work",
            met,
            st.assessed_on if met else None,
            ref,
            {"assessed_on": st.assessed_on, "diligent": st.diligent},
        )
    assert c.figure is not None  # noqa: S101 -- the pack's loader guarantees it
    fig = law.resolve(c.figure, on)
    ref = fig.ref
    if fig.value is None:
        return _unknown(f"transfer.{c.test}", ref)
    value = fig.value
    if c.test == "months_in_condition":
        since = st.condition_since or person.sentence.start
        due = add_months(since, int(value))
        return Condition(
            "transfer.months_in_condition",
            on >= due,
            due,
            ref,
            {"months": value, "condition": st.condition, "since": since},
        )
    if c.test == "holds_degree_at_least":
        met = st.degree >= int(value)
        return Condition(
            "transfer.holds_degree_at_least",
            met,
            st.degree_since if met else None,
            ref,
            {"degree": value, "held": st.degree},
        )
    if c.test == "holds_degree":
        met = st.degree == int(value)
        return Condition(
            "transfer.holds_degree",
            met,
            st.degree_since if met else None,
            ref,
            {"degree": value, "held": st.degree},
        )
    if c.test == "within_months_of_release":
        release = person.sentence.release_on
        if release is None:
            return Condition(
                "transfer.within_months_of_release",
                False,
                None,
                ref,
                {"months": value, "life": True},
            )
        due = add_months(release, -int(value))
        return Condition(
            "transfer.within_months_of_release",
            on >= due,
            due,
            ref,
            {"months": value, "release_on": release},
        )
    if c.test == "no_penalty_in_last_months":
        return _no_penalty_in_last_months(st, int(value), ref)
    if c.test == "months_of_sentence_served":
        due = add_months(person.sentence.start, int(value))
        return Condition(
            "transfer.months_of_sentence_served",
            on >= due,
            due,
            ref,
            {"months": value, "start": person.sentence.start},
        )
    raise AssertionError(f"unhandled test {c.test}")  # the loader rejects unknown tests


def transfer_finding(t: Transfer, st: State, person: Person, law: LawPack) -> Finding:
    """Whether the grounds of one transfer are all met on the state's date, and from when."""
    conds = tuple(criterion(c, st, person, law) for c in t.criteria)
    met, met_on = all_met(conds)
    if met_on is not None and st.condition_since is not None and met_on < st.condition_since:
        met_on = (
            st.condition_since
        )  # a transfer out of a condition opens no earlier than arriving in it
    confidence = weakest(*(c.ref.confidence for c in conds if c.ref), "P")
    return Finding(
        f"transfer.{st.condition}.{t.to}", _ARTICLE, confidence, met, conds, met_on, t.to
    )


def transfer_findings(st: State, person: Person, law: LawPack) -> tuple[Finding, ...]:
    """A finding for every transfer the law defines out of the current condition."""
    return tuple(
        transfer_finding(t, st, person, law)
        for t in law.transfers_from(person.institution, st.condition)
    )


def may_move_to(findings: tuple[Finding, ...]) -> list[str]:
    """Sorted conditions whose transfer grounds are all met."""
    return sorted({str(f.value) for f in findings if f.met})
