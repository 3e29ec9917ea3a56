"""Reads of the register."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from adaldyq.web.institutions.models import Institution, Region, institution_label

# Kazakhstan's bounding box with a margin (degrees); equirectangular, x scaled by cos(48°).
LON_MIN, LON_MAX, LAT_MIN, LAT_MAX = 46.0, 88.0, 40.0, 56.0


def institutions_with_population() -> list[Institution]:
    """Every institution with the number of people the read model places in it (`.population`).

    The counts come from one grouped query over the people table, read from its index: SQLite
    reads a join of institutions with people far more slowly (ADR 0012).
    """
    from adaldyq.web.records.models import Person

    counts = dict(
        Person.objects.exclude(institution__isnull=True)
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
    #: The short text beside the point: an institution's code in the page's script, a centre's name.
    tag: str = ""
    #: People held per place, in per cent (institutions only; None for a centre).
    load: int | None = None

    @property
    def over(self) -> bool:
        """More people held than places."""
        return self.load is not None and self.load > 100


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
        load = load_percent(getattr(i, "population", 0), i.capacity)
        label = _("%(name)s: %(people)s people held, %(places)s places (%(load)s%%)") % {
            "name": i.label,
            "people": getattr(i, "population", 0),
            "places": i.capacity,
            "load": load,
        }
        if load > 100:
            label += " — " + str(_("over capacity"))
        r = 3 + math.sqrt(max(i.capacity, 1)) / 6
        insts.append(MapPoint(x, y, label, r, tag=i.display_code, load=load))
    centres = []
    for reg in Region.objects.all():
        x, y = project(reg.lat, reg.lon)
        centres.append(MapPoint(x, y, reg.centre, 2, tag=reg.centre))
    return insts, centres


def load_percent(people: int, places: int) -> int:
    """People held per place, in whole per cent (rounded half up; no places and people: over)."""
    if places <= 0:
        return 0 if people == 0 else 999
    return (200 * people + places) // (2 * places)


@dataclass(frozen=True, slots=True)
class InstitutionNames:
    """What a page needs to name an institution in any language (`institution_label`)."""

    code: str
    code_local: str
    name: str
    name_kk: str
    name_ru: str

    @property
    def label(self) -> str:
        return institution_label(self.code, self.code_local, self.name, self.name_kk, self.name_ru)


_NAMES: dict[str, InstitutionNames] = {}
_NAMES_KEPT_SECONDS = (
    60.0  # the register changes rarely; another process's change shows in a minute
)
_names_loaded_at = -_NAMES_KEPT_SECONDS


def names_forget() -> None:
    """Drop the kept names (an institution was saved or deleted in this process)."""
    global _names_loaded_at  # one small cache per process
    _names_loaded_at = -_NAMES_KEPT_SECONDS


def institution_names(code: str) -> InstitutionNames | None:
    """The names of the institution with this code (Latin or Cyrillic), or None when none has it.

    The whole register (at most a few hundred rows) is read at most once a minute per process.
    """
    global _names_loaded_at  # one small cache per process
    now = time.monotonic()
    if now - _names_loaded_at > _NAMES_KEPT_SECONDS:
        rows = Institution.objects.values_list("code", "code_local", "name", "name_kk", "name_ru")
        _NAMES.clear()
        for row in rows:
            names = InstitutionNames(*row)
            _NAMES[names.code] = names
            if names.code_local:
                _NAMES.setdefault(names.code_local, names)
        _names_loaded_at = now
    return _NAMES.get(code)
