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

__all__ = ["ClassScore", "KindScore", "read_planted", "score", "score_classes"]


class _Rates:
    """Recall and precision from a score's counts: what was planted and found, the flags raised
    and those that match something planted."""

    __slots__ = ()
    planted: int
    found: int
    flags: int
    matching_flags: int

    @property
    def recall(self) -> float | None:
        """Share of what was planted that a flag found (None: nothing planted)."""
        return self.found / self.planted if self.planted else None

    @property
    def precision(self) -> float | None:
        """Share of the flags that match something planted (None: no flags)."""
        return self.matching_flags / self.flags if self.flags else None

    def _counts(self) -> dict[str, Any]:
        return {
            "planted": self.planted,
            "found": self.found,
            "flags": self.flags,
            "matching_flags": self.matching_flags,
            "recall": self.recall,
            "precision": self.precision,
        }


@dataclass(frozen=True, slots=True)
class KindScore(_Rates):
    """How one kind of flag did against the abuses planted of that kind (found: by at least one
    flag)."""

    kind: str
    planted: int
    found: int
    flags: int
    matching_flags: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"kind": self.kind, **self._counts()}


def read_planted(path: Path | str) -> list[dict[str, Any]]:
    """The lines of planted.jsonl."""
    return [orjson.loads(line) for line in Path(path).read_bytes().splitlines() if line.strip()]


def _matches(flag: Flag, abuse: Mapping[str, Any]) -> bool:
    if flag.kind != abuse["kind"] or flag.person != abuse.get("person"):
        return False
    entries = abuse.get("entries") or []
    if entries and flag.evidence:
        return not set(entries).isdisjoint(flag.evidence)
    return True


def score(
    flags: Iterable[Flag], planted: Sequence[Mapping[str, Any]], kinds: Iterable[str] | None = None
) -> list[KindScore]:
    """A score per kind: every kind planted, plus `kinds` (e.g. every kind the register knows)."""
    planted = [a for a in planted if a["kind"] != "pattern"]  # scored by `score_classes`
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


@dataclass(frozen=True, slots=True)
class ClassScore(_Rates):
    """How the findings (person level) or the patterns (officer or institution level) did.

    Findings: a planted abuse of a finding kind is found when a finding of its kind names its person
    (and shares an evidence entry where both name some); a finding is right when a planted abuse of
    any kind names its person. Patterns: a planted pattern (a line of kind `pattern`, naming its
    `measure` and `officer` or `institution`) is found when a `rate_outlier` of that measure names that
    unit; a pattern is right when a planted pattern names its unit, or when a planted abuse of its
    lead kind was recorded by its officer (or in its institution). `leads_only`: planted abuses that
    only a lead names (no finding, no pattern of their officer or institution).
    """

    flag_class: str
    planted: int
    found: int
    flags: int
    matching_flags: int
    leads_only: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"class": self.flag_class, **self._counts(), "leads_only": self.leads_only}


#: Planted leads of one kind by one officer from which the officer counts as a planted pattern.
PATTERN_LEADS = 5


def _unit_of(flag: Flag) -> tuple[str, str, str]:
    d = flag.detail
    return (str(d.get("measure", "")), str(d.get("level", "")), str(d.get("unit", "")))


def score_classes(flags: Iterable[Flag], planted: Sequence[Mapping[str, Any]]) -> list[ClassScore]:
    """Findings and patterns scored apart (issue 15), and how many planted abuses only a lead names."""
    from adaldyq.oversight.register import MEASURE_LEADS, flag_class

    flag_list = list(flags)
    findings = [f for f in flag_list if f.flag_class == "finding"]
    patterns = [f for f in flag_list if f.flag_class == "pattern"]
    leads = [f for f in flag_list if f.flag_class == "lead"]
    abuses = [a for a in planted if a["kind"] != "pattern"]
    planted_patterns = [a for a in planted if a["kind"] == "pattern"]
    # An officer who recorded PATTERN_LEADS or more planted leads of one kind is a planted pattern
    # (the demo's new officer whose every penalty falls just before a qualification).
    by_officer: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for a in abuses:
        if flag_class(str(a["kind"])) == "lead" and a.get("officer"):
            by_officer.setdefault((str(a["kind"]), str(a["officer"])), []).append(a)
    measures = {lead: m for m, lead in MEASURE_LEADS.items() if lead}
    for (kind, officer), mine in sorted(by_officer.items()):
        if len(mine) >= PATTERN_LEADS and kind in measures:
            planted_patterns.append(
                {"kind": "pattern", "measure": measures[kind], "officer": officer,
                 "institution": mine[0].get("institution"), "leads": len(mine)}
            )  # fmt: skip

    # findings, person by person
    wanted = [a for a in abuses if flag_class(str(a["kind"])) == "finding"]
    people = {str(a["person"]) for a in abuses}
    found_f = sum(1 for a in wanted if any(_matches(f, a) for f in findings))
    right_f = sum(1 for f in findings if f.person in people)

    # patterns, unit by unit
    def names(f: Flag, p: Mapping[str, Any]) -> bool:
        measure, level, unit = _unit_of(f)
        if measure != p.get("measure"):
            return False
        return unit == (p.get("officer") if level == "officer" else p.get("institution"))

    found_p = sum(1 for p in planted_patterns if any(names(f, p) for f in patterns))

    def explained(f: Flag) -> bool:
        if any(names(f, p) for p in planted_patterns):
            return True
        measure, level, unit = _unit_of(f)
        lead = MEASURE_LEADS.get(measure)
        key = "officer" if level == "officer" else "institution"
        return any(a["kind"] == lead and a.get(key) == unit for a in abuses)

    right_p = sum(1 for f in patterns if explained(f))

    # planted abuses named only by a lead: no finding of theirs, no pattern of their unit
    def in_pattern(a: Mapping[str, Any]) -> bool:
        for f in patterns:
            measure, level, unit = _unit_of(f)
            if MEASURE_LEADS.get(measure) != a["kind"]:
                continue
            if unit == (a.get("officer") if level == "officer" else a.get("institution")):
                return True
        return False

    only_lead = sum(
        1
        for a in abuses
        if any(_matches(f, a) for f in leads)
        and not any(_matches(f, a) for f in findings)
        and not in_pattern(a)
    )
    return [
        ClassScore("finding", len(wanted), found_f, len(findings), right_f, only_lead),
        ClassScore("pattern", len(planted_patterns), found_p, len(patterns), right_p),
    ]
