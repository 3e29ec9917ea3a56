"""Ledger entries -> the places and production read models. The only code that writes them.

Entry types (subject `place:<place id>`):

    place_registered   {on, place, institution, code, kind, name, lead, product}
    output_recorded    {on, place, quantity, unit}      a day's production of a place of work

The hours are facts of each person's file (`work_hours`, `study_hours` with `place`), projected by
`records.projection`.
"""

from __future__ import annotations

from datetime import date

from adaldyq.ledger.entry import Entry
from adaldyq.web.records import ledger_port
from adaldyq.web.work.models import Output, Place

PLACE_REGISTERED = "place_registered"
OUTPUT_RECORDED = "output_recorded"
ENTRY_TYPES = frozenset({PLACE_REGISTERED, OUTPUT_RECORDED})
READ_MODELS = (Place, Output)


def project(entry: Entry) -> None:
    """Apply one entry to the read models (entries of other types are ignored)."""
    p = entry.payload
    if entry.type == PLACE_REGISTERED:
        Place.objects.update_or_create(
            id=p["place"],
            defaults={
                "institution": p["institution"], "code": p["code"], "kind": p["kind"],
                "name": p["name"], "lead": p.get("lead", ""), "product": p.get("product", ""),
                "seq": entry.seq,
            },
        )  # fmt: skip
    elif entry.type == OUTPUT_RECORDED:
        place = Place.objects.get(id=p["place"])
        Output.objects.create(
            seq=entry.seq, place=place.id, institution=place.institution, product=place.product,
            on=date.fromisoformat(p["on"]), quantity=float(p["quantity"]), unit=p["unit"],
        )  # fmt: skip


def rebuild(*, durable: bool = True) -> int:
    """Drop the read models and project the whole ledger again; returns entries applied."""
    return ledger_port.rebuild(project, READ_MODELS, ENTRY_TYPES, durable=durable)
