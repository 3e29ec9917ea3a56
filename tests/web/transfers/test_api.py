"""Placement and transfer requests over the REST API (issue 21, ADR 0041): the page's services decide,
so a departure is refused without its reason (409) and waits for a second person with one (202);
queues and files are read within the token's user's scope."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from adaldyq.web.accounts.tokens import token_create
from adaldyq.web.overrides.models import Override

pytestmark = pytest.mark.django_db


def _as(user: Any) -> Client:
    _token, secret = token_create(user=user, name="committee system", by="test")
    return Client(headers={"authorization": f"Bearer {secret}", "accept-language": "en"})


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, body, content_type="application/json")


def test_a_placement_is_proposed_and_decided_and_a_departure_waits_for_a_second_person(
    world,
) -> None:
    committee = _as(world["committee"])
    first = world["admit"]("KA-0001", institution=None)
    second = world["admit"]("KA-0002", institution=None)

    awaiting = committee.get("/api/placements/awaiting").json()
    assert {r["person"] for r in awaiting["items"]} == {first.pk, second.pk}
    proposed = _post(committee, "/api/placements", {"person": first.pk, "type": "medium"})
    assert proposed.status_code == 201, proposed.content
    seq = proposed.json()["seq"]
    assert proposed.json()["proposed"] == "M-KAR"
    assert committee.get(f"/api/placements/{seq}").json()["proposal"]["alternatives"]

    against = _post(committee, f"/api/placements/{seq}/decide", {"institution": "M-ALM"})
    assert against.status_code == 409  # against the proposal without a reason: the rules' words
    waits = _post(
        committee, f"/api/placements/{seq}/decide",
        {"institution": "M-ALM", "reason": "the family lives in Almaty"},
    )  # fmt: skip
    assert waits.status_code == 202, waits.content
    assert Override.objects.get(seq=waits.json()["override"]).requested_by == "committee"

    other = _post(committee, "/api/placements", {"person": second.pk, "type": "medium"}).json()
    placed = _post(committee, f"/api/placements/{other['seq']}/decide", {})
    assert placed.status_code == 201, placed.content
    assert (placed.json()["to"], placed.json()["kind"]) == ("M-KAR", "placement")
    assert committee.get(f"/api/transfers/people/{second.pk}").json()["moves"][0]["to"] == "M-KAR"


def test_requests_are_filed_queued_and_decided_as_on_the_page(world, make_user) -> None:
    committee = _as(world["committee"])
    a = world["admit"]("KA-0001", institution="M-ALM")
    b = world["admit"]("KA-0002", institution="M-ALM")
    body = {"target": "M-KAR", "ground": "closer_to_home", "family": [], "consent": True}

    filed = [_post(committee, f"/api/transfers/people/{p.pk}/requests", body) for p in (a, b)]
    assert [f.status_code for f in filed] == [201, 201], filed[0].content
    numbers = [f.json()["number"] for f in filed]
    queue = committee.get("/api/transfers/requests", {"target": "M-KAR"}).json()["queues"]["M-KAR"]
    assert [(r["number"], r["position"]) for r in queue] == [(numbers[0], 1), (numbers[1], 2)]

    out_of_order = _post(committee, f"/api/transfers/requests/{numbers[1]}/decide",
                         {"outcome": "grant"})  # fmt: skip
    assert out_of_order.status_code == 409
    refused = _post(
        committee, f"/api/transfers/requests/{numbers[1]}/decide",
        {"outcome": "refuse", "reason": "no place for the work the person does"},
    )  # fmt: skip
    assert refused.status_code == 200, refused.content
    assert refused.json()["status"] != "open"

    # the Akmola department reads neither the Almaty files nor their requests
    akmola = _as(make_user("akmola", "regional", region=world["insts"]["M-AKM"].region))
    assert akmola.get(f"/api/transfers/requests/{numbers[0]}").status_code == 403
    assert akmola.get("/api/transfers/requests").json()["queues"] == {}
    wrong = _post(committee, f"/api/transfers/people/{a.pk}/requests", {**body, "family": "x"})
    assert wrong.status_code == 422


def test_the_placement_flags_are_read_with_their_counts_within_the_scope(world, make_user) -> None:
    from adaldyq.web.overrides.services import override_confirm

    committee = _as(world["committee"])
    person = world["admit"]("KA-0001", institution=None)
    seq = _post(committee, "/api/placements", {"person": person.pk, "type": "medium"}).json()["seq"]
    waits = _post(committee, f"/api/placements/{seq}/decide",
                  {"institution": "M-ALM", "reason": "the family lives in Almaty"})  # fmt: skip
    override_confirm(
        checker=world["clerk"], override=Override.objects.get(seq=waits.json()["override"]),
        on=timezone.localdate(),
    )  # fmt: skip

    flags = committee.get("/api/transfers/flags").json()
    assert {r["person"] for r in flags["items"]} == {person.pk}  # the move against the proposal
    assert sum(flags["kinds"].values()) == flags["count"] == len(flags["items"]) >= 1
    assert committee.get("/api/transfers/flags", {"kind": "no such kind"}).json()["count"] == 0
    akmola = _as(make_user("akmola", "regional", region=world["insts"]["M-AKM"].region))
    assert akmola.get("/api/transfers/flags").json()["count"] == 0  # Almaty's institution
    clerk_officer = make_user("officer", "records_officer", institution=world["insts"]["M-ALM"])
    assert _as(clerk_officer).get("/api/transfers/flags").status_code == 403
