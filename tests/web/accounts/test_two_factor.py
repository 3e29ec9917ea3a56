"""Two-factor sign-in (ADR 0039): the roles that decide or oversee sign in with a code after the password.

Every sign-in here goes through the pages (the password form, then the code or the enrolment), never
the test client's login() shortcut, which stands for a finished sign-in (tests/twofactor.py).
"""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from adaldyq.web.accounts.models import LoginFailure, SignInEvent
from adaldyq.web.accounts.roles import TWO_FACTOR_ROLES, Role
from adaldyq.web.accounts.twofactor import device_enrol_confirmed, next_code
from adaldyq.web.records import services
from tests.twofactor import client_sign_in, code_at, code_for, hex_of_base32
from tests.web.fixtures import PASSWORD, account, person_payload, register

pytestmark = pytest.mark.django_db
Kind = SignInEvent.Kind


def _password(client: Client, username: str, password: str = PASSWORD) -> str:
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.status_code
    return str(response["Location"])


def _events(username: str) -> list[str]:
    return list(
        SignInEvent.objects.filter(username=username).order_by("pk").values_list("kind", flat=True)
    )


@pytest.fixture
def world(make_user):
    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    person = services.person_admit(officer=officer, person=person_payload())
    head = make_user("head", "head", institution=insts["k1"])
    return {"officer": officer, "head": head, "person": person}


def test_the_roles_that_decide_or_oversee_need_a_code_and_those_who_record_facts_do_not() -> None:
    assert {r.value for r in TWO_FACTOR_ROLES} == {
        "head",
        "regional",
        "committee",
        "prosecutor",
        "anticorruption",
        "ombudsman",
        "public_council",
        "law_admin",
    }
    assert Role.records_officer not in TWO_FACTOR_ROLES
    assert Role.prisoner not in TWO_FACTOR_ROLES
    assert Role.probation_officer not in TWO_FACTOR_ROLES


def test_a_required_role_without_an_authenticator_can_only_enrol(world) -> None:
    client = Client()

    assert _password(client, "head").startswith("/accounts/code/")
    page = client.get("/people/")
    assert page.status_code == 302
    assert page["Location"] == "/accounts/code/?next=/people/"
    assert client.get(page["Location"])["Location"] == "/accounts/enrol/?next=%2Fpeople%2F"
    assert client.get(f"/people/{world['person'].pk}/").status_code == 302
    assert client.get("/api/people").status_code == 401
    enrol = client.get("/accounts/enrol/").content.decode()
    assert "<svg" in enrol  # the QR code, drawn on the server
    secret = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', enrol).group(1)
    device = TOTPDevice.objects.get(user=world["head"], confirmed=False)
    assert hex_of_base32(secret) == device.key
    assert 'id="nav-' not in enrol  # no navigation to pages it cannot reach yet


def test_enrolment_refuses_a_wrong_code_counts_it_and_confirms_with_a_right_one(world) -> None:
    client = Client()
    _password(client, "head")
    client.get("/accounts/enrol/")
    device = TOTPDevice.objects.get(user=world["head"], confirmed=False)

    wrong = client.post("/accounts/enrol/", {"code": "000000"})
    assert wrong.status_code == 401
    assert LoginFailure.objects.filter(username="head").count() == 1
    code, _ = code_for(device.key, device.last_t)
    right = client.post("/accounts/enrol/", {"code": code, "next": "/people/"})

    assert right.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", right.content.decode())
    assert len(codes) == settings.TWO_FACTOR_RECOVERY_CODES
    assert StaticToken.objects.filter(device__user=world["head"]).count() == len(codes)
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/people/").status_code == 200
    assert client.get("/api/people").status_code == 200
    assert not LoginFailure.objects.filter(username="head").exists()  # cleared by the sign-in
    assert _events("head") == [
        Kind.PASSWORD_ACCEPTED,
        Kind.CODE_REFUSED,
        Kind.DEVICE_ENROLLED,
        Kind.SIGNED_IN,
    ]


