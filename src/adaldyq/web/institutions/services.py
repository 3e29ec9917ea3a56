"""Writes of the register: the reference regions and institutions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from adaldyq.core.regions import load_regions
from adaldyq.web.institutions.models import COLONY, INSTITUTION_KINDS, REMAND, Institution, Region

REGION_FIELDS = ("name_en", "name_kk", "name_ru", "centre_en", "centre_kk", "centre_ru")


def _reference_regions() -> list[dict[str, Any]]:
    """The 17 regions and 3 cities of national significance (`adaldyq.core.regions`)."""
    return [
        {"key": r.key, "lat": r.lat, "lon": r.lon, **{f: getattr(r, f) for f in REGION_FIELDS}}
        for r in load_regions()
    ]


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
    name_kk: str = "",
    name_ru: str = "",
    code_local: str = "",
    kind: str = "",
) -> Institution:
    """Create or update one institution of the register (`code_local`: the code in Cyrillic; `kind`:
    a correctional institution or a pre-trial detention centre, by default a remand centre for the
    mixed-security type, as the register's migration 0004 decided)."""
    kind = kind or (REMAND if type == "mixed" else COLONY)
    if kind not in dict(INSTITUTION_KINDS):
        raise ValueError(f"unknown kind of institution: {kind}")
    inst, _ = Institution.objects.update_or_create(
        code=code,
        defaults={
            "code_local": code_local,
            "name": name,
            "name_kk": name_kk,
            "name_ru": name_ru,
            "region_id": region_key,
            "type": type,
            "kind": kind,
            "capacity": capacity,
            "sex": sex,
            "minors": minors,
            "medical": medical,
            "lat": lat,
            "lon": lon,
        },
    )
    return inst
