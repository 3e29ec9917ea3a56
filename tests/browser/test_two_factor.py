"""In a real browser: a head enrols an authenticator at the first sign-in, keeps the recovery codes, and
signs in again with the password and a code (ADR 0039)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.twofactor import code_for, hex_of_base32
from tests.web.fixtures import PASSWORD, account, register


@pytest.fixture
def world(transactional_db: Any) -> None:
    insts = register()
    account("head", "head", institution=insts["k1"])


def _password(page: Page, base: str) -> None:
    page.goto(f"{base}/people/")  # asks for a page: sent to sign in, and back to it at the end
    page.fill("#id_username", "head")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")


def test_a_head_enrols_an_authenticator_and_signs_in_again_with_a_code(
    world: None, live_server: Any, page: Page, screenshots: Path
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    base = live_server.url
    page.set_extra_http_headers({"Accept-Language": "ru"})
    _password(page, base)

    expect(page.locator("h1")).to_have_text("Настройка двухфакторного входа")
    expect(page.locator("figure.qr svg")).to_be_visible()
    expect(page.locator("header nav a")).to_have_count(0)  # nothing else to reach yet
    page.screenshot(path=str(screenshots / "enrol-ru.png"), full_page=True)
    secret = hex_of_base32(page.locator("#otp-secret").inner_text())
    page.fill("#id_otp_token", "000000")
    page.click("main form button[type=submit]")
    expect(page.locator("#code-error")).to_contain_text("Код неверный")
    code, step = code_for(secret, -1)
    page.fill("#id_otp_token", code)
    page.click("main form button[type=submit]")

    expect(page.locator("#recovery-codes li")).to_have_count(settings.TWO_FACTOR_RECOVERY_CODES)
    page.click("#continue")
    expect(page).to_have_url(f"{base}/people/")

    page.context.clear_cookies()
    _password(page, base)
    expect(page.locator("h1")).to_have_text("Код из аутентификатора")
    page.fill("#id_otp_token", code_for(secret, step)[0])
    page.click("main form button[type=submit]")
    expect(page).to_have_url(f"{base}/people/")
    expect(page.locator("header nav a").first).to_be_visible()
    assert TOTPDevice.objects.get(user__username="head").confirmed
