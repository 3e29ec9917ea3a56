"""Words for the programme's codes, its facts and the damage's sums on the file page."""

from __future__ import annotations

from django import template

from adaldyq.files import Fact
from adaldyq.web.work.labels import (
    activities_words,
    inside_details,
    needs_words,
    payer_words,
    tenge,
)

register = template.Library()


register.filter("needs_words", needs_words)
register.filter("activities_words", activities_words)
register.filter("payer_words", payer_words)
register.filter("tenge_words", tenge)


@register.filter
def inside_words(fact: Fact) -> str:
    """What a typed fact of the programme, a certificate or the damage says (`files.Programme`),
    as the timeline's `fact_details` words the same entry."""
    return "; ".join(str(p) for p in inside_details(fact.type, fact.event) if p)
