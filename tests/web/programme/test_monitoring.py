"""Public councils' monitoring visits: record, assign, answer, overdue (issue 20, ADR 0038)."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson
import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from typer.testing import CliRunner

from adaldyq.cli.__main__ import app
from adaldyq.core.errors import InputError
from adaldyq.oversight.monitoring import read_monitoring_flags
from adaldyq.oversight.sources import all_flag_kinds
from adaldyq.web.decisions.labels import FLAG_LABELS
from adaldyq.web.programme import projection, services
from adaldyq.web.programme.models import MonitoringVisit, Observation
from adaldyq.web.programme.selectors import monitoring_figures
from adaldyq.web.records import ledger_port

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 10)
PHOTO = b"\x89PNG\r\n\x1a\n synthetic photograph of cell 7"


def _noon(day: date) -> datetime:
    """Noon of `day` in the deployment's zone (Asia/Almaty): what `timezone.localdate()` reads."""
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=ZoneInfo("Asia/Almaty"))


@pytest.fixture
def people(world: dict[str, Any], make_user: Any) -> dict[str, Any]:
    return {**world, "council": make_user("council", "public_council"),
            "prosecutor": make_user("prosecutor", "prosecutor")}  # fmt: skip


def _record(people: dict[str, Any], **over: Any) -> MonitoringVisit:
    args: dict[str, Any] = {
        "member": people["council"], "institution": "M-ALM", "day": DAY,
        "council": "Общественный совет Синтетической области", "members": ["Демоева Айгуль"],
        "observations": [
            ("cells", "В камере № 7 не работает вентиляция.\nОкна не открываются.",
             [services.Upload("cell-7.png", "image/png", PHOTO)]),
            ("food", "Меню соблюдается.", []),
            ("medical", "  ", []),
        ],
        "on": DAY,
    }  # fmt: skip
    return services.monitoring_record(**{**args, **over})


