"""A submitted form, recorded through its service, and what the user is told of it.

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
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from adaldyq.core.errors import InputError

T = TypeVar("T")


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
