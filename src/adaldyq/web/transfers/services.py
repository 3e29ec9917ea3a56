"""Writes of placement and transfers. Each appends its ledger entries and projects them in one
durable transaction (records.ledger_port), as the other apps do.

placement_propose(...)      the system's proposal for a person (entry `placement_proposed`)
placement_decide(...)       staff's placement (`placement_decided` + the `transferred` fact)
transfer_request_file(...)  a numbered request in the target's queue (`transfer_requested`)
transfer_decide(...)        grant or refuse (`transfer_decided`; a grant adds the `transferred`
                            fact and `family_informed`, Mandela Rule 68)

A departure (against the proposal, out of queue order, into a full institution) needs a written
reason; one into a full institution also needs the override. Without them the service raises
`TransferRefusedError` and writes nothing. What was departed from is stored with the decision and
flagged from the ledger (adaldyq.placement.ledger.transfer_flags).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from adaldyq.core.errors import InputError
from adaldyq.placement import (
    TransferDecision,
    TransferRequest,
    check_request,
    propose_placement,
    request_number,
)
from adaldyq.web.institutions.models import Institution
from adaldyq.web.records import ledger_port
from adaldyq.web.records import projection as records_projection
from adaldyq.web.records.ledger_port import Actor, Draft, Entry
from adaldyq.web.records.models import Person, Relative
from adaldyq.web.records.services import actor_of
from adaldyq.web.transfers import projection, selectors
from adaldyq.web.transfers.models import GRANTED, OPEN, REFUSED, Move, Placement, Request

log = logging.getLogger(__name__)


class TransferRefusedError(InputError):
    """A placement or transfer decision the rules refuse as given; `code` says which rule."""

    def __init__(self, code: str, message: str, **detail: Any) -> None:
        super().__init__(message)
        #: `reason_required`, `over_capacity`, `not_open`, `consent_missing`, `same_institution`.
        self.code = code
        self.detail = detail


def _append(drafts: list[Draft]) -> list[Entry]:
    """Append and project in the caller's transaction (file facts into the personal file too)."""
    return ledger_port.append_projected(drafts, records_projection.project, projection.project)


def _commit(*drafts: Draft) -> list[Entry]:
    return ledger_port.commit(drafts, records_projection.project, projection.project)


def public_actor(document: str) -> Actor:
    """The actor of a relative filing on the public page, identified by their document."""
    return Actor(f"relative:doc:{document}", "public transfer request (document and code)")


def one_time_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


def code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def _institution(code: str) -> Institution:
    found = Institution.objects.filter(code=code).first()
    if found is None:
        raise InputError(f"no institution {code!r}")
    return found


def _capacity_check(target: Institution, *, reason: str, override: bool) -> dict[str, Any]:
    held = selectors.occupancy().get(target.code, 0)
    over = held >= target.capacity
    if over and not (override and reason.strip()):
        raise TransferRefusedError(
            "over_capacity",
            f"{target.code} holds {held} of {target.capacity}: refused unless overridden with a reason",
            occupancy=held,
            capacity=target.capacity,
        )
    return {"occupancy": {"before": held, "capacity": target.capacity}, "over_capacity": over}


def _moved_fact(actor: Actor, person: Person, *, on: date, institution: str) -> Draft:
    """The personal file's `transferred` fact: the records projection moves the person."""
    return Draft(
        actor=actor,
        subject=person.pk,
        type="transferred",
        payload={"on": on.isoformat(), "institution": institution, "condition": person.condition},
    )


# ---- placement ----------------------------------------------------------------------------------


