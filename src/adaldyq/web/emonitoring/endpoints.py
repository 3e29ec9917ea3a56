"""The devices' endpoint (ADR 0043): `POST /api/monitoring/events` with `Authorization: Bearer TOKEN`.

    {"events": [{"id": "dev7-000123", "kind": "fix", "at": "2026-12-06T21:30:00+05:00",
                 "lat": 43.2389, "lon": 76.8897, "accuracy": 12}, ...]}

200 `{"accepted", "duplicates", "violations", "violations_ended"}`: the events new to the feed are
stored (an event id sent before is a duplicate and changes nothing, so a device may resend a batch
whose answer it lost). 400 with every refused event (`errors`: index, id, field, reason) and nothing
stored; 401 an unknown or revoked token; 413 more than 1,000 events; 429 over the feed's requests per
minute, or an address that sent too many wrong tokens, with `Retry-After`.
"""

from __future__ import annotations

import math
import time
from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.security import HttpBearer

from adaldyq.emonitoring import (
    EVENT_KINDS,
    MAX_EVENTS_PER_REQUEST,
    TAMPER_KINDS,
    EventError,
    parse_event,
)
from adaldyq.web.accounts.views import client_ip
from adaldyq.web.emonitoring import services
from adaldyq.web.emonitoring.models import DeviceFeed
from adaldyq.web.throttle.limits import locked_until, wrong_try_record


class FeedTokenAuth(HttpBearer):
    """The device feed whose token the request bears; a wrong token counts against the address as
    a wrong try on the public pages does (ADR 0028)."""

    def authenticate(self, request: HttpRequest, token: str) -> DeviceFeed | None:
        feed = services.feed_of_token(token.strip())
        if feed is None:
            wrong_try_record(typed={}, ip=client_ip(request))
        return feed


router = Router(tags=["monitoring"])


class Accepted(Schema):
    accepted: int
    duplicates: int
    violations: list[int]
    violations_ended: list[int]


class Refusal(Schema):
    index: int
    id: Any = None
    field: str | None = None
    reason: str


class Refused(Schema):
    detail: str
    errors: list[Refusal] = Field(default_factory=list)


class Detail(Schema):
    detail: str


#: The request body as the README documents it (read by hand, so that every refused event is named).
_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["events"],
                "properties": {
                    "events": {
                        "type": "array",
                        "maxItems": MAX_EVENTS_PER_REQUEST,
                        "items": {
                            "type": "object",
                            "required": ["id", "kind", "at"],
                            "properties": {
                                "id": {"type": "string"},
                                "kind": {"type": "string", "enum": list(EVENT_KINDS)},
                                "at": {"type": "string", "format": "date-time"},
                                "lat": {"type": "number"},
                                "lon": {"type": "number"},
                                "accuracy": {"type": "number"},
                                "level": {"type": "integer"},
                                "present": {"type": "boolean"},
                                "what": {"type": "string", "enum": list(TAMPER_KINDS)},
                            },
                        },
                    }
                },
            }
        }
    },
}


def _answer(status: int, body: dict[str, Any], retry: float | None = None) -> HttpResponse:
    response = JsonResponse(body, status=status)
    if retry is not None:
        response["Retry-After"] = str(max(1, math.ceil(retry)))
    return response


def _paused(request: HttpRequest) -> HttpResponse | None:
    until = locked_until(typed={}, ip=client_ip(request))
    if until is None:
        return None
    return _answer(429, {"detail": "too many wrong tokens from this address"}, until - time.time())


@router.post(
    "/events",
    url_name="monitoring_events",
    auth=None,
    summary="Events of a device feed",
    response={200: Accepted, 400: Refused, 401: Detail, 413: Detail, 429: Detail},
    openapi_extra={"requestBody": _BODY},
)
def events_post(request: HttpRequest) -> HttpResponse:
    """Store a device feed's events and find the violations they show (the format: README)."""
    paused = _paused(request)
    if paused is not None:
        return paused
    feed = FeedTokenAuth()(request)
    if not isinstance(feed, DeviceFeed):
        response = _answer(401, {"detail": "unknown or revoked feed token"})
        response["WWW-Authenticate"] = 'Bearer realm="adaldyq device feeds"'
        return response
    now = timezone.now()
    wait = services.feed_admit(feed_id=feed.pk, now=now)
    if wait is not None:
        return _answer(429, {"detail": "too many requests for this feed; try again"}, wait)
    try:
        body = orjson.loads(request.body)
    except orjson.JSONDecodeError:
        return _answer(400, {"detail": "the body is not JSON"})
    raw = body.get("events") if isinstance(body, dict) else None
    if not isinstance(raw, list):
        return _answer(400, {"detail": 'the body is {"events": [...]}'})
    if len(raw) > MAX_EVENTS_PER_REQUEST:
        return _answer(413, {"detail": f"at most {MAX_EVENTS_PER_REQUEST} events a request"})
    events, errors = [], []
    for i, item in enumerate(raw):
        try:
            events.append(parse_event(item, now=now))
        except EventError as exc:
            ident = item.get("id") if isinstance(item, dict) else None
            errors.append({"index": i, "id": ident, "field": exc.field, "reason": exc.reason})
    if errors:
        return _answer(
            400, {"detail": f"{len(errors)} event(s) refused, none stored", "errors": errors}
        )
    return _answer(200, services.events_ingest(feed_id=feed.pk, events=events).to_dict())
