"""The probation file from the personal file, and the seed's figures computed from it (issue 19)."""

from __future__ import annotations

from datetime import date
from typing import Any

import orjson

from adaldyq.files import PersonalFile
from adaldyq.ledger.entry import Actor, Draft, make_entry
from adaldyq.release.probation import figures, probation_of

ADMISSION = {
    "on": "2020-01-01", "number": "A-1", "surname": "Ахметов", "given_name": "Ерлан",
    "sex": "male", "born": "1990-05-01", "institution": "UK-1",
    "sentence": {"start": "2020-01-01", "years": 6}, "gravity": "medium",
}  # fmt: skip


def _file(person: str, *facts: tuple[str, dict[str, Any]]) -> PersonalFile:
    rows = []
    for seq, (kind, payload) in enumerate((("person_admitted", ADMISSION), *facts), start=1):
        draft = Draft(Actor("officer", "role:probation_officer@almaty"), person, kind, payload)
        rows.append((seq, kind, orjson.loads(make_entry(seq, "2026-01-01T00:00:00Z", draft).body)))
    return PersonalFile.fold(person, rows)


RELEASED = ("released", {"on": "2023-03-01", "ground": "parole"})


def test_only_a_release_on_parole_or_substitution_opens_a_probation_file() -> None:
    served = _file("p-2", ("released", {"on": "2023-03-01", "ground": "term_served"}))

    assert probation_of(served, region="almaty") is None
    assert probation_of(_file("p-1", RELEASED), region="almaty") is not None


def test_the_next_report_runs_from_the_latest_check_in_by_the_schedule() -> None:
    pf = _file(
        "p-1", RELEASED,
        ("reporting_set", {"on": "2023-03-03", "every_days": 14, "mode": "in_person"}),
        ("checked_in", {"on": "2023-03-17", "mode": "in_person"}),
    )  # fmt: skip

    p = probation_of(pf, region="almaty")

    assert p is not None
    assert p.next_report == date(2023, 3, 31)


def test_the_figures_count_people_programmes_work_aid_and_offences_within_one_and_three_years() -> (
    None
):
    a = _file(
        "p-1", RELEASED,
        ("programme_joined", {"on": "2023-04-01", "area": "education", "status": "completed"}),
        ("programme_joined", {"on": "2023-04-02", "area": "housing"}),
        ("employed", {"on": "2023-05-01"}),
        ("probation_violation", {"on": "2024-06-01", "kind": "new_offence"}),  # after a year
    )  # fmt: skip
    b = _file("p-2", ("released", {"on": "2025-11-01", "ground": "substitution"}),
              ("medical_aid", {"on": "2025-12-01"}), ("probation_closed", {"on": "2026-01-10",
                                                                           "reason": "revoked"}))  # fmt: skip
    files = [p for pf in (a, b) if (p := probation_of(pf, region="almaty")) is not None]

    found = figures(files, on=date(2026, 6, 1))

    assert (found["on_parole"], found["programmes"], found["employed"]) == (1, 2, 1)
    assert (found["medical_aid"], found["education"]) == (1, 1)
    assert found["repeat_1y"] == {"released": 1, "reoffended": 0, "share": 0.0}
    assert found["repeat_3y"] == {"released": 1, "reoffended": 1, "share": 1.0}
