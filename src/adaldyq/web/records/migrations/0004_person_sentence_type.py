"""The type of institution the court set, from the admission (issue 13).

Added with a plain `ALTER TABLE ... ADD COLUMN` on both backends: Django's SQLite schema editor
would otherwise rebuild `records_person`, and with it drop the search index's triggers (0003).
"""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("records", "0003_person_search_index")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="person",
                    name="sentence_type",
                    field=models.CharField(blank=True, max_length=20, default=""),
                    preserve_default=False,
                )
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE records_person ADD COLUMN sentence_type varchar(20) NOT NULL DEFAULT ''",
                    reverse_sql="ALTER TABLE records_person DROP COLUMN sentence_type",
                )
            ],
        )
    ]
