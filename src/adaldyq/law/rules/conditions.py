"""Transfers between conditions inside an institution: PEC art. 103 and the articles per type (LAW.md §3).

Which tests a transfer applies, and their figures, come from the law pack (`packs/kz/conditions/*.yaml`),
resolved for the date once (`LawPack.plan`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Final

from adaldyq.core.dates import add_months
from adaldyq.core.person import Person
from adaldyq.law.explain import Condition, Finding, all_met
from adaldyq.law.plan import Plan, TestRule, TransferRule
from adaldyq.law.state import State

_ARTICLE: Final = "PEC art. 103"
_ONE_DAY: Final = timedelta(days=1)


def _no_penalty_in_last_months(st: State, t: TestRule) -> Condition:
    """No penalty in the days after E − N months up to E (LAW.md §0); met from the first such E."""
    months = t.number
    if not st.penalties:
        return Condition(t.code, True, st.condition_since, t.ref, {"months": t.value})
    last = st.penalties[-1]
    due = add_months(last, months)
    while (
        add_months(due, -months) < last
    ):  # month-end clipping: step to the first day that clears it
        due += _ONE_DAY
    return _months_run_out(t, st.on, due, {"penalty": last})


def _holds(t: TestRule, met: bool, since: date | None, detail: dict[str, Any]) -> Condition:
    """A test of what the person holds (a degree, an assessment): met since `since`, or not met."""
    return Condition(t.code, met, since if met else None, t.ref, detail)


def _months_run_out(t: TestRule, on: date, due: date, detail: dict[str, Any]) -> Condition:
    """A term of the test's months that runs out on `due`: met on `on` from that day on."""
    return Condition(t.code, on >= due, due, t.ref, {"months": t.value, **detail})


def criterion(t: TestRule, st: State, person: Person) -> Condition:
    """Evaluate one test of a transfer."""
    on = st.on
    test = t.test
    if test == "diligent_work":
        if st.diligent is None:  # never assessed: counted as not diligent (P)
            return Condition("transfer.work_never_assessed", False, None, t.extra, {})
        assessed = {"assessed_on": st.assessed_on, "diligent": st.diligent}
        return _holds(t, st.diligent is True, st.assessed_on, assessed)
    if t.value is None:
        return Condition(t.code, None, None, t.ref, {"missing": t.ref.key})
    if test == "months_in_condition":
        since = st.condition_since or person.sentence.start
        in_condition = {"condition": st.condition, "since": since}
        return _months_run_out(t, on, add_months(since, t.number), in_condition)
    if test == "holds_degree":  # grounds for strict conditions: a recognition not yet used (P)
        met = st.degree == t.number
        entered, recognised = st.strict_entered, st.degree_since
        if met and entered is not None and recognised is not None and entered >= recognised:
            return Condition(
                "transfer.strict_ground_used",
                False,
                None,
                t.extra,
                {"recognised_on": recognised, "used_on": entered},
            )
        return _holds(t, met, recognised, {"degree": t.value, "held": st.degree})
    if test == "holds_degree_at_least":
        met = st.degree >= t.number
        return _holds(t, met, st.degree_since, {"degree": t.value, "held": st.degree})
    if test == "within_months_of_release":
        release = person.sentence.release_on
        if release is None:
            return Condition(t.code, False, None, t.ref, {"months": t.value, "life": True})
        return _months_run_out(t, on, add_months(release, -t.number), {"release_on": release})
    if test == "no_penalty_in_last_months":
        return _no_penalty_in_last_months(st, t)
    if test == "months_of_sentence_served":
        start = person.sentence.start
        return _months_run_out(t, on, add_months(start, t.number), {"start": start})
    raise AssertionError(f"unhandled test {test}")  # the loader rejects unknown tests


def _from_sentence_start(rule: TransferRule, st: State, person: Person) -> Condition | None:
    """The project's reading a transfer out of regular rests on when no arrival is recorded: the months
    in regular count from the sentence start (P); None when an arrival or a transfer dates them."""
    start = person.sentence.start
    if st.arrived_on is not None or st.condition_since != start:
        return None
    for t in rule.tests:
        if t.test == "months_in_condition" and t.extra is not None:
            return Condition(
                "transfer.counted_from_sentence_start", True, start, t.extra, {"start": start}
            )
    return None


def transfer_finding(rule: TransferRule, st: State, person: Person) -> Finding:
    """Whether the grounds of one transfer are all met on the state's date, and from when."""
    conds = tuple([criterion(t, st, person) for t in rule.tests])
    if st.arrived_on is None:
        extra = _from_sentence_start(rule, st, person)
        if extra is not None:
            conds = (*conds, extra)
    met, met_on = all_met(conds)
    since = st.condition_since
    if met_on is not None and since is not None and met_on < since:
        met_on = since  # a transfer out of a condition opens no earlier than arriving in it
    return Finding(rule.id, _ARTICLE, rule.confidence, met, conds, met_on, rule.to)


def transfer_findings(st: State, person: Person, plan: Plan) -> tuple[Finding, ...]:
    """A finding for every transfer the law defines out of the current condition."""
    return tuple(
        [transfer_finding(r, st, person) for r in plan.transfers(person.institution, st.condition)]
    )


def may_move_to(findings: tuple[Finding, ...]) -> list[str]:
    """Sorted conditions whose transfer grounds are all met."""
    open_ = [str(f.value) for f in findings if f.met]
    return sorted(set(open_)) if len(open_) > 1 else open_
