"""Degrees of behaviour: Penal Enforcement Code art. 95 (LAW.md §2)."""

from __future__ import annotations

from bisect import bisect_left
from datetime import date
from typing import Any

from adaldyq.core.dates import add_months
from adaldyq.law.explain import Condition, Finding, all_met
from adaldyq.law.plan import DegreeRule, Plan
from adaldyq.law.state import State


def _clean_period(
    st: State, anchor: date, at: int, rule: DegreeRule
) -> tuple[Condition, Condition]:
    """No penalty after `anchor` (the fact at place `at` in the file), and N months elapsed since it.

    LAW.md §0: "no penalties for N months from D". A penalty on day D itself is after the fact of D
    when the file records it after that fact, and before it when the file records it before (the
    file's order of one day's facts, P); the explanation says which (`same_day`).
    """
    penalty = st.first_penalty_after(anchor, at)
    if penalty is None:
        params: dict[str, Any] = {"since": anchor}
        if st.penalised_on(anchor):
            params["same_day"] = "before"
        clean = Condition(rule.code_clean, True, anchor, rule.ref, params)
    else:
        params = {"since": anchor, "penalty": penalty}
        if penalty == anchor:
            params["same_day"] = "after"
        clean = Condition(rule.code_clean, False, None, rule.ref, params)
    months = rule.months
    if months is None:
        return clean, Condition(rule.code_elapsed, None, None, rule.ref, {"since": anchor})
    due = add_months(anchor, months)
    elapsed = Condition(
        rule.code_elapsed, st.on >= due, due, rule.ref, {"since": anchor, "months": months}
    )
    return clean, elapsed


def first_positive_degree(st: State, rule: DegreeRule) -> Finding:
    """+1: an incentive, and no penalty for N months from the latest incentive (art. 95, as LAW.md §2
    reads it): a further incentive starts the months again.

    When the months would already have run from the first incentive after the latest penalty, the
    condition names that incentive too (`first_incentive`), so that an explanation can say what reading
    the text costs the person.
    """
    incentives = st.incentives
    if not incentives:
        return _finding(rule, (Condition("degree.has_incentive", False, None, rule.ref, {}),))
    anchor, at = incentives[-1], st.incentive_at[-1]
    params: dict[str, Any] = {"incentive": anchor, "count": len(incentives)}
    if len(incentives) > 1:
        penalties = st.penalties
        first = anchor
        if not penalties:
            first = incentives[0]
        else:
            last_penalty, last_at = penalties[-1], st.penalty_at[-1]
            # the first incentive after the latest penalty: a later day, or its day recorded after it
            n, at_ = len(incentives), st.incentive_at
            k = bisect_left(incentives, last_penalty)
            while k < n and incentives[k] == last_penalty and at_[k] < last_at:
                k += 1
            if k < n:
                first = incentives[k]
        if first != anchor:
            params["first_incentive"] = first
    has = Condition("degree.has_incentive", True, anchor, rule.ref, params)
    clean, elapsed = _clean_period(st, anchor, at, rule)
    return _finding(rule, (has, clean, elapsed))


def higher_positive_degree(st: State, rule: DegreeRule) -> Finding:
    """+2 / +3: holds +(k-1), a member of the voluntary organisation, no penalty for N months from that award."""
    k = rule.degree
    prior = st.awarded.get(k - 1) if st.degree >= k - 1 else None
    holds = Condition(
        "degree.holds_previous",
        prior is not None,
        prior,
        rule.ref,
        {"degree": k - 1, "held": st.degree},
    )
    member = Condition(
        "degree.member", st.member, st.member_since if st.member else None, rule.ref, {}
    )
    if prior is None:
        return _finding(rule, (holds, member))
    clean, elapsed = _clean_period(st, prior, st.awarded_at.get(k - 1, -1), rule)
    return _finding(rule, (holds, member, clean, elapsed))


def _finding(rule: DegreeRule, conds: tuple[Condition, ...]) -> Finding:
    met, met_on = all_met(conds)
    return Finding(rule.id, rule.ref.article, rule.confidence, met, conds, met_on, rule.degree)


def degree_findings(st: State, plan: Plan) -> tuple[Finding, Finding, Finding]:
    """The findings for +1, +2 and +3 on the state's date."""
    first, second, third = plan.degrees
    return (
        first_positive_degree(st, first),
        higher_positive_degree(st, second),
        higher_positive_degree(st, third),
    )


def qualifies_as(st: State, plan: Plan, degree: int) -> bool:
    """Whether `qualifies_for_degree(st, degree_findings(st, plan)) == degree`, finding only what the
    answer needs: for a positive degree, its own finding, then those above it while it stays so."""
    if st.degree < 0 or degree <= 0:
        return qualifies_for_degree(st, degree_findings(st, plan)) == degree
    rules = plan.degrees
    if degree > len(rules):
        return False  # no rule gives it
    own = (
        first_positive_degree(st, rules[0])
        if degree == 1
        else higher_positive_degree(st, rules[degree - 1])
    )
    if own.met is not True or int(own.value) != degree:
        return False
    # above it, each not met (None, not determinable, leaves the qualification undetermined)
    return all(higher_positive_degree(st, rules[k]).met is False for k in range(degree, len(rules)))


def qualifies_for_degree(st: State, findings: tuple[Finding, Finding, Finding]) -> int | None:
    """The degree the facts entitle the person to (LAW.md §2, project rule P); None when not determinable."""
    if st.degree < 0:
        return st.degree
    for f in reversed(findings):
        if f.met is None:
            return None
        if f.met:
            return int(f.value)
    return 0
