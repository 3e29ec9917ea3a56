"""Ledger entries -> the commission's read models. The only code that writes the decisions tables.

`project(entry)` runs right after an entry is appended (same transaction) and again on replay
(`rebuild()`), so it depends on nothing but the entry and the rows earlier entries made.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from adaldyq.ledger.entry import Entry
from adaldyq.web.db import delete_rows
from adaldyq.web.decisions.models import AgendaItem, Decision, Session
from adaldyq.web.decisions.proposals import short_code
from adaldyq.web.institutions.models import Institution
from adaldyq.web.records import ledger_port

SESSION_OPENED = "commission_session_opened"
AGENDA_ITEM_ADDED = "commission_agenda_item_added"
DECISION_RECORDED = "decision_recorded"
DECISION_CONFIRMED = "decision_confirmed"
ENTRY_TYPES = frozenset({SESSION_OPENED, AGENDA_ITEM_ADDED, DECISION_RECORDED, DECISION_CONFIRMED})
#: Facts a confirmation writes into the personal file, by outcome (the case vocabulary).
FACT_OF_OUTCOME = {
    "award_degree": "degree_awarded",
    "recognise": "recognised",
    "revoke_degree": "degree_revoked",
    "transfer": "condition_changed",
}
READ_MODELS = (Decision, AgendaItem, Session)


def _at(entry: Entry) -> datetime:
    return datetime.fromisoformat(entry.recorded_at.replace("Z", "+00:00"))


def project(entry: Entry) -> None:
    """Apply one entry to the decisions read models (entries of other kinds are left alone)."""
    kind, p = entry.type, entry.payload
    if kind == SESSION_OPENED:
        code = p["institution"]
        Session.objects.create(
            id=entry.subject,
            seq=entry.seq,
            institution_id=Institution.objects.filter(code=code)
            .values_list("pk", flat=True)
            .first(),
            institution_code=code,
            on=date.fromisoformat(p["on"]),
            members=p["members"],
            quorum=p["quorum"],
            opened_by=entry.draft.actor.id,
            opened_at=_at(entry),
        )
    elif kind == AGENDA_ITEM_ADDED:
        AgendaItem.objects.create(
            seq=entry.seq,
            session_id=p["session"],
            person_id=entry.subject,
            question=p["question"],
            grounds=p["grounds"],
            proposal=p.get("proposal") or {},
            reason=p.get("reason", ""),
            added_by=entry.draft.actor.id,
            position=int(p.get("position", 0)),
        )
    elif kind == DECISION_RECORDED:
        Decision.objects.create(
            seq=entry.seq,
            entry_hash=entry.leaf_hash.hex(),
            code=short_code(entry.body),
            session_id=p["session"],
            item_id=p.get("item"),
            person_id=entry.subject,
            institution_code=p["institution"],
            on=date.fromisoformat(p["on"]),
            question=p["question"],
            outcome=p["outcome"],
            terms=p.get("terms") or {},
            proposal=p["proposal"],
            deviates=p.get("deviates"),
            direction=p.get("direction") or "",
            reason_code=p.get("reason_code") or "",
            reason=p.get("reason") or "",
            votes=p.get("votes") or {},
            quorum=p["quorum"],
            public_present=int(p.get("public_present") or 0),
            law_pack=p["law_pack"],
            facts_hash=p["facts_hash"],
            fact_seqs=p["fact_seqs"],
            recorded_by=entry.draft.actor.id,
            recorded_at=_at(entry),
        )
    elif kind == DECISION_CONFIRMED:
        Decision.objects.filter(seq=p["decision"]).update(
            confirmed_seq=entry.seq, confirmed_by=entry.draft.actor.id, confirmed_at=_at(entry)
        )
    elif kind in FACT_OF_OUTCOME.values() and p.get("decision") is not None:
        Decision.objects.filter(seq=p["decision"]).update(fact_seq=entry.seq)


#: What a decision row and its entry's payload call by the same names, and state alike.
_PAYLOAD_FIELDS = ("question", "outcome", "terms", "proposal", "deviates", "facts_hash")


def payload_of(decision: Decision) -> dict[str, Any]:
    """The fields of a decision row as its entry's payload states them (what verification compares)."""
    return {
        **{field: getattr(decision, field) for field in _PAYLOAD_FIELDS},
        "session": decision.session_id,
        "reason_code": decision.reason_code or None,
        "reason": decision.reason or None,
        "on": decision.on.isoformat(),
    }


def clear() -> None:
    """Empty the decisions read models."""
    delete_rows(READ_MODELS)


def rebuild(*, durable: bool = True) -> int:
    """Drop the decisions read models and project every entry again; returns the entries applied.

    Call it after `records.services.read_models_rebuild()` in `adaldyq ledger replay`; `durable=False`
    inside a caller's transaction (`adaldyq ledger audit-views` rolls it back).
    """
    return ledger_port.replay(
        project, clear, _applies, durable=durable,
        types=ENTRY_TYPES | frozenset(FACT_OF_OUTCOME.values()),
        # of the facts of an outcome, only those a decision recorded (their payload names it)
        holding=(frozenset(FACT_OF_OUTCOME.values()), b'"decision":'),
    )  # fmt: skip


def _applies(entry: Entry) -> bool:
    """A decisions entry, or a fact of the personal file a decision recorded."""
    return entry.type in ENTRY_TYPES or (
        entry.type in FACT_OF_OUTCOME.values() and "decision" in entry.payload
    )
