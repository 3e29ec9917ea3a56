"""Violations of electronic monitoring (issue 19, ADR 0043): each a finding for oversight, with the
entries that record it (the violation and, once over, its end) and the events they name.

    from adaldyq.oversight.emonitoring import DEVICE_FLAG_KINDS, read_device_flags
    flags = read_device_flags(cursor)   # one SQL pass over the violation entries

The device's events are checked against the person's zones as they arrive (`adaldyq.emonitoring`);
what was found is in the ledger as `device_violation` entries about the person, and
`device_violation_closed` entries naming them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import orjson

from adaldyq.ledger.sql import Cursor, execute
from adaldyq.oversight.register import Flag

__all__ = ["DEVICE_FLAG_KINDS", "device_flags", "read_device_flags"]

VIOLATION = "device_violation"
VIOLATION_CLOSED = "device_violation_closed"
_RULE = "the court's duties on release (CC arts. 72, 73), as the probation service's monitoring reads them (P, ADR 0043)"  # fmt: skip
DEVICE_FLAG_KINDS: dict[str, str] = {
    "device_curfew": f"away from home in the curfew hours: {_RULE}",
    "device_exclusion_zone": f"inside an exclusion zone: {_RULE}",
    "device_tamper": f"the device's strap or case opened: {_RULE}",
    "device_battery": f"the device's battery under 10%: {_RULE}",
    "device_signal_lost": f"no event from the device for more than 30 minutes: {_RULE}",
}

#: (seq, type, subject: the person, payload)
Row = tuple[int, str, str, dict[str, Any]]


def device_flags(rows: Iterable[Row]) -> list[Flag]:
    """A finding for every violation entry, with its end where one is recorded."""
    rows = list(rows)
    ends = {int(p["violation"]): (seq, p) for seq, kind, _, p in rows if kind == VIOLATION_CLOSED}
    out = []
    for seq, kind, person, p in rows:
        if kind != VIOLATION:
            continue
        end = ends.get(seq)
        out.append(
            Flag(
                kind=f"device_{p['kind']}",
                person=person,
                institution="",
                officer="",
                on=date.fromisoformat(p["on"]),
                evidence=(seq, *((end[0],) if end else ())),
                rule=DEVICE_FLAG_KINDS.get(f"device_{p['kind']}", _RULE),
                confidence="P",
                detail={
                    "feed": p.get("feed"), "zone": p.get("zone") or None,
                    "started": p.get("started"), "events": p.get("events", []),
                    "ended": end[1].get("ended") if end else None,
                    "count": end[1].get("count") if end else None,
                },
            )
        )  # fmt: skip
    return out


def read_device_flags(cursor: Cursor) -> list[Flag]:
    """Read the violation entries and their ends (one query) and list them as findings."""
    execute(
        cursor,
        "SELECT seq, type, body FROM ledger_entries WHERE type IN (%s, %s) ORDER BY seq",
        (VIOLATION, VIOLATION_CLOSED),
    )
    rows: list[Row] = []
    for seq, kind, body in cursor.fetchall():
        obj = orjson.loads(body if isinstance(body, bytes) else bytes(body))
        rows.append((int(seq), str(kind), str(obj.get("subject", "")), obj["payload"]))
    return device_flags(rows)
