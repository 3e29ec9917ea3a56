"""`adaldyq ledger show`: a table for people by default, the entries' own bytes with --format jsonl."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from adaldyq.cli.__main__ import app
from adaldyq.ledger import Actor, Draft, Ledger

OFFICER = Actor("UK-1/O02", "role:records_officer@UK-1")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with Ledger.open(f"sqlite:///{tmp_path / 'adaldyq.sqlite3'}") as ledger:
        ledger.append_many(
            [
                Draft(OFFICER, "PF-1", "incentive", {"on": "2024-01-02", "kind": "gratitude"}),
                Draft(OFFICER, "PF-2", "incentive", {"on": "2024-01-03", "kind": "gratitude"}),
            ]
        )
    return tmp_path


def test_show_prints_a_table_of_one_subjects_entries(folder: Path) -> None:
    result = CliRunner().invoke(
        app, ["ledger", "show", "--subject", "PF-1", "--data-dir", str(folder)]
    )

    assert result.exit_code == 0, result.output
    assert "PF-1: 1 entries" in result.output
    assert "kind=gratitude" in result.output
    assert "PF-2" not in result.output


def test_show_jsonl_gives_the_entries_bytes(folder: Path) -> None:
    result = CliRunner().invoke(
        app, ["ledger", "show", "--subject", "PF-1", "--data-dir", str(folder), "--format", "jsonl"]
    )

    with Ledger.open(f"sqlite:///{folder / 'adaldyq.sqlite3'}") as ledger:
        (entry,) = ledger.entries_by_subject("PF-1")
    assert result.stdout_bytes == entry.body + b"\n"
