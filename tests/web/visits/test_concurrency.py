"""20 relatives book the last place of one session at once, from 20 processes on a real database:
one gets it, the rest are told the session is full, and the session is never overbooked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.web.conftest import DB
from tests.web.visits.race_worker import PEOPLE

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database for the race: an SQLite file, or a new database on the test PostgreSQL."""
    if DB != "postgres":
        return f"sqlite:///{tmp_path / 'race.sqlite3'}"
    import psycopg

    url = request.getfixturevalue("postgres_url")
    name = f"race_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    base, _, query = url.partition("?")
    return base.rsplit("/", 1)[0] + f"/{name}" + (f"?{query}" if query else "")


def _env(url: str, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "ADALDYQ_LAW_OVERLAY"}
    env.update(
        DJANGO_SETTINGS_MODULE="adaldyq.web.settings.base",
        DATABASE_URL=url,
        ADALDYQ_DATA_DIR=str(tmp_path),
        DJANGO_SECRET_KEY="race-only",  # noqa: S106 - a throwaway database
        PYTHONPATH=str(ROOT),
    )
    return env


def test_twenty_relatives_booking_the_last_place_at_once_get_one_booking(
    database_url, tmp_path
) -> None:
    env = _env(database_url, tmp_path)
    worker = [sys.executable, "-m", "tests.web.visits.race_worker"]
    made = subprocess.run(
        [*worker, "setup"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    world = json.loads(made.stdout.strip().splitlines()[-1])
    go = tmp_path / "go"

    procs = [
        subprocess.Popen(
            [*worker, "book", str(i), str(go), world["room"], world["day"]],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(PEOPLE)
    ]
    deadline = time.monotonic() + 240
    while len(list(tmp_path.glob("go.ready.*"))) < PEOPLE and time.monotonic() < deadline:
        time.sleep(0.05)
    go.touch()  # every process is connected and waiting: let them all go at once
    results = []
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err[-2000:]
        results.append(json.loads(out.strip().splitlines()[-1]))

    booked = [r for r in results if r.get("booked")]
    refused = [r for r in results if "refused" in r]
    assert len(booked) == 1
    assert len(refused) == PEOPLE - 1
    assert all(r["refused"] == ["session_full"] for r in refused)
    count = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from adaldyq.web.visits.models import Booking, USING; "
            "print(Booking.objects.filter(status__in=USING).count())",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert count.stdout.strip() == "3"  # the room's capacity: never more
