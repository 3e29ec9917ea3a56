"""Parole and substitution of the unserved part: Criminal Code arts. 72, 73 (LAW.md §6)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

from adaldyq.core.dates import add_months, add_years
from adaldyq.core.person import Person
from adaldyq.law.explain import Condition, Finding, Ref, shared, weaker
from adaldyq.law.plan import Plan, ShareRule
from adaldyq.law.state import State

_PAROLE: Final = "CC art. 72"
_SUBSTITUTION: Final = "CC art. 73"
_GRAVITY_REFS: Final = {
    a: Ref("person.gravity", a, "?", "the case does not give the gravity of the offence")
    for a in (_PAROLE, _SUBSTITUTION)
}
#: Facts of the file the parole rules need and a file may not give (LAW.md §6): cited as missing facts.
_FILE_REFS: Final = {
    key: Ref(f"person.{key}", _PAROLE, "?", f"the file does not say ({key})")
    for key in ("corruption", "corruption_exception", "damage_compensated", "procedural_agreement")
}
#: "The file does not say": the same for everyone it applies to (shared: immutable).
_CORRUPTION_UNKNOWN: Final = shared(
    Condition("release.corruption_unknown", None, None, _FILE_REFS["corruption"], {})
)
_DAMAGE_UNKNOWN: Final = shared(
    Condition("release.damage_unknown", None, None, _FILE_REFS["damage_compensated"], {})
)
_NOT_AVAILABLE: Final = Ref(
    "substitution.fraction", _SUBSTITUTION, "L", "LAW.md §6: minor, medium or grave crimes only"
)


def _served_part(person: Person, share: ShareRule, st: State, plan: Plan) -> tuple[Condition, ...]:
    days = person.sentence.term_days
    assert days is not None  # noqa: S101 -- callers handle life sentences first
    if not share.known:
        return (
            Condition("release.fraction_served", None, None, share.ref, {"missing": share.key}),
        )
    need = -(-days * share.numerator // share.denominator)  # rounded up to whole days, in integers
    due = person.sentence.start + timedelta(need)  # days, given positionally (no keyword parsing)
    return (
        Condition(
            "release.fraction_served",
            st.on >= due,
            due,
            share.ref,
            {"fraction": share.text, "term_days": days, "days": need},
        ),
        plan.rounding_condition,
    )


def parole_finding(person: Person, st: State, plan: Plan) -> Finding:
    """The first day parole is possible: the part of the term actually served, at least N months (CC 72);
    none for a grave corruption crime unless the person is of a listed category."""
    if person.sentence.life:
        found = _life_parole(person, st, plan)
    elif person.gravity is None:
        cond = Condition("release.gravity_missing", None, None, _GRAVITY_REFS[_PAROLE], {})
        return Finding("parole", _PAROLE, "?", None, (cond,))
    else:
        conds = _served_part(person, plan.share("parole", person.gravity), st, plan)
        minimum = plan.parole_minimum
        if minimum.value is not None:
            floor = add_months(person.sentence.start, int(minimum.value))
            conds = (
                *conds,
                Condition(
                    "release.minimum_months",
                    st.on >= floor,
                    floor,
                    minimum.ref,
                    {"months": minimum.value},
                ),
            )
        found = _date_finding("parole", _PAROLE, conds)
    excluded = _corruption(person, st, plan)
    if excluded is None:
        return found
    # The date stands if the exclusion does not apply; when the file cannot say, the answer says so.
    met = found.met if excluded.met is True else (None if excluded.met is None else False)
    value = found.value if excluded.met is not False else None
    if excluded.params.get("exception") == "unknown":
        value = (
            None  # a corruption crime: parole only for the listed categories the file does not show
        )
    assert excluded.ref is not None  # noqa: S101 -- built with one
    return Finding(
        "parole",
        _PAROLE,
        weaker(found.confidence, excluded.ref.confidence),
        met,
        (*found.conditions, excluded),
        found.met_on if value is not None else None,
        value,
    )


def _life_parole(person: Person, st: State, plan: Plan) -> Finding:
    """Life imprisonment: 25 years, or 15 with a procedural agreement (LAW.md §6)."""
    fig = plan.parole_life_years
    agreement = person.procedural_agreement
    if agreement is True:
        fig = plan.parole_life_agreement
    if fig.value is None:
        return Finding(
            "parole",
            _PAROLE,
            "?",
            None,
            (Condition("release.life_years", None, None, fig.ref, {}),),
        )
    due = add_years(person.sentence.start, int(fig.value))
    code = "release.life_agreement" if agreement is True else "release.life_years"
    conds: tuple[Condition, ...] = (
        Condition(code, st.on >= due, due, fig.ref, {"years": fig.value}),
    )
    other = plan.parole_life_agreement
    if agreement is None and other.value is not None:
        # the shorter term with a procedural agreement: the file does not say whether there is one
        conds = (
            *conds,
            Condition(
                "release.life_agreement_unknown",
                None,
                None,
                _FILE_REFS["procedural_agreement"],
                {"years": other.value},
            ),
        )
    return Finding("parole", _PAROLE, fig.ref.confidence, st.on >= due, conds, due, due)


def _corruption(person: Person, st: State, plan: Plan) -> Condition | None:
    """The exclusion of grave corruption crimes from parole and its exceptions; None when it cannot
    apply (another gravity, not a corruption crime, or the figure unknown)."""
    gravities = plan.corruption_exclusion.value
    if not gravities or person.gravity not in gravities or person.corruption is False:
        return None
    if person.corruption is None:
        return _CORRUPTION_UNKNOWN
    age_fig = plan.corruption_age.get(person.sex)
    if age_fig is not None and age_fig.value is not None:
        age = _age(person.born, st.on)
        if age >= int(age_fig.value):
            return Condition(
                "release.corruption_exception_age", True, None, age_fig.ref, {"age": age_fig.value}
            )
    ages = {sex: r.value for sex, r in plan.corruption_age.items() if r.value is not None}
    # what is missing is a fact of the file (a listed category), not a figure of the law
    return Condition(
        "release.corruption_exception_unknown",
        None,
        None,
        _FILE_REFS["corruption_exception"],
        {"exception": "unknown", "women": ages.get("female"), "men": ages.get("male")},
    )


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def mandatory_parole_finding(person: Person, st: State, plan: Plan, parole: Finding) -> Finding:
    """Parole is mandatory once the part is served if the damage is fully compensated and no malicious
    violation is recorded (LAW.md §6, L). The file may not say whether the damage is compensated."""
    rule = plan.parole_mandatory
    if rule.value is not True or not isinstance(parole.value, date):
        return Finding("parole_mandatory", _PAROLE, rule.ref.confidence, False, (), None, None)
    due = parole.value
    served = Condition("release.part_served", st.on >= due, due, rule.ref, {"date": due})
    damage = damage_condition(person, st, plan, rule.ref)
    malicious = st.malicious
    clean = (
        Condition(
            "release.no_malicious_violations", False, None, rule.ref, {"malicious": malicious[-1]}
        )
        if malicious
        else plan.no_malicious_condition
    )
    conds = (served, damage, clean)
    if damage.met is False or clean.met is False:
        return Finding("parole_mandatory", _PAROLE, rule.ref.confidence, False, conds, None, None)
    if damage.met is None:
        return Finding("parole_mandatory", _PAROLE, "?", None, conds, None, None)
    if damage.met_on is not None and damage.met_on > due:
        due = damage.met_on  # mandatory from the payment that completed the compensation
    assert damage.ref is not None  # noqa: S101 -- built with one
    confidence = weaker(rule.ref.confidence, damage.ref.confidence)
    return Finding("parole_mandatory", _PAROLE, confidence, st.on >= due, conds, due, due)


def damage_condition(person: Person, st: State, plan: Plan, ref: Ref) -> Condition:
    """Whether the damage caused by the crime is fully compensated (LAW.md §6): when the file records
    the damage the court awarded, from the day the payments recorded reach it (the project's rule, P);
    otherwise as the file states it (`ref`'s rule), or not determinable when it does not say."""
    if st.damage_awarded is not None:
        paid = {
            "awarded": _tenge(st.damage_awarded),
            "paid": _tenge(st.damage_paid),
            "by_person": _tenge(st.damage_paid_by.get("person", 0.0)),
            "by_relatives": _tenge(st.damage_paid_by.get("relatives", 0.0)),
        }
        settled = st.damage_settled_on
        if settled is not None:
            return Condition("release.damage_paid", True, settled, plan.damage_payments.ref, paid)
        return Condition("release.damage_outstanding", False, None, plan.damage_payments.ref, paid)
    if person.damage_compensated is None:
        return _DAMAGE_UNKNOWN
    return Condition("release.damage_compensated", person.damage_compensated, None, ref, {})


def _tenge(amount: float) -> int | float:
    """A sum as the explanation writes it: whole tenge without a decimal point."""
    return int(amount) if amount == int(amount) else round(amount, 2)


def substitution_finding(person: Person, st: State, plan: Plan) -> Finding:
    """The first day the unserved part may be substituted with a milder punishment (CC 73)."""
    if person.sentence.life or person.gravity == "especially_grave":
        cond = Condition(
            "release.substitution_not_available",
            False,
            None,
            _NOT_AVAILABLE,
            {"life": person.sentence.life, "gravity": person.gravity},
        )
        return Finding("substitution", _SUBSTITUTION, "L", False, (cond,))
    if person.gravity is None:
        cond = Condition("release.gravity_missing", None, None, _GRAVITY_REFS[_SUBSTITUTION], {})
        return Finding("substitution", _SUBSTITUTION, "?", None, (cond,))
    found = _date_finding(
        "substitution",
        _SUBSTITUTION,
        _served_part(person, plan.share("substitution", person.gravity), st, plan),
    )
    rule = plan.substitution_grounds
    if rule.value is not True:
        return found  # the pack does not state the condition on this date
    ground = _substitution_ground(person, st, plan, rule.ref)
    conds = (*found.conditions, ground)
    assert ground.ref is not None  # noqa: S101 -- built with one
    confidence = weaker(found.confidence, ground.ref.confidence)
    if ground.met is False:
        return Finding("substitution", _SUBSTITUTION, confidence, False, conds)
    if ground.met is None:
        return Finding("substitution", _SUBSTITUTION, "?", None, conds)
    due = found.value
    if not isinstance(due, date):
        return Finding("substitution", _SUBSTITUTION, found.confidence, found.met, conds)
    if ground.met_on is not None and ground.met_on > due:
        due = ground.met_on
    return Finding("substitution", _SUBSTITUTION, confidence, st.on >= due, conds, due, due)


def _substitution_ground(person: Person, st: State, plan: Plan, ref: Ref) -> Condition:
    """CC 73 (LAW.md §6, L): the damage fully compensated, or no malicious violation recorded."""
    malicious = st.malicious
    if not malicious:
        return Condition("release.substitution_no_malicious", True, None, ref, {})
    damage = damage_condition(person, st, plan, ref)
    params = {**damage.params, "malicious": malicious[-1], "damage": damage.code}
    if damage.met is None:
        return Condition("release.substitution_damage_unknown", None, None, damage.ref, params)
    code = "release.substitution_damage_paid" if damage.met else "release.substitution_excluded"
    return Condition(code, damage.met, damage.met_on, damage.ref, params)


def _date_finding(fid: str, article: str, conds: tuple[Condition, ...]) -> Finding:
    due: date | None = None
    met = True
    confidence = "L"
    for c in conds:
        if c.ref is not None:
            confidence = weaker(confidence, c.ref.confidence)
        if c.code == "release.rounding":
            continue
        if c.met_on is None:
            return Finding(fid, article, "?", None, conds)
        if due is None or c.met_on > due:
            due = c.met_on
        met = met and bool(c.met)
    return Finding(fid, article, confidence, met, conds, due, due)
