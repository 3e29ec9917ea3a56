"""The register page reads the register kept up to date (issue 15, ADR 0036): computed once, brought up
to date with the files of new entries only, the entry it includes named on the page."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.cache import cache

from adaldyq.web.decisions import register_state as rs
from adaldyq.web.records import services as records
from tests.web.decisions.test_commission import _ago
from tests.web.decisions.test_register import flagged  # noqa: F401 - the fixture
from tests.web.fixtures import client_as

pytestmark = pytest.mark.django_db


def _kinds(state: dict[str, Any], person: str) -> set[str]:
    return {f["kind"] for f in state["flags"] if f["person"] == person}


def _stored_then_awarded(world: dict[str, Any], make_user: Any) -> tuple[Any, Any]:
    """The prosecutor's page stores the register; then the head awards the flagged person a degree
    (a delayed award). The prosecutor's client and the person."""
    person = world["person"]
    client = client_as(make_user("prosecutor", "prosecutor"), "en")
    client.get("/commission/register/")
    head = make_user("head-k1", "head", institution=person.institution)
    records.fact_record(
        officer=head, person=person, fact={"type": "degree_awarded", "on": _ago(1), "degree": 1}
    )
    return client, person


def test_the_page_stores_the_register_and_reads_it_again_while_only_reads_follow(
    flagged,  # noqa: F811 - the fixture
    make_user,
) -> None:
    client = client_as(make_user("prosecutor", "prosecutor"), "en")

    first = client.get("/commission/register/")
    stored = rs.register_state()
    second = client.get("/commission/register/")  # after the first page's own access entry

    assert first.status_code == second.status_code == 200
    assert stored is not None
    assert rs.register_state()["at"] == stored["at"]  # not computed again
    assert b'id="register-computed"' in second.content
    assert f"first {stored['upto'] + 1} entries".encode() in second.content
    assert b"not included yet" not in second.content


def test_a_new_finding_reaches_the_page_through_a_refresh_of_its_file_only(
    flagged,  # noqa: F811 - the fixture
    make_user,
) -> None:
    client, person = _stored_then_awarded(flagged, make_user)

    page = client.get(f"/commission/register/?person={person.number}")
    state = rs.register_state()

    assert "delayed_award" in _kinds(state, person.pk)
    assert state["rebuilt"] is False  # refreshed in place
    assert b"delayed_award" in page.content


def test_with_a_keeper_alive_the_page_shows_the_stored_register_and_what_it_lacks(
    flagged,  # noqa: F811 - the fixture
    make_user,
) -> None:
    client, person = _stored_then_awarded(flagged, make_user)
    cache.set(rs.HEARTBEAT, time.time(), timeout=30)  # a keeper looks every second

    page = client.get("/commission/register/")

    assert b"1 newer entry is not included yet." in page.content
    assert "delayed_award" not in _kinds(rs.register_state(), person.pk)
    keeper = rs.RegisterKeeper()
    try:
        assert "delayed_award" in _kinds(keeper.step(), person.pk)
    finally:
        keeper.close()
    assert b"not included yet" not in client.get("/commission/register/").content


def test_while_a_keeper_builds_the_first_register_the_page_and_the_api_say_so_and_build_nothing(
    flagged,  # noqa: F811 - the fixture
    make_user,
    monkeypatch,
) -> None:
    monkeypatch.setattr(rs, "WAIT_FOR_KEEPER", 1.0)
    cache.delete(rs.KEY)
    cache.set(rs.HEARTBEAT, time.time(), timeout=rs.BUILDING_HEARTBEAT)  # a keeper, building
    client = client_as(make_user("prosecutor", "prosecutor"), "ru")

    page = client.get("/commission/register/")
    api = client.get("/api/register/flags")

    assert (page.status_code, page["Retry-After"]) == (503, "60")
    assert "Реестр отклонений формируется" in page.content.decode()
    assert api.status_code == 503
    assert rs.register_state() is None  # the page left the building to the keeper
    cache.delete(rs.HEARTBEAT)  # the keeper gone: the page builds its own
    assert client.get("/commission/register/").status_code == 200
    assert rs.register_state() is not None


