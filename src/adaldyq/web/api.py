"""The REST API (django-ninja): the reads and writes of the pages, under the same scope checks."""

from __future__ import annotations

import threading
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, Throttled
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import BaseThrottle

from adaldyq.web.accounts.tokens import quota_exceeded, token_user
from adaldyq.web.accounts.twofactor import second_factor_missing
from adaldyq.web.dashboards.endpoints import router as statistics_router
from adaldyq.web.decisions.endpoints import router as commission_router
from adaldyq.web.emonitoring.endpoints import router as monitoring_router
from adaldyq.web.errors import NotReadyError
from adaldyq.web.records.endpoints import router as records_router
from adaldyq.web.transfers.endpoints import router as transfers_router
from adaldyq.web.visits.endpoints import router as visits_router


class VerifiedSessionAuth(SessionAuth):
    """The session's user, once the sign-in has its second factor when it needs one (ADR 0039).

    SecondFactorMiddleware answers such a request 401 before it gets here; this says the same where the
    API is reached without the middleware (a test's client, another mount)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return None if user is None or second_factor_missing(request) else user


class TokenAuth(HttpBearer):
    """A machine client's API token (`Authorization: Bearer adq_...`, ADR 0041): the request acts as
    the token's user, with that user's role and scope, and every entry it causes names the token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(token.strip())
        if user is None:
            return None
        request.user = user  # the endpoints, the scope checks and the ledger's actor read it
        return user


class TokenThrottle(BaseThrottle):
    """At most `API_TOKEN_REQUESTS_PER_MINUTE` requests a minute per token (429 with Retry-After);
    a person's session is not counted here (its sign-in is throttled by the lock-out)."""

    def __init__(self) -> None:
        self._wait = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(getattr(request, "auth", None), "api_token", "")
        self._wait.seconds = quota_exceeded(token) if token else None
        return self._wait.seconds is None

    def wait(self) -> float | None:
        return getattr(self._wait, "seconds", None)


class DescribedAPI(NinjaAPI):
    """The API whose description (`/api/openapi.json`, `/api/docs`) is in the reader's language: each
    operation's summary and description and each schema's description are looked up in the site's
    catalogues (kk, ru; `tests/web/test_api_languages.py` checks that none is left untranslated)."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                _translate(operation, ("summary", "description"))
        for component in schema.get("components", {}).get("schemas", {}).values():
            _translate(component, ("description",))
        return schema


def _translate(node: dict[str, Any], keys: tuple[str, ...]) -> None:
    for key in keys:
        if isinstance(node.get(key), str) and node[key]:
            node[key] = _(node[key])


# The interactive documentation and the OpenAPI description are for signed-in users, like the API itself.
api = DescribedAPI(
    title="adaldyq",
    version="1",
    auth=[TokenAuth(), VerifiedSessionAuth()],
    throttle=[TokenThrottle()],
    urls_namespace="api",
    docs_decorator=login_required,
)
api.add_router("/", records_router)
api.add_router("/", visits_router)
api.add_router("/", commission_router)
api.add_router("/", transfers_router)
api.add_router("/", statistics_router)
# Device feeds authenticate with their own token, not a session (ADR 0043).
api.add_router("/monitoring/", monitoring_router)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    """A scope check shared with the pages (`scope.require`) said no."""
    return api.create_response(request, {"detail": _("This is outside your scope.")}, status=403)


@api.exception_handler(NotReadyError)
def not_ready(request: HttpRequest, exc: NotReadyError) -> HttpResponse:
    """What the answer needs is being worked out apart (the register, the figures): 503."""
    response = api.create_response(request, {"detail": str(exc.what.text)}, status=503)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, Throttled):
        detail = _("Too many requests with this API token; try again in %(seconds)s seconds.")
        return api.create_response(
            request, {"detail": detail % {"seconds": exc.wait or 60}}, status=429
        )
    body: dict[str, Any] = {"detail": str(exc)}
    if getattr(exc, "errors", None):
        body["errors"] = exc.errors  # type: ignore[attr-defined]
    return api.create_response(request, body, status=exc.status_code)
