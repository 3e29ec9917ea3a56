# ruff: noqa: RUF012
"""The register's later columns and its page's version token, in one migration (ADR 0049: squashed
from 0002-0004, which a database migrated before keeps as applied through `replaces`).

- `code_local`: the code as Kazakh and Russian pages write it (issue 13: kk pages say УК, not both).
- `kind`: pre-trial detention centres as their own kind (issue 20). An institution of the
  mixed-security type is the mixed-security unit of a pre-trial centre (LAW.md, types of
  institutions): it becomes a remand centre; every other one stays a correctional institution.
- The register page's version token, changed by triggers on what the page shows (ADR 0012). The
  columns come first: SQLite adds a NOT NULL column by rebuilding the table, which would drop the
  triggers on it.

It stays apart from 0001: it depends on the records' `records_person` (its triggers), which itself
depends on 0001.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

#: (trigger name suffix, table, events) for SQLite, one trigger per event.
SQLITE_TRIGGERS = [
    ("person_ins", "records_person", "AFTER INSERT", ""),
    ("person_del", "records_person", "AFTER DELETE", ""),
    ("person_move", "records_person", "AFTER UPDATE OF institution_id", "WHEN old.institution_id IS NOT new.institution_id"),
    ("inst_ins", "institutions_institution", "AFTER INSERT", ""),
    ("inst_upd", "institutions_institution", "AFTER UPDATE", ""),
    ("inst_del", "institutions_institution", "AFTER DELETE", ""),
    ("region_ins", "institutions_region", "AFTER INSERT", ""),
    ("region_upd", "institutions_region", "AFTER UPDATE", ""),
    ("region_del", "institutions_region", "AFTER DELETE", ""),
]
PG_TRIGGERS = [
    ("person_rows", "records_person", "AFTER INSERT OR DELETE OR TRUNCATE", "STATEMENT", ""),
    ("person_move", "records_person", "AFTER UPDATE OF institution_id", "ROW", "WHEN (OLD.institution_id IS DISTINCT FROM NEW.institution_id)"),
    ("inst", "institutions_institution", "AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE", "STATEMENT", ""),
    ("region", "institutions_region", "AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE", "STATEMENT", ""),
]
PG_FUNCTION = "institutions_register_bump"


def remand_centres(apps: Any, schema_editor: Any) -> None:
    institution = apps.get_model("institutions", "Institution")
    institution.objects.filter(type="mixed").update(kind="remand")


def create(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO institutions_registerversion (id, token) VALUES (1, lower(hex(randomblob(8))))")
            for name, table, event, when in SQLITE_TRIGGERS:
                cursor.execute(  # the names and events are this module's constants
                    f"CREATE TRIGGER IF NOT EXISTS register_version_{name} {event} ON {table} "  # noqa: S608
                    f"{when} BEGIN UPDATE institutions_registerversion "
                    "SET token = lower(hex(randomblob(8))); END"
                )
        elif connection.vendor == "postgresql":
            cursor.execute("INSERT INTO institutions_registerversion (id, token) VALUES (1, md5(random()::text))")
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "  # noqa: S608
                "BEGIN UPDATE institutions_registerversion "
                "SET token = md5(random()::text || clock_timestamp()::text); RETURN NULL; END $$"
            )
            for name, table, event, level, when in PG_TRIGGERS:
                cursor.execute(f"CREATE TRIGGER register_version_{name} {event} ON {table} FOR EACH {level} {when} EXECUTE FUNCTION {PG_FUNCTION}()")


def drop(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name, *_ in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS register_version_{name}")
        elif connection.vendor == "postgresql":
            for name, table, *_ in PG_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS register_version_{name} ON {table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")


class Migration(migrations.Migration):
    replaces = [("institutions", "0002_registerversion"), ("institutions", "0003_institution_code_local"), ("institutions", "0004_institution_kind")]

    dependencies = [("institutions", "0001_initial"), ("records", "0001_squashed_0009_fact_superseded_by_no_index")]

    operations = [
        migrations.AddField(model_name="institution", name="code_local", field=models.CharField(blank=True, max_length=40)),
        migrations.AddField(model_name="institution", name="kind", field=models.CharField(choices=[("colony", "correctional institution"), ("remand", "pre-trial detention centre")], default="colony", max_length=10)),
        migrations.RunPython(remand_centres, migrations.RunPython.noop),
        migrations.CreateModel(name="RegisterVersion", fields=[("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")), ("token", models.CharField(max_length=40))]),
        migrations.RunPython(create, drop, elidable=False),
    ]
