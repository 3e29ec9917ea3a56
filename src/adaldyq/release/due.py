"""Who is due for parole (CC art. 72) or substitution of the unserved part (CC art. 73) in a window
of months, with the law's answer: possible, mandatory, excluded, or not determinable and why.

The dates and the answers are the law engine's (`adaldyq.law.evaluate` on the file folded by
`adaldyq.files.PersonalFile`); nothing here computes a legal figure. A date the engine cannot give
(the gravity missing from the file, a figure missing from the law pack) cannot be placed in a window:
such a file is listed as "not determinable" with what is missing, every month, until the file or the
law pack says it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from adaldyq.core.dates import add_months
from adaldyq.core.errors import AdaldyqError
from adaldyq.files import PersonalFile
from adaldyq.law.engine import Result
from adaldyq.law.explain import Condition, Finding
from adaldyq.law.pack import LawPack

#: The two ways out before the term ends that the engine dates (LAW.md §6).
KINDS: Final = ("parole", "substitution")
#: The law's answer for one person and one kind.
ANSWERS: Final = ("mandatory", "possible", "excluded", "not_determinable")

#: Conditions whose met_on makes up the date the part of the term is served (the exclusions apart).
_SERVED: Final = frozenset(
    {
        "release.fraction_served",
        "release.minimum_months",
        "release.life_years",
        "release.life_agreement",
    }
)
#: Missing facts that leave the date and the answer standing (a shorter term might apply).
_NOT_BLOCKING: Final = frozenset({"release.life_agreement_unknown"})
#: Facts of the file that end the file for this list: the person is out of the institution.
RELEASE_KINDS: Final = frozenset({"released"})


@dataclass(frozen=True, slots=True)
class Window:
    """The days from `start` (inclusive) to `end` (exclusive) in which a date counts as due."""

    start: date
    end: date

    @classmethod
    def of_month(cls, month: date, *, months: int = 3) -> Window:
        """The `months` months from the first day of `month`'s month."""
        first = month.replace(day=1)
        return cls(first, add_months(first, months))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day < self.end


@dataclass(frozen=True, slots=True)
class Due:
    """One person's parole or substitution in the window, as the law answers it."""

    person: str
    institution: str
    #: "parole" or "substitution".
    kind: str
    #: The first day the part of the term is served (None: not determinable).
    on: date | None
    #: One of ANSWERS.
    answer: str
    #: What the answer lacks: a fact of the file (`gravity`, `corruption`, `corruption_exception`,
    #: `damage_compensated`) or a figure of the law pack (its key), in the engine's order.
    missing: tuple[str, ...] = ()
    #: For parole whose date is known: whether it is mandatory (None: not determinable, see missing).
    mandatory: bool | None = None
    #: The weakest confidence of the figures the answer rests on (LAW.md codes).
    confidence: str = "?"
    #: The engine's finding, for the explanation (parole's or substitution's).
    finding: Finding | None = field(default=None, compare=False, repr=False)
    #: The term's last day (None: life imprisonment).
    release_on: date | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the CLI's and the API's)."""
        return {
            "person": self.person,
            "institution": self.institution,
            "kind": self.kind,
            "on": self.on.isoformat() if self.on else None,
            "answer": self.answer,
            "mandatory": self.mandatory,
            "missing": list(self.missing),
            "confidence": self.confidence,
            "release_on": self.release_on.isoformat() if self.release_on else None,
            "article": self.finding.article if self.finding is not None else None,
        }


def _missing(conditions: Iterable[Condition]) -> tuple[str, ...]:
    """What the undetermined conditions lack: a fact of the file (`person.X` -> X) or a figure."""
    out: list[str] = []
    for c in conditions:
        if c.met is not None or c.ref is None or c.code in _NOT_BLOCKING:
            continue
        key = str(c.params.get("missing") or c.ref.key)
        name = key.removeprefix("person.")
        if name not in out:
            out.append(name)
    return tuple(out)


def _served_on(finding: Finding) -> date | None:
    """The day the part of the term is served, also when an exclusion leaves the finding without one."""
    if isinstance(finding.value, date):
        return finding.value
    days = [c.met_on for c in finding.conditions if c.code in _SERVED and c.met_on is not None]
    if not days or any(c.code in _SERVED and c.met_on is None for c in finding.conditions):
        return None
    return max(days)


def _answer(person: str, institution: str, kind: str, result: Result) -> Due | None:
    finding = result.finding(kind)
    if finding is None:  # evaluated without release (never here)
        return None
    on = _served_on(finding)

    def due(answer: str, *, missing: tuple[str, ...] = (), mandatory: bool | None = None) -> Due:
        confidence = "?" if answer == "not_determinable" else finding.confidence
        return Due(
            person, institution, kind, on, answer, missing, mandatory, confidence, finding,
            result.release_on,
        )  # fmt: skip

    if finding.met is False and any(
        c.met is False and c.code not in _SERVED for c in finding.conditions
    ):
        return due("excluded")
    missing = _missing(finding.conditions)
    if missing or on is None:
        return due("not_determinable", missing=missing)
    if kind != "parole":
        return due("possible")
    mandatory = result.finding("parole_mandatory")
    if mandatory is None or not mandatory.conditions:
        return due("possible", mandatory=False)
    if mandatory.value == on:
        return due("mandatory", mandatory=True)
    if mandatory.met is None:
        return due("possible", missing=_missing(mandatory.conditions))
    return due("possible", mandatory=False)


def due_for(pf: PersonalFile, *, institution_type: str, window: Window, law: LawPack) -> list[Due]:
    """Parole and substitution of one file whose date falls in `window`, or whose date cannot be
    known; [] for a file released, whose term ended before the window, or the engine cannot read."""
    if pf.admission is None or any(f.type in RELEASE_KINDS for f in pf.facts):
        return []
    term_end = pf.admission.sentence.release_on
    if term_end is not None and term_end < window.start:
        return []
    try:
        result = pf.check(law=law, on=window.start, institution_type=institution_type)
    except AdaldyqError:
        return []
    institution = pf.placement.institution
    out = []
    for kind in KINDS:
        due = _answer(pf.person, institution, kind, result)
        if due is None:
            continue
        if due.on is None and due.answer != "not_determinable":
            continue  # excluded with no date to place: not this month's business
        if due.on is not None and due.on not in window:
            continue
        if due.on is not None and term_end is not None and due.on > term_end:
            continue  # the term ends first
        out.append(due)
    return out


def answers_for(pf: PersonalFile, *, institution_type: str, on: date, law: LawPack) -> list[Due]:
    """The law's answer for parole and for substitution of one file on `on`, whatever the date
    (the submission to the court states both); [] when the engine cannot read the file."""
    if pf.admission is None:
        return []
    try:
        result = pf.check(law=law, on=on, institution_type=institution_type)
    except AdaldyqError:
        return []
    found = (_answer(pf.person, pf.placement.institution, k, result) for k in KINDS)
    return [d for d in found if d is not None]


def due_in_window(
    files: Iterable[PersonalFile],
    *,
    types: Mapping[str, str],
    window: Window,
    law: LawPack,
    default_type: str = "medium",
) -> Iterator[Due]:
    """`due_for` over many files; `types`: institution code -> type (the register's)."""
    for pf in files:
        kind = types.get(pf.placement.institution) or default_type
        yield from due_for(pf, institution_type=kind, window=window, law=law)