def test_with_an_authenticator_the_password_alone_reaches_nothing_and_the_code_lets_in(
    world,
) -> None:
    device = device_enrol_confirmed(user=world["head"])
    client = Client(headers={"accept-language": "en"})

    assert _password(client, "head") == "/accounts/code/"
    assert client.get("/people/").status_code == 302
    assert client.get("/api/people").status_code == 401
    assert client.get("/accounts/enrol/")["Location"] == "/accounts/code/"  # no second device
    wrong = client.post("/accounts/code/", {"code": "123456"})
    assert wrong.status_code == 401
    assert "not right" in wrong.content.decode()
    code, _ = code_for(device.key, device.last_t)
    right = client.post("/accounts/code/", {"code": code, "next": "/people/"})

    assert right.status_code == 302
    assert right["Location"] == "/people/"
    assert client.get("/people/").status_code == 200
    assert client.get("/api/people").status_code == 200
    assert _events("head") == [Kind.PASSWORD_ACCEPTED, Kind.CODE_REFUSED, Kind.SIGNED_IN]


def test_a_verified_session_loses_the_code_at_the_next_request_once_its_device_is_gone(
    world, make_user
) -> None:
    """The session's device is read on every request (accounts.middleware.DeviceMiddleware): one no
    longer confirmed, another user's, or reset, and the code is asked again."""
    device = device_enrol_confirmed(user=world["head"])
    client = Client()
    _password(client, "head")
    code, _ = code_for(device.key, device.last_t)
    assert client.post("/accounts/code/", {"code": code}).status_code == 302
    assert client.get("/people/").status_code == 200

    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=False)
    assert client.get("/people/")["Location"].startswith("/accounts/code/")
    assert client.get("/api/people").status_code == 401

    other = make_user("head2", "head", institution=world["head"].institution)
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True, user=other)
    assert client.get("/people/").status_code == 302  # the session's device is not the user's

    TOTPDevice.objects.filter(pk=device.pk).update(user=world["head"])
    assert client.get("/people/").status_code == 302  # the session forgot the device for good

    fresh = Client()
    _password(fresh, "head")
    device.refresh_from_db()
    code, _ = code_for(device.key, device.last_t)
    assert fresh.post("/accounts/code/", {"code": code}).status_code == 302
    assert fresh.get("/people/").status_code == 200
    TOTPDevice.objects.filter(pk=device.pk).delete()  # `adaldyq web two-factor-reset`
    assert fresh.get("/people/").status_code == 302


def test_wrong_codes_count_toward_the_lock_out_with_the_passwords(world) -> None:
    device = device_enrol_confirmed(user=world["head"])
    client = Client()
    assert client.post("/accounts/login/", {"username": "head", "password": "x"}).status_code == 401
    assert _password(client, "head") == "/accounts/code/"  # the failure stays counted
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert client.post("/accounts/code/", {"code": "000000"}).status_code == 401
    code, _ = code_for(device.key, device.last_t)

    locked = client.post("/accounts/code/", {"code": code})

    assert locked.status_code == 429
    assert 0 < int(locked["Retry-After"]) <= settings.LOGIN_LOCK_MINUTES * 60
    assert client.get("/people/").status_code == 302
    assert LoginFailure.objects.filter(username="head").count() == settings.LOGIN_FAILURE_LIMIT
    assert _events("head")[-1] == Kind.LOCKED_OUT
    # and the password form is locked for the name too
    assert (
        client.post("/accounts/login/", {"username": "head", "password": PASSWORD}).status_code
        == 429
    )


def test_a_code_signs_in_once(world) -> None:
    device = device_enrol_confirmed(user=world["head"])
    code, step = code_for(device.key, device.last_t)
    first, second = Client(), Client()
    _password(first, "head")
    _password(second, "head")

    assert first.post("/accounts/code/", {"code": code}).status_code == 302
    assert second.post("/accounts/code/", {"code": code}).status_code == 401  # replayed
    assert code_at(device.key, step) == code


def test_a_recovery_code_signs_in_once(world) -> None:
    device = device_enrol_confirmed(user=world["head"])
    client = Client()
    _password(client, "head")
    client.get("/accounts/code/")
    from adaldyq.web.accounts.twofactor import recovery_codes_create

    codes = recovery_codes_create(user=world["head"])
    assert device.confirmed

    used = client.post("/accounts/code/", {"code": codes[0].upper()})
    assert used.status_code == 302
    assert client.get("/people/").status_code == 200
    again = Client()
    _password(again, "head")
    assert again.post("/accounts/code/", {"code": codes[0]}).status_code == 401
    assert Kind.RECOVERY_CODE_USED in _events("head")
    assert StaticToken.objects.filter(device__user=world["head"]).count() == len(codes) - 1