def _client(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _types() -> list[str]:
    with connection.cursor() as cursor:
        return [
            e.type for e in ledger_port.entries(cursor) if e.type in projection.MONITORING_TYPES
        ]


def test_a_visit_is_recorded_assigned_and_answered_each_step_one_entry(people) -> None:
    visit = _record(people)
    cells, food = visit.observations.all()  # the empty topic is left out
    assert (cells.topic, food.topic) == ("cells", "food")
    assert cells.text == "В камере № 7 не работает вентиляция.\nОкна не открываются."
    digest = hashlib.sha256(PHOTO).hexdigest()
    assert cells.documents == [
        {"document": f"sha256:{digest}", "name": "cell-7.png", "type": "image/png"}
    ]
    assert (Path(settings.DATA_DIR) / "documents" / f"sha256-{digest}").read_bytes() == PHOTO
    with pytest.raises(InputError):  # the due date is a day to come
        services.observation_assign(member=people["council"], observation=cells, to="Начальник",
                                    due=DAY, on=DAY)  # fmt: skip
    with pytest.raises(InputError):  # nothing to answer before an assignment
        services.assignment_answer(officer=people["head"], observation=cells, answer="x", on=DAY)
    cells = services.observation_assign(member=people["council"], observation=cells,
                                        to="Начальник учреждения", due=DAY + timedelta(days=30),
                                        on=DAY)  # fmt: skip
    assert (cells.assigned_to, cells.due) == ("Начальник учреждения", DAY + timedelta(days=30))
    cells = services.assignment_answer(officer=people["head"], observation=cells,
                                       answer="Вентиляция отремонтирована.",
                                       on=DAY + timedelta(days=20))  # fmt: skip
    assert cells.answered_by == "head-alm"
    assert _types() == [projection.MONITORING_RECORDED, projection.MONITORING_ASSIGNED,
                        projection.MONITORING_ANSWERED]  # fmt: skip
    before = list(Observation.objects.values())
    projection.rebuild()
    assert list(Observation.objects.values()) == before
    with pytest.raises(InputError):
        _record(people, day=DAY + timedelta(days=1))  # a visit to come is not recorded
    # a later visit finds the ventilation broken again: a finding naming both entries
    later = DAY + timedelta(days=40)
    with pytest.raises(InputError):  # only an earlier observation of the same institution
        _record(people, institution="M-AKM", day=later, on=later, repeats={"cells": cells.id})
    again = _record(people, day=later, on=later, repeats={"cells": cells.id})
    assert again.observations.get(topic="cells").repeats == cells.id
    with connection.cursor() as cursor:
        flags = [f for f in read_monitoring_flags(cursor, on=later)
                 if f.kind == "monitoring_observation_repeated"]  # fmt: skip
    assert [(f.flag_class, f.institution, f.detail["repeats"], len(f.evidence)) for f in flags] == [
        ("finding", "M-ALM", cells.id, 2)
    ]
    page = _client(people["council"], "ru").get(f"/programme/monitoring/{again.id}/")
    assert f"Выявлено повторно: наблюдение {cells.id}" in page.content.decode()
    with pytest.raises(InputError):
        _record(people, observations=[("cells", " ", [])])


def test_an_assignment_not_answered_by_its_due_date_is_overdue_everywhere(people) -> None:
    visit = _record(people)
    cells, food = visit.observations.all()
    due = DAY + timedelta(days=10)
    for o in (cells, food):
        services.observation_assign(member=people["council"], observation=o, to="Начальник",
                                    due=due, on=DAY)  # fmt: skip
    services.assignment_answer(
        officer=people["head"], observation=food, answer="Исполнено.", on=due
    )  # fmt: skip: answered on its due date, in time
    with time_machine.travel(_noon(due), tick=False):
        assert monitoring_figures(None, due)["overdue"] == []
        page = _client(people["council"]).get("/programme/monitoring/").content.decode()
        assert "No assignment is late." in page
    late_day = due + timedelta(days=5)
    with connection.cursor() as cursor:
        assert read_monitoring_flags(cursor, on=due) == []
        flags = read_monitoring_flags(cursor, on=late_day)
    assert [(f.kind, f.flag_class, f.institution, f.detail["observation"], f.detail["days_late"])
            for f in flags] == [("monitoring_assignment_overdue", "finding", "M-ALM", cells.id, 5)]  # fmt: skip
    assert "monitoring_assignment_overdue" in all_flag_kinds()
    assert "monitoring_assignment_overdue" in FLAG_LABELS
    with time_machine.travel(_noon(late_day), tick=False):
        page = _client(people["council"], "ru").get("/programme/monitoring/").content.decode()
        assert f'data-observation="{cells.id}"' in page
        assert f'data-observation="{food.id}"' not in page
        assert "ответа ещё нет" in page
        visit_page = _client(people["prosecutor"]).get(f"/programme/monitoring/{visit.id}/")
        assert b"Overdue: no answer by the due date." in visit_page.content
        result = CliRunner().invoke(app, ["programme", "report", "--format", "json"])
        assert result.exit_code == 0, result.output
        overdue = orjson.loads(result.output)["monitoring"]["overdue"]
        assert [(o["observation"], o["days_late"], o["answered_on"]) for o in overdue] == [
            (cells.id, 5, None)
        ]
        text = " ".join(CliRunner().invoke(app, ["programme", "report"]).output.split())
        assert (
            "public monitoring visits: 1; observations: 2; assignments: 2 (answered: 1); "
            "answered late or not at all on 2026-06-25: 1"
        ) in text
        assert "M-ALM due 2026-06-20 (5 days late, no answer): Начальник" in text
        # the register of deviations (oversight) lists it for the prosecutor
        register = _client(people["prosecutor"]).get(
            "/commission/register/?kind=monitoring_assignment_overdue"
        )
        assert register.status_code == 200
        assert 'data-kind="monitoring_assignment_overdue"' in register.content.decode()
    # a late answer closes nothing: it stays a finding, answered late
    services.assignment_answer(officer=people["head"], observation=cells, answer="Исполнено.",
                               on=late_day)  # fmt: skip
    with connection.cursor() as cursor:
        flags = read_monitoring_flags(cursor, on=late_day + timedelta(days=30))
    assert [(f.detail["answered_on"], f.detail["days_late"]) for f in flags] == [
        (late_day.isoformat(), 5)
    ]


def test_pages_record_assign_answer_and_fetch_a_photograph(people) -> None:
    council = _client(people["council"])
    page = council.get("/programme/monitoring/")
    assert b'id="record"' in page.content
    with time_machine.travel(_noon(DAY), tick=False):
        response = council.post("/programme/monitoring/record/", {
            "institution": "M-ALM", "day": DAY.isoformat(), "council": "Общественный совет",
            "members": "Демоева Айгуль\nСинтетов Ерлан", "text_cells": "Сыро.",
            "file_cells": [SimpleUploadedFile("cell.png", PHOTO, content_type="image/png"),
                           SimpleUploadedFile("act.pdf", b"%PDF act", content_type="application/pdf")],
            "text_complaints": "Три обращения о свиданиях.",
        })  # fmt: skip
        assert response.status_code == 302, response.content
        visit = MonitoringVisit.objects.get()
        assert response["Location"] == f"/programme/monitoring/{visit.id}/"
        assert visit.members == ["Демоева Айгуль", "Синтетов Ерлан"]
        cells = visit.observations.get(topic="cells")
        assigned = council.post(f"/programme/monitoring/{visit.id}/assign/", {
            "observation": cells.id, "to": "Начальник учреждения",
            "due": (DAY + timedelta(days=14)).isoformat(),
        })  # fmt: skip
        assert assigned.status_code == 302
        # the head of another institution may not answer; the head of M-ALM does
        other = _client(people["head_other"]).post(
            f"/programme/monitoring/{visit.id}/answer/", {"observation": cells.id, "answer": "x"}
        )
        assert other.status_code == 403
        head = _client(people["head"], "kk")
        shown = head.get(f"/programme/monitoring/{visit.id}/").content.decode()
        assert f'action="/programme/monitoring/{visit.id}/answer/"' in shown
        answered = head.post(f"/programme/monitoring/{visit.id}/answer/",
                             {"observation": cells.id, "answer": "Жөнделді."})  # fmt: skip
        assert answered.status_code == 302
    assert Observation.objects.get(id=cells.id).answer == "Жөнделді."
    digest = hashlib.sha256(PHOTO).hexdigest()
    photo = council.get(f"/programme/monitoring/{visit.id}/documents/{digest}/")
    assert photo.status_code == 200
    assert photo.content == PHOTO
    assert photo["Content-Type"] == "image/png"
    # any other file is downloaded, never shown inline
    act = council.get(
        f"/programme/monitoring/{visit.id}/documents/{hashlib.sha256(b'%PDF act').hexdigest()}/"
    )
    assert act["Content-Type"] == "application/octet-stream"
    assert act["Content-Disposition"].startswith("attachment")
    # a hash not attached to this visit is not served, whatever the data folder holds
    assert council.get(f"/programme/monitoring/{visit.id}/documents/{'0' * 64}/").status_code == 404
    # the head of another institution does not read this visit
    assert (
        _client(people["head_other"]).get(f"/programme/monitoring/{visit.id}/").status_code == 403
    )
