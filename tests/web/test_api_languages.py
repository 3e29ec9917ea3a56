"""The API's description in the reader's language (issue 21, ADR 0041): every operation's summary and
description and every schema's description has its Kazakh and Russian words, and the description
served to a Russian reader is in Russian."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from tests.web.fixtures import client_as

pytestmark = pytest.mark.django_db


def _prose(schema: dict[str, Any]) -> list[str]:
    found = [
        op[key]
        for operations in schema["paths"].values()
        for op in operations.values()
        for key in ("summary", "description")
        if op.get(key)
    ]
    found += [
        c["description"] for c in schema["components"]["schemas"].values() if c.get("description")
    ]
    return found


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_word_of_the_description_is_translated(lang: str) -> None:
    from adaldyq.web.api import api

    with translation.override("en"):
        english = _prose(api.get_openapi_schema(path_prefix="/api/"))
    with translation.override(lang):
        theirs = _prose(api.get_openapi_schema(path_prefix="/api/"))

    assert len(english) >= 60  # every area's operations are described
    left = [e for e, t in zip(english, theirs, strict=True) if e == t]
    assert left == [], f"{lang}: untranslated in the API's description"


def test_a_russian_reader_gets_the_description_in_russian(make_user: Any) -> None:
    reader = make_user("prosecutor", "prosecutor")

    schema = client_as(reader, "ru").get("/api/openapi.json").json()

    assert schema["paths"]["/api/statistics"]["get"]["summary"] == "Статистика"
    assert schema["paths"]["/api/visits/bookings"]["get"]["summary"] == "Записи на свидания"
