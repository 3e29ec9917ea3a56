"""The vocabulary of dated facts (the case format's event types, shared/cases/README.md).

A fact is a mapping with `on` (ISO date), `type`, and the fields of its type. The engine reads these
mappings as they are, so the web application, the ledger and the case files share one format.
"""

from __future__ import annotations

from typing import Any, Final

#: Who may pay the damage: the person, or relatives on their behalf.
DAMAGE_PAYERS: Final = ("person", "relatives")

#: Event type -> {field: allowed values (None: any value)}; fields not listed are kept but not read.
EVENT_TYPES: Final[dict[str, dict[str, tuple[Any, ...] | None]]] = {
    "arrived": {"condition": ("regular", "light", "preferential", "strict")},
    "incentive": {"kind": None},
    "penalty": {"kind": None, "malicious": None},
    "joined_organisation": {},
    "left_organisation": {},
    "degree_awarded": {"degree": (1, 2, 3)},
    "recognised": {"as": ("offender", "systematic_offender", "malicious_offender")},
    "degree_revoked": {},
    "work_assessed": {"diligent": (True, False)},
    "condition_changed": {"to": ("regular", "light", "preferential", "strict")},
    # the damage caused by the crime (issue 19): the sum the court awarded, and each payment with who
    # paid it (the person, or relatives on their behalf); amounts in tenge
    "damage_awarded": {"amount": None},
    "damage_paid": {"amount": None, "by": DAMAGE_PAYERS},
}

#: Fields each type must have.
REQUIRED_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "degree_awarded": ("degree",),
    "recognised": ("as",),
    "work_assessed": ("diligent",),
    "condition_changed": ("to",),
    "damage_awarded": ("amount",),
    "damage_paid": ("amount", "by"),
}

#: Negative degree set by each recognition (LAW.md §2).
RECOGNITION_DEGREE: Final = {"offender": -1, "systematic_offender": -2, "malicious_offender": -3}

#: The kinds of the probation file (issue 19), in the order its page lists them.
PROBATION_KINDS: Final = (
    "reporting_set",
    "checked_in",
    "probation_violation",
    "programme_joined",
    "employed",
    "medical_aid",
    "probation_closed",
)

#: Fact types the system records that do not enter the rules of LAW.md §0-3 (work and study hours,
#: visits, visitors). The engine accepts them and leaves them to the features that count them.
#: `parole_facts` (whether the crime is a corruption crime, the damage is fully compensated, there is a
#: procedural agreement) reaches the rules as the person's facts (`core.person.Person`), read from the
#: file by `adaldyq.files`, not as an event.
RECORDED_ONLY: Final[frozenset[str]] = frozenset(
    {
        "work_hours",
        "study_hours",
        "visitor_registered",
        "visitor_approved",
        "visit",
        "note",
        "transferred",
        "parole_facts",
        # out of prison (issue 19): the submission to the court, its decision, the release
        "court_submitted",
        "court_decided",
        "released",
        # in prison (issue 19): the individual re-socialisation programme and its quarterly reviews, a
        # certificate or qualification gained
        "programme_set",
        "programme_reviewed",
        "qualification_gained",
        # the probation file (issue 19)
        *PROBATION_KINDS,
        # electronic monitoring (issue 19, ADR 0043): a zone of the person's device
        "device_zone",
    }
)
