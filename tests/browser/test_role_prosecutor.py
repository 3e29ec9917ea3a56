"""The prosecutor's main task on the demo as shipped: from the deviation register to an evidence
entry, to the person's file with that entry marked, and to the entry's proof (issue 13)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.shipped import ShippedDemo, server_errors, sign_in

pytestmark = pytest.mark.shipped

#: Kinds of flag whose first evidence entry is a fact of the person's timeline.
FACT_EVIDENCE = ("delayed_award", "penalty_before_qualifying", "decision_without_grounds")


def test_the_prosecutor_follows_a_flag_to_its_evidence_the_marked_file_and_the_proof(
    page: Page, shipped_demo: ShippedDemo, shipped_server: str, screenshots: Path
) -> None:
    failures = server_errors(page)
    sign_in(page, shipped_server, shipped_demo, "prosecutor", lang="ru")

    page.click("#nav-register")  # the header leads there (the register takes seconds to compute)
    page.wait_for_url("**/commission/register/", timeout=120_000)
    expect(page.locator("h1")).to_contain_text("Реестр отклонений")
    for table in ("#counts-kind", "#counts-institution", "#counts-officer"):
        expect(page.locator(table)).to_be_visible()
    expect(page.locator("#counts-kind .bar").first).to_be_visible()
    page.screenshot(path=str(screenshots / "prosecutor-register.png"), full_page=False)

    # the counts are filters: one kind of flag, then its first evidence entry
    kind = next(k for k in FACT_EVIDENCE if page.locator(f"#counts-kind a[data-value={k}]").count())
    page.click(f"#counts-kind a[data-value={kind}]")
    page.wait_for_url(re.compile(rf"[?&]kind={kind}"), timeout=120_000)
    rows = page.locator("#flags tbody tr[data-kind]")
    expect(rows.first).to_be_visible(timeout=120_000)
    assert set(rows.evaluate_all("rs => rs.map(r => r.dataset.kind)")) == {kind}
    link = rows.first.locator("a.entry-link").first
    seq = int(link.inner_text().lstrip("#"))
    link.click()

    # the entry: who, when, what, about whom, and its proof
    expect(page.locator("h1")).to_contain_text(f"№{seq}")
    expect(page.locator("#recorded-by")).not_to_be_empty()
    expect(page.locator("#recorded-at")).not_to_be_empty()
    expect(page.locator("#fact-text")).to_be_visible()
    expect(page.locator("#inclusion")).to_have_attribute("data-status", "included")
    page.locator("#proof details summary").first.click()
    expect(page.locator("#audit-path li").first).to_be_visible()
    page.screenshot(path=str(screenshots / "prosecutor-entry.png"), full_page=True)
    file_link = page.locator("#file-link")
    assert re.search(rf"\?entry={seq}#entry-{seq}$", file_link.get_attribute("href") or "")

    # the file opens at the entry: its year open, the row marked and in view
    file_link.click()
    marked = page.locator(f"tr#entry-{seq}")
    expect(marked).to_have_class(re.compile(r"\bmarked\b"))
    expect(marked).to_have_attribute("aria-current", "true")
    expect(marked).to_be_in_viewport()
    assert page.locator("#timeline tr.marked").count() == 1
    page.screenshot(path=str(screenshots / "prosecutor-file-marked.png"), full_page=False)

    # and back to the entry's proof
    page.go_back()
    expect(page.locator("#inclusion")).to_have_attribute("data-status", "included")
    assert failures == []
