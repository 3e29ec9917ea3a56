"""Who is due for parole or substitution in an institution (issue 19), read from the personal files.

Each person's standing facts are read in one query per 500 people (`records.selectors.case_facts`),
folded once by `adaldyq.files.PersonalFile` and answered by `adaldyq.release` with the law in force.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from adaldyq.law.messages import condition_text
from adaldyq.release import Due, Window, answers_for, due_for
from adaldyq.web.institutions.models import Institution
from adaldyq.web.records.models import Fact, Person
from adaldyq.web.records.selectors import (
    case_facts,
    institution_type_of,
    law_pack,
    personal_file,
)

#: Months ahead the monthly list looks (issue 19: "the next three months").
MONTHS_AHEAD = 3
#: The order of the answers on the page and in the command's output.
_ORDER = {"mandatory": 0, "possible": 1, "not_determinable": 2, "excluded": 3}


@dataclass(frozen=True, slots=True)
class DueRow:
    """One line of the monthly list: the person and the law's answer."""

    person: Person
    due: Due

    def conditions(self, lang: str) -> list[tuple[str, bool | None]]:
        """The engine's conditions for the answer, in `lang`, each with whether it is met."""
        f = self.due.finding
        return [] if f is None else [(condition_text(c, lang), c.met) for c in f.conditions]


def month_of(text: str | None) -> date:
    """The first day of the month `YYYY-MM` (this month without one); ValueError when malformed."""
    if not text:
        return timezone.localdate().replace(day=1)
    year, sep, month = text.partition("-")
    if not sep or len(year) != 4 or len(month) != 2:
        raise ValueError(text)
    return date(int(year), int(month), 1)


def parole_due(
    *, institution: Institution, month: date, months: int = MONTHS_AHEAD
) -> list[DueRow]:
    """The people of `institution` whose parole or substitution date falls in the `months` months
    from `month`'s first day, or cannot be known, with the law's answer; by answer, then date."""
    window = Window.of_month(month, months=months)
    people = list(Person.objects.filter(institution=institution).order_by("surname", "id"))
    rows = case_facts([p.pk for p in people])
    law = law_pack()
    out: list[DueRow] = []
    for person in people:
        pf = personal_file(person, facts=rows.get(person.pk, []))
        for due in due_for(pf, institution_type=institution.type, window=window, law=law):
            out.append(DueRow(person, due))
    out.sort(key=lambda r: (_ORDER[r.due.answer], r.due.on or date.max, r.person.surname))
    return out


#: The kinds of the court's part, in the order the page lists them.
COURT_KINDS = ("court_submitted", "court_decided", "released")


@dataclass(frozen=True, slots=True)
class Standing:
    """A person's file for the court's part: the law's answers today, and the court's facts."""

    answers: list[DueRow]
    court_facts: list[Fact]
    #: Every standing fact of the file, in date order (the submission lists them with their entries).
    facts: list[Fact]


def standing_of(person: Person, *, on: date | None = None) -> Standing:
    """The law's answer for parole and substitution on `on` (today) and the file's court facts."""
    on = on or timezone.localdate()
    rows = list(Fact.objects.filter(person=person, superseded_by__isnull=True, void=False))
    pf = personal_file(person, facts=rows)
    kind = institution_type_of(person)
    answers = [
        DueRow(person, d) for d in answers_for(pf, institution_type=kind, on=on, law=law_pack())
    ]
    standing = {f.seq for f in pf.facts}
    facts = sorted((r for r in rows if r.seq in standing), key=lambda r: (r.on, r.seq))
    return Standing(answers, [f for f in facts if f.kind in COURT_KINDS], facts)


def short_code_of(fact: Fact) -> str:
    """The printed code of a fact's entry (as a decision's: `/verify/<code>`)."""
    text = base64.b32encode(bytes.fromhex(fact.entry_hash)).decode()[:10]
    return f"{text[:5]}-{text[5:]}"
