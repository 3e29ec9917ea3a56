# ruff: noqa: RUF012
"""The ledger's entries get an index on their type (ADR 0047).

A read model's replay (`adaldyq ledger replay`, `adaldyq ledger audit-views`) and the oversight
sources read the entries of a few types in sequence order; without the index each read the whole
table. `ensure_schema` creates it where it is missing (and leaves the rest as it is).
"""

from typing import Any

from django.db import migrations


def create_type_index(apps: Any, schema_editor: Any) -> None:
    from adaldyq.ledger.sql import CREATE_TYPE_INDEX

    with schema_editor.connection.cursor() as cursor:
        cursor.execute(CREATE_TYPE_INDEX)


def drop_type_index(apps: Any, schema_editor: Any) -> None:
    from adaldyq.ledger.sql import DROP_TYPE_INDEX

    with schema_editor.connection.cursor() as cursor:
        cursor.execute(DROP_TYPE_INDEX)


class Migration(migrations.Migration):
    dependencies = [("records", "0010_ledger_tiles")]

    operations = [migrations.RunPython(create_type_index, drop_type_index, elidable=False)]
