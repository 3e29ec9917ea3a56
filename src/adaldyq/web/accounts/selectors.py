"""Reads of the accounts app."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from adaldyq.web.accounts.models import LoginFailure
from adaldyq.web.accounts.positions import position_in_language


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


@dataclass(frozen=True, slots=True)
class Signatory:
    """How pages and documents name a user: the full name and the position (per language)."""

    username: str
    name: str
    role: str
    position_kk: str
    position_ru: str
    position_en: str

    @property
    def position(self) -> str:
        """The position in the current language (accounts.positions)."""
        return position_in_language(self.role, self.position_kk, self.position_ru, self.position_en)


_NAMES: dict[str, Signatory | None] = {}
_NAMES_KEPT_SECONDS = 60.0  # names change rarely; another process's change shows within a minute
_NAMES_BOUND = 5000
_names_loaded_at = 0.0


def names_forget() -> None:
    """Drop the kept names (a user was saved or deleted in this process)."""
    _NAMES.clear()


def signatories(usernames: Iterable[str]) -> dict[str, Signatory]:
    """The users behind these logins (as the ledger records actors), read once per minute a process.

    A login that no user has (an actor of an imported ledger) is absent from the answer.
    """
    global _names_loaded_at  # one small cache per process
    now = time.monotonic()
    if now - _names_loaded_at > _NAMES_KEPT_SECONDS or len(_NAMES) > _NAMES_BOUND:
        _NAMES.clear()
        _names_loaded_at = now
    wanted = [u for u in {str(u) for u in usernames if u} if u not in _NAMES]
    if wanted:
        from adaldyq.web.accounts.models import User

        for u in wanted:
            _NAMES[u] = None
        for user in User.objects.filter(username__in=wanted).only(
            "username",
            "full_name",
            "first_name",
            "last_name",
            "role",
            "position_kk",
            "position_ru",
            "position_en",
        ):
            _NAMES[user.username] = Signatory(
                user.username,
                user.display_name,
                user.role,
                user.position_kk,
                user.position_ru,
                user.position_en,
            )
    return {u: s for u in usernames if u and (s := _NAMES.get(str(u))) is not None}
