"""Amendments to the law pack on the web's database (ADR 0026): the book, and an amendment's impact.

The impact of an amendment is computed with the engine on every person of the database, with the
pack in force without the amendment and with it, on the amendment's first day and on today (when it
is in force today): who gets a different answer (degree qualified for, conditions open, release,
parole and substitution dates, entitlements), on which date, and how many per institution.
"""

from __future__ import annotations

import multiprocessing as mp
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils import timezone

from adaldyq.core.errors import AdaldyqError
from adaldyq.law import LawPack, Result, evaluate
from adaldyq.law.amendments import (
    AmendmentError,
    Book,
    Proposal,
    approve,
    propose,
    refuse,
    store_document,
    subject_of,
    with_amendments,
)
from adaldyq.ledger.sql import read_entries_by_subject
from adaldyq.web.records.models import Person
from adaldyq.web.records.selectors import case_events, case_facts, core_person, shipped_law_pack


def amendment_book() -> Book:
    """Every amendment of the shipped pack recorded in the ledger."""
    base = shipped_law_pack()
    with connection.cursor() as cursor:
        entries = read_entries_by_subject(cursor, subject_of(base))
    return Book.from_entries(entries, base)


@dataclass(frozen=True, slots=True)
class Change:
    """One person whose answer differs on one date: what, without the amendment and with it."""

    person: str
    number: str
    institution: str
    on: date
    what: str
    without: Any
    with_it: Any


@dataclass(slots=True)
class Impact:
    """What an amendment changes for the people of the database."""

    proposal: Proposal
    dates: list[date]
    people: int
    changes: list[Change] = field(default_factory=list)
    #: People the engine could not evaluate (their file is incomplete), with why.
    not_evaluated: list[tuple[str, str]] = field(default_factory=list)

    @property
    def per_institution(self) -> dict[str, int]:
        """People with a different answer, per institution code."""
        out = Counter(inst for _, inst in {(c.person, c.institution) for c in self.changes})
        return dict(sorted(out.items()))


def _answers(r: Result) -> dict[str, Any]:
    out: dict[str, Any] = {
        "qualifies_for_degree": r.qualifies_for_degree,
        "may_move_to": sorted(r.may_move_to),
        "release_on": r.release_on,
        "parole_from": r.parole_from,
        "substitution_from": r.substitution_from,
    }
    for e in r.entitlements:
        out[f"entitlement:{e.name}"] = e.value if e.determinable else None
    return out


def laws_for(proposal: Proposal, book: Book) -> tuple[LawPack, LawPack]:
    """The pack in force without the proposal and with it (the other approved amendments kept)."""
    base = shipped_law_pack()
    others = [p for p in book.approved() if p.seq != proposal.seq]
    return with_amendments(base, others), with_amendments(base, [*others, proposal])


#: What forked workers read (set just before the fork, so that nothing is pickled): the files, the two
#: packs, the dates and how many workers share the files.
_SHARED: dict[str, Any] = {}
#: At least this many files are shared among forked processes, one a core, when the caller allows.
PARALLEL_FROM = 2_000


def _evaluated(k: int) -> list[tuple[int, list[Change], str | None]]:
    """The files of worker `k` (every `parts`-th from the k-th): each one's index, its changes, and
    why it could not be evaluated (None when it could)."""
    sh = _SHARED
    without, with_it, dates = sh["without"], sh["with_it"], sh["dates"]
    out: list[tuple[int, list[Change], str | None]] = []
    for i in range(k, len(sh["files"]), sh["parts"]):
        pk, number, institution, core, events = sh["files"][i]
        try:
            changes = []
            for on in dates:
                before = _answers(evaluate(core, events, on=on, law=without))
                after = _answers(evaluate(core, events, on=on, law=with_it))
                changes += [
                    Change(pk, number, institution, on, key, before[key], after[key])
                    for key in before
                    if before[key] != after[key]
                ]
            out.append((i, changes, None))
        except AdaldyqError as exc:
            out.append((i, [], exc.diagnostics()))
    return out


def impact(seq: int, *, today: date | None = None, workers: int = 1) -> Impact:
    """Who gets a different answer, on which date, if amendment `seq` is (or stays) in force.

    The files are read here; with `workers` > 1 and at least `PARALLEL_FROM` files, the engine runs
    in that many forked processes (the command's choice; a web worker keeps to one process). The
    answer is the same either way, in the files' order.
    """
    book = amendment_book()
    proposal = book.proposals.get(seq)
    if proposal is None:
        raise AmendmentError(f"no proposed amendment #{seq}")
    without, with_it = laws_for(proposal, book)
    a = proposal.amendment
    today = today or timezone.localdate()
    dates = [a.valid_from]
    if a.valid_from < today <= (a.valid_to or date.max):
        dates.append(today)
    people = list(Person.objects.select_related("institution").order_by("id"))
    standing = case_facts([p.pk for p in people])  # every file in a few queries, no model objects
    out = Impact(proposal, dates, len(people))
    files: list[tuple[str, str, str, Any, Any]] = []
    for person in people:
        try:
            core, events = core_person(person), case_events(person, facts=standing[person.pk])
        except AdaldyqError as exc:
            out.not_evaluated.append((person.pk, exc.diagnostics()))
            continue
        institution = person.institution.code if person.institution else ""
        files.append((person.pk, person.number, institution, core, events))
    parallel = workers > 1 and len(files) >= PARALLEL_FROM and "fork" in mp.get_all_start_methods()
    parts = workers if parallel else 1
    _SHARED.update(files=files, without=without, with_it=with_it, dates=dates, parts=parts)
    try:
        if parallel:
            with mp.get_context("fork").Pool(parts) as pool:  # the children inherit _SHARED
                found = [row for part in pool.map(_evaluated, range(parts)) for row in part]
        else:
            found = _evaluated(0)
    finally:
        _SHARED.clear()
    for i, changes, why in sorted(found, key=lambda row: row[0]):
        out.changes.extend(changes)
        if why is not None:
            out.not_evaluated.append((files[i][0], why))
    return out


def amendment_propose(*, user: Any, payload: dict[str, Any], document: bytes) -> int:
    """Record a proposal (checked against the pack first); the source document is kept in the data
    folder under its hash. Returns the proposal's entry number."""
    from django.conf import settings

    from adaldyq.web.records import ledger_port
    from adaldyq.web.records.services import actor_of

    law = shipped_law_pack()
    actor = actor_of(user)
    propose(law, {**payload, "document": "sha256:" + "0" * 64}, actor)  # the rest first
    stored = store_document(Path(settings.DATA_DIR), document)
    return ledger_port.commit([propose(law, {**payload, "document": stored}, actor)])[0].seq


def amendment_decide(*, user: Any, seq: int, approved: bool, reason: str = "") -> int:
    """Approve or refuse another person's proposal; the book is read in the writing transaction."""
    from adaldyq.web.records import ledger_port
    from adaldyq.web.records.services import actor_of

    law, actor = shipped_law_pack(), actor_of(user)

    def drafts() -> list[Any]:
        ledger_port.hold()  # two decisions at once: the second reads the book the first left
        book = amendment_book()
        if approved:
            return [approve(book, seq, actor, law)]
        return [refuse(book, seq, actor, law, reason)]

    return ledger_port.commit(drafts)[0].seq
