"""20 relatives book the last place of one session at once, from 20 processes on a real database:
one gets it, the rest are told the session is full, and the session is never overbooked."""

from __future__ import annotations

from pathlib import Path

from tests.web.concurrency import Race, race_database_url  # noqa: F401 - the fixture
from tests.web.visits.race_worker import PEOPLE


def test_twenty_relatives_booking_the_last_place_at_once_get_one_booking(
    race_database_url: str,  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    race = Race("tests.web.visits.race_worker", race_database_url, tmp_path)
    world = race.setup()

    results = race.run("book", PEOPLE, world["room"], world["day"])

    booked = [r for r in results if r.get("booked")]
    refused = [r for r in results if "refused" in r]
    assert len(booked) == 1
    assert len(refused) == PEOPLE - 1
    assert all(r["refused"] == ["session_full"] for r in refused)
    count = race.python(
        "from adaldyq.web.visits.models import Booking, USING; "
        "print(Booking.objects.filter(status__in=USING).count())"
    )
    assert count == "3"  # the room's capacity: never more
