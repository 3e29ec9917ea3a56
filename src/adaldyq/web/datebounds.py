"""Bounds on the dates people type (issue 16): a date far from today is refused in the reader's
language, before anything is written.

The figures are the project's (P), in settings (`DATE_BOUNDS`, `ADALDYQ_*_DAYS_*`): a commission
sitting's date, and a closure of visits rooms. Facts are bounded by their forms (not in the future,
not before the sentence: `records.forms.FactForm.clean_on`).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext

from adaldyq.core.errors import InputError


class DateOutOfBoundsError(InputError):
    """A typed date outside the days around today that the project admits for it."""


def window(kind: str, today: date) -> tuple[date, date]:
    """The first and last day admitted for a date of `kind` ("sitting", "closure") on `today`."""
    back, ahead = settings.DATE_BOUNDS[kind]
    return today - timedelta(days=back), today + timedelta(days=ahead)


def check(kind: str, on: date, *, today: date) -> None:
    """Refuse `on` unless it lies in the window of `kind` around `today`."""
    first, last = window(kind, today)
    if first <= on <= last:
        return
    words = {
        "sitting": gettext(
            "The sitting's date must lie between %(first)s and %(last)s; %(on)s is refused."
        ),
        "closure": gettext(
            "A closure's days must lie between %(first)s and %(last)s; %(on)s is refused."
        ),
    }[kind]
    raise DateOutOfBoundsError(
        words
        % {
            "first": date_format(first, "SHORT_DATE_FORMAT"),
            "last": date_format(last, "SHORT_DATE_FORMAT"),
            "on": date_format(on, "SHORT_DATE_FORMAT"),
        }
    )
