"""A relative, on the demo as shipped: books a visit on /visit/ with the document number the demo prints,
gets the one-time code, sees the booking with it and cancels it, in Russian; the visit comes back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.shipped import ShippedDemo, server_errors

pytestmark = pytest.mark.shipped


def _remaining(page: Page, year: str) -> str:
    row = page.locator(f'#balances tr[data-kind="short"][data-year="{year}"]')
    return row.locator(".remaining").inner_text().strip()


def test_the_demo_prints_a_relative_to_try_the_public_booking_with(
    shipped_demo: ShippedDemo,
) -> None:
    relative = shipped_demo.logins["relative"]

    assert re.fullmatch(r"DEMO-\d{6}-\d", relative["document"])
    assert relative["file"].startswith("PF-")
    assert relative["page"] == "/visit/"


def test_a_relative_books_gets_the_code_manages_and_cancels_the_visit(
    page: Page, shipped_demo: ShippedDemo, shipped_server: str, screenshots: Path
) -> None:
    relative = shipped_demo.logins["relative"]
    failures = server_errors(page)

    page.goto(f"{shipped_server}{relative['page']}")
    page.click('header .lang button[value="ru"]')
    page.fill("#id_document", relative["document"].lower())  # as a person may type it
    page.fill("#id_number", relative["file"])
    page.click("#identity button[type=submit]")
    expect(page).to_have_url(re.compile(r"/visit/book/$"))
    expect(page.locator("#place")).to_contain_text("Место свиданий")

    session = page.locator(
        '#book tr:has(td:text-matches("краткосрочн", "i")) input[type=radio]:not([disabled])'
    ).first
    room, day, start = (session.get_attribute("value") or "").split("|")
    year = day[:4]
    before = _remaining(page, year)
    session.check()
    page.click("#book button[type=submit]")
    expect(page.locator("#confirmation")).to_contain_text("Зал краткосрочных свиданий")
    code = page.locator("#code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{8}", code)
    booked = _remaining(page, year)
    if before != "—":  # the demo figure (D): one short visit of the year is used
        assert int(booked) == int(before) - 1
    page.screenshot(path=str(screenshots / "role-relative-booked.png"), full_page=True)

    page.goto(f"{shipped_server}/visit/manage/")
    page.fill("#id_document", relative["document"])
    page.fill("#id_code", code.lower())
    page.click("#manage button[type=submit]")
    expect(page.locator("#status")).to_have_text("записано")
    expect(page.locator("#booking")).to_contain_text(start)
    page.click("#cancel")
    expect(page.locator("#status")).to_have_text("отменено")
    assert _remaining(page, year) == before
    page.screenshot(path=str(screenshots / "role-relative-cancelled.png"), full_page=True)
    assert room.endswith("/short-1")
    assert failures == []
