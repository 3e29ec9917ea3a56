"""Django's tables are named only inside `adaldyq.web`: the pure packages receive what they need."""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps

import adaldyq
from adaldyq.web.institutions.models import Institution
from adaldyq.web.institutions.register import TABLE

SRC = Path(adaldyq.__file__).parent


def _django_tables() -> set[str]:
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        tables.add(model._meta.db_table)
    return tables


def test_no_module_outside_the_web_names_a_django_table() -> None:
    tables = _django_tables()
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if path.is_relative_to(SRC / "web"):
            continue
        text = path.read_text(encoding="utf-8")
        # a table's name as a whole word: an entry type may begin with one (`programme_attendance_recorded`)
        offenders += [
            f"{path.relative_to(SRC)}: {t}"
            for t in sorted(tables)
            if re.search(rf"\b{re.escape(t)}\b", text)
        ]

    assert tables, "no Django models found: the check would pass for nothing"
    assert offenders == []


def test_the_register_port_reads_the_institution_models_own_table() -> None:
    assert Institution._meta.db_table == TABLE
