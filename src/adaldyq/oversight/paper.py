"""Facts brought in from paper that change an outcome today (issue 23, ADR 0040).

A paper file transcribed is the moment it can be altered. A fact read from paper by one officer only
(not yet read again by a second, nor settled by a head) that changes what the law engine says of the
person today is a finding for review: the degree held and the degree the facts qualify for, the
conditions and the moves open, the parole and substitution dates. The counterfactual is the file
without those facts; the evidence is the facts with their scans (the web shows them).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from adaldyq.core.errors import AdaldyqError
from adaldyq.files import PersonalFile
from adaldyq.law import LawPack, evaluate

__all__ = ["OUTCOME_FIELDS", "PaperOutcome", "outcome_changed_by"]

#: What the engine says today that a fact read from paper may change (`Result` fields).
OUTCOME_FIELDS: Final = (
    "degree",
    "qualifies_for_degree",
    "condition",
    "may_move_to",
    "parole_from",
    "substitution_from",
)


@dataclass(frozen=True, slots=True)
class PaperOutcome:
    """The outcomes that differ, each as (field, without the facts read once, with them)."""

    changes: tuple[tuple[str, Any, Any], ...]
    #: The entries of the facts read once that the file was judged without.
    facts: tuple[int, ...]


def _outcome(pf: PersonalFile, facts: list[dict[str, Any]], law: LawPack, on: date,
             institution_type: str) -> dict[str, Any]:  # fmt: skip
    r = evaluate(pf.law_person(institution_type, on=on), facts, on=on, law=law)
    out = {name: getattr(r, name) for name in OUTCOME_FIELDS}
    out["may_move_to"] = tuple(sorted(out["may_move_to"]))
    return out


def outcome_changed_by(
    pf: PersonalFile, once: Collection[int], *, law: LawPack, on: date, institution_type: str
) -> PaperOutcome | None:
    """The outcomes on `on` that the standing facts of the entries `once` (read from paper by one
    officer only) change, or None when they change none (or the engine cannot read the file)."""
    mine = [f for f in pf.facts if f.seq in once and f.type != "arrived"]
    if not mine or pf.admission is None:
        return None
    left = {f.seq for f in mine}
    try:
        with_them = _outcome(pf, pf.events(), law, on, institution_type)
        without = PersonalFile(
            pf.person, pf.admission, tuple(f for f in pf.facts if f.seq not in left),
            pf.corrections, pf.entries,
        )  # fmt: skip
        without_them = _outcome(without, without.events(), law, on, institution_type)
    except AdaldyqError:
        return None
    changes = tuple(
        (name, without_them[name], with_them[name])
        for name in OUTCOME_FIELDS
        if without_them[name] != with_them[name]
    )
    return PaperOutcome(changes, tuple(sorted(left))) if changes else None
