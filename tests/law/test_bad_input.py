"""Bad input (issue 17): one clear line naming the case and the field, exit 2, nothing written.

Each input below once gave a traceback, was silently reordered or was accepted. They are tested as a
person meets them, through `adaldyq law evaluate` on a file, and again as lines of a `--jsonl` batch.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from adaldyq.cli.__main__ import app
from adaldyq.law.cases import MAX_CASE_BYTES
from tests.law.conftest import case, ev

runner = CliRunner()

BASE: dict[str, Any] = case(
    id="bad", events=[ev("2022-02-01", "arrived"), ev("2022-05-15", "incentive")]
)


def _set(path: str, value: Any) -> Any:
    """A change to BASE: the dotted path (list indexes as numbers) set to value."""

    def change(case: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = case
        for p in parents:
            node = node[int(p)] if isinstance(node, list) else node[p]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return change


def _drop(path: str) -> Any:
    def change(case: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = case
        for p in parents:
            node = node[int(p)] if isinstance(node, list) else node[p]
        del node[last]

    return change


def _events(*events: Any) -> Any:
    return _set("events", list(events))


BAD = [
    ("event-without-on", _drop("events.1.on"), "events[1].on", "missing"),
    ("event-a-string", _set("events.1", "penalty"), "events[1]", "must be an object"),
    ("event-null", _set("events.1", None), "events[1]", "must be an object"),
    (
        "years-1000000",
        _set("person.sentence.years", 1_000_000),
        "person.sentence.years",
        "more than any term",
    ),
    (
        "dates-out-of-order",
        _events({"on": "2022-05-15", "type": "incentive"}, {"on": "2022-02-01", "type": "arrived"}),
        "events[1].on",
        "facts must be in date order",
    ),
    ("as-of-before-start", _set("as_of", "2021-12-31"), "as_of", "before the sentence starts"),
    (
        "degree-before-the-sentence",
        _events({"on": "2019-03-01", "type": "degree_awarded", "degree": 1}),
        "events[0].on",
        "before the sentence starts",
    ),
    (
        "life-yes",
        _set("person.sentence", {"start": "2022-01-10", "life": "yes"}),
        "person.sentence.life",
        "true or false",
    ),
    (
        "life-and-years",
        _set("person.sentence", {"start": "2022-01-10", "life": True, "years": 8}),
        "person.sentence.years",
        "a life sentence has no 'years'",
    ),
    ("as-of-a-number", _set("as_of", 20250301), "as_of", "not an ISO date"),
    ("as-of-basic-format", _set("as_of", "20250301"), "as_of", "not an ISO date"),
    ("as-of-week-date", _set("as_of", "2023-W02-2"), "as_of", "not an ISO date"),
    ("institution-a-number", _set("person.institution", 5), "person.institution", "not 5"),
    (
        "born-in-the-future",
        _set("person.born", "2030-01-01"),
        "person.born",
        "after the date of evaluation",
    ),
]


def _bad_case(change: Any) -> dict[str, Any]:
    case = copy.deepcopy(BASE)
    change(case)
    return case


def _line(output: str) -> str:
    return " ".join(output.split())


@pytest.mark.parametrize(("name", "change", "field", "message"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_case_is_one_line_naming_the_case_and_the_field_exit_2_nothing_written(
    tmp_path: Path, name: str, change: Any, field: str, message: str
) -> None:
    path = tmp_path / f"{name}.json"
    path.write_bytes(orjson.dumps(_bad_case(change)))
    out = tmp_path / "result.json"

    result = runner.invoke(app, ["law", "evaluate", str(path), "-o", str(out)])

    assert result.exit_code == 2, result.output
    assert ("Traceback" not in result.output and result.exception is None) or isinstance(
        result.exception, SystemExit
    )
    text = _line(result.output)
    assert f"case 'bad' field '{field}'" in text
    assert message in text
    assert (
        len(result.output.strip().splitlines()) <= 2
    )  # one line, which a narrow terminal may wrap
    assert not out.exists()


def test_the_base_case_itself_is_good(tmp_path: Path) -> None:
    path = tmp_path / "good.json"
    path.write_bytes(orjson.dumps(BASE))

    assert runner.invoke(app, ["law", "evaluate", str(path)]).exit_code == 0


def _batch(tmp_path: Path) -> Path:
    lines = [orjson.dumps(BASE)]
    lines += [orjson.dumps(_bad_case(change)) for _, change, _, _ in BAD]
    lines.append(orjson.dumps(BASE))
    src = tmp_path / "cases.jsonl"
    src.write_bytes(b"\n".join(lines) + b"\n")
    return src


def test_a_batch_stops_at_the_first_bad_case_naming_its_line_and_writes_nothing(
    tmp_path: Path,
) -> None:
    out = tmp_path / "results.jsonl"

    result = runner.invoke(
        app, ["law", "evaluate", "--jsonl", str(_batch(tmp_path)), "-o", str(out)]
    )

    assert result.exit_code == 2
    assert "line 2: case 'bad' field 'events[1].on': missing" in _line(result.output)
    assert not out.exists()
    assert not list(tmp_path.glob(".adaldyq-evaluate-*"))


def test_keep_going_writes_each_bad_case_in_its_place_and_goes_on(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"

    result = runner.invoke(
        app, ["law", "evaluate", "--jsonl", str(_batch(tmp_path)), "-o", str(out), "--keep-going"]
    )

    assert result.exit_code == 2
    assert f"{len(BAD)} case(s) could not be evaluated" in _line(result.output)
    rows = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert len(rows) == len(BAD) + 2
    assert "error" not in rows[0]
    assert "error" not in rows[-1]
    for row, (_, _, field, message) in zip(rows[1:-1], BAD, strict=True):
        assert f"field '{field}'" in row["error"]
        assert message in row["error"]
    assert [row["line"] for row in rows[1:-1]] == list(range(2, len(BAD) + 2))


def test_a_case_larger_than_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = copy.deepcopy(BASE)
    big["events"] = [{"on": "2022-02-01", "type": "note", "text": "x" * 1000}] * (
        MAX_CASE_BYTES // 1000 + 1
    )
    path = tmp_path / "huge.json"
    path.write_bytes(orjson.dumps(big))
    src = tmp_path / "cases.jsonl"
    src.write_bytes(orjson.dumps(BASE) + b"\n" + orjson.dumps(big) + b"\n")
    out = tmp_path / "out.jsonl"

    one = runner.invoke(app, ["law", "evaluate", str(path)])
    batch = runner.invoke(
        app, ["law", "evaluate", "--jsonl", str(src), "-o", str(out), "--keep-going"]
    )

    assert one.exit_code == 2
    assert "case 'huge'" in _line(one.output)
    assert "a case may be at most" in _line(one.output)
    assert batch.exit_code == 2
    rows = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert rows[1]["line"] == 2
    assert "a case may be at most" in rows[1]["error"]


def test_check_reads_every_case_and_exits_2_when_one_is_bad(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_bytes(orjson.dumps(BASE))
    bad.write_bytes(orjson.dumps(_bad_case(_set("as_of", "2023-W02-2"))))

    result = runner.invoke(app, ["law", "check", str(bad), str(good)])

    assert result.exit_code == 2
    assert "case 'bad' field 'as_of'" in _line(result.output)
    assert result.output.strip().splitlines()[-1] == "1 passed, 1 failed"
