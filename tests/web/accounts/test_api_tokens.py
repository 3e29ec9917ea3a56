"""API tokens (ADR 0041): a machine client acts as the token's user, with its role and scope, without
a session or a second factor; the ledger names the token; revoked, expired, wrong or over-used
tokens are refused; made and revoked on the account's page and by `adaldyq web api-token`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone
from typer.testing import CliRunner

from adaldyq.ledger import sql
from adaldyq.web.accounts.models import ApiToken
from adaldyq.web.accounts.tokens import TokenError, token_create, token_revoke
from adaldyq.web.records import services as records
from tests.web.fixtures import client_as, ledger_size, person_payload, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user: Any) -> dict[str, Any]:
    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    head = make_user("head", "head", institution=insts["k1"])  # signs in with a code (ADR 0039)
    inside = records.person_admit(officer=officer, person=person_payload("KA-0001"))
    outside = records.person_admit(
        officer=make_user("other", "records_officer", institution=insts["a1"]),
        person=person_payload("LA-0001", institution="LA-155/3"),
    )
    return {"officer": officer, "head": head, "in": inside, "out": outside}


def _bearer(secret: str, lang: str = "en") -> Client:
    return Client(headers={"authorization": f"Bearer {secret}", "accept-language": lang})


def _newest() -> Any:
    with connection.cursor() as cursor:
        size = sql.read_size(cursor)
        return sql.read_entries(cursor, size - 1, size)[0]


def test_a_token_reads_as_its_user_and_the_ledger_names_the_token(world) -> None:
    token, secret = token_create(user=world["head"], name="court system", by="admin")
    before = ledger_size()

    inside = _bearer(secret).get(f"/api/people/{world['in'].pk}")
    outside = _bearer(secret).get(f"/api/people/{world['out'].pk}")

    # the head's role needs a code at sign-in; the token stands for the password and the code
    assert inside.status_code == 200, inside.content
    assert outside.status_code == 403  # the user's scope, through the one scope check
    assert ledger_size() == before + 1
    entry = _newest()
    assert (entry.type, entry.subject) == ("file_opened", world["in"].pk)
    assert entry.draft.actor.id == "head"
    assert entry.draft.actor.authority == f"role:head@UK-161/1 token:{token.prefix}"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_token_writes_without_a_session_or_csrf_and_the_entry_names_it(world) -> None:
    token, secret = token_create(user=world["officer"], name="prison system", by="admin")
    fact = {"type": "incentive", "on": "2024-05-01", "kind": "gratitude"}

    done = _bearer(secret).post(
        f"/api/people/{world['in'].pk}/facts", fact, content_type="application/json"
    )

    assert done.status_code == 201, done.content
    assert _newest().draft.actor.authority.endswith(f" token:{token.prefix}")


def test_revoked_expired_wrong_and_missing_tokens_are_refused(world) -> None:
    url = f"/api/people/{world['in'].pk}"
    revoked, revoked_secret = token_create(user=world["officer"], name="old", by="admin")
    token_revoke(prefix=revoked.prefix, by="admin")
    expired, expired_secret = token_create(user=world["officer"], name="late", by="admin")
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    _live, live_secret = token_create(user=world["officer"], name="live", by="admin")
    world["officer"].is_active = False
    world["officer"].save()

    answers = [
        _bearer(s).get(url).status_code
        for s in (revoked_secret, expired_secret, live_secret, live_secret[:-2] + "xx", "adq_")
    ]

    assert answers == [401] * 5  # and an inactive user's live token is refused too
    assert Client().get(url).status_code == 401


def test_a_token_over_its_requests_per_minute_is_answered_429_with_retry_after(
    world, settings
) -> None:
    settings.API_TOKEN_REQUESTS_PER_MINUTE = 3
    _token, secret = token_create(user=world["officer"], name="script", by="admin")
    client = _bearer(secret)
    # the 5th second of a minute, held still: the minute's count is not cut by its end
    with time_machine.travel(timezone.now().replace(second=5), tick=False):
        answers = [client.get("/api/people", {"limit": 1}) for _ in range(4)]
        in_russian = _bearer(secret, "ru").get("/api/people").json()["detail"]
        # another token of the same user has its own count; a person's session is not counted
        _other, other_secret = token_create(user=world["officer"], name="second", by="admin")
        other = _bearer(other_secret).get("/api/people", {"limit": 1}).status_code
        session = client_as(world["officer"]).get("/api/people", {"limit": 1}).status_code

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[-1]["Retry-After"] == "55"
    assert "API token" in answers[-1].json()["detail"]
    assert "API-токеном" in in_russian
    assert (other, session) == (200, 200)


def test_no_token_for_the_prisoners_kiosk_nor_without_a_name_or_beyond_a_year(
    world, make_user
) -> None:
    prisoner = make_user("prisoner", "prisoner", person_id=world["in"].pk)
    with pytest.raises(TokenError):
        token_create(user=prisoner, name="kiosk", by="admin")
    with pytest.raises(TokenError):
        token_create(user=world["officer"], name="  ", by="admin")
    with pytest.raises(TokenError):
        token_create(user=world["officer"], name="script", days=366, by="admin")
    assert client_as(prisoner).get("/accounts/tokens/").status_code == 404


def test_the_account_page_makes_a_token_once_and_revokes_it(world) -> None:
    client = client_as(world["officer"], lang="ru")

    made = client.post("/accounts/tokens/", {"action": "create", "name": "скрипт", "days": "30"})

    assert made.status_code == 200
    secret = made.context["shown"]
    assert secret.startswith("adq_")
    assert secret in made.content.decode()
    token = ApiToken.objects.get(user=world["officer"])
    assert token.digest not in made.content.decode()
    assert secret != token.digest
    assert secret not in client.get("/accounts/tokens/").content.decode()  # shown only once
    assert _bearer(secret).get("/api/people").status_code == 200

    other, other_secret = token_create(user=world["head"], name="head's", by="admin")
    refused = client.post("/accounts/tokens/", {"action": "revoke", "prefix": other.prefix})
    assert refused.status_code == 400  # another user's token: not theirs to revoke
    gone = client.post("/accounts/tokens/", {"action": "revoke", "prefix": token.prefix})
    assert gone.status_code == 302
    assert _bearer(secret).get("/api/people").status_code == 401
    assert _bearer(other_secret).get("/api/people").status_code == 200


def test_the_command_makes_lists_and_revokes_tokens(world) -> None:
    from adaldyq.cli.__main__ import app

    runner = CliRunner()
    made = runner.invoke(
        app, ["web", "api-token", "create", "officer", "--name", "court", "--format", "json"]
    )
    assert made.exit_code == 0, made.output
    import orjson

    row = orjson.loads(made.stdout)
    assert row["status"] == "active"
    assert row["user"] == "officer"
    assert _bearer(row["token"]).get("/api/people").status_code == 200

    listed = runner.invoke(app, ["web", "api-token", "list", "--format", "jsonl"])
    assert listed.exit_code == 0
    assert row["token"] not in listed.stdout
    assert orjson.loads(listed.stdout.splitlines()[0])["prefix"] == row["prefix"]

    revoked = runner.invoke(app, ["web", "api-token", "revoke", row["prefix"]])
    assert revoked.exit_code == 0, revoked.output
    assert _bearer(row["token"]).get("/api/people").status_code == 401
    unknown = runner.invoke(app, ["web", "api-token", "create", "nobody", "--name", "x"])
    assert unknown.exit_code != 0
    assert "no user" in unknown.output
