"""The register shows findings and patterns; leads are reached from their pattern or with ?all=1."""

from __future__ import annotations

from typing import Any

import pytest

from adaldyq.web.decisions.views import _leads_url
from adaldyq.web.records import services as records
from tests.web.decisions.test_commission import _ago
from tests.web.decisions.test_register import flagged  # noqa: F401 - the fixture
from tests.web.fixtures import client_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_lead(flagged: dict[str, Any]) -> dict[str, Any]:  # noqa: F811 - the fixture above
    """A penalty a week before the person would qualify (the incentive 130 days ago): a lead."""
    records.fact_record(
        officer=flagged["officer"], person=flagged["person"],
        fact={"type": "penalty", "on": _ago(45), "kind": "smoking"},
    )  # fmt: skip
    return flagged


def _classes(content: bytes) -> set[str]:
    import re

    return set(re.findall(r'data-class="(\w+)"', content.decode()))


def test_leads_are_hidden_by_default_and_shown_with_all_or_by_kind(with_lead, make_user) -> None:
    client = client_as(make_user("prosecutor", "prosecutor"), "en")

    default = client.get("/commission/register/")
    every = client.get("/commission/register/?all=1")
    by_kind = client.get("/commission/register/?kind=penalty_before_qualifying")

    assert default.status_code == every.status_code == by_kind.status_code == 200
    assert "lead" not in _classes(default.content)
    assert "finding" in _classes(default.content)
    assert b'id="leads-hidden"' in default.content
    assert "lead" in _classes(every.content)
    assert b'id="leads-hidden"' not in every.content
    assert _classes(by_kind.content) == {"lead"}


def test_a_pattern_links_to_its_leads() -> None:
    row = {
        "class": "pattern",
        "detail": {"measure": "penalties_before_qualifying", "level": "officer", "unit": "UK-1/N01",
                   "leads": "penalty_before_qualifying"},
    }  # fmt: skip

    assert _leads_url(row) == (
        "/commission/register/?kind=penalty_before_qualifying&officer=UK-1%2FN01&all=1"
    )
    assert _leads_url({**row, "class": "finding"}) == ""
    assert _leads_url({**row, "detail": {**row["detail"], "leads": None}}) == ""


def test_a_patterns_test_reads_as_words_in_russian() -> None:
    from django.utils.translation import override

    from adaldyq.web.decisions.register_words import detail_text

    with override("ru"):
        text = detail_text({"ratio": 4.64, "p_value": 2.1e-07, "q_value": 0.0123, "upper_95": 0.41})

    assert text == (
        "во сколько раз выше общенациональной доли: 4,64; "
        "вероятность случайно получить столько или больше (p): 2.1e-07; "
        "то же с учётом всех учреждений и сотрудников (q): 0,012; граница воронки 95 %: 41,0 %"
    )
