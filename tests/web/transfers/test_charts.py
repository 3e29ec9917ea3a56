"""Charts draw the same in every language: SVG coordinates are never written with a decimal comma."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from adaldyq.web.transfers.charts import histogram, line_chart

NUMERIC = re.compile(r'\b(x|y|x1|x2|y1|y2|cx|cy|r|width|height)="([^"]*)"')


def _coordinates(svg: str) -> list[str]:
    found = [v for _, v in NUMERIC.findall(svg)]
    assert found
    return found


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_occupancy_chart_has_plain_numbers_in_every_language(lang: str) -> None:
    days = [date(2024, m, 1) for m in range(1, 13)]
    chart = line_chart([100, 121, 150, 163, 170, 171, 168, 160, 158, 162, 166, 168], 153, days)

    with translation.override(lang):
        svg = render_to_string("transfers/_line.html", {"c": chart, "ticks": True, "aria": "UK-25"})

    for value in _coordinates(svg):
        float(value)  # "38,6" would raise
    assert "2024-01" in svg


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_distance_histogram_has_plain_numbers_in_every_language(lang: str) -> None:
    columns = [
        ("now", [(0.0, 50.0, 7), (50.0, 200.0, 3), (200.0, None, 1)]),
        ("rule", [(0.0, 50.0, 5), (50.0, 200.0, 5), (200.0, None, 1)]),
    ]

    with translation.override(lang):
        svg = render_to_string("transfers/_histogram.html", {"hist": histogram(columns)})

    for value in _coordinates(svg):
        float(value)
    assert 'id="histogram"' in svg


def test_no_month_label_runs_past_the_right_edge() -> None:
    days = [date(2024 + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in range(1, 26)]
    chart = line_chart(list(range(25)), 20, days, width=640)

    ticks = chart["ticks"]
    assert isinstance(ticks, list)
    for t in ticks:
        # about 6 px a character at font-size 10: a label of 7 starting at x ends by x + 42
        assert t["x"] + 42 <= 640 if t["anchor"] == "start" else t["x"] <= 640
    assert ticks[-1]["anchor"] == "end"
