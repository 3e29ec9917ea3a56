"""The records of placement and transfers: plain frozen values, JSON both ways.

    Site              an institution as placement sees it (type, category, capacity, position)
    Profile           what placement needs to know about a person
    Proposal          the proposed institution and every alternative with the reason it lost
    TransferRequest   a numbered request in the open queue of its target institution
    TransferDecision  a placement (no `from_institution`) or a transfer, as decided by staff
    Flag              a departure for oversight, with the ids it rests on

`TransferRequest`, `TransferDecision` and `Proposal` are what the web records as ledger entries
(`to_dict()` is the entry's payload; `from_dict()` reads it back).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from adaldyq.core.errors import InputError
from adaldyq.law.explain import Ref

#: Institution types placement knows (LAW.md §1); `mixed` units are never proposed.
TYPES = ("minimum", "medium", "maximum", "extreme", "complete", "mixed")
SEXES = ("male", "female")


class InstitutionRecord(Protocol):
    """Anything with an institution's fields (the demo's `Institution`, a web model row)."""

    @property
    def id(self) -> str: ...
    @property
    def region(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def sex(self) -> str: ...
    @property
    def minors(self) -> bool: ...
    @property
    def medical(self) -> bool: ...
    @property
    def capacity(self) -> int: ...
    @property
    def lat(self) -> float: ...
    @property
    def lon(self) -> float: ...


@dataclass(frozen=True, slots=True)
class Site:
    """An institution as placement sees it."""

    id: str
    #: `adaldyq.core.regions.Region.key` of the region it stands in.
    region: str
    #: Institution type (LAW.md §1), or a merged type such as `medium+maximum` in a simulation.
    type: str
    #: The sex of the people it holds.
    sex: str
    minors: bool
    medical: bool
    #: Population limit (places).
    capacity: int
    lat: float
    lon: float

    @classmethod
    def of(cls, record: InstitutionRecord) -> Site:
        """A site from any institution record with the same fields."""
        return cls(
            record.id,
            record.region,
            record.type,
            record.sex,
            bool(record.minors),
            bool(record.medical),
            int(record.capacity),
            float(record.lat),
            float(record.lon),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "region": self.region,
            "type": self.type,
            "sex": self.sex,
            "minors": self.minors,
            "medical": self.medical,
            "capacity": self.capacity,
            "lat": self.lat,
            "lon": self.lon,
        }


@dataclass(frozen=True, slots=True)
class Profile:
    """What placement needs to know about a person (Mandela Rule 11 categories and home)."""

    #: Personal-file number.
    id: str
    sex: str
    #: Region the person lived in before conviction (`Region.key`).
    home_region: str
    #: The institution type the sentence requires (LAW.md §1).
    type: str
    #: Under 18: only institutions for minors.
    minor: bool = False
    #: Needs treatment: only medical institutions.
    medical: bool = False
    #: When the sentence began; the simulator places people in this order (then by id).
    sentenced_on: date | None = None

    def __post_init__(self) -> None:
        if self.sex not in SEXES:
            raise InputError(f"sex: expected one of {', '.join(SEXES)}, not {self.sex!r}")


@dataclass(frozen=True, slots=True)
class Alternative:
    """An institution that was considered and not proposed, with every reason it lost."""

    institution: str
    distance_km: float
    free: int
    #: Message ids: `placement.wrong_type`, `placement.wrong_sex`, `placement.minors_only`,
    #: `placement.adults_only`, `placement.medical_needed`, `placement.medical_reserved`,
    #: `placement.mixed_unit`, `placement.full`, `placement.farther`.
    reasons: tuple[str, ...]
    refs: tuple[Ref, ...]
    #: How much farther than the proposal (only for `placement.farther`).
    farther_by_km: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "institution": self.institution,
            "distance_km": round(self.distance_km, 1),
            "free": self.free,
            "reasons": list(self.reasons),
            "refs": [r.to_dict() for r in self.refs],
            "farther_by_km": None if self.farther_by_km is None else round(self.farther_by_km, 1),
        }


@dataclass(frozen=True, slots=True)
class Proposal:
    """The proposed institution for a person on a date, and every alternative considered."""

    person: str
    on: date
    #: The proposed institution, or None when no institution of the right kind exists.
    institution: str | None
    distance_km: float | None
    #: Every institution of the right kind was full: the nearest is proposed over its limit.
    over_capacity: bool
    #: `placement.nearest_free`, `placement.all_full` or `placement.none_of_kind`.
    outcome: str
    #: Every other institution, nearest first (ties by id).
    alternatives: tuple[Alternative, ...]
    #: The rules the proposal rests on.
    refs: tuple[Ref, ...]
    #: Id, version and hash of the placement rules.
    rules: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the payload of a `placement_proposed` ledger entry)."""
        return {
            "person": self.person,
            "on": self.on.isoformat(),
            "institution": self.institution,
            "distance_km": None if self.distance_km is None else round(self.distance_km, 1),
            "over_capacity": self.over_capacity,
            "outcome": self.outcome,
            "alternatives": [a.to_dict() for a in self.alternatives],
            "refs": [r.to_dict() for r in self.refs],
            "rules": dict(self.rules),
        }


