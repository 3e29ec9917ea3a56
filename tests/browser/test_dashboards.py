"""The committee opens the dashboards in Russian: the funnel plot and the months are drawn by the
vendored Vega-Lite under the site's CSP (no 'unsafe-eval'), each with its table (issue 18)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from adaldyq.web.records import services as records
from adaldyq.web.records.checkpoints import sign_guarded
from tests.browser.signin import from_menu
from tests.web.fixtures import account, person_payload, registered_officer


@pytest.fixture
def world(transactional_db: Any) -> None:
    officer = registered_officer()[1]
    account("committee", "committee")
    person = records.person_admit(officer=officer, person=person_payload("KA-0001"))
    records.fact_record(
        officer=officer, person=person, fact={"type": "incentive", "on": "2023-05-12"}
    )
    records.person_admit(officer=officer, person=person_payload("AL-0001", id="p-al-0001",
                                                                institution="LA-155/3"))  # fmt: skip
    sign_guarded(Path(settings.DATA_DIR))


def test_the_committee_reads_the_dashboards_charts_and_their_tables(
    world: None, live_server: Any, page: Page, screenshots: Path
) -> None:
    refused: list[str] = []
    page.on(
        "console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None
    )
    from_menu(page, live_server.url, "committee", "ru", "#nav-dashboards", "Панели показателей")
    page.select_option("select[name=measure]", "late")
    page.click("#dashboard-form button[type=submit]")
    expect(page.locator("#funnel .chart-view[data-drawn] svg")).to_have_count(1)
    expect(page.locator("#trend .chart-view[data-drawn] svg")).to_have_count(1)
    expect(page.locator("#funnel table tbody tr")).to_have_count(2)
    expect(page.locator("#funnel details.chart-table")).not_to_have_attribute("open", "")
    page.screenshot(path=str(screenshots / "dashboards-ru.png"), full_page=True)
    page.click("#rates-table a[href*='measure=late'][href*='UK-161']")
    expect(page.locator("#items tbody tr")).to_have_count(2)  # the arrival and the incentive
    assert refused == []
