"""A substring index for the people search (ADR 0012, addendum 2).

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

from django.db import migrations, models

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
                cursor.execute(
                    "CREATE VIRTUAL TABLE IF NOT EXISTS records_person_search "
                    "USING fts5(search_text, tokenize='trigram case_sensitive 1')"
                )
            except Exception:  # noqa: BLE001 - no FTS5 or no trigram tokenizer: search scans, as before
                return
            for sql in TRIGGERS.values():
                cursor.execute(sql)
            cursor.execute("DELETE FROM records_person_search")
            cursor.execute(
                "INSERT OR REPLACE INTO records_person_search(rowid, search_text) "
                "SELECT admitted_seq, search_text FROM records_person"
            )
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
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON records_person "
                "USING gin (search_text gin_trgm_ops)"
            )


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
    dependencies = [("records", "0002_ledger")]  # noqa: RUF012
    operations = [  # noqa: RUF012
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["admitted_seq"], name="records_per_admitte_idx"),
        ),
        migrations.RunPython(create, drop, elidable=False),
    ]
