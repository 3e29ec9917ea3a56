"""Writes of the court's part (issue 19): each one a fact of the personal file, recorded through the
file's one service (`records.services.fact_record`: the file folded, checked, the entry appended and
projected in one durable transaction, ADR 0014)."""

from __future__ import annotations

from datetime import date
from typing import Any

from adaldyq.web.records import services as records
from adaldyq.web.records.models import Fact, Person


def submission_record(
    *, officer: Any, person: Person, ground: str, on: date, court: str = ""
) -> Fact:
    """The administration's submission to the court for parole or substitution."""
    fact: dict[str, Any] = {"type": "court_submitted", "on": on.isoformat(), "ground": ground}
    if court.strip():
        fact["court"] = court.strip()
    return records.fact_record(officer=officer, person=person, fact=fact)


def court_decision_record(*, officer: Any, person: Person, fact: dict[str, Any]) -> Fact:
    """The court's decision (`court_decided`): granted, or refused with the court's reason."""
    return records.fact_record(officer=officer, person=person, fact=fact)


def release_record(*, officer: Any, person: Person, fact: dict[str, Any]) -> Fact:
    """The release (`released`): it ends the placement, so the person leaves the institution's
    population and lists; on parole or substitution the probation service of the region it names
    reads the file from then on (ADR 0045)."""
    return records.fact_record(officer=officer, person=person, fact=fact)
