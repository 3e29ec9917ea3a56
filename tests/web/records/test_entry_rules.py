"""Blocking at entry (issue 15): a fact recorded late asks for a reason, very late the head confirms it,
an old penalty's withdrawal needs the head; until confirmed, a proposal counts for nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from adaldyq import files
from adaldyq.core.errors import InputError
from adaldyq.ledger import sql
from adaldyq.web.records import services
from adaldyq.web.records.models import Fact, Proposal
from tests.web.fixtures import PASSWORD, officer_admits, person_payload, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user):
    """A file opened 200 days ago (its paper history long entered), a records officer and two heads."""
    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    head = make_user("head", "head", institution=insts["k1"])
    deputy = make_user("deputy", "head", institution=insts["k1"])
    with time_machine.travel(timezone.now() - timedelta(days=200), tick=True):
        person = services.person_admit(officer=officer, person=person_payload())
    return officer, head, deputy, person


def _day(days_ago: int) -> str:
    return (timezone.localdate() - timedelta(days=days_ago)).isoformat()


def _client(username: str) -> Client:
    client = Client(headers={"accept-language": "en"})
    assert client.login(username=username, password=PASSWORD)
    return client


def _standing(person) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        entries = sql.read_entries_by_subject(cursor, person.pk)
    pf = files.PersonalFile.from_entries(person.pk, entries)
    return [(f.type, f.on.isoformat()) for f in pf.facts if f.type != "arrived"]


def test_a_fact_recorded_on_time_needs_no_reason(world) -> None:
    officer, _head, _deputy, person = world

    services.fact_record(officer=officer, person=person, fact={"type": "incentive", "on": _day(10)})

    assert _standing(person) == [("incentive", _day(10))]


def test_a_fact_recorded_late_is_refused_without_a_reason_and_keeps_the_reason_with_it(
    world,
) -> None:
    officer, _head, _deputy, person = world
    url = f"/people/{person.pk}/record/incentive/"
    client = _client("officer")

    refused = client.post(url, {"incentive-on": _day(60), "incentive-kind": "gratitude"})
    recorded = client.post(
        url,
        {"incentive-on": _day(60), "incentive-kind": "gratitude", "incentive-late_code": "paper_file",
         "incentive-late_reason": "found in the unit's paper log"},
    )  # fmt: skip

    assert refused.status_code == 400
    assert "days ago: choose why it is recorded late" in refused.content.decode()
    assert recorded.status_code == 302
    fact = Fact.objects.get(person=person, kind="incentive")
    assert "late" not in fact.data  # how it was entered is not the fact
    with connection.cursor() as cursor:
        entry = sql.read_entry(cursor, fact.seq)
    assert entry.draft.payload["late"] == {
        "code": "paper_file",
        "reason": "found in the unit's paper log",
    }
    with pytest.raises(InputError, match="needs a reason code"):
        services.fact_record(
            officer=officer, person=person, fact={"type": "incentive", "on": _day(45)}
        )


def test_a_fact_recorded_very_late_counts_only_once_another_head_confirms_it(world) -> None:
    officer, head, _deputy, person = world
    late = {"code": "omitted", "reason": "the award order was not entered"}

    with pytest.raises(InputError, match="confirmation of the head"):
        services.fact_record(
            officer=officer, person=person, fact={"type": "incentive", "on": _day(120)}, late=late
        )
    proposal = services.fact_propose(
        officer=officer, person=person, fact={"type": "incentive", "on": _day(120)}, late=late
    )

    assert _standing(person) == []  # it counts for nothing yet
    assert not Fact.objects.filter(person=person, kind="incentive").exists()
    assert proposal.status == "pending"
    with pytest.raises(InputError, match="cannot confirm"):
        services.proposal_confirm(head=officer, proposal=proposal)  # not by its proposer

    fact = services.proposal_confirm(head=head, proposal=proposal)

    assert _standing(person) == [("incentive", _day(120))]
    assert (fact.recorded_by, fact.kind) == ("head", "incentive")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by, proposal.decided_seq) == (
        "confirmed",
        "head",
        fact.seq,
    )
    with pytest.raises(InputError, match="already decided"):
        services.proposal_confirm(head=head, proposal=proposal)


def test_a_head_cannot_confirm_what_the_head_proposed(world) -> None:
    _officer, head, deputy, person = world
    late = {"code": "ordered", "reason": "the prosecutor's order of last spring"}
    proposal = services.fact_propose(
        officer=head, person=person, fact={"type": "incentive", "on": _day(150)}, late=late
    )

    with pytest.raises(InputError, match="cannot confirm"):
        services.proposal_confirm(head=head, proposal=proposal)
    services.proposal_refuse(head=deputy, proposal=proposal, reason="no such order in the file")

    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_reason) == ("refused", "no such order in the file")
    assert _standing(person) == []


def test_withdrawing_an_old_penalty_is_a_proposal_the_head_confirms_on_the_page(world) -> None:
    officer, _head, _deputy, person = world
    day = _day(60)
    with time_machine.travel(timezone.now() - timedelta(days=59), tick=True):  # recorded on time
        penalty = services.fact_record(
            officer=officer, person=person, fact={"type": "penalty", "on": day, "kind": "x"}
        )
    withdraw = {f"c{penalty.seq}-reason": "entered in error", f"c{penalty.seq}-withdraw": "on"}

    no_code = _client("officer").post(
        f"/people/{person.pk}/entries/{penalty.seq}/correct/", withdraw
    )
    proposed = _client("officer").post(
        f"/people/{person.pk}/entries/{penalty.seq}/correct/",
        {**withdraw, f"c{penalty.seq}-reason_code": "typing_error"},
    )

    assert no_code.status_code == 400
    assert proposed.status_code == 302
    assert _standing(person) == [("penalty", _day(60))]  # the penalty still stands
    head = _client("head")
    page = head.get("/people/confirmations/")
    assert page.status_code == 200
    body = page.content.decode()
    (proposal,) = Proposal.objects.filter(status="pending")
    assert f'id="proposal-{proposal.seq}"' in body
    assert "entered in error" in body
    assert "Entries to confirm (1)" in body

    done = head.post("/people/confirmations/", {"proposal": proposal.seq, "decision": "confirm"})

    assert done.status_code == 302
    assert _standing(person) == []
    withdrawal = Fact.objects.get(corrects_id=penalty.seq)
    assert withdrawal.void
    assert withdrawal.recorded_by == "head"
    assert "Entries to confirm (0)" in head.get("/people/confirmations/").content.decode()


def test_the_api_proposes_a_very_late_fact_and_the_head_confirms_it(world) -> None:
    _officer, _head, _deputy, person = world
    body = {"type": "incentive", "on": _day(100), "kind": "gratitude", "late_code": "paper_file",
            "late_reason": "found in the paper file on transfer"}  # fmt: skip

    sent = _client("officer").post(
        f"/api/people/{person.pk}/facts", json.dumps(body), content_type="application/json"
    )
    listed = _client("head").get("/api/proposals")
    decided = _client("head").post(
        "/api/proposals/decide",
        json.dumps({"proposal": sent.json()["proposal"], "decision": "confirm"}),
        content_type="application/json",
    )

    assert sent.status_code == 202, sent.content
    assert sent.json()["status"] == "pending"
    assert [p["proposal"] for p in listed.json()["proposals"]] == [sent.json()["proposal"]]
    assert decided.status_code == 200
    assert decided.json()["status"] == "confirmed"
    assert _standing(person) == [("incentive", _day(100))]
    denied = _client("officer").get("/api/proposals")
    assert denied.status_code == 403


def test_the_papers_of_a_file_just_opened_are_its_history_not_late_entries(make_user) -> None:
    _insts, officer, person = officer_admits(make_user)

    services.fact_record(
        officer=officer, person=person, fact={"type": "incentive", "on": "2023-05-12"}
    )

    assert _standing(person) == [("incentive", "2023-05-12")]


def test_replay_gives_the_same_proposals(world) -> None:
    from adaldyq.web.records.services import read_models_rebuild

    officer, head, _deputy, person = world
    late = {"code": "omitted", "reason": "the award order was not entered"}
    first = services.fact_propose(
        officer=officer, person=person, fact={"type": "incentive", "on": _day(120)}, late=late
    )
    services.fact_propose(
        officer=officer, person=person, fact={"type": "incentive", "on": _day(130)}, late=late
    )
    services.proposal_confirm(head=head, proposal=first)
    before = list(Proposal.objects.order_by("seq").values_list())

    read_models_rebuild()

    assert list(Proposal.objects.order_by("seq").values_list()) == before
