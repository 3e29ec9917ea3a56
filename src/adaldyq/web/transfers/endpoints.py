"""Placement and transfer requests over HTTP (ADR 0041): the people awaiting a placement, proposals
and decisions, the queues of open requests, a request filed, granted or refused, a person's moves.
The pages' selectors, forms and services, under the same scope checks; a departure from the proposal
or the queue, or into a full institution, waits for a second person (ADR 0037)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Router, Status
from ninja.errors import HttpError

from adaldyq.core.errors import InputError
from adaldyq.web.accounts.roles import Role
from adaldyq.web.accounts.scope import (
    can_decide_placement,
    can_read_institution,
    can_read_person,
    is_staff,
    people_visible_to,
)
from adaldyq.web.apikit import (
    OVERRIDABLE,
    REFUSALS,
    WRITE_REFUSALS,
    form_data,
    form_invalid,
    outcome,
    page,
    person_readable,
    refused,
)
from adaldyq.web.records.models import Person
from adaldyq.web.records.services import access_record, actor_of
from adaldyq.web.transfers import forms, selectors, services
from adaldyq.web.transfers.models import Move, Placement, Request
from adaldyq.web.transfers.services import TransferRefusedError

router = Router(tags=["placement and transfers"])


def _out_of_scope() -> HttpError:
    return HttpError(403, _("This file is outside your scope."))


def _staff(request: HttpRequest) -> None:
    if not is_staff(request.user):
        raise HttpError(403, _("This is outside your scope."))


def _placement_out(p: Placement) -> dict[str, Any]:
    return {
        "seq": p.seq, "person": p.person_id, "on": p.on.isoformat(), "proposed": p.proposed or None,
        "distance_km": p.distance_km, "outcome": p.outcome, "over_capacity": p.over_capacity,
        "proposal": p.proposal, "profile": p.profile, "proposed_by": p.proposed_by,
        "decided_seq": p.decided_seq, "move": p.decision or None,
    }  # fmt: skip


def _move_out(m: Move) -> dict[str, Any]:
    return {
        "id": m.pk, "seq": m.seq, "person": m.person_id, "on": m.on.isoformat(), "kind": m.kind,
        "to": m.to_institution, "from": m.from_institution or None, "request": m.request or None,
        "ground": m.ground or None, "officer": m.officer, "reason": m.reason or None,
        "proposed": m.proposed or None, "against_proposal": m.against_proposal,
        "out_of_order": m.out_of_order, "over_capacity": m.over_capacity,
        "capacity_override": m.capacity_override,
    }  # fmt: skip


def _request_out(r: Request, position: int | None = None, points: Any = None) -> dict[str, Any]:
    return {
        "number": r.number, "seq": r.seq, "person": r.person_id, "target": r.target,
        "ground": r.ground, "filed_on": r.filed_on.isoformat(),
        "from": r.from_institution or None, "distance_gained_km": r.distance_gained_km,
        "family": r.family, "consent": r.consent, "filed_by": r.filed_by, "status": r.status,
        "closed_on": r.closed_on.isoformat() if r.closed_on else None,
        "closed_reason": r.closed_reason or None, "position": position,
        "points": None if points is None else {
            "km": points.km, "waiting": points.waiting, "family": points.family,
            "ground": points.ground, "total": points.total,
        },
    }  # fmt: skip


@router.get("/placements/awaiting", response={200: dict[str, Any], **REFUSALS})
def placements_awaiting(request: HttpRequest, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Sentenced people in the user's scope not yet placed, newest admission first, each with its
    undecided proposal (when one was asked for)."""
    _staff(request)
    shown, count = page(selectors.awaiting_placement(request.user), limit, offset)
    pending = selectors.pending_proposals(shown)
    access_record(user=request.user, page="api:placements_awaiting", people=(p.pk for p in shown))
    return {
        "count": count,
        "items": [
            {"person": p.pk, "number": p.number, "home_region": p.home_region or None,
             "proposal": pending[p.pk].seq if p.pk in pending else None}
            for p in shown
        ],
    }  # fmt: skip


