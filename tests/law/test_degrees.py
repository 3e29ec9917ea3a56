"""Degrees of behaviour, PEC art. 95 (LAW.md §2), at every threshold."""

from datetime import date, timedelta

import pytest

from adaldyq.law.messages import condition_text
from tests.law.conftest import ev, person, run

ARRIVED = ev("2022-02-01", "arrived")


@pytest.mark.parametrize(
    ("on", "qualifies"),
    [(date(2022, 8, 14), 0), (date(2022, 8, 15), 1), (date(2022, 8, 16), 1)],
)
def test_the_first_positive_degree_is_due_three_months_after_the_latest_incentive(
    kz_law, on, qualifies
) -> None:
    events = [ARRIVED, ev("2022-05-15", "incentive")]

    result = run(kz_law, person(), events, on)

    assert result.qualifies_for_degree == qualifies
    assert result.finding("degree.1").met_on == date(2022, 8, 15)


@pytest.mark.parametrize(
    ("events", "opens"),
    [
        pytest.param(
            [ev("2022-08-31", "incentive")],
            date(2022, 11, 30),
            id="an incentive on 31 August gives the first degree on 30 November (clipped)",
        ),
        pytest.param(
            [
                ev("2022-05-15", "incentive"),
                ev("2022-05-15", "penalty"),
                ev("2022-06-01", "incentive"),
            ],
            date(2022, 9, 1),
            id="a later incentive after a same-day penalty opens the three months again",
        ),
        pytest.param(
            [
                ev("2022-03-01", "incentive"),
                ev("2022-04-01", "penalty"),
                ev("2022-05-10", "incentive"),
            ],
            date(2022, 8, 10),
            id="a new incentive after a penalty restarts the three months",
        ),
    ],
)
def test_the_first_positive_degree_opens_on_its_day_and_not_the_day_before(
    kz_law, events, opens
) -> None:
    history = [ARRIVED, *events]

    assert run(kz_law, person(), history, opens - timedelta(days=1)).qualifies_for_degree == 0
    assert run(kz_law, person(), history, opens).qualifies_for_degree == 1


def test_a_penalty_after_the_incentive_blocks_the_first_positive_degree(kz_law) -> None:
    events = [ARRIVED, ev("2022-05-15", "incentive"), ev("2022-06-20", "penalty")]

    result = run(kz_law, person(), events, date(2022, 12, 1))

    assert result.qualifies_for_degree == 0
    assert result.finding("degree.1").met_on is None  # only a new incentive can open it


def test_a_penalty_on_the_day_of_the_incentive_does_not_count_against_it(kz_law) -> None:
    events = [ARRIVED, ev("2022-05-15", "penalty"), ev("2022-05-15", "incentive")]

    assert run(kz_law, person(), events, date(2022, 8, 15)).qualifies_for_degree == 1


def _clean(result, degree: str):
    return next(c for c in result.finding(degree).conditions if c.code.endswith("no_penalty_since"))


def test_a_penalty_recorded_after_the_incentive_of_its_day_counts_against_it(kz_law) -> None:
    # Issue 13: an incentive and a penalty on one day, the penalty recorded after: "no penalty since" is
    # not met, and the words say why (the same day, recorded after it).
    events = [ARRIVED, ev("2022-05-15", "incentive"), ev("2022-05-15", "penalty")]

    result = run(kz_law, person(), events, date(2022, 12, 1))

    assert result.qualifies_for_degree == 0
    assert _clean(result, "degree.1").met is False
    assert result.finding("degree.1").met_on is None  # only a new incentive can open it
    assert "a penalty of the same day is recorded after it" in condition_text(
        _clean(result, "degree.1"), "en"
    )
    assert "взыскание того же дня записано в деле после него" in condition_text(
        _clean(result, "degree.1"), "ru"
    )
    assert "сол күнгі жазалау шарасы істе одан кейін жазылған" in condition_text(
        _clean(result, "degree.1"), "kk"
    )


def test_a_penalty_recorded_before_the_incentive_of_its_day_is_said_not_to_count(kz_law) -> None:
    events = [ARRIVED, ev("2022-05-15", "penalty"), ev("2022-05-15", "incentive")]

    clean = _clean(run(kz_law, person(), events, date(2022, 8, 15)), "degree.1")

    assert clean.met is True
    assert "recorded before it in the file, so it does not count" in condition_text(clean, "en")


def test_a_penalty_recorded_after_the_award_on_its_day_stops_the_second_degree(kz_law) -> None:
    history = _second_degree_history()
    award = history.index(next(e for e in history if e["type"] == "degree_awarded"))
    after = [*history[: award + 1], ev("2022-06-10", "penalty"), *history[award + 1 :]]
    before = [*history[:award], ev("2022-06-10", "penalty"), *history[award:]]

    assert run(kz_law, person(), after, date(2022, 12, 10)).qualifies_for_degree != 2
    assert _clean(run(kz_law, person(), after, date(2022, 12, 10)), "degree.2").met is False
    assert _clean(run(kz_law, person(), before, date(2022, 12, 10)), "degree.2").met is True


