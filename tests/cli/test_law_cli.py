"""`adaldyq law ...` as a person runs it: real files in, text or JSON out, one-line errors."""

import json
import subprocess
import sys
from pathlib import Path

import orjson
from typer.testing import CliRunner

from adaldyq.cli.__main__ import app

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "cases"
runner = CliRunner()


def test_law_check_ends_with_the_passed_and_failed_line() -> None:
    result = runner.invoke(app, ["law", "check", *map(str, sorted(SHARED.glob("*.json")))])

    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "11 passed, 0 failed"


def test_law_check_shows_every_difference_and_exits_1(tmp_path: Path) -> None:
    case = json.loads((SHARED / "degree2-due.json").read_text())
    case["expect"]["qualifies_for_degree"] = 3
    case["expect"]["condition"] = "light"
    bad = tmp_path / "wrong.json"
    bad.write_text(json.dumps(case))

    result = runner.invoke(app, ["law", "check", str(bad), str(SHARED / "release-plain.json")])

    assert result.exit_code == 1
    assert "qualifies_for_degree: expected 3, got 2" in result.output
    assert 'condition: expected "light", got "regular"' in result.output
    assert result.output.strip().splitlines()[-1] == "1 passed, 1 failed"


def test_law_evaluate_prints_the_full_result_as_json() -> None:
    result = runner.invoke(app, ["law", "evaluate", str(SHARED / "medium-light-due.json")])

    out = json.loads(result.output)
    assert out["may_move_to"] == ["light"]
    assert out["law_pack"]["hash"].startswith("sha256:")
    assert any(f["id"] == "transfer.regular.light" for f in out["findings"])


def test_law_evaluate_jsonl_writes_one_result_a_line_in_input_order(tmp_path: Path) -> None:
    paths = sorted(SHARED.glob("*.json"))
    src = tmp_path / "cases.jsonl"
    src.write_bytes(b"\n".join(orjson.dumps(orjson.loads(p.read_bytes())) for p in paths) + b"\n")
    out = tmp_path / "results.jsonl"

    result = runner.invoke(app, ["law", "evaluate", "--jsonl", str(src), "--output", str(out)])

    assert result.exit_code == 0, result.output
    ids = [orjson.loads(line)["id"] for line in out.read_bytes().splitlines()]
    assert ids == [orjson.loads(p.read_bytes())["id"] for p in paths]


def test_with_keep_going_a_bad_line_in_jsonl_is_reported_in_its_place_and_the_rest_evaluated(
    tmp_path: Path,
) -> None:
    good = orjson.dumps(orjson.loads((SHARED / "release-plain.json").read_bytes()))
    src = tmp_path / "cases.jsonl"
    src.write_bytes(good + b"\n{not json\n" + good + b"\n")
    out = tmp_path / "results.jsonl"

    result = runner.invoke(
        app, ["law", "evaluate", "--jsonl", str(src), "-o", str(out), "--keep-going"]
    )

    lines = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert result.exit_code == 2
    assert [("error" in line) for line in lines] == [False, True, False]
    assert lines[1]["line"] == 2


def test_law_explain_speaks_kazakh_russian_and_english() -> None:
    path = str(SHARED / "medium-light-due.json")

    en = runner.invoke(app, ["law", "explain", path, "--on", "2022-06-01"]).output
    ru = runner.invoke(app, ["law", "explain", path, "--lang", "ru"]).output
    kk = runner.invoke(app, ["law", "explain", path, "--lang", "kk"]).output

    assert (
        "Transfer to light conditions possible from 1 Aug 2022; not yet met: 6 months in regular conditions"
        in " ".join(en.split())
    )
    assert "PEC art. 103; S, secondary source" in en
    assert "[the project's rule; P, project's interpretation]" in en
    assert "Перевод в облегчённые условия возможен сейчас" in ru
    assert "Жеңілдетілген жағдайға ауыстыру қазір мүмкін" in kk
    assert "[ст. 103 УИК РК; S," in ru
    assert "PEC art." not in ru
    assert "[ҚР ҚАК 103-бабы; S," in kk
    assert "PEC art." not in kk


def test_a_missing_file_is_one_line_and_exit_2() -> None:
    result = runner.invoke(app, ["law", "evaluate", "/nonexistent/case.json"])

    assert result.exit_code == 2
    assert "no such file" in result.output
    assert "Traceback" not in result.output


