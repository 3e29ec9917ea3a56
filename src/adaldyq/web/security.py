"""Response headers that keep personal data out of caches (issue 16).

Every page, API answer, export and PDF of adaldyq either shows personal data or is cheap to make again,
so no response of the application may be kept by a browser's or a proxy's cache: `Cache-Control:
no-store` (and `private`, for caches that ignore no-store). Static files never reach this middleware
(WhiteNoise, listed before it, answers them with its own long-lived headers).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse

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
