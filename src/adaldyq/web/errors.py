"""The site's own error pages: in the reader's language, with the site's header and a way back.

Django's handlers (400, 403, 404, 500, and the CSRF failure view) render `error.html`; the middleware
does the same for the bodiless answers of views and of Django itself (405 from `require_POST`, a
plain-text 400) and answers 414 for an address no page of the site ever has. The API (`/api/`) keeps
its JSON errors. A 500 page that cannot be rendered (the database is what failed) falls back to a
page without the header, still in the reader's language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)

API = "/api/"  # the API's errors stay JSON
#: The longest address (path and query) the site answers; none of its pages has one this long.
LONGEST_ADDRESS = 4096


@dataclass(frozen=True, slots=True)
class ErrorText:
    title: Promise
    text: Promise


ERRORS: dict[int, ErrorText] = {
    400: ErrorText(
        _("The request could not be read"),
        _(
            "The address or the form sent is damaged or too long. Check the address, or open the "
            "page again from the menu."
        ),
    ),
    403: ErrorText(
        _("Not allowed"),
        _("Your role and scope do not allow this page or this action."),
    ),
    404: ErrorText(
        _("Not found"),
        _(
            "There is no page at this address: it may be mistyped, or what it showed no longer "
            "exists."
        ),
    ),
    405: ErrorText(
        _("This address cannot be opened directly"),
        _(
            "It only receives a form sent from its own page. Go back to that page and send the "
            "form there."
        ),
    ),
    414: ErrorText(
        _("The address is too long"),
        _(
            "No address of this site is this long. Check where the address came from, or open the "
            "page from the menu."
        ),
    ),
    500: ErrorText(
        _("Something went wrong on our side"),
        _(
            "The page could not be made and the error has been logged. Try again in a minute; if it "
            "happens again, tell the administrator the time: %(time)s."
        ),
    ),
}
REGISTER_BUILDING = ErrorText(
    _("The register is being built"),
    _(
        "The register of deviations is being worked out from the whole ledger for the first time "
        "since the server started. It takes a few minutes on a large ledger; open the page again "
        "in a minute."
    ),
)
FIGURES_COMPUTING = ErrorText(
    _("The figures are being computed"),
    _(
        "The dashboards' figures are being worked out from the whole ledger for the first time in "
        "this database. It takes a minute or two on a large ledger; open the page again in a minute."
    ),
)


class NotReadyError(Exception):
    """Something a page shows is being worked out apart (the register, the dashboards' figures) and
    is not ready yet: the site answers 503 with Retry-After and says what (`what`)."""

    what: ErrorText  # each kind says its own (`RegisterBuildingError`, `FiguresComputingError`)
    retry_after = 60


CSRF = ErrorText(
    _("The form has expired"),
    _(
        "The form was sent from a page that is too old or from another site, so nothing was saved. "
        "Open the page again and send the form once more."
    ),
)
TOO_MANY_TRIES = ErrorText(
    _("Too many tries"),
    _(
        "Too many numbers or codes that match nothing were tried from your address or with this "
        "number. To protect the people whose files these pages open, the page is paused for a while."
    ),
)
TRY_AGAIN = _("Too many failed attempts. Try again in %(minutes)d minutes.")
FILE_OUTSIDE_SCOPE = _(
    "This file is outside your scope. The attempt was not recorded as an opening."
)
START_PAGE = _("Start page")
BACK = _("Back to the previous page")


def _back(request: HttpRequest) -> str:
    """The page the reader came from on this site, or ""."""
    referer = request.headers.get("referer", "")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return referer if urlsplit(referer).path != request.path else ""


def error_page(
    request: HttpRequest, status: int, *, what: ErrorText | None = None, detail: str = ""
) -> HttpResponse:
    """The site's page for an error `status` (the text of `what`, or the status's own)."""
    what = what or ERRORS.get(status) or ERRORS[500 if status >= 500 else 400]
    if request.path.startswith(API):
        return JsonResponse({"detail": str(what.title)}, status=status)
    now = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
    text = str(what.text) % {"time": now} if "%(time)s" in str(what.text) else str(what.text)
    context = {"status": status, "title": what.title, "text": text, "detail": detail}
    try:
        context["back"] = _back(request)
        html: str = render_to_string("error.html", context, request=request)
    except Exception:  # the header needs the database and the session: the page without them
        if status < 500:
            raise
        log.exception("the error page could not be rendered with the site's header")
        html = (
            f'<!doctype html><html lang="{escape(get_language() or "kk")}"><head><meta charset="utf-8">'
            f"<title>{escape(what.title)} · adaldyq</title></head><body><h1>{escape(what.title)}</h1>"
            f'<p>{escape(text)}</p><p><a href="/">{escape(START_PAGE)}</a></p></body></html>'
        )
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    match = request.resolver_match
    on_file = match is not None and match.view_name == "records:file"
    return error_page(request, 403, detail=str(FILE_OUTSIDE_SCOPE) if on_file else "")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_page(request, 403, what=CSRF)


class ErrorPageMiddleware:
    """Bodiless or plain-text error answers become the site's pages; over-long addresses get 414.

    Placed after LocaleMiddleware, so the page is in the reader's language. Pages that a view
    rendered itself (a form with its errors, 400 or 409) and the API's JSON pass unchanged.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """`NotReadyError`: 503 with Retry-After and the page saying what is being worked out."""
        if not isinstance(exception, NotReadyError):
            return None
        page = error_page(request, 503, what=exception.what)
        page["Retry-After"] = str(exception.retry_after)
        return page

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if len(request.get_full_path()) > LONGEST_ADDRESS:
            return error_page(request, 414)
        response = self.get_response(request)
        if response.status_code < 400 or response.streaming or request.path.startswith(API):
            return response
        kind = response.get("Content-Type", "")
        if not kind.startswith(("text/html", "text/plain")):
            return response
        if b"<html" in response.content[:200].lower():
            return response  # a page the view rendered itself
        page = error_page(request, response.status_code)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page
