"""The register page: each institution named once with its code in the page's script, a map with
labels and a legend, and over-capacity said in words as well as in colour (issue 13)."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from adaldyq.web.institutions.services import institution_upsert, regions_load
from adaldyq.web.records import services
from tests.languages import in_each_language
from tests.web.fixtures import PASSWORD, person_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(make_user):
    """A colony of 2 places holding 3 people, and one of 100 places holding none."""
    regions_load()
    full = institution_upsert(
        code="UK-5",
        code_local="УК-5",
        name="UK-5, Mangystau Region",
        name_kk="УК-5, Маңғыстау облысы",
        name_ru="УК-5, Мангистауская область",
        region_key="mangystau",
        type="medium",
        capacity=2,
        lat=43.6,
        lon=51.2,
    )
    institution_upsert(
        code="UK-7",
        code_local="УК-7",
        name="Colony at Oral",
        region_key="west_kazakhstan",
        type="minimum",
        capacity=100,
        lat=51.2,
        lon=51.4,
    )
    officer = make_user("officer", "records_officer", institution=full)
    for n in (1, 2, 3):
        services.person_admit(
            officer=officer, person=person_payload(f"KA-000{n}", institution="UK-5")
        )
    return full


def _page(lang: str) -> str:
    client = Client(headers={"accept-language": lang})
    assert client.login(username="officer", password=PASSWORD)
    return client.get("/institutions/").content.decode()


@in_each_language(
    kk=("УК-5, Маңғыстау облысы", "УК-7 · Colony at Oral", "UK-"),
    ru=("УК-5, Мангистауская область", "УК-7 · Colony at Oral", "UK-"),
    en=("UK-5, Mangystau Region", "UK-7 · Colony at Oral", "УК-"),
)
def test_each_institution_is_named_once_with_its_code_in_the_pages_script(
    small, lang, full, other, latin
) -> None:
    html = _page(lang)
    table = html[html.index('<table id="register">') :]

    assert f"<td>{full}</td>" in table
    assert f"<td>{other}</td>" in table
    assert table.count("-5") == 1  # no "УК-5, ... УК-5"
    assert latin not in re.sub(r'href="[^"]*"', "", html[html.index("<main") :])


@in_each_language(
    kk=("орыннан артық", "Облыс орталығы"),
    ru=("сверх лимита мест", "Областной центр"),
    en=("over capacity", "Regional centre"),
)
def test_the_map_has_labels_a_legend_and_says_over_capacity_in_words(
    small, lang, words, legend
) -> None:
    html = _page(lang)
    svg = html[html.index("<svg") : html.index("</svg>")]
    full_row = re.search(r'<tr class="over">.*?</tr>', html, re.S)

    assert '<g class="inst over">' in svg
    assert svg.count('<g class="inst">') == 1  # the colony with room
    assert "-5 ▲150%</text>" in svg  # its label on the map says how full it is
    assert f"— {words}</title>" in svg
    assert legend in html[html.index('class="legend"') :]
    assert full_row is not None
    assert "150%" in full_row.group(0)
    assert words in full_row.group(0)


@in_each_language(
    kk=("Маңғыстау облысы", "УК-5, Маңғыстау облысы"),
    ru=("Мангистауская область", "УК-5, Мангистауская область"),
    en=("Mangystau Region", "UK-5, Mangystau Region"),
)
def test_region_keys_and_institution_codes_read_as_names_in_any_template(
    small, lang, region, institution
) -> None:
    template = Template("{{ r|region_name }}|{{ c|institution_name }}|{{ l|institution_name }}")

    with translation.override(lang):
        shown = template.render(Context({"r": "mangystau", "c": "UK-5", "l": "УК-5"}))

    assert shown == f"{region}|{institution}|{institution}"
    with translation.override(lang):
        unknown = template.render(Context({"r": "atlantis", "c": "ZZ-1", "l": ""}))
    assert unknown == "atlantis|ZZ-1|"
