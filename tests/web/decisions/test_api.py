"""The commission and the deviation register over the REST API (issue 21, ADR 0041): a sitting opened,
an item added and decided, a departure refused without its reason and confirmed by another person
only, a receipt checked; the register's flags filtered and paged within the reader's scope."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from adaldyq.web.accounts.tokens import token_create
from adaldyq.web.decisions.models import Decision
from adaldyq.web.records import services as records
from tests.web.fixtures import person_payload, qualifying_person, register

pytestmark = pytest.mark.django_db

MEMBERS = [
    {"name": "Staff One", "group": "staff", "present": True},
    {"name": "Akimat Two", "group": "local_executive", "present": True},
    {"name": "Public Three", "group": "public", "present": True},
]


def _as(user: Any) -> Client:
    _token, secret = token_create(user=user, name="commission system", by="test")
    return Client(headers={"authorization": f"Bearer {secret}", "accept-language": "en"})


def _post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, body or {}, content_type="application/json")


@pytest.fixture
def world(make_user: Any) -> dict[str, Any]:
    insts = register()
    officer = make_user("secretary", "records_officer", institution=insts["k1"])
    today = timezone.localdate()
    qualifies = qualifying_person(officer, today)
    ago = (today - timedelta(days=30)).isoformat()
    quiet = records.person_admit(
        officer=officer,
        person=person_payload(
            "KA-0002", sentence={"start": (today - timedelta(days=40)).isoformat(), "years": 8},
            on=ago,
        ),
    )  # fmt: skip
    return {
        "officer": officer,
        "head": make_user("head", "head", institution=insts["k1"]),
        "far": make_user("far", "records_officer", institution=insts["a1"]),
        "prosecutor": make_user("prosecutor", "prosecutor"),
        "regional_far": make_user("almaty-dept", "regional", region=insts["a1"].region),
        "qualifies": qualifies,
        "quiet": quiet,
    }


def test_a_sitting_is_opened_its_agenda_decided_and_the_decision_confirmed(world) -> None:
    secretary = _as(world["officer"])

    opened = _post(secretary, "/api/commission/sessions", {"members": MEMBERS})
    assert opened.status_code == 201, opened.content
    session = opened.json()["id"]
    added = _post(
        secretary,
        f"/api/commission/sessions/{session}/items",
        {"person": world["quiet"].pk, "question": "degree", "reason": "asked for a review"},
    )
    assert added.status_code == 201, added.content
    agenda = secretary.get(f"/api/commission/sessions/{session}").json()["items"]
    engine = next(i for i in agenda if i["grounds"] == "qualifies_higher")
    assert engine["proposal"]["outcome"] == "award_degree"
    members = [
        m["id"] for m in secretary.get(f"/api/commission/sessions/{session}").json()["members"]
    ]
    votes = dict.fromkeys(members, "for")

    # a departure from the proposal without its reason: refused with the field named
    bare = _post(secretary, f"/api/commission/items/{engine['seq']}/decide",
                 {"outcome": "refuse", "votes": votes})  # fmt: skip
    assert bare.status_code == 422
    assert "reason" in bare.json()["errors"]
    decided = _post(
        secretary,
        f"/api/commission/items/{engine['seq']}/decide",
        {"outcome": "refuse", "votes": votes, "reason_code": "facts_disputed",
         "reason": "the incentive is disputed"},
    )  # fmt: skip
    assert decided.status_code == 201, decided.content
    decision = decided.json()
    assert (decision["deviates"], decision["receipt"]) == (True, f"/verify/{decision['code']}")

    # the secretary may not confirm; the head does, and the file then carries it
    assert (
        _post(secretary, f"/api/commission/decisions/{decision['seq']}/confirm").status_code == 403
    )
    head = _as(world["head"])
    assert [d["seq"] for d in head.get("/api/commission/awaiting").json()["items"]] == [
        decision["seq"]
    ]
    confirmed = _post(head, f"/api/commission/decisions/{decision['seq']}/confirm")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["confirmed_by"] == "head"
    receipt = head.get(f"/api/commission/receipts/{decision['code']}").json()
    assert receipt["decision"] == decision["seq"]
    assert receipt["state"] in ("verified", "pending")  # pending until a checkpoint is signed
    assert head.get("/api/commission/receipts/NOTACODE").json()["state"] == "unknown"


def test_another_institution_neither_reads_nor_runs_the_sitting(world) -> None:
    secretary = _as(world["officer"])
    session = _post(secretary, "/api/commission/sessions", {"members": MEMBERS}).json()["id"]
    far = _as(world["far"])

    assert far.get(f"/api/commission/sessions/{session}").status_code == 403
    assert far.get("/api/commission/sessions").json()["count"] == 0
    refused = _post(far, f"/api/commission/sessions/{session}/items", {"person": "x"})
    assert refused.status_code == 403
    assert _post(_as(world["prosecutor"]), "/api/commission/sessions", {}).status_code == 403


def _flagged(world: dict[str, Any]) -> Decision:
    secretary = _as(world["officer"])
    session = _post(secretary, "/api/commission/sessions", {"members": MEMBERS}).json()
    item = next(
        i for i in secretary.get(f"/api/commission/sessions/{session['id']}").json()["items"]
        if i["grounds"] == "qualifies_higher"
    )  # fmt: skip
    votes = {m["id"]: "for" for m in session["members"] if m["present"]}
    _post(secretary, f"/api/commission/items/{item['seq']}/decide",
          {"outcome": "refuse", "votes": votes, "reason_code": "facts_disputed", "reason": "x"})  # fmt: skip
    return Decision.objects.get()


def test_the_register_is_filtered_and_paged_as_on_its_page_within_the_scope(world) -> None:
    _flagged(world)
    prosecutor = _as(world["prosecutor"])

    everything = prosecutor.get("/api/register/flags").json()
    kinds = {r["kind"] for r in everything["items"]}
    assert "commission_contrary_to_proposal" in kinds
    assert everything["count"] == len(everything["items"])
    exact = prosecutor.get("/api/register/flags", {"institution": "uk-161/1"}).json()
    part = prosecutor.get("/api/register/flags", {"institution": "UK-161"}).json()
    assert exact["count"] >= 1
    assert part["count"] == 0  # the code matches exactly, as on the page
    one = prosecutor.get("/api/register/flags", {"limit": 1, "offset": 0}).json()
    assert (len(one["items"]), one["count"]) == (1, everything["count"])
    # the regional department of Almaty sees none of Karaganda's; a records officer, nothing at all
    assert _as(world["regional_far"]).get("/api/register/flags").json()["count"] == 0
    assert _as(world["officer"]).get("/api/register/flags").status_code == 403
