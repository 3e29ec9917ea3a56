"""The facts of a personal file, one type per kind, and the one place a ledger payload becomes one.

A fact's kind is the case format's `type` string (`adaldyq.core.facts`: the engine's vocabulary,
and the kinds the system records that the engine leaves alone). Every fact knows the entry that
records it: its sequence number `seq`, the moment it was recorded (`recorded_at`, the ledger's UTC
timestamp) and who recorded it on whose authority; a fact not yet recorded has `seq == -1`.

`parse_fact(kind, payload, ...)` is the only reader of a payload: it checks the fields of the kind
(`core.facts.EVENT_TYPES`, `REQUIRED_FIELDS`) and raises `FactError` naming the entry, the kind and
the field. A kind outside the vocabulary (an entry another part of the system writes about a person)
becomes an `OtherFact` that keeps its kind; the fold carries it, the engine never reads it.

Each fact also carries `event`: the same fact as the case-format mapping the law engine reads
(`on`, `type` and the fields). The fold fills it from the payload it has just parsed, without a copy,
so that handing a file to the engine costs nothing per fact (ADR 0013, ADR 0014). Treat it as
read-only, as the fact itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Any, ClassVar, Final

from adaldyq.core.errors import InputError
from adaldyq.core.facts import EVENT_TYPES, PROBATION_KINDS, REQUIRED_FIELDS
from adaldyq.core.regions import regions_by_key

#: The conditions of detention a placement fact may name (core.facts, `arrived` and `condition_changed`).
CONDITIONS: Final = EVENT_TYPES["condition_changed"]["to"] or ()


class FactError(InputError):
    """A payload that is not a fact of its kind; names the entry, the kind and the field."""

    def __init__(self, message: str, *, kind: str, seq: int = -1, field: str | None = None) -> None:
        self.kind = kind
        self.seq = seq
        self.field = field
        where = f"entry {seq} ({kind})" if seq >= 0 else kind
        if field is not None:
            where += f", field {field!r}"
        super().__init__(f"{where}: {message}")


def _written(value: Any) -> Any:
    """A field's value as a payload writes it (a tuple as a list)."""
    return list(value) if isinstance(value, tuple) else value


# The facts are slotted dataclasses with a written `__init__` (keyword arguments): the module is
# compiled (ADR 0013, ADR 0014), where a written `__init__` is native and a generated one is not, and
# a native class cannot be frozen. Treat a fact as read-only, as the engine's records. A constructor
# takes what happened (the day, the kind's fields); `recorded` then names the entry that records it.
@dataclass(slots=True, init=False, unsafe_hash=True)
class Fact:
    """What every fact of a personal file has: its day and the entry that records it."""

    #: The case format's `type` string of the kind (a class constant; `OtherFact` keeps its own).
    TYPE: ClassVar[str] = ""
    #: The kind's fields in its payload: `FIELDS` always, `OPTIONAL` when given (not None, "" or
    #: empty). An attribute named for a Python keyword ends in "_" (`as_` is the payload's "as").
    FIELDS: ClassVar[tuple[str, ...]] = ()
    OPTIONAL: ClassVar[tuple[str, ...]] = ()
    #: The day it happened.
    on: date
    #: The ledger entry that records it (-1 before it is recorded) and the moment it was recorded.
    seq: int
    recorded_at: str
    #: Who recorded it (`actor.id`) and on whose authority (`actor.authority`).
    officer: str
    authority: str
    #: The kind, as the case format and the ledger name it: the class's `TYPE` (an `OtherFact`'s own
    #: kind), kept on the fact, as every pass over a file reads it for every fact.
    type: str = field(compare=False, repr=False)
    #: The fact in the case format (`on` as YYYY-MM-DD, `type`, the fields): what the engine reads.
    event: dict[str, Any] = field(compare=False, repr=False)

    def __init__(
        self, *, on: date, event: dict[str, Any] | None = None, entry_type: str = ""
    ) -> None:
        # A subclass sets its own fields first: a fact made by hand (no `event`) writes its
        # case-format mapping from them; the fold hands over the payload it has just parsed.
        self.on = on
        self.seq = -1
        self.recorded_at = ""
        self.officer = ""
        self.authority = ""
        self.type = entry_type or self.TYPE
        self.event = self._event() if event is None else event

    def recorded(self, *, seq: int, recorded_at: str, officer: str, authority: str) -> Fact:
        """This fact, as entry `seq` records it: set once, as the fact is made (`parse_fact`)."""
        self.seq = seq
        self.recorded_at = recorded_at
        self.officer = officer
        self.authority = authority
        return self

    def _fields(self) -> dict[str, Any]:
        """The kind's own fields as the payload spells them (`FIELDS`, `OPTIONAL`; tuples as lists)."""
        out: dict[str, Any] = {}
        for name in self.FIELDS:
            out[name.rstrip("_")] = _written(getattr(self, name))
        for name in self.OPTIONAL:
            value = getattr(self, name)
            if value is not None and value != "" and value != ():
                out[name.rstrip("_")] = _written(value)
        return out

    def _event(self) -> dict[str, Any]:
        return {"on": self.on.isoformat(), "type": self.type, **self._fields()}

    def payload(self) -> dict[str, Any]:
        """The ledger payload that records this fact (`on` and the kind's fields, no `type`)."""
        return {k: v for k, v in self.event.items() if k != "type"}


@dataclass(slots=True, init=False, unsafe_hash=True)
class Arrived(Fact):
    """Arrival in an institution (the admission's first fact), in a condition of detention."""

    TYPE: ClassVar[str] = "arrived"
    FIELDS: ClassVar[tuple[str, ...]] = ("condition", "institution")
    condition: str
    institution: str | None

    def __init__(
        self,
        *,
        on: date,
        condition: str = "regular",
        institution: str | None = None,
        event: dict[str, Any] | None = None,
    ) -> None:
        self.condition = condition
        self.institution = institution
        Fact.__init__(self, on=on, event=event)


