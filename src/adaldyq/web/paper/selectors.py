"""Reads of the paper import (issue 23, ADR 0040): sources of a file's facts, pages to settle,
the share of facts read twice, the facts read once that change an outcome today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from adaldyq import files
from adaldyq.oversight.paper import PaperOutcome, outcome_changed_by
from adaldyq.web.accounts.scope import people_visible_to
from adaldyq.web.paper.models import AGREED, DISPUTED, SETTLED, PaperPage, PaperSource
from adaldyq.web.records import ledger_port
from adaldyq.web.records.models import Person
from adaldyq.web.records.selectors import institution_type_of, law_pack
from adaldyq.web.rows import where_equal

#: A source's `checked` that counts as read twice (the same by two officers, or settled by a head).
DOUBLE = ("double", SETTLED)


def sources_of(person_id: str) -> dict[int, PaperSource]:
    """Where on paper each imported entry of the file was read, by entry (every file page asks: its
    SQL made once, `rows.where_equal`)."""
    return {s.seq: s for s in where_equal(PaperSource, person_id=person_id)}


def pages_to_settle(user: Any) -> QuerySet[PaperPage]:
    """The pages read differently by two officers, awaiting a head, in the user's scope."""
    visible = people_visible_to(user).values("pk")
    return PaperPage.objects.filter(status=DISPUTED, person_id__in=visible).order_by("id")


def page_visible(user: Any, page_id: int) -> PaperPage | None:
    """One page, if the user reads the file it belongs to."""
    visible = people_visible_to(user).values("pk")
    return PaperPage.objects.filter(pk=page_id, person_id__in=visible).first()


def scan_visible(user: Any, document: str) -> bool:
    """A scan (`sha256:<hex>`) of a page of a file the user reads."""
    visible = people_visible_to(user).values("pk")
    return (
        PaperSource.objects.filter(scan=document, person_id__in=visible).exists()
        or PaperPage.objects.filter(second_scan=document, person_id__in=visible).exists()
    )


def double_entry_share(codes: frozenset[str] | None = None) -> dict[str, tuple[int, int]]:
    """Per institution code: (facts read from paper, of them read twice or settled); the admissions
    are not counted (ADR 0040). `codes`: only these institutions (None: all)."""
    institution = Person.objects.filter(pk=OuterRef("person_id")).values("institution__code")[:1]
    rows = (
        PaperSource.objects.exclude(kind=files.PERSON_ADMITTED)
        .annotate(code=Subquery(institution))
        .values("code")
        .annotate(n=Count("seq"), twice=Count("seq", filter=Q(checked__in=DOUBLE)))
    )
    out = {}
    for row in rows:
        code = row["code"] or ""
        if codes is None or code in codes:
            out[code] = (int(row["n"]), int(row["twice"]))
    return out


@dataclass(frozen=True)
class Finding:
    """A file whose facts read from paper by one officer change an outcome today."""

    person: Person
    outcome: PaperOutcome
    sources: list[PaperSource]


def outcome_findings(user: Any, *, on: date, institution: str | None = None,
                     limit: int = 200) -> list[Finding]:  # fmt: skip
    """The files in the user's scope (of one institution) whose facts read once from paper change
    what the law engine says of them on `on` (`oversight.paper`), at most `limit` files examined
    in order of their numbers."""
    once = PaperSource.objects.exclude(kind=files.PERSON_ADMITTED).exclude(checked__in=DOUBLE)
    people = people_visible_to(user).filter(pk__in=once.values("person_id"))
    if institution:
        people = people.filter(institution__code=institution)
    law = law_pack()
    found = []
    for person in people.select_related("institution").order_by("number")[:limit]:
        sources = list(once.filter(person_id=person.pk).order_by("seq"))
        pf = ledger_port.file_of(person.pk)
        outcome = outcome_changed_by(
            pf, {s.seq for s in sources}, law=law, on=on,
            institution_type=institution_type_of(person),
        )  # fmt: skip
        if outcome is not None:
            standing = set(outcome.facts)
            found.append(Finding(person, outcome, [s for s in sources if s.seq in standing]))
    return found


__all__ = [
    "AGREED",
    "DOUBLE",
    "Finding",
    "double_entry_share",
    "outcome_findings",
    "page_visible",
    "pages_to_settle",
    "scan_visible",
    "sources_of",
]
