"""The session store and user backend that read their rows without the ORM (ADR 0012).

They must keep Django's guarantees: a session ends when it expires and when its user signs out (a
copied cookie stops working), an inactive user or a changed password signs the user out, and the
user read is the same row the ORM reads.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from adaldyq.web.accounts.backends import UserBackend
from adaldyq.web.accounts.models import User
from adaldyq.web.accounts.sessions import SessionStore
from adaldyq.web.rows import by_pk
from tests.twofactor import client_sign_in
from tests.web.fixtures import PASSWORD, register

pytestmark = pytest.mark.django_db


def _signed_in(make_user, username: str = "chair", role: str = "committee") -> Client:
    make_user(username, role)
    client = Client()
    assert client_sign_in(client, username, PASSWORD).status_code in (200, 302)
    assert client.get("/people/").status_code == 200
    return client


def test_the_settings_use_the_lighter_store_and_backend() -> None:
    assert settings.SESSION_ENGINE == "adaldyq.web.accounts.sessions"
    assert settings.AUTHENTICATION_BACKENDS == ["adaldyq.web.accounts.backends.UserBackend"]


def test_an_expired_session_signs_the_user_out(make_user) -> None:
    client = _signed_in(make_user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    response = client.get("/people/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_a_session_still_valid_for_a_minute_is_read(make_user) -> None:
    client = _signed_in(make_user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )

    assert client.get("/people/").status_code == 200
    assert SessionStore(key).load()["_auth_user_id"] == str(User.objects.get(username="chair").pk)


def test_after_sign_out_a_copy_of_the_cookie_no_longer_works(make_user) -> None:
    client = _signed_in(make_user)
    copy = Client()
    copy.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert copy.get("/people/").status_code == 200

    client.post("/accounts/logout/")

    response = copy.get("/people/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_an_unknown_or_malformed_session_key_reads_nothing() -> None:
    assert SessionStore("x" * 32).load() == {}
    assert SessionStore("short").load() == {}
    assert SessionStore(None).load() == {}


def test_a_deactivated_user_is_signed_out(make_user) -> None:
    client = _signed_in(make_user)
    User.objects.filter(username="chair").update(is_active=False)

    assert client.get("/people/").status_code == 302


def test_a_changed_password_signs_the_other_sessions_out(make_user) -> None:
    client = _signed_in(make_user)
    user = User.objects.get(username="chair")
    user.set_password("another horse battery")
    user.save()

    assert client.get("/people/").status_code == 302


def test_the_user_read_is_the_orm_s_row(make_user) -> None:
    made = make_user("officer", "records_officer", institution=register()["k1"])
    made.first_name, made.last_name, made.last_login = "Айгүл", "Сейітова", timezone.now()
    made.save()
    orm = User.objects.get(pk=made.pk)

    read = by_pk(User, str(made.pk))  # the session holds the id as text

    assert type(read) is User
    assert not read._state.adding
    assert read._state.db == orm._state.db
    for field in User._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(orm, field.attname), field.name
    assert read.last_login == orm.last_login
    assert read.last_login.tzinfo is not None
    assert by_pk(User, made.pk + 1000) is None
    assert by_pk(User, "not a number") is None
    assert UserBackend().get_user(str(made.pk)) == orm
