"""The loopholes of the electronic file, planted after a person's history (issue 15, ADR 0028).

    person = plant(person, kind, rng=..., staff=..., as_of=..., law=...)   # or the person unchanged
    for stage, batch in later_stages(people): ...                           # what loaders append

The history of a file is loaded in one batch (one `recorded_at`), as a migration of paper files
would be; oversight does not read a late entry or a withdrawal into history loaded in bulk. The
abuses of an electronic file happen afterwards, entry by entry, so each one planted here is a list
of `Later` entries, appended by the loaders after every history, one stage a batch (each stage its
own `recorded_at`, in order):

- `late_entry_changed_outcome`: an incentive dated about three months back, recorded today, then the
  award of the first positive degree it makes possible (the engine says: supported with it, not
  without it);
- `withdrawal_changed_outcome` (withdraw then decide): the penalty that stands between the person and
  the first positive degree withdrawn ("recorded in error"), the award, then the same penalty recorded
  again; the award rests on a file that now holds the penalty (`decision_without_grounds` too);
- `withdrawal_changed_outcome` (a correction): an incentive's day corrected months back, then the
  award the new day makes possible;
- a records officer new to the largest institution (`<id>/N02`) who records penalties and withdraws
  them the same day, for up to `WITHDRAWER_ASKED` people: each withdrawal a lead (`fact_withdrawn`),
  their share among the officer's entries the pattern (measure `withdrawals`).

The engine decides each: a person is chosen only where the outcome changes as described, so every
line of planted.jsonl is an abuse the ledger can prove. Pure: no I/O, deterministic for the `rng`.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Final

from adaldyq.core.dates import add_months
from adaldyq.core.errors import AdaldyqError
from adaldyq.demo import figures as fig
from adaldyq.demo.model import Event, FieldValue, Later, Person, PlantedAbuse
from adaldyq.law import LawPack, Result

__all__ = [
    "LOOPHOLE_KINDS",
    "WITHDRAWER_ASKED",
    "later_stages",
    "plant",
    "plant_withdrawer",
]

#: What `plant` can be asked for (the withdrawal officer is `plant_withdrawer`).
LOOPHOLE_KINDS: Final = ("late_entry", "withdraw_then_decide", "correction")
#: People the withdrawing officer records and withdraws a penalty for.
WITHDRAWER_ASKED: Final = 10
#: The written reasons the planted corrections give (Russian, as an institution writes them).
REASON_ERROR: Final = "Внесено ошибочно"
REASON_DATE: Final = "Дата указана неверно"
#: No incentive, penalty or decision in this many days before the day of the planted award.
_QUIET_DAYS: Final = 130
_STEPS: Final = frozenset(
    {"incentive", "penalty", "degree_awarded", "recognised", "degree_revoked"}
)
#: A planted award follows the qualification it rests on within this many days (no delay flag).
_FRESH_DAYS: Final = 20


def _evaluate(person: Person, events: Sequence[Event], on: date, law: LawPack) -> Result:
    from adaldyq.demo.synth import person_as_case  # synth imports this module
    from adaldyq.law import evaluate, parse_case

    case = parse_case(person_as_case(dataclasses.replace(person, events=tuple(events)), on))
    return evaluate(case.person, list(case.events), on=on, law=law, release=False)


def _fresh_first_degree(r: Result, as_of: date) -> bool:
    """The person qualifies for the first positive degree, since at most `_FRESH_DAYS`."""
    q, since = r.qualifies_for_degree, r.gap.waiting_since
    return q is not None and q >= 1 and since is not None and (as_of - since).days <= _FRESH_DAYS


def _blocked(r: Result) -> bool:
    """Degree 0 held and the facts qualify for nothing more."""
    return r.degree == 0 and r.qualifies_for_degree == 0


def _in_custody(person: Person, as_of: date) -> bool:
    release = person.sentence.release_on
    return (release is None or release > as_of + timedelta(days=30)) and bool(person.events)


def plant(
    person: Person,
    kind: str,
    *,
    rng: random.Random,
    records: str,
    head: str,
    as_of: date,
    law: LawPack,
) -> Person:
    """The person with the loophole `kind` planted (`Later` entries, planted lines, and for some
    kinds a fact or two added to the history), or unchanged where the file offers no occasion.

    The occasion: someone in custody, holding degree 0, with no incentive and no penalty in the last
    `_QUIET_DAYS`. The engine then checks the outcome: the award is supported on the file as it
    stands when the award is recorded, and not on the file without the late fact (or with the
    original put back). `records` records and corrects, `head` awards."""
    if person.planted or person.later or not _in_custody(person, as_of):
        return person
    if person.institution_type not in fig.CASE_TYPES or kind not in LOOPHOLE_KINDS:
        return person
    events = [e for e in person.events if e.on <= as_of]
    quiet = as_of - timedelta(days=_QUIET_DAYS)
    if any(e.on >= quiet and e.type in _STEPS for e in events) or events[0].on >= quiet:
        return person
    try:
        if not _blocked(_evaluate(person, events, as_of, law)):
            return person
    except AdaldyqError:
        return person
    # The incentive the award rests on: about three months before, so that the person qualifies a
    # few days before the award (no delay of its own).
    on = add_months(as_of, -fig.FIRST_POSITIVE_CLEAN_MONTHS) - timedelta(
        days=rng.randint(2, _FRESH_DAYS - 2)
    )
    incentive = Event(on, "incentive", records, {"kind": rng.choice(fig.INCENTIVE_KINDS)})
    award = Event(as_of, "degree_awarded", head, {"degree": 1})
    history = list(person.events)

    def planted(
        kind: str, officer: str, at: tuple[int, ...], detail: dict[str, FieldValue]
    ) -> PlantedAbuse:
        """A planted line about this person, on `as_of`: `at` indexes the history."""
        return PlantedAbuse(kind, person.id, person.institution, officer, at, as_of, detail)

    later: tuple[Later, ...]
    if kind == "late_entry":
        decided_on, without = [*events, incentive], events
        later = (Later(1, incentive), Later(2, award))
        n = len(history)
        lines = [
            planted(
                "late_entry_changed_outcome", records, (n, n + 1),
                {"fact": "incentive", "fact_on": on.isoformat(), "days_late": (as_of - on).days},
            )
        ]  # fmt: skip
    elif kind == "withdraw_then_decide":
        # In the history: the incentive, then a penalty before the person would qualify.
        day = on + timedelta(days=rng.randint(30, 70))
        penalty = Event(day, "penalty", records, {"kind": rng.choice(fig.PENALTY_KINDS)})
        history = _sorted([*history, incentive, penalty])
        decided_on = [*events, incentive]
        without = [*events, incentive, penalty]
        i, n = _index(history, penalty), len(history)
        void = Event(day, "fact_voided", records, {})
        again = Event(day, "penalty", records, dict(penalty.data))
        later = (Later(1, void, i, REASON_ERROR), Later(2, award), Later(3, again))
        detail: dict[str, FieldValue] = {"fact": "penalty", "fact_on": day.isoformat()}
        lines = [
            planted(
                "withdrawal_changed_outcome",
                records,
                (i, n, n + 1, n + 2),
                {**detail, "how": "withdrawn, decided, recorded again"},
            ),
            # the award stands on a file that holds the penalty again
            planted(
                "decision_without_grounds", head, (n + 1,), {"decision": "degree", "target": "1"}
            ),
        ]  # fmt: skip (the withdrawal is also a lead, `fact_withdrawn`: the finding names it)
    else:  # correction: a recent incentive's day moved months back
        day = as_of - timedelta(days=rng.randint(20, 50))
        recent = Event(day, "incentive", records, dict(incentive.data))
        history = _sorted([*history, recent])
        decided_on, without = [*events, incentive], [*events, recent]
        i, n = _index(history, recent), len(history)
        later = (Later(1, incentive, i, REASON_DATE), Later(2, award))
        detail = {"fact": "incentive", "fact_on": day.isoformat(), "corrected_to": on.isoformat()}
        lines = [
            planted(
                "withdrawal_changed_outcome",
                records,
                (i, n, n + 1),
                {**detail, "how": "corrected, decided"},
            ),
        ]  # fmt: skip (the correction is also a lead, `fact_corrected`: the finding names it)
    try:
        supported = _fresh_first_degree(_evaluate(person, _sorted(decided_on), as_of, law), as_of)
        if not supported or not _blocked(_evaluate(person, _sorted(without), as_of, law)):
            return person
    except AdaldyqError:
        return person
    return dataclasses.replace(person, events=tuple(history), later=later, planted=tuple(lines))


def _sorted(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=lambda e: e.on)  # stable: a new fact after the day's others


def _index(events: Sequence[Event], event: Event) -> int:
    return next(i for i, e in enumerate(events) if e is event)


def plant_withdrawer(person: Person, officer: str, *, rng: random.Random, as_of: date) -> Person:
    """A penalty dated `as_of` recorded by `officer` and withdrawn by them ("recorded in error"): the
    file is as before, the officer's share of withdrawals is what stands out."""
    if person.planted or person.later or not _in_custody(person, as_of):
        return person
    n = len(person.events)
    penalty = Event(as_of, "penalty", officer, {"kind": rng.choice(fig.PENALTY_KINDS)})
    void = Event(as_of, "fact_voided", officer, {})
    line = PlantedAbuse(
        "fact_withdrawn", person.id, person.institution, officer, (n, n + 1), as_of,
        {"fact": "penalty", "fact_on": as_of.isoformat()},
    )  # fmt: skip
    return dataclasses.replace(
        person, later=(Later(1, penalty), Later(2, void, n, REASON_ERROR)), planted=(line,)
    )


def later_stages(people: Iterable[Person]) -> list[list[tuple[Person, int, Later]]]:
    """The people's later entries as batches in stage order: (person, index of the entry among the
    person's events then later entries, the entry)."""
    stages: dict[int, list[tuple[Person, int, Later]]] = {}
    for person in people:
        for j, later in enumerate(person.later):
            stages.setdefault(later.stage, []).append((person, len(person.events) + j, later))
    return [stages[s] for s in sorted(stages)]
