"""The head's main task on the demo as shipped: confirm the commission's decisions from the list awaiting
confirmation, see the decision with its PDF, and anyone verifies it, printed or fresh (issue 13); the
override that awaits the head is listed with the officer's reason (ADR 0037)."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.shipped import ShippedDemo, server_errors, sign_in

pytestmark = pytest.mark.shipped


def test_the_head_confirms_from_the_awaiting_list_and_anyone_verifies_it_printed_or_fresh(
    page: Page, shipped_demo: ShippedDemo, shipped_server: str
) -> None:
    base = shipped_server
    failures = server_errors(page)
    sign_in(page, base, shipped_demo, "head", lang="en")

    page.click("#nav-confirm")  # the navigation counts what awaits the head
    expect(page).to_have_url(re.compile(r"/commission/awaiting/$"))
    cards = page.locator("section.awaiting")
    waiting = cards.count()
    assert waiting >= 2, "the demo as shipped leaves the head decisions to confirm"
    expect(page.locator("#nav-confirm")).to_contain_text(f"({waiting})")
    first, second = cards.nth(0), cards.nth(1)
    printed, fresh = first.get_attribute("data-code"), second.get_attribute("data-code")
    decision_url = first.locator("a[href*='/decisions/']").first.get_attribute("href")
    first.locator("button.confirm").click()
    expect(page.locator(f"section.awaiting[data-code='{printed}']")).to_have_count(0)
    page.locator(f"section.awaiting[data-code='{fresh}'] button.confirm").click()
    expect(page.locator(f"section.awaiting[data-code='{fresh}']")).to_have_count(0)
    expect(page.locator("#nav-confirm")).to_contain_text(f"({waiting - 2})")

    page.goto(f"{base}{decision_url}")
    expect(page.locator("#code")).to_have_text(str(printed))
    confirmed_by = page.locator("#confirmed-by")
    expect(confirmed_by).to_be_visible()
    assert shipped_demo.logins["head"]["username"] not in confirmed_by.inner_text().split(",")[0]
    pdf = page.request.get(f"{base}{page.locator('#print').get_attribute('href')}")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"

    public = page.context.browser.new_page()  # type: ignore[union-attr]
    # printing signs nothing (the web never reads the key): both are covered by the signer's minute
    public.goto(f"{base}/verify/{str(fresh).lower()}")  # its confirmation is seconds old
    verdict = public.locator("#verdict")
    expect(verdict).not_to_have_class(re.compile("error"))
    deadline = time.monotonic() + 150  # the signer beside the server covers it within its minute
    while verdict.get_attribute("data-state") == "pending" and time.monotonic() < deadline:
        expect(verdict).to_contain_text("will be covered by")
        time.sleep(5)
        public.reload()
    expect(verdict).to_have_attribute("data-state", "verified")
    public.goto(f"{base}/verify/{printed}")  # the printed one, confirmed before it: covered too
    expect(verdict).to_have_attribute("data-state", "verified")

    page.goto(f"{base}/commission/")  # today's sitting: its agenda one summary line an item
    page.locator("main table a[href*='/sessions/']").first.click()
    items = page.locator("details.agenda-item")
    expect(items.first).to_be_visible()
    assert page.locator("details.agenda-item[open]").count() <= 1
    # each folded item one summary line (it was 900 px an item, every form unfolded); the page's own
    # height turns on the day's agenda and the open item's form, so each folded item is measured
    folded = items.evaluate_all(
        "els => els.filter(e => !e.open).map(e => e.getBoundingClientRect().height)"
    )
    assert folded, "no folded item on the agenda"
    assert max(folded) < 120, folded

    # the demo leaves one visit override by the records officer for the head (ADR 0037)
    page.click("#nav-overrides")
    expect(page.locator("#nav-overrides")).to_contain_text("(1)")
    row = page.locator("#awaiting tbody tr").first
    expect(row).to_contain_text("вахтадан")  # the officer's reason
    row.locator("a").first.click()
    expect(page.locator("#confirm")).to_be_visible()
    expect(page.locator("#answers")).not_to_be_empty()

    public.goto(f"{base}/verify/{str(printed)[:5]}-ZZZZZ")  # a code no decision has
    expect(verdict).to_have_attribute("data-state", "unknown")
    expect(verdict).to_have_class(re.compile("error"))
    assert failures == []
