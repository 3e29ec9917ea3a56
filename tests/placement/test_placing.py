"""Placement after sentence: the nearest institution of the right kind with room, explained."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adaldyq.core.errors import InputError
from adaldyq.core.regions import load_regions
from adaldyq.placement import Site, is_right_kind, propose_placement, site_distance_km
from tests.placement.conftest import ON, REGISTER, profile, site


def test_the_nearest_institution_of_the_right_kind_with_room_is_proposed() -> None:
    proposal = propose_placement(profile(), REGISTER, {}, on=ON)

    assert proposal.institution == "UK-AST"
    assert proposal.outcome == "placement.nearest_free"
    assert not proposal.over_capacity


@pytest.mark.parametrize(("held", "proposed"), [(99, "UK-AST"), (100, "UK-PAV"), (130, "UK-PAV")])
def test_an_institution_is_passed_over_from_the_day_it_holds_its_limit(
    held: int, proposed: str
) -> None:
    proposal = propose_placement(profile(), REGISTER, {"UK-AST": held}, on=ON)

    assert proposal.institution == proposed


def test_when_every_institution_of_the_kind_is_full_the_nearest_is_proposed_over_its_limit() -> (
    None
):
    full = {"UK-AST": 100, "UK-PAV": 100, "UK-ALA": 100}

    proposal = propose_placement(profile(), REGISTER, full, on=ON)

    assert proposal.institution == "UK-AST"
    assert proposal.over_capacity
    assert proposal.outcome == "placement.all_full"
    pav = next(a for a in proposal.alternatives if a.institution == "UK-PAV")
    assert pav.reasons == ("placement.full", "placement.farther")


def test_no_institution_of_the_kind_gives_no_proposal() -> None:
    proposal = propose_placement(profile(type_="extreme"), REGISTER, {}, on=ON)

    assert proposal.institution is None
    assert proposal.outcome == "placement.none_of_kind"
    assert len(proposal.alternatives) == len(REGISTER)


def test_every_other_institution_is_listed_with_why_it_was_not_chosen() -> None:
    proposal = propose_placement(profile(), REGISTER, {"SI-KAR": 50}, on=ON)

    reasons = {a.institution: a.reasons for a in proposal.alternatives}
    assert reasons == {
        "UK-KAR-MAX": ("placement.wrong_type",),
        "UK-PAV": ("placement.farther",),
        "UK-ALA": ("placement.farther",),
        "UK-KAR-W": ("placement.wrong_sex",),
        "UK-KAR-MIN": ("placement.adults_only",),
        "UK-KAR-MED": ("placement.medical_reserved",),
        "SI-KAR": ("placement.mixed_unit", "placement.full"),
    }
    pav = next(a for a in proposal.alternatives if a.institution == "UK-PAV")
    assert pav.farther_by_km == pytest.approx(pav.distance_km - proposal.distance_km)
    assert all(a.refs for a in proposal.alternatives)
    kms = [a.distance_km for a in proposal.alternatives]
    assert kms == sorted(kms)


@pytest.mark.parametrize(
    ("who", "proposed"),
    [
        (profile(minor=True), "UK-KAR-MIN"),
        (profile(sex="female"), "UK-KAR-W"),
        (profile(medical=True), "UK-KAR-MED"),
        (profile(type_="maximum"), "UK-KAR-MAX"),
    ],
    ids=["minor", "woman", "needs treatment", "maximum"],
)
def test_each_category_goes_only_to_its_own_kind_of_institution(who, proposed: str) -> None:
    assert propose_placement(who, REGISTER, {}, on=ON).institution == proposed


def test_a_mixed_unit_is_never_proposed_and_asking_for_one_is_refused() -> None:
    with pytest.raises(InputError, match="mixed-security units are not a placement"):
        propose_placement(profile(type_="mixed"), REGISTER, {}, on=ON)
    proposal = propose_placement(profile(type_="minimum"), REGISTER, {}, on=ON)
    assert proposal.institution is None


def test_equal_distances_are_broken_by_the_institution_id() -> None:
    twins = (site("UK-B", "astana"), site("UK-A", "astana"))

    assert propose_placement(profile(), twins, {}, on=ON).institution == "UK-A"
    assert propose_placement(profile(), twins[::-1], {}, on=ON).institution == "UK-A"


def test_the_proposal_serialises_to_json_types() -> None:
    data = propose_placement(profile(), REGISTER, {}, on=ON).to_dict()

    assert data["institution"] == "UK-AST"
    assert data["on"] == "2025-03-01"
    assert data["rules"]["id"] == "kz-placement"
    assert {r["key"] for r in data["refs"]} >= {"placement.nearest_to_home"}


# --- properties ------------------------------------------------------------------------------------
REGION_KEYS = [r.key for r in load_regions()]
TYPES = ["minimum", "medium", "maximum", "mixed"]

sites_st = st.lists(
    st.builds(
        lambda n, where, t, sex, minors, medical, cap, off: site(
            f"UK-{n}", where, t, sex=sex, minors=minors, medical=medical, capacity=cap, offset=off
        ),
        st.integers(0, 10_000),
        st.sampled_from(REGION_KEYS),
        st.sampled_from(TYPES),
        st.sampled_from(["male", "female"]),
        st.booleans(),
        st.booleans(),
        st.integers(1, 5),
        st.floats(-0.5, 0.5),
    ),
    min_size=1,
    max_size=25,
    unique_by=lambda s: s.id,
)
profiles_st = st.builds(
    lambda home, t, sex, minor, medical: profile(
        home=home, type_=t, sex=sex, minor=minor, medical=medical
    ),
    st.sampled_from(REGION_KEYS),
    st.sampled_from(TYPES[:3]),
    st.sampled_from(["male", "female"]),
    st.booleans(),
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(sites_st, profiles_st, st.data())
def test_placement_never_proposes_the_wrong_kind_nor_a_full_place_when_one_has_room_nor_skips_a_nearer_one(
    register: list[Site], who, data: st.DataObject
) -> None:
    occupancy = {s.id: data.draw(st.integers(0, 6)) for s in register}

    proposal = propose_placement(who, register, occupancy, on=ON)

    kind = [s for s in register if is_right_kind(who, s)]
    with_room = [s for s in kind if occupancy[s.id] < s.capacity]
    if not kind:
        assert proposal.institution is None
        return
    chosen = next(s for s in register if s.id == proposal.institution)
    assert is_right_kind(who, chosen)
    assert chosen.type != "mixed"
    if with_room:
        assert occupancy[chosen.id] < chosen.capacity
        assert not proposal.over_capacity
        nearest = min(site_distance_km(who.home_region, s) for s in with_room)
        assert proposal.distance_km == nearest
    else:
        assert proposal.over_capacity
    assert {a.institution for a in proposal.alternatives} | {chosen.id} == {s.id for s in register}


@settings(max_examples=100, deadline=None)
@given(sites_st, profiles_st, st.randoms(use_true_random=False))
def test_placement_does_not_depend_on_the_order_of_the_register(
    register: list[Site], who, rnd: random.Random
) -> None:
    shuffled = list(register)
    rnd.shuffle(shuffled)

    assert propose_placement(who, register, {}, on=ON) == propose_placement(
        who, shuffled, {}, on=ON
    )
