"""Commands that only read refuse a data folder with no data, in one line, and create nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
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
