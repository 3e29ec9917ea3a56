"""Every route x every role x in scope / out of scope, against the table of expected answers.

The routes come from the URL configuration (`adaldyq.web.urls`, the API's included); a route without a
row in `MATRIX` fails `test_every_route_has_a_row`. Each cell is one request by a user of that role,
signed in afresh, inside a transaction rolled back afterwards, so that no cell changes what the next
one sees. An answer is "deny" when the server refuses (403, 401, 404, or the sign-in page with the
page asked for as `next`, for an anonymous visitor) and "allow" otherwise; a 5xx fails the cell whatever the table says.

Beside the table, every allowed answer to a role whose scope excludes the out-of-scope people must not
name them (their surname and file number are unique words in the world): a list that answers 200 but
shows someone outside the reader's scope is an unexpected allow too.

The scope (ADR 0005): staff work in M-ALM (Almaty), the regional department is Almaty's; "in" is a
person placed in M-ALM (the prisoner's own file) or awaiting placement from Almaty, "out" is one in
M-AKM (Akmola) or awaiting placement from Akmola.
"""

from __future__ import annotations

import hashlib
import string
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from adaldyq.ledger.checkpoint import Checkpoint, split_note
from adaldyq.ledger.tiles import tile_path
from adaldyq.web.accounts.roles import Role
from adaldyq.web.emonitoring import services as emonitoring
from adaldyq.web.overrides.services import OverridePendingError
from adaldyq.web.portal.services import publication_publish
from adaldyq.web.programme import services as programme_services
from adaldyq.web.records import services as records
from adaldyq.web.records.amendments import amendment_propose
from adaldyq.web.records.checkpoints import sign_guarded
from adaldyq.web.records.models import Fact, Person
from tests.web.fixtures import (
    booked_by_staff,
    person_payload,
    qualifying_person,
    relative_approved,
    room_defined,
)
from tests.web.transfers.conftest import small_register

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", *(role.value for role in Role))
#: ok: allowed in and out of scope; in: allowed in scope only; no: denied. A route without a scope
#: (a form, a list the scope filters, a public page) has only "ok" or "no" and one cell per role.
OK, IN, NO = "ok", "in", "no"
ALL = (OK,) * 12
SIGNED_IN = (NO,) + (OK,) * 11
STAFF = (NO,) + (OK,) * 8 + (NO, NO, NO)
#: The law-pack administration's pages: the legal department only (ADR 0026).
LAW_ADMIN = (NO,) * 10 + (OK, NO)

