"""The court's part on the web: the submission and its PDF, the court's decision, the release (issue 19)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from adaldyq.web.institutions.models import Region
from adaldyq.web.institutions.selectors import institutions_with_population
from adaldyq.web.records import services as records
from adaldyq.web.records.models import Person
from adaldyq.web.release import services
from tests.web.fixtures import serving

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(alm: dict[str, Any], make_user: Any) -> dict[str, Any]:
    officer, today = alm["officer"], alm["today"]
    person = serving(
        officer, "C-1", start=today - timedelta(days=700), years=3, institution="M-ALM",
        surname="Сотқаев",
    )  # fmt: skip
    committee = make_user("committee", "committee")
    return {"officer": officer, "person": person, "today": today, "committee": committee}


def _post(client: Any, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data, HTTP_ACCEPT_LANGUAGE="en", follow=True)


def test_a_submission_prints_with_its_code_and_verifies_and_a_late_refusal_reaches_oversight(
    client: Any, world: dict[str, Any]
) -> None:
    client.force_login(world["officer"])
    pk, today = world["person"].pk, world["today"].isoformat()

    _post(client, f"/parole/people/{pk}/submit/", {"ground": "parole", "on": today,
                                                    "court": "Медеуский районный суд"})  # fmt: skip
    page = client.get(f"/parole/people/{pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    seq = int(page.split(f"/parole/people/{pk}/submissions/")[1].split(".pdf")[0])
    pdf = client.get(f"/parole/people/{pk}/submissions/{seq}.pdf", {"lang": "ru"})

    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    code = pdf["Content-Disposition"].split("submission-")[1].split(".pdf")[0]
    verified = client.get(f"/verify/{code}", HTTP_ACCEPT_LANGUAGE="en")
    assert verified.status_code == 200
    assert 'id="submission"' in verified.content.decode()

    _post(client, f"/parole/people/{pk}/decide/", {
        "ground": "parole", "outcome": "refused", "refusal": "late_submission",
        "reason": "представление внесено с опозданием", "on": today,
    })  # fmt: skip
    client.force_login(world["committee"])
    register = client.get("/commission/register/", {"kind": "release_refused_late_submission"},
                          HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert world["person"].pk in register.content.decode()


def test_the_submission_states_the_programme_and_the_damage_paid_as_the_file_said_that_day(
    client: Any, world: dict[str, Any], monkeypatch: Any
) -> None:
    from adaldyq.web.decisions import pdf

    officer, person, today = world["officer"], world["person"], world["today"]
    paid_on = (today - timedelta(days=30)).isoformat()
    for fact in (
        {"type": "damage_awarded", "on": paid_on, "amount": 500_000},
        {"type": "damage_paid", "on": paid_on, "amount": 200_000, "by": "relatives"},
    ):
        records.fact_record(officer=officer, person=person, fact=fact)
    pages: list[str] = []
    real = pdf.render_to_string
    monkeypatch.setattr(
        pdf, "render_to_string", lambda *a, **k: pages.append(real(*a, **k)) or pages[-1]
    )
    client.force_login(officer)
    _post(client, f"/parole/people/{person.pk}/submit/", {"ground": "parole",
                                                          "on": today.isoformat()})  # fmt: skip
    page = client.get(f"/parole/people/{person.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    seq = int(page.split(f"/parole/people/{person.pk}/submissions/")[1].split(".pdf")[0])
    # paid after the submission: not in it
    records.fact_record(officer=officer, person=person, fact={
        "type": "damage_paid", "on": today.isoformat(), "amount": 300_000, "by": "person"})  # fmt: skip

    assert (
        client.get(f"/parole/people/{person.pk}/submissions/{seq}.pdf", {"lang": "en"}).status_code
        == 200
    )

    html = pages[-1]
    assert 'id="programme"' in html
    assert "No programme is recorded in the file." in html
    assert 'id="damage"' in html
    assert "still owed: 300" in html  # 500,000 awarded, 200,000 paid by the day of the submission


def test_a_granted_decision_then_the_release_closes_the_institutions_list(
    client: Any, world: dict[str, Any]
) -> None:
    client.force_login(world["officer"])
    pk, today = world["person"].pk, world["today"].isoformat()

    decided = _post(client, f"/parole/people/{pk}/decide/", {
        "ground": "parole", "outcome": "granted", "years": 1, "months": 1, "days": 0,
        "duties": ["report", "curfew"], "on": today,
    })  # fmt: skip
    page = _post(client, f"/parole/people/{pk}/release/", {
        "ground": "parole", "on": today, "region": "akmola", "every_days": 10, "mode": "phone",
    })  # fmt: skip
    due = client.get("/parole/due/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "granted" in decided.content.decode()
    assert "stay at home at the hours the court set" in decided.content.decode()
    assert page.redirect_chain[-1][0] == "/parole/due/?institution=M-ALM"  # out of their scope
    assert "Recorded in the personal file." in page.content.decode()
    assert "Сотқаев" not in due
    assert client.get(f"/parole/people/{pk}/").status_code == 403


def _placement(pk: str) -> tuple[Any, ...]:
    p = Person.objects.get(pk=pk)
    return (p.institution_id, p.released_on, p.released_from, p.released_to, p.condition)


def test_the_release_ends_the_placement_opens_probation_in_its_region_and_a_replay_agrees(
    client: Any, world: dict[str, Any], make_user: Any
) -> None:
    pk, today = world["person"].pk, world["today"]
    records.fact_record(officer=world["officer"], person=world["person"], fact={
        "type": "court_decided", "on": today.isoformat(), "ground": "parole",
        "outcome": "granted", "duties": ["report", "curfew"],
    })  # fmt: skip
    services.release_record(officer=world["officer"], person=world["person"], fact={
        "type": "released", "on": today.isoformat(), "ground": "parole", "region": "akmola",
        "every_days": 10, "mode": "phone",
    })  # fmt: skip
    after = _placement(pk)
    population = {i.code: i.population for i in institutions_with_population()}  # type: ignore[attr-defined]
    entries = records.read_models_rebuild()
    po = make_user("po-akm", "probation_officer", region=Region.objects.get(key="akmola"))
    client.force_login(po)
    register = client.get("/probation/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    file = client.get(f"/probation/people/{pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert after == (None, today, "M-ALM", "akmola", "regular")
    assert entries > 0
    assert _placement(pk) == after
    assert population["M-ALM"] == 0
    assert "Сотқаев" in register
    client.force_login(world["committee"])  # who reads every file still sees where they were
    opened = client.get(f"/people/{pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "M-ALM" in opened.split('id="released">')[1].split("</dd>")[0]
    assert "stay at home at the hours the court set" in file
    next_report = file.split('id="next-report">')[1].split("</p>")[0]
    day = today + timedelta(days=10)
    assert f"{day.day} {day:%b} {day.year}" in next_report


def test_a_withdrawn_release_puts_the_person_back_in_the_institution(
    world: dict[str, Any],
) -> None:
    pk, today = world["person"].pk, world["today"]
    fact = services.release_record(officer=world["officer"], person=world["person"], fact={
        "type": "released", "on": today.isoformat(), "ground": "term_served", "region": "almaty",
    })  # fmt: skip
    released = _placement(pk)

    records.fact_correct(
        officer=world["committee"], person=Person.objects.get(pk=pk), original=fact,
        replacement=None, reason="recorded in the wrong file", reason_code="wrong_file",
    )  # fmt: skip

    assert released[0] is None
    assert _placement(pk)[:4] == (world["person"].institution_id, None, "", "")


def test_a_refusal_without_the_courts_reason_is_not_recorded(
    client: Any, world: dict[str, Any]
) -> None:
    client.force_login(world["officer"])
    pk = world["person"].pk

    page = _post(client, f"/parole/people/{pk}/decide/", {
        "ground": "parole", "outcome": "refused", "refusal": "other", "reason": "",
        "on": world["today"].isoformat(),
    })  # fmt: skip

    assert "a refusal needs the court&#x27;s reason" in page.content.decode()
    assert '<table id="court"><tbody><tr><td class="muted">' in page.content.decode()  # none
