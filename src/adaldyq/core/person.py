"""A person and their sentence, as the case format gives them (shared/cases/README.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from adaldyq.core.dates import term_end

SEXES = ("male", "female")
GRAVITIES = ("minor", "medium", "grave", "especially_grave")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A term of imprisonment: its first day and length, or life."""

    start: date
    years: int = 0
    months: int = 0
    days: int = 0
    life: bool = False
    #: The last day of the term (LAW.md §0); None for life imprisonment. Computed.
    release_on: date | None = field(init=False, default=None)
    #: Days from the start to `release_on` inclusive; None for life. Computed.
    term_days: int | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if not self.life:
            end = term_end(self.start, years=self.years, months=self.months, days=self.days)
            object.__setattr__(self, "release_on", end)
            object.__setattr__(self, "term_days", (end - self.start).days + 1)


@dataclass(frozen=True, slots=True)
class Person:
    """What the law needs to know about a person besides the dated facts."""

    sex: str
    born: date
    institution: str
    sentence: Sentence
    gravity: str | None = None
