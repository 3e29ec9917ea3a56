"""The facts of the probation file: one type per kind, read and written back the same (issue 19)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from adaldyq.core.facts import PROBATION_KINDS
from adaldyq.files import FactError, parse_fact
from adaldyq.files.facts import KINDS

DAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("kind", "payload"),
    [
        ("reporting_set", {"every_days": 14, "mode": "in_person"}),
        ("checked_in", {"mode": "phone"}),
        ("probation_violation", {"kind": "curfew", "handling": "warning", "text": "22:40"}),
        ("programme_joined", {"area": "housing", "status": "completed"}),
        ("employed", {"employer": "ТОО «Синтетика»"}),
        ("medical_aid", {"kind": "dental"}),
        ("probation_closed", {"reason": "term_ended"}),
    ],
)
def test_each_kind_of_the_probation_file_reads_its_fields_and_writes_them_back(
    kind: str, payload: dict[str, Any]
) -> None:
    fact = parse_fact(kind, {"on": DAY.isoformat(), **payload}, on=DAY)

    assert type(fact) is KINDS[kind]
    assert fact.payload() == {"on": DAY.isoformat(), **payload}


@pytest.mark.parametrize(
    ("kind", "payload", "field"),
    [
        ("reporting_set", {"every_days": 0, "mode": "phone"}, "every_days"),
        ("checked_in", {"mode": "letter"}, "mode"),
        ("probation_violation", {"kind": "late", "handling": "warning"}, "kind"),
        ("probation_violation", {"kind": "curfew", "handling": "fine"}, "handling"),
        ("programme_joined", {"area": "sport"}, "area"),
        ("probation_closed", {}, "reason"),
    ],
)
def test_a_probation_fact_outside_its_lists_is_refused_naming_the_field(
    kind: str, payload: dict[str, Any], field: str
) -> None:
    with pytest.raises(FactError) as err:
        parse_fact(kind, {"on": DAY.isoformat(), **payload}, on=DAY)

    assert err.value.field == field
    assert kind in PROBATION_KINDS
