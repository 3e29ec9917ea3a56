"""Every write is a ledger entry projected in the same transaction; replay rebuilds the same tables."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from adaldyq.core.errors import InputError
from adaldyq.ledger import sql
from adaldyq.web.records import services
from adaldyq.web.records.models import Fact, FileOpening, Note, Person, Relative
from adaldyq.web.records.selectors import law_today
from tests.web.fixtures import ledger_size, nothing_written, person_payload, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    insts = register()
    return make_user("officer", "records_officer", institution=insts["k1"])


@pytest.fixture
def person(officer) -> Person:
    return services.person_admit(officer=officer, person=person_payload())


def test_an_admission_opens_the_file_and_records_the_arrival(officer, person) -> None:
    assert person.institution.code == "UK-161/1"
    arrival = Fact.objects.get(person=person)
    assert arrival.kind == "arrived"
    assert arrival.recorded_by == "officer"
    with connection.cursor() as cursor:
        entry = sql.read_entry(cursor, arrival.seq)
    assert entry.type == "person_admitted"
    assert entry.draft.actor.authority == "role:records_officer@UK-161/1"


def test_a_recorded_fact_is_one_ledger_entry(officer, person) -> None:
    before = ledger_size()

    fact = services.fact_record(
        officer=officer, person=person, fact={"type": "incentive", "on": "2023-05-12"}
    )

    assert ledger_size() == before + 1
    assert fact.seq == before
    assert fact.entry_hash


def test_a_fact_the_law_cannot_read_is_refused_and_writes_nothing(officer, person) -> None:
    before = (ledger_size(), Fact.objects.count())

    with pytest.raises(InputError, match="degree"):
        services.fact_record(
            officer=officer,
            person=person,
            fact={"type": "degree_awarded", "on": "2023-06-01", "degree": 2},
        )

    assert (ledger_size(), Fact.objects.count()) == before


def test_a_failing_projection_rolls_back_the_ledger_entry(officer, person, monkeypatch) -> None:
    def broken(entry: Any) -> None:
        raise RuntimeError("projection failed")

    monkeypatch.setattr("adaldyq.web.records.projection.project", broken)
    with nothing_written(), pytest.raises(RuntimeError):
        services.fact_record(
            officer=officer, person=person, fact={"type": "incentive", "on": "2023-05-12"}
        )


def test_a_penalty_after_the_incentive_moves_the_degree_qualification(officer, person) -> None:
    services.fact_record(
        officer=officer, person=person, fact={"type": "incentive", "on": "2023-05-12"}
    )
    assert law_today(person, lang="en").result.qualifies_for_degree == 1

    services.fact_record(
        officer=officer,
        person=person,
        fact={"type": "penalty", "on": "2023-06-01", "kind": "smoking", "malicious": False},
    )

    today = law_today(person, lang="en")
    assert today.result.qualifies_for_degree == 0
    assert any("penalty" in line.lower() for line in today.lines)


def test_a_correction_points_at_the_original_which_stays_visible(officer, person) -> None:
    pen = services.fact_record(
        officer=officer,
        person=person,
        fact={"type": "penalty", "on": "2023-06-01", "kind": "smoking"},
    )

    fix = services.fact_correct(
        officer=officer,
        person=person,
        original=pen,
        reason="wrong person on the report",
        replacement=None,
    )

    pen.refresh_from_db()
    assert pen.superseded_by_id == fix.seq
    assert fix.corrects_id == pen.seq
    assert fix.void
    assert Fact.objects.filter(person=person, kind="penalty").count() == 2
    with connection.cursor() as cursor:
        entry = sql.read_entry(cursor, fix.seq)
    assert (entry.draft.corrects, entry.draft.reason) == (pen.seq, "wrong person on the report")


def test_a_corrected_date_replaces_the_original_for_the_law(officer, person) -> None:
    inc = services.fact_record(
        officer=officer, person=person, fact={"type": "incentive", "on": "2023-05-12"}
    )

    services.fact_correct(
        officer=officer,
        person=person,
        original=inc,
        reason="typo in the date",
        replacement={"type": "incentive", "on": "2023-04-12"},
    )

    finding = law_today(person, lang="en").result.finding("degree.1")
    assert finding.conditions[0].met_on.isoformat() == "2023-04-12"


def test_a_transfer_between_conditions_updates_the_placement(officer, person) -> None:
    services.fact_record(
        officer=officer,
        person=person,
        fact={"type": "condition_changed", "on": "2023-09-01", "to": "light"},
    )

    person.refresh_from_db()
    assert person.condition == "light"


@pytest.mark.parametrize("pipelined", [False, True])  # True: rows built in a forked process
def test_replay_rebuilds_identical_read_models(officer, person, make_user, pipelined) -> None:
    services.read_models_rebuild()  # entries left by transactional tests of this session come back first
    ombudsman = make_user("ombudsman", "ombudsman")
    services.fact_record(
        officer=officer, person=person, fact={"type": "incentive", "on": "2023-05-12"}
    )
    pen = services.fact_record(
        officer=officer,
        person=person,
        fact={"type": "penalty", "on": "2023-06-01", "kind": "smoking"},
    )
    services.fact_correct(
        officer=officer, person=person, original=pen, reason="not him", replacement=None
    )
    services.fact_record(
        officer=officer,
        person=person,
        fact={
            "type": "visitor_registered",
            "on": "2023-03-01",
            "name": "Айгүл",
            "relationship": "spouse",
            "approved": True,
        },
    )
    services.fact_record(
        officer=officer,
        person=person,
        fact={"type": "condition_changed", "on": "2023-09-01", "to": "light"},
    )
    services.note_write(author=ombudsman, person=person, text="checked the penalty")
    services.file_opening_record(user=ombudsman, person=person)
    models = (Person, Fact, Relative, Note, FileOpening)
    before = {m.__name__: list(m.objects.order_by("pk").values()) for m in models}

    read = services.read_models_rebuild(pipelined=pipelined)

    after = {m.__name__: list(m.objects.order_by("pk").values()) for m in models}
    assert read == ledger_size()
    assert after == before
