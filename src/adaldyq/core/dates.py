"""Calendar arithmetic of the law (LAW.md §0, a project interpretation: confidence P)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Final

_DAYS_IN_MONTH: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


#: (day, months) -> day + months: the engine asks for a few thousand distinct sums, each many times
#: (every condition of every evaluation); a date's fields and constructor are calls, a look-up is not.
_SUMS: Final[dict[tuple[date, int], date]] = {}


def add_months(d: date, months: int) -> date:
    """D + N calendar months; a day missing in the target month becomes its last day (31 Aug + 6 = 28/29 Feb)."""
    key = (d, months)
    hit = _SUMS.get(key)
    if hit is not None:
        return hit
    sum_ = _add_months(d, months)
    if len(_SUMS) >= 100_000:
        _SUMS.clear()
    _SUMS[key] = sum_
    return sum_


def _add_months(d: date, months: int) -> date:
    total = d.year * 12 + d.month - 1 + months
    year, month0 = total // 12, total % 12  # native integer operations when compiled, unlike divmod
    day = d.day
    if day > 28:
        last = _DAYS_IN_MONTH[month0]
        if month0 == 1 and calendar.isleap(year):
            last = 29
        if day > last:
            day = last
    return date(year, month0 + 1, day)


def add_years(d: date, years: int) -> date:
    """D + N years, as N * 12 calendar months (29 Feb + 1 year = 28 Feb)."""
    return add_months(d, 12 * years)


def term_end(start: date, *, years: int = 0, months: int = 0, days: int = 0) -> date:
    """Last day of a term that starts on `start`: the day before start + years + months, then + days."""
    # timedelta(N) is N days; given positionally it skips the parsing of keywords
    return add_months(start, 12 * years + months) + timedelta(days - 1)


def as_date(value: object) -> date | None:
    """`value` if it is a date, else its text read as an ISO date; None when it is neither (a YAML
    file's or a payload's dates come as either)."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def parse_date(text: str) -> date:
    """An ISO YYYY-MM-DD date; ValueError on anything else."""
    if len(text) != 10:
        raise ValueError(f"not an ISO date YYYY-MM-DD: {text!r}")
    return date.fromisoformat(text)
