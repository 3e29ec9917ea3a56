"""The models and their migrations say the same: a model changed without its migration (a role added
to the choices, a field) fails here, not on a deployment's `migrate`."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_its_migration() -> None:
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # --check exits 1 when a migration is missing
        pytest.fail(f"migrations missing (exit {exc.code}):\n{out.getvalue()}")


@pytest.mark.django_db
def test_the_facts_superseded_by_has_no_index_to_mislead_the_planner() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "records_fact")
    on_superseded = [
        name
        for name, c in constraints.items()
        if c["index"] and c["columns"] == ["superseded_by_id"]
    ]
    assert on_superseded == []
    assert any(c["index"] and c["columns"][:1] == ["person_id"] for c in constraints.values())
