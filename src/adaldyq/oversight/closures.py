"""Closures of visits rooms longer than the project's limit (issue 16): a lead for oversight.

    from adaldyq.oversight.closures import CLOSURE_FLAG_KINDS, closure_flags, read_closure_flags
    flags = read_closure_flags(cursor)   # one SQL pass over the closure entries

A closure blocks every visit of the room (or of the institution) for its days, so a long one takes
the families' visits away without a decision on any person. The web records on the
`visit_closure_recorded` entry how many days it closes and whether that is more than its figure
(`ADALDYQ_CLOSURE_DAYS_FLAGGED`, the project's, P); this module lists those entries as leads, so that
the limit lives in one place and the ledger says what was known when the closure was recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import orjson

from adaldyq.ledger.sql import Cursor, execute
from adaldyq.oversight.register import Flag

__all__ = ["CLOSURE_FLAG_KINDS", "CLOSURE_RECORDED", "closure_flags", "read_closure_flags"]

CLOSURE_RECORDED = "visit_closure_recorded"
CLOSURE_FLAG_KINDS: dict[str, str] = {
    "long_closure": "project rule (issue 16): closure of visits longer than the configured limit",
}

#: (seq, actor id, subject: the institution, payload)
Row = tuple[int, str, str, dict[str, Any]]


def closure_flags(rows: Iterable[Row]) -> list[Flag]:
    """A lead for every closure entry the web marked `long`."""
    return [
        Flag(
            kind="long_closure",
            person="",
            institution=institution,
            officer=officer,
            on=date.fromisoformat(p["first_day"]),
            evidence=(seq,),
            rule=CLOSURE_FLAG_KINDS["long_closure"],
            confidence="P",
            detail={
                "days": p.get("days"),
                "last_day": p.get("last_day"),
                "room": p.get("room") or None,
            },
            flag_class="lead",
        )
        for seq, officer, institution, p in rows
        if p.get("long")
    ]


def read_closure_flags(cursor: Cursor) -> list[Flag]:
    """Read every closure entry (one query) and flag the long ones."""
    execute(
        cursor,
        "SELECT seq, body FROM ledger_entries WHERE type = %s ORDER BY seq",
        (CLOSURE_RECORDED,),
    )
    rows: list[Row] = []
    for seq, body in cursor.fetchall():
        obj = orjson.loads(body if isinstance(body, bytes) else bytes(body))
        actor = obj.get("actor") or {}
        rows.append(
            (int(seq), str(actor.get("id", "")), str(obj.get("subject", "")), obj["payload"])
        )
    return closure_flags(rows)
