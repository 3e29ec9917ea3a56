"""The REST API (django-ninja): the reads and writes of the pages, under the same scope checks."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.security import django_auth

from adaldyq.web.records.endpoints import router as records_router

# The interactive documentation and the OpenAPI description are for signed-in users, like the API itself.
api = NinjaAPI(
    title="adaldyq",
    version="1",
    auth=django_auth,
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
