"""The REST API: the same scope, the same validation, nothing written on refusal."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.web.fixtures import nothing_written, officer_admits, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user):
    insts, _officer, person = officer_admits(make_user)
    make_user("almaty", "records_officer", institution=insts["a1"])
    return person


def _post(client: Client, url: str, body: dict) -> object:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_api_needs_a_session() -> None:
    assert Client().get("/api/people").status_code == 401


def test_the_api_lists_and_opens_files_in_scope(world) -> None:
    client = signed_in("officer")

    listed = client.get("/api/people?q=омаров").json()
    opened = client.get(f"/api/people/{world.pk}").json()

    assert [p["number"] for p in listed] == ["KA-0001"]
    assert opened["law"]["condition"] == "regular"
    assert opened["facts"][0]["type"] == "arrived"
    assert opened["explanation"]


def test_the_api_refuses_a_file_outside_the_scope(world) -> None:
    client = signed_in("almaty")
    with nothing_written():
        assert client.get(f"/api/people/{world.pk}").status_code == 403
        assert client.get("/api/people?q=омаров").json() == []


def test_the_api_records_a_penalty_and_corrects_it(world) -> None:
    client = signed_in("officer")

    made = _post(
        client,
        f"/api/people/{world.pk}/facts",
        {"type": "penalty", "on": "2023-06-01", "violation": "smoking", "malicious": ""},
    )
    assert made.status_code == 201, made.content
    fixed = _post(
        client,
        f"/api/people/{world.pk}/facts/{made.json()['seq']}/correct",
        {"reason": "entered twice", "reason_code": "recorded_twice", "withdraw": True},
    )

    assert fixed.status_code == 201, fixed.content
    assert fixed.json()["corrects"] == made.json()["seq"]


def test_the_api_rejects_bad_input_in_the_users_language_and_writes_nothing(world) -> None:
    client = signed_in("officer", "ru")
    with nothing_written():
        response = _post(
            client, f"/api/people/{world.pk}/facts", {"type": "incentive", "on": "not a date"}
        )

        assert response.status_code == 422
        assert "Введите правильную дату." in response.json()["errors"]["on"]


def test_the_api_docs_load_nothing_from_the_network(world) -> None:
    import re

    page = signed_in("officer").get("/api/docs").content.decode()

    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets), assets
    assert [a for a in assets if a.startswith(("http://", "https://", "//"))] == []


def test_the_api_docs_and_description_are_for_signed_in_users(world) -> None:
    from django.test import Client

    anonymous = Client()
    for url in ("/api/docs", "/api/openapi.json"):
        answer = anonymous.get(url)
        assert answer.status_code == 302, url
        assert "/accounts/login/" in answer["Location"]
    assert signed_in("officer").get("/api/openapi.json").status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"type": "incentive", "on": ["2025-01-01"]},
        {"type": "incentive", "on": {"y": 2025}},
        {"type": "penalty", "on": "2025-01-01", "code": ["a", "b"]},
        {"type": "incentive", "on": 20250101},
        {"type": "work_hours", "on": "2025-01-01", "hours": 10**30},
        {"type": "incentive", "on": "9999-12-31"},
    ],
)
def test_a_fact_with_values_of_the_wrong_shape_is_refused_not_a_server_error(world, body) -> None:
    with nothing_written():
        answer = _post(signed_in("officer"), f"/api/people/{world.pk}/facts", body)
        assert answer.status_code == 422, answer.content


@pytest.mark.parametrize(
    "query", ["institution=99999999999999999999", "offset=99999999999999999999", "limit=-5"]
)
def test_numbers_beyond_the_databases_integers_in_the_search_are_not_server_errors(
    world, query: str
) -> None:
    assert signed_in("officer").get(f"/api/people?{query}").status_code in (200, 422)


def test_an_entry_without_a_form_of_its_kind_can_be_withdrawn_not_replaced(world) -> None:
    """The page and the API read a correction the same (`forms.Correction`): the admission's
    arrival has no form to replace it with, so both refuse, naming the withdrawal, and write nothing."""
    client = signed_in("officer", "en")
    arrived = world.facts.get(kind="arrived")
    sent = {"reason": "entered on the wrong day", "reason_code": "recorded_twice"}
    with nothing_written():
        api = _post(client, f"/api/people/{world.pk}/facts/{arrived.seq}/correct", sent)
        page = client.post(
            f"/people/{world.pk}/entries/{arrived.seq}/correct/",
            {f"c{arrived.seq}-{k}": v for k, v in sent.items()},
        )

        assert api.status_code == 422, api.content
        assert api.json()["errors"]["withdraw"] == [
            "This entry can only be withdrawn, not replaced."
        ]
        assert page.status_code == 400
        assert "This entry can only be withdrawn, not replaced." in page.content.decode()
