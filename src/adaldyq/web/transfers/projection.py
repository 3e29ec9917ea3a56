"""Ledger entries -> transfers read models. The only code that writes the transfers tables.

Entry types (subject: the person's id):

    placement_proposed   {on, proposal: Proposal.to_dict(), profile}
    placement_decided    {on, proposal_seq, decision: TransferDecision.to_dict(), against_proposal,
                          occupancy: {before, capacity}, over_capacity}
    transfer_requested   {on, request: TransferRequest.to_dict(), contact, code_hash, actor_kind}
    transfer_decided     {on, request, outcome: granted | refused, reason,
                          decision: TransferDecision.to_dict() | null,
                          queue: {next, position, skipped}, occupancy: {before, capacity},
                          over_capacity}
    family_informed      {on, decision, contact, channel}          Mandela Rule 68

A placement or a granted transfer also appends a `transferred` fact of the personal file in the
same transaction (records.projection moves the person); this module does not read it.
"""

from __future__ import annotations

from typing import Any

from adaldyq.ledger.entry import Entry
from adaldyq.web.db import delete_rows
from adaldyq.web.records import ledger_port
from adaldyq.web.records.ledger_port import payload_day
from adaldyq.web.transfers.models import GRANTED, READ_MODELS, REFUSED, Move, Placement, Request

PLACEMENT_PROPOSED = "placement_proposed"
PLACEMENT_DECIDED = "placement_decided"
TRANSFER_REQUESTED = "transfer_requested"
TRANSFER_DECIDED = "transfer_decided"
FAMILY_INFORMED = "family_informed"
ENTRY_TYPES = frozenset(
    {PLACEMENT_PROPOSED, PLACEMENT_DECIDED, TRANSFER_REQUESTED, TRANSFER_DECIDED, FAMILY_INFORMED}
)


def project(entry: Entry) -> None:
    """Apply one entry to the transfers read models (entries of other types are ignored)."""
    kind, p, who = entry.type, entry.payload, entry.draft.actor.id
    if kind not in ENTRY_TYPES:
        return
    if kind == PLACEMENT_PROPOSED:
        prop = p["proposal"]
        Placement.objects.create(
            seq=entry.seq,
            person_id=entry.subject,
            on=payload_day(p["on"]),
            proposed=prop.get("institution") or "",
            distance_km=prop.get("distance_km"),
            outcome=prop.get("outcome", ""),
            over_capacity=bool(prop.get("over_capacity")),
            proposal=prop,
            profile=p.get("profile", {}),
            proposed_by=who,
        )
    elif kind == PLACEMENT_DECIDED:
        _move(entry, "placement", p["decision"], p)
        Placement.objects.filter(seq=p["proposal_seq"]).update(
            decided_seq=entry.seq, decision=p["decision"]["id"]
        )
    elif kind == TRANSFER_REQUESTED:
        r = p["request"]
        Request.objects.create(
            number=r["number"],
            seq=entry.seq,
            person_id=entry.subject,
            target=r["target"],
            ground=r["ground"],
            filed_on=payload_day(r["filed_on"]),
            from_institution=r.get("from_institution") or "",
            distance_gained_km=float(r.get("distance_gained_km", 0.0)),
            family=list(r.get("family", [])),
            consent=bool(r.get("consent")),
            filed_by=r.get("filed_by", "person"),
            filed_by_actor=who,
            contact=p.get("contact", ""),
            code_hash=p.get("code_hash", ""),
        )
    elif kind == TRANSFER_DECIDED:
        granted = p["outcome"] == GRANTED
        Request.objects.filter(number=p["request"]).update(
            status=GRANTED if granted else REFUSED,
            closed_seq=entry.seq,
            closed_on=payload_day(p["on"]),
            closed_reason=p.get("reason", ""),
        )
        if granted and p.get("decision"):
            _move(entry, "transfer", p["decision"], p)
    elif kind == FAMILY_INFORMED:
        Move.objects.filter(pk=p["decision"]).update(
            informed_seq=entry.seq, informed_contact=p.get("contact", "")
        )


def _move(entry: Entry, kind: str, d: dict[str, Any], p: dict[str, Any]) -> None:
    occ = p.get("occupancy") or {}
    q = p.get("queue") or {}
    Move.objects.create(
        id=d["id"],
        seq=entry.seq,
        person_id=entry.subject,
        on=payload_day(d["on"]),
        kind=kind,
        to_institution=d["to_institution"],
        from_institution=d.get("from_institution") or "",
        request=d.get("request") or "",
        ground=d.get("ground") or "",
        officer=entry.draft.actor.id,
        reason=d.get("reason", ""),
        capacity_override=bool(d.get("capacity_override")),
        proposed=d.get("proposed") or "",
        out_of_order=bool(q.get("skipped")),
        skipped=list(q.get("skipped", [])),
        over_capacity=bool(p.get("over_capacity")),
        against_proposal=bool(p.get("against_proposal")),
        occupancy_before=int(occ.get("before", 0)),
        capacity=int(occ.get("capacity", 0)),
        decision=d,
    )


def clear_read_models() -> None:
    """Empty every transfers table (before a replay)."""
    delete_rows(READ_MODELS)


def rebuild(*, durable: bool = True) -> int:
    """Drop the transfers read models and project the whole ledger again; returns entries applied.

    `durable=False` inside a caller's transaction (`adaldyq ledger audit-views` rolls it back).
    """
    return ledger_port.replay(
        project, clear_read_models, lambda entry: entry.type in ENTRY_TYPES, durable=durable,
        types=ENTRY_TYPES,
    )  # fmt: skip
