"""The tests' "today" (tests/clock.py): the session can be moved to any day, subprocesses included."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, time
from pathlib import Path

import pytest

from tests import clock

ROOT = Path(__file__).resolve().parents[2]


def test_a_day_means_noon_in_almaty() -> None:
    moment = clock.destination("2028-02-29")
    assert moment == datetime.combine(date(2028, 2, 29), time(12), tzinfo=clock.ALMATY)


def test_a_date_time_keeps_its_offset_and_a_bare_one_is_almaty_time() -> None:
    assert clock.destination("2026-12-31T23:59:00+00:00") == datetime.fromisoformat(
        "2026-12-31T23:59:00+00:00"
    )
    assert clock.destination("2026-12-31T23:59") == datetime(
        2026, 12, 31, 23, 59, tzinfo=clock.ALMATY
    )


def test_no_day_is_the_real_clock() -> None:
    assert clock.destination("") is None


def test_a_bad_day_is_refused_in_one_line() -> None:
    with pytest.raises(SystemExit, match="is not an ISO date"):
        clock.destination("31.12.2026")


def test_start_moves_date_today_and_django_today(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.utils import timezone

    monkeypatch.setenv(clock.ENV, "2027-01-01")
    trip = clock.start()
    assert trip is not None
    try:
        assert date.today() == date(2027, 1, 1)  # noqa: DTZ011 - the point of the test
        assert timezone.localdate(timezone.now(), clock.ALMATY) == date(2027, 1, 1)
    finally:
        trip.stop()


def test_commands_run_through_the_clock_see_the_same_day() -> None:
    probe = (
        "import sys, datetime; from tests import clock; clock.start(); "
        "print(datetime.date.today().isoformat())"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", clock.ENV: "2028-02-29", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "2028-02-29"
