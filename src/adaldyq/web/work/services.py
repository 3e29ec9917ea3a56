"""Writes of work and study (ADR 0040). Each is one durable transaction: all its entries, or none.

place_register(...)   a place of work or study of an institution (entry `place_registered`)
hours_record(...)     a list of hours, one entry per person and day in each person's file, and a
                      place of work's production that day (`output_recorded`); a list with any row
                      refused records nothing and says every row's reason (`HoursRefusedError`)
hours_check(...)      the same checks without writing (a dry run)
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from adaldyq import files
from adaldyq.core.errors import InputError
from adaldyq.ledger.entry import Actor, Draft
from adaldyq.web.records import ledger_port
from adaldyq.web.records import projection as records_projection
from adaldyq.web.records.models import Fact, Person
from adaldyq.web.records.selectors import FOLDED_FIELDS, file_of_rows
from adaldyq.web.text import checked_text
from adaldyq.web.work import projection
from adaldyq.web.work.models import PLACE_KINDS, PRODUCTS, UNITS, WORK_PLACES, Place

#: Hours a day no entry may pass: the day's length, a bound of the calendar and not a legal figure
#: (LAW.md gives no limit on working or study hours in prison; none is assumed).
DAY_HOURS: Final = 24
HOURS_KINDS: Final = ("work_hours", "study_hours")

#: Why a row of a list or timesheet is refused: code -> the sentence said to the officer.
REASONS: Final[dict[str, Promise]] = {
    "unknown_person": _("no personal file has this number"),
    "unknown_place": _("no place of work or study has this code"),
    "other_institution": _("the place belongs to an institution whose lists you do not enter"),
    "not_held_there": _("the person is not held in the institution of this place"),
    "before_admission": _("the day is before the person's admission"),
    "released": _("the person was released before this day"),
    "future": _("the day has not come yet"),
    "bad_date": _("the day is not a date (YYYY-MM-DD or DD.MM.YYYY)"),
    "bad_hours": _("the hours are not a number above 0 and up to 24"),
    "twice_in_list": _("this person, day and place are in the list twice"),
    "already_recorded": _("hours of this person, day and place are already recorded"),
    "over_a_day": _(
        "with the hours already recorded that day, the day would have more than 24 hours"
    ),
}


@dataclass(frozen=True, slots=True)
class HoursRow:
    """One row of a list or timesheet: a person's hours at a place on a day, as given."""

    #: The row's line in the file (the list's row number on the page).
    line: int
    #: The personal file's number as written, or the person's id (`by_id`).
    person: str
    on: date | None
    place: str
    hours: float | None
    by_id: bool = False


@dataclass(frozen=True, slots=True)
class Refusal:
    """A row refused, with its reason (a code of `REASONS`)."""

    line: int
    person: str
    reason: str

    @property
    def text(self) -> str:
        """The reason in the current language."""
        return str(REASONS[self.reason])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the command's)."""
        return {"line": self.line, "person": self.person, "reason": self.reason, "text": self.text}


@dataclass(slots=True)
class Checked:
    """What the checks of a list found: the drafts to append, or the rows refused."""

    drafts: list[Draft] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    people: int = 0
    hours: float = 0.0


class HoursRefusedError(InputError):
    """A list or timesheet with rows refused: nothing of it was recorded."""

    def __init__(self, refused: Sequence[Refusal]) -> None:
        self.refused = tuple(refused)
        super().__init__(f"{len(self.refused)} rows refused; nothing was recorded")


def place_register(
    *,
    actor: Actor,
    institution: str,
    code: str,
    kind: str,
    name: str,
    lead: str = "",
    product: str = "",
) -> Place:
    """Register a place of work or study of `institution` (a place registered again is amended)."""
    code = code.strip().upper()
    if not code or len(code) > 40 or "/" in code or not code.isprintable():
        raise InputError(str(_("a place's code is up to 40 characters, without '/'")))
    if kind not in PLACE_KINDS:
        raise InputError(f"kind: one of {', '.join(PLACE_KINDS)}")
    if kind in WORK_PLACES and product not in PRODUCTS:
        raise InputError(str(_("a place of work names the kind of product it makes")))
    if kind not in WORK_PLACES:
        product = ""
    place = f"{institution}/{code}"
    payload = {
        "on": timezone.localdate().isoformat(), "place": place, "institution": institution,
        "code": code, "kind": kind, "name": checked_text(name, required=True),
        "lead": checked_text(lead, required=False), "product": product,
    }  # fmt: skip
    draft = Draft(
        actor=actor, subject=f"place:{place}", type=projection.PLACE_REGISTERED, payload=payload
    )
    ledger_port.commit([draft], projection.project)
    return Place.objects.get(id=place)


