"""The re-socialisation programme, its reviews, the damage and its payments, recorded with the file's
forms (issue 19): shown on the file and on the prisoner's own page, and the damage paid read by the
engine for substitution of the unserved part (CC art. 73)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from adaldyq.web.records import selectors, services
from adaldyq.web.records.models import Fact
from tests.web.fixtures import PASSWORD, person_payload, register

pytestmark = pytest.mark.django_db
ON = date(2026, 1, 1)


@pytest.fixture
def person(make_user: Any) -> Any:
    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    person = services.person_admit(officer=officer, person=person_payload("PR-1"))
    make_user("self", "prisoner", person_id=person.pk)
    return person


def _client(username: str, lang: str) -> Client:
    client = Client(headers={"accept-language": lang})
    assert client.login(username=username, password=PASSWORD)
    client.cookies["django_language"] = lang
    return client


def _substitution(person: Any) -> tuple[date | None, str]:
    today = selectors.law_today(person, lang="en", on=ON)
    assert today.result is not None, today.error
    return today.result.substitution_from, today.result.finding("substitution").conditions[-1].code


def test_the_officer_records_the_programme_and_the_damage_and_the_prisoner_reads_them(
    person: Any,
) -> None:
    officer = _client("officer", "ru")
    post = {
        "programme_set": {"on": "2023-02-15", "needs": ["general_education", "damage_compensation"],
                          "goals": "окончить 9 класс\nвыплатить ущерб", "activities": ["school"]},
        "programme_reviewed": {"on": "2023-05-20", "quarter": "2023-q2", "progress": "partly",
                               "note": "школа — да, выплат нет"},
        "penalty": {"on": "2023-06-01", "violation": "alcohol", "malicious": "alcohol_or_drugs"},
        "damage_awarded": {"on": "2023-02-01", "amount": "300000"},
        "damage_paid": {"on": "2024-03-01", "amount": "300000", "by": "relatives"},
    }  # fmt: skip
    for kind, fields in post.items():
        data = {f"{kind}-{k}": v for k, v in fields.items()}
        if kind == "damage_paid":
            assert _substitution(person)[1] == "release.substitution_excluded"
        response = officer.post(f"/people/{person.pk}/record/{kind}/", data)
        assert response.status_code == 302, (kind, response.content.decode()[:2000])

    assert Fact.objects.get(kind="programme_reviewed").data["quarter"] == "2023-Q2"
    # medium gravity, 8 years from 2023-01-10: a quarter of 2,922 days is 731, 2025-01-10
    assert _substitution(person) == (date(2025, 1, 10), "release.substitution_damage_paid")
    page = _client("self", "kk").get(f"/people/{person.pk}/").content.decode()
    assert "Сіздің ресоциализация бағдарламаңыз" in page
    assert "жартылай орындалды" in page
    assert "окончить 9 класс" in page
    assert "Сот өндіріп алған: 300\u00a0000 теңге; төленді: 300\u00a0000 теңге" in page


@pytest.mark.parametrize(
    ("kind", "payload"),
    [
        ("damage_awarded", {"amount": 300000}),
        ("damage_paid", {"amount": 2500.5, "by": "relatives"}),
        ("programme_set", {"needs": ["work", "health"], "goals": ["a trade"],
                           "activities": ["vocational_course"]}),
        ("programme_reviewed", {"quarter": "2023-Q2", "progress": "partly", "note": "школа — да"}),
        ("qualification_gained", {"kind": "vocational_certificate", "title": "сварщик"}),
    ],
)  # fmt: skip
def test_the_programmes_typed_facts_read_as_the_timeline_words_their_entries(
    kind: str, payload: dict[str, Any]
) -> None:
    from types import SimpleNamespace

    from django.utils import translation

    from adaldyq.files import parse_fact
    from adaldyq.web.records.templatetags.records_tags import fact_details
    from adaldyq.web.work.templatetags.work_tags import inside_words

    fact = parse_fact(kind, {"on": "2023-05-20", **payload}, on=date(2023, 5, 20), seq=7)
    with translation.override("ru"):
        words = inside_words(fact)
        assert words == fact_details(SimpleNamespace(kind=kind, data=payload))
    assert words
