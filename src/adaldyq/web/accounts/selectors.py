"""Reads of the accounts app."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from adaldyq.web.accounts.models import LoginFailure


def login_locked_until(*, username: str, ip: str, now: datetime) -> datetime | None:
    """When the pair (username, address) may try again, or None when it is not locked."""
    window = timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    recent = list(
        LoginFailure.objects.filter(username=username[:150], ip=ip, at__gt=now - window)
        .order_by("-at")
        .values_list("at", flat=True)[: settings.LOGIN_FAILURE_LIMIT]
    )
    if len(recent) < settings.LOGIN_FAILURE_LIMIT:
        return None
    return recent[0] + window
