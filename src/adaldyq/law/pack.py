"""The law pack: every legal figure as dated data with its article, source and confidence (LAW.md).

A pack is a folder of YAML files listed in its `index.yaml` (see `packs/kz/`). A leaf mapping with
`values` is a figure; its key is the file's namespace plus the path to it. Files under `conditions/`
also declare the institution type's conditions and which tests each transfer applies (`transfers`).
An overlay (`packs/kz-demo/overlay.yaml`) may fill figures the base holds as unknown, with confidence D
only. `LawPack.hash` is a SHA-256 over the canonical content; every result names it.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any, Final

import yaml

from adaldyq.core.dates import as_date
from adaldyq.core.errors import FigureMissingError, LawPackError
from adaldyq.law.explain import CONFIDENCES, Ref
from adaldyq.law.plan import Plan

INSTITUTION_TYPES: Final = ("minimum", "medium", "maximum", "extreme", "complete", "mixed")
CONDITIONS: Final = ("regular", "light", "preferential", "strict")
TESTS: Final = frozenset(
    {
        "months_in_condition",
        "holds_degree_at_least",
        "holds_degree",
        "diligent_work",
        "within_months_of_release",
        "no_penalty_in_last_months",
        "months_of_sentence_served",
    }
)
TESTS_WITHOUT_FIGURE: Final = frozenset({"diligent_work"})
#: libyaml's safe loader (the same documents, about ten times faster) when PyYAML was built with it.
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FIGURE_FIELDS: Final = frozenset({"description", "unit", "article", "values"})
_VALUE_FIELDS: Final = frozenset(
    {"valid_from", "valid_to", "value", "source", "confidence", "planned"}
)


@dataclass(frozen=True, slots=True)
class Value:
    """One dated value of a figure."""

    valid_from: date
    valid_to: date | None
    value: Any
    source: str
    confidence: str
    #: A figure announced but not known to be in force (LAW.md §4: "2 (from 2019, planned)"): a
    #: mapping with `value` and, when known, `year`. Only with `value` null: the engine never applies it.
    planned: Any = None
    #: The ledger sequence number of the amendment's proposal that set this value; None when shipped.
    amendment: int | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    """A legal figure with its dated values."""

    key: str
    description: str
    unit: str
    article: str
    values: tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class Criterion:
    """One test of a transfer, with the figure it reads."""

    test: str
    figure: str | None


@dataclass(frozen=True, slots=True)
class Transfer:
    """A transfer between conditions inside an institution type (PEC art. 103)."""

    institution_type: str
    sources: tuple[str, ...]
    to: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True, slots=True)
class Resolved:
    """A figure resolved for a date: its value (None when unknown) and the reference to cite."""

    value: Any
    ref: Ref
    #: What is planned, for an unknown figure that a source announces (see `Value.planned`).
    planned: Any = None


class LawPack:
    """A loaded, validated law pack."""

    def __init__(
        self,
        *,
        meta: dict[str, Any],
        figures: dict[str, Figure],
        conditions: dict[str, tuple[str, ...]],
        transfers: dict[str, tuple[Transfer, ...]],
        overlay: str | None,
        content: Any,
    ) -> None:
        self.id: str = str(meta["id"]) + (f"+{overlay}" if overlay else "")
        self.version: str = str(meta["version"])
        self.title: str = str(meta.get("title", ""))
        self.figures = figures
        self.conditions = conditions
        self.transfers = transfers
        self.overlay = overlay
        self._meta = meta
        canonical = json.dumps(
            content, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False
        )
        self.hash: str = "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()
        # Each figure's values resolved once: (valid_from, valid_to, Resolved) spans and the answer for
        # a date no value covers. A look-up scans one or two spans, at any date.
        self._spans: dict[str, tuple[list[tuple[date, date | None, Resolved]], Resolved]] = {
            key: (
                [
                    (
                        v.valid_from,
                        v.valid_to,
                        Resolved(
                            v.value,
                            Ref(key, f.article, v.confidence, v.source, v.value, v.valid_from),
                            v.planned,
                        ),
                    )
                    for v in f.values
                ],
                Resolved(
                    None, Ref(key, f.article, "?", "no value in force on this date", None, None)
                ),
            )
            for key, f in figures.items()
        }
        # The days on which some figure's value starts or stops: between two of them every figure
        # resolves alike, so one plan serves every date of such a period (a review asks at hundreds
        # of dates, a plan costs some thirty look-ups and a rule per transfer).
        edges = {start for spans, _ in self._spans.values() for start, _, _ in spans}
        edges.update(
            end + timedelta(days=1)
            for spans, _ in self._spans.values()
            for _, end, _ in spans
            if end is not None and end < date.max
        )
        self._edges: list[date] = sorted(edges)
        self._periods: dict[int, Plan] = {}
        self._plans: dict[date, Plan] = {}
        self._describe = {"id": self.id, "version": self.version, "hash": self.hash}

    # ---- loading -------------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path | str | None = None, *, overlay: Path | str | None = None) -> LawPack:
        """Load the pack at `path` (default: the shipped `kz` pack), optionally with an overlay folder.

        `overlay="demo"` selects the shipped demo overlay (illustrative D figures, not law).
        """
        root = (
            Path(path)
            if path is not None
            else Path(str(resources.files("adaldyq.law") / "packs" / "kz"))
        )
        index = _read_yaml(root / "index.yaml")
        _require(index, ("id", "version", "files"), root / "index.yaml")
        figures: dict[str, Figure] = {}
        conditions: dict[str, tuple[str, ...]] = {}
        transfers: dict[str, tuple[Transfer, ...]] = {}
        content: dict[str, Any] = {"index": index, "files": {}}
        for name in index["files"]:
            file = root / str(name)
            doc = _read_yaml(file)
            content["files"][str(name)] = doc
            if "institution_type" in doc:
                _load_conditions(doc, file, figures, conditions, transfers)
            else:
                _collect_figures(doc, "", file, figures)
        missing = [t for t in INSTITUTION_TYPES if t not in conditions]
        if missing:
            raise LawPackError(f"{root}: no conditions file for institution types {missing}")
        _check_transfer_figures(transfers, figures)
        overlay_id = None
        if overlay is not None:
            opath = (
                Path(str(resources.files("adaldyq.law") / "packs" / "kz-demo"))
                if str(overlay) == "demo"
                else Path(overlay)
            )
            overlay_id = _apply_overlay(opath / "overlay.yaml", figures)
            content["overlay"] = _read_yaml(opath / "overlay.yaml")
        return cls(
            meta=index,
            figures=figures,
            conditions=conditions,
            transfers=transfers,
            overlay=overlay_id,
            content=content,
        )

    def with_values(self, figures: dict[str, Figure], amendments: Any) -> LawPack:
        """This pack with some figures' values replaced (the approved amendments, see
        `adaldyq.law.amendments`); its hash covers this pack's hash and `amendments` (JSON-ready)."""
        meta = dict(self._meta)
        meta["id"] = self.id.split("+", 1)[0]
        return LawPack(
            meta=meta,
            figures={**self.figures, **figures},
            conditions=self.conditions,
            transfers=self.transfers,
            overlay=self.overlay,
            content={"pack": self.hash, "amendments": amendments},
        )

    # ---- reading -------------------------------------------------------------------------------
    def resolve(self, key: str, on: date) -> Resolved:
        """The figure `key` on `on`: value (None when unknown or not in force) and its reference."""
        spans = self._spans.get(key)
        if spans is None:
            raise LawPackError(f"the law pack has no figure {key!r}")
        for start, end, res in spans[0]:
            if start <= on and (end is None or on <= end):
                return res
        return spans[1]

    def plan(self, on: date) -> Plan:
        """The pack resolved for `on`, built once per period in which no figure changes and kept."""
        hit = self._plans.get(on)
        if hit is not None:
            return hit
        if len(self._plans) >= 4096:
            self._plans.clear()
        k = bisect_right(self._edges, on)  # the period `on` falls in (see __init__)
        plan = self._periods.get(k)
        if plan is None:
            plan = self._periods[k] = Plan(self, self._edges[k - 1] if k else date.min)
        self._plans[on] = plan
        return plan

    def require(self, key: str, on: date) -> Resolved:
        """Like `resolve`, but raise FigureMissingError when the figure is unknown on that date."""
        res = self.resolve(key, on)
        if res.value is None:
            raise FigureMissingError(key, on)
        return res

    def transfers_from(self, institution_type: str, condition: str) -> tuple[Transfer, ...]:
        """Transfers the pack defines out of `condition` in an institution of that type."""
        return tuple(t for t in self.transfers[institution_type] if condition in t.sources)

    def describe(self) -> dict[str, str]:
        """Id, version and hash, as every result names them (one shared mapping: do not modify)."""
        return self._describe


