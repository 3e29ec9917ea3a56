"""The public portal: the published figures for anyone, no sign-in (issue 18, ADR 0030).

    /figures/                          every table, the checkpoint they were computed at
    /figures/<table>/                  one table: chart, the figures, what they count
    /open-data/catalog.json            DCAT catalogue of the tables (the newest publication)
    /open-data/figures.json            the newest publication, whole
    /open-data/<size>/figures.json     a checkpoint's publication (immutable)
    /open-data/<size>/<table>.csv      a table as CSV (immutable)
    /open-data/<size>/<table>.schema.json   its data dictionary (immutable)

Pages read the stored publication (parsed once a process per checkpoint); the open data files of a
checkpoint never change, so they are served public and immutable: a client fetches the catalogue and
downloads only what a new checkpoint changed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import orjson
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from adaldyq.web import charts
from adaldyq.web.downloads import download
from adaldyq.web.portal import labels, selectors
from adaldyq.web.portal.models import Publication
from adaldyq.web.tlog import IMMUTABLE

LATEST = "public, max-age=60"


def _public(response: HttpResponse, cache: str) -> HttpResponse:
    """Open data: public and cacheable (`security.NoStoreMiddleware` leaves it so)."""
    response["Cache-Control"] = cache
    response.adaldyq_cacheable = True  # type: ignore[attr-defined]
    return response


def _lang() -> str:
    lang = (get_language() or "kk").split("-")[0]
    return lang if lang in ("kk", "ru", "en") else "kk"


def _latest() -> tuple[Publication, dict[str, Any]] | None:
    pub = selectors.latest_publication()
    return None if pub is None else (pub, selectors.document(pub))


def _at(size: int) -> dict[str, Any]:
    pub = selectors.publication_at(size)
    if pub is None:
        raise Http404("no publication at that checkpoint")
    return selectors.document(pub)


def _chart(table_id: str, table: dict[str, Any], lang: str) -> charts.Chart | None:
    """Bars per row, a series per column (margins left out); None for a table of one column, whose
    figures the table shows better."""
    rows, cols = table["rows"][:-1], table["cols"][:-1]
    if len(cols) < 2 or len(rows) > 20:
        return None
    chart = charts.bars(
        chart_id=f"chart-{table_id}",
        title=labels.title(table_id),
        categories=[labels.key_label(table["row_dim"], r, lang) for r in rows],
        series=[
            (
                labels.key_label(table["col_dim"], c, lang),
                [table["counts"][i][j] for i in range(len(rows))],
            )
            for j, c in enumerate(cols)
        ],
        y_title=labels.unit(table["unit"]),
        x_title=labels.dimension(table["row_dim"]),
    )
    hidden = _("hidden")
    return replace(
        chart,
        rows=tuple(
            (row[0], *(charts.Cell(hidden) if c.text == "—" else c for c in row[1:]))
            for row in chart.rows
        ),
    )


def _checkpoint(doc: dict[str, Any]) -> dict[str, Any]:
    cp = doc["checkpoint"]
    return {"size": cp["size"], "root": cp["root"], "time": cp["time"],
            "day": date.fromisoformat(doc["as_of"]), "note": cp["note"], "law": doc["law"]}  # fmt: skip


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    found = _latest()
    if found is None:
        return render(request, "portal/index.html", {"pub": None})
    pub, doc = found
    lang = _lang()
    tables = [
        {
            "id": t,
            "title": labels.title(t),
            "description": labels.description(t),
            "hidden": doc["tables"][t]["hidden"],
            "chart": _chart(t, doc["tables"][t], lang)
            if t == "population_by_type_and_sex"
            else None,
        }
        for t in selectors.tables_in_order(doc)
    ]
    return render(
        request,
        "portal/index.html",
        {"pub": pub, "cp": _checkpoint(doc), "tables": tables, "threshold": doc["threshold"]},
    )


@require_safe
def table(request: HttpRequest, table_id: str) -> HttpResponse:
    found = _latest()
    if found is None or table_id not in found[1]["tables"]:
        raise Http404("no such table")
    pub, doc = found
    t = doc["tables"][table_id]
    lang = _lang()
    decimals = {"work_fte": 1, "study_fte": 1}
    grids = [("", selectors.grid(t, t["counts"], lang))] + [
        (labels.measure(m), selectors.grid(t, t["measures"][m], lang, decimals.get(m, 0)))
        for m in sorted(t["measures"])
    ]
    return render(
        request,
        "portal/table.html",
        {
            "pub": pub,
            "cp": _checkpoint(doc),
            "table_id": table_id,
            "title": labels.title(table_id),
            "description": labels.description(table_id),
            "unit": labels.unit(t["unit"]),
            "row_dim": labels.dimension(t["row_dim"]),
            "grids": grids,
            "chart": _chart(table_id, t, lang),
            "notes": _notes(table_id, t, lang),
            "threshold": doc["threshold"],
        },
    )


def _notes(table_id: str, t: dict[str, Any], lang: str) -> dict[str, Any]:
    """What a page says beside its table: the entitlements, the month of the hours, the visits."""
    notes = t["notes"]
    if table_id == "visits_and_entitlements":
        rows = []
        for key in t["rows"][:-1]:
            note = notes.get(key, {})
            pair = (note.get("short", {}), note.get("long", {}))
            rows.append((labels.key_label(t["row_dim"], key, lang), pair))
        return {"entitlements": rows}
    if table_id == "work_and_study":
        return {
            "month": notes.get("month", {}).get("month", ""),
            "fte_hours": notes.get("month", {}).get("fte_hours"),
        }
    if table_id == "programme_by_category":
        return {"visits": notes.get("visits", {})}
    return {}


# ---- open data ----------------------------------------------------------------------------------


def _absolute(request: HttpRequest, name: str, **kwargs: Any) -> str:
    return request.build_absolute_uri(reverse(f"portal:{name}", kwargs=kwargs))


def _language_map(render_text: Any) -> list[dict[str, str]]:
    return [{"@value": v, "@language": k} for k, v in labels.every_language(render_text).items()]


@require_safe
def catalog(request: HttpRequest) -> HttpResponse:
    """The DCAT catalogue of the newest publication: one dataset a table, CSV and dictionary each."""
    found = _latest()
    if found is None:
        raise Http404("nothing published yet")
    pub, doc = found
    cp = doc["checkpoint"]
    datasets = []
    for t in selectors.tables_in_order(doc):
        datasets.append(
            {
                "@type": "dcat:Dataset",
                "dct:identifier": t,
                "dct:title": _language_map(lambda _l, t=t: labels.title(t)),
                "dct:description": _language_map(lambda _l, t=t: labels.description(t)),
                "dct:temporal": {"@type": "dct:PeriodOfTime", "dcat:endDate": doc["as_of"]},
                "dct:modified": cp["time"],
                "dct:license": "https://creativecommons.org/licenses/by/4.0/",
                "adaldyq:checkpoint": {"size": cp["size"], "root": cp["root"]},
                "dcat:distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "dcat:downloadURL": _absolute(request, "csv", size=pub.size, table_id=t),
                        "dcat:mediaType": "text/csv",
                        "dct:conformsTo": _absolute(request, "schema", size=pub.size, table_id=t),
                    },
                    {
                        "@type": "dcat:Distribution",
                        "dcat:downloadURL": _absolute(request, "schema", size=pub.size, table_id=t),
                        "dcat:mediaType": "application/schema+json",
                        "dct:description": _language_map(lambda _l: _("data dictionary")),
                    },
                ],
                "dcat:landingPage": _absolute(request, "table", table_id=t),
            }
        )
    body = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "adaldyq": _absolute(request, "index") + "#",
        },
        "@type": "dcat:Catalog",
        "dct:title": _language_map(lambda _l: _("Published figures of the penitentiary system")),
        "dct:description": _language_map(
            lambda _l: _("Figures computed from the tamper-evident ledger at a signed checkpoint; cells of fewer than 10 people are hidden.")
        ),
        "dct:modified": cp["time"],
        "dct:language": ["kk", "ru", "en"],
        "adaldyq:publication": _absolute(request, "figures-at", size=pub.size),
        "adaldyq:recompute": "adaldyq stats recompute --bundle DIR --published "
        + _absolute(request, "figures-at", size=pub.size),
        "dcat:dataset": datasets,
    }  # fmt: skip
    response = HttpResponse(
        orjson.dumps(body, option=orjson.OPT_INDENT_2), content_type="application/ld+json"
    )
    return _public(response, LATEST)


@require_safe
def figures_latest(request: HttpRequest) -> HttpResponse:
    found = _latest()
    if found is None:
        raise Http404("nothing published yet")
    return _public(HttpResponse(found[0].body, content_type="application/json"), LATEST)


@require_safe
def figures_at(request: HttpRequest, size: int) -> HttpResponse:
    pub = selectors.publication_at(size)
    if pub is None:
        raise Http404("no publication at that checkpoint")
    return _public(HttpResponse(pub.body, content_type="application/json"), IMMUTABLE)


@require_safe
def table_csv(request: HttpRequest, size: int, table_id: str) -> HttpResponse:
    doc = _at(size)
    if table_id not in doc["tables"]:
        raise Http404("no such table")
    response = download(selectors.csv_text(doc, table_id), f"{table_id}-{size}.csv", inline=True)
    return _public(response, IMMUTABLE)


@require_safe
def table_schema(request: HttpRequest, size: int, table_id: str) -> HttpResponse:
    doc = _at(size)
    if table_id not in doc["tables"]:
        raise Http404("no such table")
    response = JsonResponse(
        selectors.dictionary(doc, table_id), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    return _public(response, IMMUTABLE)
