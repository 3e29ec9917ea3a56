"""Transfers tests: a small register with tight capacities, people admitted through the records services."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

import pytest

from adaldyq.web.institutions.services import institution_upsert, regions_load
from adaldyq.web.records import services as records
from adaldyq.web.transfers import services
from tests.web.fixtures import person_payload

TODAY = date(2026, 3, 2)


def small_register() -> dict[str, Any]:
    """Medium institutions in Karaganda (2 places), Akmola (2) and Almaty (3); a mixed unit in Karaganda."""
    regions_load()
    spec = [
        ("M-KAR", "karaganda", "medium", 2, 49.8, 73.1),
        ("M-AKM", "akmola", "medium", 2, 53.3, 69.4),
        ("M-ALM", "almaty", "medium", 3, 43.2, 76.9),
        ("X-KAR", "karaganda", "mixed", 10, 49.81, 73.11),
    ]
    return {
        code: institution_upsert(code=code, name=f"{kind} {reg}", region_key=reg, type=kind,
                                 capacity=cap, lat=lat, lon=lon)
        for code, reg, kind, cap, lat, lon in spec
    }  # fmt: skip


def admitted(
    officer: Any, number: str, *, institution: str | None, home: str = "karaganda", **over: Any
) -> Any:
    """`number` (`person_payload`, with `over`) at home in `home`, admitted by `officer` into
    `institution`, or sentenced and awaiting placement if it is None."""
    payload = person_payload(number, institution=institution or "", home_region=home, **over)
    if institution is None:
        payload.pop("institution")
    return records.person_admit(officer=officer, person=payload)


@pytest.fixture
def world(make_user: Any) -> dict[str, Any]:
    insts = small_register()
    committee = make_user("committee", "committee")
    clerk = make_user("clerk", "committee")

    def proposed(number: str) -> Any:
        """`number`, sentenced and awaiting placement, and the committee's proposal of a medium
        institution for them (its `person`)."""
        person = admitted(clerk, number, institution=None)
        return services.placement_propose(officer=committee, person=person, type="medium", on=TODAY)

    return {
        "insts": insts, "committee": committee, "clerk": clerk, "admit": partial(admitted, clerk),
        "proposed": proposed,
    }  # fmt: skip
