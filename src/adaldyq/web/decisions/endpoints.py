"""The commission over HTTP (ADR 0041): sittings and their agendas, decisions recorded and confirmed,
and a decision's receipt (its code, checked against the ledger as `/verify/` checks it). The pages'
selectors and services, under the same scope checks."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Router, Status
from ninja.errors import HttpError

from adaldyq.core.errors import AdaldyqError
from adaldyq.web.accounts.scope import can_confirm_decision, can_read_decision, can_see_register
from adaldyq.web.apikit import REFUSALS, ErrorOut, form_data, invalid, page, refused
from adaldyq.web.decisions import selectors, services
from adaldyq.web.decisions.models import AgendaItem, Decision, Session
from adaldyq.web.records.models import Person
from adaldyq.web.records.services import access_record

router = Router(tags=["commission"])


def _session_out(s: Session) -> dict[str, Any]:
    return {
        "id": s.pk, "institution": s.institution_code, "on": s.on.isoformat(),
        "members": s.members, "quorum": s.quorum, "opened_by": s.opened_by,
        "opened_at": s.opened_at.isoformat(),
    }  # fmt: skip


def _item_out(i: AgendaItem, decision: Decision | None) -> dict[str, Any]:
    return {
        "seq": i.seq, "person": i.person_id, "question": i.question, "grounds": i.grounds,
        "proposal": i.proposal, "reason": i.reason or None, "added_by": i.added_by,
        "decision": _decision_out(decision) if decision is not None else None,
    }  # fmt: skip


def _decision_out(d: Decision) -> dict[str, Any]:
    return {
        "seq": d.seq, "code": d.code, "entry_hash": d.entry_hash, "session": d.session_id,
        "item": d.item_id, "person": d.person_id, "institution": d.institution_code,
        "on": d.on.isoformat(), "question": d.question, "outcome": d.outcome, "terms": d.terms,
        "proposal": d.proposal, "deviates": d.deviates, "direction": d.direction or None,
        "reason_code": d.reason_code or None, "reason": d.reason or None, "votes": d.votes,
        "quorum": d.quorum, "law_pack": d.law_pack, "facts_hash": d.facts_hash,
        "recorded_by": d.recorded_by, "recorded_at": d.recorded_at.isoformat(),
        "confirmed_by": d.confirmed_by or None,
        "confirmed_at": d.confirmed_at.isoformat() if d.confirmed_at else None,
        "fact": d.fact_seq, "receipt": reverse("verify", args=[d.code]),
    }  # fmt: skip


def _readable_session(request: HttpRequest, session_id: str) -> Session:
    session = get_object_or_404(Session, pk=session_id)
    if not selectors.sessions_visible_to(request.user).filter(pk=session.pk).exists():
        raise HttpError(403, _("This institution is outside your scope."))
    return session


def _runnable_session(request: HttpRequest, session_id: str) -> Session:
    session = _readable_session(request, session_id)
    if not selectors.can_run_session(request.user, session):
        raise HttpError(403, _("Only the institution's staff run its commission."))
    return session


@router.get("/commission/sessions", response={200: dict[str, Any], **REFUSALS})
def commission_sessions(request: HttpRequest, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """The commission's sittings in the user's institutions, newest first."""
    shown, count = page(selectors.sessions_visible_to(request.user), limit, offset)
    return {"count": count, "items": [_session_out(s) for s in shown]}


@router.post("/commission/sessions", response={201: dict[str, Any], **REFUSALS})
def commission_open(request: HttpRequest, payload: Body[dict[str, Any]]) -> Status[dict[str, Any]]:
    """Open a sitting on `on` (today when left out) with its `members` (`name`, `group`,
    `present`); the engine draws up the agenda as on the page."""
    if not selectors.can_run_session(request.user):
        raise HttpError(403, _("Only the institution's staff run its commission."))
    members = payload.get("members") or []
    if not isinstance(members, list) or not all(isinstance(m, dict) for m in members):
        raise invalid({"members": [_("A list of members is expected.")]})
    data = form_data({k: v for k, v in payload.items() if k != "members"})
    try:
        on = date.fromisoformat(data["on"]) if data.get("on") else timezone.localdate()
        members = [
            {"name": str(m.get("name", ""))[:200], "group": str(m.get("group", "")),
             "present": m.get("present") is True}
            for m in members[:20]
        ]  # fmt: skip
        session = services.session_open(officer=request.user, on=on, members=members)
    except ValueError:
        raise invalid({"on": [_("Enter a valid date.")]}) from None
    except AdaldyqError as exc:
        raise refused(exc) from None
    return Status(201, _session_out(session))


@router.get("/commission/sessions/{session_id}", response={200: dict[str, Any], **REFUSALS})
def commission_session(request: HttpRequest, session_id: str) -> dict[str, Any]:
    """A sitting and its agenda: each item's question, the engine's proposal and the decision."""
    s = _readable_session(request, session_id)
    decided = selectors.decisions_for_session(s)
    items = selectors.items_of(s)
    access_record(
        user=request.user, page="api:commission_session", people=(i.person_id for i in items)
    )
    return _session_out(s) | {"items": [_item_out(i, decided.get(i.seq)) for i in items]}


@router.post("/commission/sessions/{session_id}/items", response={201: dict[str, Any], **REFUSALS})
def commission_item_add(
    request: HttpRequest, session_id: str, payload: Body[dict[str, Any]]
) -> Status[dict[str, Any]]:
    """Put a person (`person`, their file's id) on the agenda by hand for a `question`, with a
    written `reason`."""
    s = _runnable_session(request, session_id)
    data = form_data(payload)
    person = Person.objects.filter(pk=data.get("person", "")[:100]).first()
    try:
        if person is None:
            raise services.DecisionError(_("choose a person"))
        item = services.agenda_item_add(
            officer=request.user, session=s, person=person,
            question=data.get("question", ""), reason=data.get("reason", ""),
        )  # fmt: skip
    except AdaldyqError as exc:
        raise refused(exc) from None
    return Status(201, _item_out(item, None))


@router.post("/commission/items/{seq}/decide", response={201: dict[str, Any], **REFUSALS})
def commission_decide(
    request: HttpRequest, seq: int, payload: Body[dict[str, Any]]
) -> Status[dict[str, Any]]:
    """Record the commission's decision on an agenda item: `outcome`, its terms (`degree`, `as`,
    `to`), `votes` (member id: vote), and, for a decision that departs from the engine's proposal,
    `reason_code` and `reason` (it goes on the deviation register)."""
    item = get_object_or_404(AgendaItem.objects.select_related("session", "person"), pk=seq)
    _runnable_session(request, item.session_id)
    votes = payload.get("votes") or {}
    if not isinstance(votes, dict):
        raise invalid({"votes": [_("An object of votes by member is expected.")]})
    data = form_data({k: v for k, v in payload.items() if k != "votes"})
    terms = {"degree": data.get("degree", "1"), "as": data.get("as", ""), "to": data.get("to", "")}
    try:
        decision = services.decision_record(
            officer=request.user, item=item, outcome=data.get("outcome", ""), terms=terms,
            votes={str(k): str(v) for k, v in votes.items()},
            reason_code=data.get("reason_code", ""), reason=data.get("reason", ""),
        )  # fmt: skip
    except services.DeviationReasonMissingError:
        raise invalid({"reason": [_(
            "This decision departs from the engine's proposal. It cannot be saved without a "
            "reason code and a written reason; it will go on the deviation register."
        )]}) from None  # fmt: skip
    except AdaldyqError as exc:
        raise refused(exc) from None
    return Status(201, _decision_out(decision))


def _readable_decision(request: HttpRequest, seq: int) -> Decision:
    decision = get_object_or_404(Decision, pk=seq)
    person = get_object_or_404(
        Person.objects.select_related("institution__region"), pk=decision.person_id
    )
    if not can_read_decision(request.user, person=person, institution=decision.institution_code):
        raise HttpError(403, _("This file is outside your scope."))
    return decision


@router.get("/commission/decisions/{seq}", response={200: dict[str, Any], **REFUSALS})
def commission_decision(request: HttpRequest, seq: int) -> dict[str, Any]:
    """A decision with its proposal, votes, quorum, law-pack and facts hashes, its confirmation and
    its receipt (the code and the address where anyone checks it against the ledger)."""
    d = _readable_decision(request, seq)
    access_record(user=request.user, page="api:commission_decision", people=[d.person_id])
    return _decision_out(d)


@router.post("/commission/decisions/{seq}/confirm", response={200: dict[str, Any], **REFUSALS})
def commission_confirm(request: HttpRequest, seq: int) -> dict[str, Any]:
    """The head's confirmation: the personal file then carries the decision. A departure from the
    proposal is never confirmed by whoever recorded it (ADR 0037)."""
    d = _readable_decision(request, seq)
    if not (
        can_confirm_decision(request.user, institution=d.institution_code)
        or selectors.can_confirm(request.user, d)
    ):
        raise HttpError(403, _("Only the head of the institution confirms its decisions."))
    try:
        confirmed = services.decision_confirm(head=request.user, decision=d)
    except AdaldyqError as exc:
        raise refused(exc) from None
    return _decision_out(confirmed)


@router.get("/commission/awaiting", response={200: dict[str, Any], **REFUSALS})
def commission_awaiting(request: HttpRequest, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """The head's list: the institution's decisions waiting for confirmation, oldest first."""
    if not can_confirm_decision(request.user):
        raise HttpError(403, _("Only the head of the institution confirms its decisions."))
    shown, count = page(selectors.decisions_awaiting(request.user), limit, offset)
    access_record(
        user=request.user, page="api:commission_awaiting", people=(d.person_id for d in shown)
    )
    return {"count": count, "items": [_decision_out(d) for d in shown]}


@router.get("/commission/receipts/{code}", response={200: dict[str, Any], **REFUSALS})
def commission_receipt(request: HttpRequest, code: str) -> dict[str, Any]:
    """A receipt's code checked as `/verify/` checks it: the decision's entry against the ledger and
    a signed checkpoint. `state`: verified, pending (not yet under a signed checkpoint), failed, or
    unknown (no decision has the code). The personal data stays on the decision's own address."""
    normal = selectors.code_normalise(code[:64])
    v = selectors.decision_verify(normal) if normal else selectors.Verification(code[:16])
    return {
        "code": v.code,
        "state": v.state,
        "decision": v.decision.seq if v.decision is not None else None,
        "checks": [{"check": str(c), "outcome": o, "detail": str(d)} for c, o, d in v.checks],
        "checkpoint": v.checkpoint,
        "witnesses": v.witnesses,
    }


