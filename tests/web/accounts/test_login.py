"""Sign-in: Argon2 first, throttling per username and address, sessions that expire."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from adaldyq.web.accounts.models import LoginFailure
from tests.twofactor import client_sign_in
from tests.web.fixtures import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str) -> int:
    return client.post("/accounts/login/", {"username": username, "password": password}).status_code


def test_the_base_settings_hash_passwords_with_argon2_first() -> None:
    from adaldyq.web.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_sessions_expire_after_thirty_minutes_and_on_browser_close() -> None:
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_a_committee_member_signs_in_with_a_code_and_is_sent_to_the_people_search(
    make_user, client: Client
) -> None:
    make_user("chair", "committee")

    response = client_sign_in(client, "chair", PASSWORD)

    assert response.status_code == 200  # the recovery codes, shown once after enrolling
    assert client.get("/").url == "/people/"


def test_a_wrong_password_is_refused_and_counted(make_user, client: Client) -> None:
    make_user("chair", "committee")

    assert _login(client, "chair", "wrong") == 401
    assert LoginFailure.objects.filter(username="chair").count() == 1


def test_five_failures_lock_the_username_even_for_the_right_password(
    make_user, client: Client
) -> None:
    make_user("chair", "committee")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, "chair", "wrong")

    response = client.post("/accounts/login/", {"username": "chair", "password": PASSWORD})

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= settings.LOGIN_LOCK_MINUTES * 60
    assert "Try again in" in response.content.decode() or "минут" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_sign_in_clears_the_failures(make_user, client: Client) -> None:
    make_user("self", "prisoner", person_id="p-1")  # a role that signs in with the password alone
    _login(client, "self", "wrong")

    assert _login(client, "self", PASSWORD) == 302
    assert not LoginFailure.objects.filter(username="self").exists()


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",  # /\evil.example: browsers read the backslash as a slash
        "\\\\evil.example",
        "/\t/evil.example",
        "https:evil.example",
        "javascript:alert(1)",
    ],
)
def test_an_open_redirect_after_sign_in_is_ignored(make_user, client: Client, target: str) -> None:
    make_user("chair", "prisoner", person_id="p-1")  # signs in with the password alone

    response = client.post(
        "/accounts/login/",
        {"username": "chair", "password": PASSWORD, "next": target},
    )

    assert response.url == "/"


def test_a_next_page_on_the_site_is_followed(make_user, client: Client) -> None:
    make_user("chair", "prisoner", person_id="p-1")

    response = client.post(
        "/accounts/login/",
        {"username": "chair", "password": PASSWORD, "next": "/people/?q=a"},
    )

    assert response.url == "/people/?q=a"


def test_pages_need_a_signed_in_user(client: Client) -> None:
    response = client.get("/people/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_sign_out_needs_a_post(make_user, client: Client) -> None:
    make_user("chair", "committee")
    client.login(username="chair", password=PASSWORD)

    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_selected_database_is_the_one_in_use() -> None:
    import os

    from django.db import connection

    wanted = os.environ.get("ADALDYQ_TEST_DB", "sqlite")
    assert connection.vendor == {"sqlite": "sqlite", "postgres": "postgresql"}[wanted]


@pytest.mark.parametrize(
    "variant",
    ["chair", "chair ", " chair", "chair\t", "ｃｈａｉｒ", "CHAIR", "Chair\u3000"],
)
def test_every_spelling_of_the_name_counts_against_the_same_lock(
    make_user, client: Client, variant: str
) -> None:
    make_user("chair", "committee")
    spellings = ["chair ", "\tchair", "ｃｈａｉｒ", "CHAIR", "chair\u00a0"]
    for i in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, spellings[i % len(spellings)], "wrong")

    assert _login(client, variant, PASSWORD) == 429


def test_a_name_guessed_from_many_addresses_is_locked(make_user, client: Client) -> None:
    make_user("chair", "committee")
    for i in range(settings.LOGIN_FAILURE_LIMIT_NAME):
        client.post(
            "/accounts/login/",
            {"username": "chair", "password": "wrong"},
            REMOTE_ADDR=f"10.0.{i // 200}.{i % 200 + 1}",
        )

    answer = client.post(
        "/accounts/login/",
        {"username": "chair", "password": PASSWORD},
        REMOTE_ADDR="10.9.9.9",
    )
    assert answer.status_code == 429


def test_one_address_trying_many_names_is_locked(make_user, client: Client) -> None:
    make_user("chair", "committee")
    for i in range(settings.LOGIN_FAILURE_LIMIT_ADDRESS):
        _login(client, f"guess{i}", "wrong")

    assert _login(client, "chair", PASSWORD) == 429


def test_behind_a_trusted_proxy_clients_are_told_apart_by_the_forwarded_address(
    make_user, client: Client, settings
) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    make_user("chair", "committee")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(
            "/accounts/login/",
            {"username": "chair", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )

    other = client.post(
        "/accounts/login/",
        {"username": "chair", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )
    assert other.status_code == 302  # another client behind the same proxy is not locked out
    assert set(LoginFailure.objects.values_list("ip", flat=True)) <= {"203.0.113.7"}


def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(
    make_user, client: Client, settings
) -> None:
    settings.TRUSTED_PROXIES = []
    make_user("chair", "committee")
    client.post(
        "/accounts/login/",
        {"username": "chair", "password": "wrong"},
        REMOTE_ADDR="192.0.2.5",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert list(LoginFailure.objects.values_list("ip", flat=True)) == ["192.0.2.5"]
