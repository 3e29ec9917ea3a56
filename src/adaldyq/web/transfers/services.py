"""Writes of placement and transfers. Each appends its ledger entries and projects them in one
durable transaction (records.ledger_port), as the other apps do.

placement_propose(...)      the system's proposal for a person (entry `placement_proposed`)
placement_decide(...)       staff's placement (`placement_decided`, the `transferred` fact and
                            `family_informed`, Mandela Rule 68)
transfer_request_file(...)  a numbered request in the target's queue (`transfer_requested`)
transfer_decide(...)        grant or refuse (`transfer_decided`; a grant adds the `transferred`
                            fact and `family_informed`, Mandela Rule 68)

A departure (against the proposal, out of queue order, into a full institution) needs a written
reason; one into a full institution also needs the override. Without them the service raises
`TransferRefusedError` and writes nothing. With them it is an override (ADR 0037): recorded, and in
effect only when a second person confirms it (`OverridePendingError`; `*_override_effect`). What was departed from is stored with the decision and
flagged from the ledger (adaldyq.placement.ledger.transfer_flags).
"""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from adaldyq.core.errors import InputError
from adaldyq.placement import (
    Profile,
    Refusal,
    TransferDecision,
    TransferRequest,
    check_request,
    placement_refusals,
    propose_placement,
    request_number,
    transfer_refusals,
)
from adaldyq.web.institutions.models import Institution
from adaldyq.web.onetime import code_hash, one_time_code
from adaldyq.web.overrides.models import PLACEMENT, TRANSFER, Override
from adaldyq.web.overrides.selectors import RULE_NAMES
from adaldyq.web.overrides.services import (
    Effect,
    OverridePendingError,
    maker_of,
    override_request,
    stamp,
)
from adaldyq.web.records.ledger_port import Actor, Draft
from adaldyq.web.records.models import Person, Relative
from adaldyq.web.records.services import actor_of, file_append, file_commit
from adaldyq.web.rows import lock
from adaldyq.web.transfers import projection, selectors
from adaldyq.web.transfers.models import GRANTED, OPEN, REFUSED, Move, Placement, Request

log = logging.getLogger(__name__)


class TransferRefusedError(InputError):
    """A placement or transfer decision the rules refuse as given; `code` says which rule."""

    def __init__(self, code: str, message: str, **detail: Any) -> None:
        super().__init__(message)
        #: `reason_required`, `over_capacity`, `not_open`, `already_open`, or the first of the
        #: rules' refusals (`adaldyq.placement.admissible`) without its `transfer.` prefix:
        #: `same_institution`, `unknown_ground`, `mixed_unit`, `wrong_type`, `type_unknown`,
        #: `wrong_sex`, `minors_only`, `adults_only`, `not_closer`, `home_unknown`,
        #: `consent_missing`.
        self.code = code
        self.detail = detail
        #: Every refusal of the rules, first one first (empty for the other codes).
        self.refusals: tuple[Refusal, ...] = detail.get("refusals", ())


def public_actor(document: str) -> Actor:
    """The actor of a relative filing on the public page, identified by their document."""
    return Actor(f"relative:doc:{document}", "public transfer request (document and code)")


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


def _type_words(code: str) -> str:
    from adaldyq.web.institutions.models import INSTITUTION_TYPES

    return str(dict(INSTITUTION_TYPES).get(code, code))


