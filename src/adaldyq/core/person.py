"""A person and their sentence, as the case format gives them (shared/cases/README.md)."""

from __future__ import annotations

from dataclasses import dataclass
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

    @property
    def release_on(self) -> date | None:
        """The last day of the term (LAW.md §0); None for life imprisonment."""
        if self.life:
            return None
        return term_end(self.start, years=self.years, months=self.months, days=self.days)

    @property
    def term_days(self) -> int | None:
        """Days from the start to `release_on` inclusive; None for life."""
        end = self.release_on
        return None if end is None else (end - self.start).days + 1


@dataclass(frozen=True, slots=True)
class Person:
    """What the law needs to know about a person besides the dated facts."""

    sex: str
    born: date
    institution: str
    sentence: Sentence
    gravity: str | None = None
