"""`adaldyq law pack show|diff` and `adaldyq law amend propose|approve|refuse|list` (ADR 0026)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from adaldyq.cli.__main__ import app

LONG = "entitlements.mixed.regular.long_visits_per_year"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("ADALDYQ_ACTOR", raising=False)
    monkeypatch.delenv("ADALDYQ_LAW_OVERLAY", raising=False)
    (tmp_path / "order.pdf").write_bytes(b"%PDF the amending law")
    return tmp_path


def cli(folder: Path, *args: str, actor: str = "lawyer-a") -> tuple[int, str]:
    result = CliRunner().invoke(
        app, [*args, "--data-dir", str(folder)], env={"ADALDYQ_ACTOR": actor}
    )
    return result.exit_code, result.output


def propose(folder: Path, *extra: str, value: str = "2") -> tuple[int, str]:
    return cli(
        folder,
        "law",
        "amend",
        "propose",
        "--figure",
        LONG,
        "--value",
        value,
        "--from",
        "2024-03-01",
        "--article",
        "PEC art. 134",
        "--edition",
        "as amended on 1 February 2024",
        "--document",
        str(folder / "order.pdf"),
        "--confidence",
        "L",
        "--reason",
        "the Code now states it",
        *extra,
    )


def show(folder: Path, on: str) -> dict[str, object]:
    code, out = cli(folder, "law", "pack", "show", "--on", on, "--figure", LONG, "--format", "json")
    assert code == 0, out
    return json.loads(out)


def test_a_proposal_is_in_force_once_another_person_approves_it(folder: Path) -> None:
    shipped = show(folder, "2024-06-01")
    assert shipped["figures"][0]["value"] is None
    assert shipped["figures"][0]["origin"] == "shipped"

    code, out = propose(folder)
    assert code == 0, out
    seq = out.strip()
    digest = hashlib.sha256(b"%PDF the amending law").hexdigest()
    assert (folder / "documents" / f"sha256-{digest}").read_bytes() == b"%PDF the amending law"
    assert show(folder, "2024-06-01")["figures"][0]["value"] is None  # proposed only

    code, out = cli(folder, "law", "amend", "approve", seq)
    assert code == 2
    assert "another person must review it" in out
    assert len(out.strip().splitlines()) == 1

    code, out = cli(folder, "law", "amend", "approve", seq, actor="lawyer-b")
    assert code == 0, out
    after = show(folder, "2024-06-01")
    row = after["figures"][0]
    assert row["value"] == 2
    assert row["origin"] == f"amendment #{seq}"
    assert digest in row["source"]
    assert after["law_pack"]["hash"] != shipped["law_pack"]["hash"]
    assert show(folder, "2024-02-29")["figures"][0]["value"] is None  # not before its date

    code, out = cli(
        folder,
        "law",
        "pack",
        "diff",
        "--from",
        "2024-01-01",
        "--to",
        "2024-06-01",
        "--format",
        "json",
    )
    assert code == 0, out
    changes = json.loads(out)["changes"]
    assert [(c["figure"], c["from"], c["to"], c["origin"]) for c in changes] == [
        (LONG, None, 2, f"amendment #{seq}")
    ]
    code, out = cli(folder, "law", "pack", "diff", "--from", "2023-01-01", "--to", "2024-01-01")
    assert code == 0, out
    assert "no figure differs" in out

    code, out = cli(folder, "law", "amend", "list", "--format", "json")
    listed = json.loads(out)["amendments"]
    assert [(a["status"], a["proposed_by"], a["decided_by"]) for a in listed] == [
        ("approved", "lawyer-a", "lawyer-b")
    ]


def test_a_refusal_says_why_and_changes_nothing(folder: Path) -> None:
    seq = propose(folder)[1].strip()
    code, out = cli(
        folder, "law", "amend", "refuse", seq, "--reason", "not yet in force", actor="b"
    )
    assert code == 0, out
    assert show(folder, "2024-06-01")["figures"][0]["value"] is None
    code, out = cli(folder, "law", "amend", "approve", seq, actor="c")
    assert code == 2
    assert "already refused" in out
    code, out = cli(folder, "law", "amend", "list")
    assert code == 0, out
    assert "refused" in out
    listed = json.loads(cli(folder, "law", "amend", "list", "--format", "json")[1])["amendments"]
    assert [(a["status"], a["refusal"], a["decided_by"]) for a in listed] == [
        ("refused", "not yet in force", "b")
    ]


@pytest.mark.parametrize(
    ("extra", "value", "message"),
    [
        ((), "-1", "expected a whole number, 0 or more, or 'unlimited'"),
        (("--to", "2020-01-01"), "2", "valid_to: 2020-01-01 is before valid_from 2024-03-01"),
        ((), "null", "value: an unknown figure is value null"),
    ],
)
def test_a_bad_proposal_is_one_line_and_records_nothing(
    folder: Path, extra: tuple[str, ...], value: str, message: str
) -> None:
    code, out = propose(folder, *extra, value=value)
    assert code == 2
    assert message in out.replace("\n", " ")
    assert not (folder / "documents").exists()
    code, out = cli(folder, "law", "amend", "list", "--format", "json")
    assert json.loads(out)["amendments"] == []


def test_show_without_data_is_the_shipped_pack(folder: Path) -> None:
    code, out = cli(folder, "law", "pack", "show", "--format", "jsonl")
    assert code == 0, out
    rows = [json.loads(line) for line in out.splitlines()]
    assert {r["origin"] for r in rows} == {"shipped"}
    assert any(r["figure"] == LONG for r in rows)
    assert not (folder / "adaldyq.sqlite3").exists()


def approved_and_signed(folder: Path) -> None:
    """One amendment proposed by lawyer-a, approved by lawyer-b, and the tree signed."""
    folder.mkdir()
    (folder / "order.pdf").write_bytes(b"%PDF the amending law")
    code, seq = propose(folder)
    assert code == 0, seq
    assert cli(folder, "law", "amend", "approve", seq.strip(), actor="lawyer-b")[0] == 0
    assert cli(folder, "ledger", "key-create")[0] == 0
    assert cli(folder, "ledger", "sign")[0] == 0


def test_approved_amendments_carried_to_another_deployment_await_a_second_person_there(
    tmp_path: Path, folder: Path
) -> None:
    test_site, production = folder / "test", folder / "production"
    approved_and_signed(test_site)
    code, out = cli(test_site, "law", "amend", "export", "-o", str(tmp_path / "law.json"))
    assert code == 0, out
    assert "1 approved amendments written" in out
    carried = json.loads((tmp_path / "law.json").read_text())
    assert carried["documents_missing"] == []
    trust = test_site / "keys" / "ledger.pub"

    args = ("law", "amend", "import", str(tmp_path / "law.json"), "--trust", str(trust))
    code, out = cli(production, *args, "--dry-run", "--format", "json", actor="officer-p")
    assert code == 0, out
    assert json.loads(out)["recorded"][0]["imported"]["approved_by"] == "lawyer-b"
    assert not (production / "adaldyq.sqlite3").exists()  # a dry run writes nothing

    code, out = cli(production, *args, "--format", "json", actor="officer-p")
    assert code == 0, out
    recorded = json.loads(out)["recorded"]
    assert [r["imported"]["proposed_by"] for r in recorded] == ["lawyer-a"]
    assert show(production, "2024-06-01")["figures"][0]["value"] is None  # not yet in force here
    digest = hashlib.sha256(b"%PDF the amending law").hexdigest()
    assert (production / "documents" / f"sha256-{digest}").exists()

    code, out = cli(production, *args, "--format", "json", actor="officer-p")
    assert json.loads(out) == {"recorded": [], "already_imported": 1, "dry_run": False}

    code, out = cli(
        production, "law", "amend", "approve", str(recorded[0]["seq"]), actor="officer-p"
    )
    assert code == 2  # the importer cannot approve what it brought in
    seq = str(recorded[0]["seq"])
    assert cli(production, "law", "amend", "approve", seq, actor="officer-q")[0] == 0
    assert show(production, "2024-06-01")["figures"][0]["value"] == 2


def bigger(note: str) -> str:
    """The note with its tree size one larger (the signature then no longer matches)."""
    origin, size, rest = note.split("\n", 2)
    return f"{origin}\n{int(size) + 1}\n{rest}"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda f: f.update(checkpoint=bigger(f["checkpoint"])),
            "checkpoint:",
        ),
        (
            lambda f: f["entries"][0].update(
                body=f["entries"][0]["body"].replace('"value":2', '"value":3')
            ),
            "entries[0]",
        ),
        (lambda f: f["entries"].pop(), "whose approval is not in the file"),
        (lambda f: f.update(law="law:xx"), "this deployment's law is"),
        (
            lambda f: f["documents"].update({next(iter(f["documents"])): "AAAA"}),
            "does not have that hash",
        ),
    ],
    ids=["checkpoint", "entry", "approval-left-out", "other-law", "document"],
)
def test_an_altered_file_is_refused_in_one_line_and_records_nothing(
    tmp_path: Path, folder: Path, change: Any, message: str
) -> None:
    approved_and_signed(folder / "test")
    assert cli(folder / "test", "law", "amend", "export", "-o", str(tmp_path / "law.json"))[0] == 0
    carried = json.loads((tmp_path / "law.json").read_text())
    change(carried)
    (tmp_path / "law.json").write_text(json.dumps(carried))
    trust = folder / "test" / "keys" / "ledger.pub"
    code, out = cli(
        folder / "prod", "law", "amend", "import", str(tmp_path / "law.json"), "--trust", str(trust)
    )
    assert code == 2
    assert message in out.replace("\n", " ")
    assert len(out.strip().splitlines()) == 1 or "Error" not in out
    assert not (folder / "prod" / "adaldyq.sqlite3").exists()
