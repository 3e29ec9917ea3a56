"""The file page's explanation writes dates as its reader does: "16.05.2026" in Kazakh and Russian with
the Kazakh postposition after "ж." ("16.05.2026 ж. бастап"), "16 May 2026" in English; never ISO
figures or a case ending glued to them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from adaldyq.web.records import services
from tests.languages import in_each_language
from tests.web.fixtures import person_payload, register

pytestmark = pytest.mark.django_db

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
GLUED = re.compile(r"\d-(?:ден|дан|нан|тен|тан|дегі|дағы|тегі|тағы)\b")


@in_each_language(kk="01.02.2023 ж. бастап", ru="с 01.02.2023", en="1 Feb 2023")
def test_the_explanation_writes_dates_in_the_readers_language(
    make_user: Any, lang: str, shown: str
) -> None:
    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    person = services.person_admit(
        officer=officer, person=person_payload(institution=insts["k1"].code)
    )
    services.fact_record(
        officer=officer, person=person, fact={"type": "incentive", "on": "2023-06-12"}
    )
    c = Client()
    c.force_login(officer)

    page = c.get(f"/people/{person.pk}/", HTTP_ACCEPT_LANGUAGE=lang)

    assert page.status_code == 200
    html = page.content.decode()
    start = html.index('id="explanation"') if 'id="explanation"' in html else html.index("<main")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", html[start:]))
    assert shown in text
    assert not GLUED.search(text)
    if lang == "kk":  # the page's own words around a criterion's date ("met (since ...)")
        assert re.search(r"орындалды \(\d{2}\.\d{2}\.\d{4} ж\. бастап\)", text)
        assert not re.search(r"\d{2}\.\d{2}\.\d{4} бастап", text)
    explained = page.context["law"].lines
    assert explained
    for line in explained:
        assert not ISO.search(line), line
