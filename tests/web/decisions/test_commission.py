"""The commission's session, agenda, decisions, confirmation and verification, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from adaldyq.oversight.commission import read_commission_flags
from adaldyq.web.decisions import projection, selectors, services
from adaldyq.web.decisions.models import Decision, Session
from adaldyq.web.decisions.proposals import facts_hash
from adaldyq.web.records import services as records
from adaldyq.web.records.checkpoints import sign_guarded
from adaldyq.web.records.models import Fact
from adaldyq.web.records.selectors import law_today
from tests.web.decisions.tampering import forge_entry
from tests.web.fixtures import person_payload, qualifying_person, register

TODAY = date.today()  # noqa: DTZ011
MEMBERS = [
    {"name": "Staff One", "group": "staff", "present": True},
    {"name": "Akimat Two", "group": "local_executive", "present": True},
    {"name": "Public Three", "group": "public", "present": True},
]


def _ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


@pytest.fixture
def world(db: Any, make_user: Any) -> dict[str, Any]:
    insts = register()
    officer = make_user("secretary", "records_officer", institution=insts["k1"])
    head = make_user("head", "head", institution=insts["k1"])
    qualifies = qualifying_person(officer, TODAY)
    quiet = records.person_admit(
        officer=officer,
        person=person_payload("KA-0002", sentence={"start": _ago(40), "years": 8}, on=_ago(30)),
    )
    return {
        "officer": officer,
        "head": head,
        "qualifies": qualifies,
        "quiet": quiet,
        "insts": insts,
    }


def _open(world: dict[str, Any], members: list[dict[str, Any]] = MEMBERS) -> Session:
    return services.session_open(officer=world["officer"], on=TODAY, members=members)


def _asked_for_quiet(world: dict[str, Any], session: Session, question: str, reason: str) -> Any:
    """The secretary adds the person who does not qualify ("quiet") to `session` by hand."""
    return services.agenda_item_add(
        officer=world["officer"], session=session, person=world["quiet"], question=question,
        reason=reason,
    )  # fmt: skip


def test_the_engine_puts_a_person_who_qualifies_for_a_higher_degree_on_the_agenda(world):
    session = _open(world)

    items = list(session.items.all())
    assert [(i.person_id, i.question, i.grounds) for i in items] == [
        (world["qualifies"].pk, "degree", "qualifies_higher")
    ]
    assert items[0].proposal["outcome"] == "award_degree"
    assert items[0].proposal["degree"] == 1


def test_the_quorum_is_recorded_as_not_determinable_because_the_law_pack_lacks_the_figure(world):
    session = _open(world)

    assert session.quorum["status"] == "not_determinable"
    assert session.quorum["figure"] is None
    assert session.quorum["confidence"] == "?"


def test_a_person_added_by_hand_needs_a_written_reason(world):
    session = _open(world)

    with pytest.raises(services.DecisionError):
        _asked_for_quiet(world, session, "degree", " ")
    item = _asked_for_quiet(world, session, "degree", "asked for a review")
    assert item.grounds == "manual"
    assert item.proposal["outcome"] == "refuse"


def _item(session: Session) -> Any:
    return session.items.get(question="degree", grounds="qualifies_higher")


def _votes(session: Session) -> dict[str, str]:
    return {m["id"]: "for" for m in session.present}


def _voted(
    world: dict[str, Any], session: Session, item: Any, outcome: str, **how: Any
) -> Decision:
    """The secretary records the sitting's `outcome` for `item`, every member present voting for."""
    return services.decision_record(
        officer=world["officer"], item=item, outcome=outcome, votes=_votes(session), **how
    )


def _awarded(world: dict[str, Any]) -> Decision:
    """A sitting opened today, and the first degree awarded as proposed to the person who qualifies."""
    session = _open(world)
    return _voted(world, session, _item(session), "award_degree", terms={"degree": 1})


