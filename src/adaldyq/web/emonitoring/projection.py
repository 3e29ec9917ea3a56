"""Ledger entries -> electronic monitoring's read models (ADR 0043). The only code that writes them.

Entry types (subject: the person, but for the digests):

    device_feed_opened       {on, feed, device}              a feed and its token made
    device_feed_revoked      {on, feed}                      its token no longer accepted
    device_violation         {on, feed, kind, zone, started, events[]}   a rule broken (first events)
    device_violation_closed  {on, feed, violation, ended, last_event, count}   the episode over
    device_events_digest     {on, hour, count, root, first, last}   subject `device-events`: the
                             Merkle root (RFC 9162) of the events received in that hour, by row order
"""

from __future__ import annotations

from datetime import datetime

from adaldyq.ledger.entry import Entry
from adaldyq.web.db import delete_rows
from adaldyq.web.emonitoring.models import READ_MODELS, Digest, Violation
from adaldyq.web.records import ledger_port

FEED_OPENED = "device_feed_opened"
FEED_REVOKED = "device_feed_revoked"
VIOLATION = "device_violation"
VIOLATION_CLOSED = "device_violation_closed"
DIGEST = "device_events_digest"
DIGEST_SUBJECT = "device-events"
ENTRY_TYPES = frozenset({FEED_OPENED, FEED_REVOKED, VIOLATION, VIOLATION_CLOSED, DIGEST})


def _moment(raw: str) -> datetime:
    return datetime.fromisoformat(raw.replace("Z", "+00:00"))


def project(entry: Entry) -> None:
    """Apply one entry (others are ignored)."""
    kind, p = entry.type, entry.payload
    if kind == VIOLATION:
        Violation.objects.create(
            seq=entry.seq, person_id=entry.subject, feed_id=p["feed"], kind=p["kind"],
            zone=p.get("zone", ""), started=_moment(p["started"]), events=len(p.get("events", [])),
            recorded_at=_moment(entry.recorded_at),
        )  # fmt: skip
    elif kind == VIOLATION_CLOSED:
        Violation.objects.filter(seq=int(p["violation"])).update(
            ended=_moment(p["ended"]), closed_seq=entry.seq, events=int(p["count"])
        )
    elif kind == DIGEST:
        Digest.objects.create(
            hour=_moment(p["hour"]), seq=entry.seq, count=int(p["count"]), root=p["root"]
        )


def clear_read_models() -> None:
    delete_rows(READ_MODELS)


#: What the replay reads: the entries these read models are made of.
REBUILT_FROM = frozenset({VIOLATION, VIOLATION_CLOSED, DIGEST})


def rebuild(*, durable: bool = True) -> int:
    """Drop the read models and project the violations and digests of the ledger again."""
    return ledger_port.replay(
        project, clear_read_models, lambda entry: entry.type in REBUILT_FROM, durable=durable,
        types=REBUILT_FROM,
    )  # fmt: skip
