"""The policy simulator: everyone re-placed by the same rule under a what-if."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adaldyq.core.errors import InputError
from adaldyq.demo.synth import generate
from adaldyq.placement import (
    Scenario,
    apply_scenario,
    distribution,
    place_all,
    propose_placement,
    simulate,
)
from adaldyq.placement.demo import demo_current, demo_profiles, demo_sites
from tests.placement.conftest import ON, REGISTER, profile, site

MERGE = Scenario(merge=(("medium", "maximum"),))


@pytest.fixture(scope="module")
def small():
    return generate(800, density=2, with_extras=False, abuse_share=0.0)


def test_placing_everyone_equals_proposing_for_each_in_order_of_sentence() -> None:
    people = [
        profile(f"PF-{n}", home, t, sentenced_on=date(2020, 1, n % 28 + 1))
        for n, (home, t) in enumerate(
            [("karaganda", "medium"), ("almaty", "medium"), ("pavlodar", "maximum")] * 15
        )
    ]
    register = [*REGISTER[:4], site("UK-AST2", "astana", capacity=3)]
    register = [replace(s, capacity=4) for s in register]

    placed = place_all(people, register)

    occupancy: Counter[str] = Counter()
    over: set[str] = set()
    for p in sorted(people, key=lambda p: (p.sentenced_on, p.id)):
        proposal = propose_placement(p, register, occupancy, on=ON)
        assert placed.where[p.id] == proposal.institution, p.id
        assert placed.km[p.id] == proposal.distance_km
        occupancy[proposal.institution] += 1
        if proposal.over_capacity:
            over.add(p.id)
    assert set(placed.over_limit) == over
    assert over  # 45 people, 17 places


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(["karaganda", "almaty", "pavlodar", "astana", "mangystau"]), max_size=60
    )
)
def test_people_are_conserved_and_limits_hold_unless_counted_over_limit(homes: list[str]) -> None:
    people = [profile(f"PF-{n}", home) for n, home in enumerate(homes)]

    placed = place_all(people, REGISTER)

    assert set(placed.where) == {p.id for p in people}
    load = Counter(placed.where.values())
    capacity = {s.id: s.capacity for s in REGISTER}
    over = {sid for sid, n in load.items() if n > capacity[sid]}
    assert bool(over) == bool(placed.over_limit)


def test_the_report_proposal_conserves_people_and_gives_each_a_place(small) -> None:
    profiles = demo_profiles(small)

    sim = simulate(profiles, demo_sites(small), demo_current(small), MERGE, on=small.as_of)

    assert sim.people == len(small.people)
    assert sim.before.count + sim.held == sim.people
    assert sim.baseline.count == sim.after.count == sim.before.count
    assert sum(x.after for x in sim.load) == sum(x.before for x in sim.load) == sim.people
    assert sum(n for *_, n in sim.after.buckets) == sim.after.count
    assert {x.type for x in sim.load} >= {"medium+maximum"}
    assert sim.kind_at_home_after >= sim.kind_at_home_baseline


def test_without_a_change_the_scenario_is_the_baseline(small) -> None:
    sim = simulate(
        demo_profiles(small), demo_sites(small), demo_current(small), Scenario(), on=small.as_of
    )

    assert sim.after == sim.baseline
    assert sim.closer_than_baseline == sim.farther_than_baseline == 0


def test_the_simulation_is_deterministic(small) -> None:
    args = (demo_profiles(small), demo_sites(small), demo_current(small), MERGE)

    assert simulate(*args, on=small.as_of) == simulate(*args, on=small.as_of)


def test_added_places_go_to_the_largest_institution_of_the_type_in_the_region() -> None:
    register = (*REGISTER, site("UK-AST-BIG", "astana", capacity=500))

    sites, _ = apply_scenario(register, [], Scenario(add_capacity=(("astana", "medium", 50),)))

    capacity = {s.id: s.capacity for s in sites}
    assert (capacity["UK-AST"], capacity["UK-AST-BIG"]) == (100, 550)


def test_an_opened_institution_takes_the_people_it_is_nearer_for() -> None:
    people = [profile("PF-1", "mangystau")]

    sites, _ = apply_scenario(REGISTER, people, Scenario(open=(("mangystau", "medium", 10),)))
    placed = place_all(people, sites)

    assert placed.where["PF-1"] == "NEW-1"
    assert placed.km["PF-1"] == 0.0


@pytest.mark.parametrize(
    ("scenario", "message"),
    [
        (Scenario(merge=(("medium", "mixed"),)), "merge"),
        (Scenario(merge=(("medium",),)), "merge"),
        (Scenario(add_capacity=(("mangystau", "medium", 10),)), "open one instead"),
        (Scenario(add_capacity=(("astana", "medium", 0),)), "places must be positive"),
        (Scenario(open=(("astana", "mixed", 10),)), "open: type"),
    ],
)
def test_a_scenario_that_cannot_be_applied_is_refused(scenario: Scenario, message: str) -> None:
    with pytest.raises(InputError, match=message):
        apply_scenario(REGISTER, [], scenario)


def test_percentiles_are_nearest_rank_and_buckets_cover_every_distance() -> None:
    d = distribution([10.0, 20.0, 30.0, 40.0, 2500.0], 2, on=ON)

    assert d.percentiles[50] == 30.0
    assert d.percentiles[10] == 10.0
    assert d.percentiles[90] == 2500.0
    assert [n for *_, n in d.buckets] == [4, 0, 0, 0, 0, 0, 1]
    assert d.buckets[-1][1] is None
    assert d.outside_home_region == 2
