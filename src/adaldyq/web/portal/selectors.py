"""Reads of the portal: the publications, and each table as a page, a CSV and a data dictionary show it."""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from django.utils.translation import gettext as _

from adaldyq.web.portal import labels
from adaldyq.web.portal.models import Publication


def latest_publication() -> Publication | None:
    """The publication of the largest signed tree published, or None."""
    return Publication.objects.order_by("-size").first()


def publication_at(size: int) -> Publication | None:
    """The publication at checkpoint `size`, or None."""
    return Publication.objects.filter(size=size).first()


def publication_at_most(size: int) -> Publication | None:
    """The newest publication at a checkpoint of `size` entries or fewer, or None."""
    return Publication.objects.filter(size__lte=size).order_by("-size").first()


@functools.lru_cache(maxsize=8)
def _parsed(size: int, root: str, body: str) -> dict[str, Any]:
    """A publication's document, parsed once a process: a checkpoint's figures never change."""
    return dict(orjson.loads(body))


def document(pub: Publication) -> dict[str, Any]:
    """The publication's document (shared between requests: do not modify)."""
    return _parsed(pub.size, pub.root, pub.body)


@dataclass(frozen=True, slots=True)
class Shown:
    """A cell as the page shows it: its text, and whether it is hidden."""

    text: str
    hidden: bool = False


def _text(value: Any, decimals: int) -> Shown:
    from adaldyq.web.charts import number

    if value is None:
        return Shown(_("hidden"), hidden=True)
    return Shown(number(value, decimals))


def grid(
    table: dict[str, Any], values: list[list[Any]], lang: str, decimals: int = 0
) -> dict[str, Any]:
    """A table's grid (counts or a measure) with its rows and columns named in the language."""
    cols = [labels.key_label(table["col_dim"], c, lang) for c in table["cols"]]
    rows = [
        (labels.key_label(table["row_dim"], r, lang), [_text(v, decimals) for v in values[i]])
        for i, r in enumerate(table["rows"])
    ]
    single = len(table["cols"]) == 2  # one column and its total: the same figures twice
    if single:
        cols = cols[:1]
        rows = [(name, cells[:1]) for name, cells in rows]
    return {"cols": cols, "rows": rows}


def csv_text(doc: dict[str, Any], table_id: str) -> str:
    """The table as CSV, one line a cell (margins as `total`), codes not words: the data dictionary
    names them in kk, ru and en."""
    table = doc["tables"][table_id]
    measures = sorted(table["measures"])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([table["row_dim"], table["col_dim"], table["unit"], *measures, "hidden"])
    for i, r in enumerate(table["rows"]):
        for j, c in enumerate(table["cols"]):
            count = table["counts"][i][j]
            ms = [table["measures"][m][i][j] for m in measures]
            writer.writerow(
                [r, c, "" if count is None else count, *("" if v is None else v for v in ms),
                 "true" if count is None else "false"]
            )  # fmt: skip
    return out.getvalue()


def dictionary(doc: dict[str, Any], table_id: str) -> dict[str, Any]:
    """The CSV's data dictionary: a Frictionless Table Schema, each field and code named in kk, ru
    and en, with the checkpoint the figures were computed at."""
    table = doc["tables"][table_id]

    def codes(dim: str, keys: list[str]) -> list[dict[str, Any]]:
        return [
            {
                "code": k,
                "title": labels.every_language(lambda lang, k=k: labels.key_label(dim, k, lang)),
            }
            for k in keys
        ]

    fields = [
        {
            "name": table["row_dim"],
            "type": "string",
            "title": labels.every_language(lambda _l: labels.dimension(table["row_dim"])),
            "constraints": {"enum": table["rows"]},
            "codes": codes(table["row_dim"], table["rows"]),
        },
        {
            "name": table["col_dim"],
            "type": "string",
            "title": labels.every_language(lambda _l: labels.dimension(table["col_dim"])),
            "constraints": {"enum": table["cols"]},
            "codes": codes(table["col_dim"], table["cols"]),
        },
        {
            "name": table["unit"],
            "type": "integer",
            "title": labels.every_language(lambda _l: labels.unit(table["unit"])),
            "description": labels.every_language(
                lambda _l: _("How many; empty where hidden (fewer than %(n)s people, or a partner of such a cell).")
                % {"n": doc["threshold"]}
            ),
        },
        *(
            {
                "name": m,
                "type": "number",
                "title": labels.every_language(lambda _l, m=m: labels.measure(m)),
                "description": labels.every_language(
                    lambda _l: _("Rounded to one decimal; empty where hidden with its count or so that a hidden value cannot be worked out.")
                ),
            }
            for m in sorted(table["measures"])
        ),
        {
            "name": "hidden",
            "type": "boolean",
            "title": labels.every_language(lambda _l: _("hidden")),
            "description": labels.every_language(
                lambda _l: _("true where the count is not published.")
            ),
        },
    ]  # fmt: skip
    cp = doc["checkpoint"]
    return {
        "name": table_id,
        "title": labels.every_language(lambda _l: labels.title(table_id)),
        "description": labels.every_language(lambda _l: labels.description(table_id)),
        "as_of": doc["as_of"],
        "checkpoint": {
            "origin": cp["origin"],
            "size": cp["size"],
            "root": cp["root"],
            "time": cp["time"],
        },
        "threshold": doc["threshold"],
        "notes": table["notes"],
        "missingValues": [""],
        "primaryKey": [table["row_dim"], table["col_dim"]],
        "fields": fields,
    }


def tables_in_order(doc: dict[str, Any]) -> Iterator[str]:
    """The publication's tables in the portal's order (any table it does not know, last)."""
    known = [t for t in labels.TABLES if t in doc["tables"]]
    yield from known
    yield from sorted(t for t in doc["tables"] if t not in labels.TABLES)
