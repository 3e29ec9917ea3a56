"""Sessions that expire after 30 idle minutes without a database write on every request (ADR 0012),
no page for a sign-in that still lacks its second factor (ADR 0039), and the session's device read
with a SQL text made once."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device

from adaldyq.web.accounts.twofactor import second_factor_missing
from adaldyq.web.rows import by_pk

#: The session key holding when the session's expiry was last pushed forward (seconds since the epoch).
REFRESHED = "_refreshed_at"


class SessionRefreshMiddleware:
    """Save a signed-in session again only when less than half of its lifetime remains.

    With `SESSION_SAVE_EVERY_REQUEST` every request wrote the session row (its expiry moved to now +
    SESSION_COOKIE_AGE). Here it is written when the last write is older than half the age, so a
    session still ends at most SESSION_COOKIE_AGE after the last request (at least half of it), and a
    busy user costs one session write per 15 minutes instead of one per request. Placed after
    SessionMiddleware and AuthenticationMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response  # nobody signed in: no session to keep alive
        if not session.get("_auth_user_id"):
            return response
        now = time.time()
        refreshed = session.get(REFRESHED)
        if (
            not isinstance(refreshed, (int, float))
            or now - refreshed >= settings.SESSION_COOKIE_AGE / 2
        ):
            session[REFRESHED] = int(now)  # marks the session modified: SessionMiddleware saves it
        return response


#: What a signed-in request that still lacks its code may reach: the sign-in pages (the code,
#: enrolment, sign-out), the language switch and the icon.
SECOND_FACTOR_OPEN = ("/accounts/", "/i18n/", "/favicon.ico")


class SecondFactorMiddleware:
    """A signed-in user whose sign-in needs a code (ADR 0039) reaches nothing else until it is given.

    Pages redirect to the code (or enrolment) page with the page asked for as `next`; the API answers
    401 in JSON. Placed after django-otp's OTPMiddleware, which says whether the session is verified.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(SECOND_FACTOR_OPEN) and second_factor_missing(request):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": gettext("Sign in with the code from your authenticator first.")},
                    status=401,
                )
            return redirect_to_login(request.get_full_path(), reverse("accounts:code"))
        return self.get_response(request)


class DeviceMiddleware(OTPMiddleware):  # type: ignore[misc]  # django-otp has no types
    """django-otp's `OTPMiddleware` with a lighter read of the session's device (ADR 0039, ADR 0012).

    Every signed-in request of a verified session reads the device the session names, so that a
    device reset (`adaldyq web two-factor-reset`) or one no longer confirmed ends the verification at
    the next request. django-otp builds and compiles an ORM query for it every time (a tenth of the
    CPU of a small page); here the same row is read by `adaldyq.web.rows.by_pk`. Everything else is
    django-otp's: the device must belong to the signed-in user and be confirmed
    (`_finalize_device`), or the session loses it.
    """

    def _verify_user_sync(self, request: HttpRequest, user: Any) -> Any:
        """django-otp's, answering the user itself rather than AuthenticationMiddleware's lazy
        object around it; once read, `request.user` is the user itself, not a lazy object whose
        every attribute read goes through two proxy calls (a page reads it a hundred times)."""
        verified = super()._verify_user_sync(request, user)
        real = getattr(verified, "_wrapped", verified)
        request.user = real
        return real

    def _device_from_persistent_id(self, persistent_id: str) -> Device | None:
        label, _, pk = self._normalize_persistent_id(persistent_id).rpartition("/")
        try:
            model = apps.get_model(label)
        except (ValueError, LookupError):
            return None
        if not issubclass(model, Device):
            return None
        # What the check reads (`_finalize_device`); any other field is read if something uses it.
        device: Device | None = by_pk(model, pk, only=("user", "confirmed"))
        return device
