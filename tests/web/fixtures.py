"""Builders for web tests: a small register and people, written through the real services."""

from __future__ import annotations

from typing import Any

from adaldyq.web.institutions.models import Institution
from adaldyq.web.institutions.services import institution_upsert, regions_load


def register() -> dict[str, Institution]:
    """Two regions' worth of institutions: two in Karaganda, one in Almaty."""
    regions_load()
    return {
        "k1": institution_upsert(
            code="UK-161/1",
            name="Medium 1 (Karaganda)",
            region_key="karaganda",
            type="medium",
            capacity=1200,
            lat=49.8,
            lon=73.1,
        ),
        "k2": institution_upsert(
            code="UK-161/2",
            name="Minimum 2 (Karaganda)",
            region_key="karaganda",
            type="minimum",
            capacity=600,
            lat=49.9,
            lon=73.3,
        ),
        "a1": institution_upsert(
            code="LA-155/3",
            name="Maximum 3 (Almaty)",
            region_key="almaty",
            type="maximum",
            capacity=900,
            lat=43.2,
            lon=76.9,
        ),
    }


def scoped(role: str, insts: dict[str, Institution]) -> dict[str, Any]:
    """The scope keyword arguments of user_create for a role, in Karaganda's first institution."""
    if role in ("records_officer", "head"):
        return {"institution": insts["k1"]}
    if role == "regional":
        return {"region": insts["k1"].region}
    return {}
