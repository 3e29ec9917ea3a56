"""A form of the personal file sent twice (back button, double click, two at once) writes once."""

from __future__ import annotations

import re
from typing import Any

import pytest

from adaldyq.web.idempotency.keys import FIELD, new_token
from adaldyq.web.idempotency.models import Submission
from adaldyq.web.records import services
from adaldyq.web.records.models import Fact, Note, Person
from tests.web.concurrency import POSTGRES_ONLY, at_once
from tests.web.fixtures import (
    admission_form,
    ledger_size,
    nothing_written,
    person_payload,
    register,
    signed_in,
)

#: A valid sending of each fact form of the file (prefix = kind), and who may send it.
FACT_POSTS: dict[str, tuple[str, dict[str, str]]] = {
    "incentive": ("officer", {"on": "2023-06-01", "kind": "gratitude"}),
    "penalty": ("officer", {"on": "2023-06-01", "violation": "smoking", "malicious": ""}),
    "joined_organisation": ("officer", {"on": "2023-06-01"}),
    "left_organisation": ("officer", {"on": "2023-06-01"}),
    "work_hours": ("officer", {"on": "2023-06-01", "hours": "120", "month": "2023-05"}),
    "study_hours": ("officer", {"on": "2023-06-01", "hours": "20", "month": "2023-05"}),
    "work_assessed": ("officer", {"on": "2023-06-01", "diligent": "true"}),
    "recognised": ("officer", {"on": "2023-06-01", "as": "offender"}),
    "condition_changed": ("officer", {"on": "2023-09-01", "to": "light"}),
    "visitor_registered": (
        "officer",
        {
            "on": "2023-06-01",
            "name": "Омарова Айгүл",
            "relationship": "mother",
            "document": "N0123456",
        },
    ),
    "degree_awarded": ("head", {"on": "2023-09-01", "degree": "1"}),
    "degree_revoked": ("head", {"on": "2023-06-01"}),
}


def _world(make_user: Any) -> Person:
    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    make_user("head", "head", institution=insts["k1"])
    make_user("ombudsman", "ombudsman")
    person = services.person_admit(officer=officer, person=person_payload())
    services.fact_record(
        officer=officer,
        person=person,
        fact={"type": "incentive", "on": "2023-05-12", "kind": "gratitude"},
    )
    return person


def _key_in(html: str, form_id: str) -> str:
    """The one-use key of the form with `form_id` on a rendered page."""
    start = html.index(f'id="{form_id}"')
    found = re.search(rf'name="{FIELD}" value="([^"]+)"', html[start:])
    assert found, f"no idempotency key in #{form_id}"
    return found.group(1)


def _at_the_file(make_user: Any, username: str, form_id: str) -> tuple[Person, Any, str]:
    """The world's person, a client signed in as `username` and the key of the form with `form_id`
    on the person's file page as that client is shown it."""
    person = _world(make_user)
    client = signed_in(username)
    return person, client, _key_in(client.get(f"/people/{person.pk}/").content.decode(), form_id)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(FACT_POSTS))
def test_each_fact_form_sent_twice_records_one_entry_and_shows_the_first(make_user, kind) -> None:
    username, fields = FACT_POSTS[kind]
    person, client, key = _at_the_file(make_user, username, f"form-{kind}")
    data = {f"{kind}-{k}": v for k, v in fields.items()} | {FIELD: key}
    before = ledger_size()

    first = client.post(f"/people/{person.pk}/record/{kind}/", data)
    after_first = (ledger_size(), Fact.objects.filter(person=person, kind=kind).count())
    again = client.post(f"/people/{person.pk}/record/{kind}/", data)

    assert first.status_code == 302, first.content.decode()[-2000:]
    seq = Fact.objects.filter(person=person, kind=kind).latest("seq").seq
    assert first.url == f"/people/{person.pk}/?entry={seq}#entry-{seq}"
    assert (ledger_size(), Fact.objects.filter(person=person, kind=kind).count()) == after_first
    assert after_first[0] > before
    assert again.status_code == 302
    assert again.url == first.url
    shown = client.get(again.url).content.decode()
    assert "Already recorded" in shown
    assert f'id="entry-{seq}" aria-current="true"' in shown


@pytest.mark.django_db
def test_a_correction_sent_twice_corrects_once(make_user) -> None:
    person = _world(make_user)
    inc = Fact.objects.get(person=person, kind="incentive")
    client = signed_in("officer")
    fragment = client.get(f"/people/{person.pk}/entries/{inc.seq}/correct/").content.decode()
    data = {
        f"c{inc.seq}-reason": "the date was mistyped",
        f"c{inc.seq}-reason_code": "typing_error",
        f"c{inc.seq}-on": "2023-05-02",
        f"c{inc.seq}-kind": "gratitude",
        FIELD: _key_in(fragment, f"correct-{inc.seq}"),
    }

    first = client.post(f"/people/{person.pk}/entries/{inc.seq}/correct/", data)
    size = ledger_size()
    again = client.post(f"/people/{person.pk}/entries/{inc.seq}/correct/", data)

    assert first.status_code == 302
    assert again.status_code == 302
    assert again.url == first.url
    assert ledger_size() == size
    assert Fact.objects.filter(corrects=inc).count() == 1


