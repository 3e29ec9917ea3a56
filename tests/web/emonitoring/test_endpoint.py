"""The devices' endpoint: its token, its refusals, its rate limit, and a violation found on the spot
(issue 19, ADR 0043)."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from adaldyq.web.emonitoring import services
from adaldyq.web.emonitoring.models import DeviceEvent, Violation, ViolationEvent
from tests.web.emonitoring.conftest import AT_HOME, AWAY, last_night

pytestmark = pytest.mark.django_db
URL = "/api/monitoring/events"


def post(client: Any, token: str | None, events: Any) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(URL, orjson.dumps({"events": events}), content_type="application/json",
                       **headers)  # fmt: skip


def night(n: int, hour: int, minute: int, where: dict[str, Any]) -> dict[str, Any]:
    return {"id": f"br7-{n}", "kind": "fix", "at": last_night(hour, minute), **where}


def test_a_feed_out_at_night_is_a_curfew_violation_found_on_the_spot_and_a_resend_changes_nothing(
    client: Any, monitored: dict[str, Any]
) -> None:
    batch = [night(1, 21, 58, AT_HOME), night(2, 22, 10, AWAY), night(3, 22, 12, AWAY)]
    first = post(client, monitored["token"], batch)
    again = post(client, monitored["token"], batch)

    assert first.status_code == 200, first.content
    assert first.json()["accepted"] == 3
    assert again.json() == {
        "accepted": 0,
        "duplicates": 3,
        "violations": [],
        "violations_ended": [],
    }
    (violation,) = Violation.objects.all()
    assert (violation.kind, violation.zone, violation.person_id) == (
        "curfew",
        "дом",
        monitored["person"].pk,
    )
    assert first.json()["violations"] == [violation.seq]
    linked = ViolationEvent.objects.filter(violation=violation.seq).values_list(
        "event_id", flat=True
    )
    assert sorted(linked) == ["br7-2", "br7-3"]
    assert DeviceEvent.objects.count() == 3


def test_an_unknown_a_missing_and_a_revoked_token_are_refused(
    client: Any, monitored: dict[str, Any]
) -> None:
    event = [night(1, 12, 0, AWAY)]
    assert post(client, None, event).status_code == 401
    assert post(client, "adq_em_" + "x" * 43, event).status_code == 401
    services.feed_revoke(officer=monitored["po"], feed=monitored["feed"])
    refused = post(client, monitored["token"], event)
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"].startswith("Bearer")
    assert DeviceEvent.objects.count() == 0


def test_every_refused_event_is_named_and_none_of_the_batch_is_stored(
    client: Any, monitored: dict[str, Any]
) -> None:
    batch = [
        night(1, 12, 0, AWAY),
        {
            "id": "br7-2",
            "kind": "fix",
            "at": last_night(12, 2),
            "lat": 95,
            "lon": 76.9,
            "accuracy": 5,
        },
        {"id": "br7-3", "kind": "battery", "at": last_night(12, 4)},
        "not an event",
    ]
    answer = post(client, monitored["token"], batch)
    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert [(e["index"], e["field"]) for e in errors] == [(1, "lat"), (2, "level"), (3, None)]
    assert DeviceEvent.objects.count() == 0
    too_many = post(client, monitored["token"], [night(i, 12, 0, AWAY) for i in range(1001)])
    assert too_many.status_code == 413


def test_a_feed_over_its_requests_per_minute_is_told_when_to_come_back(
    client: Any, monitored: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "REQUESTS_PER_MINUTE", 2)
    answers = [post(client, monitored["token"], [night(i, 12, 0, AWAY)]).status_code
               for i in range(3)]  # fmt: skip
    assert answers[:2] == [200, 200]
    paused = post(client, monitored["token"], [night(9, 12, 0, AWAY)])
    assert paused.status_code == 429
    assert 1 <= int(paused["Retry-After"]) <= 60