def test_a_further_incentive_starts_the_three_months_again_as_the_text_says(kz_law) -> None:
    """Art. 95 counts from the latest incentive (LAW.md §2): a second incentive delays the +1."""
    events = [ARRIVED, ev("2022-03-01", "incentive"), ev("2022-05-01", "incentive")]

    before = run(kz_law, person(), events, date(2022, 7, 31))
    on_day = run(kz_law, person(), events, date(2022, 8, 1))

    assert before.qualifies_for_degree == 0
    assert on_day.qualifies_for_degree == 1
    first = before.finding("degree.1")
    assert first.met_on == date(2022, 8, 1)
    assert first.confidence == "S"  # the text's reading, not the project's
    assert first.conditions[0].params["first_incentive"] == date(2022, 3, 1)  # what it costs


def test_a_held_first_degree_stays_supported_when_a_new_incentive_restarts_the_months(
    kz_law,
) -> None:
    events = [
        ARRIVED,
        ev("2022-03-01", "incentive"),
        ev("2022-06-01", "degree_awarded", degree=1),
        ev("2022-07-01", "incentive"),
    ]

    result = run(kz_law, person(), events, date(2022, 7, 2))

    assert result.qualifies_for_degree == 0
    assert result.gap.unsupported is False


def test_a_held_first_degree_with_a_penalty_since_the_award_is_unsupported(kz_law) -> None:
    events = [
        ARRIVED,
        ev("2022-03-01", "incentive"),
        ev("2022-06-01", "degree_awarded", degree=1),
        ev("2022-06-15", "penalty"),
        ev("2022-07-01", "incentive"),
    ]

    assert run(kz_law, person(), events, date(2022, 7, 2)).gap.unsupported is True


def test_the_wait_after_a_revocation_counts_from_the_revocation(kz_law) -> None:
    events = [
        ARRIVED,
        ev("2022-03-01", "incentive"),
        ev("2022-04-01", "recognised", **{"as": "offender"}),
        ev("2022-10-01", "degree_revoked"),
    ]

    result = run(kz_law, person(), events, date(2022, 10, 11))

    assert (result.gap.waiting_since, result.gap.waiting_days) == (date(2022, 10, 1), 10)


def _second_degree_history(extra=()):
    return [
        ARRIVED,
        ev("2022-03-01", "incentive"),
        ev("2022-06-10", "degree_awarded", degree=1),
        ev("2022-07-01", "joined_organisation"),
        *extra,
    ]


@pytest.mark.parametrize(("on", "qualifies"), [(date(2022, 12, 9), 1), (date(2022, 12, 10), 2)])
def test_the_second_degree_is_due_six_months_after_the_award_of_the_first(
    kz_law, on, qualifies
) -> None:
    assert run(kz_law, person(), _second_degree_history(), on).qualifies_for_degree == qualifies


def test_the_second_degree_needs_membership_on_the_date(kz_law) -> None:
    events = _second_degree_history([ev("2022-11-01", "left_organisation")])

    result = run(kz_law, person(), events, date(2022, 12, 10))

    assert result.qualifies_for_degree == 1
    assert result.finding("degree.2").met is False


def test_a_held_degree_the_facts_no_longer_support_is_reported_as_unsupported(kz_law) -> None:
    events = _second_degree_history([ev("2022-09-09", "penalty")])

    result = run(kz_law, person(), events, date(2023, 1, 15))

    assert (result.degree, result.qualifies_for_degree) == (1, 0)
    assert result.gap.unsupported is True


def test_a_qualification_not_yet_awarded_reports_the_days_of_waiting(kz_law) -> None:
    result = run(kz_law, person(), _second_degree_history(), date(2023, 1, 9))

    assert result.gap.waiting_since == date(2022, 12, 10)
    assert result.gap.waiting_days == 30


@pytest.mark.parametrize(("on", "qualifies"), [(date(2023, 12, 11), 2), (date(2023, 12, 12), 3)])
def test_the_third_degree_is_due_a_year_after_the_award_of_the_second(
    kz_law, on, qualifies
) -> None:
    events = _second_degree_history([ev("2022-12-12", "degree_awarded", degree=2)])

    assert run(kz_law, person(), events, on).qualifies_for_degree == qualifies


@pytest.mark.parametrize(
    ("as_", "degree"), [("offender", -1), ("systematic_offender", -2), ("malicious_offender", -3)]
)
def test_a_recognition_sets_the_negative_degree_and_the_qualification_follows_it(
    kz_law, as_, degree
) -> None:
    events = [ARRIVED, ev("2022-03-01", "incentive"), ev("2022-11-05", "recognised", **{"as": as_})]

    result = run(kz_law, person(), events, date(2023, 6, 1))

    assert (result.degree, result.qualifies_for_degree) == (degree, degree)


def test_a_revocation_sets_the_degree_back_to_none_and_the_facts_decide_again(kz_law) -> None:
    events = [
        ARRIVED,
        ev("2022-03-01", "incentive"),
        ev("2022-04-01", "recognised", **{"as": "offender"}),
        ev("2022-10-01", "degree_revoked"),
    ]

    result = run(kz_law, person(), events, date(2022, 10, 2))

    assert (result.degree, result.qualifies_for_degree) == (
        0,
        1,
    )  # the incentive of March stands, unpenalised
