# ruff: noqa: RUF012
"""The read models of the personal files, in one migration (ADR 0049: squashed from 0001-0009, which a
database migrated before keeps as applied through `replaces`).

The ledger's own tables (adaldyq.ledger.sql) are created in the same database as the read models
(ADR 0006). The people search's substring index (ADR 0012, addendum 2):

The search matches each word anywhere in `search_text` (`LIKE '%word%'`), which read every one of
35,000 rows for a word that matched few of them. Here the read model keeps a trigram index of it:

- SQLite: an FTS5 table with the `trigram` tokenizer (`records_person_search`, SQLite >= 3.34), its
  rowid the person's `admitted_seq` (unique: the ledger entry that opened the file, the same after a
  replay), kept in step by triggers on `records_person` in the same transaction as every write, so a
  replay, a bulk insert or a `DELETE` of the read model keeps it right without any code knowing of it;
- PostgreSQL: a GIN `gin_trgm_ops` index on `search_text` (extension `pg_trgm`, trusted since 13), used
  by the planner for the same `LIKE`.

Neither changes what a search finds: the `LIKE` filter stays; the index only narrows the rows it reads.
Where FTS5's trigram tokenizer or pg_trgm is missing, the migration leaves the search as it was.
"""

from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def create_ledger(apps: Any, schema_editor: Any) -> None:
    from adaldyq.web.records.ledger_port import ensure_schema

    with schema_editor.connection.cursor() as cursor:
        ensure_schema(cursor, "postgresql" if schema_editor.connection.vendor == "postgresql" else "sqlite")


TRIGGERS = {
    "records_person_search_ai": """CREATE TRIGGER IF NOT EXISTS records_person_search_ai AFTER INSERT ON records_person BEGIN
        INSERT OR REPLACE INTO records_person_search(rowid, search_text) VALUES (new.admitted_seq, new.search_text);
    END""",
    "records_person_search_ad": """CREATE TRIGGER IF NOT EXISTS records_person_search_ad AFTER DELETE ON records_person BEGIN
        DELETE FROM records_person_search WHERE rowid = old.admitted_seq;
    END""",
    "records_person_search_au": """CREATE TRIGGER IF NOT EXISTS records_person_search_au
        AFTER UPDATE OF search_text, admitted_seq ON records_person BEGIN
        DELETE FROM records_person_search WHERE rowid = old.admitted_seq;
        INSERT OR REPLACE INTO records_person_search(rowid, search_text) VALUES (new.admitted_seq, new.search_text);
    END""",
}
PG_INDEX = "records_person_search_trgm"


