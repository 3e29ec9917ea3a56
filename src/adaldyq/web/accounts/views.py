"""Sign in (throttled), sign out."""

from __future__ import annotations

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
    """The peer address; no proxy header is trusted (a proxy deployment sets REMOTE_ADDR)."""
    return str(request.META.get("REMOTE_ADDR") or "0.0.0.0")  # noqa: S104 - a value, not a bind


def login_view(request: HttpRequest) -> HttpResponse:
    form = AuthenticationForm(request, data=request.POST or None)
    status = 200
    next_url = request.POST.get("next") or request.GET.get("next") or ""
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
        elif form.is_valid():
            login(request, form.get_user())
            login_success_record(username=username, ip=ip)
            if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                next_url = ""
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
        else:
            login_failure_record(username=username, ip=ip, at=now)
            status = 401
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