def _computed(on: str) -> list[dict[str, Any]]:
    """The findings and patterns of the register computed afresh at `on` (what `oversight flags
    --on` prints), with the other sources' flags, as JSON rows."""
    from datetime import date

    from django.db import connection

    from adaldyq.oversight import build_register
    from adaldyq.oversight.sources import other_flags
    from adaldyq.web.institutions.register import institution_types, read_sites
    from adaldyq.web.records.selectors import law_pack

    with connection.cursor() as cursor:
        sites = read_sites(cursor)
        day = date.fromisoformat(on)
        reg = build_register(cursor, law=law_pack(), register=institution_types(sites), on=day)
        reg.add_flags(other_flags(cursor, sites=sites, on=day))
    try:
        return [f.to_dict() for f in reg.flags(classes={"finding", "pattern"})]
    finally:
        reg.close()


def test_the_command_reads_the_kept_register_and_refuses_it_once_it_lacks_an_entry(
    flagged,  # noqa: F811 - the fixture
    make_user,
) -> None:
    import orjson
    from typer.testing import CliRunner

    from adaldyq.cli.__main__ import app

    keeper = rs.RegisterKeeper()
    try:
        state = keeper.step()
    finally:
        keeper.close()
    args = ["oversight", "flags", "--kept", "--format", "jsonl"]

    read = CliRunner().invoke(app, args)
    computed = _computed(state["on"])
    person = flagged["person"]
    head = make_user("head-k1", "head", institution=person.institution)
    records.fact_record(
        officer=head, person=person, fact={"type": "degree_awarded", "on": _ago(1), "degree": 1}
    )
    behind = CliRunner().invoke(app, args)

    assert read.exit_code == 0, read.output
    rows = [orjson.loads(line) for line in read.output.splitlines()]
    assert rows == computed  # line for line, in the computed register's order
    assert behind.exit_code != 0
    assert "lacks the ledger's 1 newest entries" in behind.output


def test_the_keeper_writes_again_only_the_parts_that_changed_and_deletes_the_replaced_ones(
    flagged,  # noqa: F811 - the fixture
    make_user,
    monkeypatch,
) -> None:
    monkeypatch.setattr(rs, "PART_GRACE", 0.0)  # a replaced part deleted at the next write
    person = flagged["person"]
    head = make_user("head-k1", "head", institution=person.institution)
    keeper = rs.RegisterKeeper()
    try:
        keeper.step()
        first = cache.get(rs.KEY)
        records.fact_record(
            officer=head, person=person, fact={"type": "degree_awarded", "on": _ago(1), "degree": 1}
        )
        state = keeper.step()
        second = cache.get(rs.KEY)
        records.fact_record(
            officer=head,
            person=person,
            fact={"type": "penalty", "on": _ago(0), "kind": "reprimand"},
        )
        keeper.step()
    finally:
        keeper.close()
    parts = [*first["flag_parts"], *first["other_parts"]]
    kept = [*second["flag_parts"], *second["other_parts"]]
    replaced = [rs._part_key(first["writer"], n) for n in set(parts) - set(kept)]

    assert "delayed_award" in _kinds(state, person.pk)
    assert 0 < len(replaced) < len(parts) / 2  # the kinds the award changed, not the others
    assert cache.get_many(replaced) == {}  # deleted once replaced (no reader needs them)
    stored = rs.register_state()
    fresh = rs.RegisterKeeper()  # the register built afresh from the same ledger
    try:
        again = fresh.step()
    finally:
        fresh.close()
    assert again["rebuilt"]
    assert (stored["flags"], stored["other"]) == (again["flags"], again["other"])
    assert rs.register_state()["flags"] == again["flags"]  # the new writer's head, its own parts
