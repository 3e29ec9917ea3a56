"""The rest of LAW.md §6 from the law pack (issue 17): the corruption exclusion, mandatory parole, and
the 15-year life option; what the file does not say is said to be missing, never guessed."""

from __future__ import annotations

from datetime import date

import pytest

from adaldyq.law import LawPack
from adaldyq.law.messages import render_lines
from tests.languages import in_each_language
from tests.law.conftest import ev, person, run

LAW = LawPack.load()
ARRIVED = [ev("2020-02-01", "arrived")]
ON = date(2024, 1, 1)


def _parole(**facts):
    return run(LAW, person(start=date(2020, 1, 10), years=9, **facts), ARRIVED, ON)


def test_a_grave_crime_not_known_to_be_a_corruption_crime_keeps_its_date_and_says_what_is_missing():
    r = _parole(gravity="grave")
    f = r.finding("parole")

    assert r.parole_from == date(2024, 7, 11)
    assert f.met is None
    assert f.conditions[-1].code == "release.corruption_unknown"
    assert f.conditions[-1].ref.key == "person.corruption"
    en = "\n".join(render_lines(r, "en"))
    assert (
        "unless the crime is a grave or especially grave corruption crime, which the file does not say"
        in en
    )


def test_a_grave_corruption_crime_gives_no_date_unless_a_listed_category_is_shown():
    r = _parole(gravity="grave", corruption=True)

    assert r.parole_from is None
    assert r.finding("parole").conditions[-1].code == "release.corruption_exception_unknown"
    kk = "\n".join(render_lines(r, "kk"))
    assert "63 жастан асқан ер адамға" in kk


@pytest.mark.parametrize(
    ("sex", "born", "excepted"),
    [
        ("male", date(1961, 1, 1), True),  # 63 on 2024-01-01
        ("male", date(1961, 1, 2), False),  # 62
        ("female", date(1966, 1, 1), True),  # 58
        ("female", date(1966, 1, 2), False),
    ],
)
def test_the_age_exception_is_read_from_the_pack(sex, born, excepted):
    r = _parole(gravity="especially_grave", corruption=True, sex=sex, born=born)

    assert (r.parole_from is not None) is excepted


def test_a_crime_that_is_not_a_corruption_crime_is_not_excluded():
    r = _parole(gravity="grave", corruption=False)

    assert r.finding("parole").conditions[-1].code == "release.minimum_months"


def test_mandatory_parole_needs_the_damage_compensated_and_no_malicious_violation():
    unknown = _parole(gravity="medium")
    paid = _parole(gravity="medium", damage_compensated=True)
    malicious = run(
        LAW,
        person(start=date(2020, 1, 10), years=9, gravity="medium", damage_compensated=True),
        [*ARRIVED, ev("2021-01-01", "penalty", malicious=True)],
        ON,
    )

    assert unknown.finding("parole_mandatory").met is None
    assert paid.finding("parole_mandatory").value == paid.parole_from == date(2023, 1, 10)
    assert paid.finding("parole_mandatory").confidence == "L"
    assert malicious.finding("parole_mandatory").met is False
    ru = "\n".join(render_lines(unknown, "ru"))
    assert (
        "Обязательное условно-досрочное освобождение — невозможно определить: в деле нет этих сведений"
        in ru
    )
    assert "в деле не указано, возмещён ли он" in ru


def test_life_parole_after_15_years_with_a_procedural_agreement_and_25_without():
    with_agreement = _parole(life=True, procedural_agreement=True)
    without = _parole(life=True, procedural_agreement=False)
    unknown = _parole(life=True)

    assert with_agreement.parole_from == date(2035, 1, 10)
    assert without.parole_from == unknown.parole_from == date(2045, 1, 10)
    codes = [c.code for c in unknown.finding("parole").conditions]
    assert codes == ["release.life_years", "release.life_agreement_unknown"]
    assert (
        "with a procedural agreement 15 years suffice; the file does not say whether there is one"
        in ("\n".join(render_lines(unknown, "en")))
    )


@pytest.mark.parametrize(
    ("key", "value", "confidence"),
    [
        ("parole_rules.mandatory", True, "L"),
        ("parole.life_years_with_agreement", 15, "S"),
        ("visitors.who_may_visit", ["spouse", "close_relative", "parent_of_common_child"], "S"),
        ("visitors.others", None, "?"),
        ("phone_calls.in_strict_conditions", "exceptional personal circumstances only", "L"),
        ("degrees.malicious_violation.repeat_window_months", 6, "L"),
        ("change_of_type.to_minimum.fraction.grave", "1/3", "L"),
        ("grounds.operational_need", {"art88": True, "consent": True, "same_type": True}, "S"),
    ],
)
def test_every_rule_of_law_md_is_in_the_dated_pack(key, value, confidence):
    r = LAW.resolve(key, ON)

    assert (r.value, r.ref.confidence) == (value, confidence)
    assert r.ref.article
    assert r.ref.source


@in_each_language(
    kk="қатаң жағдайда телефон арқылы сөйлесу — тек ерекше жеке жағдайларда",
    ru="телефонные разговоры в строгих условиях — только при исключительных личных обстоятельствах",
    en="phone calls in strict conditions — only in exceptional personal circumstances",
)
def test_in_strict_conditions_phone_calls_are_only_for_exceptional_circumstances(lang, words):
    events = [*ARRIVED, ev("2021-01-01", "condition_changed", to="strict")]
    strict = run(LAW, person(start=date(2020, 1, 10), years=9), events, ON)
    regular = _parole()

    assert "phone_calls_in_strict" in {e.name for e in strict.entitlements}
    assert "phone_calls_in_strict" not in {e.name for e in regular.entitlements}
    assert any(line.startswith(f"  - {words} [") for line in render_lines(strict, lang))
