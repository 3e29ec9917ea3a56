"""A stranger guessing document numbers on the public visits page is paused, told in their language (Russian here)
when to come back; the page's form is served again afterwards (issue 16; ADR 0028)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import time_machine
from playwright.sync_api import Page, expect

from tests.browser.forms import IDENTIFY, fill_in


def _identify(page: Page, document: str) -> None:
    """The public visit page's first step, with `document` and a file number no one has."""
    fill_in(page, {"#id_document": document, "#id_number": "ZZ-0001"}, submit=IDENTIFY)


def test_a_guesser_is_paused_and_told_when_to_come_back(
    transactional_db: Any, settings: Any, live_server: Any, page: Page, screenshots: Path
) -> None:
    settings.PUBLIC_TRIES_PER_ADDRESS, settings.PUBLIC_TRIES_PER_NUMBER = 3, 3
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as clock:
        page.goto(f"{live_server.url}/visit/")
        page.click('form.lang button[value="ru"]')
        for i in range(3):
            _identify(page, f"N{9_000_000 + i}")
            expect(page.locator("#identity [role=alert]")).to_be_visible()

        _identify(page, "N9000099")
        expect(page.locator("h1")).to_contain_text("Слишком много попыток")
        expect(page.locator("main")).to_contain_text("Повторите через 15 мин")
        page.screenshot(path=str(screenshots / "public-paused-ru.png"), full_page=True)

        clock.shift(timedelta(minutes=15, seconds=1))
        page.goto(f"{live_server.url}/visit/")
        _identify(page, "N9000100")
        expect(page.locator("#identity [role=alert]")).to_be_visible()  # answered again
