"""The facts the parole rules read, recorded on the file page (issue 17): whether the crime is a
corruption crime, the damage is fully compensated, there is a procedural agreement."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from adaldyq.web.records import selectors, services
from adaldyq.web.records.models import Fact, Person
from tests.languages import in_each_language
from tests.web.fixtures import PASSWORD, nothing_written, person_payload, register

pytestmark = pytest.mark.django_db
ON = date(2026, 1, 1)


@pytest.fixture
def person(make_user):
    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    return services.person_admit(officer=officer, person=person_payload(gravity="grave"))


def _client(lang: str = "en") -> Client:
    client = Client(headers={"accept-language": lang})
    assert client.login(username="officer", password=PASSWORD)
    client.cookies["django_language"] = lang
    return client


def _flags(person: Person) -> tuple[bool | None, bool | None, bool | None]:
    person.refresh_from_db()
    return (person.corruption, person.damage_compensated, person.procedural_agreement)


def _parole_codes(person: Person) -> list[str]:
    today = selectors.law_today(person, lang="en", on=ON)
    assert today.result is not None, today.error
    return [c.code for c in today.result.finding("parole").conditions]


@in_each_language(
    kk=("Шартты түрде мерзімінен бұрын босатуға арналған мәліметтер", "сыбайлас жемқорлық қылмысы"),
    ru=("Сведения для условно-досрочного освобождения", "коррупционное преступление"),
    en=("Facts for parole", "a corruption crime"),
)
def test_the_form_records_the_facts_and_the_engine_reads_them_through_the_file(
    person, lang, title, said
) -> None:
    assert _parole_codes(person)[-1] == "release.corruption_unknown"
    client = _client(lang)
    assert title in client.get(f"/people/{person.pk}/").content.decode()

    response = client.post(
        f"/people/{person.pk}/record/parole_facts/",
        {"parole_facts-on": "2023-03-01", "parole_facts-corruption": "true",
         "parole_facts-procedural_agreement": "false"},
    )  # fmt: skip

    assert response.status_code == 302
    assert _flags(person) == (True, None, False)
    assert _parole_codes(person)[-1] == "release.corruption_exception_unknown"
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert said in page
    entry = Fact.objects.get(person=person, kind="parole_facts")
    assert entry.data == {"corruption": True, "procedural_agreement": False}


def test_a_later_entry_stands_for_what_it_says_and_the_rest_is_kept(person) -> None:
    client = _client()
    client.post(
        f"/people/{person.pk}/record/parole_facts/",
        {"parole_facts-on": "2023-03-01", "parole_facts-corruption": "true"},
    )
    client.post(
        f"/people/{person.pk}/record/parole_facts/",
        {"parole_facts-on": "2023-04-01", "parole_facts-damage_compensated": "true",
         "parole_facts-corruption": "false"},
    )  # fmt: skip

    assert _flags(person) == (False, True, None)
    assert "release.corruption_unknown" not in _parole_codes(person)


def test_no_answer_is_refused_in_russian_and_writes_nothing(person) -> None:
    with nothing_written():
        response = _client("ru").post(
            f"/people/{person.pk}/record/parole_facts/", {"parole_facts-on": "2023-03-01"}
        )

        assert response.status_code == 400
        assert "Ответьте хотя бы на один из вопросов." in response.content.decode()


def test_a_correction_of_the_date_keeps_a_no_and_a_withdrawal_says_nothing_again(person) -> None:
    client = _client()
    client.post(
        f"/people/{person.pk}/record/parole_facts/",
        {"parole_facts-on": "2023-03-01", "parole_facts-corruption": "false"},
    )
    entry = Fact.objects.get(person=person, kind="parole_facts")
    form = client.get(f"/people/{person.pk}/entries/{entry.seq}/correct/").content.decode()
    hidden = f'name="c{entry.seq}-corruption" value="false"'
    assert hidden in form

    response = client.post(
        f"/people/{person.pk}/entries/{entry.seq}/correct/",
        {f"c{entry.seq}-reason": "the date was mistyped", f"c{entry.seq}-reason_code": "typing_error", f"c{entry.seq}-on": "2023-03-02",
         f"c{entry.seq}-corruption": "false"},
    )  # fmt: skip

    assert response.status_code == 302
    corrected = Fact.objects.get(corrects=entry.seq)
    assert (corrected.on, corrected.data) == (date(2023, 3, 2), {"corruption": False})
    assert _flags(person) == (False, None, None)

    client.post(
        f"/people/{person.pk}/entries/{corrected.seq}/correct/",
        {f"c{corrected.seq}-reason": "another person's sentence", f"c{corrected.seq}-reason_code": "wrong_file", f"c{corrected.seq}-withdraw": "on"},
    )  # fmt: skip
    assert _flags(person) == (None, None, None)


def test_a_replay_gives_the_same_facts(person) -> None:
    client = _client()
    client.post(
        f"/people/{person.pk}/record/parole_facts/",
        {"parole_facts-on": "2023-03-01", "parole_facts-corruption": "true",
         "parole_facts-damage_compensated": "false"},
    )  # fmt: skip
    before = _flags(person)

    services.read_models_rebuild()

    assert _flags(Person.objects.get(pk=person.pk)) == before == (True, False, None)
