"""The monthly list of parole and substitution due, on the page and from the command (issue 19)."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from adaldyq.cli.__main__ import app
from adaldyq.web.records import services as records
from tests.web.fixtures import person_payload
from tests.web.transfers.conftest import small_register

pytestmark = pytest.mark.django_db

# 3 years from 2024-01-01, medium gravity: substitution from 2024-10-01, parole from 2025-01-01.
SENTENCE = {"start": "2024-01-01", "years": 3, "months": 0, "days": 0}


@pytest.fixture
def world(make_user: Any, base_law: None) -> dict[str, Any]:
    insts = small_register()
    officer = make_user("officer-alm", "records_officer", institution=insts["M-ALM"])
    due = records.person_admit(
        officer=officer,
        person=person_payload("D-1", institution="M-ALM", surname="Мерзімов",
                              sentence=SENTENCE, on="2024-01-05"),
    )  # fmt: skip
    records.fact_record(
        officer=officer, person=due,
        fact={"type": "parole_facts", "on": "2024-02-01", "damage_compensated": True},
    )  # fmt: skip
    unknown = records.person_admit(
        officer=officer,
        person=person_payload("D-2", institution="M-ALM", surname="Белгісізов",
                              sentence=SENTENCE, on="2024-01-05", gravity=""),
    )  # fmt: skip
    records.person_admit(
        officer=make_user("officer-akm", "records_officer", institution=insts["M-AKM"]),
        person=person_payload("D-3", institution="M-AKM", surname="Сыртқаров",
                              sentence=SENTENCE, on="2024-01-05"),
    )  # fmt: skip
    return {"officer": officer, "due": due, "unknown": unknown}


def test_the_list_gives_each_date_in_the_three_months_with_the_laws_answer(
    client: Any, world: dict[str, Any]
) -> None:
    client.force_login(world["officer"])

    page = client.get("/parole/due/", {"month": "2024-12"}, HTTP_ACCEPT_LANGUAGE="en")

    text = page.content.decode()
    assert page.status_code == 200
    rows = {row.split("</td>")[0]: row for row in text.split('<tr class="answer-')[1:]}
    assert any(k.startswith('mandatory">') and "Мерзімов" in k for k in rows)  # 1 Jan 2025
    assert any("Белгісізов" in k and "the gravity of the crime" in r for k, r in rows.items())
    assert "Сыртқаров" not in text  # another institution


def test_staff_of_another_institution_may_not_read_the_list(
    client: Any, world: dict[str, Any], make_user: Any
) -> None:
    client.force_login(world["officer"])

    assert client.get("/parole/due/", {"institution": "M-AKM"}).status_code == 403


def test_the_command_prints_the_same_list_as_json(world: dict[str, Any]) -> None:
    result = CliRunner().invoke(
        app, ["parole", "due", "--institution", "M-ALM", "--month", "2024-10", "--format", "json"]
    )

    assert result.exit_code == 0, result.output
    found = orjson.loads(result.output)
    got = {(d["number"], d["kind"]): (d["on"], d["answer"], d["missing"]) for d in found["due"]}
    assert got == {
        ("D-1", "substitution"): ("2024-10-01", "possible", []),
        ("D-2", "parole"): (None, "not_determinable", ["gravity"]),
        ("D-2", "substitution"): (None, "not_determinable", ["gravity"]),
    }


def test_the_command_refuses_a_malformed_month_in_one_line(world: dict[str, Any]) -> None:
    result = CliRunner().invoke(
        app, ["parole", "due", "--institution", "M-ALM", "--month", "12/2024"]
    )

    assert result.exit_code == 2
    assert "YYYY-MM" in result.output
