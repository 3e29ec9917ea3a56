"""The law as its text says (issue 17): each rule, and every interpretation named, in kk, ru and en.

The cases are the project's own, in the case format, in tests/cases/law/.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
import pytest

from adaldyq.law import LawPack, Result, evaluate, parse_case
from adaldyq.law.messages import CONFIDENCE_NAMES, render_lines
from tests.languages import in_each_language

LAW = LawPack.load()
CASES = Path(__file__).resolve().parents[1] / "cases" / "law"
PROJECT = {"en": "the project's rule", "ru": "правило проекта", "kk": "жобаның ережесі"}


def _result(name: str, on: date | None = None, **person: object) -> Result:
    obj = orjson.loads((CASES / f"{name}.json").read_bytes())
    obj["person"].update(person)
    c = parse_case(obj)
    return evaluate(c.person, c.events, on=on or c.as_of, law=LAW, case_id=c.id)


def _says_p(line: str, lang: str) -> bool:
    return f"[{PROJECT[lang]}; P, {CONFIDENCE_NAMES[lang]['P']}]" in line


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize(
    ("case", "words"),
    [
        (
            "strict-ground-used",
            {
                "en": "has already led to strict conditions from 10 Mar 2022",
                "ru": "уже повлекло перевод в строгие условия с 10.03.2022",
                "kk": "10.03.2022 ж. бастап қатаң жағдайға ауыстыруға негіз болды",
            },
        ),
        (
            "light-work-never-assessed",
            {
                "en": "no assessment of the attitude to work is recorded, which counts as not diligent",
                "ru": "оценка отношения к труду в деле отсутствует и считается недобросовестной",
                "kk": "еңбекке қатынасының бағасы істе жоқ, ол адал емес деп есептеледі",
            },
        ),
        (
            "light-counted-from-the-sentence-start",
            {
                "en": "the months are counted from the start of the sentence (10 Jan 2022)",
                "ru": "месяцы отсчитываются от начала срока наказания (10.01.2022)",
                "kk": "жаза мерзімінің басталған күнінен (10.01.2022) бастап есептеледі",
            },
        ),
        (
            "degree1-from-the-latest-incentive",
            {
                "en": "the term ends on the day before the anniversary of its start",
                "ru": "срок оканчивается в день, предшествующий годовщине его начала",
                "kk": "мерзім оның басталған күнінің мерейлі күнінің алдындағы күні аяқталады",
            },
        ),
    ],
)
def test_each_interpretation_says_it_is_the_projects_rule_with_p(case, words, lang) -> None:
    lines = [line for line in render_lines(_result(case), lang) if words[lang] in line]

    assert lines, render_lines(_result(case), lang)
    assert all(_says_p(line, lang) for line in lines), lines


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_parole_from_the_day_after_the_part_is_served_says_p(lang) -> None:
    lines = render_lines(_result("degree1-from-the-latest-incentive", gravity="grave"), lang)
    words = {
        "en": "release is possible from the day after it is served",
        "ru": "освобождение возможно со дня, следующего за днём её отбытия",
        "kk": "босату ол өтелген күннің келесі күнінен бастап мүмкін",
    }[lang]

    assert [line for line in lines if words in line and _says_p(line, lang)]


def test_the_months_of_the_first_degree_run_from_the_latest_incentive_with_its_cost_noted() -> None:
    result = _result("degree1-from-the-latest-incentive")
    first = result.finding("degree.1")

    assert first.met_on == date(2022, 8, 1)
    assert first.confidence == "S"
    en = "\n".join(render_lines(result, "en"))
    assert "The months run from the latest incentive, as art. 95 says" in en
    assert "counted from the incentive of 1 Mar 2022 they would have ended earlier" in en


@in_each_language(
    kk=(
        "Қатаң жағдайға ауыстыруға негіз жоқ",
        "Қатаң жағдайға ауыстыруға 01.02.2023 ж. бастап негіз бар",
    ),
    ru=(
        "Оснований для перевода в строгие условия нет",
        "Основание для перевода в строгие условия имеется с 01.02.2023",
    ),
    en=(
        "Grounds for strict conditions: none",
        "Grounds for strict conditions: exist since 1 Feb 2023",
    ),
)
def test_strict_conditions_are_a_sanction_not_a_next_step(lang, none, since) -> None:
    used = render_lines(_result("strict-ground-used"), lang)
    new = render_lines(_result("strict-after-a-new-recognition"), lang)
    plain = render_lines(_result("light-work-never-assessed"), lang)

    assert none in [line.strip() for line in used]
    assert none in [line.strip() for line in plain]
    assert since in [line.strip() for line in new]
    for text in (used, new, plain):
        assert not [line for line in text if "strict conditions: not yet" in line]


def test_the_used_ground_names_the_day_it_was_used() -> None:
    cond = _result("strict-ground-used").finding("transfer.regular.strict").conditions[0]

    assert cond.code == "transfer.strict_ground_used"
    assert (cond.params["recognised_on"], cond.params["used_on"]) == (
        date(2022, 3, 1),
        date(2022, 3, 10),
    )
    assert cond.ref.confidence == "P"


@in_each_language(
    kk="Жеңілдікті жағдайға ауыстыру қарастырылмаған, өйткені өмір бойы бас бостандығынан айыру кезінде босату күні жоқ",
    ru="Перевод в льготные условия не предусмотрен, так как при пожизненном лишении свободы нет даты освобождения",
    en="Transfer to preferential conditions not available, as a life sentence has no date of release",
)
def test_for_a_life_sentence_preferential_conditions_are_not_available(lang, words) -> None:
    lines = [
        line.strip() for line in render_lines(_result("life-preferential-not-available"), lang)
    ]

    assert words in lines
    assert not [line for line in lines if "not yet" in line]


@in_each_language(
    kk="Назар аударыңыз: мекемеге келгені істе көрсетілмеген",
    ru="Внимание: в деле не отмечено прибытие в учреждение",
    en="Warning: the file records no arrival at the institution",
)
def test_a_missing_arrival_is_warned_of(lang, warning) -> None:
    lines = render_lines(_result("light-counted-from-the-sentence-start"), lang)

    assert f"  ! {warning}" in lines


def test_minimum_security_gives_a_right_to_receive_money_transfers_not_a_spending_limit() -> None:
    rights = {e.name: e for e in _result("minimum-money-transfers").entitlements}

    assert rights["money_transfers"].value == "unlimited"
    assert rights["money_transfers"].ref.confidence == "L"
    assert rights["money_mrp_per_month"].determinable is False
    ru = render_lines(_result("minimum-money-transfers"), "ru")
    assert any(line.startswith("  - получение денежных переводов — без ограничений") for line in ru)


@in_each_language(
    kk="жылына ұзақ мерзімді кездесу — анықтау мүмкін емес: 2019 жылдан бастап 2 жоспарланған, күшіне енгені белгісіз",
    ru="длительных свиданий в год — невозможно определить: 2 запланировано с 2019 г., вступление в силу не подтверждено",
    en="long visits a year — not determinable: 2 planned from 2019, not known to be in force",
)
def test_mixed_units_long_visits_are_planned_with_no_invented_date(lang, words) -> None:
    result = _result("mixed-long-visits-planned")
    long = next(e for e in result.entitlements if e.name == "long_visits_per_year")

    assert long.determinable is False
    assert long.planned == {"value": 2, "year": 2019}
    assert any(words in line for line in render_lines(result, lang))


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_no_line_has_two_colons_in_a_row_of_labels(lang) -> None:
    """ "Label: value: more" reads badly; a value that explains itself takes a dash."""
    for path in sorted(CASES.glob("*.json")):
        for line in render_lines(_result(path.stem), lang):
            plain = line.split("[")[0]
            assert plain.count(": ") <= 1 or "; " in plain, line
