"""The tests' "today" (issue 13: no test may depend on the calendar).

Every test session runs on the real date unless ``ADALDYQ_TEST_TODAY`` moves it: ``2026-12-31`` (noon in
Almaty, the server's time zone) or a full ISO date-time with its offset. The root conftest starts the move
before Django is set up, with ``time_machine`` (the clock keeps ticking from there), so the code under test,
pytest-django's live server and anything they fork see that day. Subprocesses are new interpreters: tests
that run ``adaldyq`` as a command start it through ``python -m tests.clock adaldyq ...``, which makes the
same move first. ``scripts/test`` runs the tests marked ``calendar`` again for several todays
(:data:`HARD_DAYS`).
"""

from __future__ import annotations

import os
import sys
import time as _time
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine

ENV = "ADALDYQ_TEST_TODAY"
ALMATY = ZoneInfo("Asia/Almaty")
# The days a yearly, monthly or leap-year rule turns on (the year's last and first day, the end of
# February in a common and a leap year) and a plain day in summer, each with the tests marked `calendar`
# that scripts/test runs again on it. The role tests on the demo as shipped (a build of the demo each
# run) again on 1 January, when the year's counts start again; the browser tests that make their own
# data on the year's turn; the races of several processes (`race`: one wins, the others are refused,
# whatever the day) on the year's turn too, where their bookings and sittings cross into a new
# year; the rest everywhere. The real date is the runs' first day.
HARD_DAYS = (  # the longest run first
    ("2027-01-01", "calendar"),
    ("2026-12-31", "calendar and not shipped"),
    ("2028-02-29", "calendar and not browser and not race"),
    ("2027-02-28", "calendar and not browser and not race"),
    ("2027-07-15", "calendar and not browser and not race"),
)


def destination(value: str | None = None) -> datetime | None:
    """The moment the session runs at, or None for the real clock."""
    given = os.environ.get(ENV, "") if value is None else value
    if not given.strip():
        return None
    try:
        if "T" in given or " " in given.strip():
            moment = datetime.fromisoformat(given.strip())
            return moment if moment.tzinfo else moment.replace(tzinfo=ALMATY)
        return datetime.combine(date.fromisoformat(given.strip()), time(12), tzinfo=ALMATY)
    except ValueError:
        raise SystemExit(f"{ENV}={given!r} is not an ISO date (YYYY-MM-DD) or date-time") from None


#: The real moment the session's clock was moved (seconds since the epoch), handed to the commands it
#: starts: each moves its clock to the same today plus the real time gone by since, so that the test
#: process, a server it started minutes later and a command run against that server read one clock
#: (a TOTP code computed by the test is the server's code of that moment).
ANCHOR = "ADALDYQ_TEST_CLOCK_ANCHOR"


def start() -> time_machine.travel | None:
    """Move the clock of this process (and of what it forks) to the session's today, if one is set."""
    moment = destination()
    if moment is None:
        return None
    real = _time.time()  # the real clock, before the move
    anchor = float(os.environ.setdefault(ANCHOR, repr(real)))
    trip = time_machine.travel(moment + timedelta(seconds=max(0.0, real - anchor)), tick=True)
    trip.start()
    return trip


def main() -> None:
    """``python -m tests.clock adaldyq ARGS...``: run the command line on the session's today."""
    start()
    if len(sys.argv) < 2 or sys.argv[1] != "adaldyq":
        raise SystemExit("usage: python -m tests.clock adaldyq ARGS...")
    from adaldyq.cli.__main__ import main as adaldyq

    sys.argv = ["adaldyq", *sys.argv[2:]]
    adaldyq()


if __name__ == "__main__":
    main()
