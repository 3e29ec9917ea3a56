"""The transfers pages as a Kazakh or Russian reader sees them: rules in words and cited as that
language cites them, dates in the site's format, institutions by name with their Cyrillic code once."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from adaldyq.web.institutions.models import Institution
from adaldyq.web.transfers import services
from adaldyq.web.transfers.services import public_actor
from tests.web.transfers.conftest import TODAY

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def jumped(world: dict[str, Any]) -> dict[str, Any]:
    """Two requests into M-KAR (Cyrillic code М-КАР) and the second granted out of queue order."""
    Institution.objects.filter(code="M-KAR").update(
        code_local="М-КАР",
        name_ru="М-КАР, Карагандинская область",
        name_kk="М-КАР, Қарағанды облысы",
    )
    Institution.objects.filter(code="M-ALM").update(
        code_local="М-АЛМ", name_ru="Колония в Алматы", name_kk="Алматыдағы колония"
    )
    a = world["admit"]("KA-0001", institution="M-ALM")
    b = world["admit"]("KA-0002", institution="M-ALM")
    first, _ = services.transfer_request_file(
        actor=public_actor("N1"), person=a, target="M-KAR", ground="closer_to_home",
        family=("minor_children",), on=TODAY,
    )  # fmt: skip
    second, _ = services.transfer_request_file(
        actor=public_actor("N2"), person=b, target="M-KAR", ground="closer_to_home", on=TODAY
    )
    granted = _client(world["committee"]).post(
        f"/transfers/requests/{second.number}/", {"outcome": "grant", "reason": "urgent"}
    )
    assert granted.status_code == 302
    return {**world, "a": a, "b": b, "first": first, "second": second}


@pytest.mark.parametrize(
    ("lang", "rule_words", "cited"),
    [
        ("ru", "решаются в порядке его очереди", "ст. 88 УИК РК"),
        ("kk", "кезегінің ретімен шешіледі", "ҚР ҚАК 88-бабы"),
        ("en", "decided in its queue", "Code art. 88"),
    ],
)
def test_flags_name_the_rule_the_day_and_the_institution_in_the_readers_language(
    jumped: dict[str, Any], make_user: Any, lang: str, rule_words: str, cited: str
) -> None:
    page = _client(make_user("prosecutor", "prosecutor")).get(
        "/transfers/flags/", HTTP_ACCEPT_LANGUAGE=lang
    )

    body = page.content.decode()
    (flag,) = page.context["rows"]
    assert flag["kind"] == "queue_jumped"
    assert rule_words in body
    assert cited in body
    assert "queue.order" not in body
    assert flag["on"].isoformat() not in body
    shown = flag["on"].strftime("%d.%m.%Y") if lang != "en" else f"{flag['on'].day} "
    assert shown in body
    for seq in flag["evidence"]:
        assert f'href="/ledger/entries/{seq}/"' in body
    if lang != "en":
        assert "Code art" not in body
        assert "Mandela Rule" not in body
        assert "M-KAR" not in body
        assert "М-КАР" in body
