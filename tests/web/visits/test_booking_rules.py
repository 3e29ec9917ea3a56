"""A booking is checked against the engine's yearly entitlement, the visitor, the room and the day."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import translation

from adaldyq.web.overrides.services import OverridePendingError, override_confirm
from adaldyq.web.records import services as records
from adaldyq.web.visits import services
from adaldyq.web.visits.models import Booking, Visitor
from adaldyq.web.visits.selectors import balances, entitlement_balance
from adaldyq.web.visits.services import BookingRefusedError
from tests.web.fixtures import booked_by_staff, relative_approved, room_defined, visitor_approved

pytestmark = pytest.mark.django_db


def _book(w: dict[str, Any], day: date, *, room: str = "short", start: str = "09:00", **kw: Any):
    kw.setdefault("today", day - timedelta(days=2))
    kw.setdefault("channel", "staff")
    kw.setdefault("actor", w["officer"])
    kw.setdefault("visitors", [w["visitor"].visitor])
    return services.visit_book(person=w["person"], room=w[room], day=day, start=start, **kw)[0]


def _rules(exc: pytest.ExceptionInfo[BookingRefusedError]) -> set[str]:
    return {r.rule for r in exc.value.refusals}


def test_a_registered_visitor_waits_for_approval_and_cannot_be_booked_before(
    world, demo_law
) -> None:
    other = services.visitor_register(
        officer=world["officer"],
        person=world["person"],
        name="Омаров Серік",
        document="n0999999",
        relationship="close_relative",
        evidence="birth certificate",
    )
    assert other.status == "pending"
    assert other.visitor == "doc:N0999999"

    with pytest.raises(BookingRefusedError) as exc:
        _book(world, date(2025, 5, 5), visitors=[other.visitor])

    assert _rules(exc) == {"visitor_not_approved"}
    visitor_approved(person=world["person"], visitor=other)
    assert _book(world, date(2025, 5, 5), visitors=[other.visitor]).status == "booked"


def test_the_fifth_short_visit_of_a_year_is_refused_under_the_demo_figure_of_four(
    world, demo_law
) -> None:
    for day in (2, 9, 16, 23):
        _book(world, date(2025, 6, day))

    with pytest.raises(BookingRefusedError) as exc, translation.override("en"):
        _book(world, date(2025, 6, 30))

    assert _rules(exc) == {"entitlement_used"}
    with translation.override("en"):
        assert "4 of 4 short visits" in exc.value.diagnostics()
    with translation.override("ru"):
        assert "исчерпано: 4 из 4" in exc.value.diagnostics()
    with translation.override("kk"):
        assert "4 ішінен 4" in exc.value.diagnostics()


def test_a_cancelled_booking_gives_the_visit_back(world, demo_law) -> None:
    bookings = [_book(world, date(2025, 6, d)) for d in (2, 9, 16, 23)]
    services.booking_cancel(actor=world["officer"], booking=bookings[0], reason="family asked")

    again = _book(world, date(2025, 6, 30))

    assert again.used_before == 3
    assert Booking.objects.filter(
        pk=bookings[0].pk, status="cancelled"
    ).exists()  # kept, not deleted


@pytest.mark.parametrize(
    ("day", "refused"), [(date(2025, 12, 31), True), (date(2026, 1, 1), False)]
)
def test_the_entitlement_starts_again_on_the_first_of_january(
    world, demo_law, day, refused
) -> None:
    for d in (1, 8, 15, 22):
        _book(world, date(2025, 12, d))

    if refused:
        with pytest.raises(BookingRefusedError):
            _book(world, day, today=date(2025, 12, 29))
    else:
        assert _book(world, day, today=date(2025, 12, 29)).used_before == 0


def _four_in_june_then(world: dict[str, Any], fact: dict[str, Any]) -> None:
    """Four short visits booked in June 2025 (the regular condition's figure), then `fact`."""
    for d in (2, 9, 16, 23):
        _book(world, date(2025, 6, d))
    records.fact_record(officer=world["officer"], person=world["person"], fact=fact)


def test_a_condition_change_mid_year_applies_the_new_figure_from_its_day(world, demo_law) -> None:
    _four_in_june_then(world, {"type": "condition_changed", "on": "2025-07-01", "to": "light"})

    with pytest.raises(BookingRefusedError):
        _book(world, date(2025, 6, 30))  # regular: 4 a year, 4 used
    fifth = _book(world, date(2025, 7, 1))  # light: 5 a year, the 4 of the year count

    assert (fifth.figure, fifth.used_before) == (5, 4)
    with pytest.raises(BookingRefusedError):
        _book(world, date(2025, 7, 7))


def test_a_transfer_mid_year_carries_the_visits_used_and_moves_the_rooms(world, demo_law) -> None:
    _four_in_june_then(
        world,
        {
            "type": "transferred",
            "on": "2025-07-01",
            "institution": "UK-161/2",
            "condition": "regular",
        },
    )

    balance = entitlement_balance(person=world["person"], kind="short", on=date(2025, 7, 2))
    assert (balance.placement.institution_type, balance.figure, balance.used) == ("minimum", 6, 4)
    with pytest.raises(BookingRefusedError) as exc:
        _book(world, date(2025, 7, 2))  # the old institution's room
    assert _rules(exc) == {"other_institution"}
    world["officer"] = world["officer2"]
    assert _book(world, date(2025, 7, 2), room="short2", start="10:00").figure == 6


def test_an_unknown_figure_does_not_refuse_and_the_booking_says_so(world, base_law) -> None:
    for d in (2, 9, 16, 23, 30):
        booking = _book(world, date(2025, 6, d))

    assert (booking.determinable, booking.figure, booking.confidence) == (False, None, "?")


def test_the_demo_figure_is_marked_d(world, demo_law) -> None:
    booking = _book(world, date(2025, 6, 2))

    assert (booking.figure, booking.confidence) == (4, "D")


def test_a_full_session_refuses_the_next_booking(world, demo_law) -> None:
    room_defined(officer=world["officer"], capacity=1, starts=["09:00"], book_max_days=400)
    world["short"].refresh_from_db()
    other = records.person_admit(
        officer=world["officer"],
        person={**__import__("tests.web.fixtures", fromlist=["x"]).person_payload("KA-0002")},
    )
    v = relative_approved(
        officer=world["officer"], person=other, name="Ким Ольга", document="K100001"
    )
    _book(world, date(2025, 6, 2))

    with pytest.raises(BookingRefusedError) as exc:
        booked_by_staff(
            world["officer"], other, world["short"], date(2025, 6, 2), v.visitor,
            today=date(2025, 6, 1),
        )  # fmt: skip

    assert _rules(exc) == {"session_full"}


def test_the_isolator_refuses_and_an_officer_may_override_with_a_reason_the_head_confirms(
    world, demo_law, make_user
) -> None:
    services.whereabouts_record(
        officer=world["officer"],
        person=world["person"],
        where="isolator",
        first_day=date(2025, 6, 1),
        last_day=date(2025, 6, 10),
    )
    with pytest.raises(BookingRefusedError) as exc:
        _book(world, date(2025, 6, 10))
    assert _rules(exc) == {"whereabouts"}
    assert _book(world, date(2025, 6, 11)).status == "booked"

    with pytest.raises(BookingRefusedError):
        _book(world, date(2025, 6, 9), channel="online")  # a relative cannot override
    with pytest.raises(OverridePendingError) as pending:  # one officer is not enough (ADR 0037)
        _book(world, date(2025, 6, 9), override_reason="mother's funeral, head's order 12")
    head = make_user("head", "head", institution=world["officer"].institution)
    done = override_confirm(checker=head, override=pending.value.override, on=date(2025, 6, 7))
    booked = Booking.objects.get(pk=done.effect)

    assert booked.overrides == ["whereabouts"]
    assert booked.override_reason.startswith("mother's funeral")


def test_a_relative_books_inside_the_window_only(world, demo_law) -> None:
    with pytest.raises(BookingRefusedError) as exc:
        _book(world, date(2025, 6, 2), today=date(2025, 6, 2), channel="online")
    assert _rules(exc) == {"booking_window"}
    assert _book(world, date(2025, 6, 2), today=date(2025, 6, 2)).channel == "staff"


def test_a_long_visit_takes_the_room_for_two_days(world, demo_law) -> None:
    booking = _book(world, date(2025, 6, 2), room="long", start="")  # a Monday

    assert booking.last_day == date(2025, 6, 3)
    assert Visitor.objects.get(pk=world["visitor"].pk).status == "approved"


def test_a_long_visit_over_the_new_year_counts_in_the_year_it_starts(world, demo_law) -> None:
    stay = _book(world, date(2025, 12, 31), room="long", start="", today=date(2025, 12, 29))

    assert stay.last_day == date(2026, 1, 1)
    old = entitlement_balance(person=world["person"], kind="long", on=date(2025, 12, 31))
    new = entitlement_balance(person=world["person"], kind="long", on=date(2026, 1, 2))
    assert (old.year, old.used, new.year, new.used) == (2025, 1, 2026, 0)
    after = _book(world, date(2026, 1, 2), room="long", start="", today=date(2025, 12, 29))
    assert after.used_before == 0


def test_29_february_is_a_day_of_its_year_and_the_next_year_starts_fresh(world, demo_law) -> None:
    for day in (date(2027, 12, 31), date(2028, 2, 28), date(2028, 2, 29), date(2028, 3, 1)):
        _book(world, day)

    rows = balances(world["person"], today=date(2028, 2, 29), days=[date(2029, 1, 2)])

    short = {(b.year, b.on): b.used for b in rows if b.kind == "short"}
    assert short == {(2028, date(2028, 2, 29)): 3, (2029, date(2029, 1, 2)): 0}
    _book(world, date(2028, 12, 31))  # the fourth of 2028
    with pytest.raises(BookingRefusedError) as exc:
        _book(world, date(2028, 12, 30))
    assert _rules(exc) == {"entitlement_used"}
    assert _book(world, date(2029, 1, 1)).used_before == 0