@dataclass(slots=True, init=False, unsafe_hash=True)
class Incentive(Fact):
    """A measure of incentive (Code art. 126)."""

    TYPE: ClassVar[str] = "incentive"
    OPTIONAL: ClassVar[tuple[str, ...]] = ("kind",)
    kind: str

    def __init__(self, *, on: date, kind: str = "", event: dict[str, Any] | None = None) -> None:
        self.kind = kind
        Fact.__init__(self, on=on, event=event)


@dataclass(slots=True, init=False, unsafe_hash=True)
class Penalty(Fact):
    """A penalty for a violation (Code art. 128); malicious when it is an item of the list."""

    TYPE: ClassVar[str] = "penalty"
    kind: str
    malicious: bool
    #: The item of the list of malicious violations, where the record names it.
    item: str

    def __init__(
        self,
        *,
        on: date,
        kind: str = "",
        malicious: bool = False,
        item: str = "",
        event: dict[str, Any] | None = None,
    ) -> None:
        self.kind = kind
        self.malicious = malicious
        self.item = item
        Fact.__init__(self, on=on, event=event)

    def _fields(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind} if self.kind else {}
        out["malicious"] = (self.item or True) if self.malicious else False
        return out


@dataclass(slots=True, init=False, unsafe_hash=True)
class JoinedOrganisation(Fact):
    """Joined the voluntary organisation of convicts."""

    TYPE: ClassVar[str] = "joined_organisation"


@dataclass(slots=True, init=False, unsafe_hash=True)
class LeftOrganisation(Fact):
    """Left the voluntary organisation of convicts."""

    TYPE: ClassVar[str] = "left_organisation"


@dataclass(slots=True, init=False, unsafe_hash=True)
class DegreeAwarded(Fact):
    """A positive degree of behaviour awarded (Code art. 95)."""

    TYPE: ClassVar[str] = "degree_awarded"
    FIELDS: ClassVar[tuple[str, ...]] = ("degree",)
    degree: int

    def __init__(self, *, on: date, degree: int, event: dict[str, Any] | None = None) -> None:
        self.degree = degree
        Fact.__init__(self, on=on, event=event)


@dataclass(slots=True, init=False, unsafe_hash=True)
class Recognised(Fact):
    """Recognised as an offender, a systematic or a malicious offender (a negative degree)."""

    TYPE: ClassVar[str] = "recognised"
    FIELDS: ClassVar[tuple[str, ...]] = ("as_",)
    #: `as` in the payload (a keyword in Python).
    as_: str

    def __init__(self, *, on: date, as_: str, event: dict[str, Any] | None = None) -> None:
        self.as_ = as_
        Fact.__init__(self, on=on, event=event)


@dataclass(slots=True, init=False, unsafe_hash=True)
class DegreeRevoked(Fact):
    """The degree held is revoked."""

    TYPE: ClassVar[str] = "degree_revoked"


@dataclass(slots=True, init=False, unsafe_hash=True)
class WorkAssessed(Fact):
    """An assessment of the attitude to work."""

    TYPE: ClassVar[str] = "work_assessed"
    FIELDS: ClassVar[tuple[str, ...]] = ("diligent",)
    diligent: bool

    def __init__(self, *, on: date, diligent: bool, event: dict[str, Any] | None = None) -> None:
        self.diligent = diligent
        Fact.__init__(self, on=on, event=event)


@dataclass(slots=True, init=False, unsafe_hash=True)
class ConditionChanged(Fact):
    """A change of the condition of detention inside the institution (Code art. 103)."""

    TYPE: ClassVar[str] = "condition_changed"
    FIELDS: ClassVar[tuple[str, ...]] = ("to",)
    to: str

    def __init__(self, *, on: date, to: str, event: dict[str, Any] | None = None) -> None:
        self.to = to
        Fact.__init__(self, on=on, event=event)


@dataclass(slots=True, init=False, unsafe_hash=True)
class Transferred(Fact):
    """A transfer to another institution (Code art. 88), arriving in a condition of detention."""

    TYPE: ClassVar[str] = "transferred"
    FIELDS: ClassVar[tuple[str, ...]] = ("institution", "condition")
    OPTIONAL: ClassVar[tuple[str, ...]] = ("institution_type",)
    institution: str | None
    condition: str
    #: The receiving institution's type, where the entry names it (the register knows it otherwise).
    institution_type: str | None

    def __init__(
        self,
        *,
        on: date,
        institution: str | None = None,
        condition: str = "regular",
        institution_type: str | None = None,
        event: dict[str, Any] | None = None,
    ) -> None:
        self.institution = institution
        self.condition = condition
        self.institution_type = institution_type
        Fact.__init__(self, on=on, event=event)


@dataclass(slots=True, init=False, unsafe_hash=True)
class WorkHours(Fact):
    """Hours of paid work in a month (`month` as YYYY-MM): a month's total, or one day's hours at a
    place of work (`place`, its code; the day is `on`, ADR 0040)."""

    TYPE: ClassVar[str] = "work_hours"
    OPTIONAL: ClassVar[tuple[str, ...]] = ("hours", "month", "place")
    hours: float | None
    month: str
    place: str

    def __init__(
        self,
        *,
        on: date,
        hours: float | None = None,
        month: str = "",
        place: str = "",
        event: dict[str, Any] | None = None,
    ) -> None:
        self.hours = hours
        self.month = month
        self.place = place
        Fact.__init__(self, on=on, event=event)


@dataclass(slots=True, init=False, unsafe_hash=True)
class StudyHours(WorkHours):
    """Hours of study in a month (`month` as YYYY-MM), or one day's at a place of study (`place`)."""

    TYPE: ClassVar[str] = "study_hours"


