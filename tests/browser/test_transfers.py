"""A relative files a transfer request on the public page and sees its place in the queue; one
member of the committee grants it out of order (a reason is required), which waits for a second
member's confirmation (ADR 0037); the second confirms it, and oversight sees the flag with both."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from adaldyq.web.transfers import services
from tests.browser.forms import fill_in
from tests.browser.signin import sign_in
from tests.web.fixtures import account, relative_approved
from tests.web.transfers.conftest import admitted, small_register


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    small_register()
    clerk = account("committee", "committee")
    account("deputy", "committee")
    account("prosecutor", "prosecutor")
    ahead = admitted(clerk, "KA-0001", institution="M-ALM")
    person = admitted(clerk, "KA-0002", institution="M-ALM")
    services.transfer_request_file(
        actor=services.public_actor("N9"), person=ahead, target="M-KAR", ground="closer_to_home",
        family=("minor_children",), filed_by="relative", on=timezone.localdate(),
    )  # fmt: skip
    relative_approved(officer=clerk, person=person)
    return {"person": person}


def _look_up(page: Page, base: str, code: str) -> None:
    """The public status page asked for the relative's request with its code."""
    page.goto(f"{base}/transfer/status/")
    fill_in(page, {"#id_request": "TR-000002", "#id_code": code},
            submit="#status-form button[type=submit]")  # fmt: skip


def test_a_relative_files_one_member_decides_out_of_order_a_second_confirms_and_oversight_sees_it(
    world: dict[str, Any], live_server: Any, page: Page, screenshots: Path
) -> None:
    base = live_server.url
    page.goto(f"{base}/transfer/")
    page.click('form.lang button[value="en"]')
    fill_in(page, {
        "#id_number": "KA-0002", "#id_document": "N 0123456", "#id_target": "M-KAR",
        "#id_ground": "closer_to_home", "#id_contact": "+7 701 111 22 33",
    }, submit="#public-request button[type=submit]")  # fmt: skip
    expect(page.locator("#number")).to_have_text("TR-000002")
    expect(page.locator("#position")).to_have_text("2")
    code = page.locator("#code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{8}", code)
    page.screenshot(path=str(screenshots / "transfers-filed.png"), full_page=True)

    _look_up(page, base, code)
    expect(page.locator("#found #position")).to_have_text("2")
    page.screenshot(path=str(screenshots / "transfers-status.png"), full_page=True)

    sign_in(page, base, "committee", at="/transfers/requests/TR-000002/")
    expect(page.locator("#out-of-order")).to_be_visible()
    page.click('#decide button[value="grant"]')
    expect(page.locator("#decide .error")).to_contain_text("TR-000001")
    page.screenshot(path=str(screenshots / "transfers-reason-required.png"), full_page=True)
    page.fill("#id_reason", "the mother is gravely ill in Karaganda")
    page.click('#decide button[value="grant"]')
    expect(page.locator("#status")).to_contain_text("awaiting a second person")  # the override
    expect(page.locator("#settle .warning")).to_contain_text("four-eyes")  # not by its maker
    expect(page.locator("#confirm")).to_have_count(0)
    page.goto(f"{base}/transfers/requests/TR-000002/")
    expect(page.locator("#status")).to_contain_text("open")  # nothing has changed yet
    page.click("form.who button")

    sign_in(page, base, "deputy")
    expect(page.locator("#nav-overrides")).to_contain_text("(1)")
    page.click("#nav-overrides")
    page.locator("#awaiting tbody tr a").first.click()
    expect(page.locator("#reason")).to_have_text("the mother is gravely ill in Karaganda")
    expect(page.locator("#answers")).to_contain_text("TR-000001")  # the rules' answer
    expect(page.locator("#maker")).to_contain_text("committee")
    page.screenshot(path=str(screenshots / "override-to-confirm.png"), full_page=True)
    page.click("#confirm button")
    expect(page.locator("#status")).to_contain_text("confirmed")
    expect(page.locator("#checker")).to_contain_text("deputy")
    page.goto(f"{base}/transfers/requests/TR-000002/")
    expect(page.locator("#status")).to_contain_text("granted")
    page.screenshot(path=str(screenshots / "transfers-granted.png"), full_page=True)
    page.click("form.who button")

    sign_in(page, base, "prosecutor", at="/transfers/flags/")
    row = page.locator("#flags tr.flag-queue_jumped")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("the mother is gravely ill")
    expect(row.locator("td.rule")).to_contain_text("decided in its queue's order")
    expect(row.locator("td.evidence a").first).to_have_attribute(
        "href", re.compile(r"^/ledger/entries/\d+/$")
    )
    page.screenshot(path=str(screenshots / "transfers-flags.png"), full_page=True)
    page.goto(f"{base}/overrides/")
    settled = page.locator("#settled tbody tr")
    expect(settled).to_have_count(1)
    expect(settled).to_contain_text("committee")
    expect(settled).to_contain_text("deputy")

    _look_up(page, base, code)
    expect(page.locator("#found #status")).to_have_text("granted")
