"""The placement rules: every rule and weight of this package as dated data (`rules.yaml`).

`PlacementRules.load()` reads the shipped file (or another one, for a what-if or a correction);
`rules.resolve(key, on)` gives the value in force on a date with the `Ref` to cite (article,
source, LAW.md confidence), exactly like `LawPack.resolve`. Code never holds a figure itself.

The law itself is not here: art. 88's grounds (`grounds.*`) and art. 96's change of type
(`change_of_type.*`) are read from the law pack under the same names (issue 17: one source for the
law), and the hash the rules name covers the law pack's too.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from adaldyq.core.dates import as_date
from adaldyq.core.errors import LawPackError
from adaldyq.law.explain import CONFIDENCES, Ref
from adaldyq.law.pack import Figure, LawPack, Resolved, Value

#: The law pack's namespaces placement reads (PEC arts. 88 and 96); a rules file may not define them.
LAW_NAMESPACES = ("grounds", "change_of_type")

_FIGURE_FIELDS = frozenset({"description", "unit", "article", "values"})
_VALUE_FIELDS = frozenset({"valid_from", "valid_to", "value", "source", "confidence"})


class PlacementRulesError(LawPackError):
    """The placement rules file does not load, or a rule is missing on a date."""


class PlacementRules:
    """The rules of placement, the queue, the flags, art. 96 and the simulator (`rules.yaml`)."""

    def __init__(self, rules: dict[str, Figure], *, ident: str, version: str, digest: str) -> None:
        self.rules = rules
        self.id = ident
        self.version = version
        self.hash = digest
        self._cache: dict[tuple[str, date], Resolved] = {}

    @classmethod
    def load(cls, path: Path | str | None = None, *, law: LawPack | None = None) -> PlacementRules:
        """Read the shipped rules (or the file at `path`) and the law they apply from `law` (default:
        the shipped law pack); PlacementRulesError names the fault."""
        if path is None:
            text = resources.files("adaldyq.placement").joinpath("rules.yaml").read_text("utf-8")
            where = "rules.yaml"
        else:
            try:
                text = Path(path).read_text("utf-8")
            except FileNotFoundError:
                raise PlacementRulesError(f"placement rules file missing: {path}") from None
            where = str(path)
        try:
            doc = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 -- safe
        except yaml.YAMLError as exc:
            raise PlacementRulesError(
                f"{where}: not valid YAML: {exc}".replace("\n", " ")
            ) from None
        if not isinstance(doc, dict) or "id" not in doc or "version" not in doc:
            raise PlacementRulesError(f"{where}: expected a mapping with 'id' and 'version'")
        #: Each rule or weight with its dated values, in the law pack's shape (`Figure`, `Value`).
        rules: dict[str, Figure] = {}
        for name, node in doc.items():
            if name in LAW_NAMESPACES:
                raise PlacementRulesError(
                    f"{where}: {name}: this is law (PEC arts. 88, 96) and lives in the law pack "
                    f"(packs/kz/institutions.yaml), not in the placement rules"
                )
            if name not in ("id", "version"):
                _collect(node, name, where, rules)
        pack = law if law is not None else _shipped_law()
        for key, fig in pack.figures.items():
            if key.split(".", 1)[0] in LAW_NAMESPACES:
                rules[key] = fig
        canonical = json.dumps(
            {"rules": doc, "law_pack": pack.hash}, sort_keys=True, default=str, ensure_ascii=False
        )
        digest = hashlib.sha256(canonical.encode()).hexdigest()
        return cls(rules, ident=str(doc["id"]), version=str(doc["version"]), digest=digest)

    def resolve(self, key: str, on: date) -> Resolved:
        """The rule `key` in force on `on`; PlacementRulesError when absent or not in force."""
        hit = self._cache.get((key, on))
        if hit is not None:
            return hit
        if len(self._cache) > 65_536:
            self._cache.clear()
        rule = self.rules.get(key)
        if rule is None:
            raise PlacementRulesError(f"the placement rules have no rule {key!r}")
        for v in rule.values:
            if v.valid_from <= on and (v.valid_to is None or on <= v.valid_to):
                ref = Ref(key, rule.article, v.confidence, v.source, v.value, v.valid_from)
                res = self._cache[(key, on)] = Resolved(v.value, ref)
                return res
        raise PlacementRulesError(f"placement rule {key!r} has no value in force on {on}")

    def value(self, key: str, on: date) -> Any:
        """Just the value of `resolve(key, on)`."""
        return self.resolve(key, on).value

    def ref(self, key: str, on: date) -> Ref:
        """Just the reference of `resolve(key, on)`."""
        return self.resolve(key, on).ref

    def keys(self, prefix: str) -> tuple[str, ...]:
        """The rule keys under `prefix.` (e.g. the family circumstances under `queue.family`)."""
        start = prefix + "."
        return tuple(k for k in self.rules if k.startswith(start))

    def describe(self) -> dict[str, str]:
        """Id, version and hash, as every proposal and flag names them."""
        return {"id": self.id, "version": self.version, "hash": self.hash}


@cache
def _shipped_law() -> LawPack:
    return LawPack.load()


@cache
def default_rules() -> PlacementRules:
    """The shipped rules, loaded once."""
    return PlacementRules.load()


def _collect(node: Any, key: str, where: str, out: dict[str, Figure]) -> None:
    if not isinstance(node, dict):
        raise PlacementRulesError(f"{where}: {key}: expected a mapping")
    if "values" not in node:
        for name, child in node.items():
            _collect(child, f"{key}.{name}", where, out)
        return
    if set(node) != _FIGURE_FIELDS:
        raise PlacementRulesError(f"{where}: {key}: fields must be {sorted(_FIGURE_FIELDS)}")
    raw = node["values"]
    if not isinstance(raw, list) or not raw:
        raise PlacementRulesError(f"{where}: {key}: 'values' must be a non-empty list")
    values: list[Value] = []
    for item in raw:
        if not isinstance(item, dict) or not {"valid_from", "value", "source", "confidence"} <= set(
            item
        ):
            raise PlacementRulesError(
                f"{where}: {key}: a value needs valid_from, value, source, confidence"
            )
        if set(item) - _VALUE_FIELDS:
            raise PlacementRulesError(
                f"{where}: {key}: unknown fields {sorted(set(item) - _VALUE_FIELDS)}"
            )
        if item["confidence"] not in CONFIDENCES:
            raise PlacementRulesError(f"{where}: {key}: unknown confidence {item['confidence']!r}")
        values.append(
            Value(
                _date(item["valid_from"], where, key),
                _date(item["valid_to"], where, key) if item.get("valid_to") else None,
                item["value"],
                str(item["source"]),
                str(item["confidence"]),
            )
        )
    out[key] = Figure(
        key, str(node["description"]), str(node["unit"]), str(node["article"]), tuple(values)
    )


def _date(value: Any, where: str, key: str) -> date:
    found = as_date(value)
    if found is None:
        raise PlacementRulesError(f"{where}: {key}: not a date: {value!r}")
    return found