def test_a_bad_case_names_the_field_in_one_line(tmp_path: Path) -> None:
    case = json.loads((SHARED / "release-plain.json").read_text())
    case["events"][0]["type"] = "bribe"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(case))

    result = runner.invoke(app, ["law", "evaluate", str(bad)])

    assert result.exit_code == 2
    assert "case 'release-plain' field 'events[0].type': unknown event type 'bribe'" in " ".join(
        result.output.split()
    )


def test_an_unknown_language_is_refused() -> None:
    result = runner.invoke(
        app, ["law", "explain", str(SHARED / "release-plain.json"), "--lang", "de"]
    )

    assert result.exit_code == 2
    assert "--lang must be one of kk, ru, en" in result.output


def _large_batch(tmp_path: Path, people: int) -> Path:
    """A JSONL batch of the cases of `people` synthetic people, as the benchmark makes them."""
    from adaldyq.demo.synth import BENCHMARK_DENSITY, generate, write_cases_jsonl

    population = generate(people, density=BENCHMARK_DENSITY, with_extras=False)
    src = tmp_path / "cases.jsonl"
    write_cases_jsonl(src, population.people, population.as_of)
    return src


def test_a_large_batch_in_two_processes_gives_the_same_lines_in_the_same_order(
    tmp_path: Path,
) -> None:
    src = _large_batch(tmp_path, 1200)
    assert src.stat().st_size > 4 * 1024 * 1024  # large enough for the parallel path
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"

    a = runner.invoke(
        app, ["law", "evaluate", "--jsonl", str(src), "-o", str(one), "--workers", "1"]
    )
    b = runner.invoke(
        app, ["law", "evaluate", "--jsonl", str(src), "-o", str(two), "--workers", "2"]
    )

    # to a stream that is not a file (copied in Python, not by sendfile)
    c = runner.invoke(app, ["law", "evaluate", "--jsonl", str(src), "--workers", "2"])

    assert (a.exit_code, b.exit_code, c.exit_code) == (0, 0, 0), a.output + b.output
    assert one.read_bytes() == two.read_bytes() == c.stdout_bytes
    assert len(two.read_bytes().splitlines()) == 1200


def test_a_bad_line_in_a_later_piece_of_a_large_batch_is_named_by_its_number(
    tmp_path: Path,
) -> None:
    src = _large_batch(tmp_path, 1500)
    lines = src.read_bytes().splitlines()
    lines[1399] = b'{"id": "broken", "as_of": "2025-13-01"'  # line 1400, past the first 4 MB
    src.write_bytes(b"\n".join(lines) + b"\n")
    out = tmp_path / "out.jsonl"

    stopped = runner.invoke(
        app, ["law", "evaluate", "--jsonl", str(src), "-o", str(out), "--workers", "2"]
    )
    assert stopped.exit_code == 2
    assert "line 1400: not valid JSON" in " ".join(stopped.output.split())
    assert not out.exists()

    result = runner.invoke(
        app,
        ["law", "evaluate", "--jsonl", str(src), "-o", str(out), "--workers", "2", "--keep-going"],
    )

    assert result.exit_code == 2
    rows = out.read_bytes().splitlines()
    assert len(rows) == 1500
    assert b"line 1400" in rows[1399]
    assert b'"error"' not in rows[1398]


def test_the_console_script_loads_only_the_area_it_is_given() -> None:
    """`adaldyq law ...` runs without importing the ledger, the web application or the demo."""
    probe = (
        "import sys; from adaldyq.cli.__main__ import main; sys.argv = ['adaldyq', 'law', 'check', "
        f"{str(SHARED / 'degree1-on-the-day.json')!r}]\n"
        "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
        "heavy = sorted(m for m in sys.modules if m.startswith(('adaldyq.ledger', 'adaldyq.web', "
        "'adaldyq.demo', 'adaldyq.placement', 'adaldyq.oversight', 'django')))\n"
        "print('CODE', code, 'HEAVY', heavy)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert "1 passed, 0 failed" in done.stdout
    assert done.stdout.strip().endswith("CODE 0 HEAVY []"), done.stdout


def test_the_whole_command_tree_is_built_for_help_and_unknown_areas() -> None:
    from adaldyq.cli.__main__ import AREAS, _area, build

    assert _area(["law", "check"]) == "law"
    assert _area(["--help"]) is None
    assert _area(["nonsense"]) is None
    assert _area(["demo"]) is None
    names = {g.name for g in build().registered_groups}
    assert names == set(AREAS)
    assert {g.name for g in build("law").registered_groups} == {"law"}


def test_a_batch_keeps_its_heap_on_glibc() -> None:
    import os

    from adaldyq.cli.law_batch import keep_heap

    on_glibc = (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")
    assert keep_heap() is on_glibc
