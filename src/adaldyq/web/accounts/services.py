"""Writes of the accounts app: users, and the failed-login record that throttles guessing."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from adaldyq.core.errors import InputError
from adaldyq.web.accounts.models import LoginFailure, User
from adaldyq.web.accounts.positions import LANGUAGES
from adaldyq.web.accounts.roles import (
    INSTITUTION_ROLES,
    PROBATION_ROLES,
    REGION_ROLES,
    TWO_FACTOR_OPTIONAL_ROLES,
    Role,
)
from adaldyq.web.accounts.selectors import login_key
from adaldyq.web.institutions.models import Institution, Region
from adaldyq.web.text import checked_name, checked_text


class AccountError(InputError, ValueError):
    """A user that cannot be created as asked (scope, position, password); one line for the CLI."""


def user_create(
    *,
    username: str,
    password: str,
    role: Role,
    institution: Institution | None = None,
    region: Region | None = None,
    person_id: str | None = None,
    first_name: str = "",
    last_name: str = "",
    full_name: str = "",
    position: Mapping[str, str] | None = None,
    two_factor_required: bool = False,
) -> User:
    """A user whose scope fits the role: an institution, a region, a person, or nothing (all).

    `full_name` is how pages and documents name them; `position` their position by language
    ({"kk": ..., "ru": ..., "en": ...}; a language left out shows the role's words).
    `two_factor_required`: sign in with a code even where the role does not require it (ADR 0039).
    """
    if role in INSTITUTION_ROLES and institution is None:
        raise AccountError(f"role {role} needs an institution")
    if role in REGION_ROLES | PROBATION_ROLES and region is None:
        raise AccountError(f"role {role} needs a region")
    if role is Role.prisoner and person_id is None:
        raise AccountError("role prisoner needs a person")
    if two_factor_required and role not in TWO_FACTOR_OPTIONAL_ROLES:
        raise AccountError(f"role {role} signs in without an authenticator (a kiosk)")
    unknown = set(position or {}) - set(LANGUAGES)
    if unknown:
        raise AccountError(
            f"position language must be one of kk, ru, en, not {', '.join(sorted(unknown))}"
        )
    try:  # one name is one text (adaldyq.core.text): no bidi or zero-width characters, NFKC
        username = checked_name(username)
        full_name = checked_name(full_name, required=False)
        position = {k: checked_text(v, required=False) for k, v in (position or {}).items()}
    except InputError as exc:
        raise AccountError(str(exc)) from None
    user = User(
        username=username,
        role=role.value,
        institution=institution,
        region=region,
        person_id=person_id,
        first_name=first_name,
        last_name=last_name,
        full_name=full_name,
        two_factor_required=two_factor_required,
        **{f"position_{lang}": text for lang, text in position.items()},
    )
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise AccountError("password refused: " + " ".join(exc.messages)) from None
    user.set_password(password)
    try:
        with transaction.atomic():  # two at once: the unique name decides, the other is told
            user.save()
    except IntegrityError:
        raise AccountError(f"user {username} exists already") from None
    return user


def login_failure_record(*, username: str, ip: str, at: datetime) -> None:
    """Note one failed sign-in for the pair (username, address)."""
    LoginFailure.objects.create(username=login_key(username), ip=ip, at=at)


def login_success_record(*, username: str, ip: str) -> None:
    """A successful sign-in clears the failures of the pair."""
    with transaction.atomic():
        LoginFailure.objects.filter(username=login_key(username), ip=ip).delete()
