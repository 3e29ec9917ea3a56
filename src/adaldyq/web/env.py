"""Where the web application keeps its state: data directory, DATABASE_URL, secret key.

Read once by `settings.base`; nothing here imports Django, so the CLI can use it first.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import platformdirs

from adaldyq.core.errors import InputError


def data_dir() -> Path:
    """ADALDYQ_DATA_DIR, else the user's data folder; created if missing."""
    given = os.environ.get("ADALDYQ_DATA_DIR")
    chosen = Path(given) if given else Path(platformdirs.user_data_dir("adaldyq"))
    chosen.mkdir(parents=True, exist_ok=True)
    return chosen


def database_url(directory: Path) -> str:
    """DATABASE_URL when set, else the SQLite file in the data directory."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{directory / 'adaldyq.sqlite3'}"


def database_settings(url: str) -> dict[str, Any]:
    """Django's DATABASES['default'] for `sqlite:///PATH`, `sqlite://:memory:` or `postgresql://...`."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///PATH: PATH as written (sqlite:////abs/file or sqlite:///relative/file); sqlite://:memory:
        name = ":memory:" if parts.netloc == ":memory:" else url.removeprefix("sqlite:///")
        return {
            "ENGINE": "adaldyq.web.backends.sqlite3",
            "NAME": unquote(name),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",  # ledger ADR 0004: a write returns once durable
            },
        }
    if parts.scheme in ("postgres", "postgresql"):
        query: dict[str, Any] = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        host = query.pop("host", None) or parts.hostname or ""
        # Parameters bound by the server and statements prepared once a connection has run them
        # PREPARE_THRESHOLD times (ADR 0012): PostgreSQL then neither parses nor plans them again.
        # `?prepare_threshold=none` in DATABASE_URL turns preparing off (e.g. behind pgbouncer in
        # transaction mode), `?server_side_binding=false` the binding.
        options: dict[str, Any] = {
            "server_side_binding": query.pop("server_side_binding", "true").lower() != "false",
            "prepare_threshold": _threshold(query.pop("prepare_threshold", PREPARE_THRESHOLD)),
        }
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "postgres",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": host,
            "PORT": str(parts.port or ""),
            "OPTIONS": {**options, **query},
            "CONN_MAX_AGE": 60,
        }
    raise InputError(
        f"DATABASE_URL must start with sqlite:/// or postgresql://, not {parts.scheme!r}"
    )


PREPARE_THRESHOLD = 5
"""Executions of one statement on a connection after which psycopg prepares it (its default)."""


def _threshold(value: Any) -> int | None:
    if value is None or str(value).lower() in ("", "none"):
        return None
    try:
        return int(value)
    except ValueError:
        raise InputError(
            f"DATABASE_URL: prepare_threshold must be a number or none, not {value!r}"
        ) from None


def secret_key(directory: Path) -> str:
    """DJANGO_SECRET_KEY when set, else DIR/secret_key, generated on first run (mode 0600)."""
    given = os.environ.get("DJANGO_SECRET_KEY")
    if given:
        return given
    path = directory / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()
