"""Degrees of behaviour: Penal Enforcement Code art. 95 (LAW.md §2)."""

from __future__ import annotations

from datetime import date

from adaldyq.core.dates import add_months
from adaldyq.law.explain import Condition, Finding, Ref, all_met, weakest
from adaldyq.law.pack import LawPack
from adaldyq.law.state import State

_KEYS = {
    1: "degrees.first_positive.months_without_penalty",
    2: "degrees.second_positive.months_without_penalty",
    3: "degrees.third_positive.months_without_penalty",
}


def _clean_period(
    st: State, anchor: date, key: str, law: LawPack, code: str
) -> tuple[Condition, Condition]:
    """No penalty after `anchor`, and N months elapsed since it (LAW.md §0: "no penalties for N months from D")."""
    fig = law.resolve(key, st.on)
    penalty = st.first_penalty_after(anchor)
    clean = Condition(
        f"{code}.no_penalty_since",
        penalty is None,
        anchor if penalty is None else None,
        fig.ref,
        {"since": anchor, "penalty": penalty} if penalty else {"since": anchor},
    )
    if fig.value is None:
        return clean, Condition(f"{code}.months_elapsed", None, None, fig.ref, {"since": anchor})
    due = add_months(anchor, int(fig.value))
    elapsed = Condition(
        f"{code}.months_elapsed", st.on >= due, due, fig.ref, {"since": anchor, "months": fig.value}
    )
    return clean, elapsed


def first_positive_degree(st: State, law: LawPack) -> Finding:
    """+1: an incentive, and no penalty for N months from it.

    The months run from the first incentive that no penalty has followed, so a further incentive does
    not restart them (the report's "latest incentive" read against its purpose; a project
    interpretation, P): an unpenalised person with a held +1 stays supported when praised again.
    """
    key = _KEYS[1]
    ref = law.resolve(key, st.on).ref
    if not st.incentives:
        conds: tuple[Condition, ...] = (Condition("degree.has_incentive", False, None, ref),)
        return _finding(1, ref, conds)
    last_penalty = st.penalties[-1] if st.penalties else None
    anchor = st.incentives[-1]
    if last_penalty is None:
        anchor = st.incentives[0]
    else:
        for inc in st.incentives:  # the first incentive on or after the latest penalty
            if inc >= last_penalty:
                anchor = inc
                break
    has = Condition(
        "degree.has_incentive",
        True,
        anchor,
        ref,
        {"incentive": anchor, "count": len(st.incentives)},
    )
    return _finding(1, ref, (has, *_clean_period(st, anchor, key, law, "degree.1")))


def higher_positive_degree(k: int, st: State, law: LawPack) -> Finding:
    """+2 / +3: holds +(k-1), a member of the voluntary organisation, no penalty for N months from that award."""
    key = _KEYS[k]
    ref = law.resolve(key, st.on).ref
    prior = st.awarded.get(k - 1) if st.degree >= k - 1 else None
    holds = Condition(
        "degree.holds_previous", prior is not None, prior, ref, {"degree": k - 1, "held": st.degree}
    )
    member = Condition("degree.member", st.member, st.member_since if st.member else None, ref, {})
    if prior is None:
        return _finding(k, ref, (holds, member))
    return _finding(k, ref, (holds, member, *_clean_period(st, prior, key, law, f"degree.{k}")))


def _finding(k: int, ref: Ref, conds: tuple[Condition, ...]) -> Finding:
    met, met_on = all_met(conds)
    return Finding(f"degree.{k}", ref.article, weakest(ref.confidence, "P"), met, conds, met_on, k)


def degree_findings(st: State, law: LawPack) -> tuple[Finding, Finding, Finding]:
    """The findings for +1, +2 and +3 on the state's date."""
    return (
        first_positive_degree(st, law),
        higher_positive_degree(2, st, law),
        higher_positive_degree(3, st, law),
    )


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
