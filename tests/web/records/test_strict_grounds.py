"""The file page names strict conditions as a sanction and transfers as whole phrases (issue 17)."""

from __future__ import annotations

from datetime import date

from django.utils import translation

from adaldyq.law import LawPack
from adaldyq.web.records.explanation import NONE, explanation
from tests.languages import in_each_language
from tests.law.conftest import ev, person, run

LAW = LawPack.load()


def _steps(events, lang):
    result = run(LAW, person(), [ev("2022-02-01", "arrived"), *events], date(2023, 3, 1))
    with translation.override(lang):
        return {s.id: s for s in explanation(result, lang, waiting_flagged_after=30).steps}


@in_each_language(
    kk=("Жеңілдетілген жағдайға ауыстыру", "Қатаң жағдайға ауыстыруға негіздер"),
    ru=("Перевод в облегчённые условия", "Основания для перевода в строгие условия"),
    en=("Transfer to light conditions", "Grounds for strict conditions"),
)
def test_strict_conditions_have_grounds_none_or_since_never_a_next_step(
    lang, light, strict
) -> None:
    plain = _steps([], lang)
    recognised = _steps([ev("2023-02-01", "recognised", **{"as": "malicious_offender"})], lang)

    assert plain["transfer.regular.light"].heading == light
    ground = plain["transfer.regular.strict"]
    assert (ground.heading, ground.state, ground.criteria) == (strict, NONE, ())
    order = list(plain)
    assert order.index("transfer.regular.strict") > order.index("transfer.regular.light")
    assert recognised["transfer.regular.strict"].state == "met"
    assert recognised["transfer.regular.strict"].met_on == date(2023, 2, 1)


@in_each_language(
    kk="сыбайлас жемқорлық қылмысы екені туралы мәлімет",
    ru="является ли преступление коррупционным",
    en="whether the crime is a corruption crime",
)
def test_a_fact_the_parole_rules_need_is_named_as_missing_from_the_file(lang, words) -> None:
    result = run(LAW, person(gravity="grave"), [ev("2022-02-01", "arrived")], date(2023, 3, 1))
    with translation.override(lang):
        steps = {s.id: s for s in explanation(result, lang, waiting_flagged_after=30).steps}

    assert any(words in m for m in steps["parole"].missing)
