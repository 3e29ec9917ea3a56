"""Every worked scenario of shared/cases passes (OpenFisca-style YAML scenarios, here JSON)."""

from pathlib import Path

import orjson
import pytest

from adaldyq.law import LawPack, differences, evaluate, parse_case

CASES = sorted((Path(__file__).resolve().parents[2].parent / "shared" / "cases").glob("*.json"))
#: The project's own cases, beside the shared ones (issue 17: one for each rule of the law as its text says).
OWN = sorted((Path(__file__).resolve().parent / "law").glob("*.json"))
LAW = LawPack.load()


def test_the_shared_cases_are_there() -> None:
    assert len(CASES) >= 11


def test_the_own_cases_are_there() -> None:
    assert len(OWN) >= 9


@pytest.mark.parametrize("path", CASES + OWN, ids=[p.stem for p in CASES + OWN])
def test_the_engine_gives_what_the_case_expects(path: Path) -> None:
    case = parse_case(orjson.loads(path.read_bytes()), default_id=path.stem)

    result = evaluate(case.person, case.events, on=case.as_of, law=LAW, case_id=case.id)

    assert differences(result, case.expect) == []