def _hours_ok(hours: float | None) -> bool:
    return hours is not None and math.isfinite(hours) and 0 < hours <= DAY_HOURS


def _people(rows: Sequence[HoursRow]) -> dict[str, Person]:
    """The people the rows name, by the key each row uses (number, or id)."""
    ids = {r.person for r in rows if r.by_id}
    numbers = {r.person for r in rows if not r.by_id}
    found = Person.objects.filter(Q(pk__in=ids) | Q(number__in=numbers)).select_related(
        "institution"
    )
    out: dict[str, Person] = {}
    for p in found:
        if p.pk in ids:
            out[f"id:{p.pk}"] = p
        if p.number in numbers:
            out[f"no:{p.number}"] = p
    return out


def _places(named: set[str]) -> dict[str, Place]:
    """The places rows name: by their id, or with the institution's code as Kazakh and Russian write
    it ("УК-5/SEW-1" for "UK-5/SEW-1")."""
    from adaldyq.web.institutions.models import Institution

    local = dict(Institution.objects.exclude(code_local="").values_list("code_local", "code"))
    ids = {}
    for name in named:
        inst, _slash, code = name.rpartition("/")
        ids[name] = f"{local.get(inst, inst)}/{code}"
    found = {p.id: p for p in Place.objects.filter(id__in=set(ids.values()))}
    return {name: found[i] for name, i in ids.items() if i in found}


def _recorded_hours(people: Iterable[str], days: Iterable[date]) -> list[Fact]:
    return list(
        Fact.objects.filter(
            person_id__in=list(people),
            on__in=list(days),
            kind__in=HOURS_KINDS,
            superseded_by__isnull=True,
            void=False,
        )
    )


def hours_check(
    *,
    actor: Actor,
    rows: Sequence[HoursRow],
    today: date | None = None,
    institutions: frozenset[str] | None = None,
) -> Checked:
    """Check every row of a list or timesheet and give the entries it would append, or every row
    refused with its reason. Writes nothing. `institutions`: the only ones whose places the rows may
    name (the officer's; None: any, as the command line's operator)."""
    today = today or timezone.localdate()
    out = Checked()
    people = _people(rows)
    places = _places({r.place for r in rows})
    held = {p.pk for p in people.values()}
    stays = placements(held)
    days = {r.on for r in rows if r.on is not None}
    before: dict[tuple[str, date], float] = defaultdict(float)
    taken: set[tuple[str, date, str]] = set()
    for f in _recorded_hours(held, days):
        before[(f.person_id, f.on)] += float(f.data.get("hours") or 0)
        taken.add((f.person_id, f.on, str(f.data.get("place") or "")))
    seen: set[tuple[str, date, str]] = set()
    people_seen: set[str] = set()

    def refuse(row: HoursRow, reason: str) -> None:
        out.refused.append(Refusal(row.line, row.person, reason))

    for row in rows:
        person = people.get(f"{'id' if row.by_id else 'no'}:{row.person}")
        place = places.get(row.place)
        if place is not None and institutions is not None and place.institution not in institutions:
            refuse(row, "other_institution")
            continue
        where = held_in(stays, person, row.on) if person is not None and row.on else None
        reason = _row_problem(row, person, place, where, today)
        if reason is not None:
            refuse(row, reason)
            continue
        # checked by _row_problem
        assert person is not None  # noqa: S101
        assert place is not None  # noqa: S101
        assert row.on is not None  # noqa: S101
        assert row.hours is not None  # noqa: S101
        key = (person.pk, row.on, place.id)
        if key in seen:
            refuse(row, "twice_in_list")
            continue
        seen.add(key)
        if key in taken:
            refuse(row, "already_recorded")
            continue
        if before[(person.pk, row.on)] + row.hours > DAY_HOURS:
            refuse(row, "over_a_day")
            continue
        before[(person.pk, row.on)] += row.hours
        people_seen.add(person.pk)
        out.hours += row.hours
        payload = {
            "on": row.on.isoformat(), "hours": row.hours,
            "month": row.on.strftime("%Y-%m"), "place": place.id,
        }  # fmt: skip
        out.drafts.append(
            Draft(actor=actor, subject=person.pk, type=place.fact_kind, payload=payload)
        )
    out.people = len(people_seen)
    return out


