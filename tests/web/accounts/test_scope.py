"""Who may read whose file: institution, region, all, or their own."""

from __future__ import annotations

from datetime import date

import pytest

from adaldyq.web.accounts.scope import (
    can_decide_placement,
    can_read_decision,
    can_read_entry,
    can_read_institution,
    can_read_notes,
    can_read_person,
    can_record_facts,
    can_see_file_readers,
    can_see_register,
    can_write_notes,
    institutions_visible_to,
    is_staff,
    people_visible_to,
    register_institutions,
)
from adaldyq.web.records.models import Person
from tests.web.fixtures import register, scoped

pytestmark = pytest.mark.django_db


def _person(pid: str, inst) -> Person:
    return Person.objects.create(
        id=pid,
        number=pid.upper(),
        surname="Test",
        given_name=pid,
        sex="male",
        born=date(1990, 1, 1),
        institution=inst,
        sentence_start=date(2020, 1, 1),
        sentence_years=5,
        admitted_on=date(2020, 1, 1),
        admitted_seq=0,
    )


@pytest.fixture
def world(make_user):
    insts = register()
    people = {k: _person(f"p-{k}", inst) for k, inst in insts.items()}
    return insts, people


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("records_officer", {"p-k1"}),
        ("head", {"p-k1"}),
        ("regional", {"p-k1", "p-k2"}),
        ("committee", {"p-k1", "p-k2", "p-a1"}),
        ("prosecutor", {"p-k1", "p-k2", "p-a1"}),
        ("anticorruption", {"p-k1", "p-k2", "p-a1"}),
        ("ombudsman", {"p-k1", "p-k2", "p-a1"}),
        ("public_council", {"p-k1", "p-k2", "p-a1"}),
    ],
)
def test_each_role_sees_the_people_of_its_scope(
    world, make_user, role: str, visible: set[str]
) -> None:
    insts, people = world
    user = make_user(role, role, **scoped(role, insts))

    assert set(people_visible_to(user).values_list("pk", flat=True)) == visible
    assert {p.pk for p in people.values() if can_read_person(user, p)} == visible


def test_a_prisoner_sees_only_their_own_file(world, make_user) -> None:
    _, people = world
    user = make_user("self", "prisoner", person_id="p-k1")

    assert list(people_visible_to(user).values_list("pk", flat=True)) == ["p-k1"]
    assert not can_read_person(user, people["k2"])
    assert not can_record_facts(user, people["k1"])


def test_only_records_officers_and_heads_of_the_institution_record_facts(world, make_user) -> None:
    insts, people = world
    officer = make_user("o", "records_officer", institution=insts["k1"])
    committee = make_user("c", "committee")
    ombudsman = make_user("m", "ombudsman")

    assert can_record_facts(officer, people["k1"])
    assert not can_record_facts(officer, people["k2"])
    assert not can_record_facts(committee, people["k1"])
    assert not can_record_facts(ombudsman, people["k1"])
    assert can_write_notes(ombudsman)
    assert not can_write_notes(officer)


@pytest.mark.parametrize(
    ("role", "register", "institutions", "entries_of"),
    [
        ("records_officer", False, set(), set()),
        ("head", False, set(), set()),
        ("regional", True, {"UK-161/1", "UK-161/2"}, {"p-k1", "p-k2"}),
        ("committee", True, None, {"p-k1", "p-k2", "p-a1"}),
        ("prosecutor", True, None, {"p-k1", "p-k2", "p-a1"}),
        ("anticorruption", True, None, {"p-k1", "p-k2", "p-a1"}),
        ("ombudsman", True, None, {"p-k1", "p-k2", "p-a1"}),
        ("public_council", True, None, {"p-k1", "p-k2", "p-a1"}),
    ],
)
def test_each_role_reads_the_register_and_its_evidence_entries_within_its_scope(
    world, make_user, role: str, register: bool, institutions: set[str] | None, entries_of: set[str]
) -> None:
    insts, people = world
    user = make_user(role, role, **scoped(role, insts))

    assert can_see_register(user) is register
    seen = register_institutions(user)
    assert (None if seen is None else set(seen)) == institutions
    assert {p.pk for p in people.values() if can_read_entry(user, p)} == entries_of
    assert can_read_entry(user, None) is register  # an entry about no person (a room, a session)


def test_a_prisoner_reads_no_register_and_no_entry(world, make_user) -> None:
    _, people = world
    user = make_user("self", "prisoner", person_id="p-k1")

    assert not can_see_register(user)
    assert register_institutions(user) == frozenset()
    assert not can_read_entry(user, people["k1"])


ALL = {"p-k1", "p-k2", "p-a1"}


@pytest.mark.parametrize(
    ("role", "institutions", "places", "decisions_of", "notes", "readers"),
    [
        ("records_officer", {"UK-161/1"}, set(), {"p-k1"}, False, False),
        ("head", {"UK-161/1"}, set(), {"p-k1"}, False, False),
        ("regional", {"UK-161/1", "UK-161/2"}, {"p-k1", "p-k2"}, {"p-k1", "p-k2"}, False, False),
        ("committee", None, ALL, ALL, False, False),
        ("prosecutor", None, set(), ALL, True, True),
        ("anticorruption", None, set(), ALL, True, True),
        ("ombudsman", None, set(), ALL, True, True),
        ("public_council", None, set(), ALL, True, True),
    ],
)
def test_each_role_places_reads_boards_decisions_notes_and_readers_within_its_scope(
    world,
    make_user,
    role: str,
    institutions: set[str] | None,
    places: set[str],
    decisions_of: set[str],
    notes: bool,
    readers: bool,
) -> None:
    insts, people = world
    user = make_user(role, role, **scoped(role, insts))

    seen = institutions_visible_to(user)
    assert (None if seen is None else set(seen)) == institutions
    codes = {i.code for i in insts.values()}
    assert {c for c in codes if can_read_institution(user, c)} == (institutions or codes)
    assert {p.pk for p in people.values() if can_decide_placement(user, p)} == places
    assert {
        p.pk
        for p in people.values()
        if can_read_decision(user, person=p, institution=p.institution.code)
    } == decisions_of
    assert {p.pk for p in people.values() if can_read_notes(user, p)} == (ALL if notes else set())
    assert {p.pk for p in people.values() if can_see_file_readers(user, p)} == (
        ALL if readers else set()
    )


def test_a_regional_department_reads_a_decision_its_institution_took_about_someone_moved_away(
    world, make_user
) -> None:
    insts, people = world
    regional = make_user("r", "regional", region=insts["k1"].region)

    assert can_read_decision(regional, person=people["a1"], institution="UK-161/1")
    assert not can_read_decision(regional, person=people["a1"], institution="LA-155/3")


def test_a_prisoner_sees_who_read_their_own_file_and_nothing_else(world, make_user) -> None:
    _, people = world
    user = make_user("self", "prisoner", person_id="p-k1")

    assert can_see_file_readers(user, people["k1"])
    assert not can_see_file_readers(user, people["k2"])
    assert not can_read_notes(user, people["k1"])
    assert not can_decide_placement(user, people["k1"])
    assert institutions_visible_to(user) == frozenset()
    assert not is_staff(user)
