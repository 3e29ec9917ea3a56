"""The personal file over HTTP (django-ninja): the same selectors, services, forms and scope checks."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Body, Router, Schema, Status
from ninja.errors import HttpError

from adaldyq.core.errors import InputError
from adaldyq.web.accounts.scope import (
    can_confirm_entries,
    can_record_facts,
    can_write_notes,
)
from adaldyq.web.apikit import MAX_ID, REFUSALS, form_data, invalid, person_readable
from adaldyq.web.db import unprepared
from adaldyq.web.records import services
from adaldyq.web.records.forms import FACT_FORMS, Correction, NoteForm, ProposalDecisionForm
from adaldyq.web.records.models import Fact, Person, Proposal
from adaldyq.web.records.selectors import law_today, person_search, proposals_awaiting

router = Router(tags=["personal files"])


class PersonOut(Schema):
    id: str
    number: str
    surname: str
    given_name: str
    patronymic: str
    sex: str
    born: str
    institution: str | None
    condition: str


def _person_out(p: Person) -> dict[str, Any]:
    return {
        "id": p.pk,
        "number": p.number,
        "surname": p.surname,
        "given_name": p.given_name,
        "patronymic": p.patronymic,
        "sex": p.sex,
        "born": p.born.isoformat(),
        "institution": p.institution.code if p.institution_id and p.institution else None,
        "condition": p.condition,
    }


def _fact_out(f: Fact) -> dict[str, Any]:
    return {
        "seq": f.seq,
        "type": f.kind,
        "on": f.on.isoformat(),
        "data": f.data,
        "recorded_by": f.recorded_by,
        "recorded_at": f.recorded_at.isoformat(),
        "corrects": f.corrects_id,
        "reason": f.reason or None,
        "superseded_by": f.superseded_by_id,
        "withdrawn": f.void,
        "entry_hash": f.entry_hash,
    }


@router.get("/people", response={200: list[PersonOut], **REFUSALS})
def people(
    request: HttpRequest,
    q: str = "",
    institution: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    if institution is not None and not 0 < institution <= MAX_ID:
        return []  # no institution has such an id (a number past the database's integers: not a 500)
    found = person_search(user=request.user, q=q[:100], institution_id=institution)
    limit = max(1, min(limit, 500))
    offset = max(0, min(offset, MAX_ID))
    with unprepared():  # the search's plan depends on its words (adaldyq.web.db.unprepared)
        shown = list(found[offset : offset + limit])
    services.access_record(user=request.user, page="api:people", people=(p.pk for p in shown))
    return [_person_out(p) for p in shown]


@router.get("/people/{person_id}", response={200: dict[str, Any], **REFUSALS})
def person_file(request: HttpRequest, person_id: str) -> dict[str, Any]:
    person = person_readable(request, person_id)
    services.file_opening_record(user=request.user, person=person)
    today = law_today(person, lang=(get_language() or "en")[:2])
    return {
        "person": _person_out(person),
        "law": today.result.to_dict() if today.result else None,
        "explanation": today.lines,
        "warnings": today.warnings,
        "law_error": today.error or None,
        "facts": [_fact_out(f) for f in person.facts.order_by("on", "seq")],
        "relatives": [
            {"name": r.name, "relationship": r.relationship} for r in person.relatives.all()
        ],
    }


@router.post(
    "/people/{person_id}/facts", response={201: dict[str, Any], 202: dict[str, Any], **REFUSALS}
)
def record_fact(
    request: HttpRequest, person_id: str, payload: Body[dict[str, Any]]
) -> Status[dict[str, Any]]:
    person = person_readable(request, person_id)
    if not can_record_facts(request.user, person):
        raise HttpError(403, _("You may not record facts in this file."))
    form_class = FACT_FORMS.get(str(payload.get("type")))
    if form_class is None or (form_class.head_only and getattr(request.user, "role", "") != "head"):
        raise invalid({"type": [_("Unknown or not allowed fact type.")]})
    form = form_class(form_data(payload), person=person)
    if not form.is_valid():
        raise invalid({k: [str(e) for e in v] for k, v in form.errors.items()})
    try:
        fact = form.record(officer=request.user)
    except InputError as exc:
        raise invalid({"__all__": [exc.diagnostics()]}) from None
    if isinstance(fact, Proposal):  # recorded very late: it waits for the head's confirmation
        return Status(202, _proposal_out(fact))
    return Status(201, _fact_out(fact))


@router.post(
    "/people/{person_id}/facts/{seq}/correct",
    response={201: dict[str, Any], 202: dict[str, Any], **REFUSALS},
)
def correct_fact(
    request: HttpRequest, person_id: str, seq: int, payload: Body[dict[str, Any]]
) -> Status[dict[str, Any]]:
    person = person_readable(request, person_id)
    if not can_record_facts(request.user, person):
        raise HttpError(403, _("You may not record facts in this file."))
    original = get_object_or_404(Fact, pk=seq, person=person)
    sent = Correction(form_data(payload), person=person, original=original)
    if not sent.is_valid():
        raise invalid(sent.errors())
    try:
        fact = sent.record(officer=request.user)
    except InputError as exc:
        raise invalid({"__all__": [exc.diagnostics()]}) from None
    if isinstance(fact, Proposal):  # an old penalty's withdrawal: it waits for the head
        return Status(202, _proposal_out(fact))
    return Status(201, _fact_out(fact))


def _proposal_out(p: Proposal) -> dict[str, Any]:
    return {
        "proposal": p.seq, "person": p.person_id, "action": p.action, "fact": p.fact,
        "entry": p.entry, "code": p.code, "reason": p.reason, "proposed_by": p.proposed_by,
        "status": p.status,
    }  # fmt: skip


@router.get("/proposals", response={200: dict[str, Any], **REFUSALS})
def proposals(request: HttpRequest) -> dict[str, Any]:
    """The entries proposed for the head's confirmation in the head's scope (issue 15)."""
    if not can_confirm_entries(request.user):
        raise HttpError(403, _("Only a head of the institution confirms proposed entries."))
    pending = list(proposals_awaiting(request.user)[:200])
    services.access_record(
        user=request.user, page="api:proposals", people=(p.person_id for p in pending)
    )
    return {"proposals": [_proposal_out(p) for p in pending]}


@router.post("/proposals/decide", response={200: dict[str, Any], **REFUSALS})
def decide_proposal(request: HttpRequest, payload: Body[dict[str, Any]]) -> Status[dict[str, Any]]:
    """Confirm (`"decision": "confirm"`) or refuse (`"refuse"`, with `"reason"`) a proposal."""
    if not can_confirm_entries(request.user):
        raise HttpError(403, _("Only a head of the institution confirms proposed entries."))
    form = ProposalDecisionForm(form_data(payload))
    if not form.is_valid():
        raise invalid({k: [str(e) for e in v] for k, v in form.errors.items()})
    proposal = get_object_or_404(Proposal, pk=form.cleaned_data["proposal"])
    if not can_record_facts(request.user, proposal.person):
        raise HttpError(404, _("Not found"))
    try:
        if form.cleaned_data["decision"] == "confirm":
            fact = services.proposal_confirm(head=request.user, proposal=proposal)
            return Status(200, {"status": "confirmed", "fact": _fact_out(fact)})
        services.proposal_refuse(
            head=request.user, proposal=proposal, reason=form.cleaned_data["reason"]
        )
    except InputError as exc:
        raise invalid({"__all__": [exc.diagnostics()]}) from None
    return Status(200, {"status": "refused"})


@router.post("/people/{person_id}/notes", response={201: dict[str, Any], **REFUSALS})
def write_note(
    request: HttpRequest, person_id: str, payload: Body[dict[str, Any]]
) -> Status[dict[str, Any]]:
    person = person_readable(request, person_id)
    if not can_write_notes(request.user):
        raise HttpError(403, _("Only oversight bodies write notes."))
    form = NoteForm(payload)
    if not form.is_valid():
        raise invalid({k: [str(e) for e in v] for k, v in form.errors.items()})
    services.note_write(author=request.user, person=person, text=form.cleaned_data["text"])
    return Status(201, {"ok": True})
