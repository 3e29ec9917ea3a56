"""The law pack resolved for one date: what every rule needs, looked up once for a whole population.

A population is evaluated on one date (a batch, a review at a past date), so the figures, their
references, the transfers out of each condition and the weakest confidence of each finding are the same
for everyone. `LawPack.plan(on)` builds a `Plan` once for each period in which no figure changes and
keeps it (`Plan.on` is the period's first day); the rules then read plain attributes instead of
resolving figures person by person (ADR 0013).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final

from adaldyq.law.explain import Condition, Ref, shared, weakest

if TYPE_CHECKING:
    from adaldyq.law.pack import LawPack, Resolved

DEGREE_KEYS: Final = (
    "degrees.first_positive.months_without_penalty",
    "degrees.second_positive.months_without_penalty",
    "degrees.third_positive.months_without_penalty",
)
#: The project's reading each test may rest on (`TestRule.extra`), from the pack's interpretations.
_EXTRA: Final = {
    "diligent_work": "interpretations.work_never_assessed",
    "months_in_condition": "interpretations.months_from_sentence_start",
    "holds_degree": "interpretations.strict_ground_used",
}


@dataclass(slots=True)
class DegreeRule:
    """A positive degree on the date: the months without penalty it needs (None when unknown)."""

    degree: int
    id: str
    ref: Ref
    months: int | None
    #: The finding's confidence: the figure's (the months run as the text says; LAW.md §2).
    confidence: str
    code_clean: str
    code_elapsed: str


@dataclass(slots=True)
class TestRule:
    """One test of a transfer with its figure resolved for the date."""

    test: str
    code: str
    ref: Ref
    #: The figure's value (None when unknown; always None for `diligent_work`, which reads none).
    value: Any
    #: `int(value)` when the figure is a number, else 0.
    number: int
    #: The project's reading the test rests on in some cases (P): a work assessment never made, the
    #: months in regular counted from the sentence start, a recognition already used for strict.
    extra: Ref | None = None


@dataclass(slots=True)
class TransferRule:
    """A transfer out of one condition, its tests resolved for the date."""

    id: str
    to: str
    tests: tuple[TestRule, ...]
    #: The weakest confidence among its tests' figures and P (the project's reading of LAW.md §0).
    confidence: str


@dataclass(slots=True)
class ShareRule:
    """A part of the term to serve (parole or substitution, by gravity) on the date."""

    key: str
    ref: Ref
    known: bool
    numerator: int
    denominator: int
    text: str


class Plan:
    """The law pack on one date (build with `LawPack.plan`)."""

    def __init__(self, law: LawPack, on: date) -> None:
        self.on = on
        self._law = law
        self.degrees: tuple[DegreeRule, DegreeRule, DegreeRule] = (
            self._degree(1),
            self._degree(2),
            self._degree(3),
        )
        self._transfers: dict[tuple[str, str], tuple[TransferRule, ...]] = {}
        #: Release ("parole", "substitution") -> gravity -> its share, resolved on first use.
        self._shares: dict[str, dict[str, ShareRule]] = {"parole": {}, "substitution": {}}
        self.rounding: Resolved = law.resolve("parole.rounding", on)
        #: The rounding of served parts, the same for everyone on the date (shared: treat as immutable).
        self.rounding_condition = shared(
            Condition("release.rounding", True, None, self.rounding.ref, {})
        )
        #: The end of a term, a project rule (P) every release date rests on (shared: immutable).
        self.term_end_condition = shared(
            Condition("release.term_end", True, None, law.resolve("time.term_end", on).ref, {})
        )
        self.parole_minimum: Resolved = law.resolve("parole.minimum_months", on)
        self.parole_life_years: Resolved = law.resolve("parole.life_years", on)
        self.parole_life_agreement: Resolved = law.resolve("parole.life_years_with_agreement", on)
        #: LAW.md §6's exclusion of grave corruption crimes, its exceptions, and mandatory parole.
        self.corruption_exclusion: Resolved = law.resolve("parole_rules.corruption_exclusion", on)
        self.corruption_exceptions: Resolved = law.resolve("parole_rules.corruption_exceptions", on)
        self.corruption_age: dict[str, Resolved] = {
            "female": law.resolve("parole_rules.corruption_exception_age_women", on),
            "male": law.resolve("parole_rules.corruption_exception_age_men", on),
        }
        self.parole_mandatory: Resolved = law.resolve("parole_rules.mandatory", on)
        #: Substitution's condition (CC 73) and the project's reading of the damage paid (issue 19).
        self.substitution_grounds: Resolved = law.resolve("substitution_rules.grounds", on)
        self.damage_payments: Resolved = law.resolve("damage.payments_decide", on)
        #: No malicious violation recorded, a ground of mandatory parole (shared: immutable).
        self.no_malicious_condition = shared(
            Condition("release.no_malicious_violations", True, None, self.parole_mandatory.ref, {})
        )

    def _degree(self, k: int) -> DegreeRule:
        res = self._law.resolve(DEGREE_KEYS[k - 1], self.on)
        months = None if res.value is None else int(res.value)
        return DegreeRule(
            k,
            f"degree.{k}",
            res.ref,
            months,
            res.ref.confidence,
            f"degree.{k}.no_penalty_since",
            f"degree.{k}.months_elapsed",
        )

    def share(self, release: str, gravity: str) -> ShareRule:
        """The part of the term to serve before `release` ("parole", "substitution") for `gravity`;
        LawPackError when the pack has no such figure."""
        by_gravity = self._shares.get(release)
        if by_gravity is None:
            by_gravity = self._shares[release] = {}
        hit = by_gravity.get(gravity)
        if hit is None:
            hit = by_gravity[gravity] = self._share(f"{release}.fraction.{gravity}")
        return hit

    def _share(self, key: str) -> ShareRule:
        res = self._law.resolve(key, self.on)
        if res.value is None:
            return ShareRule(key, res.ref, False, 0, 1, "")
        share = Fraction(str(res.value))
        return ShareRule(key, res.ref, True, share.numerator, share.denominator, str(share))

    def transfers(self, institution: str, condition: str) -> tuple[TransferRule, ...]:
        """The transfers the pack defines out of `condition` in an institution of that type."""
        hit = self._transfers.get((institution, condition))
        if hit is not None:
            return hit
        out: list[TransferRule] = []
        for t in self._law.transfers_from(institution, condition):
            tests: list[TestRule] = []
            for c in t.criteria:
                key = _EXTRA.get(c.test)
                extra = self._law.resolve(key, self.on).ref if key else None
                if c.figure is None:
                    ref = self._law.resolve("interpretations.diligent_work", self.on).ref
                    tests.append(TestRule(c.test, f"transfer.{c.test}", ref, None, 0, extra))
                    continue
                res = self._law.resolve(c.figure, self.on)
                number = int(res.value) if isinstance(res.value, int | float) else 0
                tests.append(
                    TestRule(c.test, f"transfer.{c.test}", res.ref, res.value, number, extra)
                )
            confidence = weakest(*(x.ref.confidence for x in tests), "P")
            out.append(TransferRule(f"transfer.{condition}.{t.to}", t.to, tuple(tests), confidence))
        result = self._transfers[(institution, condition)] = tuple(out)
        return result