def placement_propose(
    *,
    officer: Any,
    person: Person,
    type: str,
    medical: bool = False,
    on: date,
) -> Placement:
    """Compute and record the proposal: the nearest institution of the right kind with room."""
    if not person.home_region:
        raise InputError(gettext("the personal file has no home region; record it before placing"))
    profile = selectors.profile_of(person, type=type, medical=medical, on=on)
    proposal = propose_placement(
        profile, selectors.sites(), selectors.occupancy(), on=on, rules=selectors.rules()
    )
    payload = {
        "on": on.isoformat(),
        "proposal": proposal.to_dict(),
        "profile": {
            "type": profile.type,
            "sex": profile.sex,
            "home_region": profile.home_region,
            "minor": profile.minor,
            "medical": profile.medical,
        },
    }
    entry = _commit(
        Draft(actor=actor_of(officer), subject=person.pk, type=projection.PLACEMENT_PROPOSED,
              payload=payload)
    )[0]  # fmt: skip
    return Placement.objects.get(pk=entry.seq)


def placement_decide(
    *,
    officer: Any,
    placement: Placement,
    institution: str,
    on: date,
    reason: str = "",
    capacity_override: bool = False,
) -> Move:
    """Place the person; against the proposal or into a full institution needs a reason."""
    if placement.decided_seq is not None:
        raise TransferRefusedError("not_open", "this proposal was already decided")
    target = _institution(institution)
    reason = reason.strip()
    against = target.code != placement.proposed
    if against and not reason:
        raise TransferRefusedError(
            "reason_required",
            f"a placement in {target.code} instead of the proposed {placement.proposed or '-'}"
            " needs a written reason",
            proposed=placement.proposed,
        )
    if target.type == "mixed" and not reason:
        raise TransferRefusedError(
            "reason_required", "a placement in a mixed-security unit needs a written reason"
        )
    cap = _capacity_check(target, reason=reason, override=capacity_override)
    person = Person.objects.get(pk=placement.person_id)
    decision = TransferDecision(
        id=f"TD-{uuid.uuid4().hex[:10]}",
        person=person.pk,
        on=on,
        to_institution=target.code,
        officer=officer.get_username(),
        reason=reason,
        capacity_override=capacity_override and cap["over_capacity"],
        proposed=placement.proposed or None,
    )
    actor = actor_of(officer)
    payload = {
        "on": on.isoformat(),
        "proposal_seq": placement.seq,
        "decision": decision.to_dict(),
        "against_proposal": against,
        **cap,
    }
    _commit(
        Draft(actor=actor, subject=person.pk, type=projection.PLACEMENT_DECIDED, payload=payload),
        _moved_fact(actor, person, on=on, institution=target.code),
    )
    return Move.objects.get(pk=decision.id)


# ---- transfer requests --------------------------------------------------------------------------


def transfer_request_file(
    *,
    actor: Actor,
    person: Person,
    target: str,
    ground: str,
    on: date,
    family: tuple[str, ...] = (),
    consent: bool = False,
    filed_by: str = "person",
    contact: str = "",
    with_code: bool = True,
) -> tuple[Request, str]:
    """File a request; returns it and the one-time code for the status page ("" without)."""
    institution = _institution(target)
    if person.institution_id == institution.pk:
        raise TransferRefusedError("same_institution", "the person is already there")
    code = one_time_code() if with_code else ""
    for _attempt in range(5):  # two filings at once may pick the same number: the second retries
        try:
            with transaction.atomic(durable=True):
                number = request_number(Request.objects.count() + 1)
                request = TransferRequest(
                    number=number,
                    person=person.pk,
                    target=institution.code,
                    ground=ground,
                    filed_on=on,
                    from_institution=person.institution.code if person.institution else None,
                    distance_gained_km=selectors.distance_gained(person, institution),
                    family=tuple(sorted(set(family))),
                    consent=consent,
                    filed_by=filed_by,
                )
                check_request(request, rules=selectors.rules())
                payload = {
                    "on": on.isoformat(),
                    "request": request.to_dict(),
                    "contact": contact.strip(),
                    "code_hash": code_hash(code) if code else "",
                }
                _append(
                    [Draft(actor=actor, subject=person.pk, type=projection.TRANSFER_REQUESTED,
                           payload=payload)]
                )  # fmt: skip
            return Request.objects.get(pk=number), code
        except IntegrityError:
            continue
    raise InputError("could not number the request; try again")