# ---- validation helpers ------------------------------------------------------------------------
def _read_yaml(file: Path) -> dict[str, Any]:
    try:
        with file.open(encoding="utf-8") as fh:
            doc = yaml.load(fh, Loader=_YAML_LOADER)  # noqa: S506 -- a safe loader, libyaml's when present
    except FileNotFoundError:
        raise LawPackError(f"law pack file missing: {file}") from None
    except yaml.YAMLError as exc:
        raise LawPackError(f"{file}: not valid YAML: {exc}".replace("\n", " ")) from None
    if not isinstance(doc, dict):
        raise LawPackError(f"{file}: expected a mapping at the top level")
    return doc


def _require(doc: dict[str, Any], keys: tuple[str, ...], where: object) -> None:
    for k in keys:
        if k not in doc:
            raise LawPackError(f"{where}: missing field {k!r}")


def _as_date(value: Any, where: str) -> date:
    found = as_date(value)
    if found is None:
        raise LawPackError(f"{where}: not a date: {value!r}")
    return found


def _parse_values(raw: Any, where: str) -> tuple[Value, ...]:
    if not isinstance(raw, list) or not raw:
        raise LawPackError(f"{where}: 'values' must be a non-empty list")
    out: list[Value] = []
    for i, item in enumerate(raw):
        w = f"{where}.values[{i}]"
        if not isinstance(item, dict):
            raise LawPackError(f"{w}: expected a mapping")
        extra = set(item) - _VALUE_FIELDS
        if extra:
            raise LawPackError(f"{w}: unknown fields {sorted(extra)}")
        _require(item, ("valid_from", "value", "source", "confidence"), w)
        conf = str(item["confidence"])
        if conf not in CONFIDENCES:
            raise LawPackError(f"{w}: confidence {conf!r} is not one of {list(CONFIDENCES)}")
        if conf == "?" and item["value"] is not None:
            raise LawPackError(f"{w}: an unknown figure ('?') must have value null")
        if conf != "?" and item["value"] is None:
            raise LawPackError(f"{w}: value null needs confidence '?'")
        start = _as_date(item["valid_from"], f"{w}.valid_from")
        end = (
            _as_date(item["valid_to"], f"{w}.valid_to")
            if item.get("valid_to") is not None
            else None
        )
        if end is not None and end < start:
            raise LawPackError(f"{w}: valid_to {end} is before valid_from {start}")
        planned = item.get("planned")
        if planned is not None and (
            item["value"] is not None or not isinstance(planned, dict) or "value" not in planned
        ):
            raise LawPackError(
                f"{w}: 'planned' is a mapping with 'value' (and 'year'), for a value null only"
            )
        out.append(Value(start, end, item["value"], str(item["source"]), conf, planned))
    out.sort(key=lambda v: v.valid_from)
    for a, b in pairwise(out):
        if a.valid_to is None or a.valid_to >= b.valid_from:
            raise LawPackError(
                f"{where}: values overlap: the one from {a.valid_from} needs valid_to before {b.valid_from}"
            )
    return tuple(out)


