"""Charts: Vega-Lite specifications built from data and the page's language, each with its table (ADR 0029).

    bars(...)     one bar per category, or a group of bars per category, one per series
    lines(...)    one line per series over months, with an optional limit (a capacity) as a rule
    funnel(...)   each unit's share against its count, the national share and the exact binomial limits

A `Chart` carries the specification (rendered in the browser by vega-embed from the vendored files,
`static/vendor/vega/`), the embedding options for the current language (Vega's number and time format
locales: a decimal comma and a non-breaking space between thousands in Kazakh and Russian) and the
same figures as table rows, which the template `charts/_chart.html` shows beside the chart: the table
is the chart's alternative for a screen reader, for a page without script and for a printout. Series
differ by shape and dash as well as by colour, and every bar and point carries its value as a label or
a tooltip, so that no chart is read by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext as _

from adaldyq.oversight.stats import funnel_limit

__all__ = [
    "Cell",
    "Chart",
    "FunnelUnit",
    "bars",
    "embed_options",
    "funnel",
    "lines",
    "number",
    "significant",
]

#: Vega-Lite's schema of the vendored version (scripts/vendor-charts).
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"

#: Dash and shape per series, in order: the second thing besides colour that tells series apart.
DASHES = ([1, 0], [6, 3], [2, 2], [8, 2, 2, 2])
SHAPES = ("circle", "square", "triangle-up", "diamond")
#: The funnel's two limits (ADR 0025's tails): about 95% and 99.8% of units fall inside by chance.
FUNNEL_TAILS = (0.025, 0.001)

_MONTHS = {
    "kk": (
        ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек",
         "қазан", "қараша", "желтоқсан"],
        ["қаң", "ақп", "нау", "сәу", "мам", "мау", "шіл", "там", "қыр", "қаз", "қар", "жел"],
        ["жексенбі", "дүйсенбі", "сейсенбі", "сәрсенбі", "бейсенбі", "жұма", "сенбі"],
        ["жс", "дс", "сс", "ср", "бс", "жм", "сб"],
    ),
    "ru": (
        ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
         "октябрь", "ноябрь", "декабрь"],
        ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"],
        ["воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"],
        ["вс", "пн", "вт", "ср", "чт", "пт", "сб"],
    ),
    "en": (
        ["January", "February", "March", "April", "May", "June", "July", "August", "September",
         "October", "November", "December"],
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
        ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
        ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
    ),
}  # fmt: skip


def _lang() -> str:
    lang = (translation.get_language() or "kk").split("-")[0]
    return lang if lang in _MONTHS else "kk"


def embed_options(lang: str | None = None) -> dict[str, Any]:
    """vega-embed's options for a language: number and time format locales as Django's formats say."""
    lang = lang or _lang()
    with translation.override(lang):
        decimal = str(formats.get_format("DECIMAL_SEPARATOR"))
        thousands = str(formats.get_format("THOUSAND_SEPARATOR"))
    months, short_months, days, short_days = _MONTHS[lang]
    return {
        "formatLocale": {
            "decimal": decimal,
            "thousands": thousands,
            "grouping": [3],
            "currency": ["", "\u00a0₸"],
        },
        "timeFormatLocale": {
            "dateTime": "%d.%m.%Y %H:%M",
            "date": "%d.%m.%Y",
            "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": days,
            "shortDays": short_days,
            "months": months,
            "shortMonths": short_months,
        },
    }


def number(value: float | int | None, decimals: int = 0) -> str:
    """A figure as the page's language writes it (grouped thousands); None is a dash."""
    if value is None:
        return "—"
    return formats.number_format(value, decimals, use_l10n=True, force_grouping=True)


def significant(value: float) -> str:
    """A p- or q-value to two significant figures, with the language's decimal separator."""
    return f"{value:.2g}".replace(".", str(formats.get_format("DECIMAL_SEPARATOR")))


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: its text as the page writes it and, where there is one, the list behind it."""

    #: what the cell says (a figure already formatted by `number`, or a name)
    text: str
    #: the page that lists what the figure counts ("" for none)
    href: str = ""


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart ready for `{% include "charts/_chart.html" with chart=... %}`."""

    #: the element's id (unique on the page); the spec's script element is `<id>-spec`
    id: str
    #: the caption, also the chart's accessible name
    title: str
    #: the Vega-Lite specification
    spec: dict[str, Any]
    #: the table alternative: its header and rows (the same figures the chart draws)
    head: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    #: vega-embed's options for the page's language
    options: dict[str, Any] = field(default_factory=embed_options)

    @property
    def spec_id(self) -> str:
        return f"{self.id}-spec"

    @property
    def options_id(self) -> str:
        return f"{self.id}-options"


