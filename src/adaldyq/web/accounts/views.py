"""Sign in (throttled), the second factor (a code, or enrolling an authenticator; ADR 0039), sign out."""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar, cast
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from adaldyq.core.errors import InputError
from adaldyq.web.accounts import twofactor
from adaldyq.web.accounts.models import SignInEvent, User
from adaldyq.web.accounts.selectors import login_locked_until
from adaldyq.web.accounts.services import login_failure_record, login_success_record
from adaldyq.web.idempotency.keys import idempotent

Kind = SignInEvent.Kind

T = TypeVar("T")


def client_ip(request: HttpRequest) -> str:
    """The client's address: the peer's, or, when the peer is a trusted proxy (settings.TRUSTED_PROXIES),
    the last address in X-Forwarded-For that is not one of the trusted proxies (the ones before it
    are the client's to write and prove nothing)."""
    peer = str(request.META.get("REMOTE_ADDR") or "0.0.0.0")  # noqa: S104 - a value, not a bind
    trusted = set(settings.TRUSTED_PROXIES)
    if peer not in trusted:
        return peer
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed(forwarded):
        if address and address not in trusted:
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return peer  # a malformed hop: count the proxy, never a made-up address
    return peer


def _locked_message(until: datetime, now: datetime) -> str:
    minutes = max(1, int((until - now).total_seconds() // 60) + 1)
    return _("Too many failed attempts. Try again in %(minutes)d minutes.") % {"minutes": minutes}


def _next_url(request: HttpRequest) -> str:
    """The page asked for before signing in, when it is one of this site's (else "")."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return ""
    return wanted


def _with_next(route: str, next_url: str) -> str:
    return reverse(route) + (f"?{urlencode({'next': next_url})}" if next_url else "")


def login_view(request: HttpRequest) -> HttpResponse:
    form = AuthenticationForm(request, data=request.POST or None)
    status = 200
    next_url = _next_url(request)
    retry_after = 0
    if request.method == "POST":
        username = request.POST.get("username", "")
        ip = client_ip(request)
        now = timezone.now()
        until = login_locked_until(username=username, ip=ip, now=now)
        if until is not None:
            form = AuthenticationForm(request)
            form.errors["__all__"] = form.error_class([_locked_message(until, now)])
            twofactor.event_record(kind=Kind.LOCKED_OUT, username=username, ip=ip, at=now)
            status = 429
            retry_after = _retry_after(until, now)
        elif form.is_valid():
            user = form.get_user()
            # A code given earlier in this browser's session does not stand for this sign-in's.
            request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
            login(request, user)
            if twofactor.sign_in_needs_code(user):
                # The failures stay counted until the code is right: a right password alone must
                # not reset the count the codes are guessed against.
                request.session[twofactor.SECOND_FACTOR] = True
                twofactor.event_record(
                    kind=Kind.PASSWORD_ACCEPTED, username=username, ip=ip, at=now
                )
                return redirect(_with_next("accounts:code", next_url))
            login_success_record(username=username, ip=ip)
            twofactor.event_record(kind=Kind.SIGNED_IN, username=username, ip=ip, at=now)
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
        else:
            login_failure_record(username=username, ip=ip, at=now)
            twofactor.event_record(kind=Kind.PASSWORD_REFUSED, username=username, ip=ip, at=now)
            status = 401
    response = render(
        request, "accounts/login.html", {"form": form, "next": next_url}, status=status
    )
    if retry_after:  # as the public pages' 429 (throttle.limits): when to try again, in seconds
        response["Retry-After"] = str(retry_after)
    return response


def _code_refused(request: HttpRequest, user: User, now: datetime) -> str:
    """A wrong code: counted toward the lock-out with the password's failures, and noted."""
    ip = client_ip(request)
    login_failure_record(username=user.username, ip=ip, at=now)
    twofactor.event_record(kind=Kind.CODE_REFUSED, username=user.username, ip=ip, at=now)
    return _("The code is not right. Type the six digits your authenticator shows now.")


def _signed_in(request: HttpRequest, user: User, now: datetime) -> None:
    ip = client_ip(request)
    request.session.pop(twofactor.SECOND_FACTOR, None)
    login_success_record(username=user.username, ip=ip)
    twofactor.event_record(kind=Kind.SIGNED_IN, username=user.username, ip=ip, at=now)


def _retry_after(until: datetime, now: datetime) -> int:
    """Seconds until a lock-out ends: the 429's Retry-After, as the public pages' 429 says it."""
    return max(1, math.ceil((until - now).total_seconds()))


def _lock(request: HttpRequest, user: User, now: datetime) -> tuple[str, int] | None:
    """The lock-out's message and its seconds to go when the user's name or the address is locked
    now, else None."""
    ip = client_ip(request)
    until = login_locked_until(username=user.username, ip=ip, now=now)
    if until is None:
        return None
    twofactor.event_record(kind=Kind.LOCKED_OUT, username=user.username, ip=ip, at=now)
    return _locked_message(until, now), _retry_after(until, now)


class _Posted(NamedTuple, Generic[T]):
    """A code posted: what `check` found, the error to show, the answer's status, the moment it was
    checked, and the seconds a lock-out still lasts (0: none)."""

    found: T | None
    error: str
    status: int
    now: datetime
    retry_after: int = 0

    def told(self, response: HttpResponse) -> HttpResponse:
        """The answer, saying when to try again if it is a lock-out's."""
        if self.retry_after:
            response["Retry-After"] = str(self.retry_after)
        return response


def _code_posted(request: HttpRequest, user: User, check: Callable[[str], T | None]) -> _Posted[T]:
    """The code posted, checked by `check` unless the user's name or the address is locked out."""
    now = timezone.now()
    locked = _lock(request, user, now)
    if locked:
        return _Posted(None, locked[0], 429, now, locked[1])
    found = check(request.POST.get("code", ""))
    if found is None:
        return _Posted(None, _code_refused(request, user, now), 401, now)
    return _Posted(found, "", 200, now)


def _code_page(
    request: HttpRequest,
    user: User,
    check: Callable[[str], T | None],
    accepted: Callable[[T, datetime], HttpResponse],
    template: str,
    context: Callable[[], dict[str, Any]],
) -> HttpResponse:
    """A page that takes a code from the authenticator (the second step of signing in, the
    enrolment's confirmation): a code `check` finds right is answered by `accepted`; else the page
    (`template` with `context`), saying why a code posted was refused or when a lock-out ends."""
    posted: _Posted[T] = _Posted(None, "", 200, timezone.now())
    if request.method == "POST":
        posted = _code_posted(request, user, check)
        if posted.found is not None:
            return accepted(posted.found, posted.now)
    page = {"error": posted.error, **context()}
    return posted.told(render(request, template, page, status=posted.status))


def _is_demo() -> bool:
    """The data folder is a demo's (its logins printed in demo-logins.json): the code page says how to
    get a code without an authenticator."""
    return (Path(settings.DATA_DIR) / "demo-logins.json").exists()


@login_required
def code_view(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the six digits of the authenticator, or a recovery code."""
    user = cast(User, request.user)  # signed in (login_required)
    next_url = _next_url(request)
    if not twofactor.second_factor_missing(request):
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    if twofactor.authenticator(user) is None:
        return redirect(_with_next("accounts:enrol", next_url))

    def accepted(device: Any, now: datetime) -> HttpResponse:
        django_otp.login(request, device)
        if device.persistent_id.startswith("otp_static."):
            twofactor.event_record(
                kind=Kind.RECOVERY_CODE_USED, username=user.username, ip=client_ip(request), at=now
            )
        _signed_in(request, user, now)
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)

    def check(code: str) -> Any:
        return twofactor.code_check(user=user, code=code)

    def page() -> dict[str, Any]:
        return {"next": next_url, "demo": _is_demo(), "login": user.username}

    return _code_page(request, user, check, accepted, "accounts/code.html", page)


@login_required
def enrol_view(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator: its QR code and secret, confirmed by one code; recovery codes shown once."""
    user = cast(User, request.user)  # signed in (login_required)
    next_url = _next_url(request)
    if not twofactor.may_enrol(user):
        raise Http404
    if twofactor.authenticator(user) is not None:  # enrolled: the code page (or onwards)
        return redirect(_with_next("accounts:code", next_url))
    device = twofactor.enrolment_start(user=user)

    def accepted(codes: Any, now: datetime) -> HttpResponse:
        device.refresh_from_db()
        django_otp.login(request, device)
        twofactor.event_record(
            kind=Kind.DEVICE_ENROLLED, username=user.username, ip=client_ip(request), at=now
        )
        _signed_in(request, user, now)
        return render(
            request,
            "accounts/recovery_codes.html",
            {"codes": codes, "next": next_url or reverse(settings.LOGIN_REDIRECT_URL)},
        )

    def check(code: str) -> Any:
        return twofactor.enrolment_confirm(device=device, code=code)

    def page() -> dict[str, Any]:
        return {
            "next": next_url,
            "qr": twofactor.qr_svg(device),
            "secret": twofactor.secret_grouped(device),
            "required": twofactor.second_factor_required(user),
        }

    return _code_page(request, user, check, accepted, "accounts/enrol.html", page)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@login_required
@idempotent
def tokens_view(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens (ADR 0041): make one (shown once), revoke one, see when each was used.

    Reached only with the sign-in's second factor when the role needs one (SecondFactorMiddleware): a
    token replaces the password and the code for a machine client, so only a full sign-in makes one."""
    from adaldyq.web.accounts import tokens

    user = cast(User, request.user)
    if not tokens.may_hold_tokens(user):
        raise Http404
    shown, error, status = "", "", 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "revoke":
                tokens.token_revoke(
                    prefix=request.POST.get("prefix", ""), by=user.username, user=user
                )
            else:
                days = int(request.POST.get("days") or tokens.DEFAULT_DAYS)
                _token, shown = tokens.token_create(
                    user=user, name=request.POST.get("name", ""), days=days, by=user.username
                )
        except (tokens.TokenError, ValueError, InputError):
            error, status = _("The token was not made or revoked: check the fields."), 400
        else:
            if not shown:
                return redirect("accounts:tokens")
    rows = [(t, tokens.token_status(t)) for t in tokens.tokens_of(user)]
    context = {
        "rows": rows,
        "shown": shown,
        "error": error,
        "max_days": tokens.MAX_DAYS,
        "default_days": tokens.DEFAULT_DAYS,
    }
    return render(request, "accounts/tokens.html", context, status=status)