def request_by_code(*, number: str, code: str) -> Request | None:
    """The request with this number whose one-time code matches (None otherwise)."""
    r = Request.objects.filter(number=number.strip().upper()).first()
    if r is None or not r.code_hash or not secrets.compare_digest(r.code_hash, code_hash(code)):
        return None
    return r


def family_contact(person: Person, request: Request | None = None) -> str:
    """The contact recorded for the family: the request's, else an approved relative of the file."""
    if request is not None and request.contact:
        return request.contact
    rel = Relative.objects.filter(person_id=person.pk, approved=True).order_by("seq").first()
    return f"{rel.name} ({rel.relationship})" if rel else ""


def transfer_decide(
    *,
    officer: Any,
    request: Request,
    grant: bool,
    on: date,
    reason: str = "",
    capacity_override: bool = False,
) -> Request:
    """Grant or refuse a request. Out of queue order, over capacity or a refusal need a reason."""
    if request.status != OPEN:
        raise TransferRefusedError("not_open", f"request {request.number} is {request.status}")
    reason = reason.strip()
    line = selectors.queue_of(request.target, on=on)
    mine = next((q for q in line if q.request.pk == request.pk), None)
    position = mine.position if mine else None
    skipped = [
        q.request.number
        for q in line
        if position is not None
        and q.position < position
        and q.request.person_id != request.person_id
    ]
    queue_info = {"next": line[0].request.number if line else None, "position": position}
    person = Person.objects.select_related("institution").get(pk=request.person_id)
    actor = actor_of(officer)
    drafts: list[Draft] = []
    payload: dict[str, Any] = {"on": on.isoformat(), "request": request.number, "reason": reason}
    if not grant:
        if not reason:
            raise TransferRefusedError("reason_required", "a refusal needs a written reason")
        payload |= {"outcome": REFUSED, "decision": None, "queue": {**queue_info, "skipped": []}}
        drafts.append(Draft(actor=actor, subject=person.pk, type=projection.TRANSFER_DECIDED,
                            payload=payload))  # fmt: skip
    else:
        if skipped and not reason:
            raise TransferRefusedError(
                "reason_required",
                f"{len(skipped)} request(s) are ahead in the queue ({', '.join(skipped)}):"
                " deciding out of order needs a written reason",
                skipped=skipped,
            )
        ground_rule = selectors.rules().rules.get(f"grounds.{request.ground}")
        if ground_rule is not None:
            needs = selectors.rules().value(f"grounds.{request.ground}", on)
            if isinstance(needs, dict) and needs.get("consent") and not request.consent:
                raise TransferRefusedError(
                    "consent_missing", "this ground needs the person's prior consent (art. 88)"
                )
        target = _institution(request.target)
        cap = _capacity_check(target, reason=reason, override=capacity_override)
        decision = TransferDecision(
            id=f"TD-{uuid.uuid4().hex[:10]}",
            person=person.pk,
            on=on,
            to_institution=target.code,
            from_institution=person.institution.code if person.institution else None,
            request=request.number,
            ground=request.ground,
            consent=request.consent,
            officer=officer.get_username(),
            reason=reason,
            capacity_override=capacity_override and cap["over_capacity"],
        )
        payload |= {
            "outcome": GRANTED,
            "decision": decision.to_dict(),
            "queue": {**queue_info, "skipped": skipped},
            **cap,
        }
        contact = family_contact(person, request)
        drafts += [
            Draft(
                actor=actor, subject=person.pk, type=projection.TRANSFER_DECIDED, payload=payload
            ),
            _moved_fact(actor, person, on=on, institution=target.code),
            Draft(
                actor=actor,
                subject=person.pk,
                type=projection.FAMILY_INFORMED,
                payload={
                    "on": on.isoformat(),
                    "decision": decision.id,
                    "contact": contact,
                    "channel": "recorded contact" if contact else "none recorded",
                },
            ),
        ]
    _commit(*drafts)
    request.refresh_from_db()
    return request
