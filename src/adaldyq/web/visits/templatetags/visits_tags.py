"""Template helpers of the visits pages: the words for a booking's state and a visit's kind."""

from __future__ import annotations

from typing import Any

from django import template

from adaldyq.web.visits.selectors import KIND_NAMES, STATUS_NAMES

register = template.Library()


@register.filter
def booking_status(status: str) -> Any:
    """booked, cancelled, took place, did not take place: in the page's language."""
    return STATUS_NAMES.get(status, status)


@register.filter
def visit_kind(kind: str) -> Any:
    """short or long, in the page's language."""
    return KIND_NAMES.get(kind, kind)