#: Bars a chart draws upright at most; beyond, or with a long category name, they lie across.
ACROSS_MAX = 8
#: Pixels of height a lying bar takes, its gap included.
BAR_LINE = 22


def _axis(fmt: str, decimals: int) -> dict[str, Any]:
    """An axis of figures: whole numbers get whole ticks only (no "1, 1, 2, 2")."""
    return {"format": fmt, "tickMinStep": 1} if decimals == 0 else {"format": fmt}


def _base(title: str, values: list[dict[str, Any]], height: int) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "description": title,
        "width": "container",
        "height": height,
        "autosize": {"type": "fit", "contains": "padding"},
        "data": {"values": values},
        "config": {"axis": {"labelFontSize": 11, "titleFontSize": 11}, "legend": {"orient": "top"}},
    }


def bars(
    *,
    chart_id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | int]]],
    y_title: str,
    x_title: str = "",
    hrefs: Sequence[str] = (),
    decimals: int = 0,
    height: int = 220,
) -> Chart:
    """Bars per category (in the given order); with several series, a group per category. Upright
    for a few short categories; lying across, a line each, for more or longer ones.

    Each bar carries its value above it; the series differ by fill pattern (opacity and dash of the
    outline) as well as by colour and are named in a legend and in the table's header.
    """
    fmt = f",.{decimals}f"
    values = [
        {"category": c, "series": name, "value": vs[i], "order": k}
        for k, (name, vs) in enumerate(series)
        for i, c in enumerate(categories)
    ]
    # Many categories or long names lie along the vertical axis, a bar a line: on a 390 px phone
    # their names then never run into each other (a long one is cut, whole in the tooltip and table).
    across = len(categories) * len(series) > ACROSS_MAX or any(len(c) > 14 for c in categories)
    x = {"field": "category", "type": "nominal", "sort": list(categories), "title": x_title or None,
         "axis": {"labelAngle": 0, "labelLimit": 140 if across else 120}}  # fmt: skip
    y = {"field": "value", "type": "quantitative", "title": y_title, "axis": _axis(fmt, decimals)}
    tooltip = [
        {"field": "category", "type": "nominal", "title": x_title or title},
        {"field": "series", "type": "nominal", "title": " "},
        {"field": "value", "type": "quantitative", "title": y_title, "format": fmt},
    ]
    encoding: dict[str, Any] = {"x": y, "y": x} if across else {"x": x, "y": y}
    encoding["tooltip"] = tooltip
    pattern: dict[str, Any] = {}
    names = [name for name, _vs in series]
    if len(series) > 1:
        legend = {"title": None}
        encoding |= {
            "yOffset" if across else "xOffset": {
                "field": "series",
                "type": "nominal",
                "sort": names,
            },
            "color": {"field": "series", "type": "nominal", "sort": names, "legend": legend},
        }
        pattern = {  # the bars' own: a text mark has no dash
            "strokeDash": {"field": "series", "type": "nominal", "sort": names, "legend": legend,
                           "scale": {"domain": names, "range": list(DASHES[: len(names)])}},
            "fillOpacity": {"field": "series", "type": "nominal", "sort": names, "legend": legend,
                            "scale": {"domain": names, "range": [1.0, 0.55, 0.2, 0.8][: len(names)]}},
        }  # fmt: skip
    label = (
        {"type": "text", "dx": 4, "align": "left", "baseline": "middle", "fontSize": 10}
        if across
        else {"type": "text", "dy": -6, "fontSize": 10}
    )
    if across:
        height = max(height, BAR_LINE * len(categories) * len(series) + 40)
    spec = _base(title, values, height) | {
        "layer": [
            {"mark": {"type": "bar", "stroke": "#222", "strokeWidth": 1}, "encoding": pattern},
            {
                "mark": label,
                "encoding": {"text": {"field": "value", "type": "quantitative", "format": fmt}},
            },
        ],
        "encoding": encoding,
    }
    head = (x_title or title, *names)
    rows = tuple(
        (
            Cell(c, hrefs[i] if i < len(hrefs) else ""),
            *(Cell(number(vs[i], decimals)) for _name, vs in series),
        )
        for i, c in enumerate(categories)
    )
    return Chart(chart_id, title, spec, head, rows)


