"""A records officer enters a whole workshop's hours in a real browser (issue 19): registers the
place, sends a list with a wrong row (nothing is recorded, the row says why), corrects it and
records the list."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from adaldyq.web.records import services
from adaldyq.web.records.models import Fact
from tests.browser.forms import fill_in
from tests.browser.signin import sign_in
from tests.web.fixtures import person_payload, registered_officer


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    insts, officer = registered_officer()
    arrived = (timezone.localdate() - timedelta(days=30)).isoformat()
    people = [
        services.person_admit(
            officer=officer,
            person=person_payload(
                number, institution=insts["k1"].code, surname=surname, on=arrived
            ),
        )
        for number, surname in (("WL-1", "Тігінбаев"), ("WL-2", "Шеберов"))
    ]
    return {"people": people}


def test_a_records_officer_enters_a_workshop_s_list_and_a_wrong_row_stops_it(
    world: dict[str, Any], live_server: Any, page: Page, screenshots: Path
) -> None:
    first, second = world["people"]
    sign_in(page, live_server.url, "officer", lang="kk", at="/work/list/")
    page.click("#new-place summary")
    fill_in(page, {
        "#p-code": "TIG-1", "#p-kind": "workshop", "#p-name": "Тігін цехы",
        "#p-lead": "«Тігін» ЖШС", "#p-product": "garments",
    }, submit="#place-form button[type=submit]")  # fmt: skip

    page.fill(f"#h-{first.pk}", "8")
    page.fill(f"#h-{second.pk}", "25")
    page.click("#list-form button[type=submit]")

    expect(page.locator("tr.refused")).to_contain_text("24-тен аспайтын")
    assert not Fact.objects.filter(kind="work_hours").exists()
    page.fill(f"#h-{second.pk}", "6,5")
    page.fill("#quantity", "40")
    page.click("#list-form button[type=submit]")

    expect(page.locator("ul.messages")).to_contain_text("Жазылды")
    page.screenshot(path=str(screenshots / "work-list.png"), full_page=True)
    hours = sorted(Fact.objects.filter(kind="work_hours").values_list("data__hours", flat=True))
    assert hours == [6.5, 8.0]
