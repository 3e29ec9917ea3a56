"""Signing a test user in through the login page, as a person does: the password, then the code of
the user's authenticator, or its enrolment, when the role signs in with two factors (ADR 0039)."""

from __future__ import annotations

from typing import Any

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
