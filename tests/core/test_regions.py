"""The regions reference data and distances between regions."""

from __future__ import annotations

import itertools

import pytest

from adaldyq.core.regions import (
    DETOUR_FACTOR,
    distance_km,
    great_circle_km,
    load_regions,
    region,
)


def test_the_regions_file_has_twenty_rows_seventeen_regions_and_three_cities() -> None:
    regions = load_regions()

    assert len(regions) == 20
    assert sum(not r.is_city for r in regions) == 17
    assert {r.key for r in regions if r.is_city} == {"astana", "almaty", "shymkent"}


def test_every_region_has_names_in_three_languages_and_a_point_in_kazakhstan() -> None:
    for r in load_regions():
        assert all((r.name_en, r.name_kk, r.name_ru))
        assert all((r.centre_en, r.centre_kk, r.centre_ru))
        assert 40 < r.lat < 56
        assert 46 < r.lon < 88
        assert r.population > 100_000


def test_distances_are_zero_on_the_diagonal() -> None:
    for r in load_regions():
        assert distance_km(r, r) == 0.0


def test_distances_are_symmetric() -> None:
    for a, b in itertools.combinations(load_regions(), 2):
        assert distance_km(a, b) == pytest.approx(distance_km(b, a))
        assert distance_km(a, b) > 0


def test_distance_is_the_great_circle_times_the_detour_factor() -> None:
    astana, almaty = region("astana"), region("almaty")

    crow = great_circle_km(astana.lat, astana.lon, almaty.lat, almaty.lon)

    assert 950 < crow < 1000  # Astana-Almaty is about 970 km as the crow flies
    assert distance_km("astana", "almaty") == pytest.approx(crow * DETOUR_FACTOR)


def test_an_unknown_region_key_is_named_in_the_error() -> None:
    with pytest.raises(KeyError, match="atlantis"):
        region("atlantis")
