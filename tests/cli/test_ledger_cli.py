"""`adaldyq ledger ...` as an officer and an oversight body run it: one-line errors, exit codes."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from adaldyq.cli.ledger import app

runner = CliRunner()


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("ADALDYQ_DATA_DIR", str(tmp_path / "data"))
    assert run("key-create")[0] == 0  # as a deployment does once (nothing else makes a key)
    return tmp_path / "data"


def run(*args: str) -> tuple[int, str]:
    """Exit code and stdout (or stderr when the command failed)."""
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout if result.exit_code == 0 else result.output


def test_append_prints_the_sequence_number_and_show_lists_the_entry(data: Path) -> None:
    assert run(
        "append", "--subject", "P-1", "--type", "incentive", "--payload", '{"for":"work"}'
    ) == (0, "0\n")
    code, out = run(
        "append",
        "--subject",
        "P-1",
        "--type",
        "penalty",
        "--payload",
        "{}",
        "--actor",
        "officer-9",
        "--format",
        "json",
    )

    assert code == 0
    assert orjson.loads(out)["actor"]["id"] == "officer-9"
    code, out = run("show", "--subject", "P-1", "--format", "jsonl")
    assert [orjson.loads(line)["seq"] for line in out.splitlines()] == [0, 1]


def test_a_payload_that_is_not_json_is_one_line_and_exit_2(data: Path) -> None:
    code, out = run("append", "--subject", "P-1", "--type", "incentive", "--payload", "{oops")

    assert code == 2
    assert out.startswith("error: --payload is not JSON")
    assert "Traceback" not in out


def test_import_checkpoint_prove_export_and_verify_the_bundle(data: Path, tmp_path: Path) -> None:
    lines = tmp_path / "facts.jsonl"
    lines.write_text(
        "".join(
            orjson.dumps(
                {"subject": f"P-{i % 5}", "type": "work_hours", "payload": {"hours": i}}
            ).decode()
            + "\n"
            for i in range(50)
        )
    )

    assert run("import", str(lines), "--batch", "7")[1] == "imported 50 entries (0..49)\n"
    code, note = run("checkpoint")
    assert code == 0
    assert note.splitlines()[1] == "50"
    inclusion = orjson.loads(run("prove", "17")[1])
    consistency = orjson.loads(run("prove", "--from", "20")[1])
    assert (inclusion["tree_size"], len(inclusion["inclusion_path"])) == (50, 6)
    assert consistency["old_size"] == 20
    assert run("verify")[0] == 0
    assert run("export", str(tmp_path / "bundle"), "--layout", "bundle")[0] == 0
    code, out = run("verify", "--bundle", str(tmp_path / "bundle"), "--format", "json")
    assert (code, orjson.loads(out)["checkpoints_checked"]) == (0, 1)
    assert run("export", str(tmp_path / "tiles"))[0] == 0  # C2SP tlog-tiles, the default
    assert (tmp_path / "tiles" / "tile" / "entries" / "000.p" / "50").exists()
    code, out = run("verify", "--bundle", str(tmp_path / "tiles"), "--format", "json")
    assert (code, orjson.loads(out)["size"], orjson.loads(out)["layout"]) == (0, 50, "tiles")


def test_import_names_the_bad_line(data: Path, tmp_path: Path) -> None:
    lines = tmp_path / "facts.jsonl"
    lines.write_text(
        '{"subject":"P-1","type":"x","payload":{}}\n{"subject":"","type":"x","payload":{}}\n'
    )

    code, out = run("import", str(lines))

    assert code == 2
    assert f"{lines}:2: subject must be a non-empty string" in out


def test_verify_exits_1_and_names_the_entry_of_a_changed_byte(data: Path) -> None:
    for i in range(10):
        run("append", "--subject", "P-1", "--type", "visit", "--payload", f'{{"i":{i}}}')
    run("checkpoint")
    db = sqlite3.connect(data / "adaldyq.sqlite3")
    db.execute("DROP TRIGGER ledger_entries_no_update")
    db.execute(
        "UPDATE ledger_entries SET body = CAST(replace(CAST(body AS TEXT), '\"i\":6', '\"i\":7') AS BLOB) WHERE seq = 6"
    )
    db.commit()
    db.close()

    code, out = run("verify", "--format", "json")

    assert code == 1
    assert orjson.loads(out)["first_bad_seq"] == 6
    kept = orjson.loads((data / "verify" / "last.json").read_bytes())  # the health panel's record
    assert (kept["ok"], kept["first_bad_seq"]) == (False, 6)


def test_a_full_verification_keeps_its_result_for_the_health_panel(data: Path) -> None:
    for i in range(3):
        run("append", "--subject", "P-1", "--type", "visit", "--payload", f'{{"i":{i}}}')
    run("checkpoint")

    assert run("verify")[0] == 0

    kept = orjson.loads((data / "verify" / "last.json").read_bytes())
    assert (kept["ok"], kept["size"], kept["checkpoints_checked"]) == (True, 3, 1)
    assert kept["at"].endswith("+00:00")


def test_a_changed_bundle_line_is_caught_offline(data: Path, tmp_path: Path) -> None:
    for i in range(5):
        run("append", "--subject", "P-1", "--type", "visit", "--payload", f'{{"i":{i}}}')
    run("checkpoint")
    run("export", str(tmp_path / "b"), "--layout", "bundle")
    entries = tmp_path / "b" / "entries.jsonl"
    lines = entries.read_bytes().splitlines(keepends=True)
    entries.write_bytes(b"".join([*lines[:2], lines[3], lines[2], *lines[4:]]))

    code, out = run("verify", "--bundle", str(tmp_path / "b"))

    assert code == 1
    assert "first bad entry: 2" in out


def test_a_changed_entry_in_an_exported_tiles_folder_is_caught_offline(
    data: Path, tmp_path: Path
) -> None:
    for i in range(5):
        run("append", "--subject", "P-1", "--type", "visit", "--payload", f'{{"i":{i}}}')
    run("checkpoint")
    run("export", str(tmp_path / "t"))
    bundle = tmp_path / "t" / "tile" / "entries" / "000.p" / "5"
    bundle.write_bytes(bundle.read_bytes().replace(b'"i":3', b'"i":8'))

    code, out = run("verify", "--bundle", str(tmp_path / "t"))

    assert code == 1
    assert "entry 3 does not hash to tile/0/000.p/5" in out


def test_the_witness_cosigns_then_alarms_on_a_rewritten_log(data: Path, tmp_path: Path) -> None:
    for i in range(6):
        run("append", "--subject", "P-1", "--type", "visit", "--payload", f'{{"i":{i}}}')
    run("checkpoint")
    run("export", str(tmp_path / "b1"), "--layout", "bundle")
    code, out = run("witness", "--state", str(tmp_path / "w"), "--bundle", str(tmp_path / "b1"))
    assert code == 0
    assert "— witness.adaldyq " in out
    run("rotate-key")
    code, out = run("witness", "--state", str(tmp_path / "w"), "--format", "json")
    assert (code, orjson.loads(out)["new_size"]) == (0, 7)
    bundle = tmp_path / "b1" / "entries.jsonl"
    bundle.write_bytes(bundle.read_bytes().replace(b'"i":4', b'"i":9'))

    code, out = run(
        "witness",
        "--state",
        str(tmp_path / "w"),
        "--bundle",
        str(tmp_path / "b1"),
        "--format",
        "json",
    )

    assert code == 1
    assert orjson.loads(out)["first_bad_seq"] == 4


def test_prove_needs_exactly_one_of_seq_and_from(data: Path) -> None:
    code, out = run("prove")

    assert code == 2
    assert out.startswith("error: give either SEQ")


def _checkpoint_sizes(data: Path) -> list[int]:
    db = sqlite3.connect(data / "adaldyq.sqlite3")
    try:
        return [size for (size,) in db.execute("SELECT size FROM ledger_checkpoints ORDER BY size")]
    finally:
        db.close()


def _said_until(proc: subprocess.Popen[str], line: str, deadline: float) -> str:
    """What `proc` printed until it printed `line`, stopped or `deadline` came (time.monotonic()).

    A signer writes the checkpoint, then says so: a test that stops it once the file is there must
    wait for its line too."""
    import os
    import select
    import time

    said = ""
    assert proc.stdout is not None
    while line not in said and time.monotonic() < deadline:
        if select.select([proc.stdout], [], [], 0.5)[0]:
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:  # it has stopped
                break
            said += chunk.decode()
    return said


def _stopped(proc: subprocess.Popen[str]) -> str:
    """Stop `proc` and return what it printed since it was last read."""
    proc.terminate()
    out, _ = proc.communicate(timeout=20)
    return str(out or "")


def test_sign_signs_only_when_the_tree_grew(data: Path) -> None:
    for i in range(3):
        run("append", "--subject", "P-1", "--type", "visit", "--payload", f'{{"i":{i}}}')

    assert run("sign") == (0, "signed the tree of 3 entries\n")
    assert run("sign") == (0, "")  # nothing new: no second signature of the same tree
    run("append", "--subject", "P-1", "--type", "visit", "--payload", "{}")
    code, out = run("sign", "--format", "json")

    assert (code, orjson.loads(out)["size"]) == (0, 4)
    assert _checkpoint_sizes(data) == [3, 4]


def test_sign_on_a_folder_without_a_ledger_is_one_line_and_exit_2(data: Path) -> None:
    code, out = run("sign")

    assert code == 2
    assert out.startswith("error: no adaldyq data in")


def test_sign_every_keeps_signing_as_the_tree_grows_until_stopped(data: Path) -> None:
    import os
    import subprocess
    import sys
    import time

    run("append", "--subject", "P-1", "--type", "visit", "--payload", "{}")
    said = ""
    signer = subprocess.Popen(
        [sys.executable, "-m", "adaldyq.cli", "ledger", "sign", "--every", "0.2"],
        env={**os.environ, "ADALDYQ_DATA_DIR": str(data)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        seen: list[int] = []
        deadline = time.monotonic() + 60
        for i in range(2):  # the signer covers each new entry within a round or two
            run("append", "--subject", "P-1", "--type", "visit", "--payload", f'{{"i":{i}}}')
            while (not seen or seen[-1] < 2 + i) and time.monotonic() < deadline:
                time.sleep(0.1)
                seen = _checkpoint_sizes(data)
        assert seen[-1] == 3
        said = _said_until(signer, "signed the tree of 3 entries", deadline)
    finally:
        rest = _stopped(signer)
    assert "signed the tree of 3 entries" in said + rest


def test_a_witness_served_apart_cosigns_what_the_signer_sends_it(
    data: Path, tmp_path: Path
) -> None:
    import os
    import subprocess
    import sys

    from adaldyq.ledger.checkpoint import Verifier
    from adaldyq.ledger.keys import load_verifiers
    from adaldyq.ledger.witness_protocol import http_cosigners

    log_key = load_verifiers(data)[0].encode()
    server = subprocess.Popen(
        [sys.executable, "-m", "adaldyq.cli", "ledger", "witness-serve", "--state",
         str(tmp_path / "w"), "--log-key", log_key, "--port", "0"],
        env={**os.environ}, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        first = server.stdout.readline().split()
        witness_key, url = Verifier.decode(first[1]), first[3]
        for i in range(4):
            run("append", "--subject", "P-1", "--type", "visit", "--payload", f'{{"i":{i}}}')
        assert run("sign", "--witness", url)[0] == 0
        run("append", "--subject", "P-1", "--type", "visit", "--payload", "{}")
        assert run("sign", "--witness", url)[0] == 0

        assert http_cosigners(data / "cosigned", [witness_key], 5) == [witness_key.name]
        assert http_cosigners(data / "cosigned", [witness_key], 6) == []
        assert sorted(p.name for p in (data / "cosigned").glob("*.note")) == ["4.note", "5.note"]
    finally:
        server.terminate()
        server.communicate(timeout=20)  # closes the pipe too


def test_sign_every_beside_a_server_waits_for_the_key_and_says_so_until_it_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import subprocess
    import sys
    import time

    monkeypatch.delenv("DATABASE_URL", raising=False)
    told = ""
    folder = tmp_path / "fresh"
    monkeypatch.setenv("ADALDYQ_DATA_DIR", str(folder))
    run("append", "--subject", "P-1", "--type", "visit", "--payload", "{}")  # a ledger, no key
    assert run("sign")[0] == 2  # once: the missing key is one line and exit 2
    said = tmp_path / "signer.err"
    with said.open("w") as err_file:
        signer = subprocess.Popen(
            [sys.executable, "-m", "adaldyq.cli", "ledger", "sign", "--every", "0.2"],
            env={**os.environ, "ADALDYQ_DATA_DIR": str(folder)},
            stdout=subprocess.PIPE,
            stderr=err_file,
            text=True,
        )
    try:
        deadline = time.monotonic() + 60
        while "no signing key" not in said.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "no signing key" in said.read_text()  # said, round after round
        assert signer.poll() is None  # and still there, waiting
        assert run("key-create")[0] == 0
        deadline = time.monotonic() + 60
        while not _checkpoint_sizes(folder) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _checkpoint_sizes(folder) == [1]
        told = _said_until(signer, "signed the tree of 1 entries", deadline)
    finally:
        rest = _stopped(signer)
    assert "signed the tree of 1 entries" in told + rest


def test_migrate_tiles_converts_a_node_row_ledger_once_and_refuses_a_changed_one(
    data: Path,
) -> None:
    from adaldyq.ledger import Ledger
    from tests.ledger.test_tilestore import _as_node_rows

    lines = data.parent / "facts.jsonl"
    lines.write_text(
        "".join(
            f'{{"subject":"P-{n % 7}","type":"incentive","payload":{{"n":{n}}}}}\n'
            for n in range(300)
        )
    )
    assert run("import", str(lines))[0] == 0
    assert run("checkpoint")[0] == 0
    url = f"sqlite:///{data / 'adaldyq.sqlite3'}"
    with Ledger.open(url) as ledger:
        _as_node_rows(ledger)
    with sqlite3.connect(data / "adaldyq.sqlite3") as db:  # one entry's body changed under it
        body = db.execute("SELECT body FROM ledger_entries WHERE seq = 7").fetchone()[0]
        db.execute("DROP TRIGGER ledger_entries_no_update")
        db.execute(
            "UPDATE ledger_entries SET body = ? WHERE seq = 7", (body.replace(b'"n":7', b'"n":8'),)
        )
    code, out = run("migrate-tiles")
    assert code != 0
    assert out.strip() == "error: entry 7 does not hash to its stored leaf hash: nothing converted"
    with sqlite3.connect(data / "adaldyq.sqlite3") as db:
        db.execute("UPDATE ledger_entries SET body = ? WHERE seq = 7", (body,))
    code, out = run("migrate-tiles", "--format", "json")
    assert code == 0, out
    assert orjson.loads(out) | {"seconds": 0} == {
        "converted": True, "size": 300, "tiles": 1, "checkpoints_checked": 1,
        "root_hash": orjson.loads(run("verify", "--format", "json")[1])["root_hash"], "seconds": 0,
    }  # fmt: skip
    assert run("migrate-tiles") == (0, "the ledger keeps its tree as tiles already\n")
