"""Writes of the register: the reference regions and institutions."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any

from django.db import transaction

from adaldyq.web.institutions.models import Institution, Region

REGION_FIELDS = ("name_en", "name_kk", "name_ru", "centre_en", "centre_kk", "centre_ru")


def _reference_regions() -> list[dict[str, Any]]:
    """The 17 regions and 3 cities: `adaldyq.core.regions` when present, else the packaged CSV."""
    try:
        from adaldyq.core import regions as core_regions  # written alongside the demo generator
    except ImportError:
        core_regions = None
    if core_regions is not None and hasattr(core_regions, "REGIONS"):
        return [
            r
            if isinstance(r, dict)
            else {k: getattr(r, k) for k in ("key", "lat", "lon", *REGION_FIELDS)}
            for r in core_regions.REGIONS
        ]
    text = (
        resources.files("adaldyq.web.institutions")
        .joinpath("kz-regions.csv")
        .read_text(encoding="utf-8")
    )
    return list(csv.DictReader(io.StringIO(text)))


def regions_load(rows: Iterable[Mapping[str, Any]] | None = None) -> int:
    """Create or update the regions (idempotent); returns how many there are."""
    rows = list(rows) if rows is not None else _reference_regions()
    with transaction.atomic():
        for row in rows:
            Region.objects.update_or_create(
                key=row["key"],
                defaults={
                    **{f: row[f] for f in REGION_FIELDS},
                    "lat": float(row["lat"]),
                    "lon": float(row["lon"]),
                },
            )
    return Region.objects.count()


def institution_upsert(
    *,
    code: str,
    name: str,
    region_key: str,
    type: str,
    capacity: int,
    sex: str = "male",
    minors: bool = False,
    medical: bool = False,
    lat: float,
    lon: float,
) -> Institution:
    """Create or update one institution of the register."""
    inst, _ = Institution.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "region_id": region_key,
            "type": type,
            "capacity": capacity,
            "sex": sex,
            "minors": minors,
            "medical": medical,
            "lat": lat,
            "lon": lon,
        },
    )
    return inst
