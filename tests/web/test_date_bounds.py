"""Dates people type lie near today (issue 16): a commission sitting and a closure of visits rooms far
from today are refused in the reader's language and write nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone, translation

from adaldyq.oversight.closures import read_closure_flags
from adaldyq.web.datebounds import DateOutOfBoundsError, check, window
from adaldyq.web.decisions import services as decisions
from adaldyq.web.decisions.models import Session
from adaldyq.web.visits import services as visits
from adaldyq.web.visits.models import Closure
from tests.web.fixtures import register

pytestmark = pytest.mark.django_db
MEMBERS = [{"name": "Staff One", "group": "staff", "present": True}]


@pytest.fixture
def officer(make_user: Any) -> Any:
    return make_user("officer", "records_officer", institution=register()["k1"])


@pytest.mark.parametrize("kind", ["sitting", "closure"])
def test_the_first_and_last_day_of_the_window_are_admitted_and_the_days_beyond_are_not(
    kind: str,
) -> None:
    today = date(2028, 2, 29)
    first, last = window(kind, today)

    check(kind, first, today=today)
    check(kind, last, today=today)
    for beyond in (first - timedelta(days=1), last + timedelta(days=1)):
        with pytest.raises(DateOutOfBoundsError):
            check(kind, beyond, today=today)


@pytest.mark.parametrize("on", [date(1, 1, 1), date(9999, 12, 31)])
def test_a_sitting_on_a_date_far_from_today_is_refused_and_nothing_is_opened(
    officer: Any, on: date
) -> None:
    with pytest.raises(DateOutOfBoundsError):
        decisions.session_open(officer=officer, on=on, members=MEMBERS)

    assert not Session.objects.exists()


def test_the_commission_page_refuses_a_far_date_in_russian(officer: Any) -> None:
    client = Client()
    client.force_login(officer)

    response = client.post(
        "/commission/open/",
        {"on": "9999-12-31", "member-1-name": "Staff One", "member-1-group": "staff"},
        HTTP_ACCEPT_LANGUAGE="ru",
        follow=True,
    )

    assert "Дата заседания должна быть в пределах" in response.content.decode()
    assert not Session.objects.exists()


def test_a_sitting_today_opens(officer: Any) -> None:
    session = decisions.session_open(officer=officer, on=timezone.localdate(), members=MEMBERS)

    assert session.on == timezone.localdate()


@pytest.mark.parametrize(
    ("first", "last"),
    [(date(1, 1, 1), date(9999, 12, 31)), (None, date(9999, 12, 31)), (date(1, 1, 1), None)],
)
def test_a_closure_reaching_far_from_today_is_refused_and_blocks_nothing(
    officer: Any, first: date | None, last: date | None
) -> None:
    today = timezone.localdate()

    with pytest.raises(DateOutOfBoundsError):
        visits.closure_record(
            officer=officer, institution="UK-161/1", room="", first_day=first or today,
            last_day=last or today, reason="repairs",
        )  # fmt: skip

    assert not Closure.objects.exists()


def test_a_closure_refusal_reads_in_kazakh(officer: Any) -> None:
    today = timezone.localdate()

    with translation.override("kk"), pytest.raises(DateOutOfBoundsError) as refused:
        visits.closure_record(
            officer=officer, institution="UK-161/1", room="", first_day=today,
            last_day=date(9999, 12, 31), reason="repairs",
        )  # fmt: skip

    assert "Жабу күндері" in str(refused.value)
    assert "31.12.9999" in str(refused.value)


def test_a_closure_within_the_window_is_recorded(officer: Any) -> None:
    today = timezone.localdate()

    visits.closure_record(
        officer=officer, institution="UK-161/1", room="", first_day=today,
        last_day=today + timedelta(days=3), reason="repairs",
    )  # fmt: skip

    assert Closure.objects.count() == 1


def test_a_closure_longer_than_the_limit_is_a_lead_on_the_deviation_register(
    officer: Any, make_user: Any
) -> None:
    today, limit = timezone.localdate(), settings.CLOSURE_DAYS_FLAGGED
    for days in (limit, limit + 1):  # the limit itself is not flagged, a day more is
        visits.closure_record(
            officer=officer, institution="UK-161/1", room="", first_day=today,
            last_day=today + timedelta(days=days - 1), reason="repairs",
        )  # fmt: skip

    with connection.cursor() as cursor:
        flags = read_closure_flags(cursor)

    assert [(f.kind, f.institution, f.detail["days"], f.flag_class) for f in flags] == [
        ("long_closure", "UK-161/1", limit + 1, "lead")
    ]
    client = Client()
    client.force_login(make_user("committee", "committee"))
    page = client.get("/commission/register/?kind=long_closure", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "visits closed for longer than the project&#x27;s limit" in page.content.decode()
