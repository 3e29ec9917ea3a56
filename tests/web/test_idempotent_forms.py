"""Every form of the site that writes carries a one-use key and its view uses it (ADR 0015).

The mechanism itself is tested on the records forms (tests/web/records/test_idempotency.py); this test
keeps it on every writing view and form, so that a new one cannot be added without it.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

import adaldyq.web

WEB = Path(adaldyq.web.__file__).parent
#: POSTs that write nothing a person could send twice by mistake, each with the reason.
NOT_WRITES = {
    "login": "signing in",
    "logout": "signing out",
    "code": "signing in, the second factor: a code sent twice is spent, and refused the second time",
    "enrol": "enrolling an authenticator: sent twice, the device is confirmed and the page sends on",
    "set_language": "choosing the language",
    "status": "the public transfer status: a lookup by number and code",
    "ledger": "the witness cosigns the newest checkpoint: sent twice, it cosigns the same head",
}

#: Pages whose action-less form (sent to the page itself) writes nothing twice: as NOT_WRITES.
NOT_WRITES_PAGES = {"public_status", "ledger"}


def _views(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _views(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.name or "", p.callback


def test_every_view_that_takes_a_post_is_idempotent() -> None:
    missing, checked = [], []
    for route, name, view in _views(get_resolver().url_patterns):
        inner = inspect.unwrap(view)
        if not inner.__module__.startswith("adaldyq.web") or name in NOT_WRITES:
            continue
        source = inspect.getsource(inner)
        decorators = (
            inspect.getsource(inspect.getmodule(inner))
            .split(f"def {inner.__name__}(")[0]
            .rsplit("\n\n\n", 1)[-1]
        )
        takes_post = "request.POST" in source or any(
            d in decorators for d in ("require_POST", "@recorded_post", "@form_page")
        )
        if takes_post:
            checked.append(name)
            if not getattr(view, "idempotent", False):
                missing.append(f"{route} ({inner.__module__}.{inner.__name__})")

    assert missing == []
    assert {"record", "correct", "admit", "decide", "confirm", "book", "booking_action"} <= set(
        checked
    )


def test_every_form_that_posts_carries_a_one_use_key() -> None:
    missing = []
    for template in WEB.rglob("*.html"):
        text = template.read_text()
        for form in re.findall(r"<form\b[^>]*method=\"post\"[^>]*>.*?</form>", text, flags=re.S):
            action = re.search(r"action=\"\{% (?:url|address) '([^']+)'", form)
            name = action.group(1).split(":")[-1] if action else ""
            if name in NOT_WRITES or (not action and template.stem in NOT_WRITES_PAGES):
                continue
            if "idempotency_field" not in form:
                missing.append(f"{template.relative_to(WEB)}: {form[:80]}")

    assert missing == []
