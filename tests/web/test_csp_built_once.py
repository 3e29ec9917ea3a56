"""The site's Content-Security-Policy, built once per process, is the one django-csp builds (ADR 0050)."""

from __future__ import annotations

from csp.middleware import CSPMiddleware as DjangoCSP
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from adaldyq.web.security import CSPMiddleware


def _headers(middleware: type, response: HttpResponse, path: str = "/people/") -> dict[str, str]:
    request = RequestFactory().get(path)
    m = middleware(lambda r: response)
    m.process_request(request)
    out = m.process_response(request, response)
    return {k: v for k, v in out.items() if k.startswith("Content-Security-Policy")}


def test_the_header_is_django_csps_and_follows_the_settings() -> None:
    assert _headers(CSPMiddleware, HttpResponse()) == _headers(DjangoCSP, HttpResponse())
    changed = {"DIRECTIVES": {"default-src": ["'none'"]}, "EXCLUDE_URL_PREFIXES": ["/ledger/"]}
    with override_settings(
        CONTENT_SECURITY_POLICY=changed, CONTENT_SECURITY_POLICY_REPORT_ONLY=changed
    ):
        ours = _headers(CSPMiddleware, HttpResponse())
        assert ours == _headers(DjangoCSP, HttpResponse())
        assert ours["Content-Security-Policy"] == "default-src 'none'"
        assert "Content-Security-Policy-Report-Only" in ours
        assert _headers(CSPMiddleware, HttpResponse(), "/ledger/tile/0/1") == {}
    assert "script-src 'self'" in _headers(CSPMiddleware, HttpResponse())["Content-Security-Policy"]


def test_a_response_with_a_policy_of_its_own_or_exempt_keeps_it() -> None:
    own = HttpResponse()
    own._csp_replace = {"img-src": ["https://example.org"]}  # type: ignore[attr-defined]
    assert "img-src https://example.org" in _headers(CSPMiddleware, own)["Content-Security-Policy"]
    exempt = HttpResponse()
    exempt._csp_exempt = True  # type: ignore[attr-defined]
    assert _headers(CSPMiddleware, exempt) == {}
