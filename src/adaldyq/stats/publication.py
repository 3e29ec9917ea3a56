"""A publication: the figures as the portal shows them, at one signed checkpoint (ADR 0028).

    doc = publish(bodies, note=signed_note, sites=register, law=LawPack.load())
    doc["checkpoint"]          # origin, size, root (base64), time, the signed note itself
    doc["tables"]              # each table with its margins, hidden cells as null
    differences(doc, other)    # every published cell that differs, by table, row and column

Only the suppressed figures are ever written: a small cell never leaves `publish`. The document is
plain JSON with sorted keys; two computations from the same entries, register and law give the same
bytes (`canonical`), so that anyone holding the ledger's tiles can recompute it and compare.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Final

import orjson

from adaldyq.ledger.checkpoint import Checkpoint, split_note
from adaldyq.placement.model import Site
from adaldyq.stats.figures import Table, compute
from adaldyq.stats.suppression import THRESHOLD, suppress, with_margins

__all__ = [
    "FORMAT",
    "Difference",
    "as_of",
    "canonical",
    "differences",
    "publish",
    "register_of",
    "sites_of",
]

FORMAT: Final = "adaldyq-stats/1"
TOTAL: Final = "total"


def as_of(checkpoint: Checkpoint) -> date:
    """The day the figures describe: the checkpoint's signing day (UTC)."""
    if checkpoint.time is None:
        raise ValueError("the checkpoint has no time line: its day is unknown")
    return date.fromisoformat(checkpoint.time[:10])


def register_of(sites: Sequence[Site]) -> list[dict[str, Any]]:
    """The institutions register as the publication carries it (ordered by code)."""
    return [
        {"id": s.id, "region": s.region, "type": s.type, "sex": s.sex, "minors": s.minors,
         "medical": s.medical, "capacity": s.capacity, "lat": s.lat, "lon": s.lon}
        for s in sorted(sites, key=lambda s: s.id)
    ]  # fmt: skip


def sites_of(register: Iterable[dict[str, Any]]) -> list[Site]:
    """The register back from a publication."""
    return [
        Site(str(r["id"]), str(r["region"]), str(r["type"]), str(r["sex"]), bool(r["minors"]),
             bool(r["medical"]), int(r["capacity"]), float(r["lat"]), float(r["lon"]))
        for r in register
    ]  # fmt: skip


def _round(value: float) -> float:
    return round(value, 1)


def _published(table: Table) -> dict[str, Any]:
    """The table with margins, hidden cells as None, measures hidden with their counts."""
    if not table.rows:  # nothing to count (no programme yet): only the zero totals
        table = Table(table.id, table.unit, table.row_dim, table.col_dim, table.rows, table.cols,
                      [], {}, table.applies, table.notes)  # fmt: skip
        zeros = [[0] * (len(table.cols) + 1)]
        return _document(table, zeros, {})
    full = with_margins(table.counts)
    hidden = suppress(table.counts)
    counts = [
        [None if hidden[i][j] else v for j, v in enumerate(row)] for i, row in enumerate(full)
    ]
    measures = {}
    for name, grid in sorted(table.measures.items()):
        m = with_margins(grid)
        applies = table.applies.get(name)
        known = [
            [applies is not None and j < len(table.cols) and table.cols[j] not in applies
             for j in range(len(row))]
            for row in m
        ]  # fmt: skip
        hide = suppress(grid, primary=hidden, known=known)
        measures[name] = [
            [None if hide[i][j] else _round(v) for j, v in enumerate(row)]
            for i, row in enumerate(m)
        ]
    return _document(table, counts, measures)


def _document(
    table: Table, counts: list[list[Any]], measures: dict[str, list[list[Any]]]
) -> dict[str, Any]:
    return {
        "id": table.id,
        "unit": table.unit,
        "row_dim": table.row_dim,
        "col_dim": table.col_dim,
        "rows": [*table.rows, TOTAL],
        "cols": [*table.cols, TOTAL],
        "counts": counts,
        "measures": measures,
        "notes": table.notes,
        "hidden": sum(row.count(None) for row in counts),
    }


def publish(
    bodies: Iterable[bytes], *, note: str, sites: Sequence[Site], law: Any
) -> dict[str, Any]:
    """The publication of the entries `bodies` (every entry of the tree `note` signs, in order)."""
    checkpoint = Checkpoint.parse(split_note(note)[0])
    day = as_of(checkpoint)
    tables = compute(bodies, sites=sites, law=law, as_of=day)
    register = register_of(sites)
    return {
        "format": FORMAT,
        "checkpoint": {
            "origin": checkpoint.origin,
            "size": checkpoint.size,
            "root": base64.b64encode(checkpoint.root).decode(),
            "time": checkpoint.time,
            "note": note,
        },
        "as_of": day.isoformat(),
        "threshold": THRESHOLD,
        "law": {**law.describe(), "overlay": law.overlay},
        "register": {
            "sha256": hashlib.sha256(canonical(register)).hexdigest(),
            "institutions": register,
        },
        "tables": {t.id: _published(t) for t in tables},
    }


def canonical(obj: Any) -> bytes:
    """The JSON bytes a publication is compared and served in (sorted keys)."""
    return orjson.dumps(obj, option=orjson.OPT_SORT_KEYS)


#: One published cell that differs: (table, row, column, measure or "count", published, recomputed).
Difference = tuple[str, str, str, str, Any, Any]


def differences(published: dict[str, Any], recomputed: dict[str, Any]) -> list[Difference]:
    """Every cell (count or measure) whose published value differs from the recomputed one, and a
    table or row present on one side only."""
    out: list[Difference] = []
    a, b = published.get("tables", {}), recomputed.get("tables", {})
    for tid in sorted(set(a) | set(b)):
        ta, tb = a.get(tid), b.get(tid)
        if ta is None or tb is None:
            out.append((tid, "", "", "table", ta is not None, tb is not None))
            continue
        for attribute in ("unit", "row_dim", "col_dim"):
            if ta.get(attribute) != tb.get(attribute):
                out.append((tid, "", "", attribute, ta.get(attribute), tb.get(attribute)))
        grids = [("count", ta["counts"], tb["counts"])]
        for name in sorted(set(ta["measures"]) | set(tb["measures"])):
            grids.append((name, ta["measures"].get(name, []), tb["measures"].get(name, [])))
        cells_a = {(r, c) for r in ta["rows"] for c in ta["cols"]}
        cells_b = {(r, c) for r in tb["rows"] for c in tb["cols"]}
        for what, ga, gb in grids:
            va = _cells(ta, ga)
            vb = _cells(tb, gb)
            for key in sorted(cells_a | cells_b):
                if va.get(key, "absent") != vb.get(key, "absent"):
                    out.append((tid, key[0], key[1], what, va.get(key), vb.get(key)))
        if ta["notes"] != tb["notes"]:
            out.append((tid, "", "", "notes", ta["notes"], tb["notes"]))
    return out


def _cells(table: dict[str, Any], grid: list[list[Any]]) -> dict[tuple[str, str], Any]:
    return {
        (r, c): grid[i][j]
        for i, r in enumerate(table["rows"])
        for j, c in enumerate(table["cols"])
        if i < len(grid) and j < len(grid[i])
    }
