"""Calendar arithmetic of LAW.md §0."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adaldyq.core.dates import add_months, term_end


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # leap year
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 1, 31), 3, date(2024, 4, 30)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2022, 5, 15), 3, date(2022, 8, 15)),
    ],
)
def test_n_months_from_d_clip_to_the_last_day_of_a_shorter_month(start, months, expected) -> None:
    assert add_months(start, months) == expected


def test_eight_years_from_the_tenth_of_january_end_on_the_ninth() -> None:
    assert term_end(date(2022, 1, 10), years=8) == date(2030, 1, 9)


def test_a_term_with_days_counts_the_days_after_years_and_months() -> None:
    assert term_end(date(2022, 1, 10), years=1, months=2, days=3) == date(2023, 3, 12)


def test_a_term_starting_on_29_february_ends_the_day_before_the_clipped_anniversary() -> None:
    assert term_end(date(2024, 2, 29), years=1) == date(2025, 2, 27)


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)), st.integers(0, 600))
def test_adding_months_never_moves_backwards_and_keeps_the_day_or_clips(d: date, n: int) -> None:
    out = add_months(d, n)
    assert out >= d
    assert out.day == d.day or (out + timedelta(days=1)).day == 1
    assert (out.year * 12 + out.month) - (d.year * 12 + d.month) == n


def _add_months_by_fields(d: date, n: int) -> date:
    """The rule written with the calendar module: the reference for the integer arithmetic."""
    import calendar

    year, month0 = divmod(d.year * 12 + d.month - 1 + n, 12)
    return date(year, month0 + 1, min(d.day, calendar.monthrange(year, month0 + 1)[1]))


@given(st.dates(min_value=date(200, 1, 1), max_value=date(9000, 12, 31)), st.integers(-1200, 1200))
def test_adding_months_matches_the_calendar_rule_everywhere(d: date, n: int) -> None:
    assert add_months(d, n) == _add_months_by_fields(d, n)


@pytest.mark.parametrize(
    "d",
    [
        date(2000, 12, 31),
        date(1900, 12, 31),
        date(2024, 12, 31),
        date(2023, 12, 31),
        date(2024, 2, 29),
        date(2024, 3, 1),
        date(2023, 3, 1),
        date(9, 1, 31),
        date(2400, 12, 31),
        date(2100, 2, 28),
    ],
)
def test_adding_months_at_year_and_leap_day_edges(d: date) -> None:
    for n in (-25, -12, -1, 0, 1, 11, 12, 13, 48):
        assert add_months(d, n) == _add_months_by_fields(d, n)
