"""Wrong tries on the public pages, counted in Django's cache (the database's, shared by every worker).

A public page that looks something up by what a stranger types (a document number, a personal file
number, a request number, a one-time code, a decision's code) counts each try that found nothing
(the page answered 400 or 404), twice:

- per client address (`accounts.views.client_ip`: the forwarded address behind a trusted proxy):
  one client guessing many numbers;
- per number typed (document, personal file or request number, folded as the pages compare them):
  many clients, or one client with many addresses, guessing around one number.

When either count reaches its limit within the window (settings `PUBLIC_TRIES_PER_ADDRESS`,
`PUBLIC_TRIES_PER_NUMBER`, `PUBLIC_TRIES_MINUTES`; the project's figures, ADR 0028), the page answers
429 in the reader's language with `Retry-After`, before looking anything up, until the oldest counted
try leaves the window.

A count is `limit` slots in the cache, each holding one wrong try until it expires (a sliding window).
A try takes the first free slot with `cache.add`, which the database cache makes by inserting the key,
so two workers never take one slot. The numbers are kept only as keyed hashes (HMAC with the
deployment's secret key): the cache table holds no document number.
"""

from __future__ import annotations

import math
import time
import unicodedata
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

from adaldyq.web.accounts.views import client_ip

View = Callable[..., HttpResponse]
#: What a request typed, by kind of number ("document", "file", "request", "code"); None: the request
#: is not a try (the empty form, shown with GET).
Reader = Callable[[HttpRequest, dict[str, Any]], dict[str, str] | None]
#: The answers of a try that found nothing or could not be read.
WRONG = frozenset({400, 404})
ADDRESS = "address"


def fold(value: str) -> str:
    """A typed number as the pages compare it: NFKC, letters and digits only, upper case."""
    return "".join(c for c in unicodedata.normalize("NFKC", value).upper() if c.isalnum())


def _slots(kind: str, value: str, limit: int) -> list[str]:
    digest = salted_hmac("adaldyq.throttle", f"{kind}:{value}").hexdigest()[:40]
    return [f"throttle:{kind}:{digest}:{i}" for i in range(limit)]


def _counts(typed: dict[str, str], ip: str) -> list[list[str]]:
    """The slots of each count a try is held against: its address's and each typed number's."""
    per_number = settings.PUBLIC_TRIES_PER_NUMBER
    counts = [_slots(ADDRESS, ip, settings.PUBLIC_TRIES_PER_ADDRESS)]
    counts += [_slots(kind, value, per_number) for kind, value in typed.items() if value]
    return counts


def locked_until(*, typed: dict[str, str], ip: str) -> float | None:
    """The time (epoch seconds) from which this try may be made again, or None when it may now."""
    until: float | None = None
    for slots in _counts(typed, ip):
        held = cache.get_many(slots)
        if len(held) >= len(slots):
            free_at = min(float(v) for v in held.values())
            until = free_at if until is None else max(until, free_at)
    return until


def wrong_try_record(*, typed: dict[str, str], ip: str) -> None:
    """Count one wrong try against the address and against each number typed."""
    window = settings.PUBLIC_TRIES_MINUTES * 60
    expires = time.time() + window
    for slots in _counts(typed, ip):
        held = cache.get_many(slots)
        for slot in slots:
            if slot not in held and cache.add(slot, expires, timeout=window):
                break


def throttled(read: Reader) -> Callable[[View], View]:
    """Refuse (429) a try while its address or a number it typed is over its limit; count wrong tries."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            typed = read(request, kwargs)
            if typed is None:
                return view(request, *args, **kwargs)
            typed = {kind: fold(value) for kind, value in typed.items()}
            ip = client_ip(request)
            until = locked_until(typed=typed, ip=ip)
            if until is not None:
                return too_many_tries(request, seconds=until - time.time())
            response = view(request, *args, **kwargs)
            if response.status_code in WRONG:
                wrong_try_record(typed=typed, ip=ip)
            return response

        return wrapper

    return decorate


def posted(**fields: str) -> Reader:
    """A form sent with POST; `fields` names each form field by the kind of number it holds."""

    def read(request: HttpRequest, kwargs: dict[str, Any]) -> dict[str, str] | None:
        if request.method != "POST":
            return None
        return {kind: request.POST.get(field, "")[:200] for field, kind in fields.items()}

    return read


def code_in_address(request: HttpRequest, kwargs: dict[str, Any]) -> dict[str, str] | None:
    """A code in the address (`/verify/<code>` or `?code=`); counted per address only, for the code
    itself is the secret (there is no number around which to guess)."""
    code = str(kwargs.get("code") or request.GET.get("code", ""))
    return {} if code else None


def too_many_tries(request: HttpRequest, *, seconds: float) -> HttpResponse:
    """The 429 page in the reader's language, saying when to try again, with Retry-After."""
    from adaldyq.web.errors import TOO_MANY_TRIES, TRY_AGAIN, error_page

    wait = max(1, math.ceil(seconds))
    minutes = max(1, math.ceil(wait / 60))
    response = error_page(
        request, 429, what=TOO_MANY_TRIES, detail=str(TRY_AGAIN) % {"minutes": minutes}
    )
    response["Retry-After"] = str(wait)
    return response
