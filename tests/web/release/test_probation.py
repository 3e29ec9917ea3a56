"""The probation officer's register, file, record and figures (issue 19)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from adaldyq.cli.__main__ import app
from tests.web.fixtures import out_of_scope, released_on_parole, serving

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(alm: dict[str, Any], make_user: Any) -> dict[str, Any]:
    insts, officer, today = alm["insts"], alm["officer"], alm["today"]
    person = serving(
        officer, "P-1", start=today - timedelta(days=900), years=3, institution="M-ALM",
        surname="Пробациев",
    )  # fmt: skip
    released_on_parole(
        officer=officer, person=person, on=today - timedelta(days=3), unserved={"months": 5}
    )
    return {
        "person": person, "today": today,
        "po": make_user("po-alm", "probation_officer", region=insts["M-ALM"].region),
        "po_other": make_user("po-akm", "probation_officer", region=insts["M-AKM"].region),
    }  # fmt: skip


def test_the_officers_day_lists_the_person_shows_the_duties_and_records_a_check_in(
    client: Any, world: dict[str, Any]
) -> None:
    client.force_login(world["po"])
    pk, today = world["person"].pk, world["today"].isoformat()

    register = client.get("/probation/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.post(f"/probation/people/{pk}/record/",
                {"kind": "reporting_set", "on": today, "every_days": 14, "mode": "in_person"})  # fmt: skip
    page = client.post(f"/probation/people/{pk}/record/",
                       {"kind": "checked_in", "on": today, "mode": "phone"},
                       HTTP_ACCEPT_LANGUAGE="en", follow=True).content.decode()  # fmt: skip

    assert "Пробациев" in register
    assert "stay at home at the hours the court set" in page
    assert "by phone" in page
    next_report = page.split('id="next-report">')[1].split("</p>")[0]
    due = world["today"] + timedelta(days=14)
    assert f"{due.day} {due:%b} {due.year}" in next_report


def test_a_probation_officer_of_another_region_and_prison_staff_may_not_read_the_file(
    client: Any, world: dict[str, Any], make_user: Any
) -> None:
    pk = world["person"].pk
    out_of_scope(client, world["po_other"], f"/probation/people/{pk}/", "/probation/", "Пробациев")


def test_the_report_counts_the_people_on_probation_and_their_programmes_on_page_and_command(
    client: Any, world: dict[str, Any]
) -> None:
    client.force_login(world["po"])
    pk, today = world["person"].pk, world["today"].isoformat()
    for fact in (
        {"kind": "programme_joined", "area": "education", "status": "completed"},
        {"kind": "employed", "text": "ТОО «Синтетика»"},
        {"kind": "medical_aid", "text": "стоматология"},
    ):
        client.post(f"/probation/people/{pk}/record/", {**fact, "on": today})

    found = orjson.loads(
        CliRunner().invoke(app, ["probation", "report", "--format", "json"]).output
    )
    page = client.get("/probation/report/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert {k: found[k] for k in ("on_parole", "programmes", "employed", "medical_aid",
                                  "education")} == dict.fromkeys(
        ("on_parole", "programmes", "employed", "medical_aid", "education"), 1)  # fmt: skip
    assert found["repeat_1y"] == {"released": 0, "reoffended": 0, "share": None}
    assert 'id="on-parole">1<' in page
    assert found["regions"]["almaty"]["employed"] == 1  # released from an institution in Almaty
    assert '<tr id="region-almaty">' in page
    text = CliRunner().invoke(app, ["probation", "report"]).output
    assert [line.split() for line in text.splitlines() if line.strip().startswith("almaty")] == [
        ["almaty", "1", "1", "1", "1", "1", "-", "-"]
    ]
    assert "unknown: nobody released a year ago or more" in page


def test_the_register_follows_each_new_fact_pages_and_narrows_to_a_region(
    client: Any, world: dict[str, Any], alm: dict[str, Any], make_user: Any, monkeypatch: Any
) -> None:
    from adaldyq.web.release import probation_views

    officer, today, first = alm["officer"], world["today"], world["person"]
    client.force_login(make_user("ombud", "ombudsman"))
    shown = client.get("/probation/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Пробациев" in shown
    assert 'id="probation-region"' in shown

    # Released after the register was first read: the next reading has them (kept files, updated).
    for n, code in enumerate(("M-ALM", "M-AKM")):
        p = serving(
            officer, f"P-{n + 2}", start=today - timedelta(days=900), years=3,
            institution=code, surname=f"Кейінгі{n}",
        )  # fmt: skip
        released_on_parole(officer=officer, person=p, on=today - timedelta(days=1))
    monkeypatch.setattr(probation_views, "REGISTER_PAGE", 2)
    one = client.get("/probation/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    two = client.get("/probation/?page=2", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "3 people on probation" in one
    assert 'id="probation-pages"' in one
    assert sum(name in one + two for name in ("Пробациев", "Кейінгі0", "Кейінгі1")) == 3
    assert sum(name in one for name in ("Пробациев", "Кейінгі0", "Кейінгі1")) == 2

    akm = str(alm["insts"]["M-AKM"].region_id)
    narrowed = client.get(f"/probation/?region={akm}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Кейінгі1" in narrowed
    assert "Пробациев" not in narrowed
    assert "Кейінгі0" not in narrowed

    # The probation ends: the person leaves the register at the next reading.
    client.force_login(world["po"])
    client.post(f"/probation/people/{first.pk}/record/",
                {"kind": "probation_closed", "on": today.isoformat(), "reason": "term_ended"})  # fmt: skip
    mine = client.get("/probation/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Пробациев" not in mine
    assert "Кейінгі0" in mine
    # an officer of one region has no choice of regions, and another region's code is ignored
    assert 'id="probation-region"' not in mine
    assert "Кейінгі1" not in client.get(f"/probation/?region={akm}").content.decode()
