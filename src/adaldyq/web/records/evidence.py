"""One ledger entry as evidence: what it says in words, who recorded it, and its inclusion proof.

The deviation register names its evidence by sequence number; `entry_evidence(seq)` reads that entry
back from the ledger, recomputes its hash, finds the person it concerns, and proves it is in the tree
of the latest signed checkpoint (RFC 9162 inclusion proof), as `/verify/` does for decisions. An
entry newer than the latest checkpoint is "not yet covered": pending, not failed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext_lazy as _

from adaldyq.ledger import sql as ledger_sql
from adaldyq.ledger.checkpoint import open_note
from adaldyq.ledger.entry import parse_entry
from adaldyq.ledger.errors import LedgerError
from adaldyq.ledger.keys import load_verifiers
from adaldyq.ledger.merkle import hash_leaf, verify_inclusion
from adaldyq.web.records.models import Fact, Person

#: What each kind of ledger entry is, in words (the facts of the file: records_tags.KIND_LABELS).
ENTRY_LABELS = {
    "person_admitted": _("Personal file opened on admission"),
    "file_opened": _("Personal file read"),
    "note_written": _("Oversight note"),
    "fact_voided": _("Withdrawn entry"),
    "commission_session_opened": _("Commission session opened"),
    "commission_agenda_item_added": _("Question put on the commission's agenda"),
    "decision_recorded": _("Commission decision"),
    "decision_confirmed": _("Commission decision confirmed by the head"),
    "visitor_registered": _("Relative or visitor registered"),
    "visitor_approved": _("Visitor approved"),
    "visit_room_defined": _("Visit room defined"),
    "visit_closure_recorded": _("Visit room closure"),
    "whereabouts_recorded": _("Whereabouts of the person"),
    "visit_booked": _("Visit booked"),
    "visit_booking_cancelled": _("Visit booking cancelled"),
    "visitor_checked_in": _("Visitor checked in"),
    "visitor_checked_out": _("Visitor checked out"),
    "visit_not_happened": _("Booked visit did not take place"),
    "placement_proposed": _("Placement proposed"),
    "placement_decided": _("Placement decided"),
    "transfer_requested": _("Transfer requested"),
    "transfer_decided": _("Transfer decided"),
    "family_informed": _("Family informed of a move"),
    "ledger_key_changed": _("Ledger signing key changed"),
    "override_requested": _("Override asked for, awaiting a second person"),
    "override_confirmed": _("Override confirmed by a second person"),
    "override_refused": _("Override refused by a second person"),
}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Inclusion:
    """The entry's place in the tree of the latest signed checkpoint."""

    #: "included" (proof verified), "pending" (newer than the checkpoint), "no_checkpoint", "failed".
    status: str
    size: int = 0
    root: str = ""
    time: str = ""
    key: str = ""
    note: str = ""
    #: The audit path, leaf to root, as hexadecimal hashes.
    path: tuple[str, ...] = ()
    problem: str = ""


@dataclass(slots=True)
class EntryEvidence:
    """A ledger entry read back, checked and explained."""

    seq: int
    type: str
    subject: str
    payload: dict[str, Any]
    recorded_at: datetime
    actor: str
    authority: str
    corrects: int | None
    reason: str | None
    #: The canonical bytes as stored, and the leaf hash recomputed from them.
    body: str
    hash: str
    #: Whether the stored hash column equals the recomputed one.
    hash_ok: bool
    person: Person | None = None
    #: The file's row for this entry when it is a fact of the timeline.
    fact: Fact | None = None
    inclusion: Inclusion = field(default_factory=lambda: Inclusion("no_checkpoint"))


def _bytes(value: Any) -> bytes:
    return bytes(value) if not isinstance(value, bytes) else value


def entry_evidence(seq: int) -> EntryEvidence | None:
    """The entry with sequence number `seq`, checked and proved; None when there is no such entry."""
    if not 0 <= seq < 1 << 63:  # a sequence number is a BIGINT; larger ones name no entry
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT body, hash FROM ledger_entries WHERE seq = %s", [seq])
        row = cursor.fetchone()
        if row is None:
            return None
        body, stored = _bytes(row[0]), _bytes(row[1])
        try:
            entry = parse_entry(body)
        except LedgerError:
            return None  # not a canonical entry: the ledger's own verify reports it
        leaf = hash_leaf(body)
        draft = entry.draft
        evidence = EntryEvidence(
            seq=seq,
            type=entry.type,
            subject=entry.subject,
            payload=dict(entry.payload),
            recorded_at=datetime.fromisoformat(entry.recorded_at.replace("Z", "+00:00")),
            actor=draft.actor.id,
            authority=draft.actor.authority,
            corrects=draft.corrects,
            reason=draft.reason,
            body=body.decode(),
            hash=leaf.hex(),
            hash_ok=leaf == stored,
        )
        evidence.inclusion = _inclusion(cursor, seq, leaf)
    evidence.person = (
        Person.objects.select_related("institution__region").filter(pk=entry.subject).first()
    )
    if evidence.person is not None:
        evidence.fact = Fact.objects.filter(pk=seq, person=evidence.person).first()
    return evidence


def _inclusion(cursor: Any, seq: int, leaf: bytes) -> Inclusion:
    """Verify the entry's inclusion proof against the latest signed checkpoint."""
    note = ledger_sql.read_latest_checkpoint(cursor)
    if note is None:
        return Inclusion("no_checkpoint")
    try:
        checkpoint, key = open_note(note, load_verifiers(settings.DATA_DIR))
    except LedgerError as exc:
        return Inclusion("failed", note=note, problem=str(exc))

    def head(status: str, path: tuple[str, ...] = (), problem: str = "") -> Inclusion:
        return Inclusion(
            status,
            size=checkpoint.size,
            root=checkpoint.root.hex(),
            time=checkpoint.time or "",
            key=key.name,
            note=note,
            path=path,
            problem=problem,
        )

    if seq >= checkpoint.size:
        return head("pending")
    try:
        proof = ledger_sql.read_inclusion_proof(cursor, seq, checkpoint.size)
        verify_inclusion(leaf, seq, checkpoint.size, proof, checkpoint.root)
    except LedgerError as exc:
        return head("failed", problem=str(exc))
    return head("included", path=tuple(h.hex() for h in proof))


def signed_at(inclusion: Inclusion) -> datetime | None:
    """The checkpoint's signing time as an aware date-time (None when it has none)."""
    if not inclusion.time:
        return None
    try:
        return datetime.fromisoformat(inclusion.time.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None


def as_date(value: Any) -> date | None:
    """`value` as a date when it is an ISO date string ("2025-03-01"), else None."""
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None
