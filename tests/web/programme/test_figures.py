"""The programme's figures: the page, its chart, the CSV and `adaldyq programme report` agree."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from typing import Any

import orjson
import pytest
from django.test import Client
from typer.testing import CliRunner

from adaldyq.cli.__main__ import app
from adaldyq.web.programme import services
from adaldyq.web.programme.selectors import figures
from tests.web.programme.conftest import official

pytestmark = pytest.mark.django_db


def _visit(world: dict[str, Any], host: str, day: date) -> Any:
    v = services.visit_plan(
        officer=world["agency"], host=host, day=day, route=["cells"], capacity=10,
        on=day - timedelta(days=30),
    )  # fmt: skip
    return services.visit_decide(officer=world["head"], visit=v, confirmed=True, on=day)


@pytest.fixture
def attended(world) -> dict[str, Any]:
    first = _visit(world, "M-ALM", date(2026, 3, 4))
    second = _visit(world, "M-AKM", date(2026, 5, 6))
    for n in (1, 2, 3):
        services.attendance_record(
            officer=world["agency"], visit=first, official=official(n), on=first.day
        )
    for n in (1, 4):  # official 1 comes twice
        services.attendance_record(
            officer=world["agency"], visit=second, official=official(n), on=second.day
        )
    services.attendance_record(
        officer=world["agency"], visit=second,
        official=official(5, name="=HYPERLINK(\"http://x\")", body="@SUM(1)"), on=second.day,
    )  # fmt: skip
    _visit(world, "M-ALM", date(2026, 7, 1))  # confirmed, nobody yet
    return world


def test_figures_count_officials_once_and_attendances_each_time(attended) -> None:
    f = figures()
    assert (f["attendees"], f["attendances"], f["visits"]) == (5, 6, 3)
    assert f["repeat"] == {"officials": 1, "most": 2}
    assert f["by_month"] == {"2026-03": 3, "2026-05": 3}
    assert f["by_institution"] == {"M-AKM": 3, "M-ALM": 3}
    assert sum(f["by_category"].values()) == 5
    assert sum(f["by_region"].values()) == 5
    assert f["coverage"] == {"in_scope": 0, "attended": 0, "share": None, "by_body": {}}
    # a scope sees its institutions only
    assert figures(frozenset({"M-ALM"}))["attendees"] == 3


def test_the_page_gives_its_chart_with_the_figures_as_a_table(attended) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    client.force_login(attended["agency"])
    page = client.get("/programme/figures/").content.decode()
    assert 'data-vega-spec="chart-months-spec"' in page
    spec = json.loads(
        page.split('id="chart-months-spec" type="application/json">')[1].split("<")[0]
    )
    assert [v["value"] for v in spec["data"]["values"]] == [3, 3]
    assert '<th scope="row">2026-03</th><td class="num">3</td>' in page
    assert "Посещения по месяцам" in page


def test_the_csv_neutralises_formulas(attended) -> None:
    client = Client()
    client.force_login(attended["agency"])
    response = client.get("/programme/figures.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + 6
    names = {r[3] for r in rows[1:]}
    assert '\'=HYPERLINK("http://x")' in names
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows[1:] for cell in r)
    # the head of M-ALM exports its own institution's attendance only
    head = Client()
    head.force_login(attended["head"])
    own = b"".join(head.get("/programme/figures.csv").streaming_content).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(own)))) == 1 + 3


def test_the_report_command_gives_the_page_figures(attended) -> None:
    result = CliRunner().invoke(app, ["programme", "report", "--format", "json"])
    assert result.exit_code == 0, result.output
    found = orjson.loads(result.output)
    for key in ("attendees", "visits", "by_category", "by_region", "coverage"):
        assert key in found
    assert found["attendees"] == 5
    assert found["visits"] == 3
    text = CliRunner().invoke(app, ["programme", "report"], terminal_width=200)
    assert text.exit_code == 0
    assert "5 officials have attended 3 programme visits" in text.output
