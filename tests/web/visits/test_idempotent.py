"""A visit booked twice from the same form (back button, double click) is booked once (ADR 0015)."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone

from adaldyq.web.idempotency.keys import FIELD
from adaldyq.web.visits.models import Booking


def test_a_relative_who_sends_the_booking_form_twice_has_one_booking(
    client, world, demo_law
) -> None:
    assert client.post("/visit/", {"document": "n 0123456", "number": "KA-0001"}).status_code == 302
    page = client.get("/visit/book/").content.decode()
    key = re.search(rf'name="{FIELD}" value="([^"]+)"', page[page.index('id="book"') :]).group(1)
    day = timezone.localdate() + timedelta(days=3)  # the hall takes visits every day
    data = {"session": f"{world['short'].pk}|{day.isoformat()}|09:00", FIELD: key}

    first = client.post("/visit/book/", data)
    again = client.post("/visit/book/", data)

    assert first.status_code == 200
    assert again.status_code == 302
    assert Booking.objects.count() == 1
