"""`adaldyq web check`: Django's `check --deploy` and the project's own checks, one line per problem."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.commands import adaldyq

PRODUCTION = {
    "ADALDYQ_HTTPS": "1",
    "ADALDYQ_ALLOWED_HOSTS": "adaldyq.example.kz",
    "ADALDYQ_TRUSTED_PROXIES": "127.0.0.1",
}


EXPECTED_E008 = (
    "no trusted proxy: `adaldyq web serve` listens on 127.0.0.1 behind a reverse proxy, so set "
    "ADALDYQ_TRUSTED_PROXIES to its address (e.g. 127.0.0.1), or every client shares its address and "
    "HTTPS is not recognised"
)


def _adaldyq(data: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "DATABASE_URL",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_SECRET_KEY",
            "DJANGO_DEBUG",
            "DJANGO_ALLOW_ASYNC_UNSAFE",  # the browser tests' conftest sets it for Playwright
        )
        and not k.startswith("ADALDYQ_")
    }
    return adaldyq(data, *args, env={**clean, **env})


def _data_folder(tmp_path: Path) -> Path:
    """A data folder as `adaldyq web migrate` leaves it: the owner's alone, an SQLite file 0600."""
    data = tmp_path / "adaldyq"
    data.mkdir(mode=0o700)
    (data / "adaldyq.sqlite3").touch(mode=0o600)
    return data


def test_a_properly_configured_deployment_passes(tmp_path: Path) -> None:
    data = _data_folder(tmp_path)

    done = _adaldyq(data, "web", "check", **PRODUCTION)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "no problem found" in done.stdout


def test_a_bad_configuration_fails_naming_each_problem(tmp_path: Path) -> None:
    data = _data_folder(tmp_path)
    data.chmod(0o755)
    (data / "adaldyq.sqlite3").chmod(0o644)
    (data / "keys").mkdir()
    key = data / "keys" / "ledger.key"
    key.write_text("a key the web's user can read\n")
    key.chmod(0o600)
    bad = {
        "DJANGO_DEBUG": "1",
        "DJANGO_SECRET_KEY": "test-only-not-secret",
        "ADALDYQ_ALLOWED_HOSTS": "*",
        "ADALDYQ_TRUSTED_PROXIES": "10.0.0.0/8",
    }

    done = _adaldyq(data, "web", "check", **bad)

    assert done.returncode == 1
    lines = done.stdout.strip().splitlines()
    found = {line.split(": ", 1)[0] for line in lines}
    assert {
        "adaldyq.E001",  # not over HTTPS
        "adaldyq.E002",  # DEBUG
        "adaldyq.E003",  # ALLOWED_HOSTS
        "adaldyq.E004",  # a known secret key
        "adaldyq.E007",  # a network as a trusted proxy
        "adaldyq.E010",  # the data folder open to others
        "adaldyq.E011",  # the database readable by others
        "adaldyq.E012",  # the signing key readable by the web's user
        "security.W004",  # Django's own: no HSTS
        "security.W018",  # Django's own: DEBUG
    } <= found
    assert all(": " in line for line in lines)  # one line per problem, named
    assert any(line.startswith("adaldyq.E011: ") and "chmod 600" in line for line in lines)


def test_https_without_a_trusted_proxy_is_a_problem(tmp_path: Path) -> None:
    data = _data_folder(tmp_path)

    done = _adaldyq(
        data, "web", "check", "--format", "json", **{**PRODUCTION, "ADALDYQ_TRUSTED_PROXIES": ""}
    )

    assert done.returncode == 1
    assert json.loads(done.stdout) == {
        "ok": False,
        "problems": [{"id": "adaldyq.E008", "problem": EXPECTED_E008, "hint": ""}],
    }
