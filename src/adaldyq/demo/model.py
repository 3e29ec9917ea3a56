"""The records the generator produces: institutions, officers, people, events, planted abuses.

Plain, immutable values with no behaviour beyond small derived properties; the generator
(`adaldyq.demo.synth`) builds them and the writers turn them into JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal, NamedTuple

from adaldyq.core.dates import term_end
from adaldyq.demo.figures import InstitutionType

Sex = Literal["male", "female"]
Gravity = Literal["minor", "medium", "grave", "especially_grave"]
Role = Literal["head", "commission_member", "records_officer"]
#: A field of an event: a text, a number, a flag, or a court's list of duties and unserved part.
FieldValue = str | int | bool | list[str] | dict[str, int]


@dataclass(frozen=True, slots=True)
class Institution:
    """A (synthetic) penal institution or mixed-security unit of a pre-trial centre."""

    #: Stable id, also the Latin form of the code: `UK-12`, `SI-3`.
    id: str
    #: The code as written in Cyrillic: `УК-12` (colony), `СИ-3` (pre-trial centre's mixed unit).
    code: str
    name_en: str
    name_kk: str
    name_ru: str
    #: `adaldyq.core.regions.Region.key`.
    region: str
    type: InstitutionType
    #: The sex of the people it holds.
    sex: Sex
    minors: bool
    medical: bool
    capacity: int
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Officer:
    """A (synthetic) member of an institution's staff who records facts or takes decisions."""

    #: Stable id: `<institution id>/O<nn>`, e.g. `UK-12/O03`.
    id: str
    institution: str
    role: Role
    sex: Sex
    name_kk: str
    name_ru: str


@dataclass(frozen=True, slots=True)
class Sentence:
    """The term: a start date plus years/months/days, or life."""

    start: date
    years: int = 0
    months: int = 0
    days: int = 0
    life: bool = False

    @property
    def release_on(self) -> date | None:
        """The last day of the term (LAW.md §0); None for life."""
        if self.life:
            return None
        return term_end(self.start, years=self.years, months=self.months, days=self.days)

    def as_case(self) -> dict[str, FieldValue]:
        """The `sentence` object of the case format."""
        if self.life:
            return {"start": self.start.isoformat(), "life": True}
        return {
            "start": self.start.isoformat(),
            "years": self.years,
            "months": self.months,
            "days": self.days,
        }


class Event(NamedTuple):
    """A dated fact in the case-format vocabulary (or an extra type), with who recorded it."""

    on: date
    type: str
    #: The officer who recorded it (`Officer.id`).
    officer: str
    #: The type's fields (`{"degree": 2}`, `{"kind": "short", "visitor": ...}`), none for some.
    data: dict[str, FieldValue]


@dataclass(frozen=True, slots=True)
class Visitor:
    """A person who applied to visit a prisoner; relatives are approved, others may not be."""

    id: str
    name_kk: str
    name_ru: str
    relationship: str
    approved: bool

    @property
    def document(self) -> str:
        """A synthetic identity document number made from the id ('PF-000123/V2' gives
        'DEMO-000123-2'): deterministic, unique, and in a series no real document has."""
        person, _, n = self.id.partition("/V")
        return f"DEMO-{person.rpartition('-')[2]}-{n}"


@dataclass(frozen=True, slots=True)
class PlantedAbuse:
    """One planted departure from the law, with the events that make it up (for scoring)."""

    kind: str
    person: str
    institution: str
    officer: str
    #: Indices into the person's `events`.
    events: tuple[int, ...]
    #: The date the abuse happened (or began).
    on: date
    #: Kind-specific particulars, JSON-ready (dates as ISO strings).
    detail: dict[str, FieldValue] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """One line of planted.jsonl: event ids are `<person id>#<index>`."""
        return {
            "kind": self.kind,
            "person": self.person,
            "institution": self.institution,
            "officer": self.officer,
            "on": self.on.isoformat(),
            "events": [event_id(self.person, i) for i in self.events],
            "event_indices": list(self.events),
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class Later:
    """An entry appended after every history (`adaldyq.demo.loopholes`): its stage (batches in
    order, each its own `recorded_at`), the event, and for a correction the index of the entry it
    corrects (into the person's events, then its later entries) with the reason. A withdrawal is an
    event of type `fact_voided`."""

    stage: int
    event: Event
    corrects: int | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Person:
    """A synthetic prisoner: identity, sentence, institution and the dated history of the file."""

    #: Personal-file number, `PF-000123`.
    id: str
    name_kk: str
    name_ru: str
    sex: Sex
    born: date
    #: Region the person comes from (`Region.key`).
    home_region: str
    institution: str
    institution_type: InstitutionType
    sentence: Sentence
    gravity: Gravity
    works: bool
    studies: bool
    visitors: tuple[Visitor, ...]
    events: tuple[Event, ...]
    planted: tuple[PlantedAbuse, ...]
    #: Entries recorded after the history (the loopholes of an electronic file, issue 15); planted
    #: abuses index them after `events` (`len(events) + j`).
    later: tuple[Later, ...] = ()

    @property
    def all_events(self) -> tuple[Event, ...]:
        """The history's events, then the later entries' (the indices planted abuses use)."""
        return self.events + tuple(later.event for later in self.later)


def event_id(person: str, index: int) -> str:
    """The id of the `index`-th event of a person's history: `PF-000123#17`."""
    return f"{person}#{index}"


@dataclass(frozen=True, slots=True)
class Population:
    """A whole generated dataset."""

    seed: int
    as_of: date
    institutions: tuple[Institution, ...]
    officers: tuple[Officer, ...]
    people: tuple[Person, ...]

    @property
    def planted(self) -> tuple[PlantedAbuse, ...]:
        """Every planted abuse, person by person."""
        return tuple(a for p in self.people for a in p.planted)