#: The facts of a person the parole rules read (`core.person.Person`), in the order the form asks.
PAROLE_FIELDS: Final = ("corruption", "damage_compensated", "procedural_agreement")


@dataclass(slots=True, init=False, unsafe_hash=True)
class ParoleFacts(Fact):
    """What the court's sentence or a later record says of the facts the parole rules read: whether
    the crime is a corruption crime, the damage it caused is fully compensated, there is a procedural
    agreement. None: this entry does not say (an earlier one, or nothing, stands)."""

    TYPE: ClassVar[str] = "parole_facts"
    OPTIONAL: ClassVar[tuple[str, ...]] = PAROLE_FIELDS
    corruption: bool | None
    damage_compensated: bool | None
    procedural_agreement: bool | None

    def __init__(
        self,
        *,
        on: date,
        corruption: bool | None = None,
        damage_compensated: bool | None = None,
        procedural_agreement: bool | None = None,
        event: dict[str, Any] | None = None,
    ) -> None:
        self.corruption = corruption
        self.damage_compensated = damage_compensated
        self.procedural_agreement = procedural_agreement
        Fact.__init__(self, on=on, event=event)


#: Who paid towards the damage (core.facts): the person, or relatives on their behalf.
DAMAGE_PAYERS: Final = EVENT_TYPES["damage_paid"]["by"] or ()


@dataclass(slots=True, init=False, unsafe_hash=True)
class DamageAwarded(Fact):
    """The damage caused by the crime the court awarded, in tenge (the latest award stands)."""

    TYPE: ClassVar[str] = "damage_awarded"
    FIELDS: ClassVar[tuple[str, ...]] = ("amount",)
    amount: float

    def __init__(self, *, on: date, amount: float, event: dict[str, Any] | None = None) -> None:
        self.amount = amount
        Fact.__init__(self, on=on, event=event)


@dataclass(slots=True, init=False, unsafe_hash=True)
class DamagePaid(Fact):
    """A payment towards the damage, in tenge, by the person or by relatives (`by`)."""

    TYPE: ClassVar[str] = "damage_paid"
    FIELDS: ClassVar[tuple[str, ...]] = ("amount", "by")
    amount: float
    by: str

    def __init__(
        self, *, on: date, amount: float, by: str, event: dict[str, Any] | None = None
    ) -> None:
        self.amount = amount
        self.by = by
        Fact.__init__(self, on=on, event=event)


#: What the individual re-socialisation programme assesses a person to need (Mandela Rules 91, 94).
PROGRAMME_NEEDS: Final = (
    "general_education",
    "vocational_training",
    "work",
    "addiction_treatment",
    "health",
    "psychological_support",
    "family_ties",
    "legal_assistance",
    "documents",
    "housing_after_release",
    "damage_compensation",
)
#: The activities a programme plans (a need is met by one or more of them).
PROGRAMME_ACTIVITIES: Final = (
    "work",
    "school",
    "vocational_course",
    "addiction_programme",
    "psychological_programme",
    "legal_assistance",
    "social_assistance",
    "family_contact",
    "sport_and_culture",
    "damage_payments",
)
#: A quarterly review's finding on the programme: fulfilled, partly fulfilled, not fulfilled.
PROGRAMME_PROGRESS: Final = ("fulfilled", "partly", "not_fulfilled")
#: A certificate or qualification gained in prison.
QUALIFICATION_KINDS: Final = (
    "school_certificate",
    "vocational_certificate",
    "work_qualification",
    "other",
)


@dataclass(slots=True, init=False, unsafe_hash=True)
class ProgrammeSet(Fact):
    """The individual re-socialisation programme drawn up (on admission) or revised: the needs
    assessed, the goals in the officer's words, the activities planned."""

    TYPE: ClassVar[str] = "programme_set"
    FIELDS: ClassVar[tuple[str, ...]] = ("needs", "goals", "activities")
    needs: tuple[str, ...]
    goals: tuple[str, ...]
    activities: tuple[str, ...]

    def __init__(
        self,
        *,
        on: date,
        needs: tuple[str, ...] = (),
        goals: tuple[str, ...] = (),
        activities: tuple[str, ...] = (),
        event: dict[str, Any] | None = None,
    ) -> None:
        self.needs = needs
        self.goals = goals
        self.activities = activities
        Fact.__init__(self, on=on, event=event)


@dataclass(slots=True, init=False, unsafe_hash=True)
class ProgrammeReviewed(Fact):
    """A quarterly review of the programme (`quarter` as YYYY-Qn): its progress and a note."""

    TYPE: ClassVar[str] = "programme_reviewed"
    FIELDS: ClassVar[tuple[str, ...]] = ("quarter", "progress")
    OPTIONAL: ClassVar[tuple[str, ...]] = ("note",)
    quarter: str
    progress: str
    note: str

    def __init__(
        self,
        *,
        on: date,
        quarter: str,
        progress: str,
        note: str = "",
        event: dict[str, Any] | None = None,
    ) -> None:
        self.quarter = quarter
        self.progress = progress
        self.note = note
        Fact.__init__(self, on=on, event=event)


@dataclass(slots=True, init=False, unsafe_hash=True)
class QualificationGained(Fact):
    """A certificate or qualification gained (`kind`), with its title as issued."""

    TYPE: ClassVar[str] = "qualification_gained"
    FIELDS: ClassVar[tuple[str, ...]] = ("kind",)
    OPTIONAL: ClassVar[tuple[str, ...]] = ("title",)
    kind: str
    title: str

    def __init__(
        self, *, on: date, kind: str, title: str = "", event: dict[str, Any] | None = None
    ) -> None:
        self.kind = kind
        self.title = title
        Fact.__init__(self, on=on, event=event)


