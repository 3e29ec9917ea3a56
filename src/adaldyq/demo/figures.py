"""The generator's own figures: the one place that says how the synthetic histories are timed.

The law engine (`adaldyq.law`) is the authority on the law; the generator does not call it. To
produce histories that are *mostly lawful*, it times decisions by the law pack's figures (LAW.md
§2-4, read from the pack with its demo overlay, never copied here), plus behavioural rates that are
pure demo choices (confidence D: illustrative, not law).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Final, Literal, cast

if TYPE_CHECKING:
    from adaldyq.law.pack import LawPack

InstitutionType = Literal["minimum", "medium", "maximum", "extreme", "complete", "mixed"]
Condition = Literal["regular", "light", "preferential", "strict"]

#: The types the case format accepts for `person.institution` (cases/README.md).
CASE_TYPES: Final[tuple[InstitutionType, ...]] = (
    "minimum",
    "medium",
    "maximum",
    "extreme",
    "complete",
)

# --- LAW.md §2-3: degrees of behaviour (Code art. 95) and transfers between conditions (art. 103) ---
#: The law pack on the day the generator reads it (its histories run over the last few years, all
#: under the figures in force since 2015-01-01).
_LAW_ON: Final = date(2025, 1, 1)


def _law() -> LawPack:
    from adaldyq.law.pack import LawPack  # the demo reads the law, not the reverse

    return LawPack.load(overlay="demo")


def _number(law: LawPack, key: str, on: date = _LAW_ON) -> int:
    """A figure the generator times its decisions or its visits by; the pack must know it."""
    value = law.resolve(key, on).value
    if value is None:
        raise ValueError(
            f"the demo times decisions by {key!r}, which the law pack holds as unknown"
        )
    return int(value)


_PACK: Final = _law()

# --- LAW.md §1: conditions inside each type (Code; S), in the pack's order ---------------------
CONDITIONS: Final = cast("dict[str, tuple[Condition, ...]]", _PACK.conditions)

#: Months without a penalty after the first incentive no penalty has followed, for +1 (the engine's reading).
FIRST_POSITIVE_CLEAN_MONTHS: Final = _number(_PACK, "degrees.first_positive.months_without_penalty")
#: Months without a penalty after the +1 award (and membership), for +2.
SECOND_POSITIVE_CLEAN_MONTHS: Final = _number(
    _PACK, "degrees.second_positive.months_without_penalty"
)
#: Months without a penalty after the +2 award (and membership), for +3.
THIRD_POSITIVE_CLEAN_MONTHS: Final = _number(_PACK, "degrees.third_positive.months_without_penalty")

#: Months in regular conditions before regular -> light (complete: months of the sentence served).
REGULAR_TO_LIGHT_MONTHS: Final[dict[str, int]] = {
    t: _number(
        _PACK,
        f"conditions.{t}.regular_to_light."
        + ("months_served" if t == "complete" else "months_in_regular"),
    )
    for t in CASE_TYPES
}
#: (months in light, at most this many months before release) for light -> preferential.
LIGHT_TO_PREFERENTIAL: Final[dict[str, tuple[int, int]]] = {
    t: (
        _number(_PACK, f"conditions.{t}.light_to_preferential.months_in_light"),
        _number(_PACK, f"conditions.{t}.light_to_preferential.months_before_release"),
    )
    for t in CASE_TYPES
    if f"conditions.{t}.light_to_preferential.months_in_light" in _PACK.figures
}
#: Months in strict, and months without penalties, before strict -> regular.
#: Complete security: months in strict, and the +1 degree held instead of the clean period.
STRICT_TO_REGULAR_MONTHS: Final[dict[str, int]] = {
    t: _number(_PACK, f"conditions.{t}.strict_to_regular.months_in_strict") for t in CASE_TYPES
}


# --- LAW.md §4: visits per year: the law pack with its demo overlay --------------------------------
def _visits_per_year() -> dict[tuple[str, str], tuple[int, int]]:
    """(short, long) visits a calendar year by type and condition, read from the law pack with the
    demo overlay, so that the generator and the engine agree: extreme/regular (L-old) and
    mixed/regular (S) come from sources, every other figure is the overlay's illustrative one (D)."""
    law, on = _PACK, _LAW_ON
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for itype, conditions in law.conditions.items():
        for c in conditions:
            pair = tuple(
                int(law.resolve(f"entitlements.{itype}.{c}.{k}_visits_per_year", on).value or 0)
                for k in ("short", "long")
            )
            out[(itype, c)] = (pair[0], pair[1])
    return out


