"""Schemathesis against the API's own OpenAPI description (issues 16 and 21): no server error, and every
answer as the description says (status, content type, body), for a reader and writer signed in as
a machine client is (an API token, ADR 0041); the description itself is read with a session.

Bounded: a few examples per operation, derandomised (the same cases every run), the Django
application called in-process through WSGI on the test database.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from adaldyq.web.accounts.tokens import token_create
from adaldyq.web.records import services as records
from tests.web.fixtures import PASSWORD, person_payload, register

#: Cases per operation and mode: bounded so the whole test takes a few seconds per area (46 operations
#: since issue 21: 8 each, under twice the cases of 15 each of the first nine), derandomised so every
#: run sends the same cases.
EXAMPLES = 8
#: No server error; every status, content type, header and body as described. Not schemathesis's
#: data-acceptance checks: a fact's body is any object in the description and is judged by the fact's
#: form (422 with the field named), as on the page.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
#: With valid cases, also: the same request without the token, or with a made-up one, is refused (401).
CHECKS_BY_MODE = {
    GenerationMode.POSITIVE: [*CHECKS, ignored_auth],
    GenerationMode.NEGATIVE: CHECKS,
}


@pytest.fixture
def signed_in(make_user: Any, settings: Any) -> dict[str, str]:
    """The session cookie and an API token of a records officer with a file in scope: reads, and
    writes facts (so the writes are fuzzed too). The token's rate limit is lifted: the cases are many."""
    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    records.person_admit(officer=officer, person=person_payload("KA-0001"))
    client = Client()
    assert client.login(username="officer", password=PASSWORD)
    settings.API_TOKEN_REQUESTS_PER_MINUTE = 1_000_000
    _token, secret = token_create(user=officer, name="fuzz", by="test")
    return {"sessionid": client.cookies["sessionid"].value, "token": secret}


@pytest.fixture
def api_schema(signed_in: dict[str, str]) -> Any:
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    cookie = f"sessionid={signed_in['sessionid']}"

    def signed_in_app(environ: dict[str, Any], start_response: Any) -> Any:
        environ["HTTP_COOKIE"] = cookie  # the description, like the API, is for signed-in users
        return app(environ, start_response)

    # as Django's test client does: the test's transaction outlives each request
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", signed_in_app)
        schema.app = app  # the cases carry the token themselves (and go without it to test auth)
        yield schema
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_answers_as_it_describes_itself_and_never_fails(
    api_schema: Any, signed_in: dict[str, str], mode: GenerationMode
) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 5  # the description is read, not empty

    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_described(case: Any) -> None:
            case.call_and_validate(
                headers={"Authorization": f"Bearer {signed_in['token']}"},
                checks=CHECKS_BY_MODE[mode],
            )

        answers_as_described()
