"""In a real browser: the prisoner and the oversight bodies see who read a file, and where; a head sees
neither the readers nor the oversight bodies' notes (issue 16)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from adaldyq.web.records import services
from tests.browser.signin import sign_in
from tests.web.fixtures import account, officer_and_head, person_payload


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    officer = officer_and_head()
    account("committee", "committee")
    ombudsman = account("ombudsman", "ombudsman")
    person = services.person_admit(officer=officer, person=person_payload("KA-0001"))
    services.note_write(author=ombudsman, person=person, text="visited the unit on Tuesday")
    account("prisoner", "prisoner", person_id=person.pk)
    return {"person": person}


def _sign_out(page: Page) -> None:
    page.context.clear_cookies()


def test_the_prisoner_sees_who_found_their_file_in_a_search_and_a_head_sees_no_readers(
    world: dict[str, Any], live_server: Any, page: Page, screenshots: Path
) -> None:
    base = live_server.url
    sign_in(page, base, "committee")  # lands on the search page: the file is listed
    expect(page.locator("#results")).to_contain_text("KA-0001")
    _sign_out(page)

    page.set_extra_http_headers({"Accept-Language": "kk"})
    sign_in(page, base, "prisoner")  # lands on their own file
    readers = page.locator("section", has=page.locator("#h-open"))
    expect(readers.locator("h2")).to_have_text("Бұл істі кім оқыды")
    expect(readers).to_contain_text("іздеу нәтижелері")  # the committee's search results
    expect(readers).to_contain_text("жеке іс")  # and the prisoner's own opening
    expect(page.locator("#notes")).to_have_count(0)
    page.screenshot(path=str(screenshots / "readers-prisoner-kk.png"), full_page=True)
    _sign_out(page)

    page.set_extra_http_headers({"Accept-Language": "ru"})
    sign_in(page, base, "ombudsman", at=f"/people/{world['person'].pk}/")
    expect(page.locator("#h-open")).to_have_text("Кто читал это дело")
    expect(page.locator("#notes")).to_contain_text("visited the unit on Tuesday")
    _sign_out(page)

    sign_in(page, base, "head", at=f"/people/{world['person'].pk}/")
    expect(page.locator("#law")).to_be_visible()
    expect(page.locator("#h-open")).to_have_count(0)
    expect(page.locator("#notes")).to_have_count(0)
