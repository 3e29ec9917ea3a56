"""`adaldyq ledger audit-views`: the read models against the ledger; replay refuses on a difference."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from django.test import Client
from typer.testing import CliRunner

from adaldyq.cli.__main__ import app
from adaldyq.web.audit.models import ViewCheck
from adaldyq.web.audit.services import audit_views, read_models
from adaldyq.web.records import services
from adaldyq.web.records.models import Fact, Person
from tests.web.fixtures import PASSWORD, person_payload, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user: Any) -> Any:
    insts = register()
    return make_user("officer", "records_officer", institution=insts["k1"])


@pytest.fixture
def person(officer: Any) -> Person:
    services.read_models_rebuild()  # entries left by transactional tests of this session come back first
    return services.person_admit(officer=officer, person=person_payload())


@pytest.fixture
def penalty(officer: Any, person: Person) -> Fact:
    services.fact_record(
        officer=officer, person=person, fact={"type": "incentive", "on": "2023-05-12"}
    )
    return services.fact_record(
        officer=officer,
        person=person,
        fact={"type": "penalty", "on": "2023-06-01", "kind": "smoking"},
    )


def _withdraw_in_the_database(penalty: Fact) -> None:
    """What an insider with database access does: the page shows the penalty withdrawn."""
    Fact.objects.filter(seq=penalty.seq).update(void=True)


def test_the_read_models_agree_with_the_ledger_after_ordinary_writes(
    officer, person, penalty
) -> None:
    services.fact_correct(
        officer=officer, person=person, original=penalty, reason="not him", replacement=None
    )

    found, check = audit_views()

    assert found == []
    assert check.differences == 0
    assert ViewCheck.objects.count() == 1
    tables = {m._meta.db_table for m in read_models()}
    assert {
        "records_fact",
        "records_person",
        "visits_booking",
        "transfers_move",
        "decisions_decision",
    } <= tables


def test_a_penalty_shown_as_withdrawn_is_found_and_nothing_changes(penalty) -> None:
    _withdraw_in_the_database(penalty)

    found, check = audit_views()

    assert [d.to_dict() for d in found] == [
        {
            "table": "records_fact",
            "key": {"seq": penalty.seq},
            "column": "void",
            "shown": True,
            "ledger": False,
        }
    ]
    assert check.differences == 1
    assert check.tables == {"records_fact": 1}
    assert Fact.objects.get(seq=penalty.seq).void  # the check changed nothing
    assert ViewCheck.objects.get().differences == 1


def test_a_row_missing_from_the_page_and_a_row_the_ledger_never_gave(penalty, person) -> None:
    Fact.objects.filter(seq=penalty.seq).delete()
    Fact.objects.create(
        seq=penalty.seq + 1000, entry_hash="00", person=person, kind="incentive",
        on=penalty.on, data={}, recorded_by="nobody", recorded_at=penalty.recorded_at,
    )  # fmt: skip

    found, _ = audit_views()

    by_key = {d.key["seq"]: d for d in found}
    assert set(by_key) == {penalty.seq, penalty.seq + 1000}
    missing, invented = by_key[penalty.seq], by_key[penalty.seq + 1000]
    assert (missing.column, missing.shown, missing.ledger["kind"]) == ("*", None, "penalty")
    assert (invented.column, invented.shown["recorded_by"], invented.ledger) == (
        "*",
        "nobody",
        None,
    )


def test_the_command_lists_the_difference_and_exits_1(penalty) -> None:
    runner = CliRunner()
    clean = runner.invoke(app, ["ledger", "audit-views"], terminal_width=200)
    assert clean.exit_code == 0, clean.output
    assert "agree with the ledger" in clean.output

    _withdraw_in_the_database(penalty)
    result = runner.invoke(app, ["ledger", "audit-views", "--format", "jsonl"], terminal_width=200)

    assert result.exit_code == 1, result.output
    lines = [orjson.loads(line) for line in result.output.splitlines() if line.strip()]
    assert lines == [
        {
            "table": "records_fact",
            "key": {"seq": penalty.seq},
            "column": "void",
            "shown": True,
            "ledger": False,
        }
    ]
    text = runner.invoke(app, ["ledger", "audit-views"], terminal_width=200)
    assert text.exit_code == 1
    assert (
        f"records_fact [seq={penalty.seq}] void: the page shows true, the ledger says false"
        in text.output
    )


def test_replay_refuses_without_force_then_rebuilds_with_it(penalty) -> None:
    _withdraw_in_the_database(penalty)
    runner = CliRunner()

    refused = runner.invoke(app, ["ledger", "replay"], terminal_width=200)

    assert refused.exit_code == 2
    assert "void: the page shows true, the ledger says false" in refused.output
    assert "nothing was rebuilt" in refused.output
    assert Fact.objects.get(seq=penalty.seq).void

    forced = runner.invoke(app, ["ledger", "replay", "--force"], terminal_width=200)

    assert forced.exit_code == 0, forced.output
    assert not Fact.objects.get(seq=penalty.seq).void
    assert ViewCheck.objects.order_by("-id").first().differences == 0  # type: ignore[union-attr]


def _page(username: str) -> str:
    client = Client(headers={"accept-language": "en"})
    assert client.login(username=username, password=PASSWORD)
    client.cookies["django_language"] = "en"
    response = client.get("/people/")
    assert response.status_code == 200
    return response.content.decode()


def test_oversight_roles_see_the_alarm_while_the_last_check_found_a_difference(
    penalty, make_user
) -> None:
    make_user("prosecutor", "prosecutor")
    assert "views-alarm" not in _page("prosecutor")  # never checked
    _withdraw_in_the_database(penalty)
    audit_views()

    page = _page("prosecutor")
    assert 'id="views-alarm"' in page
    assert "found rows that differ from what the ledger says: 1." in page
    assert "views-alarm" not in _page("officer")  # the alarm is for the oversight roles

    Fact.objects.filter(seq=penalty.seq).update(void=False)
    audit_views()
    assert "views-alarm" not in _page("prosecutor")
