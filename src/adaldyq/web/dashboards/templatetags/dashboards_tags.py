"""Filters of the dashboards' templates: a share as a percentage, a p-value, a level's label."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template

from adaldyq.web.charts import number, significant

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """A share (0..1) as a percentage with one decimal in the page's language ("12,5%"); — for none."""
    return "—" if value is None else number(100 * value, 1) + "%"


@register.filter
def num(value: float | None) -> str:
    """A count with its thousands grouped as the page's language writes them ("169 134")."""
    return number(value)


@register.filter(name="significant")
def significant_filter(value: float | None) -> str:
    """A p-value to two significant figures ("1,1e-05"); — for none."""
    return "—" if value is None else significant(value)


@register.filter
def level_label(levels: Sequence[tuple[str, Any]], level: str) -> str:
    return str(dict(levels).get(level, level))
