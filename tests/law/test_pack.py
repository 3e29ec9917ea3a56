"""The law pack: dated figures, unknowns kept unknown, validation with clear errors, the overlay."""

import shutil
from datetime import date
from pathlib import Path

import pytest

from adaldyq.core.errors import FigureMissingError, LawPackError
from adaldyq.law import LawPack
from tests.law.conftest import person, run

PACK = Path(__file__).resolve().parents[2] / "src" / "adaldyq" / "law" / "packs" / "kz"


def test_a_long_visit_lasts_three_days_before_2015_and_two_after(kz_law) -> None:
    assert kz_law.resolve("visits.long_visit_days", date(2014, 12, 31)).value == 3
    assert kz_law.resolve("visits.long_visit_days", date(2015, 1, 1)).value == 2


def test_an_unknown_figure_is_none_with_confidence_unknown_never_zero(kz_law) -> None:
    r = kz_law.resolve("entitlements.medium.regular.short_visits_per_year", date(2024, 1, 1))

    assert r.value is None
    assert r.ref.confidence == "?"
    with pytest.raises(FigureMissingError, match="not determinable"):
        kz_law.require("entitlements.medium.regular.short_visits_per_year", date(2024, 1, 1))


def test_entitlements_say_not_determinable_where_the_pack_has_no_figure(kz_law) -> None:
    result = run(kz_law, person("medium"), [], date(2024, 1, 1))
    ents = {e.name: e for e in result.entitlements}

    assert ents["short_visits_per_year"].determinable is False
    assert ents["parcels_per_year"].value == 6
    assert ents["parcels_per_year"].ref.confidence == "L"


def test_the_mixed_units_long_visits_are_planned_not_known_to_be_in_force(kz_law) -> None:
    """LAW.md §4: "2 (from 2019, planned)": kept as planned, with no invented date of entry into force."""
    for on in (date(2018, 12, 31), date(2019, 1, 1), date(2026, 1, 1)):
        r = kz_law.resolve("entitlements.mixed.regular.long_visits_per_year", on)
        assert r.value is None
        assert r.ref.confidence == "?"
        assert r.planned == {"value": 2, "year": 2019}


def test_the_demo_overlay_fills_unknowns_with_demo_figures_and_changes_the_hash(kz_law) -> None:
    demo = LawPack.load(overlay="demo")
    r = demo.resolve("entitlements.medium.regular.short_visits_per_year", date(2024, 1, 1))

    assert r.value is not None
    assert r.ref.confidence == "D"
    assert demo.hash != kz_law.hash
    assert (
        demo.resolve(
            "entitlements.medium.regular.parcels_per_year", date(2024, 1, 1)
        ).ref.confidence
        == "L"
    )


def test_the_pack_hash_is_stable_across_loads(kz_law) -> None:
    assert LawPack.load().hash == kz_law.hash


def test_figures_before_the_code_came_into_force_are_not_determinable(kz_law) -> None:
    result = run(
        kz_law,
        person(start=date(2013, 1, 1)),
        [{"on": "2013-02-01", "type": "incentive"}],
        date(2014, 6, 1),
    )

    assert result.qualifies_for_degree is None


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    target = tmp_path / "kz"
    shutil.copytree(PACK, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("degrees.yaml", "confidence: S", "confidence: X", "confidence 'X' is not one of"),
        ("degrees.yaml", "value: 3", "value: null", "value null needs confidence '?'"),
        ("degrees.yaml", "valid_from: 2015-01-01", "valid_from: someday", "not a date"),
        ("degrees.yaml", "unit: months", "units: months", "unknown fields"),
        (
            "conditions/medium.yaml",
            "test: diligent_work",
            "test: bribe_paid",
            "unknown test 'bribe_paid'",
        ),
        (
            "conditions/minimum.yaml",
            "to: light",
            "to: preferential",
            "does not exist in minimum institutions",
        ),
        (
            "index.yaml",
            "  - parole.yaml\n",
            "  - parole.yaml\n  - nowhere.yaml\n",
            "law pack file missing",
        ),
    ],
)
def test_a_broken_pack_is_refused_with_the_file_and_the_field(
    pack_copy, file, old, new, message
) -> None:
    _edit(pack_copy / file, old, new)

    with pytest.raises(LawPackError, match=message):
        LawPack.load(pack_copy)


def test_an_amendment_closes_the_old_value_and_adds_a_new_one(pack_copy) -> None:
    _edit(
        pack_copy / "degrees.yaml",
        "        - valid_from: 2015-01-01\n          value: 3\n",
        "        - valid_from: 2015-01-01\n          valid_to: 2025-12-31\n          value: 3\n"
        "          source: seed 003\n          confidence: S\n"
        "        - valid_from: 2026-01-01\n          value: 2\n",
    )
    law = LawPack.load(pack_copy)

    assert (
        law.resolve("degrees.first_positive.months_without_penalty", date(2025, 12, 31)).value == 3
    )
    assert law.resolve("degrees.first_positive.months_without_penalty", date(2026, 1, 1)).value == 2


def test_overlapping_values_are_refused(pack_copy) -> None:
    _edit(
        pack_copy / "degrees.yaml",
        "        - valid_from: 2015-01-01\n          value: 3\n",
        "        - valid_from: 2015-01-01\n          value: 3\n          source: s\n          confidence: S\n"
        "        - valid_from: 2020-01-01\n          value: 2\n",
    )

    with pytest.raises(LawPackError, match="values overlap"):
        LawPack.load(pack_copy)


def test_one_plan_serves_the_dates_between_two_changes_of_a_figure(kz_law) -> None:
    """`LawPack.plan` is kept per period in which no figure starts or stops (a review asks at
    hundreds of dates): the same plan on 2 January and 30 December 2016, another across the change
    of the long visit's length on 1 January 2015, and what a plan resolves is the date's own."""
    within = kz_law.plan(date(2016, 1, 2))
    assert kz_law.plan(date(2016, 12, 30)) is within
    before, after = kz_law.plan(date(2014, 12, 31)), kz_law.plan(date(2015, 1, 1))
    assert before is not after
    for plan, day in ((before, date(2014, 12, 31)), (after, date(2015, 1, 1))):
        for key in kz_law.figures:
            assert kz_law.resolve(key, plan.on) == kz_law.resolve(key, day), key
