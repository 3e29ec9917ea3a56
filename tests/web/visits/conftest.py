"""Visits tests: a small register, a person with an approved visitor, rooms defined as data."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from adaldyq.web.records import services as records
from tests.web.fixtures import person_payload, register, relative_approved, room_defined


@pytest.fixture
def world(make_user: Any) -> dict[str, Any]:
    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    officer2 = make_user("officer2", "records_officer", institution=insts["k2"])
    person = records.person_admit(officer=officer, person=person_payload("KA-0001"))
    visitor = relative_approved(
        officer=officer, person=person, on=date(2023, 3, 1), approved_on=date(2023, 3, 2)
    )
    short = room_defined(officer=officer, starts=["09:00", "11:00", "14:00"], book_max_days=400)
    long = room_defined(
        officer=officer, room="L1", name="Family rooms", kind="long", capacity=2,
        weekdays=[1, 3, 5], book_max_days=400,
    )  # fmt: skip
    short2 = room_defined(
        officer=officer2, institution="UK-161/2", starts=["10:00"], book_max_days=400
    )
    return {
        "insts": insts,
        "officer": officer,
        "officer2": officer2,
        "person": person,
        "visitor": visitor,
        "short": short,
        "long": long,
        "short2": short2,
    }
