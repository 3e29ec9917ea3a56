"""API tokens for machine clients (ADR 0041): made, listed, revoked, and read back from a request.

    token, secret = token_create(user=u, name="court system", days=90, by="admin")
    token_revoke(prefix="adq_...", by="admin")          # from then on refused
    token_user(secret)                                  # the user it carries, or None
    quota_exceeded(token)                               # seconds to wait when over the rate limit

A token is "adq_" + 10 letters (its public prefix) + "_" + 43 letters (256 random bits). Only its
SHA-256 is kept: it is shown once, when made. It carries its user's role and scope: every scope check
reads the user, every ledger entry it causes names the user on the authority "role:... token:PREFIX"
(`records.services.actor_of`), and a token of a user who can no longer sign in (inactive) is refused.
A token replaces the password and the second factor: only a user who signed in with both (the
account's page) or the server's administrator (`adaldyq web api-token create`) makes one.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from adaldyq.core.errors import InputError
from adaldyq.web.accounts.models import ApiToken, User
from adaldyq.web.accounts.roles import Role
from adaldyq.web.text import checked_text

PREFIX = "adq_"
#: The longest life of a token, and the default (days): a token is a password that does not expire by
#: itself, so it is made to.
MAX_DAYS = 365
DEFAULT_DAYS = 90
#: `last_used_at` is written at most this often per token (a write per request would serialise them).
USED_EVERY = timedelta(minutes=1)


class TokenError(InputError, ValueError):
    """A token that cannot be made or revoked as asked; one line for the command."""


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def may_hold_tokens(user: Any) -> bool:
    """Every role but the prisoner's kiosk (a person at a terminal, never a machine client)."""
    role = getattr(user, "role", "")
    return bool(role) and role != Role.prisoner and bool(getattr(user, "is_active", False))


def token_create(
    *, user: User, name: str, days: int = DEFAULT_DAYS, by: str
) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it and the secret, which is not kept and cannot be shown again."""
    if not may_hold_tokens(user):
        raise TokenError(
            f"{user.get_username()} may not hold API tokens (role {user.role or 'none'})"
        )
    if not name.strip():
        raise TokenError("a token needs a name: what the client is")
    name = checked_text(name)
    if not 1 <= days <= MAX_DAYS:
        raise TokenError(f"a token lives 1 to {MAX_DAYS} days, not {days}")
    now = timezone.now()
    while True:
        prefix = PREFIX + secrets.token_hex(5)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    secret = f"{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        prefix=prefix,
        digest=_digest(secret),
        user=user,
        name=name[:200],
        created_at=now,
        created_by=by,
        expires_at=now + timedelta(days=days),
    )
    return token, secret


def token_revoke(*, prefix: str, by: str, user: User | None = None) -> ApiToken:
    """Revoke the token `prefix` (with `user`: only one of theirs); revoking twice changes nothing."""
    with transaction.atomic():
        found = ApiToken.objects.select_for_update().filter(prefix=prefix.strip())
        if user is not None:
            found = found.filter(user=user)
        token = found.first()
        if token is None:
            raise TokenError(f"no API token {prefix!r}")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.revoked_by = by
            token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def tokens_of(user: User | None = None) -> Any:
    """The tokens of `user` (None: everyone's), newest first."""
    qs = ApiToken.objects.select_related("user")
    return qs.filter(user=user) if user is not None else qs


def token_status(token: ApiToken, now: Any = None) -> str:
    """ "active", "expired" or "revoked"."""
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at <= (now or timezone.now()):
        return "expired"
    return "active"


def token_find(secret: str) -> ApiToken | None:
    """The live token whose secret this is (not revoked, not expired, its user active), or None."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    prefix = secret[: len(PREFIX) + 10]
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)):
        return None
    now = timezone.now()
    if token_status(token, now) != "active" or not may_hold_tokens(token.user):
        return None
    if token.last_used_at is None or now - token.last_used_at >= USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def token_user(secret: str) -> User | None:
    """The user a request with this token acts as, marked with the token (`actor_of` names it)."""
    token = token_find(secret)
    if token is None:
        return None
    user = token.user
    user.api_token = token.prefix  # type: ignore[attr-defined]
    return user


def quota_exceeded(token: str) -> int | None:
    """Count one request of the token `token` (its prefix); the seconds until it may ask again when
    it is over `API_TOKEN_REQUESTS_PER_MINUTE`, else None.

    A fixed window of a minute in the shared database cache (every worker counts the same). The
    database cache's increment reads and writes apart, so two workers at the same instant may count
    one request between them: a client gets at most a few more than the limit, never fewer.
    """
    limit = settings.API_TOKEN_REQUESTS_PER_MINUTE
    now = time.time()
    window = int(now // 60)
    key = f"throttle:api:{token}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls: this request opens the count
        cache.set(key, 1, timeout=120)
        count = 1
    if count <= limit:
        return None
    return max(1, math.ceil((window + 1) * 60 - now))
