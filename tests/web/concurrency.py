"""Races on a real database (issue 14: a concurrency test per write path): several processes make
the same write at the same moment, the way the web server's workers do.

Within one process, `at_once` runs calls in threads released together (the test database's
connections, one per thread); such a test runs on PostgreSQL only (`POSTGRES_ONLY`).

The test side: `race_database_url` (a fixture: an SQLite file, or a new database on the test
PostgreSQL) and `Race`, which runs a worker module's `setup`, starts one process per racer, lets them
all go at once and collects the one JSON line each prints. The worker side: `worker_main` (the module's
entry point) and `wait_for_the_start`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.utils import translation

from adaldyq.core.errors import InputError
from tests.pgserver import new_database
from tests.web.conftest import DB

ROOT = Path(__file__).resolve().parents[2]
#: How long the setup, the start and each racer may take, in seconds.
TIMEOUT = 240


#: For a test of threads racing on the test database: SQLite's is shared memory, whose table locks
#: fail at once instead of waiting.
POSTGRES_ONLY = pytest.mark.skipif(
    DB != "postgres",
    reason="the SQLite test database is shared memory, whose table locks fail at once instead of waiting",
)


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together (in English); each one's result, or the
    InputError it raised, in the order of the calls."""
    start = threading.Barrier(len(calls))
    out: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        start.wait()
        try:
            with translation.override("en"):
                out[i] = call()
        except InputError as exc:
            out[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def twice_at_once(call: Callable[[], Any]) -> list[Any]:
    """`call` made twice at the same moment (`at_once`), as a double click or two people on one form
    make it."""
    return at_once(call, call)


def one_refused(results: list[Any], refusal: str) -> None:
    """Exactly one of `at_once`'s results is a refusal (InputError), and it says `refusal`."""
    refused = [r for r in results if isinstance(r, InputError)]
    assert len(refused) == 1, results
    assert refusal in str(refused[0])


def entries_of(*kinds: str) -> int:
    """How many entries of the ledger are of one of `kinds`."""
    from django.db import connection

    from adaldyq.web.records import ledger_port

    with connection.cursor() as cursor:
        return sum(1 for e in ledger_port.entries(cursor) if e.type in kinds)


@pytest.fixture
def race_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database for the race: an SQLite file, or a new database on the test PostgreSQL."""
    if DB != "postgres":
        return f"sqlite:///{tmp_path / 'race.sqlite3'}"
    return new_database(request.getfixturevalue("postgres_url"), f"race_{uuid.uuid4().hex[:8]}")


class Race:
    """The processes of one race, run by `python -m <worker>` against `database_url`."""

    def __init__(self, worker: str, database_url: str, tmp_path: Path) -> None:
        self.command = [sys.executable, "-m", worker]
        self.tmp_path = tmp_path
        self.env = {k: v for k, v in os.environ.items() if k != "ADALDYQ_LAW_OVERLAY"}
        self.env.update(
            DJANGO_SETTINGS_MODULE="adaldyq.web.settings.base",
            DATABASE_URL=database_url,
            ADALDYQ_DATA_DIR=str(tmp_path),
            DJANGO_SECRET_KEY="race-only",  # noqa: S106 - a throwaway database
            PYTHONPATH=str(ROOT),
        )

    def setup(self) -> dict[str, Any]:
        """The world the racers meet (`<worker> setup`), as the worker's last JSON line says it."""
        made = self._run([*self.command, "setup"], timeout=300)
        return dict(json.loads(made.stdout.strip().splitlines()[-1]))

    def run(self, verb: str, racers: int, *args: str) -> list[dict[str, Any]]:
        """What each of `racers` processes (`<worker> verb i go *args`) says once all went at once."""
        go = self.tmp_path / "go"
        procs = [
            subprocess.Popen(
                [*self.command, verb, str(i), str(go), *args],
                env=self.env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in range(racers)
        ]
        deadline = time.monotonic() + TIMEOUT
        while len(list(self.tmp_path.glob("go.ready.*"))) < racers and time.monotonic() < deadline:
            time.sleep(0.05)
        go.touch()  # every process is connected and waiting: let them all go at once
        results = []
        for p in procs:
            out, err = p.communicate(timeout=TIMEOUT)
            assert p.returncode == 0, err[-2000:]
            results.append(json.loads(out.strip().splitlines()[-1]))
        return results

    def python(self, code: str) -> str:
        """What `code` prints, run after `django.setup()` against the race's database."""
        done = self._run([sys.executable, "-c", f"import django; django.setup(); {code}"])
        return done.stdout.strip()

    def _run(
        self, command: list[str], timeout: float = TIMEOUT
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command, env=self.env, cwd=ROOT, capture_output=True, text=True, check=True,
            timeout=timeout,
        )  # fmt: skip


def wait_for_the_start(i: int, go: Path) -> None:
    """Say racer `i` is ready, then wait for the start (the file `go`)."""
    Path(f"{go}.ready.{i}").touch()
    while not go.exists():
        time.sleep(0.005)


def worker_main(setup: Callable[[], None], race: Callable[..., None]) -> None:
    """A worker module's entry point: `setup`, or `<verb> i go *args` (one racer's write).

    The process takes the test session's today (ADALDYQ_TEST_TODAY), as the test process does.
    """
    from tests import clock

    clock.start()
    import django

    django.setup()
    if sys.argv[1] == "setup":
        setup()
    else:
        race(int(sys.argv[2]), Path(sys.argv[3]), *sys.argv[4:])
