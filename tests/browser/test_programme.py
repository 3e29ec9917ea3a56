"""The host's head lists its route stations, the Agency plans a programme visit along them, the head
confirms it, the Agency records attendance and the figures count it (issue 20)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.forms import fill_in
from tests.browser.signin import from_menu, sign_in
from tests.web.fixtures import account
from tests.web.transfers.conftest import small_register


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    insts = small_register()
    account("agency", "anticorruption")
    account("head", "head", institution=insts["M-ALM"])
    return {"insts": insts}


def test_the_agency_plans_the_head_confirms_and_attendance_is_recorded(
    world: dict[str, Any], live_server: Any, page: Page
) -> None:
    from adaldyq.web.programme.models import Attendance, ProgrammeVisit

    base = live_server.url
    # the host's head lists its own route stations
    sign_in(page, base, "head", lang="kk", at="/programme/")
    page.click("#to-stations")
    page.fill("#id_stations", "Кабинеты следователей\nКомната обыска\nКамеры\nПрогулочные дворы")
    page.click("#list-stations button")
    expect(page.locator("#stations li")).to_have_count(4)

    from_menu(page, base, "agency", "ru", "#nav-programme", "Программа посещений")
    page.select_option("#id_host", "M-ALM")
    page.click("#plan button")
    expect(page.locator("#plan-host")).to_be_visible()
    page.fill("#id_day", timezone.localdate().isoformat())  # planned for today: attended today
    page.fill("#id_capacity", "10")
    page.uncheck("#id_route_1")  # not the search room
    page.fill("#id_hearings", "Синтетический суд; 1-99/2026; 2026-12-20")
    page.click("#plan button")
    expect(page.locator("#route li")).to_have_count(3)
    expect(page.locator("#status")).to_contain_text("ожидает ответа")
    visit = ProgrammeVisit.objects.get()

    sign_in(page, base, "head", lang="kk", at=f"/programme/visits/{visit.id}/")
    page.select_option("#id_confirmed", "yes")
    page.click("#decide button")
    expect(page.locator("#status")).to_contain_text("расталды")
    assert ProgrammeVisit.objects.get().status == "confirmed"

    sign_in(page, base, "agency", lang="en", at=f"/programme/visits/{visit.id}/")
    page.click("#attend summary")
    fill_in(page, {
        "#id_name": "Testov Test", "#id_body": "Ministry of Synthetics",
        "#id_position": "director of department", "#id_category": "corps_a",
        "#id_region": "almaty",
    }, submit="#attend button")  # fmt: skip
    expect(page.locator("#attendance tbody tr")).to_have_count(1)
    expect(page.locator("#attendance")).to_contain_text("corps A")
    assert Attendance.objects.count() == 1
    page.goto(f"{base}/programme/")
    page.click("#to-figures")
    expect(page.locator("#headline")).to_contain_text("1 official has attended")
    expect(page.locator("#chart-months .chart-view[data-drawn] svg")).to_have_count(1)
    expect(page.locator("#chart-months table tbody tr")).to_have_count(1)
    expect(page.locator("#by-category")).to_contain_text("corps A")


def test_the_agency_imports_a_list_sees_the_bad_row_named_then_who_is_not_reached(
    world: dict[str, Any], live_server: Any, page: Page, tmp_path: Any
) -> None:
    from adaldyq.web.programme.models import Official

    header = "name,body,position,category,region\n"
    rows = [
        f"Testov Official {i},Ministry of Synthetics,head of unit,corps_b,almaty\n"
        for i in range(4)
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        header + rows[0] + "Testov X,Ministry of Synthetics,x,corps_q,almaty\n" + rows[1]
    )
    good = tmp_path / "good.csv"
    good.write_text(header + "".join(rows))
    base = live_server.url
    sign_in(page, base, "agency", lang="en", at="/programme/")
    page.click("#to-officials")
    page.set_input_files("#id_file", str(bad))
    page.click("#import button")
    expect(page.locator("#bad-rows li[data-line='3']")).to_contain_text("corps_q")
    assert Official.objects.count() == 0
    page.set_input_files("#id_file", str(good))
    page.click("#import button")
    expect(page.locator("#coverage")).to_contain_text("0 of 4 officials in scope have attended")
    page.click("#by-body a")
    expect(page.locator("#missing tbody tr")).to_have_count(4)


def test_a_public_council_records_a_monitoring_visit_assigns_and_the_head_answers(
    world: dict[str, Any], live_server: Any, page: Page, tmp_path: Any
) -> None:
    from datetime import timedelta

    from adaldyq.web.programme.models import Observation

    account("council", "public_council")
    photo = tmp_path / "cell-7.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n synthetic photograph")
    base = live_server.url
    from_menu(
        page, base, "council", "ru", "#nav-monitoring", "Общественные мониторинговые посещения"
    )
    fill_in(page, {
        "#id_institution": "M-ALM", "#id_day": timezone.localdate().isoformat(),
        "#id_council": "Общественный совет Синтетической области",
        "#id_members": "Демоева Айгуль\nСинтетов Ерлан",
        "#id_text_cells": "В камере № 7 не работает вентиляция.",
    })  # fmt: skip
    page.set_input_files("#id_file_cells", str(photo))
    page.click("#record button")
    expect(page.locator(".observation")).to_have_count(1)
    expect(page.locator(".documents a")).to_contain_text("cell-7.png")
    page.click(".assign summary")
    page.fill("input[name=to]", "Начальник учреждения")
    page.fill("input[name=due]", (timezone.localdate() + timedelta(days=14)).isoformat())
    page.click(".assign button")
    expect(page.locator(".assignment")).to_contain_text("Начальник учреждения")
    observation = Observation.objects.get()

    sign_in(page, base, "head", lang="kk", at=f"/programme/monitoring/{observation.visit_id}/")
    page.fill("textarea[name=answer]", "Желдеткіш жөнделді.")
    page.click(".assignment button")
    expect(page.locator(".answer")).to_contain_text("Желдеткіш жөнделді.")
    assert Observation.objects.get().answered_by == "head"
