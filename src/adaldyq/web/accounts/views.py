"""Sign in (throttled), sign out."""

from __future__ import annotations

import ipaddress
import math

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from adaldyq.web.accounts.selectors import login_locked_until
from adaldyq.web.accounts.services import login_failure_record, login_success_record


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


def login_view(request: HttpRequest) -> HttpResponse:
    form = AuthenticationForm(request, data=request.POST or None)
    status = 200
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    retry_after = 0
    if request.method == "POST":
        username = request.POST.get("username", "")
        ip = client_ip(request)
        now = timezone.now()
        until = login_locked_until(username=username, ip=ip, now=now)
        if until is not None:
            minutes = max(1, int((until - now).total_seconds() // 60) + 1)
            form = AuthenticationForm(request)
            form.errors["__all__"] = form.error_class(
                [
                    _("Too many failed attempts. Try again in %(minutes)d minutes.")
                    % {"minutes": minutes}
                ]
            )
            status = 429
            retry_after = max(1, math.ceil((until - now).total_seconds()))
        elif form.is_valid():
            login(request, form.get_user())
            login_success_record(username=username, ip=ip)
            if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                next_url = ""
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
        else:
            login_failure_record(username=username, ip=ip, at=now)
            status = 401
    response = render(
        request, "accounts/login.html", {"form": form, "next": next_url}, status=status
    )
    if retry_after:  # as the public pages' 429 (throttle.limits): when to try again, in seconds
        response["Retry-After"] = str(retry_after)
    return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
