"""`adaldyq.web.rows.by_pk`: the ORM's rows and related instances, from a SQL text made once."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from adaldyq.web.accounts.models import User
from adaldyq.web.institutions.models import Institution, Region
from adaldyq.web.records import services
from adaldyq.web.records.models import Person
from adaldyq.web.rows import by_pk, count_of, counts_of, where_equal
from tests.web.fixtures import person_payload, register

pytestmark = pytest.mark.django_db


def _same(read: object, orm: object) -> None:
    assert type(read) is type(orm)
    assert read._state.db == orm._state.db
    assert not read._state.adding
    for field in type(orm)._meta.concrete_fields:
        mine, theirs = getattr(read, field.attname), getattr(orm, field.attname)
        assert mine == theirs, field.name
        assert type(mine) is type(theirs), field.name  # 0 == False: the converters ran


def test_a_person_with_institution_and_region_as_select_related_reads_them(make_user) -> None:
    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k2"])
    admitted = services.person_admit(
        officer=officer, person=person_payload(institution="UK-161/2", surname="Сейітов")
    )
    orm = Person.objects.select_related("institution__region").get(pk=admitted.pk)

    with CaptureQueriesContext(connection) as queries:
        read = by_pk(Person, admitted.pk, ("institution", "region"))
        _same(read, orm)
        _same(read.institution, orm.institution)
        _same(read.institution.region, orm.institution.region)
    assert len(queries) == 1  # the institution and the region came with the person
    assert type(read.institution) is Institution
    assert type(read.institution.region) is Region
    assert read.institution.region.name == orm.institution.region.name


def test_a_null_foreign_key_is_cached_as_none(make_user) -> None:
    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    admitted = services.person_admit(officer=officer, person=person_payload())
    Person.objects.filter(pk=admitted.pk).update(institution=None)

    with CaptureQueriesContext(connection) as queries:
        read = by_pk(Person, admitted.pk, ("institution", "region"))
        assert read.institution is None
    assert len(queries) == 1


def test_no_row_or_a_malformed_key_gives_none(make_user) -> None:
    assert by_pk(Person, "p-nobody", ("institution", "region")) is None
    assert by_pk(User, 10**9) is None
    assert by_pk(User, "7; DROP TABLE accounts_user") is None
    assert by_pk(User, None) is None


def test_a_fact_with_its_json_payload_is_the_orm_s_row(make_user) -> None:
    from adaldyq.web.records.models import Fact

    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    person = services.person_admit(officer=officer, person=person_payload())
    recorded = services.fact_record(
        officer=officer,
        person=person,
        fact={"type": "work_hours", "on": "2023-07-01", "hours": 80, "month": "2023-06"},
    )

    orm = Fact.objects.get(pk=recorded.pk)
    _same(recorded, orm)
    assert recorded.data == {"hours": 80, "month": "2023-06"}


def test_the_signed_in_user_comes_with_the_institution_for_the_ledger_actor(make_user) -> None:
    from adaldyq.web.accounts.backends import UserBackend

    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    chair = make_user("chair", "committee")

    with CaptureQueriesContext(connection) as queries:
        read = UserBackend().get_user(str(officer.pk))
        assert read.institution.code == "UK-161/1"
        assert UserBackend().get_user(chair.pk).institution is None
    assert len(queries) == 2
    _same(read.institution, Institution.objects.get(pk=insts["k1"].pk))


def test_a_count_is_the_database_s_of_the_moment_from_sql_made_once(make_user) -> None:
    from adaldyq.web.accounts.scope import people_visible_to, scope_key

    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    other = make_user("other", "records_officer", institution=insts["k2"])
    nobody = make_user("nobody", "law_admin")  # reads no files: `people_visible_to` is none()
    services.person_admit(officer=officer, person=person_payload())

    def count(user: User) -> int:
        return count_of(("people", *scope_key(user)), lambda: people_visible_to(user))

    assert count(officer) == people_visible_to(officer).count() == 1
    assert count(other) == 0  # another scope, another key
    assert count(nobody) == 0
    services.person_admit(officer=officer, person=person_payload("KA-0002"))
    with CaptureQueriesContext(connection) as queries:
        assert count(officer) == 2  # counted afresh
        assert count(nobody) == 0
    assert len(queries) == 1  # one SELECT COUNT(*); none for a queryset that selects nothing
    with CaptureQueriesContext(connection) as queries:
        several = counts_of(
            [
                (("people", *scope_key(who)), lambda who=who: people_visible_to(who))
                for who in (officer, nobody, other, officer)
            ]
        )
    assert several == [2, 0, 0, 2]
    assert len(queries) == 1  # a menu's counts in one query


def test_a_device_read_with_only_some_fields_reads_the_others_when_used(make_user) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = make_user("officer", "records_officer", institution=register()["k1"])
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)

    with CaptureQueriesContext(connection) as queries:
        read = by_pk(TOTPDevice, device.pk, only=("user", "confirmed"))
        assert (read.user_id, read.confirmed) == (user.pk, True)
    assert len(queries) == 1
    assert read.get_deferred_fields() >= {"key", "name"}
    assert (read.name, read.key) == (device.name, device.key)  # read when used


def test_the_rows_where_a_column_equals_a_value_are_the_orm_s(make_user) -> None:
    from adaldyq.web.records.models import Fact

    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    person = services.person_admit(officer=officer, person=person_payload())
    services.fact_record(
        officer=officer,
        person=person,
        fact={"type": "work_hours", "on": "2023-07-01", "hours": 80, "month": "2023-06"},
    )
    orm = sorted(Fact.objects.filter(person=person), key=lambda f: f.seq)

    read = sorted(where_equal(Fact, person=person.pk), key=lambda f: f.seq)
    hours = where_equal(Fact, person_id=person.pk, kind="work_hours", on=date(2023, 7, 1))

    assert len(read) == len(orm) >= 2  # the arrival and the hours
    for mine, theirs in zip(read, orm, strict=True):
        _same(mine, theirs)
    assert [f.seq for f in hours] == [orm[-1].seq]
    assert where_equal(Fact, person=person.pk, kind="work_hours", on=date(2023, 7, 2)) == []
    assert where_equal(Fact, person="p-nobody") == []


def test_the_first_row_in_an_order_is_the_orm_s() -> None:
    from datetime import UTC, datetime

    from adaldyq.web.audit.models import ViewCheck
    from adaldyq.web.rows import first

    order = ("-checked_at", "-id")
    assert first(ViewCheck, order) is None
    at = datetime(2026, 11, 3, 9, 30, tzinfo=UTC)
    for differences in (4, 0, 7):  # the last two at the same moment: the higher id first
        ViewCheck.objects.create(
            checked_at=at, differences=differences, tables={"records_fact": differences},
            sample=[{"row": differences}], ledger_upto=differences,
        )  # fmt: skip
        at = at.replace(hour=10)

    mine, theirs = first(ViewCheck, order), ViewCheck.objects.order_by(*order).first()

    assert mine.differences == 7
    _same(mine, theirs)
