"""The programme register: plan, the host's answer, attendance; each write one ledger entry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from adaldyq.core.errors import InputError
from adaldyq.web.programme import projection, services
from adaldyq.web.programme.models import Attendance, ProgrammeVisit
from adaldyq.web.records import ledger_port
from tests.web.fixtures import client_as
from tests.web.programme.conftest import DAY, official

pytestmark = pytest.mark.django_db

ROUTE = ["investigators' offices", "reception", "cells", "exercise yards"]


def _plan(world: dict[str, Any], **over: Any) -> ProgrammeVisit:
    args: dict[str, Any] = {
        "officer": world["agency"], "host": "M-ALM", "day": DAY, "route": ROUTE, "capacity": 3,
        "hearings": [{"court": "Синтетический районный суд", "case": "1-123/2026", "day": "2026-06-11"}],
        "on": DAY - timedelta(days=20),
    }  # fmt: skip
    return services.visit_plan(**{**args, **over})


def _entries() -> list[Any]:
    with connection.cursor() as cursor:
        return [e for e in ledger_port.entries(cursor) if e.type in projection.ENTRY_TYPES]


def test_a_visit_is_planned_confirmed_and_attended_each_step_one_entry(world) -> None:
    visit = _plan(world)
    assert visit.status == "planned"
    assert visit.route == ROUTE
    assert visit.region == "almaty"
    visit = services.visit_decide(
        officer=world["head"], visit=visit, confirmed=True, on=DAY - timedelta(days=10)
    )
    assert visit.status == "confirmed"
    a = services.attendance_record(
        officer=world["agency"], visit=visit, official=official(1), on=DAY
    )
    assert a.category == "corps_a"
    assert a.host == "M-ALM"
    assert [e.type for e in _entries()] == [
        projection.VISIT_PLANNED,
        projection.VISIT_DECIDED,
        projection.ATTENDANCE_RECORDED,
    ]
    # the read models are rebuilt from the ledger alone
    before = list(Attendance.objects.values("official", "name", "body", "region", "seq"))
    assert projection.rebuild() == 3
    assert list(Attendance.objects.values("official", "name", "body", "region", "seq")) == before
    assert ProgrammeVisit.objects.get().status == "confirmed"


def test_refusal_needs_a_reason_and_a_refused_visit_takes_no_attendance(world) -> None:
    visit = _plan(world)
    with pytest.raises(InputError):
        services.visit_decide(officer=world["head"], visit=visit, confirmed=False, reason=" ")
    visit = services.visit_decide(
        officer=world["head"], visit=visit, confirmed=False, reason="quarantine"
    )
    assert (visit.status, visit.reason) == ("refused", "quarantine")
    with pytest.raises(InputError):
        services.visit_decide(officer=world["head"], visit=visit, confirmed=True)
    with pytest.raises(InputError):
        services.attendance_record(
            officer=world["agency"], visit=visit, official=official(1), on=DAY
        )
    assert len(_entries()) == 2


def test_planning_refuses_what_cannot_be(world) -> None:
    on = DAY - timedelta(days=1)
    for over in (
        {"host": "NOPE"}, {"day": on - timedelta(days=1), "on": on}, {"route": [" "]},
        {"capacity": 0}, {"capacity": 1, "invited": ["o-1", "o-2"]},
        {"hearings": [{"court": "", "case": "1"}]},
    ):  # fmt: skip
        with pytest.raises(InputError):
            _plan(world, **over)
    assert _entries() == []


def test_attendance_checks_the_day_the_capacity_and_repeats(world) -> None:
    visit = services.visit_decide(
        officer=world["head"], visit=_plan(world, capacity=2), confirmed=True
    )
    with pytest.raises(InputError):  # before the day
        services.attendance_record(
            officer=world["agency"], visit=visit, official=official(1), on=DAY - timedelta(days=1)
        )
    services.attendance_record(officer=world["agency"], visit=visit, official=official(1), on=DAY)
    with pytest.raises(InputError):  # the same official again, whitespace and case aside
        services.attendance_record(
            officer=world["agency"], visit=visit,
            official=official(1, name="  сынақов   ресми 1"), on=DAY,
        )  # fmt: skip
    for bad in ({"category": "minister"}, {"region": "atlantis"}, {"name": ""}):
        with pytest.raises(InputError):
            services.attendance_record(
                officer=world["agency"], visit=visit, official=official(2, **bad), on=DAY
            )
    services.attendance_record(officer=world["agency"], visit=visit, official=official(2), on=DAY)
    with pytest.raises(InputError):  # full
        services.attendance_record(
            officer=world["agency"], visit=visit, official=official(3), on=DAY
        )
    assert Attendance.objects.count() == 2


def test_pages_plan_answer_and_attend_in_the_browser_forms(world) -> None:
    agency = client_as(world["agency"], "en")
    page = agency.get("/programme/")
    assert page.status_code == 200
    assert b'id="plan"' in page.content
    data = {
        "host": "M-ALM", "day": (timezone.localdate() + timedelta(days=30)).isoformat(), "capacity": "5",
        "route": "reception\ncells", "invited": "", "hearings": "District court; 1-7/2026; 2026-07-01",
    }  # fmt: skip
    response = agency.post("/programme/plan/", data)
    visit = ProgrammeVisit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/programme/visits/{visit.id}/"
    assert visit.hearings == [{"court": "District court", "case": "1-7/2026", "day": "2026-07-01"}]
    # the other institution's head may not answer, nor read it; the host's head answers
    assert (
        client_as(world["head_other"], "en").get(f"/programme/visits/{visit.id}/").status_code
        == 403
    )
    assert (
        client_as(world["head_other"], "en")
        .post(f"/programme/visits/{visit.id}/decide/", {"confirmed": "yes"})
        .status_code
        == 403
    )
    head = client_as(world["head"], "en")
    assert b'id="decide"' in head.get(f"/programme/visits/{visit.id}/").content
    head.post(f"/programme/visits/{visit.id}/decide/", {"confirmed": "no", "reason": ""})
    assert ProgrammeVisit.objects.get().status == "planned"  # a refusal needs a reason
    head.post(f"/programme/visits/{visit.id}/decide/", {"confirmed": "yes", "reason": ""})
    assert ProgrammeVisit.objects.get().status == "confirmed"
    # the records officer reads but does not answer
    officer = client_as(world["officer"], "en")
    assert (
        officer.post(
            f"/programme/visits/{visit.id}/decide/", {"confirmed": "no", "reason": "x"}
        ).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("language", "word"), [("kk", "Шенеуніктер"), ("ru", "Программа"), ("en", "Officials")]
)
def test_the_register_speaks_the_three_languages(world, language: str, word: str) -> None:
    assert word in client_as(world["agency"], language).get("/programme/").content.decode()
