"""Electronic monitoring's words on pages."""

from __future__ import annotations

from typing import Any

from django import template

from adaldyq.web.emonitoring.labels import EVENT_LABELS, VIOLATION_LABELS, ZONE_LABELS, event_words
from adaldyq.web.words import label_of

register = template.Library()


register.filter("violation_label", label_of(VIOLATION_LABELS))
register.filter("zone_label", label_of(ZONE_LABELS))
register.filter("event_label", label_of(EVENT_LABELS))
register.filter("event_said", event_words)


@register.filter
def of_violation(events: dict[int, Any], seq: int) -> Any:
    """The events listed under a violation (`selectors.events_of`)."""
    return events.get(seq, [])
