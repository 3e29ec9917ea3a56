"""Words for the programme's codes, its facts and the damage's sums on the file page."""

from __future__ import annotations

from typing import Any

from django import template

from adaldyq.files import Fact
from adaldyq.web.work.labels import ACTIVITIES, NEEDS, PAYERS, inside_details, tenge

register = template.Library()


@register.filter
def needs_words(codes: Any) -> str:
    return ", ".join(str(NEEDS.get(c, c)) for c in codes or ())


@register.filter
def activities_words(codes: Any) -> str:
    return ", ".join(str(ACTIVITIES.get(c, c)) for c in codes or ())


@register.filter
def payer_words(code: str) -> str:
    return str(PAYERS.get(code, code))


@register.filter
def tenge_words(amount: Any) -> str:
    return tenge(amount)


@register.filter
def inside_words(fact: Fact) -> str:
    """What a typed fact of the programme, a certificate or the damage says (`files.Programme`),
    as the timeline's `fact_details` words the same entry."""
    return "; ".join(str(p) for p in inside_details(fact.type, fact.event) if p)
