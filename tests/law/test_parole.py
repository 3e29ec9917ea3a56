"""Parole and substitution, CC arts. 72-73 (LAW.md §6)."""

from datetime import date

import pytest

from tests.law.conftest import ev, person, run


@pytest.mark.parametrize(
    ("gravity", "parole_from"),
    [
        # 8 years from 2022-01-10: 2922 days; 1/3 → 974 days, 1/2 → 1461, 2/3 → 1948 (rounded up)
        ("minor", date(2024, 9, 10)),
        ("medium", date(2024, 9, 10)),
        ("grave", date(2026, 1, 10)),
        ("especially_grave", date(2027, 5, 12)),
    ],
)
def test_parole_is_possible_after_the_gravitys_share_of_the_term_in_days(
    kz_law, gravity, parole_from
) -> None:
    result = run(kz_law, person(gravity=gravity), [ev("2022-02-01", "arrived")], date(2022, 3, 1))

    assert result.parole_from == parole_from


def test_parole_is_never_before_six_months_served(kz_law) -> None:
    p = person(gravity="minor", years=1, months=0)  # 1/3 of a year is about 4 months

    result = run(kz_law, p, [], date(2022, 3, 1))

    assert result.parole_from == date(2022, 7, 10)


def test_a_fraction_that_falls_between_days_is_rounded_up(kz_law) -> None:
    p = person(gravity="grave", years=0, months=0, days=365)  # half of 365 days is 182.5 → 183

    result = run(kz_law, p, [], date(2022, 3, 1))

    assert result.parole_from == date(2022, 7, 12)  # 2022-01-10 + 183 days


def test_life_imprisonment_has_no_release_and_parole_after_25_years(kz_law) -> None:
    p = person("extreme", start=date(2010, 2, 28), life=True)

    result = run(kz_law, p, [], date(2025, 1, 1))

    assert result.release_on is None
    assert result.parole_from == date(2035, 2, 28)
    assert result.substitution_from is None


def test_without_the_gravity_parole_is_not_determinable_rather_than_guessed(kz_law) -> None:
    result = run(kz_law, person(), [], date(2022, 3, 1))

    assert result.parole_from is None
    assert result.finding("parole").met is None


@pytest.mark.parametrize(
    ("gravity", "substitution_from"),
    [
        ("minor", date(2024, 1, 11)),
        ("grave", date(2024, 9, 10)),
        ("especially_grave", None),
    ],  # 731 and 974 days
)
def test_substitution_after_a_quarter_or_a_third_and_never_for_especially_grave(
    kz_law, gravity, substitution_from
) -> None:
    result = run(kz_law, person(gravity=gravity), [], date(2022, 3, 1))

    assert result.substitution_from == substitution_from


def test_the_result_says_substitution_is_not_available_rather_than_not_determinable(kz_law) -> None:
    grave = run(kz_law, person(gravity="especially_grave"), [], date(2022, 3, 1))
    unknown = run(kz_law, person(), [], date(2022, 3, 1))

    assert (grave.substitution_state, unknown.substitution_state) == (
        "not_available",
        "not_determinable",
    )
    assert grave.parole_state == "date"
