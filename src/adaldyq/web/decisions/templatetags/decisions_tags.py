"""Template helpers of the commission's pages: the words for its codes."""

from __future__ import annotations

from typing import Any

from django import template

from adaldyq.web.decisions.labels import QUORUM_LABELS

register = template.Library()


@register.filter
def quorum(status: Any) -> Any:
    """The words for a quorum status (met, not_met, not_determinable), else the status."""
    return QUORUM_LABELS.get(str(status), status) if status else ""
