"""Art. 96 (LAW.md §5): no change to minimum security for a corruption crime whose damage is not
compensated; the damage read as the engine reads it for parole (the payments against the award,
ADR 0040), and 'not determinable' when the file does not say (issue 19)."""

from __future__ import annotations

from typing import Any

import pytest

from adaldyq.web.records import services as records
from adaldyq.web.records.models import Person
from adaldyq.web.transfers import selectors
from tests.web.transfers.conftest import TODAY

pytestmark = pytest.mark.django_db


def _not_excluded(person: Any) -> tuple[bool | None, list[str], list[str]]:
    people = list(Person.objects.select_related("institution").filter(pk=person.pk))
    ((_, change),) = selectors.type_changes(people, on=TODAY)
    cond = next(c for c in change.conditions if c.code == "type_change.not_excluded")
    return cond.met, cond.params["excluded"], cond.params["unknown"]


def test_a_corruption_crime_is_excluded_until_the_damage_is_paid_and_unknown_while_unsaid(
    world: dict[str, Any],
) -> None:
    person = world["admit"]("KA-0096", institution="M-KAR")
    clerk = world["clerk"]

    def record(kind: str, on: str, **fields: Any) -> None:
        records.fact_record(officer=clerk, person=person, fact={"type": kind, "on": on, **fields})

    assert _not_excluded(person) == (True, [], [])  # not said to be a corruption crime: as before
    record("parole_facts", "2025-02-01", corruption=True)
    assert _not_excluded(person) == (None, [], ["corruption_damage_uncompensated"])
    record("damage_awarded", "2025-02-01", amount=1_000_000)
    record("damage_paid", "2025-06-01", amount=400_000, by="person")
    assert _not_excluded(person) == (False, ["corruption_damage_uncompensated"], [])
    record("damage_paid", "2026-01-15", amount=600_000, by="relatives")
    assert _not_excluded(person) == (True, [], [])
