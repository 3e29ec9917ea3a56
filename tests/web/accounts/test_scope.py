"""Who may read whose file: institution, region, all, or their own."""

from __future__ import annotations

from datetime import date

import pytest

from adaldyq.web.accounts.scope import (
    can_read_entry,
    can_read_person,
    can_record_facts,
    can_see_register,
    can_write_notes,
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
