"""The court's part as facts of the file, and the oversight finding of a late submission (issue 19)."""

from __future__ import annotations

from datetime import date
from typing import Any

import orjson
import pytest

from adaldyq.files import CourtDecided, FactError, PersonalFile, Released, parse_fact
from adaldyq.ledger.entry import Actor, Draft, make_entry
from adaldyq.oversight.release import release_flags
from adaldyq.oversight.sources import all_flag_kinds

ADMISSION = {
    "on": "2024-01-01", "number": "A-1", "surname": "Ахметов", "given_name": "Ерлан",
    "sex": "male", "born": "1990-05-01", "institution": "UK-1",
    "sentence": {"start": "2024-01-01", "years": 3}, "gravity": "medium",
}  # fmt: skip


def _file(*facts: tuple[str, dict[str, Any]] | tuple[str, dict[str, Any], int]) -> PersonalFile:
    rows = []
    for seq, item in enumerate((("person_admitted", ADMISSION), *facts), start=1):
        kind, payload = item[0], item[1]
        corrects = item[2] if len(item) > 2 else None  # type: ignore[misc]
        draft = Draft(Actor("officer", "role:records_officer@UK-1"), "p-1", kind, payload,
                      corrects=corrects, reason="withdrawn" if corrects else None)  # fmt: skip
        rows.append((seq, kind, orjson.loads(make_entry(seq, "2026-01-01T00:00:00Z", draft).body)))
    return PersonalFile.fold("p-1", rows)


def test_a_granted_decision_keeps_the_unserved_part_and_the_duties_and_writes_them_back() -> None:
    payload = {"on": "2025-01-20", "ground": "parole", "outcome": "granted",
               "unserved": {"years": 1, "months": 11, "days": 10}, "duties": ["report", "curfew"]}  # fmt: skip

    fact = parse_fact("court_decided", dict(payload), on=date(2025, 1, 20))

    assert isinstance(fact, CourtDecided)
    assert (fact.unserved, fact.duties) == ((1, 11, 10), ("report", "curfew"))
    made = CourtDecided(on=date(2025, 1, 20), ground="parole", outcome="granted",
                        unserved=(1, 11, 10), duties=("report", "curfew"))  # fmt: skip
    assert made.payload() == payload


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"ground": "amnesty", "outcome": "granted"}, "ground"),
        ({"ground": "parole", "outcome": "refused", "refusal": "other"}, "reason"),
        ({"ground": "parole", "outcome": "refused", "reason": "late"}, "refusal"),
        ({"ground": "parole", "outcome": "granted", "duties": ["dance"]}, "duties"),
        ({"ground": "parole", "outcome": "granted", "unserved": {"years": -1}}, "unserved"),
    ],
)
def test_a_court_decision_that_does_not_say_what_the_law_needs_is_refused_naming_the_field(
    payload: dict[str, Any], field: str
) -> None:
    with pytest.raises(FactError) as err:
        parse_fact("court_decided", {"on": "2025-01-20", **payload}, on=date(2025, 1, 20))

    assert err.value.field == field


def test_a_release_states_its_ground() -> None:
    fact = parse_fact("released", {"on": "2025-01-21", "ground": "parole"}, on=date(2025, 1, 21))

    assert isinstance(fact, Released)
    assert fact.ground == "parole"


LATE = {"on": "2025-03-01", "ground": "parole", "outcome": "refused",
        "refusal": "late_submission", "reason": "submitted two months after the day"}  # fmt: skip


def test_a_refusal_for_a_late_submission_is_a_finding_with_the_submission_and_the_decision() -> (
    None
):
    pf = _file(
        ("court_submitted", {"on": "2025-02-20", "ground": "parole"}), ("court_decided", LATE)
    )

    [flag] = release_flags([pf])

    assert (flag.kind, flag.flag_class, flag.evidence) == (
        "release_refused_late_submission", "finding", (2, 3),
    )  # fmt: skip
    assert flag.institution == "UK-1"
    assert "release_refused_late_submission" in all_flag_kinds()


def test_a_withdrawn_refusal_or_another_reason_is_no_finding() -> None:
    other = {**LATE, "refusal": "not_corrected"}
    withdrawn = _file(("court_decided", LATE), ("fact_voided", {}, 2))

    assert release_flags([_file(("court_decided", other)), withdrawn]) == []
