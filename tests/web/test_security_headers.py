"""Deployment defaults (issue 16): no cache keeps personal data, a CSP, cookies and HSTS over HTTPS."""

from __future__ import annotations

import importlib
import os

import pytest
from django.test import Client

from tests.web.fixtures import PASSWORD

pytestmark = pytest.mark.django_db


def test_every_page_of_the_application_says_no_store(make_user, client: Client) -> None:
    make_user("chair", "committee")
    client.login(username="chair", password=PASSWORD)
    for url in (
        "/accounts/login/",
        "/people/",
        "/api/people?q=a",
        "/commission/register/",
        "/commission/register/?format=csv",
        "/ledger/entries/0/",
    ):
        answer = client.get(url)
        assert answer["Cache-Control"] == "no-store, private", url


def test_pages_carry_a_policy_that_allows_only_the_sites_own_scripts(client: Client) -> None:
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "http" not in policy  # nothing from another origin


@pytest.mark.parametrize(("https", "secure"), [("1", True), ("0", False)])
def test_https_deployments_get_secure_cookies_and_hsts(
    monkeypatch: pytest.MonkeyPatch, https: str, secure: bool
) -> None:
    monkeypatch.setenv("ADALDYQ_HTTPS", https)
    from adaldyq.web.settings import base

    try:
        fresh = importlib.reload(base)
        assert fresh.SESSION_COOKIE_SECURE is secure
        assert fresh.CSRF_COOKIE_SECURE is secure
        assert (fresh.SECURE_HSTS_SECONDS >= 31_536_000) is secure
    finally:
        monkeypatch.delenv("ADALDYQ_HTTPS")
        importlib.reload(base)
        assert os.environ.get("ADALDYQ_HTTPS") is None
