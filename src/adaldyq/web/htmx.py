"""The request of a view that answers htmx differently (a fragment instead of the whole page)."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxRequest(HttpRequest):
    """A request as django-htmx's middleware leaves every one (settings.MIDDLEWARE): `htmx` is true
    when htmx sent it, with the headers it sent (the target, the trigger, the current page)."""

    htmx: HtmxDetails
