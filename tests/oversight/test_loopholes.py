"""Late entries and withdrawals that change an outcome: findings with the engine's counterfactual."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from adaldyq.law import LawPack
from adaldyq.ledger import Draft, Ledger
from adaldyq.oversight import Flag, Thresholds, build_register
from tests.oversight.test_flags import HEAD, OFFICER, REGISTER, admitted, fact

KINDS = ("late_entry_changed_outcome", "withdrawal_changed_outcome")


def _run(
    url: str, law: LawPack, days: list[tuple[date, list[Draft]]], late: int = 30
) -> list[Flag]:
    """Append each entry on its batch's day (the ledger's clock moved there), one at a time as the web
    writes them, then the register."""
    with Ledger.open(url) as ledger:
        for day, drafts in days:
            with time_machine.travel(f"{day.isoformat()} 10:00Z", tick=True):
                for draft in drafts:
                    ledger.append_many([draft])
        with ledger.reading() as cursor:
            reg = build_register(
                cursor, law=law, register=REGISTER, thresholds=Thresholds(late_days=late)
            )
    try:
        return [f for f in reg.flags() if f.kind in KINDS]
    finally:
        reg.close()


def _admission(on: date) -> Draft:
    draft = admitted()
    draft.payload["on"] = on.isoformat()
    draft.payload["sentence"] = {"start": on.isoformat(), "years": 8, "months": 0, "days": 0}
    return draft


START = date(2026, 1, 10)
INCENTIVE = date(2026, 8, 1)  # +1 qualifies three months later, on 2026-11-01 (LAW.md §2)
TODAY = date(2026, 12, 20)


def test_an_incentive_recorded_months_late_then_the_award_is_a_finding(
    ledger_url: str, demo_law: LawPack
) -> None:
    found = _run(ledger_url, demo_law, [
        (START, [_admission(START)]),
        (TODAY, [fact("incentive", INCENTIVE, kind="gratitude"),
                 fact("degree_awarded", TODAY, actor=HEAD, degree=1)]),
    ])  # fmt: skip

    assert [f.kind for f in found] == ["late_entry_changed_outcome"]
    (f,) = found
    assert (f.person, f.officer, f.on, f.flag_class) == ("PF-1", OFFICER.id, TODAY, "finding")
    assert f.evidence == (1, 2)  # the late incentive and the award
    assert f.detail["fact"] == "incentive"
    assert f.detail["days_late"] == (TODAY - INCENTIVE).days
    assert (f.detail["with"], f.detail["without"]) == (True, False)


@pytest.mark.parametrize("lag", [0, 10, 30])
def test_a_fact_recorded_within_the_threshold_is_no_finding(
    ledger_url: str, demo_law: LawPack, lag: int
) -> None:
    incentive = TODAY - timedelta(days=100)
    found = _run(ledger_url, demo_law, [
        (START, [_admission(START)]),
        (incentive + timedelta(days=lag), [fact("incentive", incentive, kind="gratitude")]),
        (TODAY, [fact("degree_awarded", TODAY, actor=HEAD, degree=1)]),
    ])  # fmt: skip

    assert found == []


def test_a_late_fact_the_decision_does_not_need_is_no_finding(
    ledger_url: str, demo_law: LawPack
) -> None:
    found = _run(ledger_url, demo_law, [
        (START, [_admission(START)]),
        (INCENTIVE, [fact("incentive", INCENTIVE, kind="gratitude")]),
        (TODAY, [fact("incentive", INCENTIVE + timedelta(days=5), kind="gratitude"),
                 fact("degree_awarded", TODAY, actor=HEAD, degree=1)]),
    ])  # fmt: skip

    assert found == []  # the first incentive, recorded on its day, supports the award on its own


def test_a_penalty_withdrawn_then_the_award_it_blocked_is_a_finding(
    ledger_url: str, demo_law: LawPack
) -> None:
    penalty_on = INCENTIVE + timedelta(days=40)
    found = _run(ledger_url, demo_law, [
        (START, [_admission(START)]),
        (INCENTIVE, [fact("incentive", INCENTIVE, kind="gratitude")]),
        (penalty_on, [fact("penalty", penalty_on, kind="smoking")]),
        (TODAY, [
            Draft(actor=HEAD, subject="PF-1", type="fact_voided",
                  payload={"on": penalty_on.isoformat()}, corrects=2, reason="a correction"),
            fact("degree_awarded", TODAY, actor=HEAD, degree=1),
        ]),
    ])  # fmt: skip

    assert [f.kind for f in found] == ["withdrawal_changed_outcome"]
    (f,) = found
    assert (f.officer, f.on, f.evidence) == (HEAD.id, TODAY, (2, 3, 4))
    assert (f.detail["fact"], f.detail["withdrawn"], f.detail["reason"]) == (
        "penalty",
        True,
        "a correction",
    )
    assert (f.detail["with"], f.detail["without"]) == (True, False)


def test_history_loaded_in_one_batch_is_no_finding(ledger_url: str, demo_law: LawPack) -> None:
    with Ledger.open(ledger_url) as ledger, time_machine.travel(f"{TODAY} 10:00Z", tick=False):
        ledger.append_many(
            [
                _admission(START),
                fact("incentive", INCENTIVE, kind="gratitude"),
                fact("degree_awarded", TODAY, actor=HEAD, degree=1),
            ]
        )  # fmt: skip  (an import of a paper file: one batch, one moment)
        with ledger.reading() as cursor:
            reg = build_register(cursor, law=demo_law, register=REGISTER)
    try:
        assert [f for f in reg.flags() if f.kind in KINDS] == []
    finally:
        reg.close()


def test_facts_recorded_on_their_own_day_and_never_corrected_give_no_loophole_finding(
    ledger_url: str, demo_law: LawPack
) -> None:
    days: list[tuple[date, list[Draft]]] = [(START, [_admission(START)])]
    on = START
    for i in range(12):  # incentives and penalties, each recorded on its day, and an award
        on += timedelta(days=23)
        kind = "penalty" if i % 4 == 3 else "incentive"
        days.append(
            (
                on,
                [
                    fact(
                        kind,
                        on,
                        **({"kind": "smoking"} if kind == "penalty" else {"kind": "gratitude"}),
                    )
                ],
            )
        )
    days.append((TODAY, [fact("degree_awarded", TODAY, actor=HEAD, degree=1)]))

    assert _run(ledger_url, demo_law, days) == []