def test_a_decision_that_follows_the_proposal_records_the_law_pack_and_the_facts_hash(world):
    session = _open(world)
    item = _item(session)

    d = _voted(world, session, item, "award_degree", terms={"degree": 1})

    assert d.deviates is False
    assert d.law_pack["hash"].startswith("sha256:")
    assert d.facts_hash == facts_hash(selectors.case_of_decision(d))
    assert d.quorum["status"] == "not_determinable"


def test_a_decision_against_the_proposal_is_refused_without_a_reason_code_and_a_written_reason(
    world,
):
    session = _open(world)
    item = _item(session)

    with pytest.raises(services.DeviationReasonMissingError):
        _voted(world, session, item, "refuse")
    with pytest.raises(services.DeviationReasonMissingError):
        _voted(world, session, item, "refuse", reason_code="facts_disputed", reason="")
    assert not Decision.objects.exists()
    d = _voted(
        world,
        session,
        item,
        "refuse",
        reason_code="facts_disputed",
        reason="The incentive is contested.",
    )
    assert (d.deviates, d.direction) == (True, "grounds_refused")


def test_the_commission_flags_read_departures_quorum_and_public_presence_from_the_ledger(world):
    members = [{**m, "present": m["group"] != "public"} for m in MEMBERS]
    session = _open(world, members)
    _voted(world, session, _item(session), "refuse", reason_code="other", reason="because")

    with connection.cursor() as cursor:
        flags = read_commission_flags(cursor)

    kinds = sorted(f.kind for f in flags)
    assert kinds == [  # the quorum is unknown to the law pack: not determinable, not a breach
        "commission_contrary_to_proposal",
        "commission_without_public_representative",
    ]
    contrary = next(f for f in flags if f.kind == "commission_contrary_to_proposal")
    assert contrary.detail["direction"] == "grounds_refused"
    assert contrary.person == world["qualifies"].pk
    assert contrary.institution == "UK-161/1"


def test_confirmation_by_the_head_writes_the_degree_into_the_personal_file(world):
    d = _awarded(world)

    with pytest.raises(services.DecisionError):
        services.decision_confirm(head=world["officer"], decision=d)
    d = services.decision_confirm(head=world["head"], decision=d)

    fact = Fact.objects.get(seq=d.fact_seq)
    assert (fact.kind, fact.data["degree"], fact.data["decision"]) == ("degree_awarded", 1, d.seq)
    assert law_today(world["qualifies"], lang="en").result.degree == 1


def test_a_deferred_case_comes_back_on_the_next_agenda(world):
    session = _open(world)
    _voted(
        world,
        session,
        _item(session),
        "defer",
        reason_code="proceedings_pending",
        reason="wait for the inquiry",
    )
    _asked_for_quiet(world, session, "condition", "asked")
    item = session.items.get(person=world["quiet"])
    _voted(world, session, item, "defer", reason_code="other", reason="later")

    later = _open(world)

    grounds = {(i.person_id, i.question): i.grounds for i in later.items.all()}
    assert grounds[(world["quiet"].pk, "condition")] == "deferred"
    assert grounds[(world["qualifies"].pk, "degree")] == "qualifies_higher"


def test_replay_rebuilds_identical_decision_rows(world):
    d = _awarded(world)
    services.decision_confirm(head=world["head"], decision=d)
    before = list(Decision.objects.order_by("seq").values())

    projection.rebuild()

    assert list(Decision.objects.order_by("seq").values()) == before


def _decided(world: dict[str, Any]) -> Decision:
    d = _awarded(world)
    sign_guarded(Path(settings.DATA_DIR))  # what the signer process does within its minute
    return d


def test_a_printed_decision_verifies_against_the_signed_checkpoint(world):
    d = _decided(world)

    v = selectors.decision_verify(d.code)

    assert v.ok, v.checks
    assert v.checkpoint["size"] > d.seq


def test_an_edited_decision_row_fails_verification(world):
    d = _decided(world)
    Decision.objects.filter(seq=d.seq).update(outcome="refuse")

    v = selectors.decision_verify(d.code)

    assert not v.ok
    assert ("row", "failed", "outcome") in v.checks


