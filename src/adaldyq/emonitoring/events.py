"""What a monitoring device reports, and the one place a report becomes an `Event`.

An event is a mapping (JSON from the HTTP endpoint, a line of a JSONL file, a row of a CSV file):

    {"id": "dev7-000123", "kind": "fix", "at": "2026-12-06T21:30:00+05:00",
     "lat": 43.2389, "lon": 76.8897, "accuracy": 12}
    {"id": "dev7-000124", "kind": "tamper", "at": "...", "what": "strap"}
    {"id": "dev7-000125", "kind": "battery", "at": "...", "level": 8}
    {"id": "dev7-000126", "kind": "home_unit", "at": "...", "present": false}

`id` is the device's own number for the event (unique within its feed: sending it again changes
nothing), `at` the moment it happened with its offset. A fix has a position in WGS 84 degrees and
its accuracy radius in metres; a tamper event says what was opened; a battery event the charge in
percent; a home-unit event whether the bracelet is within reach of the unit at home. Any other
field, or a field of another kind, is refused: `parse_event` raises `EventError` naming the field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import orjson

from adaldyq.core.errors import InputError
from adaldyq.ledger.merkle import hash_leaf

EVENT_KINDS: Final = ("fix", "tamper", "battery", "home_unit")
TAMPER_KINDS: Final = ("strap", "case", "other")
#: The columns of the CSV import, in order (`feed` names the device feed of each row).
CSV_COLUMNS: Final = (
    "feed",
    "id",
    "kind",
    "at",
    "lat",
    "lon",
    "accuracy",
    "level",
    "present",
    "what",
)
#: Fields of each kind besides `id`, `kind` and `at`: (name, required).
FIELDS: Final[dict[str, tuple[tuple[str, bool], ...]]] = {
    "fix": (("lat", True), ("lon", True), ("accuracy", True)),
    "tamper": (("what", False),),
    "battery": (("level", True),),
    "home_unit": (("present", True),),
}
#: Events one request or one import line may carry at most (an HTTP request: ADR 0043).
MAX_EVENTS_PER_REQUEST: Final = 1000
#: A device's clock may run ahead of the server's by this much; a later `at` is refused.
CLOCK_SKEW: Final = timedelta(minutes=5)
#: An accuracy radius above this (metres) says nothing about where the person is: refused.
MAX_ACCURACY_M: Final = 10_000.0
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


class EventError(InputError):
    """A report that is not an event; names the field and what is wrong with it."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.field = field
        self.reason = message
        super().__init__(f"field {field!r}: {message}" if field else message)


@dataclass(frozen=True, slots=True)
class Event:
    """One report of a device, checked; `at` is in UTC."""

    id: str
    kind: str
    at: datetime
    lat: float | None = None
    lon: float | None = None
    accuracy: float | None = None
    level: int | None = None
    present: bool | None = None
    what: str = ""

    def fields(self) -> dict[str, Any]:
        """The kind's own fields, as the format spells them."""
        if self.kind == "fix":
            return {"lat": self.lat, "lon": self.lon, "accuracy": self.accuracy}
        if self.kind == "battery":
            return {"level": self.level}
        if self.kind == "home_unit":
            return {"present": self.present}
        return {"what": self.what}

    def to_dict(self) -> dict[str, Any]:
        """The event in the documented format (`at` in UTC)."""
        return {"id": self.id, "kind": self.kind, "at": iso_utc(self.at), **self.fields()}


def iso_utc(at: datetime) -> str:
    """A moment as `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`."""
    return at.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


def _number(raw: Any, field: str, low: float, high: float) -> float:
    if isinstance(raw, str):
        try:
            raw = float(raw.strip())
        except ValueError:
            raise EventError(f"must be a number, not {raw!r}", field=field) from None
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise EventError(f"must be a number, not {raw!r}", field=field)
    if not low <= raw <= high:
        raise EventError(f"must be between {low:g} and {high:g}, not {raw!r}", field=field)
    return float(raw)


def _moment(raw: Any, now: datetime | None) -> datetime:
    if not isinstance(raw, str):
        raise EventError(f"must be a date and time with its offset, not {raw!r}", field="at")
    try:
        at = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise EventError(
            f"must be a date and time such as 2026-12-06T21:30:00+05:00, not {raw!r}", field="at"
        ) from None
    if at.tzinfo is None:
        raise EventError(f"needs its offset (+05:00 or Z): {raw!r}", field="at")
    at = at.astimezone(UTC)
    if now is not None and at > now + CLOCK_SKEW:
        raise EventError(f"is in the future ({raw!r})", field="at")
    return at


def _flag(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in ("true", "1", "false", "0"):
        return raw.strip().lower() in ("true", "1")
    raise EventError(f"must be true or false, not {raw!r}", field="present")


def parse_event(raw: Mapping[str, Any], *, now: datetime | None = None) -> Event:
    """The event `raw` reports; `now` (UTC) refuses moments in the future. Empty values (a CSV's empty
    cells) count as absent. Raises `EventError` naming the first field that is wrong."""
    if not isinstance(raw, Mapping):
        raise EventError(f"an event is an object with id, kind and at, not {raw!r}")
    given = {k: v for k, v in raw.items() if v is not None and v != ""}
    ident = given.get("id")
    if not isinstance(ident, str) or not _ID.fullmatch(ident):
        raise EventError(
            f"must be 1 to 128 letters, digits or . _ : - (starting with a letter or digit), "
            f"not {ident!r}",
            field="id",
        )
    kind = given.get("kind")
    if kind not in EVENT_KINDS:
        raise EventError(f"must be one of {list(EVENT_KINDS)}, not {kind!r}", field="kind")
    at = _moment(given.get("at"), now)
    allowed = dict(FIELDS[kind])
    for name in given:
        if name not in allowed and name not in ("id", "kind", "at"):
            raise EventError(f"is not a field of a {kind} event", field=name)
    for name, required in allowed.items():
        if required and name not in given:
            raise EventError("is required", field=name)
    if kind == "fix":
        return Event(
            id=ident, kind=kind, at=at,
            lat=_number(given["lat"], "lat", -90, 90),
            lon=_number(given["lon"], "lon", -180, 180),
            accuracy=_number(given["accuracy"], "accuracy", 0, MAX_ACCURACY_M),
        )  # fmt: skip
    if kind == "battery":
        level = _number(given["level"], "level", 0, 100)
        if level != int(level):
            raise EventError(f"must be a whole percent, not {given['level']!r}", field="level")
        return Event(id=ident, kind=kind, at=at, level=int(level))
    if kind == "home_unit":
        return Event(id=ident, kind=kind, at=at, present=_flag(given["present"]))
    what = given.get("what", "other")
    if what not in TAMPER_KINDS:
        raise EventError(f"must be one of {list(TAMPER_KINDS)}, not {what!r}", field="what")
    return Event(id=ident, kind=kind, at=at, what=str(what))


def canonical(feed: str, event: Event) -> bytes:
    """The bytes an event is hashed as: its feed and its fields, keys sorted, `at` in UTC."""
    return orjson.dumps({"feed": feed, **event.to_dict()}, option=orjson.OPT_SORT_KEYS)


def leaf_of(feed: str, event: Event) -> bytes:
    """The event's Merkle leaf hash (RFC 9162 `hash_leaf` of `canonical`): an hour's digest is the
    tree of the leaves of the events received in it (ADR 0043)."""
    return hash_leaf(canonical(feed, event))
