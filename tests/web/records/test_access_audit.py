"""The access audit (issue 16): every response that shows personal data is one ledger append naming
the files shown; the oversight bodies and the prisoner (their own file) see who read a file."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from adaldyq.ledger import sql
from adaldyq.web.records import services
from adaldyq.web.records.models import FileListing, FileOpening, Person
from adaldyq.web.visits.models import Booking
from tests.web.fixtures import client_as, ledger_size
from tests.web.test_permission_matrix import world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _newest() -> Any:
    with connection.cursor() as cursor:
        size = sql.read_size(cursor)
        return sql.read_entries(cursor, size - 1, size)[0]


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("records_officer", "/people/{person}/"),
        ("records_officer", "/visits/people/{person}/"),
        ("records_officer", "/transfers/people/{person}/"),
        ("records_officer", "/transfers/requests/{request}/"),
        ("records_officer", "/commission/decisions/{decision}/"),
        ("records_officer", "/commission/decisions/{decision}/document.pdf"),
        ("records_officer", "/commission/decisions/{decision}/case.json"),
        ("records_officer", "/commission/mine/?person={person}"),
        ("records_officer", "/people/{person}/entries/{fact}/correct/"),
        ("records_officer", "/api/people/{person}"),
        ("regional", "/ledger/entries/{fact}/"),
        ("prisoner", "/people/{person}/"),
    ],
)
def test_a_page_of_one_file_is_one_entry_naming_the_file_and_the_page(
    world,  # noqa: F811
    role: str,
    path: str,
) -> None:
    side = world["sides"]["in"]
    url = path.format(
        person=side.person.pk, request=side.request, decision=side.decision, fact=side.fact
    )
    before = ledger_size()

    response = client_as(world["users"][role]).get(url)

    assert response.status_code == 200
    assert ledger_size() == before + 1
    entry = _newest()
    assert (entry.type, entry.subject, entry.draft.actor.id) == (
        "file_opened",
        side.person.pk,
        world["users"][role].username,
    )
    assert FileOpening.objects.filter(seq=entry.seq, person=side.person).exists()


def test_a_page_of_search_results_is_one_entry_listing_the_files_shown(world) -> None:  # noqa: F811
    committee = world["users"]["committee"]
    before = ledger_size()

    response = client_as(committee).get("/people/", {"q": ""})

    assert response.status_code == 200
    assert ledger_size() == before + 1
    entry = _newest()
    assert entry.type == "files_listed"
    assert entry.payload["page"] == "records:search"
    shown = set(entry.payload["people"])
    body = response.content.decode()
    everyone = list(Person.objects.all())  # the matrix's world: placed, awaiting, on probation
    assert len(everyone) >= 4
    assert shown == {p.pk for p in everyone}  # the committee's page: every file, each shown
    assert all(p.number in body for p in everyone)
    assert set(FileListing.objects.filter(seq=entry.seq).values_list("person_id", flat=True)) == (
        shown
    )


@pytest.mark.parametrize(
    ("role", "path", "page"),
    [
        ("records_officer", "/visits/?day={day}", "visits:board"),
        ("regional", "/transfers/", "transfers:index"),
        ("committee", "/transfers/awaiting/", "transfers:awaiting"),
        ("records_officer", "/commission/sessions/{session}/", "decisions:session"),
        ("committee", "/commission/register/?format=csv", "decisions:register"),
        ("records_officer", "/api/people", "api:people"),
    ],
)
def test_every_list_of_files_is_one_append_naming_its_files(
    world,  # noqa: F811
    role: str,
    path: str,
    page: str,
) -> None:
    side = world["sides"]["in"]
    before = ledger_size()

    day = Booking.objects.get(pk=side.booking).day.isoformat()

    response = client_as(world["users"][role]).get(path.format(session=side.session, day=day))

    assert response.status_code == 200
    assert ledger_size() == before + 1
    entry = _newest()
    assert entry.payload.get("page") == page
    shown = entry.payload.get("people") or [entry.subject]
    people = Person.objects.filter(pk__in=shown)
    assert len(people) == len(shown)
    body = response.content.decode()
    assert all(p.number in body or p.pk in body or p.surname in body for p in people)


def test_a_long_list_is_several_entries_of_one_append(world) -> None:  # noqa: F811
    committee = world["users"]["committee"]
    people = [f"p-{n:06d}" for n in range(services.LISTED_PER_ENTRY * 2 + 5)]
    before = ledger_size()

    services.access_record(user=committee, page="decisions:register", people=people)

    with connection.cursor() as cursor:
        entries = sql.read_entries(cursor, before, sql.read_size(cursor))
    assert [len(e.payload["people"]) for e in entries] == [1000, 1000, 5]
    assert [p for e in entries for p in e.payload["people"]] == people


def test_the_readers_of_a_file_are_rebuilt_from_the_ledger_as_they_were_projected(
    world,  # noqa: F811
) -> None:
    side = world["sides"]["in"]
    client_as(world["users"]["committee"]).get("/people/", {"q": ""})
    client_as(world["users"]["regional"]).get(f"/visits/people/{side.person.pk}/")
    rows = (
        sorted(FileOpening.objects.values_list("seq", "person_id", "by", "page")),
        sorted(FileListing.objects.values_list("seq", "person_id", "by", "page")),
    )

    services.read_models_rebuild()

    assert rows[1]  # the search's listing rows are there to compare
    assert (
        sorted(FileOpening.objects.values_list("seq", "person_id", "by", "page")),
        sorted(FileListing.objects.values_list("seq", "person_id", "by", "page")),
    ) == rows


@pytest.mark.parametrize(
    ("role", "sees_readers", "sees_notes"),
    [
        ("records_officer", False, False),
        ("head", False, False),
        ("regional", False, False),
        ("committee", False, False),
        ("prosecutor", True, True),
        ("ombudsman", True, True),
        ("prisoner", True, False),
    ],
)
def test_who_read_a_file_is_shown_to_oversight_bodies_and_the_prisoner_and_notes_to_oversight(
    world,  # noqa: F811
    role: str,
    sees_readers: bool,
    sees_notes: bool,
) -> None:
    side, users = world["sides"]["in"], world["users"]
    services.note_write(author=users["ombudsman"], person=side.person, text="a note of oversight")
    client_as(users["committee"]).get(
        "/people/", {"q": ""}
    )  # the committee's search lists the file

    page = client_as(users[role]).get(f"/people/{side.person.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()

    assert ('id="h-open"' in body) is sees_readers
    assert ("a note of oversight" in body) is sees_notes
    if sees_readers:  # the committee's search, by name and page, beside the openings
        readers = body[body.index('id="h-open"') :]
        assert "search results" in readers
        assert users["committee"].username in readers or "committee" in readers.casefold()
