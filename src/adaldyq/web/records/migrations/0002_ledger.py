"""The ledger's own tables (adaldyq.ledger.sql), created in the same database as the read models."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def create_ledger(apps: Any, schema_editor: Any) -> None:
    from adaldyq.web.records.ledger_port import ensure_schema

    with schema_editor.connection.cursor() as cursor:
        ensure_schema(
            cursor, "postgresql" if schema_editor.connection.vendor == "postgresql" else "sqlite"
        )


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]  # noqa: RUF012
    operations = [migrations.RunPython(create_ledger, migrations.RunPython.noop, elidable=False)]  # noqa: RUF012