def placements(people: Iterable[str]) -> dict[str, list[files.Placement]]:
    """Each person's placements in date order, as the files package folds their standing placement
    facts (arrivals, condition changes, transfers, releases), read for all of them in one query."""
    rows: dict[str, list[Fact]] = defaultdict(list)
    found = Fact.objects.filter(
        person_id__in=list(people), kind__in=files.PLACEMENT_KINDS,
        superseded_by__isnull=True, void=False,
    ).only(*FOLDED_FIELDS)  # fmt: skip
    for f in found:
        rows[f.person_id].append(f)
    return {pid: list(file_of_rows(pid, facts).placements()) for pid, facts in rows.items()}


def held_in(
    stays: dict[str, list[files.Placement]], person: Person, on: date
) -> files.Placement | None:
    """Where `person` was held on `on`: the placement of their latest placement fact by then (after
    a release: held nowhere); None before the first; the person's institution now when the file has
    no placement fact."""
    mine = stays.get(person.pk)
    if not mine:
        code = person.institution.code if person.institution is not None else ""
        return files.Placement(code, person.condition, None)
    found = None
    for p in mine:
        if p.fact is not None and p.fact.on > on:
            break
        found = p
    return found


def _row_problem(
    row: HoursRow,
    person: Person | None,
    place: Place | None,
    where: files.Placement | None,
    today: date,
) -> str | None:
    """The first reason to refuse a row, in the order an officer corrects them; None: none."""
    if row.on is None:
        return "bad_date"
    if not _hours_ok(row.hours):
        return "bad_hours"
    if person is None:
        return "unknown_person"
    if place is None:
        return "unknown_place"
    if row.on > today:
        return "future"
    if row.on < person.admitted_on:
        return "before_admission"
    if where is not None and where.released:
        return "released"
    if where is None or where.institution != place.institution:
        return "not_held_there"
    return None


def hours_record(
    *,
    actor: Actor,
    rows: Sequence[HoursRow],
    output: tuple[str, date, float, str] | None = None,
    institutions: frozenset[str] | None = None,
) -> Checked:
    """Record a list or timesheet: each row an entry in the person's file, and a place of work's
    production of the day (`output`: place, day, quantity, unit), all in one durable transaction.
    Any row refused: nothing is recorded, `HoursRefusedError` names every row and its reason."""
    if not rows:
        raise InputError(str(_("the list has no hours")))
    extra = [] if output is None else [_output_draft(actor, *output)]
    found: list[Checked] = []

    def drafts() -> list[Draft]:
        # checked inside the transaction, with the people's rows locked: a list recorded meanwhile
        # is seen (its hours are then "already recorded")
        ids = {p.pk for p in _people(rows).values()}
        list(Person.objects.select_for_update().filter(pk__in=ids).values_list("pk"))
        checked = hours_check(actor=actor, rows=rows, institutions=institutions)
        if checked.refused:
            raise HoursRefusedError(checked.refused)
        found.append(checked)
        return [*checked.drafts, *extra]

    projectors: list[Callable[[Any], None]] = [records_projection.project, projection.project]
    ledger_port.commit(drafts, *projectors)
    return found[0]


def _output_draft(actor: Actor, place_id: str, on: date, quantity: float, unit: str) -> Draft:
    place = Place.objects.filter(id=place_id).first()
    if place is None or place.kind not in WORK_PLACES:
        raise InputError(str(_("production is recorded for a place of work")))
    if not (math.isfinite(quantity) and quantity > 0) or unit not in UNITS:
        raise InputError(str(_("production is a quantity above 0 in one of the units listed")))
    return Draft(
        actor=actor,
        subject=f"place:{place.id}",
        type=projection.OUTPUT_RECORDED,
        payload={"on": on.isoformat(), "place": place.id, "quantity": quantity, "unit": unit},
    )