def test_a_records_officer_signs_in_with_the_password_and_may_enrol_then_needs_the_code(
    world,
) -> None:
    client = Client()
    assert _password(client, "officer") == "/"
    home = client.get("/people/")
    assert home.status_code == 200
    assert 'id="enrol-link"' in home.content.decode()

    client_sign_in(Client(), "officer", PASSWORD)  # a sign-in without a code: nothing to enrol
    client.get("/accounts/enrol/")
    device = TOTPDevice.objects.get(user=world["officer"], confirmed=False)
    code, _ = code_for(device.key, device.last_t)
    assert client.post("/accounts/enrol/", {"code": code}).status_code == 200
    enrolled = client.get("/people/").content.decode()  # the header kept per role and enrolment
    assert 'id="enrol-link"' not in enrolled
    assert 'id="tokens-link"' in enrolled

    later = Client()
    assert _password(later, "officer") == "/accounts/code/"
    assert later.get("/people/").status_code == 302
    assert later.get("/api/people").status_code == 401
    assert client_sign_in(Client(), "officer", PASSWORD)["Location"] == "/"


def test_the_prisoner_s_kiosk_has_no_enrolment(make_user) -> None:
    make_user("self", "prisoner", person_id="p-1")
    client = Client()
    _password(client, "self")

    assert client.get("/accounts/enrol/").status_code == 404


def test_a_user_created_to_need_a_code_enrols_at_the_first_sign_in(make_user) -> None:
    insts = register()

    account("strict", "records_officer", institution=insts["k1"], two_factor_required=True)
    client = Client()
    _password(client, "strict")

    assert client.get("/people/")["Location"] == "/accounts/code/?next=/people/"
    assert client.get("/accounts/code/")["Location"] == "/accounts/enrol/"


def test_the_next_code_is_the_current_step_s_then_the_next_one_s(world) -> None:
    device = device_enrol_confirmed(user=world["head"])
    now = 1_800_000_000.0
    step = int(now // 30)

    assert next_code(device, now=now) == (code_at(device.key, step), 60)
    device.last_t = step
    assert next_code(device, now=now)[0] == code_at(device.key, step + 1)
    device.last_t = step + 1
    assert next_code(device, now=now) is None


def test_the_code_page_of_a_demo_says_how_to_get_a_code(world, settings, tmp_path) -> None:
    device_enrol_confirmed(user=world["head"])
    settings.DATA_DIR = tmp_path
    client = Client()
    _password(client, "head")
    assert "otp-code" not in client.get("/accounts/code/").content.decode()

    (tmp_path / "demo-logins.json").write_text("{}")
    page = client.get("/accounts/code/").content.decode()

    assert "adaldyq web otp-code head" in page


def test_otp_code_prints_a_demo_login_s_code_and_refuses_a_login_without_one(world) -> None:
    from typer.testing import CliRunner

    from adaldyq.cli.__main__ import app

    device = device_enrol_confirmed(user=world["head"])
    runner = CliRunner()

    printed = runner.invoke(app, ["web", "otp-code", "head"], terminal_width=200)
    refused = runner.invoke(app, ["web", "otp-code", "officer"], terminal_width=200)
    unknown = runner.invoke(app, ["web", "otp-code", "nobody"], terminal_width=200)

    assert printed.exit_code == 0, printed.output
    code = printed.stdout.splitlines()[0]
    assert re.fullmatch(r"\d{6}", code)
    assert code in {code_at(device.key, int(time.time() // 30) + d) for d in (-1, 0, 1)}
    client = Client()
    _password(client, "head")
    assert client.post("/accounts/code/", {"code": code}).status_code == 302  # the server takes it
    assert refused.exit_code != 0
    assert "officer has no authenticator" in refused.output
    assert len(refused.output.strip().splitlines()) == 1
    assert unknown.exit_code != 0


def test_two_factor_reset_makes_the_next_sign_in_enrol(world) -> None:
    from typer.testing import CliRunner

    from adaldyq.cli.__main__ import app

    device_enrol_confirmed(user=world["head"])

    done = CliRunner().invoke(app, ["web", "two-factor-reset", "head"], terminal_width=200)

    assert done.exit_code == 0, done.output
    client = Client()
    _password(client, "head")
    assert client.get("/accounts/code/")["Location"] == "/accounts/enrol/"