def refusal_message(refusal: Refusal, *, person: Person, target: Institution) -> str:
    """One refusal in the reader's language, naming the rule it rests on."""
    from adaldyq.web.transfers.templatetags.transfers_tags import region_name

    d = refusal.detail
    here = person.institution.code if person.institution else ""
    args: dict[str, Any] = {"institution": target.code, "here": here}
    code = refusal.code
    if code == "transfer.same_institution":
        return gettext("Refused: the person is already in %(institution)s.") % args
    if code == "transfer.unknown_ground":
        return gettext(
            "Refused: “%(ground)s” is not a ground for a transfer under art. 88 of the Penal"
            " Enforcement Code."
        ) % {"ground": d.get("ground", "")}
    if code == "transfer.mixed_unit":
        return (
            gettext(
                "Refused: %(institution)s is a mixed-security unit of a pre-trial centre. It holds only"
                " convicts on household work and is not a place to serve a sentence by transfer"
                " (Code art. 88)."
            )
            % args
        )
    if code == "transfer.wrong_type":
        return gettext(
            "Refused: %(institution)s is of the type “%(target_type)s”, and the court set"
            " “%(type)s”. A transfer cannot change the type of institution: only a court can,"
            " under art. 96 of the Penal Enforcement Code."
        ) % {**args, "type": _type_words(d["type"]), "target_type": _type_words(d["target_type"])}
    if code == "transfer.type_unknown":
        return (
            gettext(
                "Refused: the personal file does not record the type of institution the court set,"
                " so it cannot be checked that %(institution)s is of that type (Code arts. 88, 96)."
                " Record it first."
            )
            % args
        )
    if code == "transfer.wrong_sex":
        if target.sex == "female":
            msg = gettext(
                "Refused: %(institution)s is an institution for women. Men and women serve their"
                " sentences in separate institutions (Mandela Rule 11(a))."
            )
        elif target.sex == "male":
            msg = gettext(
                "Refused: %(institution)s is an institution for men. Men and women serve their"
                " sentences in separate institutions (Mandela Rule 11(a))."
            )
        else:
            msg = gettext(
                "Refused: %(institution)s does not hold people of this sex. Men and women serve"
                " their sentences in separate institutions (Mandela Rule 11(a))."
            )
        return msg % args
    if code == "transfer.minors_only":
        return (
            gettext(
                "Refused: the person is a minor and may be held only in an institution for minors;"
                " %(institution)s is not one (Mandela Rule 11(d))."
            )
            % args
        )
    if code == "transfer.adults_only":
        return (
            gettext(
                "Refused: %(institution)s is an institution for minors, and adults are not held there"
                " (Mandela Rule 11(d))."
            )
            % args
        )
    if code == "transfer.not_closer":
        return gettext(
            "Refused: %(institution)s is not closer to home. It is %(km_there)s km from the centre"
            " of %(region)s, and %(here)s, where the person is now, is %(km_now)s km. A request"
            " to serve closer to home must name a nearer institution (Mandela Rule 59; Code"
            " art. 88)."
        ) % {**args, **d, "region": region_name(d["home_region"])}
    if code == "transfer.home_unknown":
        return (
            gettext(
                "Refused: the personal file has no home region, so it cannot be said whether"
                " %(institution)s is closer to home (Mandela Rule 59). Record the home region first."
            )
            % args
        )
    if code == "transfer.consent_missing":
        return gettext(
            "Refused: a transfer for operational need requires the person's prior consent"
            " (Code art. 88 (3))."
        )
    return gettext("Refused by the rule %(rule)s.") % {"rule": refusal.ref.article}


def transfer_check(
    *, person: Person, target: Institution, ground: str, on: date, consent: bool | None = None
) -> None:
    """TransferRefusedError naming every rule that refuses moving `person` to `target` on `ground`.

    The same rules for a request (by the person, a relative or staff) and for a decision on one
    (`consent` is checked only when given: a decision).
    """
    here = person.institution
    refusals = transfer_refusals(
        selectors.transfer_profile(person, on=on),
        here=selectors.site_of(here) if here is not None else None,
        target=selectors.site_of(target),
        ground=ground,
        on=on,
        consent=consent,
        rules=selectors.rules(),
    )
    if refusals:
        raise TransferRefusedError(
            refusals[0].code.removeprefix("transfer."),
            " ".join(refusal_message(r, person=person, target=target) for r in refusals),
            refusals=refusals,
        )


def _already_open(person: Person) -> TransferRefusedError | None:
    """The refusal of a second open request of `person` (None when they have none open)."""
    r = Request.objects.filter(person_id=person.pk, status=OPEN).first()
    if r is None:
        return None
    return TransferRefusedError(
        "already_open",
        gettext(
            "Refused: request %(number)s of this person is still open. A person has one open"
            " request at a time; another can be filed once it is decided (queue rules, one"
            " open request per person)."
        )
        % {"number": r.number},
        request=r.number,
    )


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
    court = selectors.court_type(person)
    if court and type != court:
        raise TransferRefusedError(
            "wrong_type",
            gettext(
                "Refused: the court set the type “%(type)s”; a placement cannot choose another"
                " (only a court changes it, under art. 96 of the Penal Enforcement Code)."
            )
            % {"type": _type_words(court)},
        )
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
    proposed = Draft(
        actor=actor_of(officer), subject=person.pk, type=projection.PLACEMENT_PROPOSED,
        payload=payload,
    )  # fmt: skip
    entry = file_commit([proposed], projection.project)[0]
    return Placement.objects.get(pk=entry.seq)


