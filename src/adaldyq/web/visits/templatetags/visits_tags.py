"""Template helpers of the visits pages: the words for a booking's state, a visit's kind, a room."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

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


@register.filter
def room_name(room: Any) -> str:
    """The room's name in the reader's language, or its kind and number in that language
    ("Short-visit room 1") when the room has no name in it."""
    lang = (get_language() or "kk")[:2]
    names = getattr(room, "names", None) or {}
    if names.get(lang):
        return str(names[lang])
    number = "".join(c for c in room.key if c.isdigit()) or room.key
    if room.kind == "long":
        return _("Long-visit room %(number)s") % {"number": number}
    return _("Short-visit room %(number)s") % {"number": number}
