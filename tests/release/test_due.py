"""Who is due for parole or substitution in a window of months, with the law's answer (issue 19)."""

from __future__ import annotations

from datetime import date
from typing import Any

import orjson
import pytest

from adaldyq.files import PersonalFile
from adaldyq.law import LawPack
from adaldyq.ledger.entry import Actor, Draft, make_entry
from adaldyq.release import Window, due_for

# 3 years from 2024-01-01: 1,096 days; medium gravity: parole after 1/3 = 366 days (2025-01-01),
# substitution after 1/4 = 274 days (2024-10-01) (LAW.md §6, rounded up to whole days).
ADMISSION = {
    "on": "2024-01-01", "number": "A-1", "surname": "Ахметов", "given_name": "Ерлан",
    "sex": "male", "born": "1990-05-01", "institution": "UK-1", "condition": "regular",
    "sentence": {"start": "2024-01-01", "years": 3}, "gravity": "medium",
}  # fmt: skip


def _file(*facts: tuple[str, dict[str, Any]], **admission: Any) -> PersonalFile:
    rows = []
    for seq, (kind, payload) in enumerate(
        (("person_admitted", {**ADMISSION, **admission}), *facts), start=1
    ):
        draft = Draft(Actor("officer", "role:records_officer@UK-1"), "p-1", kind, payload)
        entry = make_entry(seq, f"2026-01-01T00:00:{seq:02d}.000000Z", draft)
        rows.append((seq, kind, orjson.loads(entry.body)))
    return PersonalFile.fold("p-1", rows)


@pytest.fixture(scope="module")
def law() -> LawPack:
    return LawPack.load()


def _answers(pf: PersonalFile, law: LawPack, month: date) -> dict[str, Any]:
    window = Window.of_month(month, months=3)
    return {d.kind: d for d in due_for(pf, institution_type="medium", window=window, law=law)}


def test_parole_is_mandatory_when_the_damage_is_compensated_and_no_malicious_violation(
    law: LawPack,
) -> None:
    pf = _file(("parole_facts", {"on": "2024-02-01", "damage_compensated": True}))

    due = _answers(pf, law, date(2024, 11, 1))

    assert (due["parole"].on, due["parole"].answer) == (date(2025, 1, 1), "mandatory")
    assert "substitution" not in due  # its day (2024-10-01) is before the window


def test_parole_is_possible_and_its_mandatory_side_names_the_missing_damage_fact(
    law: LawPack,
) -> None:
    due = _answers(_file(), law, date(2024, 12, 1))["parole"]

    assert (due.answer, due.mandatory, due.missing) == ("possible", None, ("damage_compensated",))


@pytest.mark.parametrize(
    ("month", "kinds"),
    [
        (date(2024, 7, 1), set()),  # 1 Jul - 30 Sep: substitution on 1 Oct is out
        (date(2024, 8, 1), {"substitution"}),
        (date(2024, 10, 1), {"substitution"}),  # 1 Oct - 31 Dec: parole on 1 Jan is out
        (date(2024, 11, 1), {"parole"}),
        (date(2025, 2, 1), set()),
    ],
)
def test_a_date_counts_when_it_falls_in_the_three_months_from_the_first_of_the_month(
    law: LawPack, month: date, kinds: set[str]
) -> None:
    got = set(_answers(_file(), law, month))

    assert got == kinds


def test_without_the_gravity_neither_date_is_known_and_the_file_is_listed_every_month(
    law: LawPack,
) -> None:
    due = _answers(_file(gravity=None), law, date(2025, 6, 1))

    assert {k: (d.answer, d.on, d.missing) for k, d in due.items()} == {
        "parole": ("not_determinable", None, ("gravity",)),
        "substitution": ("not_determinable", None, ("gravity",)),
    }


def test_substitution_is_excluded_for_an_especially_grave_crime_and_not_listed(
    law: LawPack,
) -> None:
    due = _answers(_file(gravity="especially_grave"), law, date(2025, 12, 1))

    # 2/3 of 1,096 days = 731 days: 2026-01-01; no substitution for especially grave crimes
    assert set(due) == {"parole"}
    assert due["parole"].on == date(2026, 1, 1)


def test_a_corruption_crime_without_a_listed_category_is_not_determinable_naming_the_category(
    law: LawPack,
) -> None:
    pf = _file(("parole_facts", {"on": "2024-02-01", "corruption": True}), gravity="grave")

    due = _answers(pf, law, date(2025, 6, 1))["parole"]

    assert (due.answer, due.missing) == ("not_determinable", ("corruption_exception",))
    assert due.on == date(2025, 7, 2)  # 1/2 of 1,096 days = 548 days


def test_a_released_person_is_no_longer_listed(law: LawPack) -> None:
    pf = _file(("released", {"on": "2024-12-20", "ground": "parole"}))

    assert _answers(pf, law, date(2024, 12, 1)) == {}