def _collect_figures(node: Any, prefix: str, file: Path, figures: dict[str, Figure]) -> None:
    if not isinstance(node, dict):
        raise LawPackError(f"{file}: {prefix or 'top level'}: expected a mapping")
    if "values" in node:
        extra = set(node) - _FIGURE_FIELDS
        if extra:
            raise LawPackError(f"{file}: figure {prefix}: unknown fields {sorted(extra)}")
        _require(node, ("description", "unit", "article"), f"{file}: figure {prefix}")
        if prefix in figures:
            raise LawPackError(f"{file}: figure {prefix} defined twice")
        figures[prefix] = Figure(
            prefix,
            str(node["description"]),
            str(node["unit"]),
            str(node["article"]),
            _parse_values(node["values"], f"{file}: {prefix}"),
        )
        return
    for key, child in node.items():
        _collect_figures(child, f"{prefix}.{key}" if prefix else str(key), file, figures)


def _load_conditions(
    doc: dict[str, Any],
    file: Path,
    figures: dict[str, Figure],
    conditions: dict[str, tuple[str, ...]],
    transfers: dict[str, tuple[Transfer, ...]],
) -> None:
    _require(doc, ("institution_type", "conditions", "transfers", "figures"), file)
    itype = str(doc["institution_type"])
    if itype not in INSTITUTION_TYPES:
        raise LawPackError(
            f"{file}: institution_type {itype!r} is not one of {list(INSTITUTION_TYPES)}"
        )
    conds = tuple(str(c) for c in doc["conditions"])
    bad = [c for c in conds if c not in CONDITIONS]
    if bad:
        raise LawPackError(f"{file}: unknown conditions {bad}")
    conditions[itype] = conds
    _collect_figures(doc["figures"] or {}, f"conditions.{itype}", file, figures)
    out: list[Transfer] = []
    for i, t in enumerate(doc["transfers"] or []):
        w = f"{file}: transfers[{i}]"
        _require(t, ("from", "to", "criteria"), w)
        sources = tuple(str(s) for s in (t["from"] if isinstance(t["from"], list) else [t["from"]]))
        for c in (*sources, t["to"]):
            if c not in conds:
                raise LawPackError(f"{w}: condition {c!r} does not exist in {itype} institutions")
        crits: list[Criterion] = []
        for j, c in enumerate(t["criteria"]):
            test = str(c.get("test"))
            if test not in TESTS:
                raise LawPackError(
                    f"{w}.criteria[{j}]: unknown test {test!r}; known: {sorted(TESTS)}"
                )
            fig = c.get("figure")
            if fig is None and test not in TESTS_WITHOUT_FIGURE:
                raise LawPackError(f"{w}.criteria[{j}]: test {test!r} needs a figure")
            crits.append(Criterion(test, f"conditions.{itype}.{fig}" if fig else None))
        out.append(Transfer(itype, sources, str(t["to"]), tuple(crits)))
    transfers[itype] = tuple(out)


