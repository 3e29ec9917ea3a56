"""Maker-checker (ADR 0037): an override takes effect only when a second person with the authority
confirms it. For each kind (a visit beyond the rules, a placement against the proposal or into a
full institution, a transfer out of queue order): the maker alone changes nothing, the maker cannot
confirm, a person without the authority cannot, a second authorised person can and the effect's
entry names both, a refusal closes it, and two confirmations at once make one effect."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import orjson
import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from adaldyq.core.errors import InputError
from adaldyq.web.overrides.models import CONFIRMED, PENDING, REFUSED, Override
from adaldyq.web.overrides.services import (
    OverrideError,
    OverridePendingError,
    override_confirm,
    override_refuse,
)
from adaldyq.web.records import services as records
from adaldyq.web.records.models import Person
from adaldyq.web.transfers import services as transfers
from adaldyq.web.transfers.models import Move
from adaldyq.web.visits.models import Booking
from tests.web.concurrency import POSTGRES_ONLY, at_once
from tests.web.fixtures import booked_by_staff, person_payload, relative_approved, room_defined
from tests.web.transfers.conftest import TODAY, admitted, small_register


@pytest.fixture(autouse=True)
def in_english() -> Any:
    """The services' refusals read in English here (the site's default is Kazakh)."""
    with translation.override("en"):
        yield


KINDS = ("visit_booking", "placement", "transfer")


def _entries(kind: str | None = None) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM ledger_entries ORDER BY seq")
        bodies = [orjson.loads(bytes(b) if not isinstance(b, bytes) else b) for (b,) in cursor]
    return [b for b in bodies if kind is None or b["type"] == kind]


def _world(make_user: Any) -> dict[str, Any]:
    insts = small_register()
    alm, akm = insts["M-ALM"], insts["M-AKM"]
    u = {
        "officer": make_user("officer", "records_officer", institution=alm),
        "head": make_user("head", "head", institution=alm),
        "head_akm": make_user("head-akm", "head", institution=akm),
        "regional": make_user("regional", "regional", region=alm.region),
        "regional_akm": make_user("regional-akm", "regional", region=akm.region),
        "committee": make_user("committee", "committee"),
        "committee2": make_user("committee2", "committee"),
        "prosecutor": make_user("prosecutor", "prosecutor"),
    }
    return {"users": u, "insts": insts}


def _visit(w: dict[str, Any]) -> Callable[[], Any]:
    """A second short visit on a day another is booked for (`already_booked`), asked by the officer."""
    officer = w["users"]["officer"]
    person = records.person_admit(
        officer=officer, person=person_payload("AL-0001", institution="M-ALM")
    )
    v = relative_approved(
        officer=officer, person=person, on=TODAY - timedelta(days=30),
        approved_on=TODAY - timedelta(days=29),
    )  # fmt: skip
    room = room_defined(
        officer=officer, institution="M-ALM", starts=["09:00", "11:00"], book_max_days=60
    )
    day = TODAY + timedelta(days=7)
    booked_by_staff(officer, person, room, day, v.visitor, today=TODAY)
    w["effect"] = lambda o: Booking.objects.filter(pk=o.effect)
    w["produced"] = lambda: Booking.objects.count()
    return lambda: booked_by_staff(
        officer, person, room, day, v.visitor, "11:00", today=TODAY,
        override_reason="the mother comes from abroad only that day",
    )  # fmt: skip


def _placement(w: dict[str, Any]) -> Callable[[], Any]:
    """A placement in M-ALM instead of the proposed M-KAR, asked by one committee member."""
    person = records.person_admit(
        officer=w["users"]["committee"],
        person={**person_payload("AL-0002", home_region="karaganda"), "institution": ""},
    )
    Person.objects.filter(pk=person.pk).update(institution=None)
    p = transfers.placement_propose(
        officer=w["users"]["committee"], person=person, type="medium", on=TODAY
    )
    w["effect"] = lambda o: Move.objects.filter(pk=o.effect)
    w["produced"] = lambda: Move.objects.count()
    return lambda: transfers.placement_decide(
        officer=w["users"]["committee"], placement=p, institution="M-ALM", on=TODAY,
        reason="the family moved to Almaty",
    )  # fmt: skip


def _transfer(w: dict[str, Any]) -> Callable[[], Any]:
    """The second of two requests into M-KAR granted ahead of the first."""
    admit = w["users"]["officer"]
    a = admitted(admit, "AL-0003", institution="M-ALM")
    b = admitted(admit, "AL-0004", institution="M-ALM")
    transfers.transfer_request_file(
        actor=transfers.public_actor("N1"), person=a, target="M-KAR", ground="closer_to_home",
        on=TODAY - timedelta(days=10),
    )  # fmt: skip
    second, _ = transfers.transfer_request_file(
        actor=transfers.public_actor("N2"), person=b, target="M-KAR", ground="closer_to_home",
        on=TODAY,
    )  # fmt: skip
    w["effect"] = lambda o: Move.objects.filter(pk=o.effect)
    w["produced"] = lambda: Move.objects.count()
    return lambda: transfers.transfer_decide(
        officer=w["users"]["committee"], request=second, grant=True, on=TODAY,
        reason="urgent medical care near the family",
    )  # fmt: skip


SETUPS = {"visit_booking": _visit, "placement": _placement, "transfer": _transfer}
#: Who may confirm each kind, and someone who may not (besides the maker).
CHECKER = {"visit_booking": "head", "placement": "committee2", "transfer": "regional"}
NOT_AUTHORISED = {
    "visit_booking": ("officer_is_maker", "head_akm", "regional_akm", "committee", "prosecutor"),
    "placement": ("head", "prosecutor", "regional_akm"),
    "transfer": ("head", "prosecutor", "regional_akm"),
}


def _asked(kind: str, make_user: Any) -> tuple[dict[str, Any], Override]:
    w = _world(make_user)
    ask = SETUPS[kind](w)
    before = w["produced"]()
    with pytest.raises(OverridePendingError) as pending:
        ask()
    w["before"] = before
    w["maker"] = w["users"]["officer" if kind == "visit_booking" else "committee"]
    return w, pending.value.override


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_the_maker_alone_changes_nothing(kind: str, make_user: Any) -> None:
    w, o = _asked(kind, make_user)

    assert o.status == PENDING
    assert o.kind == kind
    assert w["produced"]() == w["before"]  # no seat taken, nobody moved
    last = _entries()[-1]
    assert last["type"] == "override_requested"
    assert last["actor"]["id"] == w["maker"].get_username()
    assert last["payload"]["reason"]
    assert last["payload"]["rules"] == o.rules


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_the_maker_cannot_confirm_their_own_override(kind: str, make_user: Any) -> None:
    w, o = _asked(kind, make_user)
    size = len(_entries())

    with pytest.raises(OverrideError, match="four-eyes"):
        override_confirm(checker=w["maker"], override=o, on=TODAY)
    with pytest.raises(OverrideError, match="four-eyes"):
        override_refuse(checker=w["maker"], override=o, reason="no", on=TODAY)

    assert len(_entries()) == size
    assert w["produced"]() == w["before"]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_a_person_without_the_authority_cannot_confirm(kind: str, make_user: Any) -> None:
    w, o = _asked(kind, make_user)
    size = len(_entries())

    for who in NOT_AUTHORISED[kind]:
        if who == "officer_is_maker":
            who = "head_akm"
        with pytest.raises(OverrideError, match="authority"):
            override_confirm(checker=w["users"][who], override=o, on=TODAY)

    assert len(_entries()) == size
    assert Override.objects.get(pk=o.pk).status == PENDING


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_a_second_authorised_person_confirms_and_the_entry_names_both(
    kind: str, make_user: Any
) -> None:
    w, o = _asked(kind, make_user)
    checker = w["users"][CHECKER[kind]]

    done = override_confirm(checker=checker, override=o, on=TODAY)

    assert done.status == CONFIRMED
    assert done.decided_by == checker.get_username()
    assert w["effect"](done).exists()
    assert w["produced"]() == w["before"] + 1
    confirmed = _entries("override_confirmed")[-1]
    assert confirmed["actor"]["id"] == checker.get_username()
    assert confirmed["payload"]["requested_by"] == w["maker"].get_username()
    effect = next(
        e
        for e in _entries()
        if isinstance(e["payload"].get("override"), dict)
        and e["payload"]["override"]["seq"] == o.seq
    )
    assert effect["actor"]["id"] == w["maker"].get_username()
    assert effect["payload"]["override"]["confirmed_by"] == checker.get_username()
    assert effect["payload"]["override"]["requested_by"] == w["maker"].get_username()
    with pytest.raises(OverrideError, match="settled"):  # once only
        override_confirm(checker=checker, override=o, on=TODAY)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_a_refusal_closes_the_override_and_nothing_takes_effect(kind: str, make_user: Any) -> None:
    w, o = _asked(kind, make_user)
    checker = w["users"][CHECKER[kind]]

    with pytest.raises(OverrideError):
        override_refuse(checker=checker, override=o, reason=" ", on=TODAY)
    refused = override_refuse(checker=checker, override=o, reason="no ground given", on=TODAY)

    assert refused.status == REFUSED
    assert refused.refusal == "no ground given"
    assert w["produced"]() == w["before"]
    with pytest.raises(OverrideError, match="settled"):
        override_confirm(checker=checker, override=o, on=TODAY)
    assert w["produced"]() == w["before"]


@pytest.mark.django_db
def test_the_confirmation_checks_the_rules_again_and_refuses_when_they_changed(
    make_user: Any,
) -> None:
    w, o = _asked("transfer", make_user)
    for n in range(2):  # M-KAR (2 places) fills up meanwhile: a new departure, not the one asked
        records.person_admit(
            officer=w["users"]["officer"], person=person_payload(f"KR-{n}", institution="M-KAR")
        )

    with pytest.raises(InputError):
        override_confirm(checker=w["users"]["regional"], override=o, on=TODAY)

    assert Override.objects.get(pk=o.pk).status == PENDING
    assert w["produced"]() == w["before"]


@pytest.mark.django_db
def test_the_pages_list_what_awaits_whom_and_the_checker_confirms_there(
    make_user: Any, time_machine: Any
) -> None:
    w, o = _asked("visit_booking", make_user)
    # the pages confirm on their day: the fixture's
    time_machine.move_to(datetime(TODAY.year, TODAY.month, TODAY.day, 9, tzinfo=UTC), tick=False)
    head, maker = Client(), Client()
    head.force_login(w["users"]["head"])
    maker.force_login(w["users"]["officer"])

    listed = head.get("/overrides/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    page = head.get(f"/overrides/{o.seq}/").content.decode()
    own = maker.get(f"/overrides/{o.seq}/").content.decode()
    refused_maker = maker.post(f"/overrides/{o.seq}/", {"action": "confirm"})
    confirmed = head.post(f"/overrides/{o.seq}/", {"action": "confirm"})

    assert f'id="override-{o.seq}"' in listed
    assert 'id="nav-overrides"' in listed
    assert "the mother comes from abroad only that day" in page
    assert 'id="confirm"' in page
    assert 'id="confirm"' not in own
    assert refused_maker.status_code == 403  # a records officer has no authority at all
    assert confirmed.status_code == 302
    assert Override.objects.get(pk=o.pk).status == CONFIRMED
    prosecutor = Client()
    prosecutor.force_login(w["users"]["prosecutor"])
    settled = prosecutor.get("/overrides/").content.decode()
    assert 'id="settled"' in settled
    assert "head" in settled


@pytest.mark.django_db
def test_a_row_has_the_columns_of_its_own_table_when_settled_overrides_are_listed_too() -> None:
    """One reader may see overrides awaiting them and settled ones: only the settled table has the
    columns of who settled and how (a row awaiting had them too while any were settled)."""

    def shown(seq: int, status: str) -> SimpleNamespace:
        o = SimpleNamespace(
            seq=seq, person=None, person_id="P-1", reason="r", requested_by="maker",
            decided_by="checker", status=status, refusal="",
        )  # fmt: skip
        return SimpleNamespace(o=o, kind="visit", rules=["rule"])

    context = {"awaiting": [shown(1, PENDING)], "mine": [shown(2, PENDING)],
               "settled": [shown(3, CONFIRMED)], "decisions": [], "count": 1}  # fmt: skip
    html = render_to_string("overrides/list.html", context)

    def columns(table: str) -> tuple[int, int]:
        part = html[html.index(f'<table id="{table}"') :]
        part = part[: part.index("</table>")]
        return part.count("<th>"), part.count("<td>")

    assert [columns(t) for t in ("awaiting", "mine", "settled")] == [(6, 6), (6, 6), (8, 8)]


# ---- two confirmations at once ---------------------------------------------------------------------


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", KINDS)
def test_two_confirmations_at_once_make_one_effect(kind: str, make_user: Any) -> None:
    w, o = _asked(kind, make_user)
    first = w["users"][CHECKER[kind]]
    second = make_user("second", first.role, institution=first.institution, region=first.region)

    results = at_once(
        lambda: override_confirm(checker=first, override=o, on=TODAY),
        lambda: override_confirm(checker=second, override=o, on=TODAY),
    )

    assert sorted(type(r).__name__ for r in results) == ["Override", "OverrideError"]
    assert w["produced"]() == w["before"] + 1
    assert (
        len([e for e in _entries("override_confirmed") if e["payload"]["override"] == o.seq]) == 1
    )