def lines(
    *,
    chart_id: str,
    title: str,
    months: Sequence[date],
    series: Sequence[tuple[str, Sequence[float | int]]],
    y_title: str,
    limit: tuple[str, float] | None = None,
    hrefs: Sequence[str] = (),
    decimals: int = 0,
    height: int = 220,
) -> Chart:
    """One line per series over months (a point on each month, a shape and a dash per series), and
    a limit (such as a capacity) as a labelled dashed rule; points above the limit are crosses."""
    fmt = f",.{decimals}f"
    values = [
        {"month": m.isoformat(), "series": name, "value": vs[i],
         "over": limit is not None and vs[i] > limit[1]}
        for name, vs in series
        for i, m in enumerate(months)
    ]  # fmt: skip
    names = [name for name, _vs in series]
    legend = {"title": None}
    x = {"field": "month", "type": "temporal", "timeUnit": "yearmonth", "title": None,
         "axis": {"format": "%b %Y", "labelOverlap": True}}  # fmt: skip
    y = {"field": "value", "type": "quantitative", "title": y_title, "axis": _axis(fmt, decimals)}
    tooltip = [
        {"field": "month", "type": "temporal", "timeUnit": "yearmonth", "format": "%b %Y",
         "title": " "},
        {"field": "series", "type": "nominal", "title": " "},
        {"field": "value", "type": "quantitative", "title": y_title, "format": fmt},
    ]  # fmt: skip
    by_series = {"field": "series", "type": "nominal", "sort": names, "legend": legend}
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "line", "point": False, "strokeWidth": 2},
            "encoding": {
                "x": x, "y": y, "color": by_series,
                "strokeDash": by_series | {"scale": {"domain": names,
                                                     "range": list(DASHES[: len(names)])}},
            },
        },
        {
            "mark": {"type": "point", "filled": True, "size": 36},
            "encoding": {
                "x": x, "y": y, "color": by_series, "tooltip": tooltip,
                "shape": {"condition": {"test": "datum.over", "value": "cross"},
                          "field": "series", "type": "nominal", "sort": names, "legend": legend,
                          "scale": {"domain": names, "range": list(SHAPES[: len(names)])}},
            },
        },
    ]  # fmt: skip
    if limit is not None:
        label, at = limit
        rule_data = {"values": [{"limit": at, "label": f"{label}: {number(at, decimals)}"}]}
        layers += [
            {
                "data": rule_data,
                "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#b03a2e", "size": 1.5},
                "encoding": {"y": {"field": "limit", "type": "quantitative"}},
            },
            {
                "data": rule_data,
                "mark": {"type": "text", "align": "left", "dx": 4, "dy": -6, "x": 0,
                         "color": "#b03a2e", "fontSize": 10},
                "encoding": {"y": {"field": "limit", "type": "quantitative"},
                             "text": {"field": "label"}},
            },
        ]  # fmt: skip
    spec = _base(title, values, height) | {"layer": layers}
    with_limit = (limit[0],) if limit is not None else ()
    head = ("", *names, *with_limit)
    rows = tuple(
        (
            Cell(formats.date_format(m, "m.Y") if _lang() != "en" else m.strftime("%b %Y"),
                 hrefs[i] if i < len(hrefs) else ""),
            *(Cell(number(vs[i], decimals)) for _name, vs in series),
            *((Cell(number(limit[1], decimals)),) if limit is not None else ()),
        )
        for i, m in enumerate(months)
    )  # fmt: skip
    return Chart(chart_id, title, spec, head, rows)


@dataclass(frozen=True, slots=True)
class FunnelUnit:
    """One unit of a funnel plot: an institution, a commission, an officer."""

    #: its name as the page writes it
    label: str
    #: cases (the denominator) and hits
    n: int
    k: int
    #: the exact one-sided p-value and its Benjamini-Hochberg q-value (ADR 0025)
    p: float
    q: float
    #: whether it stands out (q within the false discovery rate and the share above min_ratio)
    stands_out: bool
    #: the list behind its figure
    href: str = ""