def _check_transfer_figures(
    transfers: dict[str, tuple[Transfer, ...]], figures: dict[str, Figure]
) -> None:
    for ts in transfers.values():
        for t in ts:
            for c in t.criteria:
                if c.figure is not None and c.figure not in figures:
                    raise LawPackError(
                        f"transfer to {t.to} in {t.institution_type}: no figure {c.figure!r}"
                    )


def _apply_overlay(file: Path, figures: dict[str, Figure]) -> str:
    doc = _read_yaml(file)
    _require(doc, ("id", "figures"), file)
    for key, raw in doc["figures"].items():
        base = figures.get(key)
        if base is None:
            raise LawPackError(
                f"{file}: overlay names figure {key!r}, which the pack does not have"
            )
        values = _parse_values(raw, f"{file}: {key}")
        for v in values:
            if v.confidence != "D":
                raise LawPackError(
                    f"{file}: {key}: an overlay may only add demo figures (confidence D)"
                )
        merged: list[Value] = list(base.values)
        for v in values:
            for i, old in enumerate(merged):
                overlaps = old.valid_from <= (v.valid_to or date.max) and v.valid_from <= (
                    old.valid_to or date.max
                )
                if overlaps and old.confidence == "?":
                    merged[i] = Value(
                        old.valid_from, old.valid_to, v.value, v.source, "D", old.planned
                    )
                elif overlaps:
                    raise LawPackError(f"{file}: {key}: an overlay may not replace a known figure")
        figures[key] = Figure(base.key, base.description, base.unit, base.article, tuple(merged))
    return str(doc["id"])
