"""A throwaway PostgreSQL server for the tests (RECIPES.md §4 B: initdb and pg_ctl as the postgres user).

`ADALDYQ_TEST_POSTGRES_URL` points the tests at a server you already run instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from tests.served import free_port

PGBIN = Path(os.environ.get("ADALDYQ_PGBIN", "/usr/lib/postgresql/15/bin"))


def _as_postgres(args: list[str]) -> list[str]:
    return args if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--", *args]


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str]:
    """Start a PostgreSQL server in a temporary folder, yield its URL (database `app`), then remove it."""
    given = os.environ.get("ADALDYQ_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    if not (PGBIN / "initdb").exists():
        raise RuntimeError(
            f"PostgreSQL server binaries not found in {PGBIN}: "
            "apt-get install postgresql-15 (or set ADALDYQ_TEST_POSTGRES_URL)"
        )
    tmp = tempfile.mkdtemp(prefix="adaldyq-pg-")
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres", "postgres")
    port = free_port()
    run = {"check": True, "cwd": "/tmp", "capture_output": True}
    data = f"{tmp}/data"
    subprocess.run(
        _as_postgres(
            [
                f"{PGBIN}/initdb",
                "-D",
                data,
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        **run,  # type: ignore[call-overload]
    )
    opts = f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    subprocess.run(
        _as_postgres(
            [f"{PGBIN}/pg_ctl", "-D", data, "-l", f"{tmp}/log", "-w", "start", "-o", opts]
        ),
        **run,  # type: ignore[call-overload]
    )
    try:
        subprocess.run(
            _as_postgres(
                [f"{PGBIN}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "app"]
            ),
            **run,  # type: ignore[call-overload]
        )
        yield f"postgresql://postgres@127.0.0.1:{port}/app"
    finally:
        subprocess.run(
            _as_postgres([f"{PGBIN}/pg_ctl", "-D", data, "-m", "immediate", "stop"]),
            cwd="/tmp",
            capture_output=True,
            check=False,
        )
        shutil.rmtree(tmp, ignore_errors=True)


def new_database(server_url: str, name: str) -> str:
    """Create the database `name` on the server of `server_url` (dropping one left over by that
    name) and return its URL, with the server URL's query kept."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    base, _, query = server_url.partition("?")
    return base.rsplit("/", 1)[0] + f"/{name}" + (f"?{query}" if query else "")


@contextlib.contextmanager
def new_schema(database_url: str) -> Iterator[str]:
    """A fresh schema in the database of `database_url`: yields the URL that works in it, then
    drops it."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in database_url else "?"
    yield f"{database_url}{sep}options=-csearch_path%3D{schema}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")
