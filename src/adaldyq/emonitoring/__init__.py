"""Electronic monitoring of people on probation (issue 19, ADR 0043): what a device reports, the zones
a person must keep to, and the violations read from the one against the other.

    from adaldyq.emonitoring import parse_event, zone_of, Detector, FeedState
    event = parse_event({"id": "e1", "kind": "fix", "at": "2026-12-06T21:30:00+05:00",
                         "lat": 43.24, "lon": 76.91, "accuracy": 12})
    found = Detector(zones, tz=ZoneInfo("Asia/Almaty")).run(events, state)

Pure: mappings and values in, values out; no Django, no database. The web stores the events, keeps a
feed's state and writes what is found into the ledger (`adaldyq.web.emonitoring`).
"""

from adaldyq.emonitoring.detect import (
    BATTERY_LOW,
    EPISODE_GAP,
    SIGNAL_GAP,
    VIOLATION_KINDS,
    Closed,
    Detector,
    Extended,
    FeedState,
    Found,
    Opened,
)
from adaldyq.emonitoring.events import (
    CSV_COLUMNS,
    EVENT_KINDS,
    MAX_EVENTS_PER_REQUEST,
    TAMPER_KINDS,
    Event,
    EventError,
    canonical,
    leaf_of,
    parse_event,
)
from adaldyq.emonitoring.zones import ZONE_KINDS, Zone, ZoneError, zone_of

__all__ = [
    "BATTERY_LOW",
    "CSV_COLUMNS",
    "EPISODE_GAP",
    "EVENT_KINDS",
    "MAX_EVENTS_PER_REQUEST",
    "SIGNAL_GAP",
    "TAMPER_KINDS",
    "VIOLATION_KINDS",
    "ZONE_KINDS",
    "Closed",
    "Detector",
    "Event",
    "EventError",
    "Extended",
    "FeedState",
    "Found",
    "Opened",
    "Zone",
    "ZoneError",
    "canonical",
    "leaf_of",
    "parse_event",
    "zone_of",
]
