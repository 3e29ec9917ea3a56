"""The web's readers of a file (the law today, decisions' cases, visits, occupancy) fold the read
model's rows with `adaldyq.files` (ADR 0014): the same file as the fold of the ledger's entries."""

from __future__ import annotations

from datetime import date

import orjson
import pytest
from django.db import connection

from adaldyq import files
from adaldyq.web.decisions.selectors import case_of
from adaldyq.web.records import ledger_port, selectors, services
from adaldyq.web.records.models import Fact
from adaldyq.web.visits.selectors import placement_on
from tests.web.fixtures import officer_admits

pytestmark = pytest.mark.django_db


@pytest.fixture
def file(make_user):
    _insts, officer, person = officer_admits(make_user, gravity="grave")

    def record(fact):
        return services.fact_record(officer=officer, person=person, fact=fact)

    kept = record({"type": "incentive", "on": "2023-05-12", "kind": "gratitude"})
    wrong = record({"type": "penalty", "on": "2023-06-01", "kind": "reprimand", "malicious": False})
    voided = record({"type": "work_assessed", "on": "2023-07-01", "diligent": False})
    record({"type": "parole_facts", "on": "2023-03-01", "corruption": True})
    record({"type": "condition_changed", "on": "2023-08-01", "to": "light"})
    services.fact_correct(officer=officer, person=person, original=wrong, reason="the day",
                          replacement={"type": "penalty", "on": "2023-06-02", "kind": "reprimand",
                                       "malicious": False})  # fmt: skip
    services.fact_correct(
        officer=officer, person=person, original=voided, reason="twice", replacement=None
    )
    return person, kept


def _ledger_file(person) -> files.PersonalFile:
    with connection.cursor() as cursor:
        return files.PersonalFile.from_entries(
            person.pk, ledger_port.entries_about(cursor, person.pk)
        )


def _facts(pf: files.PersonalFile) -> list[tuple[int, str, date, dict]]:
    return [(f.seq, f.type, f.on, f.event) for f in pf.facts]


def test_the_read_models_rows_fold_to_the_ledgers_file(file) -> None:
    person, _ = file
    read = selectors.personal_file(person)
    ledger = _ledger_file(person)

    assert _facts(read) == _facts(ledger)
    assert [(c.seq, c.corrects) for c in read.corrections] == [
        (c.seq, c.corrects) for c in ledger.corrections
    ]
    assert (
        read.parole()
        == ledger.parole()
        == {
            "corruption": True,
            "damage_compensated": None,
            "procedural_agreement": None,
        }
    )
    assert selectors.case_events(person) == ledger.events()
    assert read.placement.condition == ledger.placement.condition == "light"


def test_the_law_today_reads_the_file_and_a_decisions_case_its_standing_facts(file) -> None:
    person, kept = file
    on = date(2026, 1, 1)
    today = selectors.law_today(person, lang="en", on=on)
    ledger = _ledger_file(person)
    assert today.result is not None
    direct = ledger.check(law=selectors.law_pack(), on=on, institution_type="medium")

    assert {**orjson.loads(today.result.to_json()), "id": None} == orjson.loads(direct.to_json())
    case, seqs = case_of(person, date(2023, 6, 30))
    standing = [f for f in ledger.facts if f.on <= date(2023, 6, 30)]
    assert seqs == [f.seq for f in standing]
    assert kept.seq in seqs
    assert case["events"] == [f.event for f in standing]


def test_visits_read_the_placement_on_a_day_from_the_file(file) -> None:
    person, _ = file

    assert placement_on(person, date(2023, 7, 15)).condition == "regular"
    assert placement_on(person, date(2023, 8, 2)).condition == "light"
    assert Fact.objects.filter(person=person, void=True).count() == 1
