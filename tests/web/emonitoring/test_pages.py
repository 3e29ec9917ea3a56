"""The probation officer's monitoring pages: violations with their events, zones, feeds (issue 19)."""

from __future__ import annotations

from typing import Any

import pytest

from adaldyq.emonitoring import parse_event
from adaldyq.web.emonitoring import services
from adaldyq.web.emonitoring.models import DeviceFeed
from adaldyq.web.records.models import Fact
from tests.web.emonitoring.conftest import AWAY, last_night
from tests.web.fixtures import out_of_scope

pytestmark = pytest.mark.django_db


def out_at_night(feed: DeviceFeed) -> None:
    events = [parse_event({"id": f"n{i}", "kind": "fix", "at": last_night(23, i), **AWAY})
              for i in range(3)]  # fmt: skip
    services.events_ingest(feed_id=feed.pk, events=events)


def test_the_officer_sees_a_curfew_violation_with_its_events_and_another_region_does_not(
    client: Any, monitored: dict[str, Any]
) -> None:
    out_at_night(monitored["feed"])
    pk = monitored["person"].pk
    client.force_login(monitored["po"])
    listed = client.get("/probation/monitoring/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    page = client.get(f"/probation/monitoring/people/{pk}/", HTTP_ACCEPT_LANGUAGE="en")

    assert "Пробациев" in listed
    assert "вне дома в часы комендантского часа" in listed
    text = page.content.decode()
    assert "away from home during the curfew hours: дом" in text
    assert text.count("43.26000, 76.93000") == 3
    out_of_scope(
        client, monitored["po_other"], f"/probation/monitoring/people/{pk}/",
        "/probation/monitoring/", "Пробациев",
    )  # fmt: skip


def test_a_feed_made_on_the_page_shows_its_token_once_and_is_revoked_there(
    client: Any, monitored: dict[str, Any]
) -> None:
    pk = monitored["person"].pk
    client.force_login(monitored["po"])
    made = client.post(f"/probation/monitoring/people/{pk}/feeds/", {"device": "BR-0200"})
    token = made.content.decode().split('<code id="token">')[1].split("</code>")[0]
    feed = services.feed_of_token(token)
    assert feed is not None
    assert token not in client.get(f"/probation/monitoring/people/{pk}/").content.decode()

    client.post(f"/probation/monitoring/people/{pk}/feeds/{feed.pk}/revoke/")
    assert services.feed_of_token(token) is None


def test_a_zone_is_recorded_from_the_page_and_a_crossed_polygon_is_refused(
    client: Any, monitored: dict[str, Any]
) -> None:
    pk = monitored["person"].pk
    client.force_login(monitored["po"])
    zone = {"name": "школа", "kind": "exclusion", "on": monitored["today"].isoformat()}
    crossed = client.post(f"/probation/monitoring/people/{pk}/zones/",
                          {**zone, "polygon": "76.0, 43.0\n76.1, 43.1\n76.1, 43.0\n76.0, 43.1"},
                          HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert "edges cross" in crossed.content.decode()
    client.post(f"/probation/monitoring/people/{pk}/zones/",
                {**zone, "polygon": "76.0, 43.0\n76.1, 43.0\n76.1, 43.1"})  # fmt: skip
    assert Fact.objects.filter(person_id=pk, kind="device_zone", data__name="школа").count() == 1
    assert [z.name for z in services.zones_of(pk)] == ["дом", "рынок", "школа"]


def test_a_violation_is_a_finding_of_the_deviation_register_with_its_events(
    client: Any, monitored: dict[str, Any], make_user: Any
) -> None:
    from django.db import connection

    from adaldyq.oversight.emonitoring import read_device_flags

    out_at_night(monitored["feed"])
    with connection.cursor() as cursor:
        (flag,) = read_device_flags(cursor)
    assert (flag.kind, flag.flag_class, flag.person) == (
        "device_curfew",
        "finding",
        monitored["person"].pk,
    )
    assert flag.detail["events"] == ["n0", "n1", "n2"]
    client.force_login(make_user("prosecutor", "prosecutor"))
    register = client.get(
        "/commission/register/", {"kind": "device_curfew"}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert (
        "электронный мониторинг: вне дома в часы комендантского часа" in register.content.decode()
    )
