"""The flags against the abuses the generator plants, on a small generated population (SQLite)."""

from __future__ import annotations

from typing import Any

import pytest

from adaldyq.demo.synth import generate
from adaldyq.law import LawPack
from adaldyq.ledger import Ledger
from adaldyq.oversight import (
    ClassScore,
    Flag,
    KindScore,
    build_register,
    read_planted,
    score,
    score_classes,
)
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
def flagged(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Flag], list[dict[str, Any]]]:
    """Every flag of the register of a generated population, and what the generator planted."""
    folder = tmp_path_factory.mktemp("population")
    population = generate(PEOPLE)
    url = f"sqlite:///{folder / 'ledger.sqlite3'}"
    with Ledger.open(url) as ledger:
        load_people(ledger, population.people, folder / "planted.jsonl", as_of=population.as_of)
        law = LawPack.load(overlay="demo")  # the figures the generator plans its visits with
        with ledger.reading() as cursor:
            reg = build_register(cursor, law=law, register=register_of(population))
    flags = reg.flags()
    reg.close()
    return flags, read_planted(folder / "planted.jsonl")


@pytest.fixture(scope="module")
def scores(flagged: tuple[list[Flag], list[dict[str, Any]]]) -> dict[str, KindScore]:
    return {s.kind: s for s in score(*flagged)}


@pytest.fixture(scope="module")
def classes(flagged: tuple[list[Flag], list[dict[str, Any]]]) -> dict[str, ClassScore]:
    return {c.flag_class: c for c in score_classes(*flagged)}


PLANTED_KINDS = [
    "decision_without_grounds",
    "visits_above_entitlement",
    "delayed_award",
    "grounds_ignored",
    "visit_under_other_prisoner",
    "visit_unapproved_visitor",
    "late_entry_changed_outcome",
    "withdrawal_changed_outcome",
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


@pytest.mark.slow
def test_every_planted_loophole_and_abuse_is_a_finding_and_every_finding_was_planted(
    classes: dict[str, ClassScore],
) -> None:
    findings = classes["finding"]

    assert findings.planted > 75, findings.to_dict()  # late entries, withdrawals, corrections too
    assert findings.recall == 1.0, findings.to_dict()
    assert findings.precision is not None
    assert findings.precision >= 0.95, findings.to_dict()


@pytest.mark.slow
def test_the_planted_officers_are_found_as_patterns(classes: dict[str, ClassScore]) -> None:
    patterns = classes["pattern"]

    # the officer whose penalties fall before qualifications, the one who withdraws penalties
    assert (patterns.planted, patterns.found) == (2, 2), patterns.to_dict()
    assert patterns.precision == 1.0, patterns.to_dict()