#: Out of prison before the term ends (CC arts. 72, 73): the ground of a submission, a court's
#: decision and a release.
RELEASE_GROUNDS: Final = ("parole", "substitution")
#: Why a release happened: the two grounds above, or the end of the term (or another, as written).
RELEASED_GROUNDS: Final = (*RELEASE_GROUNDS, "term_served", "other")
COURT_OUTCOMES: Final = ("granted", "refused")
#: The court's reason for a refusal, as a code; `late_submission`: the administration did not submit
#: on time (a finding for oversight, `adaldyq.oversight.release`).
REFUSAL_REASONS: Final = (
    "late_submission",
    "not_corrected",
    "damage_not_compensated",
    "violations",
    "other",
)
#: The duties a court imposes on release, as it words them (codes; `other` with the court's words).
COURT_DUTIES: Final = (
    "report",
    "residence",
    "places",
    "curfew",
    "treatment",
    "work_or_study",
    "family_support",
    "other",
)


@dataclass(slots=True, init=False, unsafe_hash=True)
class CourtSubmitted(Fact):
    """The administration's submission to the court for parole or substitution (`ground`)."""

    TYPE: ClassVar[str] = "court_submitted"
    FIELDS: ClassVar[tuple[str, ...]] = ("ground",)
    OPTIONAL: ClassVar[tuple[str, ...]] = ("court",)
    ground: str
    court: str

    def __init__(
        self, *, on: date, ground: str, court: str = "", event: dict[str, Any] | None = None
    ) -> None:
        self.ground = ground
        self.court = court
        Fact.__init__(self, on=on, event=event)


@dataclass(slots=True, init=False, unsafe_hash=True)
class CourtDecided(Fact):
    """The court's decision on a submission: granted (the unserved part, the duties imposed) or
    refused (the reason as a code and in the court's words)."""

    TYPE: ClassVar[str] = "court_decided"
    FIELDS: ClassVar[tuple[str, ...]] = ("ground", "outcome")
    OPTIONAL: ClassVar[tuple[str, ...]] = ("refusal", "reason", "duties")
    ground: str
    outcome: str
    refusal: str
    reason: str
    #: The unserved part as the court states it: (years, months, days); None when not stated.
    unserved: tuple[int, int, int] | None
    duties: tuple[str, ...]

    def __init__(
        self,
        *,
        on: date,
        ground: str,
        outcome: str,
        refusal: str = "",
        reason: str = "",
        unserved: tuple[int, int, int] | None = None,
        duties: tuple[str, ...] = (),
        event: dict[str, Any] | None = None,
    ) -> None:
        self.ground = ground
        self.outcome = outcome
        self.refusal = refusal
        self.reason = reason
        self.unserved = unserved
        self.duties = duties
        Fact.__init__(self, on=on, event=event)

    def _fields(self) -> dict[str, Any]:
        out = Fact._fields(self)
        if self.unserved is not None:
            out["unserved"] = dict(zip(("years", "months", "days"), self.unserved, strict=True))
        return out


@dataclass(slots=True, init=False, unsafe_hash=True)
class Released(Fact):
    """Release from the institution: it ends the placement (the person is no longer held anywhere);
    on parole or substitution it opens the probation file in `region`, with the court's duties and,
    when the release states it, the first reporting schedule (`every_days`, `mode`)."""

    TYPE: ClassVar[str] = "released"
    FIELDS: ClassVar[tuple[str, ...]] = ("ground",)
    OPTIONAL: ClassVar[tuple[str, ...]] = ("region", "every_days", "mode")
    ground: str
    #: The region the person is released to (`core.regions.Region.key`; "" when not stated: the
    #: probation service then reads the home region, else the institution's).
    region: str
    #: The reporting schedule set on release (None: the probation service sets it later).
    every_days: int | None
    mode: str

    def __init__(
        self,
        *,
        on: date,
        ground: str,
        region: str = "",
        every_days: int | None = None,
        mode: str = "",
        event: dict[str, Any] | None = None,
    ) -> None:
        self.ground = ground
        self.region = region
        self.every_days = every_days
        self.mode = mode
        Fact.__init__(self, on=on, event=event)

    @property
    def opens_probation(self) -> bool:
        """A release on parole or substitution opens the probation file (the others end the term)."""
        return self.ground in RELEASE_GROUNDS


#: The probation file (issue 19): how a person reports, what they do, what went wrong.
CHECKIN_MODES: Final = ("in_person", "phone")
VIOLATION_KINDS: Final = (
    "missed_checkin",
    "curfew",
    "exclusion_zone",
    "duty",
    "new_offence",
    "other",
)
#: How the probation service handled a violation: a warning, a submission to the court (to revoke
#: the release or change the duties), or nothing further.
VIOLATION_HANDLING: Final = ("warning", "court_submission", "none")
PROGRAMME_AREAS: Final = ("education", "treatment", "employment", "housing")
PROGRAMME_STATUSES: Final = ("started", "completed", "left")
PROBATION_CLOSED: Final = ("term_ended", "revoked", "other")


@dataclass(slots=True, init=False, unsafe_hash=True)
class ReportingSet(Fact):
    """The reporting schedule the probation service sets: every `every_days` days, how."""

    TYPE: ClassVar[str] = "reporting_set"
    FIELDS: ClassVar[tuple[str, ...]] = ("every_days", "mode")
    every_days: int
    mode: str

    def __init__(
        self, *, on: date, every_days: int, mode: str, event: dict[str, Any] | None = None
    ) -> None:
        self.every_days = every_days
        self.mode = mode
        Fact.__init__(self, on=on, event=event)


