"""The register page's version token, changed by triggers on what the page shows (ADR 0012)."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

TABLE = "institutions_registerversion"
#: (trigger name suffix, table, events) for SQLite, one trigger per event.
SQLITE_TRIGGERS = [
    ("person_ins", "records_person", "AFTER INSERT", ""),
    ("person_del", "records_person", "AFTER DELETE", ""),
    (
        "person_move",
        "records_person",
        "AFTER UPDATE OF institution_id",
        "WHEN old.institution_id IS NOT new.institution_id",
    ),
    ("inst_ins", "institutions_institution", "AFTER INSERT", ""),
    ("inst_upd", "institutions_institution", "AFTER UPDATE", ""),
    ("inst_del", "institutions_institution", "AFTER DELETE", ""),
    ("region_ins", "institutions_region", "AFTER INSERT", ""),
    ("region_upd", "institutions_region", "AFTER UPDATE", ""),
    ("region_del", "institutions_region", "AFTER DELETE", ""),
]
PG_TRIGGERS = [
    ("person_rows", "records_person", "AFTER INSERT OR DELETE OR TRUNCATE", "STATEMENT", ""),
    (
        "person_move",
        "records_person",
        "AFTER UPDATE OF institution_id",
        "ROW",
        "WHEN (OLD.institution_id IS DISTINCT FROM NEW.institution_id)",
    ),
    (
        "inst",
        "institutions_institution",
        "AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE",
        "STATEMENT",
        "",
    ),
    (
        "region",
        "institutions_region",
        "AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE",
        "STATEMENT",
        "",
    ),
]
PG_FUNCTION = "institutions_register_bump"


def create(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "INSERT INTO institutions_registerversion (id, token) "
                "VALUES (1, lower(hex(randomblob(8))))"
            )
            for name, table, event, when in SQLITE_TRIGGERS:
                cursor.execute(  # the names and events are this module's constants
                    f"CREATE TRIGGER IF NOT EXISTS register_version_{name} {event} ON {table} "  # noqa: S608
                    f"{when} BEGIN UPDATE institutions_registerversion "
                    "SET token = lower(hex(randomblob(8))); END"
                )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "INSERT INTO institutions_registerversion (id, token) VALUES (1, md5(random()::text))"
            )
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "  # noqa: S608
                "BEGIN UPDATE institutions_registerversion "
                "SET token = md5(random()::text || clock_timestamp()::text); RETURN NULL; END $$"
            )
            for name, table, event, level, when in PG_TRIGGERS:
                cursor.execute(
                    f"CREATE TRIGGER register_version_{name} {event} ON {table} "
                    f"FOR EACH {level} {when} EXECUTE FUNCTION {PG_FUNCTION}()"
                )


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
    dependencies = [("institutions", "0001_initial"), ("records", "0003_person_search_index")]  # noqa: RUF012
    operations = [  # noqa: RUF012
        migrations.CreateModel(
            name="RegisterVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=40)),
            ],
        ),
        migrations.RunPython(create, drop, elidable=False),
    ]
