"""The transfers pages: who sees what, the forms' refusals, the charts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from adaldyq.web.transfers import services
from adaldyq.web.transfers.models import Move, Placement, Request
from adaldyq.web.transfers.services import public_actor
from adaldyq.web.visits import services as visits
from tests.web.fixtures import client_as, visitor_approved
from tests.web.transfers.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_committee_staff_propose_and_see_why_each_alternative_lost(world: dict[str, Any]) -> None:
    person = world["admit"]("KA-0001", institution=None)
    c = client_as(world["committee"])

    index = c.get("/transfers/")
    response = c.post(f"/transfers/place/{person.pk}/", {"type": "medium"}, follow=True)

    assert index.status_code == 200
    assert person.number in index.content.decode()
    body = response.content.decode()
    assert "M-KAR" in body
    assert "M-ALM" in body
    assert Placement.objects.filter(person_id=person.pk).count() == 1


def test_a_placement_against_the_proposal_without_a_reason_is_refused_on_the_page(
    world: dict[str, Any],
) -> None:
    p = world["proposed"]("KA-0001")
    person = p.person
    c = client_as(world["committee"])

    refused = c.post(f"/transfers/placements/{p.seq}/", {"institution": "M-ALM", "reason": ""})
    done = c.post(
        f"/transfers/placements/{p.seq}/", {"institution": "M-ALM", "reason": "family moved"}
    )

    assert refused.status_code == 409
    assert done.status_code == 302
    assert not Move.objects.filter(person_id=person.pk).exists()  # one person is not enough
    confirmed = client_as(world["clerk"]).post(done.url, {"action": "confirm"})
    assert confirmed.status_code == 302
    assert Move.objects.get(person_id=person.pk).against_proposal


def test_a_prisoner_files_a_request_and_sees_the_place_in_the_queue(
    world: dict[str, Any], make_user: Any
) -> None:
    person = world["admit"]("KA-0001", institution="M-ALM")
    prisoner = make_user("kiosk", "prisoner", person_id=person.pk)
    c = client_as(prisoner)

    response = c.post(
        f"/transfers/people/{person.pk}/",
        {"target": "M-KAR", "ground": "closer_to_home", "family": ["sick_parent"]},
        follow=True,
    )

    assert response.status_code == 200
    r = Request.objects.get(person_id=person.pk)
    assert r.filed_by == "person"
    assert "TR-000001" in response.content.decode()
    assert c.get("/transfers/simulator/").status_code == 403
    assert c.get("/transfers/").status_code == 403


def test_a_relative_files_on_the_public_page_and_reads_the_status_with_the_code(
    world: dict[str, Any],
) -> None:
    person = world["admit"]("KA-0001", institution="M-ALM")
    v = visits.visitor_register(
        officer=world["clerk"], person=person, name="Омарова Айгүл", document="N 0123456",
        relationship="spouse", evidence="marriage certificate", on=TODAY,
    )  # fmt: skip
    c = Client()
    form = {"number": "KA-0001", "document": "N0123456", "target": "M-KAR",
            "ground": "closer_to_home", "contact": "+7 701 111 22 33"}  # fmt: skip

    pending = c.post("/transfer/", form)
    visitor_approved(person=person, visitor=v, on=TODAY)
    filed = c.post("/transfer/", form)

    assert pending.status_code == 400
    assert filed.status_code == 200
    code = filed.context["filed"][1]
    status = c.post("/transfer/status/", {"request": "TR-000001", "code": code})
    assert status.status_code == 200
    assert status.context["found"]["line"].position == 1
    assert c.post("/transfer/status/", {"request": "TR-000001", "code": "X"}).status_code == 404


def test_staff_deciding_out_of_order_must_give_a_reason_and_the_flag_shows(
    world: dict[str, Any], make_user: Any
) -> None:
    a = world["admit"]("KA-0001", institution="M-ALM")
    b = world["admit"]("KA-0002", institution="M-ALM")
    services.transfer_request_file(
        actor=public_actor("N1"), person=a, target="M-KAR", ground="closer_to_home",
        family=("minor_children",), on=TODAY,
    )  # fmt: skip
    second, _ = services.transfer_request_file(
        actor=public_actor("N2"), person=b, target="M-KAR", ground="closer_to_home", on=TODAY
    )
    c = client_as(world["committee"])

    refused = c.post(f"/transfers/requests/{second.number}/", {"outcome": "grant"})
    granted = c.post(
        f"/transfers/requests/{second.number}/", {"outcome": "grant", "reason": "urgent"}
    )
    assert granted.status_code == 302
    assert client_as(world["clerk"]).post(granted.url, {"action": "confirm"}).status_code == 302
    prosecutor = client_as(make_user("prosecutor", "prosecutor"))
    flags = prosecutor.get("/transfers/flags/")

    assert refused.status_code == 409
    assert "flag-queue_jumped" in flags.content.decode()
    history = c.get(f"/transfers/people/{b.pk}/").content.decode()
    assert "M-KAR" in history


def test_capacity_art96_and_simulator_pages_draw_their_charts(world: dict[str, Any]) -> None:
    world["admit"]("KA-0001", institution="M-ALM")
    world["admit"]("KA-0002", institution="M-AKM", home="almaty")
    c = client_as(world["committee"])

    capacity = c.get("/transfers/capacity/")
    art96 = c.get("/transfers/art96/")
    sim = c.get("/transfers/simulator/", {"run": "1", "merge": "1", "open_region": "karaganda",
                                          "open_type": "medium", "open_capacity": "5"})  # fmt: skip

    assert capacity.status_code == 200
    assert 'data-vega-spec="big-chart-view-spec"' in capacity.content.decode()
    assert art96.status_code == 200
    assert sim.status_code == 200
    assert 'data-vega-spec="histogram-spec"' in sim.content.decode()
    assert sim.context["result"].people == 2
