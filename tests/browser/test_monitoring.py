"""Electronic monitoring in a real browser (issue 19): the probation officer draws a home under curfew,
makes the bracelet's feed, the bracelet reports a night away over HTTP, and the officer sees the
curfew violation with its events (in Kazakh)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from playwright.sync_api import Page, expect

from tests.browser.forms import fill_in
from tests.browser.signin import sign_in
from tests.browser.test_probation_day import world
from tests.web.emonitoring.conftest import AWAY, last_night

__all__ = ["world"]


def test_the_officer_draws_a_home_makes_a_feed_and_sees_the_night_away_as_a_violation(
    world: dict[str, Any], live_server: Any, page: Page, screenshots: Path
) -> None:
    sign_in(
        page, live_server.url, "probation", lang="kk", at=f"/probation/people/{world['person'].pk}/"
    )
    page.click("#to-monitoring")
    fill_in(page, {
        "#id_name": "үй", "#id_kind": "home",
        "#id_polygon": "76.899, 43.239\n76.901, 43.239\n76.901, 43.241\n76.899, 43.241",
        "#id_curfew_from": "22:00", "#id_curfew_to": "06:00", "#id_on": last_night(12)[:10],
    }, submit="#zone-form button[type=submit]")  # fmt: skip
    expect(page.locator("#zones")).to_contain_text("үй (коменданттық сағат)")
    page.fill("#id_device", "BR-0042")
    page.click("#feed-form button[type=submit]")
    token = page.locator("#token").inner_text()

    events = [{"id": f"n{i}", "kind": "fix", "at": last_night(23, 2 * i), **AWAY} for i in range(3)]
    sent = page.request.post(f"{live_server.url}/api/monitoring/events",
                             data=orjson.dumps({"events": events}).decode(),
                             headers={"Authorization": f"Bearer {token}",
                                      "Content-Type": "application/json"})  # fmt: skip
    assert sent.status == 200, sent.text()
    page.goto(f"{live_server.url}/probation/monitoring/people/{world['person'].pk}/")

    violation = page.locator("article.violation").first
    expect(violation).to_contain_text("коменданттық сағат кезінде үйден тыс: үй")
    expect(violation.locator("table.events tr")).to_have_count(3)
    page.screenshot(path=str(screenshots / "monitoring-violation.png"), full_page=True)
