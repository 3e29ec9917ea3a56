"""Response headers that keep personal data out of caches (issue 16), and the site's content policy.

Every page, API answer, export and PDF of adaldyq either shows personal data or is cheap to make again,
so no response of the application may be kept by a browser's or a proxy's cache: `Cache-Control:
no-store` (and `private`, for caches that ignore no-store). Static files never reach this middleware
(WhiteNoise, listed before it, answers them with its own long-lived headers).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from csp import middleware as csp_middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

NO_STORE = "no-store, private"


class NoStoreMiddleware:
    """Marks every response of the application `Cache-Control: no-store, private`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(response, "adaldyq_cacheable", False):  # public, immutable: the log's tiles
            return response
        response["Cache-Control"] = NO_STORE
        response.headers.pop("Expires", None)
        return response


def _has_nul(values: Iterable[str]) -> bool:
    return any("\x00" in v for v in values)


class RejectNulMiddleware:
    """Refuses (400, the site's own error page) a request whose path, query or form fields hold a NUL.

    No input of adaldyq may contain one, PostgreSQL refuses to store one (a server error), and SQLite
    would cut the text at it. Uploaded files are not looked at: their bytes are theirs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        suspicious = "\x00" in request.path or _has_nul(
            v for values in request.GET.lists() for v in [values[0], *values[1]]
        )
        if not suspicious and request.method in ("POST", "PUT", "PATCH"):
            kind = request.content_type or ""
            if kind == "application/json":
                suspicious = b"\\u0000" in request.body or b"\x00" in request.body
            elif kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
                suspicious = _has_nul(
                    v for values in request.POST.lists() for v in [values[0], *values[1]]
                )
        if suspicious:
            raise SuspiciousOperation("a NUL character in the request")
        return self.get_response(request)


#: The response attributes of django-csp's decorators: a response with one has a policy of its own.
_OWN_POLICY = tuple(
    f"_csp_{what}{ro}" for what in ("config", "update", "replace") for ro in ("", "_ro")
)


@functools.cache
def _site_policy() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """For the policy and the report-only policy of the settings: the header, its text, the
    response attribute that exempts a response from it, and the path prefixes it leaves out."""

    def prefixes(name: str) -> tuple[str, ...]:
        return tuple((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ())

    return (
        (HEADER, build_policy(), "_csp_exempt", prefixes("CONTENT_SECURITY_POLICY")),
        (
            HEADER_REPORT_ONLY,
            build_policy(report_only=True),
            "_csp_exempt_ro",
            prefixes("CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ),
    )


@receiver(setting_changed)
def _policy_changed(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _site_policy.cache_clear()


class CSPMiddleware(csp_middleware.CSPMiddleware):
    """django-csp's middleware with the site's policy built once per process (ADR 0050).

    django-csp builds the policy from the settings twice for every response (the policy and the
    report-only one). A response without a policy of its own (django-csp's decorators) to a request that took no nonce gets the same headers every
    time: those are built once. Any other response goes through django-csp as before.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(getattr(response, name, None) is not None for name in _OWN_POLICY)
            or settings.DEBUG
        ):
            return super().process_response(request, response)
        path = request.path_info
        for header, policy, exempt, left_out in _site_policy():
            if (
                policy
                and header not in response
                and getattr(response, exempt, False) is False
                and not path.startswith(left_out)
            ):
                response[header] = policy
        # As django-csp: a nonce asked for after the header is written is an error.
        request.csp_nonce = csp_middleware.CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