@dataclass(frozen=True, slots=True)
class TransferRequest:
    """A request to be moved to `target`, numbered and queued there (ledger: `transfer_requested`)."""

    #: The request number, `TR-000123` (`request_number`).
    number: str
    person: str
    #: The institution asked for.
    target: str
    #: `closer_to_home` or an art. 88 ground: `safety`, `reorganisation`, `operational_need`,
    #: `law_and_order` (see `grounds` in rules.yaml).
    ground: str
    filed_on: date
    #: Where the person is when filing (None for someone not yet placed).
    from_institution: str | None = None
    #: Km by which the target is nearer the home region centre than the current institution.
    distance_gained_km: float = 0.0
    #: Family circumstances, keys of `queue.family` in rules.yaml (`minor_children`, ...).
    family: tuple[str, ...] = ()
    #: The person's prior consent (needed for `operational_need`).
    consent: bool = False
    #: Who filed it: `person`, `relative`, `administration`.
    filed_by: str = "person"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "number": self.number,
            "person": self.person,
            "target": self.target,
            "ground": self.ground,
            "filed_on": self.filed_on.isoformat(),
            "from_institution": self.from_institution,
            "distance_gained_km": self.distance_gained_km,
            "family": list(self.family),
            "consent": self.consent,
            "filed_by": self.filed_by,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TransferRequest:
        """The inverse of `to_dict`; InputError names a missing or bad field."""
        try:
            return cls(
                number=str(d["number"]),
                person=str(d["person"]),
                target=str(d["target"]),
                ground=str(d["ground"]),
                filed_on=date.fromisoformat(d["filed_on"]),
                from_institution=d.get("from_institution"),
                distance_gained_km=float(d.get("distance_gained_km", 0.0)),
                family=tuple(d.get("family", ())),
                consent=bool(d.get("consent", False)),
                filed_by=str(d.get("filed_by", "person")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"transfer request: bad or missing field ({exc})") from None


@dataclass(frozen=True, slots=True)
class TransferDecision:
    """A decision that moves a person (ledger: `transfer_decided`); a placement has no origin."""

    id: str
    person: str
    on: date
    to_institution: str
    #: None for a first placement after sentence.
    from_institution: str | None = None
    #: The request it grants, if any.
    request: str | None = None
    #: The ground (a key of `grounds` in rules.yaml); None for a first placement.
    ground: str | None = None
    consent: bool = False
    officer: str = ""
    #: The written reason for any departure (out of queue order, over capacity, against the proposal).
    reason: str = ""
    #: Staff overrode the population limit of the target (still flagged).
    capacity_override: bool = False
    #: For a placement: the institution the system proposed.
    proposed: str | None = None

    @property
    def is_placement(self) -> bool:
        """A first placement, not a transfer between institutions."""
        return self.from_institution is None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "person": self.person,
            "on": self.on.isoformat(),
            "to_institution": self.to_institution,
            "from_institution": self.from_institution,
            "request": self.request,
            "ground": self.ground,
            "consent": self.consent,
            "officer": self.officer,
            "reason": self.reason,
            "capacity_override": self.capacity_override,
            "proposed": self.proposed,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TransferDecision:
        """The inverse of `to_dict`; InputError names a missing or bad field."""
        try:
            return cls(
                id=str(d["id"]),
                person=str(d["person"]),
                on=date.fromisoformat(d["on"]),
                to_institution=str(d["to_institution"]),
                from_institution=d.get("from_institution"),
                request=d.get("request"),
                ground=d.get("ground"),
                consent=bool(d.get("consent", False)),
                officer=str(d.get("officer", "")),
                reason=str(d.get("reason", "")),
                capacity_override=bool(d.get("capacity_override", False)),
                proposed=d.get("proposed"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"transfer decision: bad or missing field ({exc})") from None


@dataclass(frozen=True, slots=True)
class Flag:
    """A departure for oversight (`adaldyq oversight flags`), with the ids it rests on."""

    #: `queue_jumped`, `over_capacity`, `no_art88_ground`, `consent_missing`,
    #: `type_changed_without_court`, `mixed_unit_placement`, `repeated_transfers`,
    #: `placed_far_from_home`.
    kind: str
    on: date
    person: str
    #: Ids: the decision first, then the requests, institutions or earlier decisions involved.
    evidence: tuple[str, ...]
    ref: Ref
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "kind": self.kind,
            "on": self.on.isoformat(),
            "person": self.person,
            "evidence": list(self.evidence),
            "ref": self.ref.to_dict(),
            "detail": dict(self.detail),
        }
