"""Idempotency keys: a form sent twice (the back button, a double click, two tabs) writes once (ADR 0014).

A form that writes carries a hidden one-use key, made when the form is rendered
(`{% idempotency_field %}`): a random part signed with the site's secret, the signed-in user and the time.
Nothing is stored then. When the form is sent, the `idempotent` decorator on its view checks the
signature and makes the key pending for the request; the first ledger append of the request
(`records.ledger_port.append_many`, inside the write's durable transaction) inserts the key into a table
with a unique index. So the key is used exactly when the write commits:

- a second submission after the first committed finds the row and is sent to the first one's result,
  with the note "already recorded", before anything is validated or written;
- a concurrent second submission blocks on the unique index (or on the ledger's lock) until the first
  commits, then fails to insert the key: its transaction, entries included, rolls back, and it is sent
  to the first one's result in the same way;
- a submission that fails validation writes nothing and leaves its key unused: the corrected form can
  be sent again.

A POST without a key (the API, scripts, old pages) is served as before: a key is a browser form's
protection, not an access control.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core import signing
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

__all__ = [
    "FIELD",
    "AlreadySubmittedError",
    "claim_pending",
    "idempotent",
    "new_token",
]

#: The hidden field's name in every form that writes.
FIELD = "idempotency_key"
#: How long a rendered form can wait before it is sent (a key older than this is refused).
MAX_AGE_SECONDS = 7 * 24 * 3600
_SALT = "adaldyq.web.idempotency"
#: How long a repeated submission waits for the first one's result to be noted (the first request
#: notes it just after its transaction commits).
_RESULT_WAIT_SECONDS = 2.0

View = Callable[..., HttpResponse]


class AlreadySubmittedError(Exception):
    """The request's key was used by another submission that committed first.

    Not an `AdaldyqError`: views catch those to show a refusal, and this one must reach the decorator.
    """


class BadKeyError(Exception):
    """A key whose signature does not hold, is too old, or was made for another user."""


@dataclass(slots=True)
class _Pending:
    key: str
    user: str
    path: str
    claimed: bool = False


_pending: ContextVar[_Pending | None] = ContextVar("adaldyq_idempotency_pending", default=None)


def _user_id(user: AbstractBaseUser | AnonymousUser | None) -> str:
    return str(user.pk) if user is not None and getattr(user, "is_authenticated", False) else ""


def new_token(user: AbstractBaseUser | AnonymousUser | None) -> str:
    """A fresh signed key for one rendering of one form, bound to `user` (None or anonymous: public)."""
    nonce = secrets.token_urlsafe(18)
    return signing.TimestampSigner(salt=_SALT).sign(f"{nonce}.{_user_id(user)}")


def _key_of(token: str, user: AbstractBaseUser | AnonymousUser | None) -> str:
    """The key's random part, once its signature, age and user have been checked."""
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(token, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        raise BadKeyError(token) from None
    nonce, _, uid = value.partition(".")
    if not nonce or uid != _user_id(user):
        raise BadKeyError(token)
    return nonce


def claim_pending(entry_seq: int) -> None:
    """Use the request's pending key, in the caller's open transaction (the ledger append's).

    Called by `records.ledger_port` after each append; only the request's first append claims.
    Raises `AlreadySubmittedError` when another submission used the key first.
    """
    pending = _pending.get()
    if pending is None or pending.claimed:
        return
    from adaldyq.web.idempotency.models import Submission

    try:
        Submission.objects.create(
            key=pending.key,
            user=pending.user,
            path=pending.path[:400],
            entry_seq=entry_seq,
            at=timezone.now(),
        )
    except IntegrityError:
        raise AlreadySubmittedError(pending.key) from None
    pending.claimed = True


def _back(request: HttpRequest) -> str:
    """The page the form was on (the Referer, when it is this site's), else the home page."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return "/"


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    """Send the browser to `url`; a form sent by htmx (`hx-post`) is told to load the page whole."""
    if request.headers.get("HX-Request"):
        return HttpResponse(headers={"HX-Redirect": url})
    return HttpResponseRedirect(url)


def _already(request: HttpRequest, key: str) -> HttpResponse:
    """Send a repeated submission to the first one's result, with the note "already recorded"."""
    from adaldyq.web.idempotency.models import Submission

    deadline = time.monotonic() + _RESULT_WAIT_SECONDS
    url = ""
    while True:
        url = Submission.objects.filter(key=key).values_list("result_url", flat=True).first() or ""
        if url or time.monotonic() >= deadline:
            break
        time.sleep(0.05)  # the first submission notes its result just after it commits
    messages.info(
        request,
        _(
            "Already recorded: this form had been sent before, so it was not saved again. "
            "This is the result of its first sending."
        ),
    )
    return _redirect(request, url or _back(request))


def idempotent(view: View) -> View:
    """Make a view's POSTs one-use by their form's key: a repeat is sent to the first result."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not token:
            return view(request, *args, **kwargs)
        user: AbstractBaseUser | AnonymousUser | None = getattr(request, "user", None)
        try:
            key = _key_of(token, user)
        except BadKeyError:
            messages.error(
                request,
                _(
                    "This form was opened too long ago or in another session, so it was not saved. "
                    "The page was loaded again: fill the form in once more."
                ),
            )
            return _redirect(request, _back(request))
        from adaldyq.web.idempotency.models import Submission

        if Submission.objects.filter(key=key).exists():
            return _already(request, key)
        username = user.get_username() if user is not None and _user_id(user) else ""
        pending = _Pending(key, username, request.path)
        reset = _pending.set(pending)
        try:
            response = view(request, *args, **kwargs)
        except AlreadySubmittedError:
            return _already(request, key)
        finally:
            _pending.reset(reset)
        if pending.claimed:
            if 300 <= response.status_code < 400 and response.has_header("Location"):
                result = response["Location"]
            else:
                result = _back(request)
            Submission.objects.filter(key=key).update(result_url=result[:1000])
        elif Submission.objects.filter(key=key).exists():
            # Refused without writing because a twin sent at the same moment had just written (e.g.
            # "a file with this number exists"): the answer is the twin's result, not the refusal.
            return _already(request, key)
        return response

    wrapper.idempotent = True  # type: ignore[attr-defined]  # copied onto outer decorators by wraps
    return wrapper