def _placement_check(
    placement: Placement, *, person: Person, target: Institution, on: date
) -> None:
    """TransferRefusedError when the rules exclude `target` for the proposal's profile."""
    prof = placement.profile
    profile = Profile(
        id=person.pk,
        sex=str(prof.get("sex") or person.sex),
        home_region=str(prof.get("home_region") or person.home_region),
        type=str(prof.get("type") or selectors.court_type(person)),
        minor=bool(prof.get("minor")),
        medical=bool(prof.get("medical")),
    )
    refusals = placement_refusals(
        profile, selectors.site_of(target), on=on, rules=selectors.rules()
    )
    if refusals:
        raise TransferRefusedError(
            refusals[0].code.removeprefix("transfer."),
            " ".join(refusal_message(r, person=person, target=target) for r in refusals),
            refusals=refusals,
        )


def placement_decide(
    *,
    officer: Any,
    placement: Placement,
    institution: str,
    on: date,
    reason: str = "",
    capacity_override: bool = False,
) -> Move:
    """Place the person; against the proposal or into a full institution needs a reason.

    Such a departure is an override (ADR 0037): it is recorded with the reason and takes effect
    only when a second person with the authority confirms it (`placement_override_effect`);
    `OverridePendingError` says so and nothing else is written.
    """
    target = _institution(institution)
    person = Person.objects.select_related("institution").get(pk=placement.person_id)

    def plan() -> _Plan:  # under the proposal's and the institution's locks
        now = Placement.objects.select_for_update().get(pk=placement.pk)
        if now.decided_seq is not None:
            raise TransferRefusedError("not_open", "this proposal was already decided")
        _lock_institution(target)
        return _placement_plan(
            officer=officer.get_username(), actor=actor_of(officer), placement=now,
            person=person, target=target, on=on, reason=reason, capacity_override=capacity_override,
        )  # fmt: skip

    try:
        decided = _commit_planned(plan)
    except _DepartsError as departs:
        _request_override(
            officer, kind=PLACEMENT, person=person, target=target, plan=departs.plan, reason=reason,
            action={"placement": placement.seq, "institution": target.code, "on": on.isoformat(),
                    "capacity_override": capacity_override},
        )  # fmt: skip
    return Move.objects.get(pk=decided.decision)


def _lock_institution(target: Institution) -> None:
    """Hold the target's row until the decision commits: two decisions into one institution count
    its places one after the other (on SQLite the IMMEDIATE transaction holds the database)."""
    lock(Institution, target.pk)


class _DepartsError(Exception):
    """A decision that departs from a rule: nothing is written; the maker's override is asked."""

    def __init__(self, plan: _Plan) -> None:
        super().__init__(plan.departures)
        self.plan = plan


def _commit_planned(plan_of: Callable[[], _Plan]) -> _Plan:
    """Check and write a placement or transfer decision in one transaction, the checks under the
    locks `plan_of` takes (issue 14: two decisions at once, the second sees the first). A plan
    departing from a rule raises `_DepartsError` and writes nothing."""
    made: list[_Plan] = []

    def drafts() -> list[Draft]:
        plan = plan_of()
        if plan.departures:
            raise _DepartsError(plan)
        made.append(plan)
        return plan.drafts

    file_commit(drafts, projection.project)
    return made[0]


@dataclass(frozen=True, slots=True)
class _Plan:
    """A placement's or transfer's entries, and the rules it departs from (an override's)."""

    drafts: list[Draft]
    decision: str
    departures: list[str]
    grounds: dict[str, Any]


def _placement_plan(
    *,
    officer: str,
    actor: Actor,
    placement: Placement,
    person: Person,
    target: Institution,
    on: date,
    reason: str,
    capacity_override: bool,
    override: dict[str, Any] | None = None,
) -> _Plan:
    _placement_check(placement, person=person, target=target, on=on)
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
    decision = TransferDecision(
        id=f"TD-{uuid.uuid4().hex[:10]}",
        person=person.pk,
        on=on,
        to_institution=target.code,
        officer=officer,
        reason=reason,
        capacity_override=capacity_override and cap["over_capacity"],
        proposed=placement.proposed or None,
    )
    payload = {
        "on": on.isoformat(),
        "proposal_seq": placement.seq,
        "decision": decision.to_dict(),
        "against_proposal": against,
        **cap,
    }
    departures = (["against_proposal"] if against else []) + (
        ["over_capacity"] if cap["over_capacity"] else []
    )
    return _move_plan(
        actor, person, projection.PLACEMENT_DECIDED, payload, override=override, target=target,
        decision=decision.id, contact=family_contact(person), departures=departures,
        grounds={"proposed": placement.proposed, **cap}, on=on,
    )  # fmt: skip


