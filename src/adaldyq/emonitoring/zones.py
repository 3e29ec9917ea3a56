"""The zones a person under electronic monitoring keeps to, as shapely polygons in metres.

A zone is a fact of the personal file (`device_zone`, `adaldyq.files.DeviceZone`): a home, whose
curfew hours the person must spend inside it, or an exclusion zone, never to be entered. Its polygon
is in WGS 84 degrees (longitude, latitude); here it is projected onto a plane in metres around its
first vertex (equirectangular: within a city, off by less than a metre in a kilometre), so that a
fix's accuracy radius can be weighed against its distance from the zone's edge:

    z = zone_of(fact)
    z.sides(lons, lats, accuracies)   # per fix: 1 inside, -1 outside, 0 too close to the edge to say
    z.in_curfew(local_time)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, time
from typing import Any, Final

import numpy as np
import shapely
from shapely.geometry import Polygon

from adaldyq.core.errors import InputError
from adaldyq.files import DeviceZone

ZONE_KINDS: Final = ("home", "exclusion")
_M_PER_DEG_LAT: Final = 110_574.0
_M_PER_DEG_LON: Final = 111_320.0


class ZoneError(InputError):
    """A zone whose polygon is not one simple area (its edges cross, or it has no area)."""


@dataclass(frozen=True, slots=True)
class Zone:
    """One zone, as standing from the day `since`."""

    name: str
    kind: str
    since: date
    #: Curfew hours (local time) for a home; the night spans midnight when `start` > `end`.
    curfew: tuple[time, time] | None
    #: The fact that records it (its ledger entry).
    seq: int
    origin: tuple[float, float]
    shape: Any

    def _plane(self, lons: Any, lats: Any) -> tuple[Any, Any]:
        lon0, lat0 = self.origin
        x = (np.asarray(lons, dtype=float) - lon0) * _M_PER_DEG_LON * math.cos(math.radians(lat0))
        y = (np.asarray(lats, dtype=float) - lat0) * _M_PER_DEG_LAT
        return x, y

    def sides(self, lons: Any, lats: Any, accuracies: Any) -> Any:
        """For each fix: 1 inside the zone, -1 outside it, 0 when its accuracy radius reaches the
        zone's edge (the fix alone cannot say which side the person is on)."""
        x, y = self._plane(lons, lats)
        inside = shapely.contains_xy(self.shape, x, y)
        edge = shapely.distance(self.shape.boundary, shapely.points(x, y))
        sure = edge > np.asarray(accuracies, dtype=float)
        return np.where(sure, np.where(inside, 1, -1), 0)

    def in_curfew(self, moment: time) -> bool:
        """Whether a local time of day falls within the curfew hours (start included, end not)."""
        if self.curfew is None:
            return False
        start, end = self.curfew
        if start <= end:
            return start <= moment < end
        return moment >= start or moment < end


def zone_of(fact: DeviceZone) -> Zone:
    """The zone a `device_zone` fact records; `ZoneError` when its polygon is not a simple area."""
    lon0, lat0 = fact.polygon[0]
    zone = Zone(
        name=fact.name, kind=fact.kind, since=fact.on, curfew=fact.curfew, seq=fact.seq,
        origin=(lon0, lat0), shape=None,
    )  # fmt: skip
    lons, lats = zip(*fact.polygon, strict=True)
    x, y = zone._plane(lons, lats)
    shape = Polygon(list(zip(x.tolist(), y.tolist(), strict=True)))
    if not shape.is_valid or shape.area <= 0:
        raise ZoneError(
            f"zone {fact.name!r}: the polygon's edges cross or enclose no area "
            f"({shapely.is_valid_reason(shape)})"
        )
    shapely.prepare(shape)
    object.__setattr__(zone, "shape", shape)
    return zone
