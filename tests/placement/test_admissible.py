"""What the transfer and placement rules refuse (adaldyq.placement.admissible), without a database."""

from __future__ import annotations

import pytest

from adaldyq.placement import Profile, Site, placement_refusals, transfer_refusals
from tests.placement.conftest import ON, profile, site

HERE = site("M-ALM", "almaty")  # the man of `profile()` lives in Karaganda


def _codes(
    *,
    target: Site,
    who: Profile | None = None,
    ground: str = "closer_to_home",
    consent: bool | None = None,
) -> list[str]:
    found = transfer_refusals(
        who or profile(), here=HERE, target=target, ground=ground, on=ON, consent=consent
    )
    return [r.code for r in found]


def test_a_nearer_institution_of_the_same_kind_is_admitted() -> None:
    assert _codes(target=site("M-KAR", "karaganda")) == []


@pytest.mark.parametrize(
    ("target", "code"),
    [
        (site("F-KAR", "karaganda", sex="female"), "transfer.wrong_sex"),
        (site("X-KAR", "karaganda", "maximum"), "transfer.wrong_type"),
        (site("E-KAR", "karaganda", "extreme"), "transfer.wrong_type"),
        (site("S-KAR", "karaganda", "mixed"), "transfer.mixed_unit"),
        (site("J-KAR", "karaganda", minors=True), "transfer.adults_only"),
        (site("M-MAN", "mangystau"), "transfer.not_closer"),
        (HERE, "transfer.same_institution"),
    ],
)
def test_each_rule_refuses_its_case(target: Site, code: str) -> None:
    assert code in _codes(target=target)


@pytest.mark.parametrize(("offset", "refused"), [(0.0, True), (-0.5, False), (0.5, True)])
def test_closer_to_home_means_strictly_nearer_the_home_region_centre(
    offset: float, refused: bool
) -> None:
    """The same place as now is not closer; half a degree towards Karaganda is, away is not."""
    target = site("M-ALM2", "almaty", offset=-offset)  # Karaganda lies north of Almaty

    assert ("transfer.not_closer" in _codes(target=target)) is refused


def test_another_ground_does_not_ask_for_a_nearer_institution() -> None:
    assert _codes(target=site("M-MAN", "mangystau"), ground="safety") == []


def test_a_ground_art_88_does_not_know_is_refused() -> None:
    assert _codes(target=site("M-KAR", "karaganda"), ground="bribe") == ["transfer.unknown_ground"]


def test_the_type_unknown_is_refused_not_guessed() -> None:
    assert _codes(target=site("M-KAR", "karaganda"), who=profile(type_="")) == [
        "transfer.type_unknown"
    ]


def test_no_home_region_cannot_be_closer_to_home() -> None:
    assert _codes(target=site("M-KAR", "karaganda"), who=profile(home="")) == [
        "transfer.home_unknown"
    ]


@pytest.mark.parametrize(("consent", "refused"), [(None, False), (False, True), (True, False)])
def test_operational_need_needs_consent_when_a_decision_says_whether_it_was_given(
    consent: bool | None, refused: bool
) -> None:
    codes = _codes(target=site("M-KAR", "karaganda"), ground="operational_need", consent=consent)

    assert ("transfer.consent_missing" in codes) is refused


def test_a_minor_is_refused_an_adult_institution() -> None:
    codes = _codes(target=site("M-KAR", "karaganda"), who=profile(minor=True))

    assert codes == ["transfer.minors_only"]


def test_each_refusal_cites_its_rule() -> None:
    (refusal,) = transfer_refusals(
        profile(), here=HERE, target=site("F-KAR", "karaganda", sex="female"),
        ground="closer_to_home", on=ON,
    )  # fmt: skip

    assert refusal.ref.article == "Mandela Rule 11(a); Code art. 88"


def test_a_placement_may_go_to_a_mixed_unit_but_never_to_the_other_sex_or_type() -> None:
    def codes(target: Site) -> list[str]:
        return [r.code for r in placement_refusals(profile(), target, on=ON)]

    assert codes(site("S-KAR", "karaganda", "mixed")) == []
    assert codes(site("F-KAR", "karaganda", sex="female")) == ["transfer.wrong_sex"]
    assert codes(site("X-KAR", "karaganda", "maximum")) == ["transfer.wrong_type"]
