# ruff: noqa: RUF012
"""The code as Kazakh and Russian pages write it (issue 13: kk pages say УК, not both УК and UK).

SQLite adds a NOT NULL column by rebuilding the table, which drops its triggers: the register
version's triggers on institutions (0002) are made again afterwards.
"""

from importlib import import_module
from typing import Any

from django.db import migrations, models

_REGISTER = import_module("adaldyq.web.institutions.migrations.0002_registerversion")


def institution_triggers(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return  # PostgreSQL keeps its triggers through ALTER TABLE
    with connection.cursor() as cursor:
        for name, table, event, when in _REGISTER.SQLITE_TRIGGERS:
            if table == "institutions_institution":
                cursor.execute(  # the names and events are 0002's constants
                    f"CREATE TRIGGER IF NOT EXISTS register_version_{name} {event} ON {table} "  # noqa: S608
                    f"{when} BEGIN UPDATE institutions_registerversion "
                    "SET token = lower(hex(randomblob(8))); END"
                )


class Migration(migrations.Migration):
    dependencies = [("institutions", "0002_registerversion")]

    operations = [
        migrations.AddField(
            model_name="institution",
            name="code_local",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.RunPython(institution_triggers, migrations.RunPython.noop),
    ]
