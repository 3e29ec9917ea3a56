"""Visits tests: a small register, a person with an approved visitor, rooms defined as data."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from adaldyq.web.records import services as records
from adaldyq.web.visits import services
from tests.web.fixtures import person_payload, register, visitor_approved


@pytest.fixture
def world(make_user: Any) -> dict[str, Any]:
    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    officer2 = make_user("officer2", "records_officer", institution=insts["k2"])
    person = records.person_admit(officer=officer, person=person_payload("KA-0001"))
    visitor = services.visitor_register(
        officer=officer,
        person=person,
        name="Омарова Айгүл",
        document="N 0123456",
        relationship="spouse",
        evidence="marriage certificate 12-345",
        on=date(2023, 3, 1),
    )
    visitor = visitor_approved(person=person, visitor=visitor, on=date(2023, 3, 2))
    short = services.room_define(
        officer=officer,
        institution="UK-161/1",
        room="S1",
        name="Short visits hall",
        kind="short",
        capacity=4,
        starts=["09:00", "11:00", "14:00"],
        book_max_days=400,
    )
    long = services.room_define(
        officer=officer,
        institution="UK-161/1",
        room="L1",
        name="Family rooms",
        kind="long",
        capacity=2,
        weekdays=[1, 3, 5],
        book_max_days=400,
    )
    short2 = services.room_define(
        officer=officer2,
        institution="UK-161/2",
        room="S1",
        name="Short visits hall",
        kind="short",
        capacity=4,
        starts=["10:00"],
        book_max_days=400,
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
