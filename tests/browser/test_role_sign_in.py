"""Every login the demo prints signs in to the demo as shipped and reaches its home page, in kk, ru and en."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from adaldyq.web.accounts.roles import Role
from tests.browser.shipped import ShippedDemo, server_errors, sign_in

pytestmark = pytest.mark.shipped

ROLES = tuple(role.value for role in Role)


def test_the_demo_prints_a_login_for_every_role(shipped_demo: ShippedDemo) -> None:
    assert set(shipped_demo.logins) == {*ROLES, "relative"}  # the relative: /visit/, no password
    assert shipped_demo.built["people"] > 1000


@pytest.mark.parametrize(
    ("role", "lang"), [(role, ("kk", "ru", "en")[i % 3]) for i, role in enumerate(ROLES)]
)
def test_every_role_signs_in_and_reaches_its_home_page(
    page: Page, shipped_demo: ShippedDemo, shipped_server: str, role: str, lang: str
) -> None:
    failures = server_errors(page)
    sign_in(page, shipped_server, shipped_demo, role, lang=lang)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("main, body").first).to_be_visible()
    assert failures == []


def test_the_api_docs_render_under_the_sites_content_security_policy(
    page: Page, shipped_demo: ShippedDemo, shipped_server: str
) -> None:
    blocked: list[str] = []
    page.on(
        "console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None
    )
    sign_in(page, shipped_server, shipped_demo, "committee", lang="en")
    page.goto(f"{shipped_server}/api/docs")
    expect(page.locator(".opblock").first).to_be_visible(timeout=15_000)
    assert blocked == []
