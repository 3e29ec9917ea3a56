"""A stranger guessing document numbers on the public visits page is paused, told in their language (Russian here)
when to come back; the page's form is served again afterwards (issue 16; ADR 0028)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import time_machine
from playwright.sync_api import Page, expect


def test_a_guesser_is_paused_and_told_when_to_come_back(
    transactional_db: Any, settings: Any, live_server: Any, page: Page, screenshots: Path
) -> None:
    settings.PUBLIC_TRIES_PER_ADDRESS, settings.PUBLIC_TRIES_PER_NUMBER = 3, 3
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as clock:
        page.goto(f"{live_server.url}/visit/")
        page.click('form.lang button[value="ru"]')
        for i in range(3):
            page.fill("#id_document", f"N{9_000_000 + i}")
            page.fill("#id_number", "ZZ-0001")
            page.click("#identity button[type=submit]")
            expect(page.locator("#identity [role=alert]")).to_be_visible()

        page.fill("#id_document", "N9000099")
        page.fill("#id_number", "ZZ-0001")
        page.click("#identity button[type=submit]")
        expect(page.locator("h1")).to_contain_text("Слишком много попыток")
        expect(page.locator("main")).to_contain_text("Повторите через 15 мин")
        page.screenshot(path=str(screenshots / "public-paused-ru.png"), full_page=True)

        clock.shift(timedelta(minutes=15, seconds=1))
        page.goto(f"{live_server.url}/visit/")
        page.fill("#id_document", "N9000100")
        page.fill("#id_number", "ZZ-0001")
        page.click("#identity button[type=submit]")
        expect(page.locator("#identity [role=alert]")).to_be_visible()  # answered again
