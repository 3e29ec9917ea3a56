"""The art. 96 page: the same answer as the law engine gives one file at a time, in a fixed number of
queries whatever the number of people, a page at a time, institutions named in the reader's script."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from adaldyq.law import evaluate
from adaldyq.placement import TypeChangeCase, change_of_type
from adaldyq.web.institutions.models import Institution
from adaldyq.web.records import services as records
from adaldyq.web.records.models import Fact, Person
from adaldyq.web.records.selectors import case_events, core_person, law_pack
from adaldyq.web.transfers import selectors, views
from tests.web.transfers.conftest import TODAY

pytestmark = pytest.mark.django_db


def _people() -> list[Person]:
    return list(Person.objects.select_related("institution").order_by("number"))


def _one_at_a_time(person: Person) -> Any:
    """The reading the page did before it batched: every file read by itself, from its model rows."""
    result = evaluate(core_person(person), case_events(person), on=TODAY, law=law_pack())
    arrived = (
        Fact.objects.filter(
            person_id=person.pk, kind__in=("arrived", "transferred"), superseded_by=None, void=False
        )
        .order_by("-on")
        .values_list("on", flat=True)
        .first()
    )
    inst = person.institution
    assert inst is not None
    return change_of_type(
        TypeChangeCase(
            person=person.pk, type=inst.type, condition=result.condition, degree=result.degree,
            gravity=person.gravity or None, sentence_start=person.sentence_start,
            term_days=core_person(person).sentence.term_days, in_type_since=arrived,
        ),
        on=TODAY, rules=selectors.rules(),
    )  # fmt: skip


def test_batched_answer_is_the_engines_answer_file_by_file(world: dict[str, Any]) -> None:
    clean = world["admit"]("KA-0001", institution="M-KAR")
    penalised = world["admit"]("KA-0002", institution="M-AKM", on="2023-03-01")
    withdrawn = world["admit"]("KA-0003", institution="M-ALM", gravity="grave")
    for person, on in ((penalised, "2025-11-03"), (withdrawn, "2025-12-01")):
        records.fact_record(officer=world["clerk"], person=person,
                            fact={"type": "penalty", "on": on, "kind": "reprimand"})  # fmt: skip
    wrong = records.fact_record(officer=world["clerk"], person=withdrawn,
                                fact={"type": "penalty", "on": "2026-01-05", "kind": "reprimand"})  # fmt: skip
    records.fact_correct(officer=world["clerk"], person=withdrawn, original=wrong,
                         reason="recorded in the wrong file", replacement=None)  # fmt: skip
    people = _people()

    found = dict(selectors.type_changes(people, on=TODAY))

    assert {p.number for p in found} == {clean.number, penalised.number, withdrawn.number}
    for person in people:
        assert found[person] == _one_at_a_time(person)
    assert len({c.served_on for c in found.values()}) > 1  # the files differ, and so do the answers


def test_queries_do_not_grow_with_the_number_of_people(world: dict[str, Any]) -> None:
    for i in range(1, 4):
        world["admit"](f"KA-000{i}", institution="M-ALM")
    selectors.type_changes(_people(), on=TODAY)  # the law pack and the rules loaded once
    with CaptureQueriesContext(connection) as three:
        selectors.type_changes(_people(), on=TODAY)
    for i in range(4, 10):
        world["admit"](f"KA-000{i}", institution="M-KAR")
    with CaptureQueriesContext(connection) as nine:
        assert len(selectors.type_changes(_people(), on=TODAY)) == 9

    # the people, their standing facts and the law in force (one look-up, ADR 0026): none per person
    assert len(nine.captured_queries) == len(three.captured_queries) <= 3


def test_the_page_shows_one_page_of_people_and_keeps_the_institution_between_pages(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "ART96_PAGE", 2)
    Institution.objects.filter(code="M-ALM").update(code_local="М-АЛМ", name_ru="Колония в Алматы")
    for i in range(1, 6):
        world["admit"](f"KA-000{i}", institution="M-ALM" if i <= 3 else "M-KAR")
    c = Client()
    c.force_login(world["committee"])

    first = c.get("/transfers/art96/", {"institution": "M-ALM"}, HTTP_ACCEPT_LANGUAGE="ru")
    second = c.get("/transfers/art96/", {"institution": "M-ALM", "page": 2},
                   HTTP_ACCEPT_LANGUAGE="ru")  # fmt: skip

    assert len(first.context["rows"]) == 2
    assert len(second.context["rows"]) == 1
    body = first.content.decode()
    assert 'href="?institution=M-ALM&amp;page=2"' in body
    assert "М-АЛМ" in body
    assert "M-ALM ·" not in body  # the Latin code is not shown on a Russian page