def _funnel_curve(national: float, top_n: int, tail: float) -> list[dict[str, float]]:
    """The upper limit's share along n: the smallest k/n whose exact tail is at most `tail`."""
    points, n = [], 1
    while n <= top_n:
        points.append({"n": n, "limit": min(1.0, funnel_limit(n, national, tail) / n)})
        n = max(n + 1, round(n * 1.15))
    points.append({"n": top_n, "limit": min(1.0, funnel_limit(top_n, national, tail) / top_n)})
    return points


def funnel(
    *,
    chart_id: str,
    title: str,
    units: Sequence[FunnelUnit],
    national: float,
    unit_title: str,
    n_title: str,
    height: int = 260,
) -> Chart:
    """Each unit's share (k / n) against n, the national share as a rule and the funnel's upper limits
    for 2.5% and 0.1% tails (exact binomial, `oversight.stats.funnel_limit`). Units that stand out are
    crosses and named beside their point; the others are circles."""
    top_n = max((u.n for u in units), default=1) or 1
    values = [
        {"label": u.label, "n": u.n, "k": u.k, "share": u.k / u.n if u.n else 0.0,
         "p": u.p, "q": u.q, "out": u.stands_out}
        for u in units
    ]  # fmt: skip
    x = {"field": "n", "type": "quantitative", "title": n_title, "scale": {"zero": True},
         "axis": _axis(",d", 0)}  # fmt: skip
    y = {"field": "share", "type": "quantitative", "title": _("Share"),
         "axis": {"format": ".0%"}, "scale": {"domain": [0, 1]}}  # fmt: skip
    curves = [
        {
            "n": point["n"],
            "limit": point["limit"],
            "tail": _("Upper limit, p = %(p)s") % {"p": number(tail, 3)},
        }
        for tail in FUNNEL_TAILS
        for point in _funnel_curve(national, top_n, tail)
    ]
    layers: list[dict[str, Any]] = [
        {
            "data": {"values": curves},
            "mark": {"type": "line", "color": "#555", "strokeWidth": 1},
            "encoding": {
                "x": {"field": "n", "type": "quantitative"},
                "y": {"field": "limit", "type": "quantitative"},
                "strokeDash": {"field": "tail", "type": "nominal", "legend": {"title": None},
                               "scale": {"range": [[6, 3], [2, 2]]}},
                "detail": {"field": "tail"},
            },
        },
        {
            "data": {"values": [{"share": national, "label": _("National share")}]},
            "mark": {"type": "rule", "color": "#1f5fa8", "strokeWidth": 1.5},
            "encoding": {"y": {"field": "share", "type": "quantitative"}},
        },
        {
            "mark": {"type": "point", "size": 60, "filled": False, "strokeWidth": 2},
            "encoding": {
                "x": x, "y": y,
                "shape": {"condition": {"test": "datum.out", "value": "cross"}, "value": "circle"},
                "color": {"condition": {"test": "datum.out", "value": "#b03a2e"},
                          "value": "#1f5fa8"},
                "tooltip": [
                    {"field": "label", "type": "nominal", "title": unit_title},
                    {"field": "n", "type": "quantitative", "title": n_title, "format": ",d"},
                    {"field": "k", "type": "quantitative", "title": _("Hits"), "format": ",d"},
                    {"field": "share", "type": "quantitative", "title": _("Share"),
                     "format": ".1%"},
                    {"field": "q", "type": "quantitative", "title": "q", "format": ".2g"},
                ],
            },
        },
    ]  # fmt: skip
    if any(u.stands_out for u in units):  # named beside their cross
        layers.append({
            "transform": [{"filter": "datum.out"}],
            "mark": {"type": "text", "align": "left", "dx": 7, "fontSize": 10},
            "encoding": {"x": x, "y": y, "text": {"field": "label"}},
        })  # fmt: skip
    spec = _base(title, values, height) | {"layer": layers}
    head = (unit_title, n_title, _("Hits"), _("Share"), "p", "q", _("Stands out"))
    rows = tuple(
        (
            Cell(u.label, u.href),
            Cell(number(u.n)),
            Cell(number(u.k), u.href),
            Cell(number(100 * u.k / u.n, 1) + "%" if u.n else "—"),
            Cell(significant(u.p)),
            Cell(significant(u.q)),
            Cell(_("yes") if u.stands_out else _("no")),
        )
        for u in units
    )
    return Chart(chart_id, title, spec, head, rows)
