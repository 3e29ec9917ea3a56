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
