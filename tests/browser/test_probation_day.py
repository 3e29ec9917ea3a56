"""The probation officer's day in a real browser: the register, a person's duties, a check-in, the
figures (issue 19)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.signin import sign_in
from tests.web.fixtures import account, registered_officer, released_on_parole, serving


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    insts, officer = registered_officer()
    account("probation", "probation_officer", region=insts["k1"].region)
    today = timezone.localdate()
    person = serving(
        officer, "PB-0001", start=today - timedelta(days=900), years=3,
        institution=insts["k1"].code, surname="Сынақбаев",
    )  # fmt: skip
    released_on_parole(officer=officer, person=person, on=today - timedelta(days=2))
    return {"person": person}


def test_the_probation_officer_reads_the_duties_records_a_check_in_and_sees_the_figures(
    world: dict[str, Any], live_server: Any, page: Page, screenshots: Path
) -> None:
    sign_in(page, live_server.url, "probation", lang="ru")
    page.click("#probation a")

    expect(page.locator("#duties")).to_contain_text("находиться дома в часы, установленные судом")
    page.select_option("#id_kind", "checked_in")
    page.select_option("#id_mode", "phone")
    page.click("#probation-form button[type=submit]")

    expect(page.locator("#probation-facts")).to_contain_text("по телефону")
    page.screenshot(path=str(screenshots / "probation-day.png"), full_page=True)
    page.click("#nav-probation + a")
    expect(page.locator("#on-parole")).to_have_text("1")
    expect(page.locator("#region-karaganda td").first).to_have_text("1")  # released from there
