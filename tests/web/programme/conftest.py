"""Programme tests: a small register, the Agency's officer, the heads of two institutions."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.web.transfers.conftest import small_register

DAY = date(2026, 6, 10)
#: Every test institution's own list of route stations (a visit's route is chosen from it).
STATIONS = ["investigators' offices", "reception", "cells", "exercise yards"]


def list_stations(insts: dict[str, Any], officer: Any) -> None:
    from adaldyq.web.programme.services import stations_list

    for inst in insts.values():
        stations_list(officer=officer, host=inst.code, stations=STATIONS, on=DAY)


@pytest.fixture
def world(make_user: Any) -> dict[str, Any]:
    insts = small_register()
    found = {
        "insts": insts,
        "agency": make_user("agency", "anticorruption"),
        "head": make_user("head-alm", "head", institution=insts["M-ALM"]),
        "head_other": make_user("head-akm", "head", institution=insts["M-AKM"]),
        "officer": make_user("officer-alm", "records_officer", institution=insts["M-ALM"]),
    }
    list_stations(insts, found["head"])
    return found


def official(n: int, **over: Any) -> dict[str, str]:
    row = {
        "name": f"Сынақов Ресми {n}",
        "body": "Министерство синтетики" if n % 2 else "Акимат области Синтетика",
        "position": "руководитель управления",
        "category": "corps_a" if n % 3 else "political",
        "region": "almaty" if n % 2 else "karaganda",
    }
    return {**row, **over}
