"""Writes of the commission's work. Each appends ledger entries and projects them in one durable transaction.

session_open(...)        a sitting: composition, attendance, the law pack's quorum, the engine's agenda
agenda_item_add(...)     a person added by hand, with a written reason
decision_record(...)     the outcome with the engine's proposal, law-pack hash and facts hash
decision_confirm(...)    the head's confirmation, and the resulting fact in the personal file
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from adaldyq.core.errors import AdaldyqError, InputError
from adaldyq.law import evaluate
from adaldyq.web import datebounds
from adaldyq.web.decisions import projection
from adaldyq.web.decisions.models import AgendaItem, Decision, Member, Session
from adaldyq.web.decisions.projection import (
    AGENDA_ITEM_ADDED,
    DECISION_CONFIRMED,
    DECISION_RECORDED,
    FACT_OF_OUTCOME,
    SESSION_OPENED,
)
from adaldyq.web.decisions.proposals import (
    CHANGES,
    GROUPS,
    OUTCOMES,
    QUESTIONS,
    REASON_CODES,
    RECOGNITIONS,
    VOTES,
    compare,
    facts_hash,
    proposal_for,
    quorum_status,
    terms_of,
)
from adaldyq.web.decisions.selectors import (
    agenda_draw,
    can_confirm,
    can_run_session,
    evaluate_case,
)
from adaldyq.web.records import ledger_port
from adaldyq.web.records.ledger_port import Draft, Entry
from adaldyq.web.records.models import Person
from adaldyq.web.records.selectors import case_events, core_person, law_pack
from adaldyq.web.records.services import actor_of, file_append

log = logging.getLogger(__name__)


class DecisionError(InputError):
    """A commission write that the rules refuse; nothing was written."""


class DeviationReasonMissingError(DecisionError):
    """A decision departs from the engine's proposal without a reason code and a written reason."""


class QuorumNotMetError(DecisionError):
    """The law pack's quorum is known and the attendance does not meet it."""


def _members(members: Sequence[Mapping[str, Any]]) -> list[Member]:
    out: list[Member] = []
    for i, m in enumerate(members, 1):
        name = str(m.get("name") or "").strip()
        group = str(m.get("group") or "")
        if not name:
            continue
        if group not in GROUPS:
            raise DecisionError(f"member {name!r}: group must be one of {', '.join(GROUPS)}")
        out.append({"id": f"m{i}", "name": name, "group": group, "present": bool(m.get("present"))})
    if not out:
        raise DecisionError(gettext("a session needs the commission's members"))
    return out


def session_open(*, officer: Any, on: date, members: Sequence[Mapping[str, Any]]) -> Session:
    """Open a sitting of the officer's institution's commission; the engine draws up the agenda."""
    if not can_run_session(officer):
        raise DecisionError(gettext("only the institution's staff open its commission's sessions"))
    datebounds.check("sitting", on, today=timezone.localdate())  # the agenda is computed for `on`
    inst = officer.institution
    roster = _members(members)
    quorum = quorum_status(law_pack(), on, roster)
    sid = f"cs-{uuid.uuid4().hex[:12]}"
    actor = actor_of(officer)
    drafts = [
        Draft(
            actor=actor,
            subject=sid,
            type=SESSION_OPENED,
            payload={
                "institution": inst.code,
                "on": on.isoformat(),
                "members": roster,
                "quorum": quorum,
            },
        )
    ]
    for position, item in enumerate(
        agenda_draw(institution_id=inst.pk, institution_code=inst.code, on=on)
    ):
        drafts.append(
            Draft(
                actor=actor,
                subject=item.person.pk,
                type=AGENDA_ITEM_ADDED,
                payload={
                    "session": sid,
                    "question": item.question,
                    "grounds": item.grounds,
                    "proposal": item.proposal,
                    "position": position,
                },
            )
        )
    ledger_port.commit(drafts, projection.project)
    return Session.objects.get(pk=sid)


