"""Deployment defaults that a user of the command line meets (issue 16)."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

import pytest

from tests.commands import adaldyq, shell_environment


def _adaldyq(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return adaldyq(tmp_path, *args, env=shell_environment(), stdin=stdin)


@pytest.mark.parametrize("password", ["1", "12345678901", "password123", "ombudsman-x"])
def test_create_user_refuses_a_weak_password_in_one_line(tmp_path: Path, password: str) -> None:
    done = _adaldyq(
        tmp_path, "web", "create-user", "ombudsman", "--role", "ombudsman",
        stdin=f"{password}\n{password}\n",
    )  # fmt: skip
    assert done.returncode != 0
    assert "password refused" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_the_data_folder_and_its_database_are_the_owners_alone(tmp_path: Path) -> None:
    done = _adaldyq(tmp_path, "web", "migrate")
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o700
    database = tmp_path / "adaldyq.sqlite3"
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    for other in tmp_path.glob("*"):
        if other.is_file():
            assert stat.S_IMODE(other.stat().st_mode) & 0o077 == 0, other
