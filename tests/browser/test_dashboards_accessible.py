"""The committee, on the demo as shipped: every dashboard page (the rates with their funnel plot and
months, a list behind a figure, the ledger's health) in kk, ru and en on a phone's 390 px, with no
serious or critical axe-core violation and no chart's axis labels running into each other (issue 18).

Not among the `test_role_` modules that scripts/test runs again on moved todays: on 31 December and
1 January, run after the committee's role tests, its sign-in was refused at the second factor in CI (not
understood yet; alone it passes on those days, and on the real date it passes after them).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import overlapping_labels, serious_violations
from tests.browser.shipped import ShippedDemo, server_errors, sign_in

pytestmark = pytest.mark.shipped


def test_the_dashboards_read_on_a_phone_in_three_languages_without_an_accessibility_fault(
    page: Page, shipped_demo: ShippedDemo, shipped_server: str
) -> None:
    failures = server_errors(page)
    page.set_viewport_size({"width": 390, "height": 844})
    problems: list[str] = []

    sign_in(page, shipped_server, shipped_demo, "committee")
    for lang in ("kk", "ru", "en"):
        page.goto(f"{shipped_server}/dashboards/?measure=late&level=institution")
        page.click(f'header .lang button[value="{lang}"]')
        item = page.locator("#rates-table a[href*='/dashboards/items/']").first.get_attribute(
            "href"
        )
        for path in ["/dashboards/", "/dashboards/?measure=late&level=institution", item,
                     "/dashboards/health/"]:  # fmt: skip
            page.goto(f"{shipped_server}{path}")
            charts = page.locator("[data-vega-spec]")
            for k in range(charts.count()):
                expect(charts.nth(k)).to_have_attribute("data-drawn", "1")
            wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            if wide > 1:
                problems.append(f"{lang} {path}: {wide}px wider than the screen")
            problems += [f"{lang} {path}: {p}" for p in serious_violations(page)]
            problems += [f"{lang} {path}: labels meet: {p}" for p in overlapping_labels(page)]

    assert problems == []
    assert failures == []