@dataclass(slots=True, init=False, unsafe_hash=True)
class CheckedIn(Fact):
    """The person reported to the probation service, in person or by phone."""

    TYPE: ClassVar[str] = "checked_in"
    FIELDS: ClassVar[tuple[str, ...]] = ("mode",)
    mode: str

    def __init__(self, *, on: date, mode: str, event: dict[str, Any] | None = None) -> None:
        self.mode = mode
        Fact.__init__(self, on=on, event=event)


@dataclass(slots=True, init=False, unsafe_hash=True)
class ProbationViolation(Fact):
    """A violation of the duties or the order of probation, and how the service handled it."""

    TYPE: ClassVar[str] = "probation_violation"
    FIELDS: ClassVar[tuple[str, ...]] = ("kind",)
    OPTIONAL: ClassVar[tuple[str, ...]] = ("handling", "text")
    kind: str
    handling: str
    text: str

    def __init__(
        self,
        *,
        on: date,
        kind: str,
        handling: str = "",
        text: str = "",
        event: dict[str, Any] | None = None,
    ) -> None:
        self.kind = kind
        self.handling = handling
        self.text = text
        Fact.__init__(self, on=on, event=event)


@dataclass(slots=True, init=False, unsafe_hash=True)
class ProgrammeJoined(Fact):
    """A programme of re-socialisation (education, treatment, employment, housing) and its state."""

    TYPE: ClassVar[str] = "programme_joined"
    FIELDS: ClassVar[tuple[str, ...]] = ("area", "status")
    area: str
    status: str

    def __init__(
        self, *, on: date, area: str, status: str = "started", event: dict[str, Any] | None = None
    ) -> None:
        self.area = area
        self.status = status
        Fact.__init__(self, on=on, event=event)


@dataclass(slots=True, init=False, unsafe_hash=True)
class Employed(Fact):
    """The person took up work (the employer as the service records it)."""

    TYPE: ClassVar[str] = "employed"
    OPTIONAL: ClassVar[tuple[str, ...]] = ("employer",)
    employer: str

    def __init__(
        self, *, on: date, employer: str = "", event: dict[str, Any] | None = None
    ) -> None:
        self.employer = employer
        Fact.__init__(self, on=on, event=event)


@dataclass(slots=True, init=False, unsafe_hash=True)
class MedicalAid(Fact):
    """Medical aid given to the person through the probation service."""

    TYPE: ClassVar[str] = "medical_aid"
    OPTIONAL: ClassVar[tuple[str, ...]] = ("kind",)
    kind: str

    def __init__(self, *, on: date, kind: str = "", event: dict[str, Any] | None = None) -> None:
        self.kind = kind
        Fact.__init__(self, on=on, event=event)


@dataclass(slots=True, init=False, unsafe_hash=True)
class ProbationClosed(Fact):
    """The end of the probation file: the term ended, the release was revoked, or another reason."""

    TYPE: ClassVar[str] = "probation_closed"
    FIELDS: ClassVar[tuple[str, ...]] = ("reason",)
    reason: str

    def __init__(self, *, on: date, reason: str, event: dict[str, Any] | None = None) -> None:
        self.reason = reason
        Fact.__init__(self, on=on, event=event)


#: Electronic monitoring (issue 19, ADR 0043): the zones of a person's device. A home with the curfew
#: hours to be spent inside it, or a zone never to be entered.
DEVICE_ZONE_KINDS: Final = ("home", "exclusion")
#: A zone's polygon has at least 3 and at most this many vertices.
DEVICE_ZONE_MAX_VERTICES: Final = 500


@dataclass(slots=True, init=False, unsafe_hash=True)
class DeviceZone(Fact):
    """A zone of electronic monitoring, standing from its day until a later fact of the same name
    (`ended`: no longer a zone). The polygon is in WGS 84 degrees, (longitude, latitude) pairs."""

    TYPE: ClassVar[str] = "device_zone"
    name: str
    kind: str
    polygon: tuple[tuple[float, float], ...]
    #: Curfew hours in local time (start, end) for a home; the night spans midnight when start > end.
    curfew: tuple[time, time] | None
    ended: bool

    def __init__(
        self,
        *,
        on: date,
        name: str,
        kind: str,
        polygon: tuple[tuple[float, float], ...] = (),
        curfew: tuple[time, time] | None = None,
        ended: bool = False,
        event: dict[str, Any] | None = None,
    ) -> None:
        self.name = name
        self.kind = kind
        self.polygon = polygon
        self.curfew = curfew
        self.ended = ended
        Fact.__init__(self, on=on, event=event)

    def _fields(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "kind": self.kind}
        if self.ended:
            return {**out, "ended": True}
        out["polygon"] = [[lon, lat] for lon, lat in self.polygon]
        if self.curfew is not None:
            out["curfew"] = {
                "from": self.curfew[0].strftime("%H:%M"),
                "to": self.curfew[1].strftime("%H:%M"),
            }
        return out


@dataclass(slots=True, init=False, unsafe_hash=True)
class OtherFact(Fact):
    """A dated entry about the person whose fields belong to another part of the system (visits,
    visitors, notes): the fold carries it in the file, with its fields in `event`."""

    kind: str

    def __init__(self, *, on: date, kind: str, event: dict[str, Any] | None = None) -> None:
        self.kind = kind
        Fact.__init__(self, on=on, event=event, entry_type=kind)


#: The fact type of each kind the file knows; any other kind is an `OtherFact`.
KINDS: Final[dict[str, type[Fact]]] = {
    t.TYPE: t
    for t in (
        Arrived,
        Incentive,
        Penalty,
        JoinedOrganisation,
        LeftOrganisation,
        DegreeAwarded,
        Recognised,
        DegreeRevoked,
        WorkAssessed,
        ConditionChanged,
        Transferred,
        WorkHours,
        StudyHours,
        ParoleFacts,
        DamageAwarded,
        DamagePaid,
        ProgrammeSet,
        ProgrammeReviewed,
        QualificationGained,
        CourtSubmitted,
        CourtDecided,
        Released,
        ReportingSet,
        CheckedIn,
        ProbationViolation,
        ProgrammeJoined,
        Employed,
        MedicalAid,
        ProbationClosed,
        DeviceZone,
    )
}


