"""The damage paid as facts the engine reads (issue 19): mandatory parole (CC art. 72) and substitution
of the unserved part (CC art. 73) from the payment that completes the damage the court awarded; the
file's statement where it records no award; 'not determinable' where it says nothing."""

from __future__ import annotations

from datetime import date

import pytest

from adaldyq.core.errors import CaseError
from adaldyq.law import LawPack
from adaldyq.law.messages import render_lines
from tests.law.conftest import ev, person, run

LAW = LawPack.load()
ON = date(2024, 1, 1)
ARRIVED = ev("2020-02-01", "arrived")
AWARD = ev("2020-03-01", "damage_awarded", amount=500_000)


def _medium(events, **facts):
    return run(LAW, person(start=date(2020, 1, 10), years=9, gravity="medium", **facts), events, ON)


def test_mandatory_parole_runs_from_the_payment_that_completes_the_damage_awarded() -> None:
    events = [
        ARRIVED,
        AWARD,
        ev("2021-05-01", "damage_paid", amount=100_000, by="person"),
        ev("2023-04-03", "damage_paid", amount=400_000, by="relatives"),
    ]

    r = _medium(events)

    mandatory = r.finding("parole_mandatory")
    assert r.parole_from == date(2023, 1, 10)
    assert mandatory.value == date(2023, 4, 3)
    assert mandatory.confidence == "P"  # the project's reading of the payments, said as such
    damage = mandatory.conditions[1]
    assert (damage.code, damage.met, damage.params["by_relatives"]) == (
        "release.damage_paid",
        True,
        400_000,
    )
    ru = "\n".join(render_lines(r, "ru"))
    assert (
        "выплачено 500000 из 500000 тенге (100000 — самим осуждённым, 400000 — родственниками)"
        in ru
    )


def test_payments_short_of_the_award_are_not_full_compensation_whatever_the_flag_says() -> None:
    events = [ARRIVED, AWARD, ev("2021-05-01", "damage_paid", amount=499_999.5, by="person")]

    r = _medium(events, damage_compensated=True)

    mandatory = r.finding("parole_mandatory")
    assert mandatory.met is False
    assert mandatory.conditions[1].code == "release.damage_outstanding"
    assert "499999.5 of 500000 tenge paid" in "\n".join(render_lines(r, "en"))


def test_a_new_award_after_the_payments_is_compensated_only_when_they_reach_it() -> None:
    events = [
        ARRIVED,
        AWARD,
        ev("2021-05-01", "damage_paid", amount=500_000, by="person"),
        ev("2022-01-01", "damage_awarded", amount=700_000),
        ev("2022-06-01", "damage_paid", amount=200_000, by="relatives"),
    ]

    mandatory = _medium(events).finding("parole_mandatory")

    assert mandatory.value == date(2023, 1, 10)  # reached on 1 June 2022, before the part served
    assert mandatory.conditions[1].met_on == date(2022, 6, 1)


def test_without_an_award_the_file_s_statement_stands_and_its_silence_is_said() -> None:
    assert _medium([ARRIVED], damage_compensated=True).finding("parole_mandatory").met is True
    silent = _medium([ARRIVED]).finding("parole_mandatory")
    assert silent.met is None
    assert silent.conditions[1].code == "release.damage_unknown"


@pytest.mark.parametrize(
    ("fact", "field"),
    [
        (ev("2021-05-01", "damage_paid", amount=-1, by="person"), "amount"),
        (ev("2021-05-01", "damage_paid", amount="100", by="person"), "amount"),
        (ev("2021-05-01", "damage_paid", amount=100, by="a friend"), "by"),
        (ev("2021-05-01", "damage_awarded", amount=True), "amount"),
    ],
)
def test_a_payment_or_award_that_is_not_a_sum_is_refused_by_name(fact, field) -> None:
    with pytest.raises(CaseError, match=field):
        _medium([ARRIVED, fact])


def test_a_payment_missing_who_paid_is_refused() -> None:
    with pytest.raises(CaseError, match="needs 'by'"):
        _medium([ARRIVED, ev("2021-05-01", "damage_paid", amount=100)])


def test_substitution_is_not_available_after_a_malicious_violation_until_the_damage_is_paid() -> (
    None
):
    malicious = ev("2021-03-01", "penalty", malicious=True)
    payment = ev("2022-02-01", "damage_paid", amount=500_000, by="relatives")

    before = run(
        LAW,
        person(start=date(2020, 1, 10), years=9, gravity="medium"),
        [ARRIVED, AWARD, malicious],
        ON,
    )
    after = run(
        LAW,
        person(start=date(2020, 1, 10), years=9, gravity="medium"),
        [ARRIVED, AWARD, malicious, payment],
        ON,
    )

    assert before.substitution_from is None
    assert before.finding("substitution").met is False
    assert after.substitution_from == date(2022, 4, 11)  # 3,288 days / 4 = 822, after the payment
    kk = "\n".join(render_lines(after, "kk"))
    assert "қасақана бұзушылық тіркелген (01.03.2021), және залал толық өтелген" in kk


def test_a_penalty_recorded_with_the_item_of_the_list_is_a_malicious_violation() -> None:
    # the file's penalty form records the item ("alcohol_or_drugs"), not `true` (files.Penalty reads
    # both as malicious; the engine read only `true` and so missed it for mandatory parole)
    item = ev("2021-03-01", "penalty", kind="alcohol", malicious="alcohol_or_drugs")

    r = _medium([ARRIVED, item], damage_compensated=True)

    assert r.finding("parole_mandatory").met is False
    assert r.finding("parole_mandatory").conditions[2].params["malicious"] == date(2021, 3, 1)
