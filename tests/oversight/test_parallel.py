"""The register read and reviewed in worker processes gives the same flags as in one process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from adaldyq.demo.synth import generate
from adaldyq.law import LawPack
from adaldyq.ledger import Actor, Draft, Ledger
from adaldyq.oversight import build_register
from tests.oversight.population import load_people, register_of

PEOPLE = 400
HEAD = Actor("UK-1/O01", "role:head@UK-1")


def _corrections(ledger: Ledger) -> list[Draft]:
    """A withdrawn award, a moved visit and work hours moved past every other fact."""
    with ledger.reading() as cursor:
        found: dict[str, Any] = {}
        for kind in ("degree_awarded", "visit", "work_hours"):
            cursor.execute(
                "SELECT seq, subject, body FROM ledger_entries WHERE type = %s ORDER BY seq LIMIT 1"
                if ledger.dialect == "postgresql"
                else "SELECT seq, subject, body FROM ledger_entries WHERE type = ? ORDER BY seq LIMIT 1",
                [kind],
            )
            found[kind] = cursor.fetchone()
    drafts = []
    seq, subject, _ = found["degree_awarded"]
    drafts.append(
        Draft(HEAD, subject, "fact_voided", {"on": "2024-01-01"}, corrects=seq, reason="error")
    )
    seq, subject, _ = found["visit"]
    drafts.append(
        Draft(HEAD, subject, "visit", {"on": "2023-03-01", "kind": "long", "visitor": "X/V9"},
              corrects=seq, reason="date")
    )  # fmt: skip
    if found["work_hours"] is not None:
        seq, subject, _ = found["work_hours"]
        drafts.append(
            Draft(HEAD, subject, "work_hours", {"on": "2031-01-01", "hours": 4}, corrects=seq,
                  reason="date")
        )  # fmt: skip
    return drafts


def _outcome(
    ledger_url: str, law: LawPack, register: dict[str, str], **kwargs: Any
) -> dict[str, Any]:
    with Ledger.open(ledger_url, create=False) as ledger, ledger.reading() as cursor:
        reg = build_register(cursor, law=law, register=register, **kwargs)
    try:
        return {
            "on": reg.on,
            "flags": [f.to_dict() for f in reg.flags()],
            "counts": reg.counts(),
            "delays": reg.delays(),
            "waiting": reg.longest_waiting(50),
            "not_determinable": reg.not_determinable(),
        }
    finally:
        reg.close()


@pytest.mark.slow
def test_workers_give_the_same_register_as_one_process(
    ledger_url: str, demo_law: LawPack, tmp_path: Path
) -> None:
    population = generate(PEOPLE)
    with Ledger.open(ledger_url) as ledger:
        load_people(ledger, population.people, tmp_path / "planted.jsonl", as_of=population.as_of)
        ledger.append_many(_corrections(ledger))
    register = register_of(population)

    serial = _outcome(ledger_url, demo_law, register, workers=1)
    by_range = _outcome(ledger_url, demo_law, register, workers=3, url=ledger_url)
    by_files = _outcome(ledger_url, demo_law, register, workers=2)

    assert serial["flags"], "the population should give flags"
    assert serial["counts"]["people"] == PEOPLE
    assert by_range == serial
    assert by_files == serial