VISITS_PER_YEAR: Final[dict[tuple[str, str], tuple[int, int]]] = _visits_per_year()
#: A short visit's hours (the figure in force: the pack does not know the length before 2015).
SHORT_VISIT_HOURS: Final = _number(_PACK, "visits.short_visit_hours")
#: A long visit's days, the day that length took effect, and the length before that day.
LONG_VISIT_DAYS: Final = _number(_PACK, "visits.long_visit_days")
LONG_VISIT_DAYS_SINCE: Final = (
    _PACK.resolve("visits.long_visit_days", _LAW_ON).ref.valid_from or _LAW_ON
)
LONG_VISIT_DAYS_BEFORE: Final = _number(
    _PACK, "visits.long_visit_days", LONG_VISIT_DAYS_SINCE - timedelta(days=1)
)

# --- Generator choices (D): how decisions are timed, how people behave ---------------------------
#: A lawful decision comes this many days after the person qualifies (commission meets monthly).
#: The minimum of 4 days also keeps "no penalties in the last N months" safe at month ends.
DECISION_LAG_DAYS: Final = (4, 30)
#: A positive degree is revoked this many days after a penalty (the law is silent; P/D).
REVOCATION_LAG_DAYS: Final = (3, 30)
#: A negative degree is revoked after this many months without penalties (the law is silent; D).
NEGATIVE_REVOCATION_CLEAN_MONTHS: Final = 6
#: Recognition as malicious offender follows a malicious penalty this many days later.
RECOGNITION_LAG_DAYS: Final = (1, 14)
#: Share of malicious penalties followed by a recognition as malicious offender.
MALICIOUS_RECOGNITION_SHARE: Final = 0.85
#: Penalties in the last 6 months (counting this one) after which a person is recognised an
#: offender, and in the last 12 months for systematic offender (thresholds unknown in law: "?").
OFFENDER_PENALTIES_6_MONTHS: Final = 2
SYSTEMATIC_PENALTIES_12_MONTHS: Final = 3
#: Share of those thresholds actually followed by a recognition.
RECOGNITION_SHARE: Final = 0.5

#: Behaviour profiles: (share of people, incentives a year, penalties a year,
#: share of penalties that are malicious, share who join the organisation).
DISPOSITIONS: Final[dict[str, tuple[float, float, float, float, float]]] = {
    "good": (0.55, 2.0, 0.12, 0.05, 0.7),
    "average": (0.30, 1.2, 0.8, 0.10, 0.4),
    "bad": (0.15, 0.4, 3.0, 0.20, 0.05),
}
#: Share of prisoners with work, and the share with study (hours are recorded monthly).
WORK_SHARE: Final = 0.4
STUDY_SHARE: Final = 0.25
#: Chance that an assessment of attitude to work is "diligent": with work, without work.
DILIGENT_WITH_WORK: Final = 0.9
DILIGENT_WITHOUT_WORK: Final = 0.15
#: Expected case-format facts a year other than work assessments (incentives, penalties,
#: decisions, membership); work assessments fill the rest of the requested density.
OTHER_FACTS_PER_YEAR: Final = 4.0

#: Penalty and incentive kinds (free text in the case format; keys here).
PENALTY_KINDS: Final = ("warning", "reprimand", "disciplinary_isolator", "solitary_cell")
INCENTIVE_KINDS: Final = ("gratitude", "bonus", "extra_parcel", "extra_visit", "extra_phone_call")
#: Items of the list of malicious violations (LAW.md §2, seen in part).
MALICIOUS_ITEMS: Final = (
    "refused_paid_work",
    "late_return_from_leave",
    "alcohol_or_drugs",
    "gambling",
    "sexual_acts",
    "petty_hooliganism",
    "organising_group",
    "repeated_after_isolator",
)

#: Planted abuse kinds (each recorded in planted.jsonl) and their relative weights.
ABUSE_KINDS: Final[dict[str, float]] = {
    "delayed_award": 0.2,
    "penalty_before_qualifying": 0.15,
    "decision_without_grounds": 0.15,
    "grounds_ignored": 0.15,
    "visits_above_entitlement": 0.15,
    "visit_under_other_prisoner": 0.1,
    "visit_unapproved_visitor": 0.1,
}
#: Planted delays: days between qualifying and the award (lawful ones stay within DECISION_LAG).
PLANTED_DELAY_DAYS: Final = (90, 300)
#: A planted penalty lands this many days before the person would qualify.
PLANTED_PENALTY_BEFORE_DAYS: Final = (1, 30)
#: Ignored grounds are kept free of penalties for this many days, so the gap is visible.
PLANTED_IGNORED_CLEAN_DAYS: Final = 180
