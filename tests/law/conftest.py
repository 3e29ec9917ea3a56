"""Fixtures for the engine's tests: the real kz law pack, and a small case builder."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from adaldyq.core.person import Person, Sentence
from adaldyq.law import LawPack, Result, evaluate


@pytest.fixture(scope="session")
def kz_law() -> LawPack:
    """The shipped law pack."""
    return LawPack.load()


def person(
    institution: str = "medium",
    *,
    start: date = date(2022, 1, 10),
    years: int = 8,
    months: int = 0,
    days: int = 0,
    life: bool = False,
    gravity: str | None = None,
    sex: str = "male",
    born: date = date(1985, 4, 2),
    corruption: bool | None = None,
    damage_compensated: bool | None = None,
    procedural_agreement: bool | None = None,
) -> Person:
    """A person with a sentence; defaults as the shared cases use them."""
    sentence = Sentence(start, life=True) if life else Sentence(start, years, months, days)
    return Person(
        sex,
        born,
        institution,
        sentence,
        gravity,
        corruption,
        damage_compensated,
        procedural_agreement,
    )


def ev(on: str, type_: str, **fields: Any) -> dict[str, Any]:
    """A fact in the case format."""
    return {"on": on, "type": type_, **fields}


def case(**over: Any) -> dict[str, Any]:
    """A case file's case: a man born 1985-04-02 on an 8-year term in a medium-security institution
    from 2022-01-10, arrived 2022-02-01, as of 2023-01-01; `over` replaces its top-level keys."""
    return {
        "id": "c1",
        "as_of": "2023-01-01",
        "person": {
            "sex": "male",
            "born": "1985-04-02",
            "institution": "medium",
            "sentence": {"start": "2022-01-10", "years": 8},
        },
        "events": [ev("2022-02-01", "arrived")],
        **over,
    }


def run(law: LawPack, p: Person, events: list[dict[str, Any]], on: date) -> Result:
    """Evaluate and return the result."""
    return evaluate(p, events, on=on, law=law)
