"""People awaiting placement (issue 13): admitted from the judgment by the committee or a regional
department with the home region and the type the court set, listed with a count reached from the
navigation, each placed from the rule's proposal."""

from __future__ import annotations

from typing import Any

import pytest

from adaldyq.web.records.models import Person
from adaldyq.web.transfers.models import Move, Placement
from tests.web.fixtures import client_as

pytestmark = pytest.mark.django_db

ADMISSION = {
    "number": "KA-0200", "surname": "Сейітов", "given_name": "Нұрлан", "sex": "male",
    "born": "1991-03-04", "sentence_start": "2026-02-10", "years": "4", "months": "0",
    "days": "0", "gravity": "medium", "sentence_type": "medium", "home_region": "akmola",
    "arrived_on": "2026-02-12", "condition": "regular",
}  # fmt: skip


def test_the_committee_admits_from_the_judgment_and_places_near_home(world: dict[str, Any]) -> None:
    c = client_as(world["committee"], "en")

    admitted = c.post("/people/admit/", ADMISSION)
    listed = c.get("/transfers/awaiting/")
    proposal = c.post(_place_url(), {"type": "medium"})

    assert admitted.status_code == 302
    person = Person.objects.get(number="KA-0200")
    assert person.institution is None
    assert (person.home_region, person.sentence_type) == ("akmola", "medium")
    body = listed.content.decode()
    assert 'id="nav-awaiting"' in body
    assert "Awaiting placement (1)" in body
    assert f"/transfers/place/{person.pk}/" in body
    assert "Akmola Region" in body
    placement = Placement.objects.get(person_id=person.pk)
    assert proposal.url == f"/transfers/placements/{placement.seq}/"
    assert placement.proposed == "M-AKM"  # the nearest medium-security colony to Kokshetau

    page = c.get(proposal.url).content.decode()
    placed = c.post(proposal.url, {"institution": "M-AKM"})

    assert "Akmola Region" in page
    assert "akmola)" not in page
    assert placed.status_code == 302
    assert Person.objects.get(pk=person.pk).institution.code == "M-AKM"
    assert not Move.objects.get(person_id=person.pk).against_proposal
    assert "Awaiting placement (0)" in c.get("/transfers/").content.decode()


def _place_url() -> str:
    return f"/transfers/place/{Person.objects.get(number='KA-0200').pk}/"


def test_the_placement_page_of_a_person_with_a_proposal_opens_the_proposal(
    world: dict[str, Any],
) -> None:
    person = world["admit"]("KA-0001", institution=None, sentence_type="medium")
    c = client_as(world["committee"], "en")
    c.post(f"/transfers/place/{person.pk}/", {"type": "medium"})

    again = c.get(f"/transfers/place/{person.pk}/")

    assert again.status_code == 302
    assert again.url == f"/transfers/placements/{Placement.objects.get().seq}/"


def test_the_proposal_form_starts_from_the_type_the_court_set(world: dict[str, Any]) -> None:
    person = world["admit"]("KA-0001", institution=None, sentence_type="maximum")

    page = client_as(world["committee"], "en").get(f"/transfers/place/{person.pk}/")

    assert page.context["form"]["type"].value() == "maximum"


def test_a_regional_department_sees_who_awaits_placement_from_its_region(
    world: dict[str, Any], make_user: Any
) -> None:
    from adaldyq.web.institutions.models import Region

    world["admit"]("KA-0001", institution=None, home="karaganda")
    world["admit"]("KA-0002", institution=None, home="almaty")
    regional = make_user("reg", "regional", region=Region.objects.get(key="karaganda"))

    page = client_as(regional, "ru").get("/transfers/awaiting/")

    body = page.content.decode()
    assert "KA-0001" in body
    assert "KA-0002" not in body
    assert "Карагандинская область" in body
    assert "Ожидают распределения (1)" in body


def test_a_records_officer_neither_sees_the_list_nor_admits_without_an_institution(
    world: dict[str, Any], make_user: Any
) -> None:
    from adaldyq.web.institutions.models import Institution

    officer = make_user(
        "officer", "records_officer", institution=Institution.objects.get(code="M-KAR")
    )
    c = client_as(officer, "en")

    admitted = c.post("/people/admit/", {**ADMISSION, "number": "KA-0300"})

    assert 'id="nav-awaiting"' not in c.get("/transfers/").content.decode()
    assert admitted.status_code == 302
    assert Person.objects.get(number="KA-0300").institution.code == "M-KAR"


def test_the_decision_offers_only_institutions_the_rules_admit(world: dict[str, Any]) -> None:
    from adaldyq.web.institutions.services import institution_upsert

    institution_upsert(code="F-KAR", name="F-KAR", region_key="karaganda", type="medium",
                       capacity=5, sex="female", lat=49.79, lon=73.09)  # fmt: skip
    person = world["admit"]("KA-0001", institution=None, sentence_type="medium")
    c = client_as(world["committee"], "en")
    placement = c.post(f"/transfers/place/{person.pk}/", {"type": "medium"})

    page = c.get(placement.url)

    assert {a["institution"] for a in page.context["choices"]} == {"M-AKM", "M-ALM", "X-KAR"}
    assert "F-KAR" in {a["institution"] for a in page.context["alternatives"]}


def test_a_regional_department_opens_the_file_of_one_awaiting_placement_from_its_region_only(
    world: dict[str, Any], make_user: Any
) -> None:
    from adaldyq.web.institutions.models import Region

    ours = world["admit"]("KA-0001", institution=None, home="karaganda")
    theirs = world["admit"]("KA-0002", institution=None, home="almaty")
    c = client_as(make_user("reg", "regional", region=Region.objects.get(key="karaganda")), "en")

    assert c.get(f"/people/{ours.pk}/").status_code == 200
    assert c.get(f"/people/{theirs.pk}/").status_code == 403


@pytest.mark.parametrize("role", ["committee", "regional"])
def test_the_navigation_s_count_reads_its_index_not_every_released_person(
    world: dict[str, Any], make_user: Any, role: str
) -> None:
    """Every page of the committee and a regional department counts those awaiting placement: a
    released person has no institution either, so without the index of (institution, released_on)
    the count read every released person's row (records migration 0013)."""
    from django.db import connection

    from adaldyq.web.institutions.models import Region
    from adaldyq.web.transfers.selectors import awaiting_placement

    user = make_user("asker", role, region=Region.objects.get(key="karaganda"))
    query = awaiting_placement(user).order_by().values("pk").query
    sql, params = query.get_compiler(connection=connection).as_sql()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "records_per_awaiting_idx" in plan
    else:  # PostgreSQL's planner picks by the table's size: the index is there for it to take
        with connection.cursor() as cursor:
            found = connection.introspection.get_constraints(cursor, "records_person")
        assert found["records_per_awaiting_idx"]["columns"] == ["institution_id", "released_on"]
