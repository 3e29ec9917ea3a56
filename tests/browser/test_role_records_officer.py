"""The records officer's main task on the demo as shipped: record a fact, be kept from recording it twice,
be told at the form what is wrong with a bad date, and correct an entry (issue 13)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.shipped import ShippedDemo, sign_in

pytestmark = pytest.mark.shipped


def _open_a_file(page: Page, base: str) -> str:
    """Open the first file of the officer's list; returns its address."""
    page.goto(f"{base}/people/")
    page.locator("#results tbody tr a").first.click()
    expect(page.locator("#law")).to_be_visible()
    return page.url.split("?")[0].split("#")[0]


def test_the_records_officer_records_a_penalty_once_though_sent_again_after_back(
    page: Page, shipped_demo: ShippedDemo, shipped_server: str
) -> None:
    sign_in(page, shipped_server, shipped_demo, "records_officer", lang="en")
    file_url = _open_a_file(page, shipped_server)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    violation = "left the work zone without permission (browser test)"

    page.click(
        '.page-menu a[href="#form-penalty"]'
    )  # the menu opens the form, above the explanation
    form = page.locator("#form-penalty")
    expect(form.locator("#id_penalty-on")).to_be_visible()
    form.locator("#id_penalty-on").fill(yesterday)
    form.locator("#id_penalty-violation").fill(violation)
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"\?entry=\d+#entry-\d+$"))
    expect(page.locator(".messages")).to_contain_text("Recorded")
    marked = page.locator("#timeline tr.marked")
    expect(marked).to_contain_text(violation)
    expect(marked).to_be_in_viewport()

    page.go_back()  # the page with the filled form, its one-use key with it
    page.click('.page-menu a[href="#form-penalty"]')
    form = page.locator("#form-penalty")
    if not form.locator("#id_penalty-violation").input_value():
        form.locator("#id_penalty-on").fill(yesterday)
        form.locator("#id_penalty-violation").fill(violation)
    form.locator("button[type=submit]").click()

    expect(page.locator(".messages")).to_contain_text("Already recorded")
    expect(page.locator("#timeline tr", has_text=violation)).to_have_count(1)
    assert page.url.startswith(file_url)


def test_a_date_in_2090_is_refused_at_the_form_with_an_error_summary_in_russian(
    page: Page, shipped_demo: ShippedDemo, shipped_server: str
) -> None:
    sign_in(page, shipped_server, shipped_demo, "records_officer", lang="ru")
    _open_a_file(page, shipped_server)

    page.click('.page-menu a[href="#form-incentive"]')
    form = page.locator("#form-incentive")
    form.locator("#id_incentive-on").fill("2090-01-01")
    form.locator("button[type=submit]").click()

    summary = page.locator("#form-incentive .error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Ничего не сохранено")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(page).to_have_url(re.compile(r"#form-incentive$"))
    summary.locator('a[href="#id_incentive-on"]').click()
    expect(page.locator("#id_incentive-on")).to_be_in_viewport()


def test_the_records_officer_corrects_an_entry_and_the_original_stays(
    page: Page, shipped_demo: ShippedDemo, shipped_server: str
) -> None:
    sign_in(page, shipped_server, shipped_demo, "records_officer", lang="kk")
    _open_a_file(page, shipped_server)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    page.click('.page-menu a[href="#form-work_hours"]')
    form = page.locator("#form-work_hours")
    form.locator("#id_work_hours-on").fill(yesterday)
    form.locator("#id_work_hours-hours").fill("100")
    form.locator("#id_work_hours-month").fill(yesterday[:7])
    form.locator("button[type=submit]").click()
    row = page.locator("#timeline tr.marked")
    expect(row).to_be_visible()

    row.locator("details summary").click()
    row.locator("select").select_option("typing_error")  # the correction's reason code
    row.locator("textarea").fill("сағаттар қате енгізілді")
    row.locator("input[type=date]").fill(yesterday)
    row.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"\?entry=\d+#entry-\d+$"))
    expect(page.locator("#timeline tr.marked.correction")).to_contain_text(
        "сағаттар қате енгізілді"
    )
    expect(page.locator("#timeline tr.superseded").first).to_be_attached()
