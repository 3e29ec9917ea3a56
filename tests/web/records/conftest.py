"""Records tests: a module that defines no `world` of its own gets this one."""

from __future__ import annotations

from typing import Any

import pytest

from adaldyq.web.records import services
from tests.web.fixtures import officer_admits


@pytest.fixture
def world(make_user: Any) -> tuple[Any, Any, Any]:
    """The small register, a records officer of its first institution and one person's file with
    an incentive: (institutions, officer, person)."""
    insts, officer, person = officer_admits(make_user)
    services.fact_record(
        officer=officer, person=person, fact={"type": "incentive", "on": "2023-05-12"}
    )
    return insts, officer, person