def agenda_item_add(
    *, officer: Any, session: Session, person: Person, question: str, reason: str
) -> AgendaItem:
    """Put a person on the agenda by hand; the written reason is required, the engine still proposes."""
    if not can_run_session(officer, session):
        raise DecisionError(gettext("only the institution's staff change its commission's agenda"))
    if person.institution_id != session.institution_id:
        raise DecisionError(gettext("the person is not held in this institution"))
    if question not in QUESTIONS:
        raise DecisionError(f"question must be one of {', '.join(QUESTIONS)}")
    if not reason.strip():
        raise DecisionError(gettext("a person added by hand needs a written reason"))
    if session.items.filter(person=person, question=question).exists():
        raise DecisionError(gettext("this question about this person is already on the agenda"))
    try:
        result, _, _ = evaluate_case(person, session.on)
    except AdaldyqError as exc:
        raise DecisionError(exc.diagnostics()) from None
    proposal = proposal_for(result, question) | {"as_of": session.on.isoformat()}
    position = session.items.count()
    (entry,) = ledger_port.commit(
        [
            Draft(
                actor=actor_of(officer),
                subject=person.pk,
                type=AGENDA_ITEM_ADDED,
                payload={
                    "session": session.pk,
                    "question": question,
                    "grounds": "manual",
                    "proposal": proposal,
                    "reason": reason.strip(),
                    "position": position,
                },
            )
        ],
        projection.project,
    )
    return AgendaItem.objects.get(pk=entry.seq)


def _check_terms(outcome: str, terms: Mapping[str, Any], question: str) -> dict[str, Any]:
    if outcome not in OUTCOMES:
        raise DecisionError(f"outcome must be one of {', '.join(OUTCOMES)}")
    wanted = {
        "award_degree": "degree",
        "recognise": "degree",
        "revoke_degree": "degree",
        "transfer": "condition",
    }
    if outcome in wanted and wanted[outcome] != question:
        raise DecisionError(f"{outcome} does not answer the question of {question}")
    try:
        clean = terms_of(outcome, terms)
    except (KeyError, TypeError, ValueError):
        raise DecisionError(f"{outcome} needs its terms") from None
    if outcome == "award_degree" and clean["degree"] not in (1, 2, 3):
        raise DecisionError(gettext("a positive degree is 1, 2 or 3"))
    if outcome == "recognise" and clean["as"] not in RECOGNITIONS:
        raise DecisionError(f"recognised as one of {', '.join(RECOGNITIONS)}")
    return clean


def decision_record(
    *,
    officer: Any,
    item: AgendaItem,
    outcome: str,
    terms: Mapping[str, Any] | None = None,
    votes: Mapping[str, str],
    reason_code: str = "",
    reason: str = "",
) -> Decision:
    """Record the commission's decision on an agenda item next to the engine's proposal.

    The proposal is computed again from the standing facts on the session's date; its law-pack hash
    and the hash of the facts (canonical JSON of the case) go into the entry. A decision that departs
    from the proposal needs a reason code and a written reason; a known quorum must be met; an
    unknown one is recorded as not determinable, never assumed.
    """
    session = item.session
    if not can_run_session(officer, session):
        raise DecisionError(
            gettext("only the institution's staff record its commission's decisions")
        )
    clean = _check_terms(outcome, terms or {}, item.question)
    present = {m["id"]: m for m in session.members if m.get("present")}
    unknown = [m for m in votes if m not in present]
    if unknown:
        raise DecisionError(gettext("only members present may vote"))
    if any(not votes.get(m) for m in present):  # a vote is chosen, never assumed
        raise DecisionError(
            gettext("each member present votes: for, against or abstained; a vote is missing")
        )
    if any(v not in VOTES for v in votes.values()):
        raise DecisionError(f"a vote is one of {', '.join(VOTES)}")
    tally = {v: sum(1 for x in votes.values() if x == v) for v in VOTES}
    if tally["for"] <= tally["against"]:
        raise DecisionError(gettext("the votes recorded do not carry this outcome"))
    if session.quorum.get("status") == "not_met":
        raise QuorumNotMetError(gettext("the quorum the law pack sets is not met"))
    with transaction.atomic(durable=True):
        # Two secretaries submitting at once: the item's row is locked (SQLite's IMMEDIATE transactions
        # serialise writers anyway) and the check runs under the lock, so the second one waits and
        # then finds the decision; the unique constraint on Decision.item is the last guard.
        AgendaItem.objects.select_for_update().get(pk=item.pk)
        if Decision.objects.filter(item=item).exists():
            raise DecisionError(gettext("this agenda item is already decided"))
        entry = _decision_entry(
            officer=officer, item=item, outcome=outcome, clean=clean, votes=votes,
            reason_code=reason_code, reason=reason,
        )  # fmt: skip
    return Decision.objects.get(pk=entry.seq)


