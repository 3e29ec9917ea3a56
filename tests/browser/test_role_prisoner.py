"""The prisoner's main task on the demo as shipped: read their own rights and next steps, in Kazakh, in
plain words (issue 13)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.shipped import ShippedDemo, server_errors, sign_in

pytestmark = pytest.mark.shipped


def test_the_prisoner_reads_their_own_rights_and_next_steps_in_kazakh(
    page: Page, shipped_demo: ShippedDemo, shipped_server: str
) -> None:
    failures = server_errors(page)
    sign_in(page, shipped_server, shipped_demo, "prisoner", lang="kk")

    expect(page).to_have_url(re.compile(r"/people/[^/]+/$"))
    law = page.locator("#law")
    expect(law.locator("h2")).to_have_text("Бүгінгі құқықтарыңыз бен келесі қадамдар")
    expect(law.locator("h3").first).to_have_text("Сіздің келесі қадамдарыңыз")
    expect(law.locator("#explanation > li").first).to_be_visible()
    text = law.inner_text()
    for jargon in ("LAW.md", "§", "[", "; S:", "қосалқы дереккөз", "not determinable", "Degree"):
        assert jargon not in text, jargon
    for unknown in law.locator("li.state-unknown").all():
        expect(
            unknown.locator("xpath=ancestor::li[contains(@class,'step')]").locator(".missing")
        ).not_to_have_count(0)
    expect(page.locator("#record")).to_have_count(0)  # nothing to record on one's own file
    page.click("#link-visits")
    expect(page).to_have_url(re.compile(r"/visits/people/"))
    assert failures == []
