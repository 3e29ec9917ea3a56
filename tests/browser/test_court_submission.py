"""The records officer's way to the court in a real browser: the law's answer for parole, the
submission recorded and printed as a PDF that `/verify/` confirms, the court's decision, and the
release that takes the person off the institution's list (issue 19)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.signin import sign_in
from tests.web.fixtures import registered_officer, serving


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    insts, officer = registered_officer()
    today = timezone.localdate()
    person = serving(
        officer, "CS-0001", start=today - timedelta(days=700), years=3,
        institution=insts["k1"].code, surname="Сотқаев",
    )  # fmt: skip
    return {"person": person, "institution": insts["k1"].code, "today": today}


def test_the_officer_submits_to_the_court_prints_it_records_the_decision_and_the_release(
    world: dict[str, Any], live_server: Any, page: Page
) -> None:
    from adaldyq.web.records.models import Person

    base, person, today = live_server.url, world["person"], world["today"].isoformat()
    sign_in(page, base, "officer", lang="ru", at=f"/parole/people/{person.pk}/")
    expect(page.locator("#answers")).to_be_visible()

    page.select_option("#submit-form [name=ground]", "parole")
    page.fill("#submit-form [name=court]", "Синтетический районный суд")
    page.fill("#submit-form [name=on]", today)
    page.click("#submit-form button[type=submit]")
    expect(page.locator("#court a.pdf-ru")).to_have_count(1)

    pdf = page.request.get(base + str(page.locator("#court a.pdf-ru").get_attribute("href")))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    code = pdf.headers["content-disposition"].split("submission-")[1].split(".pdf")[0]
    page.goto(f"{base}/verify/{code}")
    expect(page.locator("#submission")).to_be_visible()

    page.goto(f"{base}/parole/people/{person.pk}/")
    page.select_option("#decide-form [name=ground]", "parole")
    page.select_option("#decide-form [name=outcome]", "granted")
    page.fill("#decide-form [name=years]", "1")
    page.fill("#decide-form [name=on]", today)
    page.check("#decide-form input[name=duties][value=report]")
    page.click("#decide-form button[type=submit]")
    expect(page.locator("#court tr")).to_have_count(2)

    page.select_option("#release-form [name=ground]", "parole")
    page.fill("#release-form [name=on]", today)
    page.click("#release-form button[type=submit]")
    expect(page).to_have_url(f"{base}/parole/due/?institution={world['institution']}")
    assert Person.objects.get(pk=person.pk).institution_id is None  # off the institution's list
