"""Reads of electronic monitoring for the pages."""

from __future__ import annotations

from collections.abc import Iterable

from adaldyq.web.emonitoring.models import DeviceEvent, DeviceFeed, Violation, ViolationEvent
from adaldyq.web.records.models import Person
from adaldyq.web.release.probation_selectors import region_of

#: The events a page lists under one violation at most (the rest: the count, and the command line).
EVENTS_SHOWN = 30


def events_of(violations: Iterable[Violation]) -> dict[int, list[DeviceEvent]]:
    """Each violation's events (the first `EVENTS_SHOWN`, in time order)."""
    out: dict[int, list[DeviceEvent]] = {}
    for v in violations:
        ids = ViolationEvent.objects.filter(violation=v.seq).values_list("event_id", flat=True)
        rows = DeviceEvent.objects.filter(feed_id=v.feed_id, event_id__in=list(ids[:1000]))
        out[v.seq] = list(rows.order_by("at", "id")[:EVENTS_SHOWN])
    return out


def person_monitoring(person: Person) -> dict[str, object]:
    """One person's feeds and violations, the latest first."""
    violations = list(Violation.objects.filter(person_id=person.pk)[:200])
    return {
        "feeds": list(DeviceFeed.objects.filter(person_id=person.pk).order_by("-created_at")),
        "violations": violations,
        "events": events_of(violations[:20]),
    }


def violations_in(
    regions: frozenset[str] | None, *, limit: int = 500
) -> list[tuple[Person, Violation]]:
    """The latest violations of the people in `regions` (None: all), those still going on first."""
    rows = list(Violation.objects.order_by("-started", "-seq")[: limit * 4])
    people = Person.objects.select_related("institution").in_bulk({v.person_id for v in rows})
    out = [
        (people[v.person_id], v)
        for v in rows
        if v.person_id in people and (regions is None or region_of(people[v.person_id]) in regions)
    ]
    out.sort(key=lambda t: (t[1].ended is not None, -t[1].started.timestamp()))
    return out[:limit]