def _move_plan(
    actor: Actor,
    person: Person,
    kind: str,
    payload: dict[str, Any],
    *,
    override: dict[str, Any] | None,
    target: Institution,
    decision: str,
    contact: str,
    departures: list[str],
    grounds: dict[str, Any],
    on: date,
) -> _Plan:
    """A placement or transfer granted: its decision's entry (`kind`, with the confirmed `override`
    where there is one), the person's move to `target`, the family told (through `contact`)."""
    if override is not None:
        payload["override"] = override
    return _Plan(
        drafts=[
            Draft(actor=actor, subject=person.pk, type=kind, payload=payload),
            _moved_fact(actor, person, on=on, institution=target.code),
            _family_informed(actor, person, on=on, decision=decision, contact=contact),
        ],
        decision=decision,
        departures=departures,
        grounds=grounds,
    )


def _request_override(
    officer: Any,
    *,
    kind: str,
    person: Person,
    target: Institution,
    plan: _Plan,
    reason: str,
    action: dict[str, Any],
) -> None:
    """Record the maker's override of a departure and raise OverridePendingError (ADR 0037)."""
    pending = override_request(
        maker=officer, kind=kind, person=person, institution=target.code,
        rules=plan.departures, grounds=plan.grounds, action=action, reason=reason,
    )  # fmt: skip
    raise OverridePendingError(pending)


def _departed(override: Override, plan: _Plan) -> None:
    """A confirmation refused when the situation now departs from more than the maker asked."""
    more = sorted(set(plan.departures) - set(override.rules))
    if more:
        raise TransferRefusedError(
            "override_changed",
            gettext(
                "Since the override was asked for, the decision also departs from: %(rules)s. "
                "It cannot be confirmed as asked; refuse it, and the decision can be asked again."
            )
            % {"rules": ", ".join(str(RULE_NAMES.get(r, r)) for r in more)},
        )


def placement_override_effect(override: Override, checker: Actor, on: date) -> Effect:
    """The placement a confirmed override makes (overrides.services.EFFECTS), checked again on the
    confirmation's day; the entries name both people (`override`)."""
    a = override.action
    placement = Placement.objects.select_for_update().get(pk=a["placement"])
    if placement.decided_seq is not None:
        raise TransferRefusedError("not_open", "this proposal was already decided")
    target = _institution(a["institution"])
    person = Person.objects.select_related("institution").get(pk=placement.person_id)
    plan = _placement_plan(
        officer=override.requested_by, actor=maker_of(override), placement=placement, person=person,
        target=target, on=on, reason=override.reason,
        capacity_override=bool(a.get("capacity_override")), override=stamp(override, checker),
    )  # fmt: skip
    _departed(override, plan)
    return Effect(drafts=plan.drafts, projectors=[projection.project], produced=plan.decision)


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
    """File a request; returns it and the one-time code for the status page ("" without).

    Refused (TransferRefusedError, nothing written) when the rules exclude the move
    (`transfer_check`) or the person has a request open already (one at a time: checked in the
    write's transaction and guaranteed by the read model's unique constraint, so of two filings at
    once one is filed and the other refused).
    """
    institution = _institution(target)
    transfer_check(person=person, target=institution, ground=ground, on=on)
    code = one_time_code() if with_code else ""
    for _attempt in range(5):  # two filings at once may pick the same number: the second retries
        try:
            with transaction.atomic(durable=True):
                refused = _already_open(person)
                if refused is not None:
                    raise refused
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
                check_request(request, rules=selectors.rules())  # the family circumstances
                payload = {
                    "on": on.isoformat(),
                    "request": request.to_dict(),
                    "contact": contact.strip(),
                    "code_hash": code_hash(code) if code else "",
                }
                requested = Draft(
                    actor=actor, subject=person.pk, type=projection.TRANSFER_REQUESTED,
                    payload=payload,
                )  # fmt: skip
                file_append([requested], projection.project)
            return Request.objects.get(pk=number), code
        except IntegrityError:
            refused = _already_open(person)  # the other filing for this person committed first
            if refused is not None:
                raise refused from None
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
    return rel.name if rel else ""


