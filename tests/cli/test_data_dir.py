"""Commands that only read refuse a data folder with no data, in one line, and create nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from adaldyq.cli.__main__ import app
from adaldyq.ledger import Ledger
from adaldyq.ledger.errors import StoreError

runner = CliRunner()

READING = [
    ["ledger", "verify"],
    ["ledger", "prove", "1"],
    ["ledger", "show", "--subject", "PF-1"],
    ["ledger", "export", "bundle"],
    ["ledger", "witness", "--state", "w"],
    ["oversight", "flags"],
]


@pytest.mark.parametrize("args", READING, ids=lambda a: " ".join(a[:2]))
def test_a_reading_command_on_a_folder_without_data_is_one_line_and_exit_2(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)  # where the bundle or the witness's state would go
    folder = tmp_path / "nothing-here"

    result = runner.invoke(app, [*args, "--data-dir", str(folder)])

    assert result.exit_code == 2, result.output
    assert "no adaldyq data in" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no data folder, bundle or state


def test_a_ledger_opened_only_to_read_must_exist(tmp_path: Path) -> None:
    missing, empty = tmp_path / "missing.sqlite3", tmp_path / "empty.sqlite3"
    empty.touch()

    with pytest.raises(StoreError, match="does not exist"):
        Ledger.open(f"sqlite:///{missing}", create=False)
    with pytest.raises(StoreError, match="tables do not exist"):
        Ledger.open(f"sqlite:///{empty}", create=False)
    assert not missing.exists()
    with Ledger.open(f"sqlite:///{empty}") as made:
        assert made.dialect == "sqlite"
    with Ledger.open(f"sqlite:///{empty}", create=False) as read:
        assert read.dialect == "sqlite"


def test_a_folder_given_for_a_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    from adaldyq.cli._common import one_line_errors

    @one_line_errors
    def read(path: Path) -> bytes:
        return path.read_bytes()

    with pytest.raises(typer.Exit) as exited:
        read(tmp_path)

    assert exited.value.exit_code == 2


def test_otp_code_for_an_unknown_login_is_one_line_in_a_fresh_process(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    adaldyq = Path(sys.executable).with_name("adaldyq")
    done = subprocess.run(
        [str(adaldyq), "web", "otp-code", "nobody", "--data-dir", str(tmp_path)],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip

    assert done.returncode == 2, done.stderr
    assert "no user 'nobody'" in done.stderr
    assert "Traceback" not in done.stderr


def test_every_command_of_every_area_has_one_line_errors() -> None:
    """An area (`_common.Area`) wraps each command it registers: none can forget to."""
    from adaldyq.cli._common import one_line_errors

    wrapper = one_line_errors(print).__code__

    def commands(group: typer.Typer) -> list[object]:
        found = [c.callback for c in group.registered_commands]
        for sub in group.registered_groups:
            assert sub.typer_instance is not None
            found += commands(sub.typer_instance)
        return found

    every = commands(app)
    assert len(every) > 60
    assert all(getattr(c, "__code__", None) is wrapper for c in every)
