"""The personal-file pages: scope, openings, forms that reject bad input in the user's language."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from adaldyq.ledger import sql
from adaldyq.web.records import services
from adaldyq.web.records.models import Fact, FileOpening
from tests.web.fixtures import person_payload, register

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"  # noqa: S105 - the test users' password


def _size() -> int:
    with connection.cursor() as cursor:
        return sql.read_size(cursor)


@pytest.fixture
def world(make_user):
    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    person = services.person_admit(officer=officer, person=person_payload())
    services.fact_record(
        officer=officer, person=person, fact={"type": "incentive", "on": "2023-05-12"}
    )
    return insts, officer, person


def _client(username: str, lang: str = "en") -> Client:
    client = Client(headers={"accept-language": lang})
    assert client.login(username=username, password=PASSWORD)
    return client


def test_opening_a_file_shows_the_law_and_records_the_opening(world) -> None:
    _, _, person = world

    response = _client("officer").get(f"/people/{person.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Омаров" in html
    assert 'id="degree-qualifies">+1<' in html
    assert FileOpening.objects.filter(person=person, by="officer").count() == 1


def test_a_file_outside_the_scope_is_refused_and_no_opening_is_recorded(world, make_user) -> None:
    insts, _, person = world
    make_user("other", "records_officer", institution=insts["a1"])
    before = _size()

    response = _client("other").get(f"/people/{person.pk}/")

    assert response.status_code == 403
    assert _size() == before


def test_a_prisoner_reads_their_own_file_in_plain_words_and_no_other(world, make_user) -> None:
    _, officer, person = world
    other = services.person_admit(officer=officer, person=person_payload("KA-0002"))
    make_user("self", "prisoner", person_id=person.pk)
    client = _client("self", "kk")

    own = client.get(f"/people/{person.pk}/")

    assert own.status_code == 200
    assert "Record a fact" not in own.content.decode()
    assert client.get(f"/people/{other.pk}/").status_code == 403
    assert client.get("/").url == f"/people/{person.pk}/"


def test_recording_a_penalty_changes_the_qualification(world) -> None:
    _, _, person = world
    client = _client("officer")

    response = client.post(
        f"/people/{person.pk}/record/penalty/",
        {"penalty-on": "2023-06-01", "penalty-violation": "smoking", "penalty-malicious": ""},
    )

    assert response.status_code == 302
    html = client.get(f"/people/{person.pk}/").content.decode()
    assert 'id="degree-qualifies">+0<' in html or 'id="degree-qualifies">0<' in html


def test_a_future_date_is_refused_in_russian_and_writes_nothing(world) -> None:
    _, _, person = world
    client = _client("officer", "ru")
    client.cookies["django_language"] = "ru"
    before = (_size(), Fact.objects.count())

    response = client.post(
        f"/people/{person.pk}/record/incentive/",
        {"incentive-on": "2999-01-01", "incentive-kind": "gratitude"},
    )

    assert response.status_code == 400
    assert "Дата в будущем" in response.content.decode()
    assert (_size(), Fact.objects.count()) == before


def test_a_missing_field_is_refused_with_a_message(world) -> None:
    _, _, person = world
    before = _size()

    response = _client("officer").post(
        f"/people/{person.pk}/record/penalty/", {"penalty-on": "2023-06-01"}
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert _size() == before


def test_an_oversight_body_cannot_record_facts(world, make_user) -> None:
    _, _, person = world
    make_user("prosecutor", "prosecutor")
    before = _size()

    response = _client("prosecutor").post(
        f"/people/{person.pk}/record/incentive/",
        {"incentive-on": "2023-06-01", "incentive-kind": "gratitude"},
    )

    assert response.status_code == 403
    assert _size() == before


def test_a_correction_through_the_page_keeps_the_original(world) -> None:
    _, _, person = world
    inc = Fact.objects.get(person=person, kind="incentive")
    client = _client("officer")

    response = client.post(
        f"/people/{person.pk}/entries/{inc.seq}/correct/",
        {
            f"c{inc.seq}-reason": "the date was mistyped",
            f"c{inc.seq}-on": "2023-05-02",
            f"c{inc.seq}-kind": "gratitude",
        },
    )

    assert response.status_code == 302
    inc.refresh_from_db()
    assert inc.superseded_by_id is not None
    assert Fact.objects.get(pk=inc.superseded_by_id).on.isoformat() == "2023-05-02"


def test_a_correction_without_a_reason_is_refused(world) -> None:
    _, _, person = world
    inc = Fact.objects.get(person=person, kind="incentive")
    before = _size()

    response = _client("officer").post(
        f"/people/{person.pk}/entries/{inc.seq}/correct/",
        {f"c{inc.seq}-reason": "", f"c{inc.seq}-withdraw": "on"},
    )

    assert response.status_code == 400
    assert _size() == before


def test_an_oversight_note_is_recorded(world, make_user) -> None:
    _, _, person = world
    make_user("ombudsman", "ombudsman")

    response = _client("ombudsman").post(
        f"/people/{person.pk}/notes/", {"text": "visited on 3 March"}
    )

    assert response.status_code == 302
    assert person.notes.get().author == "ombudsman"


def test_search_finds_by_name_and_number_within_scope(world, make_user) -> None:
    insts, _, _ = world
    client = _client("officer")

    assert "Омаров" in client.get("/people/?q=омаров").content.decode()
    assert "Омаров" in client.get("/people/?q=KA-0001").content.decode()
    make_user("almaty", "records_officer", institution=insts["a1"])
    assert "Омаров" not in _client("almaty").get("/people/?q=KA-0001").content.decode()


def test_the_institutions_page_draws_the_map(world) -> None:
    html = _client("officer").get("/institutions/").content.decode()

    assert "<svg" in html
    assert "UK-161/1" in html


def test_an_admission_through_the_page_opens_a_file(world) -> None:
    client = _client("officer")
    form = {
        "number": "KA-0100",
        "surname": "Ахметов",
        "given_name": "Бауыржан",
        "sex": "male",
        "born": "1990-01-01",
        "sentence_start": "2024-01-01",
        "years": "3",
        "months": "0",
        "days": "0",
        "arrived_on": "2024-02-01",
        "condition": "regular",
    }

    response = client.post("/people/admit/", form)

    assert response.status_code == 302
    assert client.get(response.url).status_code == 200