@router.get(
    "/register/flags",
    response={200: dict[str, Any], **REFUSALS, 503: ErrorOut},
    tags=["register"],
)
def register_flags(
    request: HttpRequest,
    kind: str = "",
    institution: str = "",
    officer: str = "",
    person: str = "",
    source: str = "",
    all: bool = False,
    sort: str = "on",
    limit: int = 100,
    offset: int = 0,
) -> dict[str, Any]:
    """The deviation register's flags in the user's institutions, filtered as on its page: `kind`,
    `institution` and `officer` exactly, `person` by any part of the file number; `source=commission`
    for the commission's own rows only; leads only with `all` (or a `kind`); `sort` by a column,
    `-column` descending. `computed` says up to which ledger entry the register was worked out."""
    if not can_see_register(request.user):
        raise HttpError(
            403,
            _("Only oversight bodies, the committee and regional departments read the register."),
        )
    from adaldyq.web.decisions.register_state import state_or_build

    state = state_or_build()  # a keeper still building: 503 (errors.NotReadyError)
    params = {
        "kind": kind[:100], "institution": institution[:100], "officer": officer[:150],
        "person": person[:100], "source": source[:20], "all": "1" if all else "", "sort": sort[:40],
    }  # fmt: skip
    shown, count = page(selectors.register_rows(request.user, state, params), limit, offset)
    access_record(
        user=request.user,
        page="api:register_flags",
        people=(r["person"] for r in shown if r["person"]),
    )
    return {
        "count": count,
        "computed": {"upto": state["upto"] + 1, "at": state["at"]},
        "items": shown,
    }
