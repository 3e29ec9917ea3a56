"""The public figures of parole and probation (issue 18, issue 19): who is on probation by region and
ground, the support they had, repeat offending; a released person is held in no institution."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from adaldyq.law.pack import LawPack
from adaldyq.ledger.entry import Actor, Draft, make_entry
from adaldyq.placement.model import Site
from adaldyq.stats import Table, compute

SITES = (Site("UK-1", "karaganda", "medium", "male", False, False, 100, 49.8, 73.1),)
AS_OF = date(2027, 12, 31)


def _bodies(files: list[list[tuple[str, dict[str, Any]]]]) -> list[bytes]:
    out: list[bytes] = []
    actor = Actor("UK-1/O01", "role:records_officer@UK-1")
    for n, facts in enumerate(files):
        person = f"PF-{n:04d}"
        admitted = {
            "number": person, "surname": "Синтетов", "given_name": "Ерлан", "sex": "male",
            "born": "1990-01-01", "sentence": {"start": "2020-01-10", "years": 8},
            "gravity": "medium", "institution": "UK-1", "home_region": "karaganda",
            "on": "2020-02-01",
        }  # fmt: skip
        drafts = [Draft(actor=actor, subject=person, type="person_admitted", payload=admitted)]
        drafts += [Draft(actor=actor, subject=person, type=t, payload=p) for t, p in facts]
        out += [make_entry(len(out) + i, "2027-12-31T10:00:00Z", d).body for i, d in enumerate(drafts)]  # fmt: skip
    return out


def _released(ground: str = "parole", region: str = "", **more: Any) -> tuple[str, dict[str, Any]]:
    return ("released", {"on": "2024-06-01", "ground": ground, **({"region": region} if region else {}), **more})  # fmt: skip


@pytest.fixture(scope="module")
def tables() -> dict[str, Table]:
    offence_1y = ("probation_violation", {"on": "2024-09-01", "kind": "new_offence"})
    offence_3y = ("probation_violation", {"on": "2026-01-01", "kind": "new_offence"})
    files = (
        [[_released(), ("employed", {"on": "2024-07-01"})]] * 4
        + [[_released(), offence_1y, ("probation_closed", {"on": "2024-10-01", "reason": "revoked"})]] * 3
        + [[_released(), offence_3y]] * 2
        + [[_released("substitution", "almaty"), ("medical_aid", {"on": "2024-08-01"}),
            ("programme_joined", {"on": "2024-07-01", "area": "education", "status": "completed"})]]
        + [[_released("term_served")]]
        + [[]] * 5  # still held
    )  # fmt: skip
    found = compute(_bodies(files), sites=SITES, law=LawPack.load(), as_of=AS_OF)
    return {t.id: t for t in found}


def _cell(table: Table, row: str, col: str) -> int:
    return table.counts[table.rows.index(row)][table.cols.index(col)]


def test_released_people_are_held_nowhere_and_the_rest_are_counted_where_they_are(
    tables: dict[str, Table],
) -> None:
    assert _cell(tables["population_by_type_and_sex"], "medium", "male") == 5


def test_people_on_probation_are_counted_in_the_region_the_release_names_else_at_home(
    tables: dict[str, Table],
) -> None:
    by_ground = tables["probation_by_region_and_ground"]

    assert _cell(by_ground, "karaganda", "parole") == 6  # three revoked, one released at term's end
    assert _cell(by_ground, "almaty", "substitution") == 1
    assert sum(map(sum, by_ground.counts)) == 7


def test_support_counts_each_kind_a_person_on_probation_had(tables: dict[str, Table]) -> None:
    support = tables["probation_support_by_region"]

    assert _cell(support, "karaganda", "employment") == 4
    assert [_cell(support, "almaty", k) for k in support.cols] == [1, 0, 1, 1]


def test_repeat_offences_count_the_people_released_long_enough_ago(
    tables: dict[str, Table],
) -> None:
    repeat = tables["probation_repeat_offences"]

    assert repeat.counts == [[3, 7], [5, 5]]