def _text(payload: dict[str, Any], name: str, kind: str, seq: int) -> str:
    value = payload.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FactError(f"must be text, not {value!r}", kind=kind, seq=seq, field=name)
    return value


def _flag(payload: dict[str, Any], name: str, kind: str, seq: int) -> bool | None:
    """A yes/no field that may be absent (None: the entry does not say)."""
    value = payload.get(name)
    if value is not None and not isinstance(value, bool):
        raise FactError(f"must be true or false, not {value!r}", kind=kind, seq=seq, field=name)
    return value


def _one_of(payload: dict[str, Any], name: str, kind: str, seq: int) -> Any:
    """A field whose values `core.facts.EVENT_TYPES` lists."""
    value = payload.get(name)
    allowed = EVENT_TYPES[kind].get(name)
    if allowed is not None and (
        value not in allowed or isinstance(value, bool) is not isinstance(allowed[0], bool)
    ):
        raise FactError(
            f"must be one of {list(allowed)}, not {value!r}", kind=kind, seq=seq, field=name
        )
    return value


#: Keys of a fact's payload that say how it was entered, not what happened (issue 15): why a fact is
#: recorded late (`late`: code and reason), why a fact is corrected (`reason_code`), the head's
#: confirmation of an entry proposed (`confirms`: the proposal's entry), where on paper it was read
#: (`paper`: the paper file, page and scan, issue 23). The fact leaves them out.
ENTRY_META: Final = frozenset({"late", "reason_code", "confirms", "paper"})


def parse_fact(
    kind: str,
    payload: dict[str, Any],
    *,
    on: date,
    seq: int = -1,
    recorded_at: str = "",
    officer: str = "",
    authority: str = "",
) -> Fact:
    """The fact a ledger payload of `kind` records on the day `on` (the payload's `on`, parsed).

    `payload` becomes the fact's `event` as it is: it must be the caller's own (freshly parsed), with
    `on` as YYYY-MM-DD; `type` is set in it. Raises `FactError` when a field is missing or wrong.
    """
    # ENTRY_META's keys looked up one by one: a fold asks this of every fact, and walking the
    # payload (`isdisjoint`) costs several times as much
    if "late" in payload or "reason_code" in payload or "confirms" in payload or "paper" in payload:
        payload = {k: v for k, v in payload.items() if k not in ENTRY_META}
    for name in REQUIRED_FIELDS.get(kind, ()):
        if name not in payload:
            raise FactError("is required", kind=kind, seq=seq, field=name)
    payload["type"] = kind
    fact = _fact_of(kind, payload, on, seq)
    return fact.recorded(seq=seq, recorded_at=recorded_at, officer=officer, authority=authority)


def _fact_of(kind: str, payload: dict[str, Any], on: date, seq: int) -> Fact:
    """The fact of `kind`, its fields read and checked from `payload` (which becomes its `event`)."""
    if kind == "incentive":
        return Incentive(on=on, kind=_text(payload, "kind", kind, seq), event=payload)
    if kind == "penalty":
        m = payload.get("malicious")
        if m is not None and not isinstance(m, bool | str):
            raise FactError(
                f"must be true, false or an item of the list, not {m!r}",
                kind=kind,
                seq=seq,
                field="malicious",
            )
        item = m if isinstance(m, str) else ""
        text = _text(payload, "kind", kind, seq)
        return Penalty(on=on, kind=text, malicious=bool(m), item=item, event=payload)
    if kind == "work_assessed":
        return WorkAssessed(on=on, diligent=_one_of(payload, "diligent", kind, seq), event=payload)
    if kind == "degree_awarded":
        return DegreeAwarded(on=on, degree=_one_of(payload, "degree", kind, seq), event=payload)
    if kind == "recognised":
        return Recognised(on=on, as_=_one_of(payload, "as", kind, seq), event=payload)
    if kind == "condition_changed":
        return ConditionChanged(on=on, to=_one_of(payload, "to", kind, seq), event=payload)
    if kind == "arrived":
        if "condition" in payload:
            _one_of(payload, "condition", kind, seq)
        condition = payload.get("condition") or "regular"
        institution = _text(payload, "institution", kind, seq) or None
        return Arrived(on=on, condition=condition, institution=institution, event=payload)
    if kind == "transferred":
        condition = payload.get("condition") or "regular"
        if condition not in CONDITIONS:
            raise FactError(
                f"must be one of {list(CONDITIONS)}, not {condition!r}",
                kind=kind,
                seq=seq,
                field="condition",
            )
        return Transferred(
            on=on,
            institution=_text(payload, "institution", kind, seq) or None,
            condition=condition,
            institution_type=_text(payload, "institution_type", kind, seq) or None,
            event=payload,
        )
    if kind in ("work_hours", "study_hours"):
        hours = payload.get("hours")
        try:
            if isinstance(hours, bool) or not isinstance(hours, int | float | str | None):
                raise ValueError
            value = None if hours is None else float(hours)
        except ValueError:
            raise FactError(
                f"must be a number, not {hours!r}", kind=kind, seq=seq, field="hours"
            ) from None
        month = _text(payload, "month", kind, seq)
        place = _text(payload, "place", kind, seq)
        if kind == "work_hours":
            return WorkHours(on=on, hours=value, month=month, place=place, event=payload)
        return StudyHours(on=on, hours=value, month=month, place=place, event=payload)
    if kind in INSIDE_KINDS:
        return _inside_fact(kind, payload, on, seq)
    if kind == "parole_facts":
        says = [_flag(payload, name, kind, seq) for name in PAROLE_FIELDS]
        if all(f is None for f in says):
            raise FactError(
                f"says none of {', '.join(PAROLE_FIELDS)}", kind=kind, seq=seq, field=None
            )
        return ParoleFacts(
            on=on,
            corruption=says[0],
            damage_compensated=says[1],
            procedural_agreement=says[2],
            event=payload,
        )
    if kind in ("court_submitted", "court_decided", "released"):
        return _release_fact(kind, payload, on, seq)
    if kind in PROBATION_KINDS:
        return _probation_fact(kind, payload, on, seq)
    if kind == "device_zone":
        return _device_zone(payload, on, seq)
    if kind == "joined_organisation":
        return JoinedOrganisation(on=on, event=payload)
    if kind == "left_organisation":
        return LeftOrganisation(on=on, event=payload)
    if kind == "degree_revoked":
        return DegreeRevoked(on=on, event=payload)
    return OtherFact(on=on, kind=kind, event=payload)


