"""Visitors on the file: a document number that reads one way only, and approval by another officer
who saw the document (the four-eyes rule), in the user's language."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import translation

from adaldyq.core.text import document_problem, normalise_document
from adaldyq.web.records.ledger_port import Actor
from adaldyq.web.records.models import Fact
from adaldyq.web.visits import services
from adaldyq.web.visits.models import Visitor
from adaldyq.web.visits.services import ApprovalRefusedError
from tests.languages import in_each_language

pytestmark = pytest.mark.django_db

OTHER = Actor("officer-b", "role:records_officer@UK-161/1")


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("n 012 3456", "N0123456"),
        ("\uff2e\uff10\uff11\uff12\uff13\uff14\uff15\uff16", "N0123456"),  # full-width
        ("N\u00a00123456", "N0123456"),  # a no-break space
        ("ab-12/345", "AB-12/345"),
        ("\u0411\u0410 1234567", "\u0411\u04101234567"),  # a Cyrillic series
    ],
)
def test_a_document_number_is_read_in_one_normal_form(typed: str, number: str) -> None:
    assert document_problem(typed) is None
    assert normalise_document(typed) == number


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("\u202eN0123456", "hidden"),  # right-to-left override
        ("N01\u200b23456", "hidden"),  # zero-width space
        ("N01\u200f23456", "hidden"),  # right-to-left mark
        ("N01\x0023456", "hidden"),
        ("N012<3456>", "characters"),
        ("PASSPORT", "no_digit"),
        ("N12", "short"),
        ("N" + "1" * 20, "long"),
    ],
)
def test_an_unusable_document_number_is_refused_with_its_reason(typed: str, problem: str) -> None:
    found = document_problem(typed)

    assert found is not None
    assert found[0] == problem


def _register(world: dict[str, Any], **kw: Any) -> Visitor:
    kw.setdefault("officer", world["officer"])
    kw.setdefault("person", world["person"])
    kw.setdefault("name", "Омаров Серік")
    kw.setdefault("document", "N0999999")
    kw.setdefault("document_type", "id_card")
    kw.setdefault("relationship", "close_relative")
    kw.setdefault("evidence", "birth certificate")
    return services.visitor_register(**kw)


def _approve(world: dict[str, Any], v: Visitor, **kw: Any) -> Any:
    """`v` approved by another officer (`OTHER`, unless `officer` is given), having seen the identity
    card registered (unless `document_seen`, `document_type` or `document` say otherwise)."""
    kw.setdefault("officer", OTHER)
    kw.setdefault("document_seen", True)
    kw.setdefault("document_type", "id_card")
    kw.setdefault("document", "N0999999")
    return services.visitor_decide(person=world["person"], visitor=v, approved=True, **kw)


def test_the_officer_who_registered_a_visitor_cannot_approve_them(world) -> None:
    v = _register(world)

    with pytest.raises(ApprovalRefusedError) as exc, translation.override("ru"):
        _approve(world, v, officer=world["officer"])

    assert "другой сотрудник" in str(exc.value)
    assert Visitor.objects.get(pk=v.pk).status == "pending"


@pytest.mark.parametrize(
    ("seen", "document_type", "document", "says"),
    [
        (False, "id_card", "N0999999", "Approve only after seeing"),
        (True, "", "N0999999", "Choose the type"),
        (True, "passport", "N0999999", "is not the one registered (identity card)"),
        (True, "id_card", "N0999998", "(N0999998) does not match the registered number"),
    ],
)
def test_an_approval_states_the_document_seen_and_it_must_match(
    world, seen: bool, document_type: str, document: str, says: str
) -> None:
    v = _register(world)

    with pytest.raises(ApprovalRefusedError) as exc, translation.override("en"):
        _approve(world, v, document_seen=seen, document_type=document_type, document=document)

    assert says in str(exc.value)
    assert Visitor.objects.get(pk=v.pk).status == "pending"


def test_another_officer_approves_and_the_entry_names_both_people(world) -> None:
    v = _register(world, on=date(2025, 3, 1))

    _approve(world, v, document="n 099 9999", on=date(2025, 3, 2))

    v.refresh_from_db()
    assert (v.status, v.registered_by, v.decided_by) == ("approved", "officer", "officer-b")
    assert v.document_seen == {"number": "N0999999", "type": "id_card"}
    entry = Fact.objects.get(pk=v.decided_seq)
    assert entry.recorded_by == "officer-b"
    assert entry.data["registered_by"] == "officer"
    assert entry.data["registered_seq"] == v.seq
    with pytest.raises(ApprovalRefusedError):  # decided once
        services.visitor_decide(officer=OTHER, person=world["person"], visitor=v, approved=False)


def test_a_refusal_by_another_officer_needs_no_document(world) -> None:
    v = _register(world)

    services.visitor_decide(officer=OTHER, person=world["person"], visitor=v, approved=False)

    assert Visitor.objects.get(pk=v.pk).status == "refused"


def test_the_visits_page_offers_the_decision_only_to_another_officer(client, world, make_user):
    v = _register(world)
    colleague = make_user("colleague", "records_officer", institution=world["insts"]["k1"])
    page = f"/visits/people/{world['person'].pk}/"

    client.force_login(world["officer"])
    own = client.get(page).content.decode()
    client.force_login(colleague)
    other = client.get(page).content.decode()

    action = f"/visits/people/{world['person'].pk}/visitors/{v.pk}/decide/"
    assert action not in own
    assert action in other
    client.force_login(world["officer"])
    client.cookies["django_language"] = "kk"
    r = client.post(action, {"approved": "1", "document_seen": "on", "document_type": "id_card",
                             "document": "N0999999"}, follow=True)  # fmt: skip
    assert "төрт көз" in r.content.decode()
    client.force_login(colleague)
    client.post(action, {"approved": "1", "document_seen": "on", "document_type": "id_card",
                         "document": "N0999999"})  # fmt: skip
    assert Visitor.objects.get(pk=v.pk).decided_by == "colleague"


@in_each_language(
    kk="көрінбейтін немесе басқарушы таңбалар",
    ru="невидимые или управляющие символы",
    en="invisible or control characters",
)
def test_the_files_visitor_form_takes_a_document_and_refuses_a_hidden_character(
    client, world, lang: str, says: str
) -> None:
    client.force_login(world["officer"])
    client.cookies["django_language"] = lang
    url = f"/people/{world['person'].pk}/record/visitor_registered/"
    form = {
        "visitor_registered-on": "2025-03-01",
        "visitor_registered-name": "Омаров Серік",
        "visitor_registered-relationship": "brother",
        "visitor_registered-document_type": "passport",
        "visitor_registered-document": "N09\u200b99999",
        "visitor_registered-evidence": "birth certificates",
    }

    refused = client.post(url, form)
    recorded = client.post(url, {**form, "visitor_registered-document": "n 0999999"})

    assert refused.status_code == 400
    assert says in refused.content.decode()
    assert recorded.status_code == 302
    v = Visitor.objects.get(person=world["person"], document="N0999999")
    assert (v.status, v.visitor, v.document_type) == ("pending", "doc:N0999999", "passport")
    file_page = client.get(f"/people/{world['person'].pk}/").content.decode()
    assert f'href="/visits/people/{world["person"].pk}/"' in file_page
