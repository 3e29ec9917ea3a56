"""A person and their sentence, as the case format gives them (shared/cases/README.md).

Both are dataclasses with a written `__init__`, so that the compiled engine builds them natively (ADR
0013); they are not frozen for the same reason. Treat them as immutable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from adaldyq.core.dates import term_end

SEXES: Final = ("male", "female")
GRAVITIES: Final = ("minor", "medium", "grave", "especially_grave")


@dataclass(slots=True, init=False)
class Sentence:
    """A term of imprisonment: its first day and length, or life."""

    start: date
    years: int
    months: int
    days: int
    life: bool
    #: The last day of the term (LAW.md §0); None for life imprisonment. Computed.
    release_on: date | None
    #: Days from the start to `release_on` inclusive; None for life. Computed.
    term_days: int | None

    def __init__(
        self, start: date, years: int = 0, months: int = 0, days: int = 0, life: bool = False
    ) -> None:
        self.start = start
        self.years = years
        self.months = months
        self.days = days
        self.life = life
        if life:
            self.release_on = None
            self.term_days = None
        else:
            end = term_end(start, years=years, months=months, days=days)
            self.release_on = end
            self.term_days = (end - start).days + 1


@dataclass(slots=True, init=False)
class Person:
    """What the law needs to know about a person besides the dated facts."""

    sex: str
    born: date
    institution: str
    sentence: Sentence
    gravity: str | None
    #: Facts of the sentence the parole rules need (LAW.md §6); None when the file does not say:
    #: a corruption crime, the damage fully compensated, a procedural agreement (life: 15 years).
    corruption: bool | None
    damage_compensated: bool | None
    procedural_agreement: bool | None

    def __init__(
        self,
        sex: str,
        born: date,
        institution: str,
        sentence: Sentence,
        gravity: str | None = None,
        corruption: bool | None = None,
        damage_compensated: bool | None = None,
        procedural_agreement: bool | None = None,
    ) -> None:
        self.sex = sex
        self.born = born
        self.institution = institution
        self.sentence = sentence
        self.gravity = gravity
        self.corruption = corruption
        self.damage_compensated = damage_compensated
        self.procedural_agreement = procedural_agreement
