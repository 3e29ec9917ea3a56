"""Charts: a Vega-Lite spec and its table in the page's language (decimal comma, grouped thousands)."""

from __future__ import annotations

import json
from datetime import date

from django.template.loader import render_to_string
from django.utils import translation

from adaldyq.oversight.stats import funnel_limit
from adaldyq.web import charts
from tests.languages import in_each_language


@in_each_language(kk=(",", "\xa0"), ru=(",", "\xa0"), en=(".", ","))  # fmt: skip
def test_a_chart_follows_the_page_language_in_its_format_locale_and_its_table(
    lang: str, decimal: str, thousands: str
) -> None:
    with translation.override(lang):
        chart = charts.bars(chart_id="c", title="T", categories=["a", "b"],
                            series=[("s", [1234.5, 2.25])], y_title="y", decimals=1,
                            hrefs=["/list/?a=1"])  # fmt: skip
        html = render_to_string("charts/_chart.html", {"chart": chart})

    assert chart.options["formatLocale"]["decimal"] == decimal
    assert chart.options["formatLocale"]["thousands"] == thousands
    assert f"1{thousands}234{decimal}5" in html
    assert '<a href="/list/?a=1">a</a>' in html
    spec = json.loads(html.split('id="c-spec" type="application/json">')[1].split("</script>")[0])
    assert spec["data"]["values"][0] == {
        "category": "a",
        "series": "s",
        "value": 1234.5,
        "order": 0,
    }
    assert 'data-vega-spec="c-spec"' in html


def test_the_kazakh_month_names_are_those_a_kazakh_reader_writes() -> None:
    options = charts.embed_options("kk")

    assert options["timeFormatLocale"]["months"][0] == "қаңтар"
    assert options["timeFormatLocale"]["shortMonths"][11] == "жел"


def test_several_series_differ_by_dash_and_shape_not_by_colour_alone() -> None:
    months = [date(2025, m, 1) for m in (1, 2, 3)]
    chart = charts.lines(chart_id="l", title="T", months=months,
                         series=[("one", [1, 5, 2]), ("two", [2, 2, 2])], y_title="y",
                         limit=("capacity", 4))  # fmt: skip
    grouped = charts.bars(chart_id="b", title="T", categories=["x"],
                          series=[("one", [1]), ("two", [2])], y_title="y")  # fmt: skip

    line, points = chart.spec["layer"][:2]
    assert line["encoding"]["strokeDash"]["scale"]["range"] == [[1, 0], [6, 3]]
    assert points["encoding"]["shape"]["scale"]["range"] == ["circle", "square"]
    assert [v["over"] for v in chart.spec["data"]["values"]] == [False, True, False] + [False] * 3
    assert chart.head == ("", "one", "two", "capacity")
    assert set(grouped.spec["encoding"]) >= {"color", "xOffset"}
    assert set(grouped.spec["layer"][0]["encoding"]) == {"strokeDash", "fillOpacity"}


def test_the_funnel_draws_the_exact_binomial_limits_and_names_who_stands_out() -> None:
    units = [charts.FunnelUnit("UK-1", 100, 30, 1e-6, 1e-5, True, "/x/"),
             charts.FunnelUnit("UK-2", 40, 4, 0.6, 0.6, False)]  # fmt: skip

    with translation.override("ru"):
        chart = charts.funnel(chart_id="f", title="T", units=units, national=0.1,
                              unit_title="Учреждение", n_title="Решения")  # fmt: skip

    curves = chart.spec["layer"][0]["data"]["values"]
    at_100 = [c["limit"] for c in curves if c["n"] == 100]
    assert at_100 == [funnel_limit(100, 0.1, 0.025) / 100, funnel_limit(100, 0.1, 0.001) / 100]
    assert chart.rows[0][3].text == "30,0%"
    assert chart.rows[0][5].text == "1e-05"
    assert chart.rows[1][6].text == "нет"


def test_many_or_long_categories_lie_across_so_their_names_never_meet() -> None:
    regions = [f"Region number {i}" for i in range(20)]
    lying = charts.bars(chart_id="r", title="T", categories=regions,
                        series=[("one", list(range(20)))], y_title="people")  # fmt: skip
    upright = charts.bars(chart_id="u", title="T", categories=["a", "b", "c"],
                          series=[("one", [1, 2, 3]), ("two", [3, 2, 1])], y_title="people")  # fmt: skip

    assert lying.spec["encoding"]["y"]["field"] == "category"
    assert lying.spec["encoding"]["x"]["field"] == "value"
    assert lying.spec["height"] >= 20 * charts.BAR_LINE  # a line a bar
    assert lying.spec["layer"][1]["mark"]["align"] == "left"  # the value beside the bar's end
    assert upright.spec["encoding"]["x"]["field"] == "category"
    assert "xOffset" in upright.spec["encoding"]