def create(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            try:
                cursor.execute("CREATE VIRTUAL TABLE IF NOT EXISTS records_person_search USING fts5(search_text, tokenize='trigram case_sensitive 1')")
            except Exception:  # noqa: BLE001 - no FTS5 or no trigram tokenizer: search scans, as before
                return
            for sql in TRIGGERS.values():
                cursor.execute(sql)
            cursor.execute("DELETE FROM records_person_search")
            cursor.execute("INSERT OR REPLACE INTO records_person_search(rowid, search_text) SELECT admitted_seq, search_text FROM records_person")
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
            if cursor.fetchone() is None:
                return
            cursor.execute("SAVEPOINT adaldyq_trgm")
            try:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except Exception:  # noqa: BLE001 - not allowed to create it: search scans, as before
                cursor.execute("ROLLBACK TO SAVEPOINT adaldyq_trgm")
                return
            cursor.execute("RELEASE SAVEPOINT adaldyq_trgm")
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON records_person USING gin (search_text gin_trgm_ops)")


def drop(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute("DROP TABLE IF EXISTS records_person_search")
        elif connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")


class Migration(migrations.Migration):
    replaces = [
        ("records", "0001_initial"),
        ("records", "0002_ledger"),
        ("records", "0003_person_search_index"),
        ("records", "0004_person_sentence_type"),
        ("records", "0005_person_parole_facts"),
        ("records", "0006_file_readers"),
        ("records", "0007_proposals"),
        ("records", "0008_person_release"),
        ("records", "0009_fact_superseded_by_no_index"),
    ]

    initial = True

    dependencies = [("institutions", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="Person",
            fields=[
                ("id", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("number", models.CharField(max_length=40, unique=True)),
                ("surname", models.CharField(max_length=100)),
                ("given_name", models.CharField(max_length=100)),
                ("patronymic", models.CharField(blank=True, max_length=100)),
                ("sex", models.CharField(max_length=10)),
                ("born", models.DateField()),
                ("condition", models.CharField(default="regular", max_length=20)),
                ("sentence_start", models.DateField()),
                ("sentence_years", models.PositiveSmallIntegerField(default=0)),
                ("sentence_months", models.PositiveSmallIntegerField(default=0)),
                ("sentence_days", models.PositiveSmallIntegerField(default=0)),
                ("life", models.BooleanField(default=False)),
                ("gravity", models.CharField(blank=True, max_length=20)),
                ("home_region", models.CharField(blank=True, max_length=40)),
                ("admitted_on", models.DateField()),
                ("admitted_seq", models.BigIntegerField()),
                ("search_text", models.CharField(default="", max_length=400)),
                ("sentence_type", models.CharField(blank=True, max_length=20)),
                ("corruption", models.BooleanField(null=True)),
                ("damage_compensated", models.BooleanField(null=True)),
                ("procedural_agreement", models.BooleanField(null=True)),
                ("released_on", models.DateField(null=True)),
                ("released_from", models.CharField(blank=True, default="", max_length=40)),
                ("released_to", models.CharField(blank=True, default="", max_length=40)),
                ("institution", models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="people", to="institutions.institution")),
            ],
            options={
                "ordering": ("surname", "given_name", "id"),
                "indexes": [
                    models.Index(fields=["surname", "given_name"], name="records_per_surname_404fdb_idx"),
                    models.Index(fields=["institution", "surname"], name="records_per_institu_39df33_idx"),
                    models.Index(fields=["admitted_seq"], name="records_per_admitte_idx"),
                ],
            },
        ),
        migrations.CreateModel(
            name="Note",
            fields=[
                ("seq", models.BigIntegerField(primary_key=True, serialize=False)),
                ("author", models.CharField(max_length=150)),
                ("at", models.DateTimeField()),
                ("text", models.TextField()),
                ("person", models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name="notes", to="records.person")),
            ],
            options={"ordering": ("seq",)},
        ),
        migrations.CreateModel(
            name="FileOpening",
            fields=[
                ("seq", models.BigIntegerField(primary_key=True, serialize=False)),
                ("by", models.CharField(max_length=150)),
                ("at", models.DateTimeField()),
                ("page", models.CharField(blank=True, default="", max_length=40)),
                ("person", models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name="openings", to="records.person")),
            ],
            options={"ordering": ("-seq",)},
        ),
        migrations.CreateModel(
            name="Fact",
            fields=[
                ("seq", models.BigIntegerField(primary_key=True, serialize=False)),
                ("entry_hash", models.CharField(max_length=128)),
                ("kind", models.CharField(max_length=40)),
                ("on", models.DateField()),
                ("data", models.JSONField(default=dict)),
                ("recorded_by", models.CharField(max_length=150)),
                ("recorded_at", models.DateTimeField()),
                ("reason", models.TextField(blank=True)),
                ("void", models.BooleanField(default=False)),
                ("corrects", models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="corrections", to="records.fact")),
                ("superseded_by", models.ForeignKey(db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="records.fact")),
                ("person", models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name="facts", to="records.person")),
            ],
            options={"ordering": ("on", "seq"), "indexes": [models.Index(fields=["person", "on", "seq"], name="records_fac_person__e2ef6d_idx")]},
        ),
        migrations.CreateModel(
            name="Relative",
            fields=[
                ("seq", models.BigIntegerField(primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=200)),
                ("relationship", models.CharField(max_length=40)),
                ("approved", models.BooleanField(default=True)),
                ("person", models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name="relatives", to="records.person")),
            ],
            options={"ordering": ("seq",)},
        ),
        migrations.CreateModel(
            name="FileListing",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("seq", models.BigIntegerField()),
                ("by", models.CharField(max_length=150)),
                ("at", models.DateTimeField()),
                ("page", models.CharField(blank=True, default="", max_length=40)),
                ("person", models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name="listings", to="records.person")),
            ],
            options={"ordering": ("-seq",), "indexes": [models.Index(fields=["person", "-seq"], name="records_listing_person_seq")]},
        ),
        migrations.CreateModel(
            name="Proposal",
            fields=[
                ("seq", models.BigIntegerField(primary_key=True, serialize=False)),
                ("action", models.CharField(max_length=20)),
                ("fact", models.JSONField(default=dict)),
                ("entry", models.BigIntegerField(null=True)),
                ("code", models.CharField(max_length=40)),
                ("reason", models.TextField()),
                ("proposed_by", models.CharField(max_length=150)),
                ("at", models.DateTimeField()),
                ("status", models.CharField(default="pending", max_length=20)),
                ("decided_by", models.CharField(blank=True, default="", max_length=150)),
                ("decided_seq", models.BigIntegerField(null=True)),
                ("decided_reason", models.TextField(blank=True, default="")),
                ("person", models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name="proposals", to="records.person")),
            ],
            options={"ordering": ("seq",), "indexes": [models.Index(fields=["status", "seq"], name="records_proposal_status")]},
        ),
        migrations.RunPython(create_ledger, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(create, drop, elidable=False),
    ]