def _listed(
    payload: dict[str, Any], name: str, allowed: tuple[str, ...], kind: str, seq: int
) -> str:
    value = payload.get(name)
    if value not in allowed:
        raise FactError(
            f"must be one of {list(allowed)}, not {value!r}", kind=kind, seq=seq, field=name
        )
    return str(value)


def _release_fact(kind: str, payload: dict[str, Any], on: date, seq: int) -> Fact:
    """A submission to the court, its decision, or a release (issue 19)."""
    if kind == "released":
        return _released(payload, on, seq)
    ground = _listed(payload, "ground", RELEASE_GROUNDS, kind, seq)
    if kind == "court_submitted":
        return CourtSubmitted(
            on=on, ground=ground, court=_text(payload, "court", kind, seq), event=payload
        )
    outcome = _listed(payload, "outcome", COURT_OUTCOMES, kind, seq)
    reason = _text(payload, "reason", kind, seq).strip()
    refusal = ""
    if outcome == "refused":
        refusal = _listed(payload, "refusal", REFUSAL_REASONS, kind, seq)
        if not reason:
            raise FactError(
                "a refusal needs the court's reason", kind=kind, seq=seq, field="reason"
            )
    raw = payload.get("unserved")
    unserved: tuple[int, int, int] | None = None
    if raw is not None:
        parts = [
            raw.get(k, 0) if isinstance(raw, dict) else None for k in ("years", "months", "days")
        ]
        if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in parts):
            raise FactError(
                f"must be years, months and days (whole numbers), not {raw!r}",
                kind=kind,
                seq=seq,
                field="unserved",
            )
        unserved = (int(parts[0] or 0), int(parts[1] or 0), int(parts[2] or 0))
    duties = payload.get("duties") or []
    if not isinstance(duties, list) or any(d not in COURT_DUTIES for d in duties):
        raise FactError(
            f"must be a list of {list(COURT_DUTIES)}, not {duties!r}",
            kind=kind,
            seq=seq,
            field="duties",
        )
    return CourtDecided(
        on=on, ground=ground, outcome=outcome, refusal=refusal, reason=reason,
        unserved=unserved, duties=tuple(duties), event=payload,
    )  # fmt: skip


def _released(payload: dict[str, Any], on: date, seq: int) -> Released:
    """A release: its ground, the region it is to, and the reporting schedule it may set."""
    kind = Released.TYPE
    ground = _listed(payload, "ground", RELEASED_GROUNDS, kind, seq)
    every = payload.get("every_days")
    mode = ""
    if every is not None:
        every = _every_days(payload, kind, seq)
        mode = _listed(payload, "mode", CHECKIN_MODES, kind, seq)
    region = _text(payload, "region", kind, seq)
    if region and region not in regions_by_key():
        raise FactError(f"is not a region of the register: {region!r}", kind=kind, seq=seq,
                        field="region")  # fmt: skip
    return Released(
        on=on, ground=ground, region=region, every_days=every,
        mode=mode, event=payload,
    )  # fmt: skip


def _every_days(payload: dict[str, Any], kind: str, seq: int) -> int:
    every = payload.get("every_days")
    if not isinstance(every, int) or isinstance(every, bool) or every < 1:
        raise FactError(
            f"must be a whole number of days, 1 or more, not {every!r}",
            kind=kind,
            seq=seq,
            field="every_days",
        )
    return every


def _probation_fact(kind: str, payload: dict[str, Any], on: date, seq: int) -> Fact:
    """A fact of the probation file (issue 19)."""
    if kind == "reporting_set":
        every = _every_days(payload, kind, seq)
        mode = _listed(payload, "mode", CHECKIN_MODES, kind, seq)
        return ReportingSet(on=on, every_days=every, mode=mode, event=payload)
    if kind == "checked_in":
        return CheckedIn(
            on=on, mode=_listed(payload, "mode", CHECKIN_MODES, kind, seq), event=payload
        )
    if kind == "probation_violation":
        handling = ""
        if payload.get("handling") is not None:
            handling = _listed(payload, "handling", VIOLATION_HANDLING, kind, seq)
        return ProbationViolation(
            on=on,
            kind=_listed(payload, "kind", VIOLATION_KINDS, kind, seq),
            handling=handling,
            text=_text(payload, "text", kind, seq),
            event=payload,
        )
    if kind == "programme_joined":
        status = "started"
        if payload.get("status") is not None:
            status = _listed(payload, "status", PROGRAMME_STATUSES, kind, seq)
        area = _listed(payload, "area", PROGRAMME_AREAS, kind, seq)
        return ProgrammeJoined(on=on, area=area, status=status, event=payload)
    if kind == "employed":
        return Employed(on=on, employer=_text(payload, "employer", kind, seq), event=payload)
    if kind == "medical_aid":
        return MedicalAid(on=on, kind=_text(payload, "kind", kind, seq), event=payload)
    reason = _listed(payload, "reason", PROBATION_CLOSED, kind, seq)
    return ProbationClosed(on=on, reason=reason, event=payload)


