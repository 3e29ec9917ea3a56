"""A relative books a visit on the public page, is refused over the entitlement in Russian, cancels
with the booking code and sees the visit given back (demo overlay: 4 short visits a year, D)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from adaldyq.web.records import services as records
from tests.browser.forms import IDENTIFY, fill_in
from tests.browser.signin import sign_in
from tests.web.conftest import demo_law  # noqa: F401 - the fixture
from tests.web.fixtures import (
    account,
    booked_by_staff,
    person_payload,
    registered_officer,
    relative_approved,
    room_defined,
)


@pytest.fixture
def world(transactional_db: Any, demo_law: None) -> dict[str, Any]:  # noqa: F811
    officer = registered_officer()[1]
    person = records.person_admit(officer=officer, person=person_payload("KA-0001"))
    v = relative_approved(officer=officer, person=person)
    room = room_defined(officer=officer, name="Зал 1", starts=["09:00", "14:00"])
    days = _window_days_of_one_year(timezone.localdate())
    for d in days[1:4]:  # three of the four demo visits of that year are used
        booked_by_staff(officer, person, room, d, v.visitor, "14:00")
    return {"person": person, "room": room, "first": days[0], "last": days[-1]}


def _window_days_of_one_year(today: date) -> list[date]:
    """The days of the room's booking window (1 to 28 days ahead) in the year that has most of them.

    The bookings compared must share a year: in December the window runs into January, where the
    entitlement is fresh, so "the last session offered" is not a session of the same year.
    """
    window = [today + timedelta(days=k) for k in range(1, 29)]
    years = [d.year for d in window]
    year = max(sorted(set(years)), key=years.count)
    return [d for d in window if d.year == year]


def _session(world: dict[str, Any], day: date) -> str:
    return f'#book input[value="{world["room"].pk}|{day.isoformat()}|09:00"]'


def _remaining(page: Page, year: int) -> str:
    row = page.locator(f'#balances tr[data-kind="short"][data-year="{year}"]')
    return row.locator(".remaining").inner_text().strip()


def test_book_be_refused_in_russian_cancel_and_get_the_visit_back(
    world: dict[str, Any], live_server: Any, page: Page, screenshots: Path
) -> None:
    page.goto(f"{live_server.url}/visit/")
    fill_in(page, {"#id_document": "n 0123456", "#id_number": "KA-0001"}, submit=IDENTIFY)
    expect(page).to_have_url(re.compile(r"/visit/book/$"))
    year = world["first"].year
    assert _remaining(page, year) == "1"
    expect(page.locator("#balances")).to_contain_text("D")

    page.check(_session(world, world["first"]))
    page.click("#book button[type=submit]")
    code = page.locator("#code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{8}", code)
    assert _remaining(page, year) == "0"
    page.screenshot(path=str(screenshots / "visits-booked.png"), full_page=True)

    page.click('form.lang button[value="ru"]')
    page.check(_session(world, world["last"]))  # the same year, a day with no other booking
    page.click("#book button[type=submit]")
    refusal = page.locator("#refusals")
    expect(refusal).to_contain_text("Право на свидания")
    expect(refusal).to_contain_text("4 из 4")
    expect(refusal.locator("li")).to_have_count(1)  # the entitlement, and nothing else
    expect(page.locator("#balances")).to_contain_text("демонстрационное число, не закон")
    page.screenshot(path=str(screenshots / "visits-refused-ru.png"), full_page=True)

    page.goto(f"{live_server.url}/visit/manage/")
    fill_in(
        page, {"#id_document": "N0123456", "#id_code": code}, submit="#manage button[type=submit]"
    )
    expect(page.locator("#status")).to_have_text("записано")
    page.click("#cancel")
    expect(page.locator("#status")).to_have_text("отменено")
    assert _remaining(page, year) == "1"
    page.screenshot(path=str(screenshots / "visits-cancelled.png"), full_page=True)


def test_a_visitor_registered_on_the_file_is_approved_by_a_second_officer_who_saw_the_document(
    world: dict[str, Any], live_server: Any, page: Page, screenshots: Path
) -> None:
    from adaldyq.web.institutions.models import Institution
    from adaldyq.web.visits.models import Visitor

    account("colleague", "records_officer", institution=Institution.objects.get(code="UK-161/1"))
    person = world["person"]
    sign_in(page, live_server.url, "officer", lang="kk", at=f"/people/{person.pk}/")
    page.click("#form-visitor_registered summary")
    form = page.locator("#form-visitor_registered form")
    form.locator("#id_visitor_registered-on").fill(timezone.localdate().isoformat())
    form.locator("#id_visitor_registered-name").fill("Омаров Серік")
    form.locator("#id_visitor_registered-relationship").select_option("brother")
    form.locator("#id_visitor_registered-document_type").select_option("id_card")
    form.locator("#id_visitor_registered-document").fill("0409\u200b87654")  # a zero-width space
    form.locator("button[type=submit]").click()
    expect(page.locator("#form-visitor_registered")).to_contain_text("көрінбейтін")
    form = page.locator("#form-visitor_registered form")
    form.locator("#id_visitor_registered-document").fill("0409 87654")
    form.locator("button[type=submit]").click()

    page.click("#visits-link")
    row = page.locator('#visitors tr[data-visitor="doc:040987654"]')
    expect(row).to_contain_text("Бұл келушіні сіз тіркедіңіз")
    expect(row.locator("form.decide")).to_have_count(0)

    sign_in(page, live_server.url, "colleague", lang="kk", at=f"/visits/people/{person.pk}/")
    row = page.locator('#visitors tr[data-visitor="doc:040987654"]')
    row.locator('input[name="document_seen"]').check()
    row.locator('input[name="document"]').fill("040987655")  # misread
    row.locator('button[value="1"]').click()
    expect(page.locator("main")).to_contain_text("сәйкес келмейді")
    row = page.locator('#visitors tr[data-visitor="doc:040987654"]')
    row.locator('input[name="document_seen"]').check()
    row.locator('input[name="document"]').fill("040 987 654")
    row.locator('button[value="1"]').click()
    expect(row).to_contain_text("мақұлдаған")
    expect(row).to_contain_text("көрсетілген құжат: жеке куәлік 040987654")
    page.screenshot(path=str(screenshots / "visits-approved-kk.png"), full_page=True)
    v = Visitor.objects.get(document="040987654")
    assert (v.status, v.registered_by, v.decided_by) == ("approved", "officer", "colleague")
