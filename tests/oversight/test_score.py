"""The flags against the abuses the generator plants, on a small generated population (SQLite)."""

from __future__ import annotations

import pytest

from adaldyq.demo.synth import generate
from adaldyq.law import LawPack
from adaldyq.ledger import Ledger
from adaldyq.oversight import KindScore, build_register, read_planted, score
from tests.oversight.population import load_people, register_of

PEOPLE = 3000

#: Kinds whose per-flag precision cannot reach the target whatever the detection does.
#: See docs/decisions/0008-oversight-flags.md.
DISAGREE = {
    "penalty_before_qualifying": "ordinary penalties fall in the 30 days before a qualification by "
    "chance about as often as planted ones: a single penalty cannot be told apart, so per-flag "
    "precision is low by construction; the signal is the rate per institution and officer "
    "against the base rate (rate_outlier), which the issue asks for",
}


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, KindScore]:
    folder = tmp_path_factory.mktemp("population")
    population = generate(PEOPLE)
    url = f"sqlite:///{folder / 'ledger.sqlite3'}"
    with Ledger.open(url) as ledger:
        load_people(ledger, population.people, folder / "planted.jsonl")
        law = LawPack.load(overlay="demo")  # the figures the generator plans its visits with
        with ledger.reading() as cursor:
            reg = build_register(cursor, law=law, register=register_of(population))
    found = score(reg.flags(), read_planted(folder / "planted.jsonl"))
    reg.close()
    return {s.kind: s for s in found}


PLANTED_KINDS = [
    "decision_without_grounds",
    "visits_above_entitlement",
    "delayed_award",
    "grounds_ignored",
    "visit_under_other_prisoner",
    "visit_unapproved_visitor",
    *(pytest.param(k, marks=pytest.mark.xfail(reason=r, strict=True)) for k, r in DISAGREE.items()),
]


@pytest.mark.slow
@pytest.mark.parametrize("kind", PLANTED_KINDS)
def test_planted_abuses_are_found_with_high_precision(
    scores: dict[str, KindScore], kind: str
) -> None:
    s = scores[kind]

    assert s.planted > 0
    assert s.recall is not None
    assert s.recall >= 0.95, s.to_dict()
    assert s.precision is not None
    assert s.precision >= 0.90, s.to_dict()


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["delayed_award", "grounds_ignored"])
def test_every_planted_delay_and_ignored_qualification_is_found(
    scores: dict[str, KindScore], kind: str
) -> None:
    assert scores[kind].recall == 1.0, scores[kind].to_dict()
