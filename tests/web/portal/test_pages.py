"""The portal's pages and open data, for anyone, in kk, ru and en."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import orjson
import pytest
from django.conf import settings
from django.test import Client

from adaldyq.web.portal.services import publication_publish
from adaldyq.web.records import services
from adaldyq.web.records.checkpoints import sign_guarded
from tests.languages import in_each_language
from tests.web.fixtures import person_payload, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def size(make_user) -> int:
    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    for k in range(14):
        services.person_admit(officer=officer, person=person_payload(number=f"KA-{k:04d}"))
    for k in range(3):
        services.person_admit(
            officer=officer, person=person_payload(number=f"KB-{k:04d}", institution="UK-161/2")
        )
    sign_guarded(Path(settings.DATA_DIR))
    return publication_publish()[0].size


def _get(path: str, lang: str = "en"):
    return Client(HTTP_ACCEPT_LANGUAGE=lang).get(path)


def test_before_anything_is_published_the_portal_says_so() -> None:
    answer = _get("/figures/")

    assert answer.status_code == 200
    assert "No figures have been published yet." in answer.content.decode()
    assert _get("/open-data/catalog.json").status_code == 404


@in_each_language(
    kk=("Ұсталатын адамдар: мекеме түрі және жынысы бойынша", "жасырылған"),
    ru=("Содержащиеся лица по виду учреждения и полу", "скрыто"),
    en=("People held, by institution type and sex", "hidden"),
)
def test_a_table_names_its_checkpoint_and_hides_a_small_cell_in_the_readers_language(
    size: int, lang: str, title: str, hidden: str
) -> None:
    index = _get("/figures/", lang).content.decode()
    page = _get("/figures/population_by_type_and_sex/", lang).content.decode()

    assert title in index
    assert f'<dd id="cp-size">{size}</dd>' in index
    assert title in page
    assert f'<td class="num hidden-cell">{hidden}</td>' in page  # the three in minimum security
    assert ">17<" in page  # the grand total; the 14 partner the 3 in their column
    assert "KB-0000" not in page


def test_each_table_is_a_csv_with_a_data_dictionary_listed_in_the_catalogue(size: int) -> None:
    catalog = orjson.loads(_get("/open-data/catalog.json").content)

    assert catalog["@type"] == "dcat:Catalog"
    datasets = {d["dct:identifier"]: d for d in catalog["dcat:dataset"]}
    assert len(datasets) == 12  # nine, and parole and probation's three
    for table_id, d in datasets.items():
        csv_url, schema_url = (x["dcat:downloadURL"] for x in d["dcat:distribution"])
        assert d["adaldyq:checkpoint"]["size"] == size
        answer = _get(csv_url.removeprefix("http://testserver"))
        assert answer.status_code == 200, table_id
        assert answer["Cache-Control"] == "public, max-age=31536000, immutable"
        rows = list(csv.DictReader(io.StringIO(answer.content.decode())))
        schema = orjson.loads(_get(schema_url.removeprefix("http://testserver")).content)
        assert [f["name"] for f in schema["fields"]] == list(rows[0])
        assert schema["checkpoint"]["size"] == size
        assert {"kk", "ru", "en"} <= set(schema["title"])
    rows = list(
        csv.DictReader(
            io.StringIO(_get(f"/open-data/{size}/population_by_type_and_sex.csv").content.decode())
        )
    )
    minimum = next(r for r in rows if r["institution_type"] == "minimum" and r["sex"] == "male")
    assert minimum == {"institution_type": "minimum", "sex": "male", "people": "", "hidden": "true"}


def test_the_whole_publication_is_served_as_stored(size: int) -> None:
    latest = _get("/open-data/figures.json")
    at = _get(f"/open-data/{size}/figures.json")

    assert latest.content == at.content
    assert orjson.loads(at.content)["checkpoint"]["size"] == size
    assert at["Cache-Control"] == "public, max-age=31536000, immutable"
    assert _get(f"/open-data/{size + 1}/figures.json").status_code == 404
