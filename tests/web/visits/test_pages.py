"""The staff and public pages: scope, booking, refusal in the chosen language, check-in writes the visit."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from adaldyq.web.records.models import Fact
from adaldyq.web.visits import services
from adaldyq.web.visits.models import Booking
from tests.languages import in_each_language
from tests.web.fixtures import booked_by_staff

pytestmark = pytest.mark.django_db


def _next(weekday_ok: int = 3) -> date:
    return timezone.localdate() + timedelta(days=weekday_ok)


def _days_of_one_year(n: int, *, after: int = 3) -> list[date]:
    """`n` consecutive days from `after` days ahead, all in one calendar year: bookings whose count
    is compared must share the entitlement's year (late in December the days run into January)."""
    first = timezone.localdate() + timedelta(days=after)
    if (first + timedelta(days=n - 1)).year != first.year:
        first = date(first.year + 1, 1, 2)
    return [first + timedelta(days=k) for k in range(n)]


def _book(world: dict[str, Any], day: date, today: date | None = None) -> Any:
    """The officer books the person's visitor into the short-visit hall at 09:00 on `day`."""
    return booked_by_staff(
        world["officer"], world["person"], world["short"], day, world["visitor"].visitor,
        today=today,
    )  # fmt: skip


def test_a_relative_books_online_and_gets_a_code(client, world, demo_law) -> None:
    r = client.post("/visit/", {"document": "n 0123456", "number": "KA-0001"})
    assert r.status_code == 302

    day = _next()
    r = client.post("/visit/book/", {"session": f"{world['short'].pk}|{day.isoformat()}|09:00"})

    assert r.status_code == 200
    booking = Booking.objects.get()
    assert (booking.channel, booking.booked_by) == ("online", "visitor:doc:N0123456")
    code = r.context["confirmed"][1]
    r = client.post("/visit/manage/", {"document": "N0123456", "code": code})
    assert r.context["booking"] == booking


def test_a_stranger_learns_nothing_from_the_public_page(client, world) -> None:
    r = client.post("/visit/", {"document": "X999", "number": "KA-0001"})

    assert r.status_code == 400
    assert "/visit/book/" not in r.headers.get("Location", "")


def test_the_refusal_comes_in_the_chosen_language(client, world, demo_law) -> None:
    *used, fifth = _days_of_one_year(5)
    for day in used:
        _book(world, day)
    client.post("/visit/", {"document": "N0123456", "number": "KA-0001"})
    client.cookies["django_language"] = "ru"

    r = client.post("/visit/book/", {"session": f"{world['short'].pk}|{fifth.isoformat()}|09:00"})

    assert r.status_code == 409
    assert "Право на свидания" in r.content.decode()


def test_an_officer_of_another_institution_cannot_book(client, world, make_user) -> None:
    client.force_login(world["officer2"])

    assert client.get(f"/visits/people/{world['person'].pk}/").status_code == 403


def test_check_in_writes_the_visit_fact_in_the_generators_shape(client, world, demo_law) -> None:
    client.force_login(world["officer"])
    day = timezone.localdate()
    booking, _ = _book(world, day)
    v = world["visitor"].visitor

    client.post(f"/visits/bookings/{booking.pk}/checkin/", {"visitor": v})
    client.post(f"/visits/bookings/{booking.pk}/checkout/", {"visitor": v})

    fact = Fact.objects.get(person=world["person"], kind="visit")
    assert fact.data == {
        "booking": booking.pk,
        "hours": 2,
        "kind": "short",
        "visitor": v,
        "visitors": [v],
    }
    booking.refresh_from_db()
    a = booking.attendance.get()
    assert booking.status == "happened"
    assert a.checked_out_at >= a.checked_in_at
    board = client.get(f"/visits/?day={day.isoformat()}")
    assert board.status_code == 200
    assert "<td>short</td>" not in board.content.decode()  # the room's kind in words (kk)
    assert client.get(f"/visits/people/{world['person'].pk}/").status_code == 200


def test_a_visit_that_did_not_happen_stays_and_gives_the_visit_back(world, demo_law) -> None:
    booking, _ = _book(world, date(2025, 6, 2), today=date(2025, 6, 1))

    services.visit_not_happened_record(
        officer=world["officer"], booking=booking, reason="visitor did not come"
    )

    booking.refresh_from_db()
    assert booking.status == "not_happened"
    from adaldyq.web.visits.selectors import visits_used

    assert visits_used(world["person"], "short", 2025) == 0


