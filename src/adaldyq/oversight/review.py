"""The law engine applied to a personal file at the few dates that matter (LAW.md §2-3).

For one person, `review_file` evaluates the engine
- at each degree award and each transfer between conditions, with the facts before it: was it
  supported, and since when did the person qualify (the delay);
- at each penalty, with the facts before it, on the penalty date + the window: would the person
  have qualified within the window had the penalty not been imposed, and had they been waiting
  already (a qualification the penalty ended);
- after each penalty while a positive degree is held: is the held degree still supported;
- on the review date with every fact: what the person qualifies for and since when.

The output is rows (plain tuples, see `ROW_COLUMNS`) that `adaldyq.oversight.register` loads
into a columnar table and turns into flags with SQL; nothing here decides what is a flag.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final

import orjson

from adaldyq.core.errors import AdaldyqError
from adaldyq.core.facts import EVENT_TYPES
from adaldyq.core.person import Person
from adaldyq.files import Fact, PersonalFile
from adaldyq.law import LawPack, Result, Timeline
from adaldyq.oversight.files import institution_type

__all__ = ["ROW_COLUMNS", "Review", "review_file"]

_DEGREE_DECISIONS: Final = frozenset({"degree_awarded", "recognised", "degree_revoked"})
#: The decisions whose support the engine checks (and a late fact or a withdrawal may change).
_OUTCOMES: Final = frozenset({"degree_awarded", "condition_changed"})
_ARTICLE_DEGREES: Final = "PEC art. 95"
_ARTICLE_TRANSFERS: Final = "PEC art. 103"

#: Columns of the rows each table receives (DuckDB types).
ROW_COLUMNS: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    # One row per decision the law engine can check (awards, transfers) or cannot (recognitions,
    # revocations: the law pack has no thresholds for them, LAW.md §2).
    "decisions": (
        ("person", "VARCHAR"),
        ("seq", "BIGINT"),
        ("day", "DATE"),
        ("kind", "VARCHAR"),  # degree | condition | recognition | revocation
        ("target", "VARCHAR"),  # "1".."3" | a condition | a recognition
        ("officer", "VARCHAR"),
        ("institution", "VARCHAR"),
        ("determinable", "BOOLEAN"),
        ("supported", "BOOLEAN"),
        ("qualified_on", "DATE"),
        ("basis", "BIGINT[]"),  # entries the qualification rests on
        ("rule", "VARCHAR"),
        ("confidence", "VARCHAR"),
    ),
    # Each time the engine saw a person qualified for a step: since when, seen until when, and how
    # the observation ended (the step decided, a penalty, another decision, or still open).
    "waits": (
        ("person", "VARCHAR"),
        ("kind", "VARCHAR"),  # degree | condition
        ("target", "VARCHAR"),
        ("qualified_on", "DATE"),
        ("until", "DATE"),  # NULL: still open on the review date
        ("ended", "VARCHAR"),  # decided | penalty | observed | open
        ("seq", "BIGINT"),  # the entry observed at (decision or penalty); NULL when open
        ("officer", "VARCHAR"),
        ("institution", "VARCHAR"),
        ("basis", "BIGINT[]"),
        ("rule", "VARCHAR"),
        ("confidence", "VARCHAR"),
    ),
    # One row per penalty: the step the person would have qualified for, and when, without it.
    "penalties": (
        ("person", "VARCHAR"),
        ("seq", "BIGINT"),
        ("day", "DATE"),
        ("officer", "VARCHAR"),
        ("institution", "VARCHAR"),
        ("would_qualify_on", "DATE"),
        ("target", "VARCHAR"),
        ("rule", "VARCHAR"),
        ("confidence", "VARCHAR"),
    ),
    # A decision the facts support only thanks to a fact recorded late (more than the threshold after
    # its day), or to a withdrawal or correction: the engine re-run on the file without it (the late
    # fact left out; the original put back) on the decision's day says it was not supported.
    "loopholes": (
        ("kind", "VARCHAR"),  # late_entry_changed_outcome | withdrawal_changed_outcome
        ("person", "VARCHAR"),
        ("institution", "VARCHAR"),
        ("officer", "VARCHAR"),  # who recorded the late fact, or the withdrawal
        ("day", "DATE"),  # the decision's day
        ("evidence", "BIGINT[]"),
        ("rule", "VARCHAR"),
        ("confidence", "VARCHAR"),
        ("detail", "VARCHAR"),  # JSON: the fact or correction, the decision, with and without
    ),
    # Every withdrawal or correction of a fact: who, when, of what (a lead: `fact_withdrawn`,
    # `fact_corrected`; their share among an officer's entries is a pattern, ADR 0028).
    "corrections": (
        ("person", "VARCHAR"),
        ("seq", "BIGINT"),
        ("original", "BIGINT"),
        ("action", "VARCHAR"),  # withdrawal | correction
        ("day", "DATE"),  # the day it was recorded
        ("fact", "VARCHAR"),
        ("fact_on", "DATE"),
        ("officer", "VARCHAR"),
        ("institution", "VARCHAR"),
        ("reason", "VARCHAR"),
    ),
    # Entries of the file each officer wrote (facts, the originals since corrected, withdrawals and
    # corrections): the denominators of the withdrawal and correction rates.
    "written": (
        ("person", "VARCHAR"),
        ("officer", "VARCHAR"),
        ("institution", "VARCHAR"),
        ("entries", "INTEGER"),
        ("withdrawals", "INTEGER"),
        ("corrections", "INTEGER"),
    ),
    # Spans during which the held positive degree was not supported by the facts.
    "unsupported": (
        ("person", "VARCHAR"),
        ("degree", "INTEGER"),
        ("since", "DATE"),
        ("until", "DATE"),  # NULL: still held unsupported on the review date
        ("seq", "BIGINT"),  # the penalty from which it is unsupported
        ("ended_seq", "BIGINT"),
        ("officer", "VARCHAR"),  # who recorded the award left standing
        ("institution", "VARCHAR"),
        ("rule", "VARCHAR"),
        ("confidence", "VARCHAR"),
    ),
}


@dataclass(slots=True)
class Review:
    """The rows of one person, and whether the engine could read the file at all."""

    decisions: list[tuple[Any, ...]]
    waits: list[tuple[Any, ...]]
    penalties: list[tuple[Any, ...]]
    unsupported: list[tuple[Any, ...]]
    loopholes: list[tuple[Any, ...]] = field(default_factory=list)
    corrections: list[tuple[Any, ...]] = field(default_factory=list)
    written: list[tuple[Any, ...]] = field(default_factory=list)
    #: Why the file could not be reviewed (unknown institution type, facts the engine refuses).
    skipped: str | None = None


def _person(pf: PersonalFile, itype: str) -> Person:
    if pf.admission is None:  # read_files and collect_files keep only admitted files
        raise ValueError(f"{pf.person}: no admission")
    return pf.law_person(itype)  # the parole facts as the file says them now


class _Reviewer:
    """The evaluation of one file; the rows accumulate on the instance."""

    def __init__(
        self, pf: PersonalFile, person: Person, law: LawPack, window: int, late: int = 30
    ) -> None:
        self.pf, self.person, self.law = pf, person, law
        self.window = timedelta(days=window)
        self.late = late
        self.inst = pf.institution
        self.facts: list[Fact] = [f for f in pf.facts if f.type in EVENT_TYPES]
        # A fact's event is already a case-format fact (`PersonalFile.fold`).
        self.events: list[dict[str, Any]] = [f.event for f in self.facts]
        # Every point asked about comes later in the file than the one before: one pass (Timeline).
        self.timeline = Timeline(person, self.events, law=law)
        self.out = Review([], [], [], [], [], [], [])  # each list given: no factory calls
        # The award that set the held positive degree, and an unsupported span being tracked.
        self.award: Fact | None = None
        self.unsupported_since: tuple[Fact, int] | None = None
        #: Each decision's support by the facts before it, as the pass found it (by its index).
        self.supported: dict[int, bool | None] = {}
        #: Each decision's facts as recorded when it was taken, and their support (`_as_decided`).
        self.decided: dict[int, tuple[list[Fact], bool | None]] = {}

    def evaluate(self, upto: int, on: date) -> Result:
        return self.timeline.at(upto, on)

    # --- the basis of a qualification: the entries its conditions rest on ------------------------

    def _seq_on(self, kinds: frozenset[str], on: date | None, upto: int) -> list[int]:
        if on is None:
            return []
        facts = self.facts
        i = min(upto, len(facts)) - 1
        while i >= 0 and facts[i].on >= on:  # facts are in date order: look back to that day only
            f = facts[i]
            if f.on == on and f.type in kinds:
                return [f.seq]
            i -= 1
        return []

    def degree_basis(self, r: Result, k: int, upto: int) -> list[int]:
        f = r.finding(f"degree.{k}")
        if f is None or not f.conditions:
            return []
        first = f.conditions[0]
        kinds = frozenset({"incentive"}) if k == 1 else frozenset({"degree_awarded"})
        return self._seq_on(kinds, first.met_on, upto)

    # --- waits ----------------------------------------------------------------------------------

    def observe(
        self, r: Result, upto: int, until: date | None, ended: str, at: Fact | None
    ) -> None:
        """Record every step the person qualifies for in `r` (a degree, transfers)."""
        q, held = r.qualifies_for_degree, r.degree
        seq = at.seq if at else None
        officer = at.officer if at else ""
        if q is not None and q > held and r.gap.waiting_since is not None:
            f = r.finding(f"degree.{q}")
            conf = f.confidence if f else "P"
            this = ended
            if at is not None and at.type == "degree_awarded" and at.event.get("degree") == q:
                this = "decided"
            self.out.waits.append((
                self.pf.person, "degree", str(q), r.gap.waiting_since, until, this, seq, officer,
                self.inst, self.degree_basis(r, q, upto), _ARTICLE_DEGREES, conf,
            ))  # fmt: skip
        for f in r.findings:
            if not f.id.startswith("transfer.") or f.met is not True or f.met_on is None:
                continue
            to = str(f.value)
            this = ended
            if at is not None and at.type == "condition_changed" and at.event.get("to") == to:
                this = "decided"
            self.out.waits.append((
                self.pf.person, "condition", to, f.met_on, until, this, seq, officer, self.inst,
                [], f.article, f.confidence,
            ))  # fmt: skip

    # --- the pass --------------------------------------------------------------------------------

    def run(self, review_on: date) -> Review:
        for i, fact in enumerate(self.facts):
            t = fact.type
            if t == "degree_awarded" or t == "condition_changed":
                self.decision(i, fact)
            elif t in _DEGREE_DECISIONS:
                kind = "recognition" if t == "recognised" else "revocation"
                target = str(fact.event.get("as", "none"))
                self.out.decisions.append((
                    self.pf.person, fact.seq, fact.on, kind, target, fact.officer, self.inst,
                    False, None, None, [], _ARTICLE_DEGREES, "?",
                ))  # fmt: skip
            elif t == "penalty":
                self.penalty(i, fact)
            elif t == "incentive":
                self.incentive(i, fact)
            if t in _DEGREE_DECISIONS:
                self.degree_changed(fact)
        if self.facts:
            r = self.evaluate(len(self.facts), max(review_on, self.facts[-1].on))
            self.observe(r, len(self.facts), None, "open", None)
        if self.unsupported_since is not None:
            start, degree = self.unsupported_since
            self.close_unsupported(start, degree, None)
        self.late_entries()
        self.withdrawals()
        self.corrections()
        return self.out

    def corrections(self) -> None:
        """Each withdrawal and correction of a fact, and the entries each officer wrote (facts
        standing, the originals they replaced, the corrections themselves)."""
        entries: dict[str, int] = {}
        for f in self.pf.facts:
            entries[f.officer] = entries.get(f.officer, 0) + 1
        counts = {officer: [n, 0, 0] for officer, n in entries.items()}
        for c in self.pf.corrections:
            o = c.original
            action = "withdrawal" if c.replacement is None else "correction"
            mine = counts.setdefault(c.officer, [0, 0, 0])
            mine[1 if action == "withdrawal" else 2] += 1
            if c.replacement is None:
                mine[0] += (
                    1  # the withdrawal itself; a replacement is a standing fact counted above
                )
            if o is None:
                continue
            counts.setdefault(o.officer, [0, 0, 0])[0] += 1
            self.out.corrections.append((
                self.pf.person, c.seq, o.seq, action, date.fromisoformat(c.recorded_at[:10]),
                o.type, o.on, c.officer, self.inst, c.reason,
            ))  # fmt: skip
        self.out.written.extend(
            (self.pf.person, officer, self.inst, n, w, k) for officer, (n, w, k) in counts.items()
        )

    # --- loopholes: late entries and withdrawals that change an outcome (issue 15) ----------------

    def _supported(self, events: list[dict[str, Any]], decision: Fact) -> bool | None:
        """Would the engine support `decision` on its day given `events` (the facts before it)?"""
        r = Timeline(self.person, events, law=self.law).at(len(events), decision.on)
        if decision.type == "degree_awarded":
            q = r.qualifies_for_degree
            return None if q is None else q >= int(decision.event["degree"])
        f = r.finding(f"transfer.{r.condition}.{decision.event['to']}")
        return None if f is None else f.met

    def _decisions_after(self, day: date, seq: int, recorded_at: str) -> list[tuple[int, Fact]]:
        """Decisions dated on or after `day` and recorded after entry `seq` (they could rest on it).

        A decision recorded in the same batch as the entry (the same `recorded_at`: one import of
        history, as the demo or a migration of paper files loads it) was not taken on it.
        """
        return [
            (i, d)
            for i, d in enumerate(self.facts)
            if d.type in _OUTCOMES and d.on >= day and d.seq > seq and d.recorded_at != recorded_at
        ]

    def _finding(
        self, kind: str, decision: Fact, officer: str, evidence: list[int], **detail: Any
    ) -> None:
        detail = {
            "decision": decision.type, "decision_on": decision.on,
            "target": str(decision.event.get("degree") or decision.event.get("to") or ""),
            **detail, "with": True, "without": False,
        }  # fmt: skip
        self.out.loopholes.append((
            kind, self.pf.person, self.inst, officer, decision.on, evidence,
            _ARTICLE_DEGREES if decision.type == "degree_awarded" else _ARTICLE_TRANSFERS, "P",
            orjson.dumps(detail).decode(),
        ))  # fmt: skip

    def _as_decided(self, i: int, decision: Fact) -> tuple[list[Fact], bool | None]:
        """The facts before the `i`-th, as the file stood when `decision` was recorded (a fact
        recorded after it, even dated before, was not before whoever decided), and whether they
        support it: once a decision, however many late facts and withdrawals precede it; when no
        fact is left out, the pass's own answer (`supported`), with no evaluation."""
        hit = self.decided.get(i)
        if hit is None:
            before = [x for x in self.facts[:i] if x.seq < decision.seq]
            if len(before) == i and i in self.supported:
                hit = (before, self.supported[i])
            else:
                hit = (before, self._supported([x.event for x in before], decision))
            self.decided[i] = hit
        return hit

    def late_entries(self) -> None:
        """A fact recorded more than `late` days after its day, on which a later decision rests: the
        decision supported with it and not without it (same dates) is a finding. A correction's
        replacement is judged with the original put back (`withdrawals`), not here; facts recorded
        with the file's opening (its paper history, migrated with it) are history, not late."""
        replacements = {c.replacement.seq for c in self.pf.corrections if c.replacement}
        opened = self.pf.admission.recorded_at if self.pf.admission else None
        for f in self.facts:
            if f.type in _OUTCOMES or not f.recorded_at or f.seq in replacements:
                continue
            if f.recorded_at == opened:
                continue
            recorded = date.fromisoformat(f.recorded_at[:10])
            lag = (recorded - f.on).days
            if lag <= self.late:
                continue
            for i, d in self._decisions_after(recorded, f.seq, f.recorded_at):
                before, supported = self._as_decided(i, d)
                if supported is not True:
                    continue
                without = [x.event for x in before if x is not f]
                if self._supported(without, d) is False:
                    self._finding(
                        "late_entry_changed_outcome", d, f.officer, [f.seq, d.seq],
                        fact=f.type, fact_on=f.on, recorded_on=recorded, days_late=lag,
                    )  # fmt: skip

    def withdrawals(self) -> None:
        """A withdrawal or correction after which a decision is supported that the original, left
        standing, would not have allowed: a finding, the original put back as the counterfactual.
        The same fact recorded again after the decision (withdraw, decide, record again) is named."""
        for c in self.pf.corrections:
            o = c.original
            if o is None or o.type not in EVENT_TYPES or o.type in _OUTCOMES:
                continue
            withdrawn_on = date.fromisoformat(c.recorded_at[:10])
            for i, d in self._decisions_after(withdrawn_on, c.seq, c.recorded_at):
                before, supported = self._as_decided(i, d)
                if supported is not True:
                    continue
                back = sorted(
                    [x for x in before if c.replacement is None or x.seq != c.replacement.seq]
                    + [o],
                    key=lambda x: (x.on, x.seq),
                )
                if self._supported([x.event for x in back], d) is False:
                    again = [
                        x.seq
                        for x in self.facts
                        if x.seq > d.seq and x.type == o.type and x.on == o.on
                        and x.event == o.event
                    ]  # fmt: skip
                    self._finding(
                        "withdrawal_changed_outcome", d, c.officer, [o.seq, c.seq, d.seq, *again],
                        fact=o.type, fact_on=o.on, corrected_on=withdrawn_on,
                        withdrawn=c.replacement is None, reason=c.reason,
                        recorded_again=again[0] if again else None,
                    )  # fmt: skip

    def decision(self, i: int, fact: Fact) -> None:
        r = self.evaluate(i, fact.on)
        self.observe(r, i, fact.on, "observed", fact)
        if fact.type == "degree_awarded":
            k = int(fact.event["degree"])
            q = r.qualifies_for_degree
            determinable = q is not None
            supported = determinable and q is not None and q >= k
            self.supported[i] = supported if determinable else None
            f = r.finding(f"degree.{k}")
            since = r.gap.waiting_since if supported else None
            row = (
                self.pf.person, fact.seq, fact.on, "degree", str(k), fact.officer, self.inst,
                determinable, supported if determinable else None, since,
                self.degree_basis(r, k, i), f.article if f else _ARTICLE_DEGREES,
                f.confidence if f else "P",
            )  # fmt: skip
            self.out.decisions.append(row)
            return
        to = str(fact.event["to"])
        f = r.finding(f"transfer.{r.condition}.{to}")
        self.supported[i] = None if f is None else f.met
        if f is None:  # a move the tables do not define (LAW.md §3: the engine does not propose it)
            row = (
                self.pf.person, fact.seq, fact.on, "condition", to, fact.officer, self.inst,
                False, None, None, [], _ARTICLE_TRANSFERS, "?",
            )  # fmt: skip
        else:
            row = (
                self.pf.person, fact.seq, fact.on, "condition", to, fact.officer, self.inst,
                f.met is not None, f.met, f.met_on if f.met else None, [], f.article,
                f.confidence,
            )  # fmt: skip
        self.out.decisions.append(row)

    def incentive(self, i: int, fact: Fact) -> None:
        """A further incentive starts the months of the 1st positive degree again (art. 95, LAW.md
        §2): a qualification for +1 it ends is seen standing up to it."""
        if self.award is not None:
            return  # a positive degree is held: an incentive ends no wait for +1
        if self.timeline.qualifies_at(i, fact.on, 0, 1):  # the whole result only when it is so
            self.observe(self.evaluate(i, fact.on), i, fact.on, "incentive", fact)

    def penalty(self, i: int, fact: Fact) -> None:
        r = self.evaluate(i, fact.on + self.window)
        self.observe(r, i, fact.on, "penalty", fact)
        # Every step the person would have qualified for without this penalty (and what followed):
        # the first one after the penalty date, else the one they were already waiting for.
        steps: list[tuple[date, str, str, str]] = []
        q, held = r.qualifies_for_degree, r.degree
        if q is not None and q > held and r.gap.waiting_since is not None:
            f = r.finding(f"degree.{q}")
            steps.append((
                r.gap.waiting_since, f"degree {q}", f.article if f else _ARTICLE_DEGREES,
                f.confidence if f else "P",
            ))  # fmt: skip
        for f in r.findings:
            if f.id.startswith("transfer.") and f.met is True and f.met_on is not None:
                steps.append((f.met_on, str(f.value), f.article, f.confidence))
        later = sorted(s for s in steps if s[0] > fact.on)
        chosen = later[0] if later else (min(steps) if steps else None)
        would, target, rule, conf = chosen or (None, "", _ARTICLE_DEGREES, "P")
        self.out.penalties.append((
            self.pf.person, fact.seq, fact.on, fact.officer, self.inst, would, target, rule, conf,
        ))  # fmt: skip
        if self.award is not None and self.unsupported_since is None:
            after = self.evaluate(i + 1, fact.on)
            if after.gap.unsupported:
                self.unsupported_since = (fact, after.degree)

    def degree_changed(self, fact: Fact) -> None:
        if self.unsupported_since is not None:
            start, degree = self.unsupported_since
            self.close_unsupported(start, degree, fact)
        self.award = fact if fact.type == "degree_awarded" else None

    def close_unsupported(self, start: Fact, degree: int, end: Fact | None) -> None:
        award = self.award
        self.out.unsupported.append((
            self.pf.person, degree, start.on, end.on if end else None, start.seq,
            end.seq if end else None, award.officer if award else "", self.inst,
            _ARTICLE_DEGREES, "P",
        ))  # fmt: skip
        self.unsupported_since = None


def review_file(
    pf: PersonalFile,
    *,
    law: LawPack,
    register: Mapping[str, str],
    on: date,
    window_days: int = 30,
    late_days: int = 30,
) -> Review:
    """The engine's view of one file at the dates that matter, as rows (see the module docstring)."""
    itype = institution_type(pf, register)
    if itype is None:
        return Review([], [], [], [], skipped=f"institution {pf.institution!r}: type unknown")
    try:
        reviewer = _Reviewer(pf, _person(pf, itype), law, window_days, late_days)
        return reviewer.run(on)
    except (AdaldyqError, KeyError, ValueError) as exc:
        message = exc.diagnostics() if isinstance(exc, AdaldyqError) else repr(exc)
        return Review([], [], [], [], skipped=message)
