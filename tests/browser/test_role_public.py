"""Anyone, on the demo as shipped, without signing in: the published figures in kk, ru and en, every
table with its chart and its open data, no serious or critical axe-core violation, usable at 390 px."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from adaldyq.web.portal.labels import TABLES
from tests.browser.axe import overlapping_labels, serious_violations
from tests.browser.shipped import ShippedDemo, server_errors

pytestmark = pytest.mark.shipped

TITLES = {
    "kk": "Жарияланған көрсеткіштер",
    "ru": "Опубликованные показатели",
    "en": "Published figures",
}


def _no_overflow(page: Page) -> None:
    """Nothing wider than the phone's screen but the tables that scroll inside their card."""
    wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 1, f"{page.url}: the page is {wide}px wider than the screen"


def test_anyone_reads_every_published_table_in_three_languages_on_a_phone_without_an_accessibility_fault(
    page: Page, shipped_demo: ShippedDemo, shipped_server: str, screenshots: Path
) -> None:
    failures = server_errors(page)
    page.set_viewport_size({"width": 390, "height": 844})
    problems: list[str] = []

    page.goto(f"{shipped_server}/accounts/login/")
    page.click("#public-heading ~ ul a[href='/figures/']")
    expect(page).to_have_url(re.compile(r"/figures/$"))
    size = page.locator("#cp-size").inner_text()
    assert int(size) == int(shipped_demo.built["signed_checkpoint"].split("\n")[1])
    tables = page.locator("#tables > li > a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    assert len(tables) == len(TABLES)  # every table the portal names (labels.TABLES)
    for lang, title in TITLES.items():
        page.goto(f"{shipped_server}/figures/")
        page.click(f'header .lang button[value="{lang}"]')
        expect(page.locator("h1")).to_have_text(title)
        for path in ["/figures/", *tables]:
            page.goto(f"{shipped_server}{path}")
            charts = page.locator("[data-vega-spec]")
            for k in range(charts.count()):  # drawn by the vendored Vega-Lite, then checked too
                expect(charts.nth(k)).to_have_attribute("data-drawn", "1")
            expect(page.locator("#cp-root")).to_be_visible()
            _no_overflow(page)
            problems += [f"{lang} {path}: {p}" for p in serious_violations(page)]
            problems += [f"{lang} {path}: labels meet: {p}" for p in overlapping_labels(page)]
    page.screenshot(path=str(screenshots / "public-figures-390.png"), full_page=True)

    csv = page.request.get(f"{shipped_server}/open-data/{size}/population_by_type_and_sex.csv")
    assert csv.ok
    assert csv.text().startswith("institution_type,sex,people,hidden\n")
    assert problems == []
    assert failures == []
