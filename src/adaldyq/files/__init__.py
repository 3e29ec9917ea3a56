"""The personal file: typed facts, corrections and the fold of a person's ledger entries (ADR 0014).

    from adaldyq.files import PersonalFile, parse_fact
    pf = PersonalFile.fold(person_id, rows)        # or PersonalFile.from_entries(person_id, entries)
    pf.facts, pf.corrections, pf.placement, pf.events()

The engine, the web's read models, oversight and placement read a person's file through it;
`parse_fact` is the one place a ledger payload becomes a fact (`FactError` names what is wrong).
"""

from adaldyq.files.facts import (
    ENTRY_META,
    KINDS,
    PAROLE_FIELDS,
    Arrived,
    ConditionChanged,
    DegreeAwarded,
    DegreeRevoked,
    Fact,
    FactError,
    Incentive,
    JoinedOrganisation,
    LeftOrganisation,
    OtherFact,
    ParoleFacts,
    Penalty,
    Recognised,
    StudyHours,
    Transferred,
    WorkAssessed,
    WorkHours,
    parse_fact,
)
from adaldyq.files.personal import (
    FACT_VOIDED,
    NOT_FACTS,
    PERSON_ADMITTED,
    PLACEMENT_KINDS,
    Admission,
    Correction,
    PersonalFile,
    Placement,
    Row,
    parole_of,
    placement_of,
)

__all__ = [
    "ENTRY_META",
    "FACT_VOIDED",
    "KINDS",
    "NOT_FACTS",
    "PAROLE_FIELDS",
    "PERSON_ADMITTED",
    "PLACEMENT_KINDS",
    "Admission",
    "Arrived",
    "ConditionChanged",
    "Correction",
    "DegreeAwarded",
    "DegreeRevoked",
    "Fact",
    "FactError",
    "Incentive",
    "JoinedOrganisation",
    "LeftOrganisation",
    "OtherFact",
    "ParoleFacts",
    "Penalty",
    "PersonalFile",
    "Placement",
    "Recognised",
    "Row",
    "StudyHours",
    "Transferred",
    "WorkAssessed",
    "WorkHours",
    "parole_of",
    "parse_fact",
    "placement_of",
]
