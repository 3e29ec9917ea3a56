"""Ledger entries -> the overrides read model. The only code that writes the overrides table.

Entry types (subject: the person's id; ADR 0037):

    override_requested   {day, kind, institution, rules[], grounds{}, action{}, reason}
                         the maker asks to depart from `rules`; nothing takes effect yet
    override_confirmed   {day, override, kind, requested_by, effect}
                         a second person with the authority confirms; the app's own entries of
                         the effect (`visit_booked`, `placement_decided`, `transfer_decided`)
                         follow in the same transaction and name both people (`override`)
    override_refused     {day, override, requested_by, reason}

The payloads say `day`, not `on`: they are not facts of the personal file (its fold reads a
payload with `on` as a dated fact).
"""

from __future__ import annotations

from django.db import connection, transaction

from adaldyq.ledger.entry import Entry
from adaldyq.web.overrides.models import CONFIRMED, REFUSED, Override
from adaldyq.web.records import ledger_port
from adaldyq.web.records.ledger_port import payload_day

OVERRIDE_REQUESTED = "override_requested"
OVERRIDE_CONFIRMED = "override_confirmed"
OVERRIDE_REFUSED = "override_refused"
ENTRY_TYPES = frozenset({OVERRIDE_REQUESTED, OVERRIDE_CONFIRMED, OVERRIDE_REFUSED})
READ_MODELS = (Override,)


def project(entry: Entry) -> None:
    """Apply one entry to the overrides table (entries of other types are ignored)."""
    kind, p, actor = entry.type, entry.payload, entry.draft.actor
    if kind not in ENTRY_TYPES or entry.draft.corrects is not None:
        return
    if kind == OVERRIDE_REQUESTED:
        Override.objects.create(
            seq=entry.seq,
            kind=p["kind"],
            person_id=entry.subject,
            institution=p.get("institution") or "",
            rules=list(p.get("rules", [])),
            grounds=dict(p.get("grounds", {})),
            action=dict(p.get("action", {})),
            reason=p.get("reason", ""),
            requested_by=actor.id,
            requested_authority=actor.authority,
            requested_on=payload_day(p["day"]),
        )
        return
    Override.objects.filter(seq=p["override"]).update(
        status=CONFIRMED if kind == OVERRIDE_CONFIRMED else REFUSED,
        decided_by=actor.id,
        decided_authority=actor.authority,
        decided_seq=entry.seq,
        decided_on=payload_day(p["day"]),
        refusal=p.get("reason", "") if kind == OVERRIDE_REFUSED else "",
        effect=p.get("effect", "") if kind == OVERRIDE_CONFIRMED else "",
    )


def clear_read_models() -> None:
    """Empty the overrides table (before a replay)."""
    with connection.cursor() as cursor:
        for model in READ_MODELS:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a model's own table name


def rebuild(*, durable: bool = True) -> int:
    """Drop the overrides read model and project the whole ledger again; returns entries applied."""
    count = 0
    with transaction.atomic(durable=durable):
        clear_read_models()
        with connection.cursor() as cursor:
            for entry in ledger_port.entries(cursor, types=ENTRY_TYPES):
                if entry.type in ENTRY_TYPES:
                    project(entry)
                    count += 1
    return count
