"""Parole and probation on the public portal and in `adaldyq stats publish` (issues 18 and 19): the
released leave the institutions' population and appear on probation in their region, with the same
small-cell suppression as every other table."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from typer.testing import CliRunner

from adaldyq.cli.__main__ import app
from adaldyq.web.records import services
from adaldyq.web.records.checkpoints import sign_guarded
from tests.languages import in_each_language
from tests.web.fixtures import person_payload, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(make_user: Any) -> dict[str, Any]:
    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    day = (timezone.localdate() - timedelta(days=3)).isoformat()
    for k in range(26):
        person = services.person_admit(
            officer=officer,
            person=person_payload(number=f"KA-{k:04d}", home_region="karaganda"),
        )
        if k < 15:  # twelve released home to Karaganda, three to Almaty
            services.fact_record(officer=officer, person=person, fact={
                "type": "released", "on": day, "ground": "parole",
                "region": "karaganda" if k < 12 else "almaty",
            })  # fmt: skip
        if k < 11:
            services.fact_record(officer=officer, person=person, fact={
                "type": "employed", "on": day, "employer": "ТОО «Синтетика»"})  # fmt: skip
    sign_guarded(Path(settings.DATA_DIR))
    result = CliRunner().invoke(app, ["stats", "publish", "--format", "json"])
    assert result.exit_code == 0, result.output
    return orjson.loads(Client().get("/open-data/figures.json").content)


def _rows(table: dict[str, Any]) -> dict[str, list[Any]]:
    return dict(zip(table["rows"], table["counts"], strict=True))


def test_the_released_leave_the_institutions_population(published: dict[str, Any]) -> None:
    population = _rows(published["tables"]["population_by_type_and_sex"])

    assert population["medium"][0] == 11


def test_people_on_probation_are_published_by_region_with_small_cells_hidden(
    published: dict[str, Any],
) -> None:
    by_ground = _rows(published["tables"]["probation_by_region_and_ground"])
    support = _rows(published["tables"]["probation_support_by_region"])

    parole = {region: row[0] for region, row in by_ground.items()}
    shown = {region: n for region, n in parole.items() if n is not None}

    assert parole["almaty"] is None  # three people
    assert sum(n is None for n in parole.values()) >= 2  # else 15 - 12 would give them away
    assert shown.items() <= {**dict.fromkeys(shown, 0), "karaganda": 12, "total": 15}.items()
    assert support["karaganda"][1] == 11
    assert b'"KA-' not in orjson.dumps(published)


@in_each_language(
    kk="Пробациядағы адамдар: өңір және босату негізі бойынша",
    ru="Лица на пробации по регионам и основаниям освобождения",
    en="People on probation, by region and ground of release",
)
def test_the_portal_shows_the_probation_tables_in_the_readers_language(
    published: dict[str, Any], lang: str, title: str
) -> None:
    index = Client(HTTP_ACCEPT_LANGUAGE=lang).get("/figures/").content.decode()
    page = Client(HTTP_ACCEPT_LANGUAGE=lang).get("/figures/probation_by_region_and_ground/")

    assert title in index
    assert page.status_code == 200
    assert title in page.content.decode()
