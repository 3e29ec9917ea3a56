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


def run(law: LawPack, p: Person, events: list[dict[str, Any]], on: date) -> Result:
    """Evaluate and return the result."""
    return evaluate(p, events, on=on, law=law)
