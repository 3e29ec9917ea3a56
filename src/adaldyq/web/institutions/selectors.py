"""Reads of the register."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import Count

from adaldyq.web.institutions.models import Institution, Region

# Kazakhstan's bounding box with a margin (degrees); equirectangular, x scaled by cos(48°).
LON_MIN, LON_MAX, LAT_MIN, LAT_MAX = 46.0, 88.0, 40.0, 56.0


def institutions_with_population() -> list[Institution]:
    """Every institution with the number of people the read model places in it (`.population`).

    The counts come from one grouped query over the people table (a few ms at national scale, from the index);
    a join of institutions with people took over 100 ms on SQLite.
    """
    from adaldyq.web.records.models import Person

    counts = dict(
        Person.objects.exclude(institution_id=None)
        .order_by()
        .values_list("institution_id")
        .annotate(n=Count("institution_id"))  # counted from the index alone
        .values_list("institution_id", "n")
    )
    out = list(Institution.objects.select_related("region").order_by("region__key", "code"))
    for institution in out:
        institution.population = counts.get(institution.pk, 0)  # type: ignore[attr-defined]
    return out


@dataclass(frozen=True, slots=True)
class MapPoint:
    x: float
    y: float
    label: str
    r: float
    href: str = ""


def map_size() -> tuple[int, int]:
    width = 900
    ratio = (LAT_MAX - LAT_MIN) / ((LON_MAX - LON_MIN) * math.cos(math.radians(48)))
    return width, round(width * ratio)


def project(lat: float, lon: float) -> tuple[float, float]:
    """SVG coordinates of a point in the map box."""
    width, height = map_size()
    x = (lon - LON_MIN) / (LON_MAX - LON_MIN) * width
    y = (LAT_MAX - lat) / (LAT_MAX - LAT_MIN) * height
    return round(x, 1), round(y, 1)


def map_points(institutions: list[Institution]) -> tuple[list[MapPoint], list[MapPoint]]:
    """Points of the institutions (radius by capacity) and of the regional centres."""
    insts = []
    for i in institutions:
        x, y = project(i.lat, i.lon)
        insts.append(
            MapPoint(x, y, f"{i.title} ({i.capacity})", 3 + math.sqrt(max(i.capacity, 1)) / 6)
        )
    centres = []
    for reg in Region.objects.all():
        x, y = project(reg.lat, reg.lon)
        centres.append(MapPoint(x, y, reg.centre, 2))
    return insts, centres
