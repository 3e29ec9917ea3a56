"""Filters of the programme pages: a category and a visit's status in the page's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from adaldyq.web.programme.selectors import CATEGORIES

register = template.Library()


@register.filter
def official_category(key: Any) -> str:
    found = CATEGORIES.get(str(key))
    return str(found) if found is not None else str(key)


@register.filter
def programme_status(key: Any) -> str:
    names = {
        "planned": _("waiting for the host's answer"),
        "confirmed": _("date confirmed"),
        "refused": _("date refused"),
    }
    return names.get(str(key), str(key))


@register.filter
def monitoring_topic(key: Any) -> str:
    from adaldyq.web.programme.selectors import TOPIC_LABELS

    found = TOPIC_LABELS.get(str(key))
    return str(found) if found is not None else str(key)
