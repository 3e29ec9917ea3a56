"""Two-factor sign-in in tests (ADR 0039): codes computed from a device's secret, as an authenticator does.

- `client_sign_ins_verified`: the test client's `login()` and `force_login()` stand for a whole
  sign-in, password and code, as they always stood for the password form: a user whose role needs a
  code gets an authenticator and a verified session. The sign-in itself (password, then code or
  enrolment) is tested through its pages, which these shortcuts never reach
  (tests/web/accounts/test_two_factor.py, tests/browser/test_two_factor.py).
- `code_for(key, last_t)`: the code the server accepts next from an authenticator with hex secret `key`
  whose last accepted step is `last_t` (each 30-second step signs in once; the next step's code is
  accepted early).
- `browser_second_factor(page, username)`: after the password in a browser, the code page answered
  from the user's device in the test database, or the enrolment page answered from the secret it shows.
"""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Iterator
from typing import Any

import pytest

STEP = 30


def code_at(key_hex: str, t: int) -> str:
    """The six-digit code of step `t` (RFC 6238 over RFC 4226, SHA-1) for a hex secret."""
    from django_otp.oath import hotp

    return f"{hotp(binascii.unhexlify(key_hex), t, 6):06d}"


def hex_of_base32(secret: str) -> str:
    """A base32 secret as shown to people (groups, no padding) as hex."""
    clean = "".join(secret.split()).upper()
    return base64.b32decode(clean + "=" * (-len(clean) % 8)).hex()


def code_for(key_hex: str, last_t: int) -> tuple[str, int]:
    """(code, step) of the first step after `last_t` that the server accepts now.

    The current step's, else the next one's (accepted one step early); when both are used, waits for
    the next step (at most 30 seconds: a login signed in three times within half a minute).
    """
    while True:
        now = int(time.time() // STEP)
        t = max(now, last_t + 1)
        if t <= now + 1:
            return code_at(key_hex, t), t
        time.sleep((now + 1) * STEP - time.time() + 0.05)


@pytest.fixture(autouse=True)
def client_sign_ins_verified() -> Iterator[None]:
    from django.contrib.auth.signals import user_logged_in
    from django.http import HttpRequest

    def verify(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        if type(request) is not HttpRequest:  # a real request: the pages ask for the code
            return
        import django_otp
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from adaldyq.web.accounts.twofactor import second_factor_required

        if not second_factor_required(user):
            return
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        # What django_otp.login keeps (the test client's request has no `user` for it to check).
        request.session[django_otp.DEVICE_ID_SESSION_KEY] = device.persistent_id

    user_logged_in.connect(verify, dispatch_uid="tests.twofactor.verify")
    try:
        yield
    finally:
        user_logged_in.disconnect(dispatch_uid="tests.twofactor.verify")


def browser_second_factor(page: Any, username: str) -> None:
    """Answer the second step of a browser sign-in, if the user's role asks for one.

    On the code page: the code of the user's confirmed authenticator in the test database (its
    `last_t` says which steps are used). On the enrolment page: the secret the page shows, and then
    the recovery codes' page is left by its link.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    path = page.url.split("?")[0]
    if path.endswith("/accounts/code/"):
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        code, _ = code_for(device.key, device.last_t)
        page.fill("#id_otp_token", code)
        page.locator("#id_otp_token").press("Enter")
        page.wait_for_url(lambda url: "/accounts/code/" not in url)
    elif path.endswith("/accounts/enrol/"):
        secret = page.locator("#otp-secret").inner_text()
        code, _ = code_for(hex_of_base32(secret), -1)
        page.fill("#id_otp_token", code)
        page.locator("#id_otp_token").press("Enter")
        page.click("#continue")
        page.wait_for_url(lambda url: "/accounts/enrol/" not in url)


def client_sign_in(client: Any, username: str, password: str, *, next_url: str = "") -> Any:
    """Sign in through the pages with the test client: the password, then the code (from the user's
    authenticator in the test database) or the enrolment (a new one). The last response."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    suffix = f"?next={next_url}" if next_url else ""
    response = client.post(
        f"/accounts/login/{suffix}", {"username": username, "password": password}
    )
    location = response.get("Location", "") if response.status_code == 302 else ""
    if location.startswith("/accounts/code/"):
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is None:  # no authenticator yet: the code page sends to enrolment
            location = client.get(location)["Location"]
        else:
            code, _ = code_for(device.key, device.last_t)
            return client.post(location, {"code": code})
    if location.startswith("/accounts/enrol/"):
        client.get(location)  # makes the secret to enrol
        device = TOTPDevice.objects.get(user__username=username, confirmed=False)
        code, _ = code_for(device.key, device.last_t)
        return client.post(location, {"code": code})
    return response