#: The facts of life in prison the file keeps besides hours (issue 19): the damage and its payments,
#: the re-socialisation programme and its reviews, certificates and qualifications.
INSIDE_KINDS: Final = (
    "damage_awarded",
    "damage_paid",
    "programme_set",
    "programme_reviewed",
    "qualification_gained",
)


def _amount(payload: dict[str, Any], kind: str, seq: int) -> float:
    value = payload.get("amount")
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise FactError(
            f"must be a sum in tenge, 0 or more, not {value!r}", kind=kind, seq=seq, field="amount"
        )
    return float(value)


def _codes(
    payload: dict[str, Any], name: str, allowed: tuple[str, ...] | None, kind: str, seq: int
) -> tuple[str, ...]:
    """A list field: codes of `allowed`, or (None) lines of text."""
    value = payload.get(name) or []
    if (
        not isinstance(value, list)
        or not all(isinstance(v, str) and v.strip() for v in value)
        or (allowed is not None and any(v not in allowed for v in value))
    ):
        what = f"a list of {list(allowed)}" if allowed is not None else "a list of lines of text"
        raise FactError(f"must be {what}, not {value!r}", kind=kind, seq=seq, field=name)
    return tuple(value)


def _inside_fact(kind: str, payload: dict[str, Any], on: date, seq: int) -> Fact:
    """A fact of life in prison other than hours (issue 19)."""
    if kind == "damage_awarded":
        return DamageAwarded(on=on, amount=_amount(payload, kind, seq), event=payload)
    if kind == "damage_paid":
        by = _listed(payload, "by", DAMAGE_PAYERS, kind, seq)
        return DamagePaid(on=on, amount=_amount(payload, kind, seq), by=by, event=payload)
    if kind == "programme_set":
        needs = _codes(payload, "needs", PROGRAMME_NEEDS, kind, seq)
        if not needs:
            raise FactError("names no need", kind=kind, seq=seq, field="needs")
        return ProgrammeSet(
            on=on,
            needs=needs,
            goals=_codes(payload, "goals", None, kind, seq),
            activities=_codes(payload, "activities", PROGRAMME_ACTIVITIES, kind, seq),
            event=payload,
        )
    if kind == "programme_reviewed":
        quarter = _text(payload, "quarter", kind, seq)
        if not _is_quarter(quarter):
            raise FactError(
                f"must be a quarter as YYYY-Qn, not {quarter!r}",
                kind=kind,
                seq=seq,
                field="quarter",
            )
        return ProgrammeReviewed(
            on=on,
            quarter=quarter,
            progress=_listed(payload, "progress", PROGRAMME_PROGRESS, kind, seq),
            note=_text(payload, "note", kind, seq),
            event=payload,
        )
    return QualificationGained(
        on=on,
        kind=_listed(payload, "kind", QUALIFICATION_KINDS, kind, seq),
        title=_text(payload, "title", kind, seq),
        event=payload,
    )


def _is_quarter(text: str) -> bool:
    return len(text) == 7 and text[:4].isdigit() and text[4:6] == "-Q" and text[6] in "1234"


def _clock(raw: Any, kind: str, seq: int) -> time:
    try:
        if not isinstance(raw, str) or len(raw) != 5:
            raise ValueError
        return time.fromisoformat(raw)
    except ValueError:
        raise FactError(
            f"must be hours as HH:MM, not {raw!r}", kind=kind, seq=seq, field="curfew"
        ) from None


def _device_zone(payload: dict[str, Any], on: date, seq: int) -> Fact:
    """A zone of electronic monitoring: its shape is checked as a list of points here; whether the
    points make one simple area is `adaldyq.emonitoring.zone_of`'s (shapely) question."""
    kind = "device_zone"
    name = _text(payload, "name", kind, seq).strip()
    if not name or len(name) > 60:
        raise FactError("must be a name of 1 to 60 characters", kind=kind, seq=seq, field="name")
    zone = _listed(payload, "kind", DEVICE_ZONE_KINDS, kind, seq)
    ended = _flag(payload, "ended", kind, seq) or False
    if ended:
        return DeviceZone(on=on, name=name, kind=zone, ended=True, event=payload)
    raw = payload.get("polygon")
    points: list[tuple[float, float]] = []
    if isinstance(raw, list):
        for p in raw:
            if not (
                isinstance(p, list | tuple)
                and len(p) == 2
                and all(isinstance(c, int | float) and not isinstance(c, bool) for c in p)
                and -180 <= p[0] <= 180
                and -90 <= p[1] <= 90
            ):
                points = []
                break
            points.append((float(p[0]), float(p[1])))
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if not 3 <= len(points) <= DEVICE_ZONE_MAX_VERTICES:
        raise FactError(
            f"must be 3 to {DEVICE_ZONE_MAX_VERTICES} points [longitude, latitude] in degrees, "
            f"not {raw!r}"[:300],
            kind=kind,
            seq=seq,
            field="polygon",
        )
    hours = payload.get("curfew")
    curfew: tuple[time, time] | None = None
    if hours is not None:
        if zone != "home" or not isinstance(hours, dict) or set(hours) != {"from", "to"}:
            raise FactError(
                'curfew hours are {"from": "HH:MM", "to": "HH:MM"}, for a home only',
                kind=kind,
                seq=seq,
                field="curfew",
            )
        curfew = (_clock(hours["from"], kind, seq), _clock(hours["to"], kind, seq))
        if curfew[0] == curfew[1]:
            raise FactError("the curfew's hours must differ", kind=kind, seq=seq, field="curfew")
    return DeviceZone(
        on=on, name=name, kind=zone, polygon=tuple(points), curfew=curfew, event=payload
    )
