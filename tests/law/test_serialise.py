"""The engine's own JSON of a result is the JSON orjson makes of the dataclasses, byte for byte."""

import orjson
import pytest

from adaldyq.demo.synth import BENCHMARK_DENSITY, generate, person_as_case
from adaldyq.law import LawPack, evaluate, parse_case

LAW = LawPack.load()


@pytest.fixture(scope="module")
def results():
    population = generate(300, density=BENCHMARK_DENSITY, with_extras=False)
    out = []
    for obj in (person_as_case(p, population.as_of) for p in population.people):
        c = parse_case(obj)
        out.append(evaluate(c.person, c.events, on=c.as_of, law=LAW, case_id=c.id))
        out.append(evaluate(c.person, c.events, on=c.as_of, law=LAW, release=False))
    return out


def test_to_json_is_the_dataclasses_json(results) -> None:
    for r in results:
        assert r.to_json() == orjson.dumps(r)
        assert r.to_json(indent=True) == orjson.dumps(r, option=orjson.OPT_INDENT_2)


def test_to_dict_reads_back_the_json(results) -> None:
    r = results[0]

    d = r.to_dict()

    assert d["as_of"] == r.as_of.isoformat()
    assert [f["id"] for f in d["findings"]] == [f.id for f in r.findings]