@pytest.mark.django_db
def test_a_note_sent_twice_is_written_once(make_user) -> None:
    person, client, key = _at_the_file(make_user, "ombudsman", "note-form")

    for _ in range(2):
        response = client.post(f"/people/{person.pk}/notes/", {"text": "visited", FIELD: key})
        assert response.status_code == 302

    assert Note.objects.filter(person=person).count() == 1


@pytest.mark.django_db
def test_an_admission_sent_twice_opens_one_file(make_user) -> None:
    _world(make_user)
    client = signed_in("officer")
    key = _key_in(client.get("/people/admit/").content.decode(), "admission")
    form = admission_form("KA-0100", **{FIELD: key})

    first = client.post("/people/admit/", form)
    again = client.post("/people/admit/", form)

    assert first.status_code == 302
    assert Person.objects.filter(number="KA-0100").count() == 1
    assert again.status_code == 302
    assert again.url == first.url
    assert "Already recorded" in client.get(again.url).content.decode()


@pytest.mark.django_db
def test_a_refused_sending_leaves_the_key_for_the_corrected_form(make_user) -> None:
    person, client, key = _at_the_file(make_user, "officer", "form-penalty")
    data = {"penalty-on": "2090-01-01", "penalty-violation": "smoking", FIELD: key}

    refused = client.post(f"/people/{person.pk}/record/penalty/", data)
    accepted = client.post(
        f"/people/{person.pk}/record/penalty/", data | {"penalty-on": "2023-06-01"}
    )

    assert refused.status_code == 400
    assert accepted.status_code == 302
    assert Fact.objects.filter(person=person, kind="penalty").count() == 1


@pytest.mark.django_db
def test_a_key_made_for_another_user_or_forged_writes_nothing(make_user) -> None:
    person = _world(make_user)
    head_key = new_token(make_user("head2", "head", institution=person.institution))
    client = signed_in("officer")
    with nothing_written():
        for key in (head_key, "forged:key"):
            response = client.post(
                f"/people/{person.pk}/record/incentive/",
                {"incentive-on": "2023-06-01", "incentive-kind": "gratitude", FIELD: key},
                headers={"referer": f"http://testserver/people/{person.pk}/"},
            )
            assert response.status_code == 302
            assert response.url == f"http://testserver/people/{person.pk}/"


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["penalty", "correction", "admission"])
def test_the_same_form_sent_twice_at_once_writes_once(make_user, kind) -> None:
    person = _world(make_user)
    inc = Fact.objects.get(person=person, kind="incentive")
    officer = signed_in("officer")
    page = officer.get(f"/people/{person.pk}/").content.decode()
    if kind == "penalty":
        url = f"/people/{person.pk}/record/penalty/"
        data = {"penalty-on": "2023-06-01", "penalty-violation": "smoking"}
        key = _key_in(page, "form-penalty")
    elif kind == "correction":
        url = f"/people/{person.pk}/entries/{inc.seq}/correct/"
        data = {
            f"c{inc.seq}-reason": "withdrawn: entered twice",
            f"c{inc.seq}-withdraw": "on",
            f"c{inc.seq}-reason_code": "recorded_twice",
        }
        key = _key_in(officer.get(url).content.decode(), f"correct-{inc.seq}")
    else:
        url = "/people/admit/"
        data = admission_form("KA-0200")
        key = _key_in(officer.get(url).content.decode(), "admission")
    size = ledger_size()
    clients = [signed_in("officer"), signed_in("officer")]

    statuses = at_once(*(lambda c=c: c.post(url, data | {FIELD: key}).status_code for c in clients))

    assert statuses == [302, 302]
    assert Submission.objects.filter(key=key.split(".")[0]).count() == 1
    written = ledger_size() - size
    if kind == "admission":
        assert Person.objects.filter(number="KA-0200").count() == 1
    elif kind == "correction":
        assert Fact.objects.filter(corrects=inc).count() == 1
    else:
        assert Fact.objects.filter(person=person, kind="penalty").count() == 1
    assert written == 1


@pytest.mark.django_db
def test_a_repeat_sent_by_htmx_is_told_to_load_the_first_result(make_user) -> None:
    person, client, key = _at_the_file(make_user, "officer", "form-incentive")
    data = {"incentive-on": "2023-06-01", "incentive-kind": "gratitude", FIELD: key}

    first = client.post(f"/people/{person.pk}/record/incentive/", data)
    again = client.post(
        f"/people/{person.pk}/record/incentive/", data, headers={"HX-Request": "true"}
    )

    assert again.status_code == 200
    assert again["HX-Redirect"] == first.url
