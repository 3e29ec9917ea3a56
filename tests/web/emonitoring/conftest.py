"""A person on probation (the probation tests' `world`) with a home under curfew, an exclusion zone
and a device feed."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from adaldyq.web.emonitoring import services
from tests.web.release.conftest import alm
from tests.web.release.test_probation import world

__all__ = ["alm", "world"]

HOME = [[76.899, 43.239], [76.901, 43.239], [76.901, 43.241], [76.899, 43.241]]
MARKET = [[76.948, 43.248], [76.952, 43.252], [76.952, 43.248]]
AWAY = {"lon": 76.93, "lat": 43.26, "accuracy": 10}
AT_HOME = {"lon": 76.900, "lat": 43.240, "accuracy": 10}


def last_night(hour: int, minute: int = 0) -> str:
    """A local hour of a day before today (two days back for the evening), as the devices write it."""
    day = timezone.localdate() - timedelta(days=2 if hour >= 12 else 1)
    return datetime.combine(
        day, time(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE)
    ).isoformat()


@pytest.fixture
def monitored(world: dict[str, Any]) -> dict[str, Any]:
    person, po = world["person"], world["po"]
    day = (world["today"] - timedelta(days=3)).isoformat()
    services.zone_record(officer=po, person=person, zone={
        "on": day, "name": "дом", "kind": "home", "polygon": HOME,
        "curfew": {"from": "22:00", "to": "06:00"},
    })  # fmt: skip
    services.zone_record(officer=po, person=person, zone={
        "on": day, "name": "рынок", "kind": "exclusion", "polygon": MARKET,
    })  # fmt: skip
    feed, token = services.feed_create(officer=po, person=person, device="BR-0007")
    return {**world, "feed": feed, "token": token}