#: (route, method) -> (scoped, answers in the order of ROLES); "GET:what" is a second kind of GET
#: request on one route (a hash tile and an entry bundle are both `tlog-tile`).
# fmt: off
MATRIX: dict[tuple[str, str], tuple[bool, tuple[str, ...]]] = {
    #                                          scoped  anonro  headreg com pro ac  omb pc  pris
    ("home", "GET"):                           (False, SIGNED_IN),
    ("favicon.ico", "GET"):                    (False, ALL),
    ("set_language", "POST"):                  (False, ALL),
    ("accounts:login", "GET"):                 (False, ALL),
    ("accounts:logout", "POST"):               (False, ALL),
    ("accounts:code", "GET"):                  (False, SIGNED_IN),  # signed in already: sent on
    # the prisoner's kiosk enrols no authenticator
    ("accounts:enrol", "GET"):                 (False, (NO, OK, OK, OK, OK, OK, OK, OK, OK, NO, OK, OK)),
    # API tokens (ADR 0041): every role but the prisoner's kiosk, each its own tokens
    ("accounts:tokens", "GET"):                (False, (NO, OK, OK, OK, OK, OK, OK, OK, OK, NO, OK, OK)),
    ("accounts:tokens", "POST"):               (False, (NO, OK, OK, OK, OK, OK, OK, OK, OK, NO, OK, OK)),
    ("institutions:list", "GET"):              (False, SIGNED_IN),
    ("records:search", "GET"):                 (False, SIGNED_IN),  # the prisoner: sent home
    ("records:admit", "GET"):                  (False, (NO, OK, OK, OK, OK, NO, NO, NO, NO, NO, NO, NO)),
    ("records:file", "GET"):                   (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, IN, NO, NO)),
    ("records:record", "POST"):                (True, (NO, IN, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("records:correct", "GET"):                (True, (NO, IN, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("records:note", "POST"):                  (True, (NO, NO, NO, NO, NO, OK, OK, OK, OK, NO, NO, NO)),
    ("ledger", "GET"):                         (False, (*STAFF[:-2], OK, OK)),  # its size and checkpoint
    ("ledger", "POST"):                        (False, (NO, NO, NO, NO, NO, OK, OK, OK, OK, NO, NO, NO)),
    ("ledger-entry", "GET"):                   (True, (NO, NO, NO, IN, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("tlog-checkpoint", "GET"):                (False, ALL),
    ("tlog-tile", "GET"):                      (False, ALL),  # a hash tile
    ("tlog-tile", "GET:entries"):              (False, (NO, NO, NO, NO, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("decisions:sessions", "GET"):             (False, SIGNED_IN),  # the prisoner: to their own
    ("decisions:open", "POST"):                (False, (NO, OK, OK, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("decisions:session", "GET"):              (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("decisions:item_add", "POST"):            (True, (NO, IN, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("decisions:decide", "POST"):              (True, (NO, IN, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("decisions:decision", "GET"):             (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, IN, NO, NO)),
    ("decisions:confirm", "POST"):             (True, (NO, NO, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("decisions:document", "GET"):             (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, IN, NO, NO)),
    ("decisions:case", "GET"):                 (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, IN, NO, NO)),
    ("decisions:awaiting", "GET"):             (False, (NO, NO, OK, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("decisions:mine", "GET"):                 (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, OK, NO, NO)),
    ("decisions:register", "GET"):             (False, (NO, NO, NO, OK, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("verify-form", "GET"):                    (False, ALL),
    ("verify", "GET"):                         (False, ALL),
    ("visits:board", "GET"):                   (True, (NO, OK, OK, IN, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("visits:room", "POST"):                   (False, (NO, OK, OK, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("visits:closure", "POST"):                (False, (NO, OK, OK, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("visits:person", "GET"):                  (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, IN, NO, NO)),
    ("visits:visitor_register", "POST"):       (True, (NO, IN, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("visits:visitor_decide", "POST"):         (True, (NO, IN, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("visits:book", "POST"):                   (True, (NO, IN, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("visits:whereabouts", "POST"):            (True, (NO, IN, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("visits:booking_action", "POST"):         (True, (NO, IN, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("programme:register", "GET"):             (False, STAFF),
    ("portal:index", "GET"):                   (False, ALL),  # the public figures (ADR 0030)
    ("portal:table", "GET"):                   (False, ALL),
    ("portal:catalog", "GET"):                 (False, ALL),
    ("portal:figures", "GET"):                 (False, ALL),
    ("portal:figures-at", "GET"):              (False, ALL),
    ("portal:csv", "GET"):                     (False, ALL),
    ("portal:schema", "GET"):                  (False, ALL),
    ("release:due", "GET"):                    (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("release:person", "GET"):                 (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("release:submit", "POST"):                (True, (NO, IN, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("release:decide", "POST"):                (True, (NO, IN, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("release:release", "POST"):               (True, (NO, IN, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("release:submission", "GET"):             (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("probation:register", "GET"):             (False, (NO, NO, NO, NO, OK, OK, OK, OK, OK, NO, NO, OK)),
    ("probation:report", "GET"):               (False, (NO, NO, NO, NO, OK, OK, OK, OK, OK, NO, NO, OK)),
    ("probation:person", "GET"):               (True, (NO, NO, NO, NO, OK, OK, OK, OK, OK, NO, NO, IN)),
    ("probation:record", "POST"):              (True, (NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, IN)),
    # electronic monitoring (ADR 0043): the probation file's readers and writers
    ("emonitoring:violations", "GET"):         (False, (NO, NO, NO, NO, OK, OK, OK, OK, OK, NO, NO, OK)),
    ("emonitoring:person", "GET"):             (True, (NO, NO, NO, NO, OK, OK, OK, OK, OK, NO, NO, IN)),
    ("emonitoring:zone", "POST"):              (True, (NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, IN)),
    ("emonitoring:feed", "POST"):              (True, (NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, IN)),
    ("emonitoring:revoke", "POST"):            (True, (NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, IN)),
    ("programme:plan", "GET"):                 (False, (NO, NO, NO, NO, NO, NO, OK, NO, NO, NO, NO, NO)),
    ("programme:plan", "POST"):                (False, (NO, NO, NO, NO, NO, NO, OK, NO, NO, NO, NO, NO)),
    ("programme:stations", "GET"):             (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("programme:stations", "POST"):            (True, (NO, NO, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("programme:figures", "GET"):              (False, STAFF),
    ("programme:export", "GET"):               (False, STAFF),
    ("programme:officials", "GET"):            (False, STAFF),
    ("programme:officials_import", "POST"):    (False, (NO, NO, NO, NO, NO, NO, OK, NO, NO, NO, NO, NO)),
    ("programme:visit", "GET"):                (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("programme:decide", "POST"):              (True, (NO, NO, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("programme:attend", "POST"):              (True, (NO, NO, NO, NO, NO, NO, OK, NO, NO, NO, NO, NO)),
    ("programme:answer", "POST"):              (True, (NO, NO, NO, NO, NO, NO, OK, NO, NO, NO, NO, NO)),
    ("programme:monitoring", "GET"):           (False, STAFF),
    ("programme:monitoring_record", "POST"):   (False, (NO, NO, NO, NO, NO, NO, NO, NO, OK, NO, NO, NO)),
    ("programme:monitoring_visit", "GET"):     (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("programme:monitoring_document", "GET"):  (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("programme:monitoring_assign", "POST"):   (True, (NO, NO, NO, NO, NO, NO, NO, NO, OK, NO, NO, NO)),
    ("programme:monitoring_answer", "POST"):   (True, (NO, NO, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("visit:start", "GET"):                    (False, ALL),
    ("visit:book", "GET"):                     (False, ALL),
    ("visit:manage", "GET"):                   (False, ALL),
    ("transfers:index", "GET"):                (False, STAFF),
    ("transfers:awaiting", "GET"):             (False, STAFF),
    ("transfers:propose", "GET"):              (True, (NO, NO, NO, IN, OK, NO, NO, NO, NO, NO, NO, NO)),
    ("transfers:placement", "GET"):            (True, (NO, NO, NO, IN, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("transfers:placement", "POST"):           (True, (NO, NO, NO, IN, OK, NO, NO, NO, NO, NO, NO, NO)),
    ("transfers:request", "GET"):              (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("transfers:request", "POST"):             (True, (NO, NO, NO, IN, OK, NO, NO, NO, NO, NO, NO, NO)),
    ("transfers:person", "GET"):               (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, IN, NO, NO)),
    ("transfers:person", "POST"):              (True, (NO, NO, NO, IN, OK, NO, NO, NO, NO, IN, NO, NO)),
    ("transfers:capacity", "GET"):             (False, STAFF),
    ("transfers:art96", "GET"):                (False, STAFF),
    ("transfers:simulator", "GET"):            (False, (NO, NO, NO, OK, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("transfers:flags", "GET"):                (False, (NO, NO, NO, OK, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("transfer:start", "GET"):                 (False, ALL),
    ("transfer:status", "GET"):                (False, ALL),
    ("api:openapi-json", "GET"):               (False, SIGNED_IN),
    ("api:openapi-view", "GET"):               (False, SIGNED_IN),
    ("api:api-root", "GET"):                   (False, (NO,) * 12),  # no operation at the root
    ("api:people", "GET"):                     (False, SIGNED_IN),
    ("api:person_file", "GET"):                (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, IN, NO, NO)),
    ("api:record_fact", "POST"):               (True, (NO, IN, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("api:correct_fact", "POST"):              (True, (NO, IN, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("api:write_note", "POST"):                (True, (NO, NO, NO, NO, NO, OK, OK, OK, OK, NO, NO, NO)),
    # the REST API of every area (issue 21, ADR 0041): each row as its page's
    ("api:visit_bookings", "GET"):             (True, (NO, OK, OK, IN, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("api:person_visits", "GET"):              (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, IN, NO, NO)),
    ("api:visitor_register", "POST"):          (True, (NO, IN, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("api:visitor_decide", "POST"):            (True, (NO, IN, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("api:visit_book", "POST"):                (True, (NO, IN, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("api:booking_action", "POST"):            (True, (NO, IN, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("api:commission_sessions", "GET"):        (False, SIGNED_IN),  # the prisoner: an empty list
    ("api:commission_open", "POST"):           (False, (NO, OK, OK, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("api:commission_session", "GET"):         (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("api:commission_item_add", "POST"):       (True, (NO, IN, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("api:commission_decide", "POST"):         (True, (NO, IN, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("api:commission_decision", "GET"):        (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, IN, NO, NO)),
    ("api:commission_confirm", "POST"):        (True, (NO, NO, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("api:commission_awaiting", "GET"):        (False, (NO, NO, OK, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("api:commission_receipt", "GET"):         (False, SIGNED_IN),  # the check, not the file
    ("api:register_flags", "GET"):             (False, (NO, NO, NO, OK, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("api:placements_awaiting", "GET"):        (False, STAFF),
    ("api:placement_propose", "POST"):         (True, (NO, NO, NO, IN, OK, NO, NO, NO, NO, NO, NO, NO)),
    ("api:placement", "GET"):                  (True, (NO, NO, NO, IN, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("api:placement_decide", "POST"):          (True, (NO, NO, NO, IN, OK, NO, NO, NO, NO, NO, NO, NO)),
    ("api:transfer_queues", "GET"):            (False, STAFF),
    ("api:transfer_request", "GET"):           (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("api:transfer_decide", "POST"):           (True, (NO, NO, NO, IN, OK, NO, NO, NO, NO, NO, NO, NO)),
    ("api:person_transfers", "GET"):           (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, IN, NO, NO)),
    ("api:transfer_request_file", "POST"):     (True, (NO, NO, NO, IN, OK, NO, NO, NO, NO, IN, NO, NO)),
    ("api:statistics", "GET"):                 (False, (NO, NO, NO, OK, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("api:placement_flags", "GET"):            (False, (NO, NO, NO, OK, OK, OK, OK, OK, OK, NO, NO, NO)),
    # the head's confirmation of entries proposed (issue 15): the list is the head's scope
    ("records:confirmations", "GET"):          (False, (NO, NO, OK, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("records:confirmations", "POST"):         (False, (NO, NO, OK, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("api:proposals", "GET"):                  (False, (NO, NO, OK, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("api:decide_proposal", "POST"):           (False, (NO, NO, OK, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    # a device feed's events (ADR 0043): its own token, never a person's session
    ("api:monitoring_events", "POST"):         (False, (NO,) * 12),
    ("lawadmin:amendments", "GET"):            (False, LAW_ADMIN),
    ("lawadmin:amendments", "POST"):           (False, LAW_ADMIN),
    ("lawadmin:amendment", "GET"):             (False, LAW_ADMIN),
    ("lawadmin:amendment", "POST"):            (False, LAW_ADMIN),
    ("dashboards:index", "GET"):               (False, (NO, NO, NO, OK, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("dashboards:items", "GET"):               (False, (NO, NO, NO, OK, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("dashboards:health", "GET"):              (False, (NO, NO, NO, OK, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("dashboards:export", "GET"):              (False, (NO, NO, NO, OK, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("dashboards:report", "GET"):              (True, (NO, NO, NO, IN, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("paper:index", "GET"):                    (False, STAFF),
    ("paper:index", "POST"):                   (False, (NO, OK, OK, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("paper:template", "GET"):                 (False, STAFF),
    ("paper:page", "GET"):                     (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("paper:page", "POST"):                    (True, (NO, NO, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("paper:scan", "GET"):                     (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("paper:findings", "GET"):                 (False, (NO, NO, OK, OK, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("paper:progress", "GET"):                 (False, (NO, OK, OK, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("overrides:list", "GET"):                 (False, STAFF),
    ("overrides:override", "GET"):             (True, (NO, IN, IN, IN, OK, OK, OK, OK, OK, NO, NO, NO)),
    ("overrides:override", "POST"):            (True, (NO, NO, IN, IN, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("work:list", "GET"):                      (True, (NO, IN, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("work:list", "POST"):                     (True, (NO, IN, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("work:places", "POST"):                   (True, (NO, IN, IN, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("work:import", "POST"):                   (False, (NO, OK, OK, NO, NO, NO, NO, NO, NO, NO, NO, NO)),
    ("work:report", "GET"):                    (False, STAFF),  # each within the institutions seen
}
# fmt: on


def _routes(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace or "") if x)
            yield from _routes(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield name or prefix + str(p.pattern)


def test_every_route_has_a_row() -> None:
    routes = set(_routes(get_resolver().url_patterns))
    rows = {route for route, _method in MATRIX}

    assert routes - rows == set(), "a route without a row in the permission matrix"
    assert rows - routes == set(), "a row for a route that no longer exists"


# ---- the world ------------------------------------------------------------------------------------


@dataclass
class Side:
    """The objects of one side of the scope: a person and what hangs on their file."""

    person: Any
    fact: int
    visitor: int
    booking: str
    request: str
    awaiting: Any
    placement: int
    session: str
    item: int
    decision: int
    code: str
    entry: int
    institution: str
    #: A submission to the court (issue 19): its `court_submitted` fact.
    submission: int = 0
    #: A visit override awaiting the head or the region (ADR 0037).
    override: int = 0
    #: A person released on parole from the side's institution: their probation file.
    probationer: str = ""
    #: The probationer's device feed (electronic monitoring).
    feed: str = ""
    #: The side's institution's programme visit, public monitoring visit and its document's name.
    programme: int = 0
    monitoring: int = 0
    document: str = ""
    #: A paper file's page read twice (issue 23) and its scan's name.
    paper_page: int = 0
    scan: str = ""


def _members() -> list[dict[str, Any]]:
    return [
        {"name": "Staff One", "group": "staff", "present": True},
        {"name": "Akimat Two", "group": "local_executive", "present": True},
        {"name": "Public Three", "group": "public", "present": True},
    ]


def _side(key: str, code: str, region: str, users: dict[str, Any], today: Any) -> Side:
    from adaldyq.web.decisions import services as decisions
    from adaldyq.web.transfers import services as transfers

    officer = users[f"officer-{key}"]
    surname = {"in": "Ішкеров", "out": "Сыртқаров"}[key]
    number = f"{key.upper()}-0001"
    person = qualifying_person(
        officer, today, number, institution=code, home_region="karaganda", surname=surname
    )
    fact = Fact.objects.get(person=person, kind="incentive")
    visitor = relative_approved(
        officer=officer, person=person, name=f"{surname}а Айгүл", document=f"N 012345{len(key)}",
        on=today - timedelta(days=60), approved_on=today - timedelta(days=59), by=f"approver-{key}",
    )  # fmt: skip
    room = room_defined(officer=officer, institution=code, starts=["09:00"], book_max_days=60)
    day = today + timedelta(days=7)
    booking, _code = booked_by_staff(
        officer, person, room, day, visitor.visitor, override_reason="the matrix's booking",
        today=today,
    )  # fmt: skip
    try:  # a second visit on the same day: one officer asks, the head or the region confirms
        booked_by_staff(
            officer, person, room, day, visitor.visitor, override_reason="the matrix's override",
            today=today,
        )  # fmt: skip
    except OverridePendingError as pending:
        override = pending.override.seq
    # the "out" person asks for the "in" institution: its queue, read by the "in" staff, holds them
    target, ground = ("M-KAR", "closer_to_home") if key == "in" else ("M-ALM", "safety")
    request, _code = transfers.transfer_request_file(
        actor=transfers.public_actor(f"N{key}"), person=person, target=target, ground=ground,
        on=today,
    )  # fmt: skip
    awaiting_payload = person_payload(
        f"{key.upper()}-0002", home_region=region, surname=f"{surname}ов", institution=""
    )
    awaiting_payload.pop("institution")
    awaiting = records.person_admit(officer=users["committee"], person=awaiting_payload)
    placement = transfers.placement_propose(
        officer=users["committee"], person=awaiting, type="medium", on=today
    )
    session = decisions.session_open(officer=officer, on=today, members=_members())
    item = session.items.filter(person=person, question="degree").first()  # the engine's
    if item is None:
        item = decisions.agenda_item_add(
            officer=officer, session=session, person=person, question="degree", reason="by hand"
        )
    decision = decisions.decision_record(
        officer=officer, item=item, outcome="refuse",
        votes={m["id"]: "for" for m in session.present},
        reason_code="facts_disputed", reason="the matrix's decision",
    )  # fmt: skip
    submission = records.fact_record(
        officer=officer, person=person,
        fact={"type": "court_submitted", "on": today.isoformat(), "ground": "parole"},
    )  # fmt: skip
    released = records.person_admit(
        officer=officer,
        person=person_payload(f"{key.upper()}-0003", institution=code, home_region=region,
                              surname=f"{surname}қызы"),
    )  # fmt: skip
    records.fact_record(
        officer=officer, person=released,
        fact={"type": "released", "on": today.isoformat(), "ground": "parole"},
    )  # fmt: skip
    feed, _token = emonitoring.feed_create(officer=officer, person=released, device=f"BR-{key}")
    return Side(
        probationer=released.pk, feed=feed.pk,
        submission=submission.seq, person=person, fact=fact.seq, visitor=visitor.seq, booking=booking.pk,
        request=request.number, awaiting=awaiting, placement=placement.seq, session=session.pk,
        item=item.seq, decision=decision.seq, code=decision.code, entry=fact.seq,
        institution=code, override=override,
    )  # fmt: skip


@pytest.fixture
def world(make_user: Any, demo_law: None) -> dict[str, Any]:
    insts = small_register()
    today = timezone.localdate()
    users: dict[str, Any] = {
        "records_officer": make_user("officer", "records_officer", institution=insts["M-ALM"]),
        "head": make_user("head", "head", institution=insts["M-ALM"]),
        "regional": make_user("regional", "regional", region=insts["M-ALM"].region),
        "committee": make_user("committee", "committee"),
        **{role: make_user(role, role) for role in ROLES[5:9]},
        "officer-out": make_user("officer-akm", "records_officer", institution=insts["M-AKM"]),
    }
    users["officer-in"] = users["records_officer"]
    sides = {
        "in": _side("in", "M-ALM", "almaty", users, today),
        "out": _side("out", "M-AKM", "akmola", users, today),
    }
    users["prisoner"] = make_user("prisoner", "prisoner", person_id=sides["in"].person.pk)
    users["law_admin"] = make_user("law_admin", "law_admin")
    users["probation_officer"] = make_user(
        "probation_officer", "probation_officer", region=insts["M-ALM"].region
    )
    amendment = amendment_propose(
        user=make_user("law_admin2", "law_admin"),
        payload={
            "figure": "entitlements.mixed.regular.parcels_per_year", "value": 4,
            "valid_from": "2025-01-01", "article": "PEC art. 134", "edition": "test edition",
            "confidence": "L", "reason": "the matrix's proposal",
        },
        document=b"the amending law",
    )  # fmt: skip
    for code in ("M-ALM", "M-AKM"):
        programme_services.stations_list(
            officer=users["anticorruption"], host=code, stations=["reception", "cells"]
        )
    programme = {
        code: programme_services.visit_plan(
            officer=users["anticorruption"], host=code, day=today + timedelta(days=20),
            route=["reception", "cells"], capacity=5,
        ).id
        for code in ("M-ALM", "M-AKM")
    }  # fmt: skip
    monitoring = {
        code: programme_services.monitoring_record(
            member=users["public_council"], institution=code, day=today, council="Council",
            members=["Демоева Айгуль"], on=today,
            observations=[("cells", "Damp.", [programme_services.Upload("a.png", "image/png",
                                                                        code.encode())])],
        ).id
        for code in ("M-ALM", "M-AKM")
    }  # fmt: skip
    paper = {  # a page of each side read twice, differently: awaiting the head (issue 23)
        code: _paper_page(code, first, second)
        for code, first, second in (
            ("M-ALM", users["officer-in"], make_user("officer-alm2", "records_officer",
                                                     institution=insts["M-ALM"])),
            ("M-AKM", users["officer-out"], make_user("officer-akm2", "records_officer",
                                                      institution=insts["M-AKM"])),
        )
    }  # fmt: skip
    for side in sides.values():
        code = side.institution
        side.programme, side.monitoring = programme[code], monitoring[code]
        side.document = hashlib.sha256(code.encode()).hexdigest()
        side.paper_page, side.scan = paper[code]
    note = sign_guarded(Path(settings.DATA_DIR))  # the tiles serve the signed tree only
    signed = Checkpoint.parse(split_note(note)[0]).size
    publication_publish()  # the portal's figures at that checkpoint
    return {
        "users": users, "sides": sides, "insts": insts, "signed": signed, "amendment": amendment,
        "tile": tile_path(0, 0, signed), "entries_tile": tile_path("entries", 0, signed),
    }  # fmt: skip


def _paper_page(code: str, first: Any, second: Any) -> tuple[int, str]:
    """A paper file's page read by `first`, then differently by `second`: (page id, scan hex)."""
    from adaldyq.web.paper import services as paper
    from adaldyq.web.paper.models import PaperPage

    scan = paper.Upload("p1.jpg", "image/jpeg", f"scan of {code}".encode())
    head = "number,paper_file,page,scan,kind,on,detail,surname,given_name,sex,born,sentence_start,sentence_years"
    rows = [f"P-{code},A-1,1,p1.jpg,admission,2024-01-10,,Қағазов,Ерлан,male,1980-01-01,2024-01-01,9",
            f"P-{code},A-1,2,p1.jpg,incentive,2024-05-01,gratitude,,,,,,"]  # fmt: skip
    for user, lines in ((first, rows), (second, [rows[1].replace("05-01", "05-02")])):
        paper.paper_import(
            actor=records.actor_of(user), name="t.csv", content="\n".join([head, *lines]).encode(),
            scans=[scan], institution=code,
        )  # fmt: skip
    page = PaperPage.objects.get(paper_file="A-1", page=2, person_id__in=Person.objects.filter(
        number=f"P-{code}").values("pk"))  # fmt: skip
    return page.pk, hashlib.sha256(scan.content).hexdigest()


# ---- one request per cell -------------------------------------------------------------------------


#: The data several requests send: the side's institution; a grant, a placement somewhere unknown,
#: a date that is none and a cancellation, each without the reason they need.
IN_SCOPE = {"institution": "{s.institution}"}
GRANT = {"outcome": "grant", "reason": ""}
NOWHERE = {"institution": "NOWHERE", "reason": ""}
NOT_A_DATE = {"on": "not a date"}
NO_REASON = {"reason": ""}
#: (route, method) -> the request's path, and its data where it has any: templates that `_request`
#: fills with `s`, one side of the scope (the "in" side for a route without a scope), and `w`, the world.
REQUESTS: dict[tuple[str, str], str | tuple[str, dict[str, str]]] = {
    ("home", "GET"): "/",
    ("favicon.ico", "GET"): "/favicon.ico",
    ("set_language", "POST"): ("/i18n/setlang/", {"language": "ru"}),
    ("accounts:login", "GET"): "/accounts/login/",
    ("accounts:logout", "POST"): "/accounts/logout/",
    ("accounts:code", "GET"): "/accounts/code/",
    ("accounts:enrol", "GET"): "/accounts/enrol/",
    ("accounts:tokens", "GET"): "/accounts/tokens/",
    ("accounts:tokens", "POST"): ("/accounts/tokens/", {"action": "revoke"}),
    ("institutions:list", "GET"): "/institutions/",
    ("records:search", "GET"): ("/people/", {"q": ""}),
    ("records:admit", "GET"): "/people/admit/",
    ("records:file", "GET"): "/people/{s.person.pk}/",
    ("records:record", "POST"): "/people/{s.person.pk}/record/incentive/",
    ("records:correct", "GET"): "/people/{s.person.pk}/entries/{s.fact}/correct/",
    ("records:note", "POST"): ("/people/{s.person.pk}/notes/", {"text": ""}),
    ("ledger", "GET"): "/ledger/",
    ("ledger", "POST"): "/ledger/",
    ("ledger-entry", "GET"): "/ledger/entries/{s.entry}/",
    ("tlog-checkpoint", "GET"): "/ledger/checkpoint",
    ("tlog-tile", "GET"): "/ledger/{w[tile]}",
    ("tlog-tile", "GET:entries"): "/ledger/{w[entries_tile]}",
    ("decisions:sessions", "GET"): "/commission/",
    ("decisions:open", "POST"): ("/commission/open/", NOT_A_DATE),
    ("decisions:session", "GET"): "/commission/sessions/{s.session}/",
    ("decisions:item_add", "POST"): "/commission/sessions/{s.session}/items/",
    ("decisions:decide", "POST"): "/commission/items/{s.item}/decide/",
    ("decisions:decision", "GET"): "/commission/decisions/{s.decision}/",
    ("decisions:confirm", "POST"): "/commission/decisions/{s.decision}/confirm/",
    ("decisions:document", "GET"): "/commission/decisions/{s.decision}/document.pdf",
    ("decisions:case", "GET"): "/commission/decisions/{s.decision}/case.json",
    ("decisions:awaiting", "GET"): "/commission/awaiting/",
    ("decisions:mine", "GET"): ("/commission/mine/", {"person": "{s.person.pk}"}),
    ("decisions:register", "GET"): "/commission/register/",
    ("verify-form", "GET"): "/verify/",
    ("verify", "GET"): "/verify/{s.code}",
    ("visits:board", "GET"): ("/visits/", IN_SCOPE),
    ("visits:room", "POST"): "/visits/rooms/",
    ("programme:register", "GET"): "/programme/",
    ("portal:index", "GET"): "/figures/",
    ("portal:table", "GET"): "/figures/population_by_type_and_sex/",
    ("portal:catalog", "GET"): "/open-data/catalog.json",
    ("portal:figures", "GET"): "/open-data/figures.json",
    ("portal:figures-at", "GET"): "/open-data/{w[signed]}/figures.json",
    ("portal:csv", "GET"): "/open-data/{w[signed]}/degrees_by_type.csv",
    ("portal:schema", "GET"): "/open-data/{w[signed]}/degrees_by_type.schema.json",
    ("release:due", "GET"): ("/parole/due/", IN_SCOPE),
    ("release:person", "GET"): "/parole/people/{s.person.pk}/",
    ("release:submit", "POST"): "/parole/people/{s.person.pk}/submit/",
    ("release:decide", "POST"): "/parole/people/{s.person.pk}/decide/",
    ("release:release", "POST"): "/parole/people/{s.person.pk}/release/",
    ("probation:register", "GET"): "/probation/",
    ("work:list", "GET"): ("/work/list/", IN_SCOPE),
    ("work:list", "POST"): ("/work/list/", IN_SCOPE),
    ("work:places", "POST"): ("/work/places/", IN_SCOPE),
    ("work:import", "POST"): "/work/import/",
    ("work:report", "GET"): "/work/report/",
    ("probation:report", "GET"): "/probation/report/",
    ("probation:person", "GET"): "/probation/people/{s.probationer}/",
    ("probation:record", "POST"): "/probation/people/{s.probationer}/record/",
    ("emonitoring:violations", "GET"): "/probation/monitoring/",
    ("emonitoring:person", "GET"): "/probation/monitoring/people/{s.probationer}/",
    ("emonitoring:zone", "POST"): "/probation/monitoring/people/{s.probationer}/zones/",
    ("emonitoring:feed", "POST"): "/probation/monitoring/people/{s.probationer}/feeds/",
    (
        "emonitoring:revoke",
        "POST",
    ): "/probation/monitoring/people/{s.probationer}/feeds/{s.feed}/revoke/",
    ("release:submission", "GET"): "/parole/people/{s.person.pk}/submissions/{s.submission}.pdf",
    ("lawadmin:amendments", "GET"): "/law/amendments/",
    ("lawadmin:amendments", "POST"): "/law/amendments/",
    ("lawadmin:amendment", "GET"): "/law/amendments/{w[amendment]}/",
    ("lawadmin:amendment", "POST"): "/law/amendments/{w[amendment]}/",
    ("dashboards:index", "GET"): ("/dashboards/", {"level": "officer"}),
    ("dashboards:items", "GET"): ("/dashboards/items/", {"measure": "late", "all": "1"}),
    ("dashboards:health", "GET"): "/dashboards/health/",
    ("dashboards:export", "GET"): "/dashboards/export.csv",
    ("dashboards:report", "GET"): ("/dashboards/report.pdf", IN_SCOPE),
    ("programme:plan", "GET"): "/programme/plan/?host={s.institution}",
    ("programme:plan", "POST"): ("/programme/plan/", {"host": "{s.institution}"}),
    ("programme:stations", "GET"): "/programme/stations/{s.institution}/",
    ("programme:stations", "POST"): (
        "/programme/stations/{s.institution}/",
        {"stations": "reception\ncells"},
    ),
    ("programme:figures", "GET"): "/programme/figures/",
    ("programme:export", "GET"): "/programme/figures.csv",
    ("programme:officials", "GET"): "/programme/officials/",
    ("programme:officials_import", "POST"): "/programme/officials/import/",
    ("programme:visit", "GET"): "/programme/visits/{s.programme}/",
    ("programme:decide", "POST"): "/programme/visits/{s.programme}/decide/",
    ("programme:attend", "POST"): "/programme/visits/{s.programme}/attend/",
    ("programme:answer", "POST"): "/programme/visits/{s.programme}/answer/",
    ("visits:closure", "POST"): "/visits/closures/",
    ("visits:person", "GET"): "/visits/people/{s.person.pk}/",
    ("visits:visitor_register", "POST"): "/visits/people/{s.person.pk}/visitors/",
    ("visits:visitor_decide", "POST"): "/visits/people/{s.person.pk}/visitors/{s.visitor}/decide/",
    ("visits:book", "POST"): "/visits/people/{s.person.pk}/book/",
    ("visits:whereabouts", "POST"): "/visits/people/{s.person.pk}/whereabouts/",
    ("visits:booking_action", "POST"): ("/visits/bookings/{s.booking}/cancel/", NO_REASON),
    ("programme:monitoring", "GET"): "/programme/monitoring/",
    ("programme:monitoring_record", "POST"): "/programme/monitoring/record/",
    ("programme:monitoring_visit", "GET"): "/programme/monitoring/{s.monitoring}/",
    (
        "programme:monitoring_document",
        "GET",
    ): "/programme/monitoring/{s.monitoring}/documents/{s.document}/",
    ("programme:monitoring_assign", "POST"): "/programme/monitoring/{s.monitoring}/assign/",
    ("programme:monitoring_answer", "POST"): "/programme/monitoring/{s.monitoring}/answer/",
    ("visit:start", "GET"): "/visit/",
    ("visit:book", "GET"): "/visit/book/",
    ("visit:manage", "GET"): "/visit/manage/",
    ("transfers:index", "GET"): "/transfers/",
    ("transfers:awaiting", "GET"): "/transfers/awaiting/",
    ("transfers:propose", "GET"): "/transfers/place/{s.awaiting.pk}/",
    ("transfers:placement", "GET"): "/transfers/placements/{s.placement}/",
    ("transfers:placement", "POST"): (
        "/transfers/placements/{s.placement}/",
        NOWHERE,
    ),
    ("transfers:request", "GET"): "/transfers/requests/{s.request}/",
    ("transfers:request", "POST"): (
        "/transfers/requests/{s.request}/",
        GRANT,
    ),
    ("transfers:person", "GET"): "/transfers/people/{s.person.pk}/",
    ("transfers:person", "POST"): "/transfers/people/{s.person.pk}/",
    ("transfers:capacity", "GET"): "/transfers/capacity/",
    ("transfers:art96", "GET"): "/transfers/art96/",
    ("transfers:simulator", "GET"): "/transfers/simulator/",
    ("transfers:flags", "GET"): "/transfers/flags/",
    ("transfer:start", "GET"): "/transfer/",
    ("transfer:status", "GET"): "/transfer/status/",
    ("api:openapi-json", "GET"): "/api/openapi.json",
    ("api:openapi-view", "GET"): "/api/docs",
    ("api:api-root", "GET"): "/api/",
    ("api:people", "GET"): "/api/people",
    ("api:person_file", "GET"): "/api/people/{s.person.pk}",
    ("api:record_fact", "POST"): "/api/people/{s.person.pk}/facts",
    ("api:correct_fact", "POST"): "/api/people/{s.person.pk}/facts/{s.fact}/correct",
    ("api:write_note", "POST"): "/api/people/{s.person.pk}/notes",
    ("api:visit_bookings", "GET"): ("/api/visits/bookings", IN_SCOPE),
    ("api:person_visits", "GET"): "/api/visits/people/{s.person.pk}",
    ("api:visitor_register", "POST"): "/api/visits/people/{s.person.pk}/visitors",
    ("api:visitor_decide", "POST"): "/api/visits/people/{s.person.pk}/visitors/{s.visitor}/decide",
    ("api:visit_book", "POST"): "/api/visits/people/{s.person.pk}/bookings",
    ("api:booking_action", "POST"): ("/api/visits/bookings/{s.booking}/cancel", NO_REASON),
    ("api:commission_sessions", "GET"): "/api/commission/sessions",
    ("api:commission_open", "POST"): ("/api/commission/sessions", NOT_A_DATE),
    ("api:commission_session", "GET"): "/api/commission/sessions/{s.session}",
    ("api:commission_item_add", "POST"): "/api/commission/sessions/{s.session}/items",
    ("api:commission_decide", "POST"): "/api/commission/items/{s.item}/decide",
    ("api:commission_decision", "GET"): "/api/commission/decisions/{s.decision}",
    ("api:commission_confirm", "POST"): "/api/commission/decisions/{s.decision}/confirm",
    ("api:commission_awaiting", "GET"): "/api/commission/awaiting",
    ("api:commission_receipt", "GET"): "/api/commission/receipts/{s.code}",
    ("api:register_flags", "GET"): "/api/register/flags",
    ("api:placements_awaiting", "GET"): "/api/placements/awaiting",
    ("api:placement_propose", "POST"): ("/api/placements", {"person": "{s.awaiting.pk}"}),
    ("api:placement", "GET"): "/api/placements/{s.placement}",
    ("api:placement_decide", "POST"): (
        "/api/placements/{s.placement}/decide",
        NOWHERE,
    ),
    ("api:transfer_queues", "GET"): "/api/transfers/requests",
    ("api:transfer_request", "GET"): "/api/transfers/requests/{s.request}",
    ("api:transfer_decide", "POST"): (
        "/api/transfers/requests/{s.request}/decide",
        GRANT,
    ),
    ("api:person_transfers", "GET"): "/api/transfers/people/{s.person.pk}",
    ("api:transfer_request_file", "POST"): "/api/transfers/people/{s.person.pk}/requests",
    ("api:statistics", "GET"): "/api/statistics",
    ("api:placement_flags", "GET"): "/api/transfers/flags",
    ("records:confirmations", "GET"): "/people/confirmations/",
    ("records:confirmations", "POST"): "/people/confirmations/",
    ("api:proposals", "GET"): "/api/proposals",
    ("api:decide_proposal", "POST"): "/api/proposals/decide",
    ("paper:index", "GET"): "/paper/",
    ("paper:index", "POST"): "/paper/",
    ("paper:template", "GET"): ("/paper/template.csv", {"lang": "ru"}),
    ("paper:page", "GET"): "/paper/pages/{s.paper_page}/",
    ("paper:page", "POST"): "/paper/pages/{s.paper_page}/",
    ("paper:scan", "GET"): "/paper/scans/{s.scan}",
    ("paper:findings", "GET"): "/paper/findings/",
    ("paper:progress", "GET"): "/paper/progress/00000000000000000000000000000000",
    ("api:monitoring_events", "POST"): "/api/monitoring/events",
    ("overrides:list", "GET"): "/overrides/",
    ("overrides:override", "GET"): "/overrides/{s.override}/",
    ("overrides:override", "POST"): ("/overrides/{s.override}/", {"action": ""}),
}


def _request(
    row: str | tuple[str, dict[str, str]], side: Side, world: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    """The path and data of one request: a value that is one field alone keeps its type (a number
    stays a number in a JSON body)."""
    path, data = (row, {}) if isinstance(row, str) else row
    fields = {"s": side, "w": world}

    def filled(template: str) -> Any:
        parsed = list(_FORMAT.parse(template))
        if len(parsed) == 1 and parsed[0][0] == "" and parsed[0][1]:
            return _FORMAT.get_field(parsed[0][1], (), fields)[0]
        return template.format_map(fields)

    return filled(path), {key: filled(value) for key, value in data.items()}


_FORMAT = string.Formatter()


def _denied(response: Any) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    location = response.get("Location", "") if response.status_code in (301, 302) else ""
    return location.startswith("/accounts/login/?next=")  # sign-out's own redirect is no refusal


def _answer(user: Any, method: str, path: str, data: dict[str, Any]) -> Any:
    """The response to one request by `user`, with everything it wrote rolled back."""
    block = transaction.atomic()
    block._from_testcase = True  # type: ignore[attr-defined] - a durable write may run inside it
    with block:
        client = Client()
        if user is not None:
            client.force_login(user)
        if path.startswith("/api/") and method == "POST":
            response = client.post(path, data, content_type="application/json")
        else:
            response = client.get(path, data) if method == "GET" else client.post(path, data)
        transaction.set_rollback(True)
    return response


#: The roles whose scope excludes the "out" side: nothing of it may show in their allowed answers.
NARROW = frozenset(
    {"anonymous", "records_officer", "head", "regional", "prisoner", "probation_officer"}
)


def test_every_role_gets_the_expected_answer_from_every_route_in_and_out_of_scope(world) -> None:
    users, sides = world["users"], world["sides"]
    out = sides["out"]
    secrets = (out.person.surname, out.person.number, out.awaiting.surname, out.awaiting.number,
               out.probationer)  # fmt: skip
    cells = 0
    wrong: list[str] = []
    for (route, kind), (scoped, answers) in MATRIX.items():
        method = kind.split(":")[0]
        for role, expected in zip(ROLES, answers, strict=True):
            for side in ("in", "out") if scoped else ("in",):
                want = "deny" if expected == NO or (expected == IN and side == "out") else "allow"
                path, data = _request(REQUESTS[route, kind], sides[side], world)
                response = _answer(users.get(role), method, path, data)
                cells += 1
                got = "deny" if _denied(response) else "allow"
                where = f"{route} {kind} {role} {side}: {response.status_code}"
                if response.status_code >= 500:
                    wrong.append(f"{where} server error")
                elif got != want:
                    wrong.append(f"{where} {got}, expected {want}")
                elif got == "allow" and role in NARROW and not response.streaming:
                    body = response.content.decode("utf-8", "replace")
                    shown = [s for s in secrets if s in body]
                    if shown:
                        wrong.append(f"{where} shows {shown} outside the scope")
    assert wrong == [], "\n".join(wrong)
    assert cells == matrix_size()


def matrix_size() -> int:
    """Cells in the matrix: every route x method x role, twice for a route with a scope."""
    return sum(len(ROLES) * (2 if scoped else 1) for scoped, _ in MATRIX.values())
