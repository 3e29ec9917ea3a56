"""The regions of Kazakhstan and distances between their centres.

The data is `data/kz-regions.csv`, a copy of the project's shared reference file (17 regions and
3 cities of national significance since 2022; names in en/kk/ru, centres' coordinates to two
decimal places, populations rounded to tens of thousands, about 2024). It is good enough for a
synthetic demo and for rough distances; it is not an official statistic (see `data/README.md`).

Distances: great-circle (haversine) distance between the centres, times `DETOUR_FACTOR` for the
way people are actually moved (road and rail do not follow great circles). The factor is a
project assumption (confidence P): rail distances are not available to us.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

#: Mean Earth radius (IUGG), km.
EARTH_RADIUS_KM: Final = 6371.0088
#: Project assumption (P): road/rail distance is about 1.3 times the great-circle distance.
DETOUR_FACTOR: Final = 1.3

_CITY_SUFFIX: Final = "(city)"


@dataclass(frozen=True, slots=True)
class Region:
    """A region or a city of national significance, with its administrative centre."""

    #: Stable key, e.g. `karaganda`, `almaty_region`, `almaty` (the city).
    key: str
    name_en: str
    name_kk: str
    name_ru: str
    centre_en: str
    centre_kk: str
    centre_ru: str
    #: Latitude of the centre, decimal degrees.
    lat: float
    #: Longitude of the centre, decimal degrees.
    lon: float
    #: Population, people (the source rounds to tens of thousands).
    population: int

    @property
    def is_city(self) -> bool:
        """True for the three cities of national significance (Astana, Almaty, Shymkent)."""
        return self.name_en.endswith(_CITY_SUFFIX)

    def name(self, lang: str = "en") -> str:
        """The region's name in `en`, `kk` or `ru`."""
        return {"en": self.name_en, "kk": self.name_kk, "ru": self.name_ru}[lang]

    def centre(self, lang: str = "en") -> str:
        """The centre's name in `en`, `kk` or `ru`."""
        return {"en": self.centre_en, "kk": self.centre_kk, "ru": self.centre_ru}[lang]


def _parse(text: str) -> tuple[Region, ...]:
    rows = csv.DictReader(io.StringIO(text))
    return tuple(
        Region(
            key=row["key"],
            name_en=row["name_en"],
            name_kk=row["name_kk"],
            name_ru=row["name_ru"],
            centre_en=row["centre_en"],
            centre_kk=row["centre_kk"],
            centre_ru=row["centre_ru"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            population=int(row["population_thousands_approx"]) * 1000,
        )
        for row in rows
    )


@cache
def load_regions() -> tuple[Region, ...]:
    """All 20 regions and cities, in the file's order (17 regions, then 3 cities)."""
    text = resources.files("adaldyq.core.data").joinpath("kz-regions.csv").read_text("utf-8")
    return _parse(text)


@cache
def regions_by_key() -> Mapping[str, Region]:
    """The regions keyed by `Region.key`."""
    return {r.key: r for r in load_regions()}


def region(key: str) -> Region:
    """One region by key; KeyError names the unknown key."""
    try:
        return regions_by_key()[key]
    except KeyError:
        raise KeyError(f"unknown region key: {key!r}") from None


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance between two points on the mean Earth sphere, km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def distance_km(a: Region | str, b: Region | str) -> float:
    """Travel distance between two regions' centres: great-circle km times `DETOUR_FACTOR` (P)."""
    ra = region(a) if isinstance(a, str) else a
    rb = region(b) if isinstance(b, str) else b
    if ra.key == rb.key:
        return 0.0
    return great_circle_km(ra.lat, ra.lon, rb.lat, rb.lon) * DETOUR_FACTOR
