"""Builders for web tests: a small register and people, written through the real services."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from adaldyq.web.institutions.models import Institution
from adaldyq.web.institutions.services import institution_upsert, regions_load

#: The test users' password (`make_user`, the race workers).
PASSWORD = "correct horse battery"  # noqa: S105 - test users

#: The small register's institutions: key -> (code, name, region, type, capacity, lat, lon).
SITES = {
    "k1": ("UK-161/1", "Medium 1 (Karaganda)", "karaganda", "medium", 1200, 49.8, 73.1),
    "k2": ("UK-161/2", "Minimum 2 (Karaganda)", "karaganda", "minimum", 600, 49.9, 73.3),
    "a1": ("LA-155/3", "Maximum 3 (Almaty)", "almaty", "maximum", 900, 43.2, 76.9),
}


def register() -> dict[str, Institution]:
    """Two regions' worth of institutions: two in Karaganda, one in Almaty."""
    regions_load()
    return {
        key: institution_upsert(
            code=code, name=name, region_key=region, type=kind, capacity=capacity, lat=lat, lon=lon
        )
        for key, (code, name, region, kind, capacity, lat, lon) in SITES.items()
    }


def account(username: str, role: str, **scope: Any) -> Any:
    """A user `username` of `role` (a Role or its value), signing in with PASSWORD; `scope` as
    user_create takes it (institution, region, person_id, ...)."""
    from adaldyq.web.accounts.roles import Role
    from adaldyq.web.accounts.services import user_create

    return user_create(username=username, password=PASSWORD, role=Role(role), **scope)


def registered_officer(officer: str = "officer") -> tuple[dict[str, Institution], Any]:
    """The small register (`register`) and a records officer of its first institution (the login
    `officer`), signing in with PASSWORD: (institutions, officer)."""
    insts = register()
    return insts, account(officer, "records_officer", institution=insts["k1"])


def officer_and_head(officer: str = "officer") -> Any:
    """The small register (`register`), a records officer of its first institution (the login
    `officer`, returned) and the head of it (`head`), both signing in with PASSWORD."""
    insts, records_officer = registered_officer(officer)
    account("head", "head", institution=insts["k1"])
    return records_officer


def officer_admits(
    make_user: Any, number: str = "KA-0001", **over: Any
) -> tuple[dict[str, Institution], Any, Any]:
    """The small register (`register`), a records officer of its first institution (the login
    `officer`) and `number` (`person_payload`, with `over`) admitted by them: (institutions,
    officer, person)."""
    from adaldyq.web.records import services

    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    return (
        insts,
        officer,
        services.person_admit(officer=officer, person=person_payload(number, **over)),
    )


def scoped(role: str, insts: dict[str, Institution]) -> dict[str, Any]:
    """The scope keyword arguments of user_create for a role, in Karaganda's first institution."""
    if role in ("records_officer", "head"):
        return {"institution": insts["k1"]}
    if role == "regional":
        return {"region": insts["k1"].region}
    return {}


def person_payload(
    number: str = "KA-0001", *, institution: str = "UK-161/1", **over: Any
) -> dict[str, Any]:
    """An admission payload: a man of 1985 on an 8-year term from 2023-01-10, arrived 2023-02-01."""
    return {
        "id": f"p-{number.lower()}",
        "number": number,
        "surname": "Омаров",
        "given_name": "Ерлан",
        "patronymic": "Серікұлы",
        "sex": "male",
        "born": "1985-04-02",
        "sentence": {"start": "2023-01-10", "years": 8, "months": 0, "days": 0},
        "gravity": "medium",
        "institution": institution,
        "condition": "regular",
        "on": "2023-02-01",
        **over,
    }


def admission_form(number: str, **over: str) -> dict[str, str]:
    """The admission page's fields for `number`: a man born in 1990 on a 3-year term from
    2024-01-01 (medium security, from Karaganda region), arrived 2024-01-15."""
    return {
        "number": number, "surname": "Ахметов", "given_name": "Нұрлан", "sex": "male",
        "born": "1990-01-01", "sentence_start": "2024-01-01", "years": "3", "months": "0",
        "days": "0", "sentence_type": "medium", "home_region": "karaganda",
        "arrived_on": "2024-01-15", "condition": "regular", **over,
    }  # fmt: skip


def serving(
    officer: Any, number: str, *, start: date, years: int, arrived_days: int = 5, **over: Any
) -> Any:
    """`number` (`person_payload`, with `over`) admitted by `officer`: a term of `years` from `start`,
    arrived `arrived_days` later."""
    from adaldyq.web.records import services

    on = (start + timedelta(days=arrived_days)).isoformat()
    sentence = {"start": start.isoformat(), "years": years}
    return services.person_admit(
        officer=officer, person=person_payload(number, sentence=sentence, on=on, **over)
    )


