"""The REST API (django-ninja): the reads and writes of the pages, under the same scope checks."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.security import SessionAuth

from adaldyq.web.accounts.twofactor import second_factor_missing
from adaldyq.web.records.endpoints import router as records_router


class VerifiedSessionAuth(SessionAuth):
    """The session's user, once the sign-in has its second factor when it needs one (ADR 0039).

    SecondFactorMiddleware answers such a request 401 before it gets here; this says the same where the
    API is reached without the middleware (a test's client, another mount)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return None if user is None or second_factor_missing(request) else user


# The interactive documentation and the OpenAPI description are for signed-in users, like the API itself.
api = NinjaAPI(
    title="adaldyq",
    version="1",
    auth=VerifiedSessionAuth(),
    urls_namespace="api",
    docs_decorator=login_required,
)
api.add_router("/", records_router)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    body: dict[str, Any] = {"detail": str(exc)}
    if getattr(exc, "errors", None):
        body["errors"] = exc.errors  # type: ignore[attr-defined]
    return api.create_response(request, body, status=exc.status_code)
