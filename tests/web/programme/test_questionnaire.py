"""The anonymous questionnaire: no official in its entry, shown only in groups of 10 or more."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from adaldyq.core.errors import InputError
from adaldyq.web.programme import projection, services
from adaldyq.web.programme.selectors import figures
from adaldyq.web.records import ledger_port
from tests.web.programme.conftest import official

pytestmark = pytest.mark.django_db
DAY = date(2026, 4, 4)


@pytest.fixture
def visit(world) -> Any:
    v = services.visit_plan(officer=world["agency"], host="M-ALM", day=DAY, route=["cells"],
                            capacity=12, on=DAY - timedelta(days=10))  # fmt: skip
    v = services.visit_decide(officer=world["head"], visit=v, confirmed=True, on=DAY)
    for n in range(11):
        services.attendance_record(officer=world["agency"], visit=v, official=official(n), on=DAY)
    return v


def _answer(world: dict[str, Any], visit: Any, useful: int, recommend: bool = True) -> None:
    services.answer_record(officer=world["agency"], visit=visit, useful=useful,
                           recommend=recommend, on=DAY)  # fmt: skip


def test_nine_answers_are_not_shown_ten_are(world, visit) -> None:
    for i in range(9):
        _answer(world, visit, 1 + i % 5)
    q = figures()["questionnaire"]
    assert q["overall"] == {"answers": 9, "shown": False}
    assert q["by_institution"]["M-ALM"] == {"answers": 9, "shown": False}
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world["agency"])
    page = client.get(f"/programme/visits/{visit.id}/").content.decode()
    assert 'data-shown="0"' in page
    assert "usefulness" not in page
    _answer(world, visit, 5, recommend=False)
    q = figures()["questionnaire"]["overall"]
    assert q == {"answers": 10, "shown": True, "useful_mean": 3.0, "recommend_share": 0.9}
    assert 'data-shown="1"' in client.get("/programme/figures/").content.decode()


def test_the_entry_names_no_official_and_answers_stop_at_the_attendees(world, visit) -> None:
    for _ in range(11):
        _answer(world, visit, 4)
    with pytest.raises(InputError):
        _answer(world, visit, 4)
    with pytest.raises(InputError):
        services.answer_record(
            officer=world["agency"], visit=visit, useful=7, recommend=True, on=DAY
        )
    with connection.cursor() as cursor:
        answers = [e for e in ledger_port.entries(cursor) if e.type == projection.ANSWERED]
    assert len(answers) == 11
    assert all(set(e.payload) == {"on", "visit", "useful", "recommend"} for e in answers)


def test_the_form_enters_an_answer(world, visit) -> None:
    client = Client()
    client.force_login(world["agency"])
    response = client.post(
        f"/programme/visits/{visit.id}/answer/", {"useful": "4", "recommend": "yes"}
    )
    assert response.status_code == 302
    assert figures()["questionnaire"]["overall"]["answers"] == 1
    head = Client()
    head.force_login(world["head"])
    assert (
        head.post(
            f"/programme/visits/{visit.id}/answer/", {"useful": "4", "recommend": "yes"}
        ).status_code
        == 403
    )
