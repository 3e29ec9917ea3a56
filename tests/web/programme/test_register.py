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
from tests.web.programme.conftest import DAY, STATIONS, official

pytestmark = pytest.mark.django_db

ROUTE = STATIONS


def _plan(world: dict[str, Any], **over: Any) -> ProgrammeVisit:
    args: dict[str, Any] = {
        "officer": world["agency"], "host": "M-ALM", "day": DAY, "route": ROUTE, "capacity": 3,
        "hearings": [{"court": "Синтетический районный суд", "case": "1-123/2026", "day": "2026-06-11"}],
        "on": DAY - timedelta(days=20),
    }  # fmt: skip
    return services.visit_plan(**{**args, **over})


def _entries() -> list[Any]:
    with connection.cursor() as cursor:
        return [
            e
            for e in ledger_port.entries(cursor)
            if e.type in projection.ENTRY_TYPES and e.type != projection.STATIONS_LISTED
        ]


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
    assert projection.rebuild() == 3 + len(world["insts"])  # and each institution's stations
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
        {"route": ["cells", "the governor's dacha"]},
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
    form = agency.get("/programme/plan/?host=M-ALM")
    assert form.status_code == 200
    assert b'value="exercise yards"' in form.content  # the host's own stations are offered
    data = {
        "host": "M-ALM", "day": (timezone.localdate() + timedelta(days=30)).isoformat(), "capacity": "5",
        "route": ["cells", "reception"], "invited": "", "hearings": "District court; 1-7/2026; 2026-07-01",
    }  # fmt: skip
    response = agency.post("/programme/plan/", data)
    visit = ProgrammeVisit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/programme/visits/{visit.id}/"
    assert visit.hearings == [{"court": "District court", "case": "1-7/2026", "day": "2026-07-01"}]
    assert visit.route == ["reception", "cells"]  # in the host's order
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


def test_the_route_comes_from_the_hosts_own_list_kept_by_its_head(world) -> None:
    from adaldyq.web.programme.models import RouteStations

    head = client_as(world["head"], "en")
    page = head.get("/programme/")
    assert b'id="to-stations"' in page.content
    response = head.post(
        "/programme/stations/M-ALM/", {"stations": "reception\n\nsearch room\ncells\nreception"}
    )
    assert response.status_code == 302
    assert RouteStations.objects.get(institution="M-ALM").stations == [
        "reception",
        "search room",
        "cells",
    ]
    # another institution's head reads nothing of it and writes nothing; the Agency reads it
    other = client_as(world["head_other"], "en")
    assert other.get("/programme/stations/M-ALM/").status_code == 403
    assert other.post("/programme/stations/M-ALM/", {"stations": "x"}).status_code == 403
    agency = client_as(world["agency"], "en")
    listed = agency.get("/programme/stations/M-ALM/")
    assert b"search room" in listed.content
    assert b"list-stations" not in listed.content
    assert agency.post("/programme/stations/M-ALM/", {"stations": "x"}).status_code == 403
    # a station from the earlier list is no longer offered nor taken
    with pytest.raises(InputError):
        _plan(world, route=["exercise yards"])
    RouteStations.objects.all().delete()
    projection.rebuild()  # the read model comes back from the ledger
    assert RouteStations.objects.get(institution="M-ALM").stations[1] == "search room"


def test_a_host_without_a_list_cannot_be_planned_and_remand_centres_are_hosts(world) -> None:
    from adaldyq.web.institutions.services import institution_upsert

    sizo = institution_upsert(
        code="SI-9", name="Remand centre 9", region_key="almaty", type="mixed", capacity=80,
        lat=43.2, lon=76.9,
    )  # fmt: skip
    assert sizo.kind == "remand"
    with pytest.raises(InputError):
        _plan(world, host="SI-9", route=["cells"])
    agency = client_as(world["agency"], "en")
    page = agency.get("/programme/")
    assert b"pre-trial detention centre" in page.content  # a group of hosts
    assert b'id="no-stations"' in agency.get("/programme/plan/?host=SI-9").content
