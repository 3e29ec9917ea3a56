"""The court's part on the web: the submission and its PDF, the court's decision, the release (issue 19)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

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


def test_a_granted_decision_then_the_release_closes_the_institutions_list(
    client: Any, world: dict[str, Any]
) -> None:
    client.force_login(world["officer"])
    pk, today = world["person"].pk, world["today"].isoformat()

    _post(client, f"/parole/people/{pk}/decide/", {
        "ground": "parole", "outcome": "granted", "years": 1, "months": 1, "days": 0,
        "duties": ["report", "curfew"], "on": today,
    })  # fmt: skip
    page = _post(client, f"/parole/people/{pk}/release/", {"ground": "parole", "on": today})
    due = client.get("/parole/due/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    text = page.content.decode()
    assert "granted" in text
    assert "stay at home at the hours the court set" in text
    assert "Сотқаев" not in due


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