def released_on_parole(*, officer: Any, person: Any, on: date, **decided: Any) -> None:
    """The court grants parole on `on` (with the duties to report and keep a curfew, unless
    `decided` says otherwise) and the person is released that day."""
    from adaldyq.web.records import services

    day = on.isoformat()
    services.fact_record(officer=officer, person=person, fact={
        "type": "court_decided", "on": day, "ground": "parole", "outcome": "granted",
        "duties": ["report", "curfew"], **decided,
    })  # fmt: skip
    services.fact_record(
        officer=officer, person=person, fact={"type": "released", "on": day, "ground": "parole"}
    )


def visitor_approved(*, person: Any, visitor: Any, on: Any = None, by: str = "approver") -> Any:
    """Another officer than the registrar approves the visitor, having seen the registered document
    (the four-eyes rule of `visits.services.visitor_decide`)."""
    from adaldyq.web.records.ledger_port import Actor
    from adaldyq.web.visits import services

    return services.visitor_decide(
        officer=Actor(by, "role:records_officer"),
        person=person,
        visitor=visitor,
        approved=True,
        document_seen=True,
        document_type=visitor.document_type or "id_card",
        document=visitor.document,
        on=on,
    )


def relative_approved(
    *,
    officer: Any,
    person: Any,
    on: Any = None,
    approved_on: Any = None,
    by: str = "approver",
    **over: Any,
) -> Any:
    """The person's wife (or whom `over` names) registered as a visitor by `officer` on `on` and
    approved by another officer on `approved_on` (`visitor_approved`)."""
    from adaldyq.web.visits import services

    fields = {"name": "Омарова Айгүл", "document": "N 0123456", "relationship": "spouse",
              "evidence": "marriage certificate", **over}  # fmt: skip
    visitor = services.visitor_register(officer=officer, person=person, on=on, **fields)
    return visitor_approved(person=person, visitor=visitor, on=approved_on, by=by)


def room_defined(
    *,
    officer: Any,
    institution: str = "UK-161/1",
    room: str = "S1",
    kind: str = "short",
    name: str = "Short visits hall",
    capacity: int = 4,
    **over: Any,
) -> Any:
    """A visit room (a hall of short visits, for 4, unless said otherwise), defined by `officer`."""
    from adaldyq.web.visits import services

    return services.room_define(
        officer=officer, institution=institution, room=room, kind=kind, name=name,
        capacity=capacity, **over,
    )  # fmt: skip


def booked_by_staff(
    officer: Any, person: Any, room: Any, day: date, visitor: Any, start: str = "09:00", **over: Any
) -> Any:
    """A visit of `visitor` (a Visitor) to `person` in `room` on `day` at `start`, booked by
    `officer` at the desk (channel "staff"); `over` as visit_book takes it. What visit_book returns."""
    from adaldyq.web.visits import services

    return services.visit_book(
        actor=officer, person=person, room=room, day=day, start=start, visitors=[visitor],
        channel="staff", **over,
    )  # fmt: skip


def out_of_scope(client: Any, user: Any, page: str, listing: str, name: str) -> None:
    """`user` may not open `page` of a file outside their scope (403), nor find its `name` in
    `listing`."""
    client.force_login(user)
    assert client.get(page).status_code == 403
    assert name not in client.get(listing).content.decode()


def ledger_size() -> int:
    """How many entries the ledger holds."""
    from django.db import connection

    from adaldyq.ledger import sql

    with connection.cursor() as cursor:
        return sql.read_size(cursor)


@contextlib.contextmanager
def nothing_written() -> Iterator[None]:
    """The ledger is as long after the block as before it."""
    before = ledger_size()
    yield
    assert ledger_size() == before


def client_as(user: Any, lang: str | None = None) -> Any:
    """A test client signed in as `user` without the login page (`force_login`), asking for pages
    in `lang` (None: no Accept-Language, so the site's own language)."""
    from django.test import Client

    client = Client(headers={"accept-language": lang} if lang else {})
    client.force_login(user)
    return client


def signed_in(username: str, lang: str = "en") -> Any:
    """A test client that signed in as `username` with the test users' password, reading `lang`."""
    from django.test import Client

    client = Client(headers={"accept-language": lang})
    assert client.login(username=username, password=PASSWORD)
    return client


def qualifying_person(officer: Any, today: date, number: str = "KA-0001", **over: Any) -> Any:
    """A man (`person_payload`, with `over`) who qualifies for the first positive degree on `today`:
    an 8-year term from 400 days before, arrived 390 days before, an incentive (gratitude) 130 days
    before and no penalty since."""
    from adaldyq.web.records import services

    def ago(days: int) -> str:
        return (today - timedelta(days=days)).isoformat()

    person = services.person_admit(
        officer=officer,
        person=person_payload(
            number, sentence={"start": ago(400), "years": 8}, on=ago(390), **over
        ),
    )
    services.fact_record(
        officer=officer,
        person=person,
        fact={"type": "incentive", "on": ago(130), "kind": "gratitude"},
    )
    return person
