"""Reads of the accounts app."""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from adaldyq.web.accounts.models import LoginFailure
from adaldyq.web.accounts.positions import position_in_language


def login_key(username: str) -> str:
    """The name the lock-out counts failures under: what authentication would look up, and more.

    The sign-in form strips the name and folds it to NFKC ("ombudsman ", a tab, a full-width letter all
    reach the same user), so the count must fold it the same way or every variant is a fresh name to it;
    case is folded too, which only joins more variants into one count.
    """
    return unicodedata.normalize("NFKC", username).strip().casefold()[:150]


def login_locked_until(*, username: str, ip: str, now: datetime) -> datetime | None:
    """When this sign-in may be tried again, or None when it is not locked.

    Three counts within the window (settings): failures of the pair (name, address), of the name from
    any address (a guesser who changes address), and of the address for any name (one address trying
    many names). Any of them at its limit locks until its oldest counted failure leaves the window.
    """
    window = timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    key = login_key(username)
    recent = LoginFailure.objects.filter(at__gt=now - window).order_by("-at")
    counts = (
        (recent.filter(username=key, ip=ip), settings.LOGIN_FAILURE_LIMIT),
        (recent.filter(username=key), settings.LOGIN_FAILURE_LIMIT_NAME),
        (recent.filter(ip=ip), settings.LOGIN_FAILURE_LIMIT_ADDRESS),
    )
    until: datetime | None = None
    for failures, limit in counts:
        times = list(failures.values_list("at", flat=True)[:limit])
        if len(times) >= limit:
            candidate = times[-1] + window
            until = candidate if until is None else max(until, candidate)
    return until


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
