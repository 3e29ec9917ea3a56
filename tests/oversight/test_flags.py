"""Each kind of flag at its boundary, on real SQLite and PostgreSQL ledgers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from adaldyq.law import LawPack
from adaldyq.ledger import Actor, Draft, Ledger
from adaldyq.oversight import Flag, Thresholds, build_register

OFFICER = Actor("UK-1/O02", "role:records_officer@UK-1")
HEAD = Actor("UK-1/O01", "role:head@UK-1")
REGISTER = {"UK-1": "medium", "UK-2": "medium"}
START = date(2020, 1, 1)
INCENTIVE = date(2020, 2, 1)
QUALIFIES = date(2020, 5, 1)  # +1: three months without a penalty after the incentive (LAW.md §2)


def admitted(person: str = "PF-1", institution: str = "UK-1") -> Draft:
    return Draft(
        actor=OFFICER,
        subject=person,
        type="person_admitted",
        payload={
            "number": person,
            "surname": "Test",
            "given_name": "Case",
            "sex": "male",
            "born": "1990-01-01",
            "sentence": {"start": START.isoformat(), "years": 8, "months": 0, "days": 0},
            "gravity": "grave",
            "institution": institution,
            "condition": "regular",
            "on": START.isoformat(),
        },
    )


def fact(type_: str, on: date, person: str = "PF-1", actor: Actor = OFFICER, **data: Any) -> Draft:
    return Draft(actor=actor, subject=person, type=type_, payload={"on": on.isoformat(), **data})


def after_the_incentive(*drafts: Draft) -> list[Draft]:
    """PF-1 admitted and given an incentive on INCENTIVE (qualifying on QUALIFIES), then `drafts`."""
    return [admitted(), fact("incentive", INCENTIVE, kind="gratitude"), *drafts]


def flags_of(
    url: str, drafts: list[Draft], law: LawPack, kind: str, on: date | None = None
) -> list[Flag]:
    with Ledger.open(url) as ledger:
        ledger.append_many(drafts)
        with ledger.reading() as cursor:
            reg = build_register(cursor, law=law, register=REGISTER, on=on)
    try:
        return reg.flags(kind=kind)
    finally:
        reg.close()


@pytest.mark.parametrize(("delay", "flagged"), [(29, False), (30, False), (31, True)])
def test_an_award_more_than_30_days_after_qualifying_is_a_delayed_award(
    ledger_url: str, demo_law: LawPack, delay: int, flagged: bool
) -> None:
    drafts = after_the_incentive(
        fact("degree_awarded", QUALIFIES + timedelta(days=delay), actor=HEAD, degree=1),
    )

    found = flags_of(ledger_url, drafts, demo_law, "delayed_award")

    assert bool(found) is flagged
    if flagged:
        assert found[0].detail["delay_days"] == delay
        assert found[0].officer == HEAD.id
        assert found[0].evidence == (1, 2)  # the incentive and the award


def test_an_award_before_the_person_qualifies_is_a_decision_without_grounds(
    ledger_url: str, demo_law: LawPack
) -> None:
    drafts = after_the_incentive(
        fact("degree_awarded", QUALIFIES - timedelta(days=1), actor=HEAD, degree=1),
    )

    found = flags_of(ledger_url, drafts, demo_law, "decision_without_grounds")

    assert [(f.person, f.evidence, f.rule) for f in found] == [("PF-1", (2,), "PEC art. 95")]


def test_an_award_on_the_day_the_person_qualifies_is_not_flagged(
    ledger_url: str, demo_law: LawPack
) -> None:
    drafts = after_the_incentive(fact("degree_awarded", QUALIFIES, actor=HEAD, degree=1))

    assert flags_of(ledger_url, drafts, demo_law, "decision_without_grounds") == []


@pytest.mark.parametrize(("waited", "flagged"), [(29, False), (31, True)])
def test_a_qualification_left_more_than_30_days_without_a_decision_is_grounds_ignored(
    ledger_url: str, demo_law: LawPack, waited: int, flagged: bool
) -> None:
    drafts = after_the_incentive()

    found = flags_of(
        ledger_url, drafts, demo_law, "grounds_ignored", on=QUALIFIES + timedelta(days=waited)
    )

    assert bool(found) is flagged
    if flagged:
        assert found[0].detail["waiting_days"] == waited
        assert found[0].detail["still_open"] is True


@pytest.mark.parametrize(("days_before", "flagged"), [(1, True), (30, True), (31, False)])
def test_a_penalty_within_30_days_before_the_person_would_qualify_is_flagged(
    ledger_url: str, demo_law: LawPack, days_before: int, flagged: bool
) -> None:
    drafts = after_the_incentive(
        fact("penalty", QUALIFIES - timedelta(days=days_before), kind="reprimand"),
    )

    found = flags_of(ledger_url, drafts, demo_law, "penalty_before_qualifying")

    assert bool(found) is flagged
    if flagged:
        assert found[0].evidence == (2,)
        assert found[0].detail["would_qualify_on"] == QUALIFIES.isoformat()


@pytest.mark.parametrize(("held", "flagged"), [(29, False), (31, True)])
def test_a_degree_held_more_than_30_days_after_a_penalty_is_unsupported(
    ledger_url: str, demo_law: LawPack, held: int, flagged: bool
) -> None:
    penalty = date(2020, 7, 1)
    drafts = after_the_incentive(
        fact("degree_awarded", QUALIFIES, actor=HEAD, degree=1),
        fact("penalty", penalty, kind="reprimand"),
        fact("degree_revoked", penalty + timedelta(days=held), actor=HEAD),
    )

    found = flags_of(ledger_url, drafts, demo_law, "unsupported_degree_held")

    assert bool(found) is flagged
    if flagged:
        assert found[0].evidence == (3, 4)


def test_a_withdrawn_award_is_not_flagged(ledger_url: str, demo_law: LawPack) -> None:
    drafts = after_the_incentive(
        fact("degree_awarded", QUALIFIES - timedelta(days=10), actor=HEAD, degree=1),
        Draft(
            actor=HEAD,
            subject="PF-1",
            type="fact_voided",
            payload={"on": (QUALIFIES - timedelta(days=10)).isoformat()},
            corrects=2,
            reason="entered by mistake",
        ),
    )

    assert flags_of(ledger_url, drafts, demo_law, "decision_without_grounds") == []


def _visits(n: int, kind: str = "short", visitor: str = "PF-1/V1") -> list[Draft]:
    return [
        fact("visit", date(2021, 1, 10) + timedelta(days=20 * i), kind=kind, visitor=visitor)
        for i in range(n)
    ]


def _relative(on: date = date(2020, 2, 1), approved: bool = True) -> Draft:
    return fact(
        "visitor_registered", on, visitor="PF-1/V1", relationship="mother", approved=approved
    )


@pytest.mark.parametrize(("visits", "flagged"), [(4, 0), (5, 1), (6, 2)])
def test_visits_above_the_yearly_entitlement_are_flagged_and_rest_on_demo_figures(
    ledger_url: str, demo_law: LawPack, visits: int, flagged: int
) -> None:
    drafts = [admitted(), _relative(), *_visits(visits)]  # medium, regular: 4 short a year (D)

    found = flags_of(ledger_url, drafts, demo_law, "visits_above_entitlement")

    assert len(found) == flagged
    assert all(f.confidence == "D" and f.detail["entitlement"] == 4 for f in found)


def test_visits_without_a_figure_in_the_law_pack_are_counted_as_not_determinable(
    ledger_url: str,
) -> None:
    law = LawPack.load()  # the law alone: medium/regular visit figures are unknown (LAW.md §4)
    drafts = [admitted(), _relative(), *_visits(6)]
    with Ledger.open(ledger_url) as ledger:
        ledger.append_many(drafts)
        with ledger.reading() as cursor:
            reg = build_register(cursor, law=law, register=REGISTER)

    assert reg.flags(kind="visits_above_entitlement") == []
    assert reg.not_determinable()["visits"] == 6


def test_a_visit_by_a_visitor_who_was_refused_is_flagged(
    ledger_url: str, demo_law: LawPack
) -> None:
    drafts = [admitted(), _relative(approved=False), *_visits(1)]

    found = flags_of(ledger_url, drafts, demo_law, "visit_unapproved_visitor")

    assert [f.evidence for f in found] == [(1, 2)]


def test_a_visit_before_the_visitor_was_approved_is_flagged(
    ledger_url: str, demo_law: LawPack
) -> None:
    drafts = [admitted(), _relative(on=date(2021, 6, 1)), *_visits(1)]

    found = flags_of(ledger_url, drafts, demo_law, "visit_before_approval")

    assert len(found) == 1


def test_a_visit_by_another_prisoners_relative_is_a_visit_under_other_prisoner(
    ledger_url: str, demo_law: LawPack
) -> None:
    drafts = [
        admitted("PF-1"),
        admitted("PF-2"),
        _relative(),
        fact("visit", date(2021, 3, 1), person="PF-2", kind="long", visitor="PF-1/V1"),
    ]

    found = flags_of(ledger_url, drafts, demo_law, "visit_under_other_prisoner")

    assert [(f.person, f.detail["registered_to"]) for f in found] == [("PF-2", ["PF-1"])]


def test_a_visit_recorded_by_another_institution_is_a_visit_while_elsewhere(
    ledger_url: str, demo_law: LawPack
) -> None:
    elsewhere = Actor("UK-2/O05", "role:records_officer@UK-2")
    drafts = [
        admitted(),
        _relative(),
        fact("visit", date(2021, 3, 1), actor=elsewhere, kind="short", visitor="PF-1/V1"),
    ]

    found = flags_of(ledger_url, drafts, demo_law, "visit_while_elsewhere")

    assert [f.detail["recorded_at"] for f in found] == ["UK-2"]


def test_thresholds_are_data(ledger_url: str, demo_law: LawPack) -> None:
    drafts = after_the_incentive(
        fact("degree_awarded", QUALIFIES + timedelta(days=20), actor=HEAD, degree=1),
    )
    with Ledger.open(ledger_url) as ledger:
        ledger.append_many(drafts)
        with ledger.reading() as cursor:
            reg = build_register(
                cursor, law=demo_law, register=REGISTER, thresholds=Thresholds(delay_days=14)
            )

    assert [f.detail["delay_days"] for f in reg.flags(kind="delayed_award")] == [20]
