"""Statistics over the REST API (issue 21, ADR 0041): the dashboards' own figures at the signed
checkpoint, within the reader's institutions, beside the national share; no personal data."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from adaldyq.web.accounts.models import User
from adaldyq.web.accounts.tokens import token_create
from tests.web.dashboards.test_dashboards import world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _as(username: str) -> Client:
    _token, secret = token_create(user=User.objects.get(username=username), name="analysts", by="t")
    return Client(headers={"authorization": f"Bearer {secret}"})


def _units(answer: Any, measure: str) -> dict[str, tuple[int, int]]:
    return {u["unit"]: (u["n"], u["k"]) for u in answer["measures"][measure]["units"]}


def test_the_figures_are_the_dashboards_within_the_readers_institutions(world) -> None:  # noqa: F811
    committee = _as("committee").get("/api/statistics", {"level": "institution"}).json()
    almaty = _as("almaty").get("/api/statistics", {"measure": "late"}).json()

    # the dashboard's own counts (test_dashboards: k1 has 5 facts, 4 of them late)
    assert _units(committee, "late")["UK-161/1"] == (5, 4)
    assert _units(committee, "corrections")["UK-161/1"] == (5, 1)
    assert set(almaty["measures"]) == {"late"}
    assert "UK-161/1" not in _units(almaty, "late")  # another region's institution
    # the national share stays beside the scope's units, as on the page
    assert almaty["measures"]["late"]["national"] == committee["measures"]["late"]["national"]
    assert committee["checkpoint"] > 0
    body = _as("committee").get("/api/statistics").content.decode()
    assert "Омаров" not in body and "KA-0001" not in body  # noqa: PT018 - no personal data at all
    assert _as("clerk").get("/api/statistics").status_code == 403
