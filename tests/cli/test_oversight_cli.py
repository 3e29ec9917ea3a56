"""`adaldyq oversight flags` as a person reads it: a table that fits the terminal, and JSON lines for scripts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from adaldyq.cli.__main__ import app
from adaldyq.cli._common import key_values
from adaldyq.cli.oversight import _evidence
from adaldyq.ledger import Ledger
from tests.languages import in_each_language
from tests.oversight.test_flags import HEAD, INCENTIVE, QUALIFIES, admitted, fact


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    first = admitted()
    first.payload["institution_type"] = "medium"
    drafts = [
        first,
        fact("incentive", INCENTIVE, kind="gratitude"),
        fact("degree_awarded", QUALIFIES + timedelta(days=45), actor=HEAD, degree=1),
    ]
    with Ledger.open(f"sqlite:///{tmp_path / 'adaldyq.sqlite3'}") as ledger:
        ledger.append_many(drafts)
    return tmp_path


@pytest.mark.parametrize("width", [80, 140])
def test_the_flags_table_fits_the_terminal(
    folder: Path, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from adaldyq.cli._common import console

    monkeypatch.setattr(console, "width", width)
    result = CliRunner().invoke(app, ["oversight", "flags", "--data-dir", str(folder)])

    assert result.exit_code == 0, result.output
    assert "delayed_award" in result.output.replace("\n", "").replace("│", "").replace(" ", "")
    assert "PF-1" in result.output
    assert max(len(line) for line in result.output.splitlines()) <= width
    assert ("decision=degree" in result.output) is (width >= 110)  # the detail on a wide terminal


def test_the_flags_as_json_lines_carry_everything(folder: Path) -> None:
    result = CliRunner().invoke(
        app, ["oversight", "flags", "--data-dir", str(folder), "--format", "jsonl"]
    )

    rows = [orjson.loads(line) for line in result.output.splitlines()]
    assert [r["kind"] for r in rows] == ["delayed_award"]
    assert rows[0]["detail"]["delay_days"] == 45
    assert rows[0]["evidence"] == [1, 2]  # the incentive and the award (sequence numbers from 0)


def test_long_evidence_and_nested_details_are_summed_up() -> None:
    assert _evidence([5, 6, 7, 8, 9]) == "#5 #6 #7 +2"
    assert _evidence([5]) == "#5"
    detail = {"a": 1, "b": "x", "c": {"nested": 1}, "d": [1], "e": ""}
    assert key_values(detail, nested=False) == "a=1 b=x"


# The export names officers from the users table: under pytest that is the test database's.
@pytest.mark.django_db
@in_each_language(
    kk=("Түрі", None, r"\d{2}\.\d{2}\.\d{4}"),
    ru=("Вид", "решение позднее 30 дней после возникновения оснований", r"\d{2}\.\d{2}\.\d{4}"),
    en=(
        "Kind",
        "decision more than 30 days after the person qualified",
        r"\d{1,2} [A-Z][a-z]{2} \d{4}",
    ),
)
def test_the_exported_register_is_in_the_language_asked_for(
    folder: Path, lang: str, header: str, kind: str | None, day: str
) -> None:
    import csv
    import re

    out = folder / f"register-{lang}.csv"
    result = CliRunner().invoke(
        app,
        ["oversight", "export", "--data-dir", str(folder), "--format", "csv", "--output", str(out),
         "--lang", lang],
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][0] == header
    assert len(rows) == 2
    assert "delayed_award" not in rows[1][0]
    if kind is not None:
        assert rows[1][0] == kind
    assert re.fullmatch(day, rows[1][5])
    assert "{" not in rows[1][9]
    assert "45" in rows[1][9]


@pytest.mark.django_db
def test_the_xlsx_export_is_written_from_the_command_line(folder: Path) -> None:
    out = folder / "register.xlsx"
    result = CliRunner().invoke(
        app,
        ["oversight", "export", "--data-dir", str(folder), "--format", "xlsx", "--output", str(out),
         "--lang", "kk"],
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"


def test_an_unknown_export_language_is_refused_in_one_line(folder: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["oversight", "export", "--data-dir", str(folder), "--format", "csv", "--output",
         str(folder / "x.csv"), "--lang", "de"],
    )  # fmt: skip

    assert result.exit_code != 0


def test_the_saved_review_gives_the_computed_flags_line_for_line(folder: Path) -> None:
    """The first run reviews every file and saves the review (DIR/oversight/review.duckdb); the next
    reads it, or brings it up to date with the files of newer entries: the same lines as a run
    that computes everything again (ADR 0047)."""
    args = ["oversight", "flags", "--data-dir", str(folder), "--format", "jsonl", "--all"]
    saved = folder / "oversight" / "review.duckdb"

    built = CliRunner().invoke(app, args)
    read = CliRunner().invoke(app, args)
    with Ledger.open(f"sqlite:///{folder / 'adaldyq.sqlite3'}") as ledger:
        ledger.append_many([fact("penalty", QUALIFIES - timedelta(days=5), kind="smoking")])
    refreshed = CliRunner().invoke(app, args)
    saved.unlink()
    computed = CliRunner().invoke(app, args)

    assert built.exit_code == read.exit_code == refreshed.exit_code == computed.exit_code == 0
    assert read.output == built.output
    assert refreshed.output == computed.output != built.output
    assert "penalty_before_qualifying" in refreshed.output
    assert saved.exists()
