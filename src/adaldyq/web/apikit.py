"""What every area's API router shares (ADR 0041): the refusals it documents, a refused request with
the fields named, a person's file within the caller's scope, a JSON body read as the pages' forms
read a posted form, and paged lists."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema, Status
from ninja.errors import HttpError

from adaldyq.core.errors import AdaldyqError
from adaldyq.web.accounts.scope import person_in_scope
from adaldyq.web.records.models import Person

T = TypeVar("T")

MAX_ID = 2**31 - 1  # ids, offsets and counts beyond this are no row of ours
#: The longest page of a list.
MAX_LIMIT = 500


class ErrorOut(Schema):
    """A refusal, in the reader's language: not signed in (401), outside the scope or the role (403),
    no such file or entry (404), a request that could not be read (400) or whose address is too
    long (414), a write the rules refuse (409, the rules' words), an API token over its requests per
    minute (429, with Retry-After)."""

    detail: str


class RefusedOut(Schema):
    """A refused request (422), nothing written: per field (the forms' words), or, for a parameter of
    the wrong kind, the request's locations."""

    detail: str | list[dict[str, Any]]
    errors: dict[str, list[str]] | None = None


#: The answers every operation may give besides its own (so that the description tells them all).
REFUSALS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    414: ErrorOut,
    422: RefusedOut,
    429: ErrorOut,
}
#: And those of a write that the rules may refuse as a whole (a booking, a transfer).
WRITE_REFUSALS: dict[int, Any] = {**REFUSALS, 409: ErrorOut}
#: The answers of a write that may be an override awaiting a second person (`outcome`).
OVERRIDABLE: dict[int, Any] = {201: dict[str, Any], 202: dict[str, Any], **WRITE_REFUSALS}


def invalid(errors: dict[str, list[str]]) -> HttpError:
    """422: the request was refused, nothing written; `errors` per field."""
    err = HttpError(422, _("The request was refused; nothing was written."))
    err.errors = errors  # type: ignore[attr-defined]
    return err


def form_invalid(form: Any) -> HttpError:
    """422 with a bound form's errors."""
    return invalid({k: [str(e) for e in v] for k, v in form.errors.items()})


def refused(exc: AdaldyqError) -> HttpError:
    """422 with a service's refusal (its words, in the reader's language)."""
    return invalid({"__all__": [exc.diagnostics()]})


def outcome(
    write: Callable[[], T],
    shown: Callable[[T], dict[str, Any]],
    *,
    status: int = 201,
    rules: tuple[type[AdaldyqError], ...] = (),
) -> Status[dict[str, Any]]:
    """A page's service write as the API answers it: `status` with what was written; 202 when it is
    an override that waits for a second person (ADR 0037); 409 with the words of the `rules` that
    refuse it; 422 with any other refusal. Nothing is written but what the service writes."""
    from adaldyq.web.overrides.services import OverridePendingError

    try:
        made = write()
    except OverridePendingError as exc:
        return Status(202, {"override": exc.override.seq, "detail": exc.diagnostics()})
    except rules as exc:
        raise HttpError(409, exc.diagnostics()) from None
    except AdaldyqError as exc:
        raise refused(exc) from None
    return Status(status, shown(made))


def person_readable(request: HttpRequest, person_id: str) -> Person:
    """The person `person_id` (`scope.person_in_scope`): 404 when there is none, 403 when the file is
    outside the caller's scope."""
    try:
        return person_in_scope(request.user, person_id)
    except PermissionDenied:
        raise HttpError(403, _("This file is outside your scope.")) from None


def form_data(payload: dict[str, Any], *, lists: Sequence[str] = ()) -> dict[str, Any]:
    """A JSON body as the pages' forms read a posted form: text values; a list or an object where a
    single value belongs is refused with the field named (422), never a server error. `lists`: the
    fields that take a list of text values."""
    wrong = {
        k: [_("A single value is expected.")]
        for k, v in payload.items()
        if isinstance(v, dict) or (isinstance(v, list) and k not in lists)
    }
    wrong |= {
        k: [_("A list of values is expected.")]
        for k in lists
        if k in payload and not isinstance(payload[k], list)
    }
    if wrong:
        raise invalid(wrong)
    return {
        k: [_form_value(x) for x in v] if isinstance(v, list) else _form_value(v)
        for k, v in payload.items()
    }


def _form_value(v: Any) -> str:
    if isinstance(v, list | dict):
        raise invalid({"__all__": [_("A single value is expected.")]})
    if v is True:
        return "true"
    if v is False:
        return "false"
    return "" if v is None else str(v)


def window(limit: int, offset: int) -> tuple[int, int]:
    """A page's bounds: 1 to MAX_LIMIT rows from an offset within the database's integers."""
    return max(1, min(limit, MAX_LIMIT)), max(0, min(offset, MAX_ID))


def page(rows: QuerySet[Any] | Sequence[T], limit: int, offset: int) -> tuple[list[Any], int]:
    """One page of `rows` and how many there are in all."""
    limit, offset = window(limit, offset)
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    return list(rows[offset : offset + limit]), count
