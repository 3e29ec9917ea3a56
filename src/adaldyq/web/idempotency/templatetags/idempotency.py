"""`{% idempotency_field %}`: the hidden one-use key of a form that writes (adaldyq.web.idempotency)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from adaldyq.web.idempotency.keys import FIELD, new_token

register = template.Library()


@register.simple_tag(takes_context=True)
def idempotency_field(context: template.Context) -> SafeString:
    """A hidden input with a fresh key for this rendering of this form."""
    request = context.get("request")
    user = getattr(request, "user", None) if request is not None else context.get("user")
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token(user))
