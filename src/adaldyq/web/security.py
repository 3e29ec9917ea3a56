"""Response headers that keep personal data out of caches (issue 16).

Every page, API answer, export and PDF of adaldyq either shows personal data or is cheap to make again,
so no response of the application may be kept by a browser's or a proxy's cache: `Cache-Control:
no-store` (and `private`, for caches that ignore no-store). Static files never reach this middleware
(WhiteNoise, listed before it, answers them with its own long-lived headers).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

NO_STORE = "no-store, private"


class NoStoreMiddleware:
    """Marks every response of the application `Cache-Control: no-store, private`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = NO_STORE
        response.headers.pop("Expires", None)
        return response
