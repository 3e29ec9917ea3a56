"""In a real browser, in Russian: a prosecutor sees the alarm on every page while the last check of the
read models against the ledger found a row that differs, and no longer once a check finds none."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from adaldyq.web.audit.services import audit_views
from adaldyq.web.records import services
from adaldyq.web.records.models import Fact
from tests.twofactor import browser_second_factor
from tests.web.fixtures import PASSWORD, account, person_payload, registered_officer


def test_the_prosecutor_sees_the_alarm_on_every_page_until_the_rows_agree(
    transactional_db: Any, live_server: Any, page: Page
) -> None:
    officer = registered_officer()[1]
    account("prosecutor", "prosecutor")
    services.read_models_rebuild()  # entries left by other transactional tests come back first
    person = services.person_admit(
        officer=officer,
        person=person_payload(
            "KA-0001", sentence={"start": "2024-01-10", "years": 8}, on="2024-01-20"
        ),
    )
    penalty = services.fact_record(
        officer=officer,
        person=person,
        fact={"type": "penalty", "on": "2025-03-01", "kind": "smoking"},
    )
    Fact.objects.filter(seq=penalty.seq).update(void=True)  # the page shows it withdrawn
    found, _ = audit_views()
    assert len(found) == 1

    page.context.add_cookies([{"name": "django_language", "value": "ru", "url": live_server.url}])
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "prosecutor")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    browser_second_factor(page, "prosecutor")
    for path in ("/people/", f"/people/{person.pk}/"):
        page.goto(f"{live_server.url}{path}")
        alarm = page.locator("#views-alarm")
        expect(alarm).to_be_visible()
        expect(alarm).to_contain_text("Страницы расходятся с реестром")
        expect(alarm).to_contain_text("adaldyq ledger audit-views")

    Fact.objects.filter(seq=penalty.seq).update(void=False)
    assert audit_views()[0] == []
    page.goto(f"{live_server.url}/people/")
    expect(page.locator("#views-alarm")).to_have_count(0)
