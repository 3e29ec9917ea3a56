"""A process of the booking race (test_concurrency): `setup` builds the world, `book N` books once.

Run with DJANGO_SETTINGS_MODULE=adaldyq.web.settings.base and DATABASE_URL / ADALDYQ_DATA_DIR set,
so that every process talks to the same real database the way the web server's workers do.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from tests.web.concurrency import wait_for_the_start, worker_main

PEOPLE = 20


def setup() -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from adaldyq.web.records import services as records
    from tests.web.fixtures import (
        booked_by_staff,
        person_payload,
        registered_officer,
        relative_approved,
        room_defined,
    )

    call_command("migrate", verbosity=0)
    officer = registered_officer()[1]
    room = room_defined(officer=officer, name="Hall", capacity=3, starts=["09:00"])
    day = timezone.localdate() + timedelta(days=3)
    for i in range(PEOPLE + 2):
        person = records.person_admit(officer=officer, person=person_payload(f"KA-{i:04d}"))
        v = relative_approved(
            officer=officer, person=person, name=f"Visitor {i}", document=f"D{i:04d}"
        )
        if i >= PEOPLE:  # two places are taken already: one is left
            booked_by_staff(officer, person, room, day, v.visitor)
    print(json.dumps({"room": room.pk, "day": day.isoformat()}))


def book(i: int, go: Path, room_id: str, day: str) -> None:
    from datetime import date

    from adaldyq.web.records.models import Person
    from adaldyq.web.visits import services
    from adaldyq.web.visits.models import Room, Visitor
    from adaldyq.web.visits.services import BookingRefusedError

    person = Person.objects.get(number=f"KA-{i:04d}")
    v = Visitor.objects.get(person=person)
    room = Room.objects.get(pk=room_id)
    wait_for_the_start(i, go)
    try:
        services.visit_book(
            actor=services.visitor_actor(v),
            person=person,
            room=room,
            day=date.fromisoformat(day),
            start="09:00",
            visitors=[v.visitor],
            channel="online",
        )
    except BookingRefusedError as exc:
        print(json.dumps({"i": i, "refused": [r.rule for r in exc.refusals]}))
    else:
        print(json.dumps({"i": i, "booked": True}))


if __name__ == "__main__":
    worker_main(setup, book)