def _decision_entry(
    *,
    officer: Any,
    item: AgendaItem,
    outcome: str,
    clean: dict[str, Any],
    votes: Mapping[str, str],
    reason_code: str,
    reason: str,
) -> Entry:
    """Compute the proposal again, compare, and append the decision (in the caller's transaction)."""
    session, person = item.session, item.person
    try:
        result, case, seqs = evaluate_case(person, session.on)
    except AdaldyqError as exc:
        raise DecisionError(exc.diagnostics()) from None
    proposal = proposal_for(result, item.question) | {"as_of": session.on.isoformat()}
    deviates, direction = compare(outcome, clean, proposal)
    code, text = reason_code.strip(), reason.strip()
    if deviates and (code not in REASON_CODES or not text):
        raise DeviationReasonMissingError(
            gettext(
                "the decision departs from the engine's proposal: give a reason code and a written reason"
            )
        )
    if code and code not in REASON_CODES:
        raise DecisionError(f"reason code must be one of {', '.join(REASON_CODES)}")
    payload = {
        "session": session.pk,
        "session_seq": session.seq,
        "item": item.seq,
        "person": person.pk,
        "institution": session.institution_code,
        "on": session.on.isoformat(),
        "question": item.question,
        "outcome": outcome,
        "terms": clean,
        "proposal": proposal,
        "deviates": deviates,
        "direction": direction,
        "reason_code": code or None,
        "reason": text or None,
        "votes": dict(sorted(votes.items())),
        "quorum": session.quorum,
        "public_present": session.public_present,
        "law_pack": dict(result.law_pack),
        "facts_hash": facts_hash(case),
        "fact_seqs": seqs,
    }
    draft = Draft(
        actor=actor_of(officer), subject=person.pk, type=DECISION_RECORDED, payload=payload
    )
    try:
        with transaction.atomic():  # a savepoint: the refusal leaves the outer transaction usable
            (entry,) = ledger_port.append_projected([draft], projection.project)
    except IntegrityError:
        raise DecisionError(gettext("this agenda item is already decided")) from None
    return entry


def _fact_of(decision: Decision, on: date) -> dict[str, Any] | None:
    kind = FACT_OF_OUTCOME.get(decision.outcome)
    if kind is None:
        return None
    terms = decision.terms
    fields: dict[str, Any] = {
        "degree_awarded": {"degree": terms.get("degree")},
        "recognised": {"as": terms.get("as")},
        "degree_revoked": {},
        "condition_changed": {"to": terms.get("to")},
    }[kind]
    return {"type": kind, "on": on.isoformat(), **fields, "decision": decision.seq}


def decision_confirm(*, head: Any, decision: Decision, on: date | None = None) -> Decision:
    """The head's confirmation; a change (degree, recognition, transfer) is written into the file.

    A decision that departs from the engine's proposal is an override (ADR 0037): its recorder
    cannot confirm it, and the confirmation's entry names both (`recorded_by`, `deviates`).
    """
    if decision.deviates and actor_of(head).id == decision.recorded_by:
        raise DecisionError(
            gettext(
                "This decision departs from the engine's proposal and you recorded it: another "
                "person confirms it (four-eyes rule)."
            )
        )
    if not can_confirm(head, decision):
        raise DecisionError(
            gettext("only the head of the institution confirms its commission's decisions")
        )
    on = on or timezone.localdate()
    person = Person.objects.select_related("institution").get(pk=decision.person_id)
    actor = actor_of(head)
    drafts = [
        Draft(
            actor=actor,
            subject=person.pk,
            type=DECISION_CONFIRMED,
            payload={"decision": decision.seq, "on": on.isoformat(), "code": decision.code}
            | (
                {"deviates": True, "recorded_by": decision.recorded_by} if decision.deviates else {}
            ),
        )
    ]
    fact = _fact_of(decision, on)
    if fact is not None and decision.outcome in CHANGES:
        try:  # the engine must be able to read the file with the new fact, as records.fact_record checks
            evaluate(core_person(person), case_events(person, extra=fact), on=on, law=law_pack())
        except AdaldyqError as exc:
            raise DecisionError(exc.diagnostics()) from None
        payload = {k: v for k, v in fact.items() if k != "type"}
        drafts.append(Draft(actor=actor, subject=person.pk, type=fact["type"], payload=payload))
    with transaction.atomic(durable=True):  # the check under the row's lock: one confirmation only
        if Decision.objects.select_for_update().get(pk=decision.pk).confirmed_seq is not None:
            raise DecisionError(gettext("this decision is already confirmed"))
        file_append(drafts, projection.project)
    return Decision.objects.get(pk=decision.seq)
