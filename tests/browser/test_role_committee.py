"""The committee's main tasks on the demo as shipped (issue 13): from the navigation's count of people
awaiting placement, place one where the rule proposes; from an open queue, grant the first request,
and see the move recorded and the family informed (into a full institution: an override that waits
for a second person, ADR 0037)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.shipped import ShippedDemo, server_errors, sign_in

pytestmark = pytest.mark.shipped

#: A region's key where its name should be ("mangystau", "north_kazakhstan").
REGION_CODE = re.compile(r"\b(?:[a-z]+_)*[a-z]+\b")


def test_the_committee_places_a_person_from_the_awaiting_list(
    page: Page, shipped_demo: ShippedDemo, shipped_server: str, screenshots: Path
) -> None:
    failures = server_errors(page)
    sign_in(page, shipped_server, shipped_demo, "committee", lang="kk")

    nav = page.locator("#nav-awaiting")
    waiting = int(re.search(r"\((\d+)\)", nav.inner_text()).group(1))  # type: ignore[union-attr]
    assert waiting >= 1
    nav.click()
    expect(page.locator("#awaiting-count")).to_have_text(str(waiting))
    row = page.locator("#awaiting tbody tr").first
    number = row.locator("td").first.inner_text()
    home = row.locator("td").nth(4).inner_text()
    assert not REGION_CODE.fullmatch(home), home  # "Маңғыстау облысы", never "mangystau"
    page.screenshot(path=str(screenshots / "committee-awaiting.png"), full_page=True)
    row.locator("a").first.click()

    page.click("#propose button[type=submit]")  # the type the court set is already chosen
    proposal = page.locator("#proposal .proposed")
    expect(proposal).to_contain_text(home)
    proposed = proposal.locator("strong").inner_text().split(" · ")[0]
    page.screenshot(path=str(screenshots / "committee-proposal.png"), full_page=True)
    full = page.locator("#proposal .badge").count() > 0  # every institution of the kind is full
    if full:  # an override: it waits for a second person (ADR 0037), nobody is placed yet
        page.check("#id_capacity_override")
        page.fill("#id_reason", "Барлық мекемелер толы: ең жақын мекеме")
    page.click("#decide button[type=submit]")

    expect(page.locator(".messages")).to_be_visible()
    if full:
        expect(page).to_have_url(re.compile(r"/overrides/\d+/$"))
        expect(page.locator("#nav-awaiting")).to_contain_text(f"({waiting})")
        assert failures == []
        return
    expect(page.locator("#history tbody tr").first).to_contain_text(proposed)
    assert number.split("(")[-1].rstrip(")") in page.locator("h1").inner_text()
    expect(page.locator("#nav-awaiting")).to_contain_text(f"({waiting - 1})")
    assert failures == []


def test_the_committee_grants_the_first_request_of_a_queue_and_the_family_is_informed(
    page: Page, shipped_demo: ShippedDemo, shipped_server: str, screenshots: Path
) -> None:
    failures = server_errors(page)
    sign_in(page, shipped_server, shipped_demo, "committee", lang="ru")

    page.goto(f"{shipped_server}/transfers/")
    first = page.locator("table.queue").first.locator("tbody tr").first
    expect(first.locator("td").first).to_have_text("1")
    first.locator("a").first.click()
    expect(page.locator("#position")).to_contain_text("1 /")
    full = page.locator("dl.facts .badge").count() > 0  # the target is full: an override
    if full:
        page.check("#id_capacity_override")
        page.fill("#id_reason", "Решение комиссии: перевод по семейным обстоятельствам")
    page.click('#decide button[value="grant"]')
    if full:  # it waits for a second member of the committee (ADR 0037): nobody moved yet
        expect(page.locator("#status")).to_contain_text("ожидает подтверждения")
        assert failures == []
        return

    expect(page.locator("#status")).to_contain_text(re.compile("удовлетворен"))  # the request: -а
    expect(page.locator("#moved")).to_be_visible()
    page.screenshot(path=str(screenshots / "committee-granted.png"), full_page=True)
    assert failures == []