def test_an_edited_ledger_entry_fails_verification(world):
    d = _decided(world)
    forge_entry(d.seq, b'"terms":{"degree":1}', b'"terms":{"degree":3}')

    v = selectors.decision_verify(d.code)

    failed = {k for k, state, _ in v.checks if state == "failed"}
    assert not v.ok
    assert {"code", "proof:decision"} <= failed


def test_an_unknown_code_is_not_verified(world):
    assert not selectors.decision_verify("AAAAA-BBBBB").ok


def test_the_facts_hash_is_the_sha256_of_the_canonical_case(world):
    d = _decided(world)
    case = selectors.case_of_decision(d)

    import hashlib

    assert (
        d.facts_hash
        == "sha256:" + hashlib.sha256(orjson.dumps(case, option=orjson.OPT_SORT_KEYS)).hexdigest()
    )


def test_a_decision_against_the_proposal_is_confirmed_only_by_another_person_and_names_both(
    world, make_user
):
    """ADR 0037: a departure recorded by the head waits for the regional department; the head
    cannot confirm it, nor can another region's department, and the confirmation names both."""
    session = services.session_open(officer=world["head"], on=TODAY, members=MEMBERS)
    d = services.decision_record(
        officer=world["head"], item=_item(session), outcome="refuse", votes=_votes(session),
        reason_code="facts_disputed", reason="The incentive is contested.",
    )  # fmt: skip
    inst = world["insts"]["k1"]
    regional = make_user("regional", "regional", region=inst.region)
    other = next(i for i in world["insts"].values() if i.region_id != inst.region_id)
    elsewhere = make_user("regional-2", "regional", region=other.region)

    with translation.override("en"), pytest.raises(services.DecisionError, match="four-eyes"):
        services.decision_confirm(head=world["head"], decision=d)
    with pytest.raises(services.DecisionError):
        services.decision_confirm(head=elsewhere, decision=d)
    assert selectors.decisions_awaiting(world["head"]).filter(pk=d.pk).count() == 0
    assert [x.pk for x in selectors.deviations_awaiting(regional)] == [d.pk]
    assert _menu_count(regional) == "Overrides awaiting confirmation (1)"
    assert _menu_count(elsewhere) == "Overrides awaiting confirmation (0)"
    assert _menu_count(world["head"]) == "Overrides awaiting confirmation (0)"  # their own
    confirmed = services.decision_confirm(head=regional, decision=d)

    assert confirmed.confirmed_seq is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM ledger_entries WHERE seq = %s", [confirmed.confirmed_seq])
        body = orjson.loads(bytes(cursor.fetchone()[0]))
    assert body["actor"]["id"] == "regional"
    assert body["payload"]["recorded_by"] == "head"


def test_the_menu_counts_a_departure_for_whoever_confirms_it(world, make_user):
    """The head's menu counts the departures their institution's secretary recorded (one SQL
    count with the overrides); the regional department's, those a head of its region recorded
    (the test above)."""
    session = _open(world)
    by_secretary = services.decision_record(
        officer=world["officer"], item=_item(session), outcome="refuse", votes=_votes(session),
        reason_code="facts_disputed", reason="The incentive is contested.",
    )  # fmt: skip
    regional = make_user("regional", "regional", region=world["insts"]["k1"].region)

    assert by_secretary.deviates
    assert _menu_count(world["head"]) == "Overrides awaiting confirmation (1)"
    assert _menu_count(regional) == "Overrides awaiting confirmation (0)"
    services.decision_confirm(head=world["head"], decision=by_secretary)
    assert _menu_count(world["head"]) == "Overrides awaiting confirmation (0)"


def _menu_count(user: Any) -> str:
    """The words of the overrides' link in `user`'s menu."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    page = client.get("/institutions/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    return page.split('id="nav-overrides">', 1)[1].split("<", 1)[0]
