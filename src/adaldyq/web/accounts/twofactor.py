"""Two-factor sign-in: a code from an authenticator (TOTP, RFC 6238) after the password (ADR 0039).

django-otp keeps the devices: a `TOTPDevice` (the authenticator's secret) and a `StaticDevice` whose
tokens are the recovery codes, each good once. Its middleware marks a request verified when the
session names a confirmed device of the user; `second_factor_missing` says when a signed-in request
still lacks it, and `SecondFactorMiddleware` (pages) and the API's authentication refuse such a
request everything but the sign-in pages.

Who needs a code: a role in `TWO_FACTOR_ROLES`, a user created with `two_factor_required`, and anyone
with a confirmed authenticator (a records officer who enrolled by choice). A required user without a
device is sent to enrolment after the password and does nothing else until a first code confirms it.
"""

from __future__ import annotations

import base64
import time
from datetime import datetime
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from adaldyq.web.accounts.models import SignInEvent, User
from adaldyq.web.accounts.roles import TWO_FACTOR_OPTIONAL_ROLES, TWO_FACTOR_ROLES, Role
from adaldyq.web.accounts.selectors import login_key

#: Session key: this sign-in's password was right and a code is still to come (a user whose role does
#: not require one but who has an authenticator; for the required roles the role says it).
SECOND_FACTOR = "adaldyq_second_factor"
#: The name of the authenticator device a user enrols (one per user).
DEVICE_NAME = "authenticator"


def second_factor_required(user: Any) -> bool:
    """The user must sign in with a code: their role requires it, or they were created to."""
    role = getattr(user, "role", "")
    return role in TWO_FACTOR_ROLES or bool(getattr(user, "two_factor_required", False))


def may_enrol(user: Any) -> bool:
    """Staff, oversight and the legal department may enrol an authenticator; the prisoner's kiosk not."""
    return getattr(user, "role", "") in TWO_FACTOR_OPTIONAL_ROLES


def authenticator(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    """The user's authenticator (confirmed by a first code, or still being enrolled), or None."""
    found: TOTPDevice | None = (
        TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()
    )
    return found


def sign_in_needs_code(user: User) -> bool:
    """After the right password: whether a code must follow (required, or an authenticator enrolled)."""
    return second_factor_required(user) or authenticator(user) is not None


def second_factor_missing(request: HttpRequest) -> bool:
    """A signed-in request whose sign-in still lacks the code it needs (pages and API refuse it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return False
    return second_factor_required(user) or bool(request.session.get(SECOND_FACTOR))


def event_record(*, kind: SignInEvent.Kind, username: str, ip: str, at: datetime) -> None:
    """Note one sign-in event (ADR 0039); the name folded as the lock-out counts it."""
    SignInEvent.objects.create(kind=kind, username=login_key(username), ip=ip, at=at)


def secret_base32(device: TOTPDevice) -> str:
    """The device's secret as authenticators take it when typed in (RFC 4648 base32, no padding)."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def secret_grouped(device: TOTPDevice) -> str:
    """The base32 secret in groups of four letters, easier to type."""
    secret = secret_base32(device)
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The enrolment QR code (the device's otpauth:// URL) as inline SVG, made on the server."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#111"))


def enrolment_start(*, user: User) -> TOTPDevice:
    """The authenticator being enrolled: the one begun before (its QR code already scanned), or a new
    secret. Refused for a user who has a confirmed one (a lost phone is reset by an administrator)."""
    if authenticator(user) is not None:
        raise ValueError(f"{user.username} has an authenticator already")
    pending = authenticator(user, confirmed=False)
    if pending is not None:
        return pending
    device: TOTPDevice = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def enrolment_confirm(*, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with its first code; its recovery codes (shown once), or None when
    the code is wrong. The recovery codes replace any the user had."""
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not _totp_verified(locked, code):
            return None
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
        return recovery_codes_create(user=locked.user)


def recovery_codes_create(*, user: User) -> list[str]:
    """New recovery codes for the user (the old ones stop working)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def _normalised(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _totp_verified(device: TOTPDevice, code: str) -> bool:
    code = _normalised(code)
    return len(code) == device.digits and code.isdigit() and bool(device.verify_token(code))


def code_check(*, user: User, code: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts `code`: the authenticator for its six digits, else a recovery code
    (spent by the check). None when neither accepts it."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is not None and _totp_verified(device, code):
            return device
        normalised = _normalised(code)
        if not normalised:
            return None
        recovery = (
            StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        )
        if recovery is not None and recovery.verify_token(normalised):
            return recovery
    return None


def device_enrol_confirmed(*, user: User) -> TOTPDevice:
    """A confirmed authenticator made without its first code (the demo's logins, whose secrets the
    demo prints): replaces any device the user had."""
    devices_remove(user=user)
    device: TOTPDevice = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
    return device


def devices_remove(*, user: User) -> int:
    """Forget the user's authenticator and recovery codes (a lost phone): the next sign-in enrols."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    return int(removed)


def next_code(device: TOTPDevice, *, now: float | None = None) -> tuple[str, int] | None:
    """The code the server accepts next from this authenticator, and the seconds it stays good.

    The current 30-second step's code, or, when it was used already (each step signs in once), the
    next step's, which the server accepts early (the device's tolerance). None when both are used.
    """
    moment = time.time() if now is None else now
    current = int((moment - device.t0) // device.step)
    for t in range(current, current + device.tolerance + 1):
        if t > device.last_t:
            clock = TOTP(device.bin_key, device.step, device.t0, device.digits, t - current)
            clock.time = moment
            code = int(clock.token())
            good_until = device.t0 + (t + device.tolerance + 1) * device.step
            return f"{code:0{device.digits}d}", max(0, int(good_until - moment))
    return None


def role_requires_code(role: str) -> bool:
    """Whether a role must sign in with a code (for the CLI and the demo, which name roles)."""
    return Role(role) in TWO_FACTOR_ROLES
