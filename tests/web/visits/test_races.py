"""Two requests at once on each check-then-write of a booking and of a visitor's approval (issue 14):
the approval, the check-in (which writes the `visit` fact counted against the entitlement), the
check-out, the cancellation and "did not happen". One wins, the other is refused in words, and the
ledger holds one entry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from adaldyq.core.errors import InputError
from adaldyq.web.records.ledger_port import Actor
from adaldyq.web.visits import projection, services
from adaldyq.web.visits.models import Booking
from tests.web.concurrency import POSTGRES_ONLY, at_once, entries_of, one_refused, twice_at_once
from tests.web.fixtures import booked_by_staff

pytestmark = [POSTGRES_ONLY, pytest.mark.django_db(transaction=True)]


def _booking(world: dict[str, Any]) -> Booking:
    booking, _ = booked_by_staff(
        world["officer"], world["person"], world["short"], timezone.localdate(),
        world["visitor"].visitor,
    )  # fmt: skip
    return booking


def test_two_decisions_on_one_visitor_at_once_record_one(world: dict[str, Any]) -> None:
    visitor = services.visitor_register(
        officer=world["officer"], person=world["person"], name="Омаров Ерлан",
        document="N 7654321", relationship="brother", evidence="birth certificates",
    )  # fmt: skip

    def decide(by: str, approved: bool) -> Callable[[], Any]:
        return lambda: services.visitor_decide(
            officer=Actor(by, "role:records_officer"), person=world["person"], visitor=visitor,
            approved=approved, document_seen=True, document_type=visitor.document_type or "id_card",
            document=visitor.document,
        )  # fmt: skip

    results = at_once(decide("approver-1", True), decide("approver-2", False))

    one_refused(results, "already recorded")
    assert entries_of(projection.VISITOR_APPROVED) == 2  # the world's own visitor, and this one


def test_one_visitor_checked_in_twice_at_once_makes_one_visit(world: dict[str, Any]) -> None:
    booking = _booking(world)
    visitor = world["visitor"].visitor

    results = twice_at_once(
        lambda: services.visitor_check_in(
            officer=world["officer"], booking=booking, visitor=visitor
        )
    )

    one_refused(results, "already checked in")
    assert entries_of(projection.CHECKED_IN) == 1
    assert entries_of(projection.VISIT) == 1  # the entitlement is used once


def test_one_visitor_checked_out_twice_at_once_leaves_once(world: dict[str, Any]) -> None:
    booking = _booking(world)
    visitor = world["visitor"].visitor
    services.visitor_check_in(officer=world["officer"], booking=booking, visitor=visitor)

    results = twice_at_once(
        lambda: services.visitor_check_out(
            officer=world["officer"], booking=booking, visitor=visitor
        )
    )

    one_refused(results, "not checked in")
    assert entries_of(projection.CHECKED_OUT) == 1


@pytest.mark.parametrize(
    "second", ["cancel", "not-happened", "checkin"], ids=["cancelled", "not-happened", "arrived"]
)
def test_a_cancellation_and_another_act_at_once_one_is_refused(
    world: dict[str, Any], second: str
) -> None:
    booking = _booking(world)

    def act(action: str) -> Callable[[], Any]:
        return lambda: services.booking_act(
            officer=world["officer"], booking=booking, action=action,
            visitor=world["visitor"].visitor, reason="the visitor is ill",
        )  # fmt: skip

    results = at_once(act("cancel"), act(second))

    refused = [r for r in results if isinstance(r, InputError)]
    assert len(refused) == 1, results
    written = [projection.BOOKING_CANCELLED, projection.NOT_HAPPENED_TYPE, projection.CHECKED_IN]
    assert entries_of(*written) == 1