def test_replay_rebuilds_the_same_rows(world, demo_law) -> None:
    from django.forms.models import model_to_dict

    from adaldyq.web.visits.models import READ_MODELS_FOR_TESTS

    booking, _ = _book(world, date(2025, 6, 2), today=date(2025, 6, 1))
    services.booking_cancel(actor=world["officer"], booking=booking, reason="asked")
    # left pending: the replay gathers visitors in memory, approved (the world's) or not
    services.visitor_register(
        officer=world["officer"], person=world["person"], name="Омаров Ерлан",
        document="N 0765432", relationship="brother", evidence="birth certificates",
        on=date(2025, 5, 1),
    )  # fmt: skip

    def rows():
        return {
            m.__name__: sorted(str(model_to_dict(o)) for o in m.objects.all())
            for m in READ_MODELS_FOR_TESTS
        }

    before = rows()
    services.read_models_rebuild()
    assert rows() == before


def test_a_closure_with_bad_fields_is_refused_with_a_message_and_writes_nothing(
    client, world
) -> None:
    client.force_login(world["officer"])
    before = Fact.objects.count()

    r = client.post(
        "/visits/closures/", {"room": "", "first_day": "not a day", "last_day": ""}, follow=True
    )

    assert "Жабылу жазылмады: өрістерді тексеріңіз." in r.content.decode()  # kk, the default
    assert Fact.objects.count() == before


def test_whereabouts_with_bad_fields_are_refused_with_a_message(client, world) -> None:
    client.force_login(world["officer"])
    pid = world["person"].pk

    r = client.post(f"/visits/people/{pid}/whereabouts/", {"place": "moon"}, follow=True)

    assert "Жазылмады: өрістерді тексеріңіз." in r.content.decode()  # kk, the default


@in_each_language(
    kk=("Қысқа мерзімді кездесулер залы № 1", "Отбасылық бөлмелер", "Қарағанды облысы"),
    ru=("Зал краткосрочных свиданий № 1", "Комнаты для семей", "Карагандинская область"),
    en=("Short-visit room 1", "Family rooms", "Karaganda Region"),
)
def test_rooms_and_the_region_read_in_the_readers_language(
    client, world, lang: str, unnamed: str, named: str, region: str
) -> None:
    services.room_define(
        officer=world["officer"], institution="UK-161/1", room="L1", kind="long", capacity=2,
        names={"kk": "Отбасылық бөлмелер", "ru": "Комнаты для семей", "en": "Family rooms"},
    )  # fmt: skip
    client.force_login(world["officer"])
    client.cookies["django_language"] = lang

    board = client.get("/visits/").content.decode()
    visits = client.get(f"/visits/people/{world['person'].pk}/").content.decode()

    for page in (board, visits):
        assert unnamed in page  # S1 has only a name typed in one language: kind and number
        assert named in page
    assert region in board
    assert "Short visits hall" not in visits
    others = {"en": "Комнаты", "ru": "Family rooms", "kk": "Family rooms"}[lang]
    assert others not in visits


@pytest.mark.parametrize(
    ("now", "years"),
    [
        ("2026-12-31T12:00:00+05:00", ["2026", "2027"]),  # the window reaches January
        ("2027-01-01T12:00:00+05:00", ["2027"]),
        ("2028-02-29T12:00:00+05:00", ["2028"]),
    ],
)
def test_the_public_page_shows_the_balance_of_every_year_it_offers_sessions_in(
    client, world, demo_law, now: str, years: list[str]
) -> None:
    from datetime import datetime

    import time_machine

    with time_machine.travel(datetime.fromisoformat(now), tick=False):
        client.post("/visit/", {"document": "N0123456", "number": "KA-0001"})
        page = client.get("/visit/book/")

    shown = re.findall(r'data-kind="short" data-year="(\d{4})"', page.content.decode())
    assert shown == years


def test_after_an_action_the_board_is_shown_not_a_page_of_another_site(
    client, world, demo_law
) -> None:
    client.force_login(world["officer"])
    booking, _ = booked_by_staff(
        world["officer"], world["person"], world["short"], timezone.localdate(),
        world["visitor"].visitor,
    )  # fmt: skip

    answers = [
        client.post(f"/visits/bookings/{booking.pk}/cancel/", {"reason": "ill", "next": target})
        for target in ("/\\evil.example", "//evil.example", "https://evil.example/")
    ]

    assert all(a.status_code == 302 for a in answers)
    assert all(a["Location"].startswith("/visits/?day=") for a in answers)
