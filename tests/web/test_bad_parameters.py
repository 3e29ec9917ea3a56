"""Hostile or malformed parameters get an answer, never a server error (issue 16, low findings)."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from adaldyq.web.params import date_param, id_param, int_param
from tests.web.fixtures import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(make_user) -> Client:
    make_user("chair", "committee")
    client = Client()
    client.login(username="chair", password=PASSWORD)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/transfers/capacity/?months=abc",
        "/transfers/capacity/?months=-5",
        "/transfers/capacity/?months=9999999999999999999999999",
        "/people/?institution=9999999999999999999999999",
        "/people/?institution=abc&page=zz",
        "/people/?page=99999999999999999999999",
    ],
)
def test_malformed_numbers_in_the_query_are_not_server_errors(committee: Client, url: str) -> None:
    assert committee.get(url).status_code == 200


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/people/", {"q": "Ах\x00мет"}),
        ("get", "/people/\x00", {}),
        ("post", "/accounts/login/", {"username": "chair\x00", "password": "x"}),
    ],
)
def test_a_nul_character_is_refused_with_the_sites_400(
    committee: Client, method: str, url: str, data: dict[str, str]
) -> None:
    answer = getattr(committee, method)(url, data)
    assert answer.status_code == 400
    assert b"Traceback" not in answer.content


def test_a_nul_character_in_an_api_body_is_refused(committee: Client) -> None:
    answer = committee.post(
        "/api/people", '{"surname": "A\\u0000B"}', content_type="application/json"
    )
    assert answer.status_code == 400


def test_the_parameter_readers_keep_to_their_bounds() -> None:
    rf = RequestFactory()
    assert int_param(rf.get("/", {"n": "7"}), "n", 3, lo=1, hi=5) == 5
    assert int_param(rf.get("/", {"n": "٣"}), "n", 3, lo=1, hi=5) == 3  # Arabic-Indic digit
    assert int_param(rf.get("/", {"n": "1" * 25}), "n", 3, lo=1, hi=5) == 3
    assert id_param(rf.get("/", {"id": "0"}), "id") is None
    assert id_param(rf.get("/", {"id": "42"}), "id") == 42
    from datetime import date

    assert date_param(rf.get("/", {"d": "2026-02-30"}), "d", date(2026, 1, 1)) == date(2026, 1, 1)
    assert date_param(rf.get("/", {"d": "2028-02-29"}), "d", date(2026, 1, 1)) == date(2028, 2, 29)
