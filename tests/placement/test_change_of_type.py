"""Change of type by court, Code art. 96 (LAW.md §5): fractions, degree, conditions, exclusions."""

from __future__ import annotations

from datetime import date

import pytest

from adaldyq.core.errors import InputError
from adaldyq.placement import TypeChangeCase, change_of_type

START = date(2020, 1, 1)
TERM = 1200  # days: 1/4 = 300, 1/3 = 400, 1/2 = 600, 2/3 = 800


def case(**kw) -> TypeChangeCase:
    base = {
        "person": "PF-1",
        "type": "medium",
        "condition": "light",
        "degree": 2,
        "gravity": "medium",
        "sentence_start": START,
        "term_days": TERM,
    }
    return TypeChangeCase(**{**base, **kw})


@pytest.mark.parametrize(
    ("gravity", "reoffended", "days"),
    [("minor", False, 300), ("medium", False, 300), ("grave", False, 400), ("grave", True, 800)],
)
def test_medium_to_minimum_after_the_fraction_of_the_term_for_the_gravity(
    gravity: str, reoffended: bool, days: int
) -> None:
    due = date.fromordinal(START.toordinal() + days)
    c = case(gravity=gravity, reoffended_after_release=reoffended)

    before = change_of_type(c, on=date.fromordinal(due.toordinal() - 1))
    on_the_day = change_of_type(c, on=due)

    assert before is not None
    assert on_the_day is not None
    assert before.eligible is False
    assert on_the_day.eligible is True
    assert on_the_day.to_types == ("minimum",)
    assert on_the_day.served_on == on_the_day.eligible_from == due


def test_the_fraction_is_rounded_up_to_whole_days() -> None:
    result = change_of_type(case(term_days=1201), on=START)  # 1201 / 4 = 300.25 -> 301

    assert result is not None
    assert result.served_on == date.fromordinal(START.toordinal() + 301)


@pytest.mark.parametrize(
    ("changes", "unmet"),
    [
        ({"degree": 1}, "type_change.degree_held"),
        ({"condition": "regular"}, "type_change.condition_held"),
        ({"gravity": "especially_grave"}, "type_change.not_excluded"),
        ({"exclusions": frozenset({"dangerous_recidivism"})}, "type_change.not_excluded"),
        (
            {"exclusions": frozenset({"corruption_damage_uncompensated"})},
            "type_change.not_excluded",
        ),
        ({"exclusions": frozenset({"terrorist_or_extremist"})}, "type_change.not_excluded"),
    ],
)
def test_minimum_security_needs_the_degree_the_condition_and_no_exclusion(
    changes: dict, unmet: str
) -> None:
    result = change_of_type(case(**changes), on=date(2030, 1, 1))

    assert result is not None
    assert result.eligible is False
    assert result.eligible_from is None
    assert [c.code for c in result.conditions if c.met is False] == [unmet]


def test_the_third_positive_degree_and_preferential_conditions_qualify_too() -> None:
    result = change_of_type(case(degree=3, condition="preferential"), on=date(2030, 1, 1))

    assert result is not None
    assert result.eligible is True


@pytest.mark.parametrize(("since", "eligible"), [(None, True), (date(2021, 1, 1), False)])
def test_complete_security_to_maximum_or_medium_after_half_the_term_served_there(
    since: date | None, eligible: bool
) -> None:
    on = date.fromordinal(START.toordinal() + 600)
    result = change_of_type(case(type="complete", condition="regular", in_type_since=since), on=on)

    assert result is not None
    assert result.to_types == ("maximum", "medium")
    assert result.eligible is eligible


def test_the_figures_are_cited_as_art_96_from_law_md_in_translation() -> None:
    result = change_of_type(case(), on=date(2030, 1, 1))

    assert result is not None
    refs = {c.ref.key: c.ref for c in result.conditions if c.ref}
    assert refs["change_of_type.to_minimum.fraction.medium"].confidence == "L"
    assert refs["change_of_type.to_minimum.fraction.medium"].source == "LAW.md §5"
    assert refs["change_of_type.to_minimum.fraction.medium"].article == "PEC art. 96"


def test_types_art_96_does_not_open_give_nothing_and_life_is_not_determinable() -> None:
    assert change_of_type(case(type="minimum"), on=START) is None
    assert change_of_type(case(type="extreme"), on=START) is None
    life = change_of_type(case(type="complete", term_days=None), on=START)
    assert life is not None
    assert life.eligible is None


def test_an_unknown_exclusion_is_refused() -> None:
    with pytest.raises(InputError, match="exclusions"):
        change_of_type(case(exclusions=frozenset({"jaywalking"})), on=START)