def _family_informed(
    actor: Actor, person: Person, *, on: date, decision: str, contact: str
) -> Draft:
    """Mandela Rule 68: the family is told of the move, through the contact recorded."""
    return Draft(
        actor=actor,
        subject=person.pk,
        type=projection.FAMILY_INFORMED,
        payload={
            "on": on.isoformat(),
            "decision": decision,
            "contact": contact,
            "channel": "recorded contact" if contact else "none recorded",
        },
    )


def transfer_decide(
    *,
    officer: Any,
    request: Request,
    grant: bool,
    on: date,
    reason: str = "",
    capacity_override: bool = False,
) -> Request:
    """Grant or refuse a request. Out of queue order, over capacity or a refusal need a reason.

    A grant out of queue order or into a full institution is an override (ADR 0037): recorded
    with the reason, in effect only when a second person with the authority confirms it
    (`transfer_override_effect`); `OverridePendingError` says so and nothing else is written.
    """
    person = Person.objects.select_related("institution").get(pk=request.person_id)
    target = _institution(request.target)

    def plan() -> _Plan:  # under the request's and the institution's locks
        now = Request.objects.select_for_update().get(pk=request.pk)
        if now.status != OPEN:
            raise TransferRefusedError("not_open", f"request {now.number} is {now.status}")
        _lock_institution(target)
        return _transfer_plan(
            officer=officer.get_username(), actor=actor_of(officer), request=now, person=person,
            grant=grant, on=on, reason=reason, capacity_override=capacity_override,
        )  # fmt: skip

    try:
        _commit_planned(plan)
    except _DepartsError as departs:
        _request_override(
            officer, kind=TRANSFER, person=person, target=target, plan=departs.plan,
            reason=reason,
            action={"request": request.number, "on": on.isoformat(),
                    "capacity_override": capacity_override},
        )  # fmt: skip
    request.refresh_from_db()
    return request


def _transfer_plan(
    *,
    officer: str,
    actor: Actor,
    request: Request,
    person: Person,
    grant: bool,
    on: date,
    reason: str,
    capacity_override: bool,
    override: dict[str, Any] | None = None,
) -> _Plan:
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
    payload: dict[str, Any] = {"on": on.isoformat(), "request": request.number, "reason": reason}
    if not grant:
        if not reason:
            raise TransferRefusedError("reason_required", "a refusal needs a written reason")
        payload |= {"outcome": REFUSED, "decision": None, "queue": {**queue_info, "skipped": []}}
        return _Plan(
            drafts=[Draft(actor=actor, subject=person.pk, type=projection.TRANSFER_DECIDED,
                          payload=payload)],
            decision="", departures=[], grounds={},
        )  # fmt: skip
    if skipped and not reason:
        raise TransferRefusedError(
            "reason_required",
            f"{len(skipped)} request(s) are ahead in the queue ({', '.join(skipped)}):"
            " deciding out of order needs a written reason",
            skipped=skipped,
        )
    target = _institution(request.target)
    # the rules again, on the day of the decision: the person may have moved since filing
    transfer_check(
        person=person, target=target, ground=request.ground, on=on, consent=request.consent
    )
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
        officer=officer,
        reason=reason,
        capacity_override=capacity_override and cap["over_capacity"],
    )
    payload |= {
        "outcome": GRANTED,
        "decision": decision.to_dict(),
        "queue": {**queue_info, "skipped": skipped},
        **cap,
    }
    departures = (["queue_order"] if skipped else []) + (
        ["over_capacity"] if cap["over_capacity"] else []
    )
    return _move_plan(
        actor, person, projection.TRANSFER_DECIDED, payload, override=override, target=target,
        decision=decision.id, contact=family_contact(person, request), departures=departures,
        grounds={"queue": {**queue_info, "skipped": skipped}, **cap}, on=on,
    )  # fmt: skip


def transfer_override_effect(override: Override, checker: Actor, on: date) -> Effect:
    """The transfer a confirmed override grants (overrides.services.EFFECTS): the request must still
    be open, and the queue and capacity are read again on the confirmation's day."""
    a = override.action
    request = Request.objects.select_for_update().get(pk=a["request"])
    if request.status != OPEN:
        raise TransferRefusedError("not_open", f"request {request.number} is {request.status}")
    person = Person.objects.select_related("institution").get(pk=request.person_id)
    plan = _transfer_plan(
        officer=override.requested_by, actor=maker_of(override), request=request, person=person, grant=True,
        on=on, reason=override.reason, capacity_override=bool(a.get("capacity_override")),
        override=stamp(override, checker),
    )  # fmt: skip
    _departed(override, plan)
    return Effect(drafts=plan.drafts, projectors=[projection.project], produced=plan.decision)