@router.post("/placements", response={201: dict[str, Any], **REFUSALS})
def placement_propose(
    request: HttpRequest, payload: Body[dict[str, Any]]
) -> Status[dict[str, Any]]:
    """Ask for a placement proposal for `person` (their file's id): the institution `type` the
    sentence requires, `medical` when they need treatment."""
    data = form_data(payload)
    person = Person.objects.select_related("institution").filter(pk=data.get("person", "")[:100])
    found = person.first()
    if found is None or not can_read_person(request.user, found):
        raise HttpError(404, _("Not found"))
    if not can_decide_placement(request.user, found):
        raise _out_of_scope()
    form = forms.ProposeForm(data)
    if not form.is_valid():
        raise form_invalid(form)
    try:
        placement = services.placement_propose(
            officer=request.user, person=found, type=form.cleaned_data["type"],
            medical=form.cleaned_data["medical"], on=timezone.localdate(),
        )  # fmt: skip
    except InputError as exc:
        raise refused(exc) from None
    return Status(201, _placement_out(placement))


def _read(request: HttpRequest, rows: Any, key: Any) -> Any:
    """A placement or request (`rows`, by primary key) for staff who read its person's file."""
    _staff(request)
    found = get_object_or_404(rows.select_related("person__institution"), pk=key)
    if not can_read_person(request.user, found.person):
        raise _out_of_scope()
    return found


