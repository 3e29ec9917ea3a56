"""In a real browser: a head, signed in with the password and the authenticator's code, makes an API
token on the account page, sees it once, a program reads the API with it alone, and the head revokes
it (issue 21, ADR 0041)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from adaldyq.web.records import services
from tests.browser.signin import sign_in
from tests.web.fixtures import officer_and_head, person_payload


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    officer = officer_and_head()
    return {"person": services.person_admit(officer=officer, person=person_payload("KA-0001"))}


def _status(url: str, token: str) -> tuple[int, Any]:
    """What a program with only the token gets (no cookie, no code)."""
    asked = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310 - the live server
    try:
        with urllib.request.urlopen(asked, timeout=10) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, None


def test_a_head_makes_a_token_a_program_uses_it_and_the_head_revokes_it(
    world: dict[str, Any], live_server: Any, page: Page, screenshots: Path
) -> None:
    base = live_server.url
    page.set_extra_http_headers({"Accept-Language": "ru"})
    sign_in(page, base, "head")
    page.click("#tokens-link")
    expect(page.locator("h1")).to_have_text("API-токены")

    page.fill("#id_token_name", "судебная система")
    page.fill("#id_token_days", "30")
    page.click("#token-create button[type=submit]")
    secret = page.locator("#token-secret").inner_text().strip()
    assert secret.startswith("adq_")
    expect(page.locator("#tokens")).to_contain_text("судебная система")
    page.screenshot(path=str(screenshots / "api-token-shown-ru.png"), full_page=True)

    status, body = _status(f"{base}/api/people/{world['person'].pk}", secret)
    assert status == 200
    assert body["person"]["number"] == "KA-0001"

    page.goto(f"{base}/accounts/tokens/")
    expect(page.locator("#token-secret")).to_have_count(0)  # shown only once
    page.click("#tokens button[type=submit]")  # revoke
    expect(page.locator("#tokens")).to_contain_text("Отозван")
    assert _status(f"{base}/api/people/{world['person'].pk}", secret)[0] == 401
