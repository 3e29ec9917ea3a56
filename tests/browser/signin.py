"""Signing a test user in through the login page, as a person does: the password, then the code of
the user's authenticator, or its enrolment, when the role signs in with two factors (ADR 0039)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.twofactor import browser_second_factor
from tests.web.fixtures import PASSWORD


def sign_in(
    page: Any, base: str, username: str, *, lang: str | None = None, at: str | None = None
) -> None:
    """Sign `page` in as `username` (the test users' password), then open the path `at` if given.
    With `lang`, whoever was signed in is signed out first and the language is chosen on the login
    page."""
    if lang is not None:
        page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    if lang is not None:
        page.click(f'form.lang button[value="{lang}"]')
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    browser_second_factor(page, username)
    if at is not None:
        page.goto(f"{base}{at}")


def from_menu(page: Any, base: str, username: str, lang: str, entry: str, heading: str) -> None:
    """Sign in as `username` in `lang` and open a page from the menu as a person does (`entry`: the
    link's selector), and see that its heading says `heading`."""
    sign_in(page, base, username, lang=lang)
    page.click(entry)
    expect(page.locator("h1")).to_contain_text(heading)
