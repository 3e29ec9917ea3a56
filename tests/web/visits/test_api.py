"""Visits over the REST API (issue 21, ADR 0041): a machine client with a token books, checks in and
out, registers and decides visitors through the page's services and rules; the board reads as the
page's, within the token's user's scope, and every read and write is a ledger entry naming the token."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from adaldyq.ledger import sql
from adaldyq.web.accounts.tokens import token_create
from adaldyq.web.overrides.models import Override
from tests.web.fixtures import ledger_size

pytestmark = pytest.mark.django_db


def _as(user: Any) -> Client:
    _token, secret = token_create(user=user, name="prison system", by="test")
    return Client(headers={"authorization": f"Bearer {secret}", "accept-language": "en"})


def _newest() -> Any:
    with connection.cursor() as cursor:
        size = sql.read_size(cursor)
        return sql.read_entries(cursor, size - 1, size)[0]


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, body, content_type="application/json")


def test_a_machine_client_books_checks_in_and_out_and_reads_the_board(world, demo_law) -> None:
    client = _as(world["officer"])
    person, visitor = world["person"], world["visitor"].visitor
    day = timezone.localdate() + timedelta(days=7)

    booked = _post(
        client,
        f"/api/visits/people/{person.pk}/bookings",
        {"room": "S1", "day": day.isoformat(), "start": "09:00", "visitors": [visitor]},
    )
    assert booked.status_code == 201, booked.content
    booking = booked.json()
    assert (booking["room"], booking["status"], booking["seat"]) == ("S1", "booked", 1)
    assert "token:adq_" in _newest().draft.actor.authority

    came = _post(client, f"/api/visits/bookings/{booking['id']}/checkin", {"visitor": visitor})
    assert came.status_code == 200, came.content
    assert came.json()["visitors"][0]["checked_in_at"] is not None
    went = _post(client, f"/api/visits/bookings/{booking['id']}/checkout", {"visitor": visitor})
    assert went.json()["visitors"][0]["checked_out_at"] is not None

    before = ledger_size()
    board = client.get("/api/visits/bookings", {"day": day.isoformat()})
    assert board.status_code == 200
    assert board.json()["institution"] == "UK-161/1"  # an officer reads their own institution's
    assert [b["id"] for b in board.json()["items"]] == [booking["id"]]
    assert ledger_size() == before + 1  # the read is an access entry naming the file shown
    assert (_newest().subject, _newest().payload["page"]) == (person.pk, "api:visit_bookings")

    mine = client.get(f"/api/visits/people/{person.pk}").json()
    assert [b["id"] for b in mine["bookings"]] == [booking["id"]]
    assert mine["visitors"][0]["status"] == "approved"
    assert mine["balances"][0]["figure"] is not None  # the demo's figure (D)


def test_the_rules_refuse_a_booking_with_409_and_an_override_waits_with_202(
    world, demo_law
) -> None:
    client = _as(world["officer"])
    person, visitor = world["person"], world["visitor"].visitor
    day = timezone.localdate() + timedelta(days=7)
    body = {"room": "S1", "day": day.isoformat(), "start": "09:00", "visitors": [visitor]}
    assert _post(client, f"/api/visits/people/{person.pk}/bookings", body).status_code == 201

    again = _post(client, f"/api/visits/people/{person.pk}/bookings", body)
    assert again.status_code == 409  # one visit of a kind a day: the page's rule, its words
    assert again.json()["detail"]
    waits = _post(
        client,
        f"/api/visits/people/{person.pk}/bookings",
        {**body, "override_reason": "the family travels from far away"},
    )
    assert waits.status_code == 202, waits.content
    assert Override.objects.get(seq=waits.json()["override"]).status == "pending"
    wrong = _post(client, f"/api/visits/people/{person.pk}/bookings", {**body, "visitors": "x"})
    assert wrong.status_code == 422  # a list was expected: named, nothing written


def test_another_institution_is_out_of_scope_and_its_officer_cannot_write(world) -> None:
    outsider = _as(world["officer2"])
    person = world["person"]

    assert outsider.get(f"/api/visits/people/{person.pk}").status_code == 403
    refused = _post(outsider, f"/api/visits/people/{person.pk}/visitors", {"name": "x"})
    assert refused.status_code == 403
    # the officer's own board, whatever institution is asked for
    board = outsider.get("/api/visits/bookings", {"institution": "UK-161/1"})
    assert board.json()["institution"] == "UK-161/2"


def test_a_visitor_registered_by_one_officer_is_decided_by_another(world, make_user) -> None:
    client = _as(world["officer"])
    person = world["person"]
    made = _post(
        client,
        f"/api/visits/people/{person.pk}/visitors",
        {"name": "Омаров Марат", "document": "N 7654321", "document_type": "id_card",
         "relationship": "close_relative", "evidence": "birth certificate"},
    )  # fmt: skip
    assert made.status_code == 201, made.content
    seq = made.json()["seq"]
    decide = f"/api/visits/people/{person.pk}/visitors/{seq}/decide"
    seen = {"approved": True, "document_seen": True, "document_type": "id_card",
            "document": "N 7654321"}  # fmt: skip

    own = _post(client, decide, seen)
    assert own.status_code == 422  # four-eyes: the service's refusal, in words
    assert "four-eyes" in own.json()["errors"]["__all__"][0]
    other = _as(make_user("officer3", "records_officer", institution=world["insts"]["k1"]))
    approved = _post(other, decide, seen)
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
