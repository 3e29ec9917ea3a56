"""Electronic monitoring's words on pages."""

from __future__ import annotations

from typing import Any

from django import template

from adaldyq.web.emonitoring.labels import EVENT_LABELS, VIOLATION_LABELS, ZONE_LABELS, event_words

register = template.Library()


@register.filter
def violation_label(kind: str) -> str:
    return str(VIOLATION_LABELS.get(kind, kind))


@register.filter
def zone_label(kind: str) -> str:
    return str(ZONE_LABELS.get(kind, kind))


@register.filter
def event_label(kind: str) -> str:
    return str(EVENT_LABELS.get(kind, kind))


@register.filter
def event_said(event: Any) -> str:
    return event_words(event)


@register.filter
def of_violation(events: dict[int, Any], seq: int) -> Any:
    """The events listed under a violation (`selectors.events_of`)."""
    return events.get(seq, [])
