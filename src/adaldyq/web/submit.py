"""A submitted form, recorded through its service, and what the user is told of it.

A view that records a form is one of two kinds, each a decorator here: `recorded_post` takes the
form's POST and redirects; `form_page` shows the form (GET) and records it (POST). Both are for a
signed-in user and make the POST one-use by the form's key (ADR 0015, `idempotency.keys`).

The pages' small writes share this shape: the form does not check (say what to check), the service
refuses (say its reason, `InputError.diagnostics()`), or it is recorded (say so); the page then
redirects. `record_form` is that shape once; it returns what the service recorded (None when
nothing was), for a page that redirects to it. A write that departs from the rules with a reason
waits for a second person (ADR 0037): `to_confirmation` says so and opens the override's page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from adaldyq.core.errors import InputError
from adaldyq.web.idempotency.keys import View, idempotent

T = TypeVar("T")


def recorded_post(view: View) -> View:
    """A view that records a posted form: signed in, POST only, the form's key used once."""
    return login_required(require_POST(idempotent(view)))


def form_page(view: View) -> View:
    """A page with a form that records: signed in, GET shows it, POST records it with the form's
    key used once."""
    return login_required(require_http_methods(["GET", "POST"])(idempotent(view)))


def record_form(
    request: HttpRequest,
    form: forms.Form,
    record: Callable[[dict[str, Any]], T],
    done: str,
    not_done: str,
) -> T | None:
    """Record a submitted form through `record` (given the cleaned data) and tell the user how it
    went: `not_done` when the fields need checking, the service's refusal, or `done`. Returns what
    `record` returned, or None when the form or the service refused."""
    if not form.is_valid():
        messages.error(request, not_done)
        return None
    try:
        recorded = record(form.cleaned_data)
    except InputError as exc:
        messages.error(request, exc.diagnostics())
        return None
    messages.success(request, done)
    return recorded


def to_confirmation(request: HttpRequest, pending: Any) -> HttpResponse:
    """The answer to a write that waits for a second person's confirmation (`OverridePendingError`):
    its words, and the override's page."""
    messages.info(request, pending.diagnostics())
    return redirect("overrides:override", seq=pending.override.seq)
