"""The explanation records' helpers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adaldyq.law.explain import CONFIDENCES, weaker, weakest
from tests.languages import in_each_language

codes = st.sampled_from([*CONFIDENCES, "X"])  # "X": a code the ranking does not know (weakest)


@given(codes, codes)
def test_weaker_of_two_is_weakest_of_the_two(a: str, b: str) -> None:
    assert weaker(a, b) == weakest(a, b)


def test_weakest_ranks_the_codes_of_law_md() -> None:
    assert weakest("L", "S", "P") == "P"
    assert weakest("L", "L-old") == "L-old"
    assert weakest("D", "?") == "?"
    assert weakest() == "L"


@pytest.mark.parametrize(
    ("article", "en", "ru", "kk"),
    [
        ("PEC art. 95", "PEC art. 95", "ст. 95 УИК РК", "ҚР ҚАК 95-бабы"),
        ("CC art. 72", "CC art. 72", "ст. 72 УК РК", "ҚР ҚК 72-бабы"),
        ("PEC arts. 134-145", "PEC arts. 134–145", "ст. 134–145 УИК РК", "ҚР ҚАК 134–145-баптары"),
        (
            "PEC arts. 136, 138, 140",
            "PEC arts. 136, 138, 140",
            "ст. 136, 138, 140 УИК РК",
            "ҚР ҚАК 136, 138, 140-баптары",
        ),
        (
            "Code art. 88 (3)",
            "Code art. 88 (3)",
            "п. 3 ст. 88 УИК РК",
            "ҚР ҚАК 88-бабының 3-тармағы",
        ),
        ("PEC", "PEC", "УИК РК", "ҚР ҚАК"),
        ("LAW.md §6", "the project's rule", "правило проекта", "жобаның ережесі"),
        ("project rule", "the project's rule", "правило проекта", "жобаның ережесі"),
    ],
)
def test_articles_are_cited_as_readers_of_each_language_cite_them(
    article: str, en: str, ru: str, kk: str
) -> None:
    from adaldyq.law.messages import article_name

    assert [article_name(article, lang) for lang in ("en", "ru", "kk")] == [en, ru, kk]


@in_each_language(
    kk=("істе бұл мәлімет жоқ", "заң пакетінде көрсеткіш жоқ"),
    ru=("в деле нет этих сведений", "показателя нет в пакете законов"),
    en=("the file does not give it", "figure missing from the law pack"),
)
def test_an_answer_missing_a_fact_of_the_file_says_so_not_that_the_law_lacks_a_figure(
    lang: str, fact: str, figure: str
) -> None:
    from datetime import date

    from adaldyq.law import LawPack
    from adaldyq.law.messages import render_lines
    from tests.law.conftest import ev, person, run

    law = LawPack.load()
    no_gravity = run(law, person(), [ev("2022-01-20", "arrived")], date(2023, 1, 1))
    graded = run(
        law,
        person(gravity="grave", corruption=False, damage_compensated=True),
        [ev("2022-01-20", "arrived")],
        date(2023, 1, 1),
    )

    lines = render_lines(no_gravity, lang)
    parole = [line for line in lines if fact in line]
    assert len(parole) >= 4  # parole, substitution and their conditions
    assert not any(figure in line for line in parole)
    assert not any(fact in line for line in render_lines(graded, lang))


def test_references_inside_a_rule_text_are_cited_in_the_language() -> None:
    from adaldyq.law.messages import article_name

    rule = "PEC arts. 95, 103 (LAW.md §2-3); CC art. 72"
    assert article_name(rule, "ru") == "ст. 95, 103 УИК РК (LAW.md §2-3); ст. 72 УК РК"
    assert article_name(rule, "kk") == "ҚР ҚАК 95, 103-баптары (LAW.md §2-3); ҚР ҚК 72-бабы"
    assert article_name(rule, "en") == rule
    assert (
        article_name("Code art. 88; Mandela Rule 59", "ru")
        == "ст. 88 УИК РК; правило 59 Правил Нельсона Манделы"
    )
    assert (
        article_name("Code art. 88; Mandela Rule 59", "kk")
        == "ҚР ҚАК 88-бабы; Нельсон Мандела ережелерінің 59-ережесі"
    )