def _decision(
    request: HttpRequest, person: Person, payload: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The body of a placement's or request's decision, by one who decides the person's placement:
    the body as text, and the decision form's `reason` and `capacity_override`."""
    if not can_decide_placement(request.user, person):
        raise _out_of_scope()
    data = form_data(payload)
    form = forms.DecideForm(data)
    if not form.is_valid():
        raise form_invalid(form)
    return data, form.cleaned_data


def _placement(request: HttpRequest, seq: int) -> Placement:
    return _read(request, Placement.objects, seq)  # type: ignore[no-any-return]


@router.get("/placements/{seq}", response={200: dict[str, Any], **REFUSALS})
def placement(request: HttpRequest, seq: int) -> dict[str, Any]:
    """A proposal with every alternative and why it lost, and the decision once taken."""
    p = _placement(request, seq)
    access_record(user=request.user, page="api:placement", people=[p.person_id])
    return _placement_out(p)


@router.post(
    "/placements/{seq}/decide",
    response=OVERRIDABLE,
)
def placement_decide(
    request: HttpRequest, seq: int, payload: Body[dict[str, Any]]
) -> Status[dict[str, Any]]:
    """Place the person in `institution` (the proposal's when left out). Against the proposal or into
    a full institution (`capacity_override`) needs a `reason` and waits for a second person (202)."""
    p = _placement(request, seq)
    data, decided = _decision(request, p.person, payload)
    return outcome(
        lambda: services.placement_decide(
            officer=request.user, placement=p, institution=data.get("institution") or p.proposed,
            on=timezone.localdate(), **decided,
        ),
        _move_out,
        rules=(TransferRefusedError,),
    )  # fmt: skip


@router.get("/transfers/requests", response={200: dict[str, Any], **REFUSALS})
def transfer_queues(request: HttpRequest, target: str = "") -> dict[str, Any]:
    """The open queues of the institutions in the user's scope, first in line first, with each
    request's points; a request names its person only where the user may read the file."""
    _staff(request)
    today = timezone.localdate()
    lines = {
        t: line for t, line in selectors.queues(on=today).items()
        if can_read_institution(request.user, t) and (not target or t == target[:40])
    }  # fmt: skip
    ids = {q.request.person_id for line in lines.values() for q in line}
    readable = set(people_visible_to(request.user).filter(pk__in=ids).values_list("pk", flat=True))
    access_record(user=request.user, page="api:transfer_queues", people=readable)
    out = {}
    for t, line in lines.items():
        out[t] = [_request_out(q.request, q.position, q.points) for q in line]
        for row in out[t]:
            if row["person"] not in readable:
                row["person"] = None
    return {"queues": out}


def _request(request: HttpRequest, number: str) -> Request:
    return _read(request, Request.objects, number[:20])  # type: ignore[no-any-return]


@router.get("/transfers/requests/{number}", response={200: dict[str, Any], **REFUSALS})
def transfer_request(request: HttpRequest, number: str) -> dict[str, Any]:
    """A request with its place and points in its target's queue, and the move when granted."""
    r = _request(request, number)
    mine = selectors.position_of(r, on=timezone.localdate())
    move = Move.objects.filter(request=r.number).first()
    access_record(user=request.user, page="api:transfer_request", people=[r.person_id])
    return _request_out(r, mine.position if mine else None, mine.points if mine else None) | {
        "move": _move_out(move) if move else None
    }


@router.post(
    "/transfers/requests/{number}/decide",
    response={200: dict[str, Any], 202: dict[str, Any], **WRITE_REFUSALS},
)
def transfer_decide(
    request: HttpRequest, number: str, payload: Body[dict[str, Any]]
) -> Status[dict[str, Any]]:
    """Grant (`"outcome": "grant"`) or refuse (`"refuse"`, with a `reason`) a request. A grant out of
    queue order or into a full institution (`capacity_override`) needs a `reason` and waits for a
    second person (202); a grant the rules refuse is 409 with their words."""
    r = _request(request, number)
    data, decided = _decision(request, r.person, payload)
    return outcome(
        lambda: services.transfer_decide(
            officer=request.user, request=r, grant=data.get("outcome") == "grant",
            on=timezone.localdate(), **decided,
        ),
        _request_out,
        status=200,
        rules=(TransferRefusedError,),
    )  # fmt: skip


@router.get("/transfers/people/{person_id}", response={200: dict[str, Any], **REFUSALS})
def person_transfers(request: HttpRequest, person_id: str) -> dict[str, Any]:
    """A person's placements and transfers with the ground of each, and their requests."""
    p = person_readable(request, person_id)
    today = timezone.localdate()
    requests = []
    for r in selectors.requests_of(p):
        line = selectors.position_of(r, on=today)
        requests.append(
            _request_out(r, line.position if line else None, line.points if line else None)
        )
    access_record(user=request.user, page="api:person_transfers", people=[p.pk])
    return {
        "person": p.pk,
        "moves": [_move_out(m) for m in selectors.moves_of(p)],
        "requests": requests,
    }


@router.post(
    "/transfers/people/{person_id}/requests", response={201: dict[str, Any], **WRITE_REFUSALS}
)
def transfer_request_file(
    request: HttpRequest, person_id: str, payload: Body[dict[str, Any]]
) -> Status[dict[str, Any]]:
    """File a transfer request for a person: the `target` institution, the `ground`, `family`
    circumstances (a list), `consent`, and a `contact` to tell the family of the decision. The
    person themself (their own file) or whoever decides their placement."""
    p = person_readable(request, person_id)
    own = getattr(request.user, "role", "") == Role.prisoner
    if not (own or can_decide_placement(request.user, p)):
        raise _out_of_scope()
    data = form_data(payload, lists=("family",))
    form = forms.RequestForm(data)
    if not form.is_valid():
        raise form_invalid(form)
    c = form.cleaned_data
    return outcome(
        lambda: services.transfer_request_file(
            actor=actor_of(request.user), person=p, target=c["target"], ground=c["ground"],
            family=tuple(c["family"]), consent=c["consent"], contact=c["contact"],
            on=timezone.localdate(), filed_by="person" if own else "administration",
            with_code=False,
        )[0],
        _request_out,
        rules=(TransferRefusedError,),
    )  # fmt: skip


@router.get("/transfers/flags", response={200: dict[str, Any], **REFUSALS}, tags=["register"])
def placement_flags(
    request: HttpRequest, kind: str = "", limit: int = 100, offset: int = 0
) -> dict[str, Any]:
    """The placement and transfer flags worked out from the ledger (against the proposal, out of
    queue order, over capacity...) in the user's institutions, of one `kind` when given, with the
    count of each kind, as on the flags page."""
    if not selectors.can_analyse(request.user):
        raise HttpError(403, _("This is outside your scope."))
    rows = selectors.placement_flags(request.user, kind=kind[:100])
    shown, count = page(rows, limit, offset)
    access_record(
        user=request.user,
        page="api:placement_flags",
        people=(r["person"] for r in shown if r["person"]),
    )
    return {"count": count, "kinds": dict(selectors.flag_counts(rows)), "items": shown}
