"""Transfers between conditions, PEC art. 103 (LAW.md §3), for every institution type."""

from datetime import date

import pytest

from adaldyq.core.dates import add_months
from tests.law.conftest import ev, person, run

ARRIVED = "2022-02-01"


def _light_history():
    """Degree and work assessment carried over from a previous institution, then arrival."""
    return [
        ev("2022-01-11", "incentive"),
        ev("2022-01-15", "degree_awarded", degree=1),
        ev("2022-01-20", "work_assessed", diligent=True),
        ev(ARRIVED, "arrived"),
    ]


@pytest.mark.parametrize(
    ("itype", "months"), [("minimum", 3), ("medium", 6), ("maximum", 9), ("extreme", 12)]
)
def test_regular_to_light_opens_after_the_months_of_each_type(kz_law, itype, months) -> None:
    due = add_months(date(2022, 2, 1), months)
    day_before = date.fromordinal(due.toordinal() - 1)

    before = run(kz_law, person(itype), _light_history(), day_before)
    on_day = run(kz_law, person(itype), _light_history(), due)

    assert "light" not in before.may_move_to
    assert on_day.may_move_to == ["light"]
    assert before.finding("transfer.regular.light").met_on == due


def test_regular_to_light_needs_diligent_work_at_the_latest_assessment(kz_law) -> None:
    events = [*_light_history(), ev("2022-06-01", "work_assessed", diligent=False)]

    result = run(kz_law, person("medium"), events, date(2022, 9, 1))

    assert result.may_move_to == []
    missing = [c.code for c in result.finding("transfer.regular.light").conditions if not c.met]
    assert missing == ["transfer.diligent_work"]


def test_regular_to_light_needs_the_first_degree_held_not_only_qualified_for(kz_law) -> None:
    events = [
        ev(ARRIVED, "arrived"),
        ev("2022-02-10", "incentive"),
        ev("2022-03-01", "work_assessed", diligent=True),
    ]

    result = run(kz_law, person("medium"), events, date(2022, 9, 1))

    assert result.qualifies_for_degree == 1
    assert result.may_move_to == []


def _preferential_history(light_on: str):
    return [
        ev("2019-02-01", "arrived"),
        ev("2019-02-15", "incentive"),
        ev("2019-05-20", "degree_awarded", degree=1),
        ev("2019-06-01", "joined_organisation"),
        ev("2019-12-01", "degree_awarded", degree=2),
        ev("2020-12-05", "degree_awarded", degree=3),
        ev(light_on, "condition_changed", to="light"),
    ]


@pytest.mark.parametrize(
    ("itype", "in_light", "before_release"),
    [("medium", 3, 12), ("maximum", 3, 9), ("extreme", 6, 6)],
)
def test_light_to_preferential_opens_within_the_months_before_release(
    kz_law, itype, in_light, before_release
) -> None:
    p = person(itype, start=date(2019, 1, 10), years=4, months=6)  # release 2023-07-09
    opens = add_months(date(2023, 7, 9), -before_release)
    events = _preferential_history("2021-01-10")

    assert (
        "preferential"
        not in run(kz_law, p, events, date.fromordinal(opens.toordinal() - 1)).may_move_to
    )
    assert "preferential" in run(kz_law, p, events, opens).may_move_to
    assert add_months(date(2021, 1, 10), in_light) <= opens


def test_a_life_sentence_never_meets_months_before_release(kz_law) -> None:
    p = person("extreme", start=date(2010, 1, 10), life=True)

    result = run(kz_law, p, _preferential_history("2021-01-10"), date(2030, 1, 1))

    assert result.release_on is None
    assert result.may_move_to == []
    cond = next(
        c for c in result.finding("transfer.light.preferential").conditions if "release" in c.code
    )
    assert cond.met is False
    assert cond.params["life"] is True


def test_minimum_and_complete_institutions_have_no_preferential_conditions(kz_law) -> None:
    for itype in ("minimum", "complete"):
        result = run(
            kz_law, person(itype), [ev(ARRIVED, "arrived", condition="light")], date(2030, 1, 1)
        )
        assert [f.value for f in result.findings if f.id.startswith("transfer.")] == ["strict"]


@pytest.mark.parametrize("itype", ["minimum", "medium", "maximum", "extreme", "complete"])
def test_a_malicious_offender_may_be_moved_to_strict_from_regular(kz_law, itype) -> None:
    events = [
        ev(ARRIVED, "arrived"),
        ev("2022-03-01", "recognised", **{"as": "malicious_offender"}),
    ]

    assert run(kz_law, person(itype), events, date(2022, 3, 1)).may_move_to == ["strict"]


@pytest.mark.parametrize(
    ("itype", "months"), [("minimum", 6), ("medium", 6), ("maximum", 9), ("extreme", 12)]
)
def test_strict_to_regular_opens_after_the_months_in_strict_without_penalties(
    kz_law, itype, months
) -> None:
    events = [
        ev(ARRIVED, "arrived"),
        ev("2022-05-05", "recognised", **{"as": "malicious_offender"}),
        ev("2022-05-06", "condition_changed", to="strict"),
    ]
    due = add_months(date(2022, 5, 6), months)

    assert (
        run(kz_law, person(itype), events, date.fromordinal(due.toordinal() - 1)).may_move_to == []
    )
    assert run(kz_law, person(itype), events, due).may_move_to == ["regular"]


def test_a_penalty_in_strict_pushes_the_return_to_regular_to_the_end_of_the_clean_window(
    kz_law,
) -> None:
    events = [
        ev(ARRIVED, "arrived"),
        ev("2022-05-06", "condition_changed", to="strict"),
        ev("2022-08-31", "penalty"),
    ]

    result = run(kz_law, person("medium"), events, date(2022, 11, 6))
    cond = result.finding("transfer.strict.regular").conditions[1]

    assert cond.met is False
    assert cond.met_on == date(
        2023, 3, 1
    )  # 1 Mar − 6 months = 1 Sep, the first window clear of 31 Aug
    assert run(kz_law, person("medium"), events, date(2023, 2, 28)).may_move_to == []
    assert run(kz_law, person("medium"), events, date(2023, 3, 1)).may_move_to == ["regular"]


def test_complete_security_light_needs_a_year_of_the_sentence_and_the_first_degree(kz_law) -> None:
    p = person("complete", start=date(2021, 6, 1))
    events = [
        ev("2021-07-01", "arrived"),
        ev("2021-08-01", "incentive"),
        ev("2021-11-05", "degree_awarded", degree=1),
    ]

    assert run(kz_law, p, events, date(2022, 5, 31)).may_move_to == []
    assert run(kz_law, p, events, date(2022, 6, 1)).may_move_to == ["light"]


def test_complete_security_strict_to_regular_needs_a_year_and_the_first_degree(kz_law) -> None:
    p = person("complete", start=date(2020, 6, 1))
    events = [
        ev("2021-01-01", "arrived", condition="strict"),
        ev("2021-03-01", "incentive"),
        ev("2021-07-01", "degree_awarded", degree=1),
    ]

    assert run(kz_law, p, events, date(2021, 12, 31)).may_move_to == []
    assert run(kz_law, p, events, date(2022, 1, 1)).may_move_to == ["regular"]


def test_mixed_security_units_have_regular_conditions_only(kz_law) -> None:
    result = run(kz_law, person("mixed"), [ev(ARRIVED, "arrived")], date(2025, 1, 1))

    assert result.condition == "regular"
    assert result.may_move_to == []
