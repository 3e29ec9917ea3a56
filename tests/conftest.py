"""Fixtures shared by every test tier."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adaldyq.core.compiled import stale_extensions
from tests import clock
from tests.pgserver import new_schema, throwaway_postgres

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


# The tests whose code reads today's date (the yearly entitlement of visits, sittings, queues, facts not in
# the future, the demo's histories, the demo as shipped): marked `calendar`, and scripts/test runs them
# again on the days of clock.HARD_DAYS. Not the walk of every role's pages for words of another language
# (test_role_walk.py): the words do not turn on the date, and the other role tests open the roles' main
# pages on 1 January.
CALENDAR_FOLDERS = (
    "tests/web/visits/",
    "tests/web/decisions/",
    "tests/web/transfers/",
    "tests/web/records/",
    "tests/demo/",
    "tests/browser/test_visits.py",
    "tests/browser/test_decisions.py",
    "tests/browser/test_transfers.py",
    "tests/browser/test_personal_file.py",
    "tests/browser/test_role_",
)


def pytest_configure(config: pytest.Config) -> None:
    """Move the session to ADALDYQ_TEST_TODAY (tests/clock.py); refuse stale compiled extensions."""
    trip = clock.start()
    if trip is not None:
        config.add_cleanup(trip.stop)
    stale = stale_extensions()
    if stale:
        pytest.exit(
            f"the compiled engine is older than {', '.join(stale)}: run scripts/setup (ADR 0013)",
            returncode=4,
        )


def pytest_report_header(config: pytest.Config) -> str:
    moment = clock.destination()
    return f"today: {moment.isoformat() if moment else 'the real date'} ({clock.ENV})"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(str(item.fspath)).as_posix()
        if any(folder in path for folder in CALENDAR_FOLDERS) and not path.endswith(
            "test_role_walk.py"
        ):
            item.add_marker(pytest.mark.calendar)
        if "race_database_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.race)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of a throwaway PostgreSQL server for this test session."""
    with throwaway_postgres() as url:
        yield url


@pytest.fixture
def ledger_postgres(request: pytest.FixtureRequest) -> str:
    """The PostgreSQL database in which `ledger_url` makes its fresh schema (a folder's conftest may
    give another)."""
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty ledger of each kind: an SQLite file, or a fresh schema in `ledger_postgres`."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
        return
    with new_schema(request.getfixturevalue("ledger_postgres")) as url:
        yield url


# The test client's login() and force_login() stand for a whole sign-in, the code included (ADR 0039).
from tests.twofactor import client_sign_ins_verified  # noqa: E402, F401
