"""Query parameters as the pages use them: a bad value is the default, never a server error (issue 16).

`?months=abc`, a 25-digit number (beyond PostgreSQL's bigint) or a date that is no date fall back to
the default instead of raising; the numbers are kept within the page's bounds.
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest

MAX_DIGITS = 9  # every id and count the pages take fits; a longer number is not one of ours


def int_param(request: HttpRequest, name: str, default: int, *, lo: int, hi: int) -> int:
    """The integer `name` of the query, within [lo, hi]; `default` when absent or not a number."""
    raw = request.GET.get(name, "").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > MAX_DIGITS:
        return default
    return max(lo, min(int(raw), hi))


def id_param(request: HttpRequest, name: str) -> int | None:
    """A positive database id from the query, or None when absent or not one."""
    value = int_param(request, name, 0, lo=0, hi=10**MAX_DIGITS)
    return value or None


def date_param(request: HttpRequest, name: str, default: date) -> date:
    """An ISO date (YYYY-MM-DD) from the query, or `default`."""
    raw = request.GET.get(name, "").strip()
    if len(raw) != 10:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return default
