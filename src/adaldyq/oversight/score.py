"""Precision and recall of the flags against planted abuses (the demo's planted.jsonl).

A planted abuse is found (recall) when a flag of its kind names its person and, where both name
ledger entries (the flag's evidence, the planted line's `entries`), they share at least one. A flag
is right (precision) when a planted abuse of its kind names its person: an abuse that goes on (a
degree ignored again at the next qualification) gives further flags that are not false alarms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from adaldyq.oversight.register import Flag

__all__ = ["KindScore", "read_planted", "score"]


@dataclass(frozen=True, slots=True)
class KindScore:
    """How one kind of flag did against the abuses planted of that kind."""

    kind: str
    planted: int
    found: int
    flags: int
    matching_flags: int

    @property
    def recall(self) -> float | None:
        """Share of planted abuses found by at least one flag (None: none planted)."""
        return self.found / self.planted if self.planted else None

    @property
    def precision(self) -> float | None:
        """Share of flags that match a planted abuse (None: no flags)."""
        return self.matching_flags / self.flags if self.flags else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "kind": self.kind,
            "planted": self.planted,
            "found": self.found,
            "flags": self.flags,
            "matching_flags": self.matching_flags,
            "recall": self.recall,
            "precision": self.precision,
        }


def read_planted(path: Path | str) -> list[dict[str, Any]]:
    """The lines of planted.jsonl."""
    return [orjson.loads(line) for line in Path(path).read_bytes().splitlines() if line.strip()]


def _matches(flag: Flag, abuse: Mapping[str, Any]) -> bool:
    if flag.kind != abuse["kind"] or flag.person != abuse["person"]:
        return False
    entries = abuse.get("entries") or []
    if entries and flag.evidence:
        return not set(entries).isdisjoint(flag.evidence)
    return True


def score(
    flags: Iterable[Flag], planted: Sequence[Mapping[str, Any]], kinds: Iterable[str] | None = None
) -> list[KindScore]:
    """A score per kind: every kind planted, plus `kinds` (e.g. every kind the register knows)."""
    by_person: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for a in planted:
        by_person.setdefault((a["kind"], a["person"]), []).append(a)
    flag_list = list(flags)
    names = sorted({a["kind"] for a in planted} | set(kinds or ()))
    found: set[int] = set()
    matching: dict[str, int] = dict.fromkeys(names, 0)
    counted: dict[str, int] = dict.fromkeys(names, 0)
    for f in flag_list:
        if f.kind not in counted:
            continue
        counted[f.kind] += 1
        same = by_person.get((f.kind, f.person), ())
        for a in same:
            if _matches(f, a):
                found.add(id(a))
        matching[f.kind] += bool(same)
    out = []
    for name in names:
        mine = [a for a in planted if a["kind"] == name]
        out.append(
            KindScore(
                name, len(mine), sum(1 for a in mine if id(a) in found), counted[name],
                matching[name],
            )
        )  # fmt: skip
    return out
